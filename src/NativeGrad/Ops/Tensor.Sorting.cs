using System.Numerics;

namespace NativeGrad;

// Sorting and selection along a dimension: sort, argsort, topk, median, and the gathers and
// scatters along lines that their backward rules are made of. The loops are managed, over the
// storage as outer x length x inner (see LinesAlong), on both backends: a comparison sort gains
// nothing from the native library's vector kernels.
//
// NaN sorts above every number, as in PyTorch. stable=True keeps ties in their order; otherwise,
// as PyTorch's CPU kernels do, sort runs std::sort and topk std::partial_sort or std::nth_element
// (LibstdcxxAlgorithms.cs), so that the order among equal keys, and topk(sorted=False)'s order,
// are PyTorch's own.
public sealed unsafe partial class Tensor
{
    /// <summary>
    /// The elements sorted along <paramref name="dim"/> and their original positions (torch.sort).
    /// With <paramref name="stable"/> true ties keep their order; otherwise they come in the order
    /// PyTorch's CPU sort (libstdc++'s std::sort) leaves them. As in PyTorch, passing
    /// <paramref name="stable"/> at all selects the sort.stable overload, whose node is SortBackward1.
    /// </summary>
    public (Tensor Values, Tensor Indices) Sort(int dim = -1, bool descending = false, bool? stable = null)
    {
        int d = ShapeMath.WrapDim(dim, Dim);
        var (values, indices) = SortRaw(this, d, descending, stable == true ? LineOrder.Stable : LineOrder.Unstable);
        Node.Record(values, stable is null ? Derivatives.Sort : Derivatives.SortStable, [this], new OpArgs { Dims = [d], KeepDim = true, Index = indices });
        return (values, indices);
    }

    /// <summary>The positions that sort the elements along <paramref name="dim"/> (torch.argsort); ties as in <see cref="Sort"/>.</summary>
    public Tensor Argsort(int dim = -1, bool descending = false, bool stable = false) =>
        SortRaw(this, ShapeMath.WrapDim(dim, Dim), descending, stable ? LineOrder.Stable : LineOrder.Unstable).Indices;

    /// <summary>
    /// The <paramref name="k"/> largest (or, unless <paramref name="largest"/>, smallest) elements
    /// along <paramref name="dim"/> and their positions (torch.topk). PyTorch documents only the
    /// set when <paramref name="sorted"/> is false; its CPU kernel's order is deterministic (for k
    /// of at least a 64th of the line, std::nth_element's order, else sorted), and is the order
    /// here, as is its order among equal values.
    /// </summary>
    public (Tensor Values, Tensor Indices) TopK(long k, int dim = -1, bool largest = true, bool sorted = true)
    {
        int d = ShapeMath.WrapDim(dim, Dim);
        if (k < 0 || k > (Dim == 0 ? 1 : shape[d])) throw new ArgumentException("selected index k out of range");
        var (values, indices) = SortRaw(this, d, descending: largest, sorted ? LineOrder.TopK : LineOrder.TopKUnsorted, k);
        if (Dim > 0)
        {
            values = values.View(WithSize(values.shape, d, k), values.strides, 0).ContiguousRaw();
            indices = indices.View(WithSize(indices.shape, d, k), indices.strides, 0).ContiguousRaw();
        }
        Node.Record(values, Derivatives.TopK, [this], new OpArgs { Dims = [d], KeepDim = true, Index = indices });
        return (values, indices);
    }

    /// <summary>The lower median of all elements (torch.median()): NaN when any element is NaN or there are none.</summary>
    public Tensor Median()
    {
        RequireSortableForMedian("median_cpu");
        Tensor result;
        if (NumElements == 0) result = Full([], double.NaN, DType);
        else
        {
            var contiguous = ContiguousRaw();
            result = MedianRaw(contiguous.View([NumElements], [1], contiguous.offset), 0, keepDim: false).Values;
        }
        return Node.Record(result, Derivatives.Median, [this]);
    }

    /// <summary>
    /// The lower median along <paramref name="dim"/> and its position (torch.median(dim)); a line
    /// holding NaN gives NaN at its first NaN. Of equal medians, the position is the one a stable
    /// sort puts in the middle.
    /// </summary>
    public (Tensor Values, Tensor Indices) Median(int dim, bool keepDim = false)
    {
        RequireSortableForMedian("median_out");
        int d = ShapeMath.WrapDim(dim, Dim);
        RequireNonEmptyDims("median", [d]);
        var (values, indices) = MedianRaw(this, d, keepDim);
        Node.Record(values, Derivatives.MedianDim, [this], new OpArgs { Dims = [d], KeepDim = keepDim, Index = indices });
        return (values, indices);
    }

