namespace NativeGrad;

// The derivative table, continued (see Derivatives.cs): reductions, scans, sorting, linear algebra.
internal static partial class Derivatives
{
    // ---- reductions ------------------------------------------------------------------------------
    public static readonly Derivative Sum = new("SumBackward0", Save.Nothing, (n, g) => g.Expand(InShape(n)))
        { Forward = [(f, t) => t.Sum()] };
    public static readonly Derivative SumDims = new("SumBackward1", Save.Nothing,
        (n, g) => Tensor.UnsqueezeReduced(g, n.Args.Dims!, n.Args.KeepDim).Expand(InShape(n)))
        { Forward = [(f, t) => t.Sum(f.Args.Dims!, f.Args.KeepDim)] };
    public static readonly Derivative Mean = new("MeanBackward0", Save.Nothing,
        (n, g) => g.Expand(InShape(n)) / (double)ShapeMath.Product(InShape(n))) { Forward = [(f, t) => t.Mean()] };
    public static readonly Derivative MeanDims = new("MeanBackward1", Save.Nothing,
        (n, g) => Tensor.UnsqueezeReduced(g, n.Args.Dims!, n.Args.KeepDim).Expand(InShape(n)) / n.Args.Scalar)
        { Forward = [(f, t) => t.Sum(f.Args.Dims!, f.Args.KeepDim) / f.Args.Scalar] };
    // The gradient of a full max/min is shared evenly between the elements that attain it.
    public static readonly Derivative MaxAll = new("MaxBackward1", Save.Input0 | Save.Output, EvenlyDistribute) { Forward = [EvenlyRead] };
    public static readonly Derivative MinAll = new("MinBackward1", Save.Input0 | Save.Output, EvenlyDistribute) { Forward = [EvenlyRead] };
    public static readonly Derivative MaxDim = new("MaxBackward0", Save.Nothing, SelectedByIndices) { Forward = [GatheredAtIndices] };
    public static readonly Derivative MinDim = new("MinBackward0", Save.Nothing, SelectedByIndices) { Forward = [GatheredAtIndices] };
    public static readonly Derivative Norm = new("NormBackward1", Save.Input0 | Save.Output,
        (n, g) => n.Input(0) * Tensor.Where(n.Output == 0.0, 0.0, g / n.Output))
        { Forward = [(f, t) => Tensor.Where(f.Output == 0.0, 0.0, (f.Input(0) * t).Sum() / f.Output)] };
    public static readonly Derivative Var = new("VarBackward0", Save.Input0, (n, g) =>
    {
        return Tensor.UnsqueezeReduced(g, n.Args.Dims!, n.Args.KeepDim) * Centered(n.Input(0), n.Args.Dims!) * (2 / n.Args.Scalar);
    }) { Forward = [(f, t) => ReducedLike(f, Centered(f.Input(0), f.Args.Dims!) * t) * (2 / f.Args.Scalar)] };
    public static readonly Derivative LogSumExp = new("LogsumexpBackward0", Save.Input0 | Save.Output, (n, g) =>
        Tensor.UnsqueezeReduced(g, n.Args.Dims!, n.Args.KeepDim)
        * (n.Input(0) - Tensor.UnsqueezeReduced(n.Output, n.Args.Dims!, n.Args.KeepDim)).Exp())
        { Forward = [(f, t) => ReducedLike(f, t * (f.Input(0) - Tensor.UnsqueezeReduced(f.Output, f.Args.Dims!, f.Args.KeepDim)).Exp())] };

