using NativeGrad.Backends;

namespace NativeGrad;

// Reductions over all elements or given dimensions. Composite statistics (var, norm, logsumexp)
// compute their forward from primitives without recording, then record one node with PyTorch's
// name and a rule of its own, as PyTorch does.
public sealed partial class Tensor
{
    private int[] AllDims => Enumerable.Range(0, Dim).ToArray();

    private int[] WrapDims(long[] dims)
    {
        var wrapped = dims.Select(d => ShapeMath.WrapDim(d, Dim)).ToArray();
        if (wrapped.Distinct().Count() != wrapped.Length)
            throw new ArgumentException($"dim {wrapped.GroupBy(d => d).First(g => g.Count() > 1).Key} appears multiple times in the list of dims");
        return Dim == 0 ? [] : wrapped;
    }

    private static DType SumType(DType dtype) => dtype == DType.Bool ? DType.Int64 : dtype;

    /// <summary>The sum of all elements (a 0-dim tensor).</summary>
    public Tensor Sum() =>
        Node.Record(ReduceRaw(ReduceOp.Sum, this, AllDims, false, false, SumType(DType)).Values, Derivatives.Sum, [this]);

    /// <summary>Sums over <paramref name="dims"/>; <paramref name="keepDim"/> keeps them with size 1.</summary>
    public Tensor Sum(long[] dims, bool keepDim = false)
    {
        var wrapped = WrapDims(dims);
        var result = ReduceRaw(ReduceOp.Sum, this, wrapped, keepDim, false, SumType(DType)).Values;
        return Node.Record(result, Derivatives.SumDims, [this], new OpArgs { Dims = ToLongs(wrapped), KeepDim = keepDim });
    }

    /// <summary>Sums over one dimension.</summary>
    public Tensor Sum(int dim, bool keepDim = false) => Sum([dim], keepDim);

    /// <summary>The mean of all elements.</summary>
    public Tensor Mean()
    {
        RequireFloatingForMean();
        Tensor result;
        using (GradMode.Set(false)) result = Sum() / (double)NumElements;
        return Node.Record(result, Derivatives.Mean, [this]);
    }

    /// <summary>Means over <paramref name="dims"/>.</summary>
    public Tensor Mean(long[] dims, bool keepDim = false)
    {
        RequireFloatingForMean();
        var wrapped = WrapDims(dims);
        long count = wrapped.Aggregate(1L, (n, d) => n * shape[d]);
        Tensor result;
        using (GradMode.Set(false)) result = Sum(dims, keepDim) / (double)count;
        return Node.Record(result, Derivatives.MeanDims, [this], new OpArgs { Dims = ToLongs(wrapped), KeepDim = keepDim, Scalar = count });
    }

    /// <summary>Means over one dimension.</summary>
    public Tensor Mean(int dim, bool keepDim = false) => Mean([dim], keepDim);

    private void RequireFloatingForMean()
    {
        if (!DType.IsFloatingPoint())
            throw new ArgumentException($"mean(): could not infer output dtype. Input dtype must be either a floating point or complex dtype. Got: {DType.ScalarTypeName()}");
    }

    /// <summary>The largest element (NaN if any is NaN).</summary>
    public Tensor Max() => Node.Record(ExtremeAll(ReduceOp.Max), Derivatives.MaxAll, [this]);

    /// <summary>The smallest element (NaN if any is NaN).</summary>
    public Tensor Min() => Node.Record(ExtremeAll(ReduceOp.Min), Derivatives.MinAll, [this]);

    private Tensor ExtremeAll(ReduceOp op)
    {
        if (NumElements == 0)
            throw new ArgumentException($"{op.ToString().ToLowerInvariant()}(): Expected reduction dim to be specified for input.numel() == 0. Specify the reduction dim with the 'dim' argument.");
        return ReduceRaw(op, this, AllDims, false, false, DType).Values;
    }

    /// <summary>The largest elements along <paramref name="dim"/> and their positions (torch.max(dim)).</summary>
    public (Tensor Values, Tensor Indices) Max(int dim, bool keepDim = false) => ExtremeAlong(ReduceOp.Max, dim, keepDim, Derivatives.MaxDim);

    /// <summary>The smallest elements along <paramref name="dim"/> and their positions (torch.min(dim)).</summary>
    public (Tensor Values, Tensor Indices) Min(int dim, bool keepDim = false) => ExtremeAlong(ReduceOp.Min, dim, keepDim, Derivatives.MinDim);

    private (Tensor, Tensor) ExtremeAlong(ReduceOp op, int dim, bool keepDim, Derivative derivative)
    {
        int d = ShapeMath.WrapDim(dim, Dim);
        RequireNonEmptyDims(op.ToString().ToLowerInvariant(), [d]);
        var (values, indices) = ReduceRaw(op, this, Dim == 0 ? [] : [d], keepDim, true, DType);
        Node.Record(values, derivative, [this], new OpArgs { Dims = [d], KeepDim = keepDim, Index = indices });
        return (values, indices!);
    }

