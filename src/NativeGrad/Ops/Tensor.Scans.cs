using System.Numerics;

namespace NativeGrad;

// Products and running sums along a dimension: prod, cumsum, cumprod. Their loops are managed, over
// the storage as outer x length x inner (the lines along the dimension), on both backends: a scan
// carries a dependency from one element to the next, so the native library's vector kernels have
// nothing to add, and each column of `inner` is walked in memory order. Like PyTorch's CPU kernels
// the running value is kept in double for float32 (torch's acc_type), in the input type otherwise.
public sealed unsafe partial class Tensor
{
    /// <summary>The product of all elements (torch.prod); integers and bool give int64 unless <paramref name="dtype"/> says otherwise.</summary>
    public Tensor Prod(DType? dtype = null)
    {
        var resultType = dtype ?? AccumulationType(DType);
        var contiguous = CastRaw(resultType).ContiguousRaw();
        var flat = contiguous.View([NumElements], [1], contiguous.offset);
        var result = AccumulateRaw(flat, 0, product: true, scan: false, reverse: false).View([], [], 0);
        return RecordIfFloating(result, Derivatives.Prod, new OpArgs());
    }

    /// <summary>The product along <paramref name="dim"/> (torch.prod(dim)).</summary>
    public Tensor Prod(int dim, bool keepDim = false, DType? dtype = null)
    {
        int d = ShapeMath.WrapDim(dim, Dim);
        var resultType = dtype ?? AccumulationType(DType);
        var lines = CastRaw(resultType).ContiguousRaw();
        var result = Dim == 0 ? lines : AccumulateRaw(lines, d, product: true, scan: false, reverse: false);
        if (Dim > 0 && keepDim) result = result.Unsqueeze(d);
        return RecordIfFloating(result, Derivatives.ProdDim, new OpArgs { Dims = [d], KeepDim = keepDim });
    }

    /// <summary>Running sums along <paramref name="dim"/> (torch.cumsum); integers and bool give int64 unless <paramref name="dtype"/> says otherwise.</summary>
    public Tensor Cumsum(int dim, DType? dtype = null) => Scan(dim, dtype, product: false, "cumsum", Derivatives.Cumsum);

    /// <summary>Running products along <paramref name="dim"/> (torch.cumprod).</summary>
    public Tensor Cumprod(int dim, DType? dtype = null) => Scan(dim, dtype, product: true, "cumprod", Derivatives.Cumprod);

    private Tensor Scan(int dim, DType? dtype, bool product, string name, Derivative derivative)
    {
        int d = ShapeMath.WrapDim(dim, Dim);
        var resultType = dtype ?? AccumulationType(DType);
        if (resultType == DType.Bool) throw new NotSupportedException($"\"{name}_out_cpu\" not implemented for 'Bool'");
        var result = ScanRaw(CastRaw(resultType), d, product, reverse: false);
        return RecordIfFloating(result, derivative, new OpArgs { Dims = [d] });
    }

    /// <summary>Running sums from the end of <paramref name="dim"/> backwards: cumsum's gradient (torch's reversed_cumsum).</summary>
    internal Tensor ReversedCumsum(int dim) =>
        Node.Record(ScanRaw(this, dim, product: false, reverse: true), Derivatives.ReversedCumsum, [this], new OpArgs { Dims = [dim] });

    private static DType AccumulationType(DType dtype) => dtype.IsFloatingPoint() ? dtype : DType.Int64;

    private Tensor RecordIfFloating(Tensor result, Derivative derivative, OpArgs args) =>
        result.DType.IsFloatingPoint() ? Node.Record(result, derivative, [this], args) : result;

    internal static Tensor ScanRaw(Tensor x, int dim, bool product, bool reverse)
    {
        var lines = x.ContiguousRaw();
        return x.Dim == 0 ? lines.CopyRaw(x.DType) : AccumulateRaw(lines, dim, product, scan: true, reverse);
    }

    /// <summary>outer x length x inner, the lines along <paramref name="dim"/> of a contiguous tensor of <paramref name="shape"/>.</summary>
    internal static (long Outer, long Length, long Inner) LinesAlong(long[] shape, int dim)
    {
        long outer = 1, inner = 1;
        for (int d = 0; d < dim; d++) outer *= shape[d];
        for (int d = dim + 1; d < shape.Length; d++) inner *= shape[d];
        return (outer, shape.Length == 0 ? 1 : shape[dim], inner);
    }

    // Sums or multiplies the lines along dim of a contiguous float or int64 tensor: every running
    // value when scanning (same shape), else the last one (dim removed).
    private static Tensor AccumulateRaw(Tensor lines, int dim, bool product, bool scan, bool reverse)
    {
        var (outer, length, inner) = LinesAlong(lines.shape, dim);
        var result = Empty(scan ? lines.shape : lines.shape.Where((_, d) => d != dim).ToArray(), lines.DType);
        using var source = lines.Lease();
        using var destination = result.Lease();
        var geometry = new Lines(outer, length, inner, product, scan, reverse);
        fixed (byte* sourcePtr = source, destinationPtr = destination)
            switch (lines.DType)
            {
                case DType.Float32: Accumulate<float, double>((float*)sourcePtr, (float*)destinationPtr, geometry); break;
                case DType.Float64: Accumulate<double, double>((double*)sourcePtr, (double*)destinationPtr, geometry); break;
                default: Accumulate<long, long>((long*)sourcePtr, (long*)destinationPtr, geometry); break;
            }
        return result;
    }

    private readonly record struct Lines(long Outer, long Length, long Inner, bool Product, bool Scan, bool Reverse);

    private static void Accumulate<T, TAcc>(T* x, T* y, Lines lines)
        where T : unmanaged, INumberBase<T> where TAcc : unmanaged, INumberBase<TAcc>
    {
        var (outer, length, inner) = (lines.Outer, lines.Length, lines.Inner);
        var running = new TAcc[inner];
        for (long o = 0; o < outer; o++)
        {
            Array.Fill(running, lines.Product ? TAcc.One : TAcc.Zero);
            for (long step = 0; step < length; step++)
            {
                long k = lines.Reverse ? length - 1 - step : step;
                T* line = x + (o * length + k) * inner;
                for (long i = 0; i < inner; i++)
                {
                    var value = TAcc.CreateTruncating(line[i]);
                    running[i] = lines.Product ? running[i] * value : running[i] + value;
                }
                if (lines.Scan)
                    for (long i = 0; i < inner; i++)
                        y[(o * length + k) * inner + i] = T.CreateTruncating(running[i]);
            }
            if (!lines.Scan)
                for (long i = 0; i < inner; i++)
                    y[o * inner + i] = T.CreateTruncating(running[i]);
        }
    }
}