    public static readonly Derivative Amax = new("AmaxBackward0", Save.Input0 | Save.Output, SharedAmongExtremes)
        { Forward = [SharedAmongExtremesTangent] };
    public static readonly Derivative Amin = new("AminBackward0", Save.Input0 | Save.Output, SharedAmongExtremes)
        { Forward = [SharedAmongExtremesTangent] };
    // d std = d var / (2 std), and 0 where the deviation is 0 (PyTorch's std_backward).
    public static readonly Derivative Std = new("StdBackward0", Save.Input0 | Save.Output, (n, g) =>
    {
        var (x, dims) = (n.Input(0), n.Args.Dims!);
        var std = Tensor.UnsqueezeReduced(n.Output, dims, n.Args.KeepDim);
        var scaled = Tensor.Where(std == 0.0, 0.0, Tensor.UnsqueezeReduced(g, dims, n.Args.KeepDim) / std);
        return scaled * Centered(x, dims) / n.Args.Scalar;
    })
        {
            Forward =
            [
                (f, t) => Tensor.Where(f.Output == 0.0, 0.0, ReducedLike(f, Centered(f.Input(0), f.Args.Dims!) * t)
                                                         / (f.Args.Scalar * f.Output)),
            ],
        };
    public static readonly Derivative Median = new("MedianBackward0", Save.Input0 | Save.Output, EvenlyDistribute)
        { Forward = [EvenlyRead] };

    // ---- products, scans, sorting and selection (Ops/Tensor.Scans.cs, Tensor.Sorting.cs) ------------
    // PyTorch's prod_backward: grad * prod / x while no element is 0; otherwise each element gets the
    // product of the others, from running products on either side of it, exact at any number of zeros.
    public static readonly Derivative Prod = new("ProdBackward0", Save.Input0 | Save.Output, (n, g) =>
    {
        var x = n.Input(0);
        if (x.Dim == 0) return g;
        return g * ProductOfOthersOrQuotient(x.Reshape(-1), n.Output, 0).Reshape(InShape(n));
    })
        {
            Forward =
            [
                (f, t) => f.Input(0).Dim == 0 ? t
                    : (t * ProductOfOthersOrQuotient(f.Input(0).Reshape(-1), f.Output, 0).Reshape(f.Input(0).shape)).Sum(),
            ],
        };
    public static readonly Derivative ProdDim = new("ProdBackward1", Save.Input0 | Save.Output, (n, g) =>
    {
        var x = n.Input(0);
        if (x.Dim == 0) return g;
        var (dims, keepDim) = (n.Args.Dims!, n.Args.KeepDim);
        var grad = Tensor.UnsqueezeReduced(g, dims, keepDim);
        return grad * ProductOfOthersOrQuotient(x, Tensor.UnsqueezeReduced(n.Output, dims, keepDim), (int)dims[0]);
    })
        {
            Forward =
            [
                (f, t) => f.Input(0).Dim == 0 ? t
                    : ReducedLike(f, t * ProductOfOthersOrQuotient(f.Input(0), Tensor.UnsqueezeReduced(f.Output, f.Args.Dims!, f.Args.KeepDim),
                                                                   (int)f.Args.Dims![0])),
            ],
        };
    public static readonly Derivative Cumsum = new("CumsumBackward0", Save.Nothing, (n, g) => g.ReversedCumsum((int)n.Args.Dims![0]))
        { Forward = [(f, t) => t.Cumsum((int)f.Args.Dims![0])] };
    // cumsum's gradient, sums from the end; its own gradient is cumsum again.
    public static readonly Derivative ReversedCumsum = new("CumsumBackward0", Save.Nothing, (n, g) => g.Cumsum((int)n.Args.Dims![0]))
        { Forward = [(f, t) => t.ReversedCumsum((int)f.Args.Dims![0])] };
    // d y_j / d x_k = y_j / x_k for j >= k while no element is 0 (PyTorch's cumprod_backward).
    public static readonly Derivative Cumprod = new("CumprodBackward0", Save.Input0 | Save.Output, (n, g) =>
    {
        var x = n.Input(0);
        int dim = (int)n.Args.Dims![0];
        if (x.Dim == 0) return g;
        if (!HasZero(x)) return (g * n.Output).ReversedCumsum(dim) / x;
        return (CumprodPartials(x, dim) * g.Transpose(dim, -1).Unsqueeze(-2)).Sum(-1).Transpose(dim, -1);
    }) { Forward = [CumprodTangent] };
    public static readonly Derivative Sort = new("SortBackward0", Save.Nothing, ScatteredToIndices) { Forward = [GatheredAtIndices] };
    public static readonly Derivative SortStable = new("SortBackward1", Save.Nothing, ScatteredToIndices) { Forward = [GatheredAtIndices] };
    public static readonly Derivative TopK = new("TopkBackward0", Save.Nothing, ScatteredToIndices) { Forward = [GatheredAtIndices] };
    public static readonly Derivative MedianDim = new("MedianBackward1", Save.Nothing, ScatteredToIndices)
        { Forward = [GatheredAtIndices] };