    /// <summary>The largest elements over <paramref name="dims"/> (all when null or empty), torch.amax: ties share the gradient evenly.</summary>
    public Tensor Amax(long[]? dims = null, bool keepDim = false) => ExtremeOver("amax", ReduceOp.Max, dims, keepDim, Derivatives.Amax);

    /// <summary>The largest elements along one dimension (torch.amax(dim)).</summary>
    public Tensor Amax(int dim, bool keepDim = false) => Amax([dim], keepDim);

    /// <summary>The smallest elements over <paramref name="dims"/> (all when null or empty), torch.amin.</summary>
    public Tensor Amin(long[]? dims = null, bool keepDim = false) => ExtremeOver("amin", ReduceOp.Min, dims, keepDim, Derivatives.Amin);

    /// <summary>The smallest elements along one dimension (torch.amin(dim)).</summary>
    public Tensor Amin(int dim, bool keepDim = false) => Amin([dim], keepDim);

    private Tensor ExtremeOver(string name, ReduceOp op, long[]? dims, bool keepDim, Derivative derivative)
    {
        bool all = dims is null || dims.Length == 0;
        var wrapped = all ? AllDims : WrapDims(dims!);
        if (all && NumElements == 0)
            throw new ArgumentException($"{name}(): Expected reduction dim to be specified for input.numel() == 0. Specify the reduction dim with the 'dim' argument.");
        RequireNonEmptyDims(name, wrapped);
        var computeType = DType == DType.Bool ? DType.Int64 : DType;
        var result = ReduceRaw(op, this, wrapped, keepDim, false, computeType).Values.CastRaw(DType);
        return Node.Record(result, derivative, [this], new OpArgs { Dims = ToLongs(wrapped), KeepDim = keepDim });
    }

    /// <summary>The position of the largest element along <paramref name="dim"/> (the first one of ties; a NaN wins).</summary>
    public Tensor ArgMax(int dim, bool keepDim = false) => ArgExtremeAlong("argmax", ReduceOp.Max, dim, keepDim);

    /// <summary>The position of the smallest element along <paramref name="dim"/> (the first one of ties; a NaN wins).</summary>
    public Tensor ArgMin(int dim, bool keepDim = false) => ArgExtremeAlong("argmin", ReduceOp.Min, dim, keepDim);

    /// <summary>The position of the largest element in the flattened tensor (torch.argmax()).</summary>
    public Tensor ArgMax() => ArgExtremeAll("argmax", ReduceOp.Max);

    /// <summary>The position of the smallest element in the flattened tensor (torch.argmin()).</summary>
    public Tensor ArgMin() => ArgExtremeAll("argmin", ReduceOp.Min);

    private Tensor ArgExtremeAlong(string name, ReduceOp op, int dim, bool keepDim)
    {
        RequireOrderedForArgExtreme(name);
        int d = ShapeMath.WrapDim(dim, Dim);
        RequireNonEmptyDims(name, [d]);
        return ReduceRaw(op, this, Dim == 0 ? [] : [d], keepDim, true, DType).Indices!;
    }

    private Tensor ArgExtremeAll(string name, ReduceOp op)
    {
        RequireOrderedForArgExtreme(name);
        if (NumElements == 0)
            throw new ArgumentOutOfRangeException(null, $"{name}(): Expected reduction dim to be specified for input.numel() == 0.");
        var contiguous = ContiguousRaw();
        var flat = contiguous.View([NumElements], [1], contiguous.offset);
        return ReduceRaw(op, flat, [0], false, true, DType).Indices!;
    }

    private void RequireOrderedForArgExtreme(string name)
    {
        if (DType == DType.Bool) throw new NotSupportedException($"\"{name}_cpu\" not implemented for 'Bool'");
    }

    /// <summary>
    /// The standard deviation over <paramref name="dims"/> (all when null or empty), with Bessel's
    /// correction when <paramref name="unbiased"/> (torch.std). Computed in float64 and rounded
    /// once, as PyTorch's CPU kernel accumulates float32 in double.
    /// </summary>
    public Tensor Std(long[]? dims = null, bool unbiased = true, bool keepDim = false)
    {
        if (!DType.IsFloatingPoint()) throw new ArgumentException("std and var only support floating point and complex dtypes");
        var wrapped = dims is null || dims.Length == 0 ? AllDims : WrapDims(dims);
        long count = wrapped.Aggregate(1L, (n, d) => n * shape[d]);
        double divisor = Math.Max(0, count - (unbiased ? 1 : 0));
        Tensor result;
        using (GradMode.Set(false)) result = CastRaw(DType.Float64).Var(ToLongs(wrapped), unbiased, keepDim).Sqrt().CastRaw(DType);
        return Node.Record(result, Derivatives.Std, [this], new OpArgs { Dims = ToLongs(wrapped), KeepDim = keepDim, Scalar = divisor });
    }

    /// <summary>The standard deviation along one dimension.</summary>
    public Tensor Std(int dim, bool unbiased = true, bool keepDim = false) => Std([dim], unbiased, keepDim);

