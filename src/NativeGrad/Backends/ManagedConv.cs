using System.Numerics;

namespace NativeGrad.Backends;

/// <summary>
/// im2col and col2im in C#, walking the same positions in the same order as the native kernels
/// (so both backends give the same bits): each column-matrix row is one window element (i, j, c),
/// and for each output row the input row it reads is either padding or a run of valid columns
/// flanked by padding. Stride-1 runs are span copies and TensorPrimitives adds.
/// </summary>
internal static unsafe class ManagedConv
{
    public static void Im2Col<T>(Planes2d p, Window2d w, T* image, T* columns) where T : unmanaged, IFloatingPointIeee754<T> =>
        ForEachWindowRow(p, w, image, (columnStart, row, columnBase, first, last) =>
        {
            var output = new Span<T>(columns + columnStart, (int)p.OutW);
            if (row == null)
            {
                output.Clear();
                return;
            }
            output[..first].Clear();
            if (w.StrideW == 1) new ReadOnlySpan<T>(row + columnBase + first, last - first).CopyTo(output[first..last]);
            else for (int ow = first; ow < last; ow++) output[ow] = row[ow * w.StrideW + columnBase];
            output[last..].Clear();
        });

    public static void Col2Im<T>(Planes2d p, Window2d w, T* columns, T* image) where T : unmanaged, IFloatingPointIeee754<T>
    {
        long planeSize = p.InH * p.InW;
        for (long plane = 0; plane < p.Images * p.Channels; plane++)
            new Span<T>(image + plane * planeSize, checked((int)planeSize)).Clear();
        ForEachWindowRow(p, w, image, (columnStart, row, columnBase, first, last) =>
        {
            if (row == null) return;
            T* input = columns + columnStart;
            if (w.StrideW == 1)
            {
                var target = new Span<T>(row + columnBase + first, last - first);
                System.Numerics.Tensors.TensorPrimitives.Add(target, new ReadOnlySpan<T>(input + first, last - first), target);
            }
            else for (int ow = first; ow < last; ow++) row[ow * w.StrideW + columnBase] += input[ow];
        });
    }

    private delegate void RowVisitor<T>(long columnStart, T* row, long columnBase, int first, int last) where T : unmanaged;

    // Calls visit(first column entry, input row or null for a padding row, the column offset of
    // the window element, the valid output columns [first, last)) for every output row of every
    // column-matrix row, in the native kernels' order.
    private static void ForEachWindowRow<T>(Planes2d p, Window2d w, T* image, RowVisitor<T> visit) where T : unmanaged
    {
        if (p.OutW > int.MaxValue) throw new ArgumentOutOfRangeException(nameof(p), "The managed im2col supports at most int.MaxValue output columns.");
        long planeSize = p.InH * p.InW, columnsPerRow = p.OutH * p.OutW, groupChannels = p.Channels / p.Groups, rowIndex = 0;
        for (long block = 0; block < p.Images * p.Groups; block++)
        {
            T* groupImage = image + block * groupChannels * planeSize;
            for (long i = 0; i < w.KernelH; i++)
                for (long j = 0; j < w.KernelW; j++)
                {
                    long columnBase = j * w.DilationW - w.PadW;
                    var (first, last) = ValidRange(columnBase, w.StrideW, p.InW, p.OutW);
                    for (long c = 0; c < groupChannels; c++, rowIndex++)
                    {
                        T* source = groupImage + c * planeSize;
                        for (long oh = 0; oh < p.OutH; oh++)
                        {
                            long ih = oh * w.StrideH - w.PadH + i * w.DilationH;
                            long columnStart = rowIndex * columnsPerRow + oh * p.OutW;
                            visit(columnStart, ih < 0 || ih >= p.InH ? null : source + ih * p.InW, columnBase, first, last);
                        }
                    }
                }
        }
    }

    /// <summary>The output positions whose element at position * stride + offset lies inside [0, size).</summary>
    private static (int First, int Last) ValidRange(long offset, long stride, long size, long outputs)
    {
        long first = offset >= 0 ? 0 : (-offset + stride - 1) / stride;
        long remaining = size - offset;
        long last = Math.Min(remaining <= 0 ? 0 : (remaining + stride - 1) / stride, outputs);
        return ((int)Math.Min(first, last), (int)last);
    }
}