    private static bool HasZero(Tensor x) => (x == 0.0).Sum().Item<long>() > 0;

    // d y_j = y_j * sum_{k <= j} dx_k / x_k while no element is 0.
    private static Tensor CumprodTangent(ForwardContext f, Tensor t)
    {
        var x = f.Input(0);
        int dim = (int)f.Args.Dims![0];
        if (x.Dim == 0) return t;
        if (!HasZero(x)) return (t / x).Cumsum(dim) * f.Output;
        return (CumprodPartials(x, dim) * t.Transpose(dim, -1).Unsqueeze(-1)).Sum(-2).Transpose(dim, -1);
    }

    private static Tensor Centered(Tensor x, long[] dims) => x - x.Mean(dims, keepDim: true);

    // d/dx_k of the product along dim (prod / x_k without zeros, else the product of the others).
    private static Tensor ProductOfOthersOrQuotient(Tensor x, Tensor product, int dim) =>
        HasZero(x) ? ProductOfOthers(x, dim) : product / x;

    // A reduction's tangent: the weighted tangent summed over the reduced dims.
    private static Tensor ReducedLike(ForwardContext f, Tensor weighted) => weighted.Sum(f.Args.Dims!, f.Args.KeepDim);

    // The product of the other elements along dim: exclusive running products from the start and from the end.
    private static Tensor ProductOfOthers(Tensor x, int dim)
    {
        long size = x.Shape[dim];
        if (size == 0) return Tensor.OnesLike(x);
        var ones = Tensor.Ones(x.Shape.Select((s, d) => d == dim ? 1L : s).ToArray(), x.DType);
        var before = Tensor.Cat([ones, x.Narrow(dim, 0, size - 1)], dim).Cumprod(dim);
        var after = Tensor.Cat([ones, x.Narrow(dim, 1, size - 1).Flip(dim)], dim).Cumprod(dim).Flip(dim);
        return before * after;
    }

    // With zeros y_j / x_k is undefined; d y_j / d x_k is the running product up to j with x_k
    // replaced by 1. Built directly for every k at once (n x n per line, [..., k, j] with dim
    // moved last, zero where j < k), only when a zero is there.
    private static Tensor CumprodPartials(Tensor x, int dim)
    {
        long size = x.Shape[dim];
        var lines = x.Transpose(dim, -1).Unsqueeze(-2);                              // [..., 1, i]
        var rows = Tensor.Arange(size).Unsqueeze(1);                                 // k
        var columns = Tensor.Arange(size);                                           // i or j
        var products = Tensor.Where(rows == columns, 1.0, lines).Cumprod(-1);        // [..., k, j]
        return Tensor.Where(rows <= columns, products, 0.0);
    }

    // Sort, topk and median(dim) pick elements by position: each gradient goes back to its position.
    private static Tensor ScatteredToIndices(IOpRecord n, Tensor g)
    {
        var inShape = InShape(n);
        if (inShape.Length == 0) return g;
        var (dims, keepDim) = (n.Args.Dims!, n.Args.KeepDim);
        var index = Tensor.UnsqueezeReduced(n.Args.Index!, dims, keepDim);
        return Tensor.Zeros(inShape, g.DType).ScatterAdd((int)dims[0], index, Tensor.UnsqueezeReduced(g, dims, keepDim));
    }

    // The gradient of amax/amin is shared evenly between the elements that attain each extreme,
    // and their tangent is the mean of those elements' tangents.
    private static Tensor SharedAmongExtremes(IOpRecord n, Tensor g)
    {
        var (dims, keepDim) = (n.Args.Dims!, n.Args.KeepDim);
        var attains = AttainsExtreme(n, g.DType);
        return attains * (Tensor.UnsqueezeReduced(g, dims, keepDim) / attains.Sum(dims, keepDim: true));
    }