    private void RequireSortableForMedian(string kernel)
    {
        if (DType == DType.Bool) throw new NotSupportedException($"\"{kernel}\" not implemented for 'Bool'");
    }

    /// <summary>PyTorch's check before reducing named dimensions: none of them may be empty.</summary>
    private void RequireNonEmptyDims(string op, int[] dims)
    {
        if (Dim == 0) return;
        foreach (var d in dims)
            if (shape[d] == 0)
                throw new ArgumentOutOfRangeException(null, $"{op}(): Expected reduction dim {d} to have non-zero size.");
    }

    private static long[] WithSize(long[] shape, int dim, long size)
    {
        var result = (long[])shape.Clone();
        result[dim] = size;
        return result;
    }

    private static (Tensor Values, Tensor Indices) MedianRaw(Tensor x, int dim, bool keepDim)
    {
        var (sortedValues, sortedIndices) = SortRaw(x, dim, descending: false, LineOrder.Stable);
        if (x.Dim == 0) return (sortedValues, sortedIndices);
        long length = x.shape[dim];
        var reducedShape = keepDim ? WithSize(x.shape, dim, 1) : x.shape.Where((_, d) => d != dim).ToArray();
        if (length == 0) return (Empty(reducedShape, x.DType), Empty(reducedShape, DType.Int64));
        // NaNs sort last; a line holding any gives its first one, else the lower middle element.
        var same = sortedValues;
        var nanCount = (sortedValues != same).Sum([dim], keepDim: true); // NaN is the one value unequal to itself
        var position = Where(nanCount > 0L, length - nanCount, FullLike(nanCount, (length - 1) / 2));
        var values = GatherRaw(sortedValues, dim, position).ContiguousRaw();
        var indices = GatherRaw(sortedIndices, dim, position).ContiguousRaw();
        return (values.View(reducedShape, ShapeMath.ContiguousStrides(reducedShape), 0),
                indices.View(reducedShape, ShapeMath.ContiguousStrides(reducedShape), 0));
    }

    /// <summary>How each line is put in order: stably, or by the algorithm PyTorch's CPU kernel runs.</summary>
    internal enum LineOrder
    {
        /// <summary>std::stable_sort: equal keys keep their order.</summary>
        Stable,
        /// <summary>std::sort (torch.sort with stable=False).</summary>
        Unstable,
        /// <summary>torch.topk's first k: std::partial_sort when k * 64 &lt;= length, else std::nth_element then std::sort of the first k - 1.</summary>
        TopK,
        /// <summary>topk(sorted=False): the same without the final std::sort.</summary>
        TopKUnsorted,
    }

    /// <summary>
    /// The lines along <paramref name="dim"/> permuted as <paramref name="how"/> says (for topk,
    /// only the first <paramref name="k"/> positions are its result): the values and their
    /// positions, contiguous.
    /// </summary>
    internal static (Tensor Values, Tensor Indices) SortRaw(Tensor x, int dim, bool descending, LineOrder how, long k = 0)
    {
        if (x.DType == DType.Bool)
        {
            var (asIntegers, order) = SortRaw(x.CastRaw(DType.Int64), dim, descending, how, k);
            return (asIntegers.CastRaw(DType.Bool), order);
        }
        var lines = x.ContiguousRaw();
        var values = Empty(x.shape, x.DType);
        var indices = Empty(x.shape, DType.Int64);
        var (outer, length, inner) = LinesAlong(x.shape, dim);
        using var source = lines.Lease();
        using var sortedValues = values.Lease();
        using var positions = indices.Lease();
        var geometry = (outer, length, inner);
        fixed (byte* sourcePtr = source, sortedValuesPtr = sortedValues, positionsPtr = positions)
            switch (x.DType)
            {
                case DType.Float32: SortLines((float*)sourcePtr, (float*)sortedValuesPtr, (long*)positionsPtr, geometry, descending, how, k); break;
                case DType.Float64: SortLines((double*)sourcePtr, (double*)sortedValuesPtr, (long*)positionsPtr, geometry, descending, how, k); break;
                default: SortLines((long*)sourcePtr, (long*)sortedValuesPtr, (long*)positionsPtr, geometry, descending, how, k); break;
            }
        return (values, indices);
    }