    /// <summary>
    /// Whether any element is non-zero (NaN counts), as a 0-dim bool tensor (torch's any()), so
    /// <c>if (mask.Any())</c> reads as in Python. Being an instance method, it is what
    /// <c>x.Any()</c> calls: LINQ's Enumerable.Any (true for every tensor with a row) never answers.
    /// </summary>
    public Tensor Any() => CountMatching(nonZero: true, AllDims, keepDim: false) > 0L;

    /// <summary>Whether any element along <paramref name="dim"/> is non-zero, as a bool tensor.</summary>
    public Tensor Any(int dim, bool keepDim = false) => CountMatching(nonZero: true, WrapDims([dim]), keepDim) > 0L;

    /// <summary>Whether every element is non-zero (true for no elements), as a 0-dim bool tensor (torch's all()).</summary>
    public Tensor All() => CountMatching(nonZero: false, AllDims, keepDim: false) == 0L;

    /// <summary>Whether every element along <paramref name="dim"/> is non-zero, as a bool tensor.</summary>
    public Tensor All(int dim, bool keepDim = false) => CountMatching(nonZero: false, WrapDims([dim]), keepDim) == 0L;

    // How many elements are non-zero (or zero) over dims, as int64; comparisons record nothing.
    private Tensor CountMatching(bool nonZero, int[] dims, bool keepDim) =>
        ReduceRaw(ReduceOp.Sum, nonZero ? this != 0L : this == 0L, dims, keepDim, false, DType.Int64).Values;

    /// <summary>The 2-norm of all elements, sqrt(sum(x^2)).</summary>
    public Tensor Norm()
    {
        if (!DType.IsFloatingPoint())
            throw new ArgumentException($"norm(): input dtype should be either floating point or complex. Got {DType.ScalarTypeName()} instead.");
        Tensor result;
        using (GradMode.Set(false)) result = (this * this).Sum().Sqrt();
        return Node.Record(result, Derivatives.Norm, [this]);
    }

    /// <summary>The variance over <paramref name="dims"/> (all when null), with Bessel's correction when <paramref name="unbiased"/>.</summary>
    public Tensor Var(long[]? dims = null, bool unbiased = true, bool keepDim = false)
    {
        var wrapped = dims is null ? AllDims : WrapDims(dims);
        long count = wrapped.Aggregate(1L, (n, d) => n * shape[d]);
        double divisor = Math.Max(0, count - (unbiased ? 1 : 0));
        Tensor result;
        using (GradMode.Set(false))
        {
            var centered = this - Mean(ToLongs(wrapped), keepDim: true);
            result = (centered * centered).Sum(ToLongs(wrapped), keepDim) / divisor;
        }
        return Node.Record(result, Derivatives.Var, [this], new OpArgs { Dims = ToLongs(wrapped), KeepDim = keepDim, Scalar = divisor });
    }

    /// <summary>The variance over one dimension.</summary>
    public Tensor Var(int dim, bool unbiased = true, bool keepDim = false) => Var([dim], unbiased, keepDim);

    /// <summary>log(sum(exp(x))) over <paramref name="dims"/>, computed stably.</summary>
    public Tensor LogSumExp(long[] dims, bool keepDim = false)
    {
        var wrapped = WrapDims(dims);
        Tensor result;
        using (GradMode.Set(false))
        {
            // An empty reduction has no maximum to shift by: its sum of exps is 0, and its result
            // -inf, as in PyTorch.
            bool empty = wrapped.Any(d => shape[d] == 0);
            var max = wrapped.Length == 0 || empty ? this : ReduceRaw(ReduceOp.Max, this, wrapped, true, false, TypePromotion.ToFloating(DType)).Values;
            // An infinite maximum would give inf - inf = NaN; shifting by 0 there is exact.
            var shift = empty ? Scalar(0, TypePromotion.ToFloating(DType)) : Where(max.Abs() == double.PositiveInfinity, 0.0, max);
            var summed = (this - shift).Exp().Sum(ToLongs(wrapped), keepDim: true).Log() + shift;
            result = keepDim ? summed : summed.Reshape(wrapped.Length == 0 ? [.. shape] : shape.Where((_, d) => !wrapped.Contains(d)).ToArray());
        }
        return Node.Record(result, Derivatives.LogSumExp, [this], new OpArgs { Dims = ToLongs(wrapped), KeepDim = keepDim });
    }

    /// <summary>log(sum(exp(x))) over one dimension.</summary>
    public Tensor LogSumExp(int dim, bool keepDim = false) => LogSumExp([dim], keepDim);

    private static long[] ToLongs(int[] dims) => dims.Select(d => (long)d).ToArray();

    /// <summary>Re-inserts reduced dimensions (size 1) into a gradient so it broadcasts against the input.</summary>
    internal static Tensor UnsqueezeReduced(Tensor grad, long[] dims, bool keepDim)
    {
        if (keepDim) return grad;
        foreach (var d in dims.Order()) grad = grad.Unsqueeze((int)d);
        return grad;
    }
}