    private static Tensor SharedAmongExtremesTangent(ForwardContext f, Tensor t)
    {
        var attains = AttainsExtreme(f, t.DType);
        return ReducedLike(f, t * attains) / ReducedLike(f, attains);
    }

    private static Tensor AttainsExtreme(IOpRecord n, DType dtype) =>
        (n.Input(0) == Tensor.UnsqueezeReduced(n.Output, n.Args.Dims!, n.Args.KeepDim)).To(dtype);

    private static Tensor EvenlyDistribute(IOpRecord n, Tensor g)
    {
        var attains = (n.Input(0) == n.Output).To(g.DType);
        return attains * (g / attains.Sum());
    }

    private static Tensor EvenlyRead(ForwardContext f, Tensor t)
    {
        var attains = (f.Input(0) == f.Output).To(t.DType);
        return (t * attains).Sum() / attains.Sum();
    }

    // Max/min/sort/topk/median along a dim: each result element's tangent is that of the input element it picked.
    private static Tensor GatheredAtIndices(ForwardContext f, Tensor t)
    {
        if (f.Input(0).Dim == 0) return t;
        var dims = f.Args.Dims!;
        return t.Gather((int)dims[0], Tensor.UnsqueezeReduced(f.Args.Index!, dims, f.Args.KeepDim)).Reshape(f.Output.shape);
    }

    private static Tensor SelectedByIndices(IOpRecord n, Tensor g)
    {
        int dim = (int)n.Args.Dims![0];
        var inShape = InShape(n);
        if (inShape.Length == 0) return g;
        var indices = Tensor.UnsqueezeReduced(n.Args.Index!, [dim], n.Args.KeepDim);
        var positionShape = inShape.Select((size, d) => d == dim ? size : 1L).ToArray();
        var selected = Tensor.Arange(inShape[dim]).Reshape(positionShape) == indices;
        return Tensor.Where(selected, Tensor.UnsqueezeReduced(g, [dim], n.Args.KeepDim), 0.0);
    }

    // ---- linear algebra ----------------------------------------------------------------------------
    public static readonly Derivative Dot = new("DotBackward0", Save.Inputs, (n, g) => g * n.Input(1), (n, g) => g * n.Input(0))
        { Forward = [(f, t) => t.Dot(f.Input(1)), (f, t) => f.Input(0).Dot(t)] };
    public static readonly Derivative Mm = new("MmBackward0", Save.Inputs,
        (n, g) => MmGradientOfFirst(g, n.Input(0), n.Input(1)), (n, g) => MmGradientOfSecond(g, n.Input(0), n.Input(1)))
    {
        Forward = [(f, t) => t.Mm(f.Input(1)), (f, t) => f.Input(0).Mm(t)],
        Accumulating = [null, (n, g, sink, overwrite) => AddMmGradientOfSecond(g, n.Input(0), sink, overwrite)],
    };
    public static readonly Derivative Mv = new("MvBackward0", Save.Inputs,
        (n, g) => g.Unsqueeze(1) * n.Input(1), (n, g) => n.Input(0).T.Mv(g))
        { Forward = [(f, t) => t.Mv(f.Input(1)), (f, t) => f.Input(0).Mv(t)] };
    public static readonly Derivative Bmm = new("BmmBackward0", Save.Inputs,
        (n, g) => g.Bmm(n.Input(1).Transpose(1, 2)), (n, g) => n.Input(0).Transpose(1, 2).Bmm(g))
        { Forward = [(f, t) => t.Bmm(f.Input(1)), (f, t) => f.Input(0).Bmm(t)] };
    public static readonly Derivative Addmm = new("AddmmBackward0", Save.Input1 | Save.Input2,
        (n, g) => g, (n, g) => MmGradientOfFirst(g, n.Input(1), n.Input(2)), (n, g) => MmGradientOfSecond(g, n.Input(1), n.Input(2)))
    {
        Forward = [(f, t) => t, (f, t) => t.Mm(f.Input(2)), (f, t) => f.Input(1).Mm(t)],
        Accumulating = [null, null, (n, g, sink, overwrite) => AddMmGradientOfSecond(g, n.Input(1), sink, overwrite)],
    };