    private static void SortLines<T>(T* x, T* values, long* indices, (long Outer, long Length, long Inner) lines, bool descending, LineOrder how, long topK)
        where T : unmanaged, INumber<T>
    {
        var (outer, length, inner) = lines;
        var line = new T[length];
        var order = new long[length];
        var keys = new KeyOrder<T>(line, descending);
        // A total order, ties broken by position: the unstable Array.Sort then sorts stably.
        Comparison<long> compare = descending
            ? (a, b) => Ascending(line[b], line[a]) is var c && c != 0 ? c : a.CompareTo(b)
            : (a, b) => Ascending(line[a], line[b]) is var c && c != 0 ? c : a.CompareTo(b);
        for (long o = 0; o < outer; o++)
            for (long i = 0; i < inner; i++)
            {
                long start = o * length * inner + i;
                for (long k = 0; k < length; k++)
                {
                    line[k] = x[start + k * inner];
                    order[k] = k;
                }
                switch (how)
                {
                    case LineOrder.Stable: Array.Sort(order, compare); break;
                    case LineOrder.Unstable: LibstdcxxAlgorithms.Sort<KeyOrder<T>>(order, keys); break;
                    default: TopKOrder(order, (int)topK, keys, sorted: how == LineOrder.TopK); break;
                }
                for (long k = 0; k < length; k++)
                {
                    values[start + k * inner] = line[order[k]];
                    indices[start + k * inner] = order[k];
                }
            }
    }

    // torch's topk_impl_loop: a partial sort for small k, else a selection, sorted when asked.
    private static void TopKOrder<T>(long[] order, int k, KeyOrder<T> keys, bool sorted) where T : unmanaged, INumber<T>
    {
        if (k == 0) return;
        if ((long)k * 64 <= order.LongLength) LibstdcxxAlgorithms.PartialSort<KeyOrder<T>>(order, k, keys);
        else
        {
            LibstdcxxAlgorithms.NthElement<KeyOrder<T>>(order, k - 1, keys);
            if (sorted) LibstdcxxAlgorithms.Sort<KeyOrder<T>>(order.AsSpan(0, k - 1), keys);
        }
    }

    // torch's KeyValueCompAsc / KeyValueCompDesc on the line's values: NaN above every number.
    private readonly struct KeyOrder<T>(T[] line, bool descending) : IPositionOrder where T : unmanaged, INumber<T>
    {
        public bool Less(long a, long b)
        {
            T x = line[a], y = line[b];
            return descending
                ? (T.IsNaN(x) && !T.IsNaN(y)) || x > y
                : (!T.IsNaN(x) && T.IsNaN(y)) || x < y;
        }
    }

    // NaN above everything, equal to itself.
    private static int Ascending<T>(T a, T b) where T : INumber<T>
    {
        bool aNaN = T.IsNaN(a), bNaN = T.IsNaN(b);
        if (aNaN || bNaN) return aNaN == bNaN ? 0 : aNaN ? 1 : -1;
        return a < b ? -1 : a > b ? 1 : 0;
    }

    // index has x's rank and its sizes off dim; positions are in range (the callers made them).
    private static Tensor GatherRaw(Tensor x, int dim, Tensor index)
    {
        var source = x.ContiguousRaw();
        var positions = index.ContiguousRaw();
        var result = Empty(index.shape, x.DType);
        if (result.NumElements == 0) return result;
        if (x.Dim == 0)
        {
            result.CopyFromRaw(x);
            return result;
        }
        var (outer, length, inner) = LinesAlong(x.shape, dim);
        long picked = index.shape[dim];
        using var from = source.Lease();
        using var at = positions.Lease();
        using var to = result.Lease();
        fixed (byte* fromPtr = from, atPtr = at, toPtr = to)
            switch (x.DType.SizeOf())
            {
                case 1: Gather((byte*)fromPtr, (long*)atPtr, (byte*)toPtr, outer, length, picked, inner); break;
                case 4: Gather((int*)fromPtr, (long*)atPtr, (int*)toPtr, outer, length, picked, inner); break;
                default: Gather((long*)fromPtr, (long*)atPtr, (long*)toPtr, outer, length, picked, inner); break;
            }
        return result;

        static void Gather<T>(T* x, long* index, T* y, long outer, long length, long picked, long inner) where T : unmanaged
        {
            for (long o = 0, j = 0; o < outer; o++)
                for (long k = 0; k < picked; k++)
                    for (long i = 0; i < inner; i++, j++)
                        y[j] = x[(o * length + index[j]) * inner + i];
        }
    }
}