    public static readonly Derivative Trace = new("TraceBackward0", Save.Nothing, (n, g) =>
    {
        long rows = InShape(n)[0], cols = InShape(n)[1];
        return Tensor.Where(Tensor.Arange(rows).Unsqueeze(1) == Tensor.Arange(cols), g, 0.0);
    }) { Forward = [(f, t) => t.Trace()] };
    // beta * input + alpha * product: the engine sums input's share back to its broadcast shape.
    public static readonly Derivative Addmv = new("AddmvBackward0", Save.Input1 | Save.Input2,
        (n, g) => Scaled(g, n.Args.Scalar), (n, g) => Scaled(g.Outer(n.Input(2)), n.Args.Scalar2),
        (n, g) => Scaled(n.Input(1).T.Mv(g), n.Args.Scalar2))
        {
            Forward =
            [
                (f, t) => Scaled(t, f.Args.Scalar),
                (f, t) => Scaled(t.Mv(f.Input(2)), f.Args.Scalar2),
                (f, t) => Scaled(f.Input(1).Mv(t), f.Args.Scalar2),
            ],
        };
    public static readonly Derivative Baddbmm = new("BaddbmmBackward0", Save.Input1 | Save.Input2,
        (n, g) => Scaled(g, n.Args.Scalar), (n, g) => Scaled(g.Bmm(n.Input(2).Transpose(1, 2)), n.Args.Scalar2),
        (n, g) => Scaled(n.Input(1).Transpose(1, 2).Bmm(g), n.Args.Scalar2))
        {
            Forward =
            [
                (f, t) => Scaled(t, f.Args.Scalar),
                (f, t) => Scaled(t.Bmm(f.Input(2)), f.Args.Scalar2),
                (f, t) => Scaled(f.Input(1).Bmm(t), f.Args.Scalar2),
            ],
        };

    // PyTorch's maybe_multiply: a factor of one costs nothing and records nothing.
    private static Tensor Scaled(Tensor g, double factor) => factor == 1 ? g : g * factor;

    // d(a @ b)/da = g @ bᵀ and d(a @ b)/db = aᵀ @ g. As in PyTorch (mm_mat1_backward,
    // mm_mat2_backward), an operand stored column-major (weight.T in Linear) gets its gradient
    // computed transposed, in its own layout: the leaf behind the transpose then receives a
    // contiguous gradient, and accumulating a strided one costs more than the GEMM that made it.
    private static Tensor MmGradientOfFirst(Tensor g, Tensor a, Tensor b) =>
        IsColumnMajor(a) ? b.Mm(g.T).T : g.Mm(b.T);

    private static Tensor MmGradientOfSecond(Tensor g, Tensor a, Tensor b) =>
        IsColumnMajor(b) ? g.T.Mm(a).T : a.T.Mm(g);

    // sink += aᵀ @ g (or sink = aᵀ @ g), the GEMM MmGradientOfSecond runs, in the sink's layout
    // (b's), with beta = 1 (or 0): each element is its product summed in one pass, then added once
    // as Add_ would. Only for depths every GEMM sums in one pass (Tensor.GemmSinglePassDepth).
    private static bool AddMmGradientOfSecond(Tensor g, Tensor a, Tensor sink, bool overwrite)
    {
        if (a.shape[0] > Tensor.GemmSinglePassDepth || g.DType != sink.DType || a.DType != sink.DType
            || !sink.DType.IsFloatingPoint())
            return false;
        if (IsColumnMajor(sink)) Tensor.GemmIntoRaw(g.PermuteRaw([1, 0]), a, sink.PermuteRaw([1, 0]), accumulate: !overwrite);
        else if (sink.IsContiguous) Tensor.GemmIntoRaw(a.PermuteRaw([1, 0]), g, sink, accumulate: !overwrite);
        else return false;
        return true;
    }

    private static bool IsColumnMajor(Tensor matrix) =>
        matrix.strides[0] == 1 && matrix.strides[1] == matrix.shape[0];

}
