namespace NativeGrad;

/// <summary>
/// The derivative table: every differentiable operation's backward rule, in one place (PyTorch's
/// derivatives.yaml). Each entry names the node as PyTorch does, says what the forward saves, and
/// gives one formula per input. Formulas are Tensor expressions, so they are themselves recorded
/// when a backward pass runs with createGraph and can be differentiated again. The engine sums
/// each result back to its input's shape and dtype, so formulas may return broadcast gradients.
/// </summary>
internal static class Derivatives
{
    private static readonly double TwoOverSqrtPi = 2 / Math.Sqrt(Math.PI);
    private static readonly double InvSqrt2 = 1 / Math.Sqrt(2);
    private static readonly double InvSqrt2Pi = 1 / Math.Sqrt(2 * Math.PI);

    private static long[] InShape(Node n, int i = 0) => n.Inputs[i].Shape;

    // ---- unary ----------------------------------------------------------------------------------
    public static readonly Derivative Neg = new("NegBackward0", Save.Nothing, (n, g) => -g);
    public static readonly Derivative Exp = new("ExpBackward0", Save.Output, (n, g) => g * n.Output);
    public static readonly Derivative Log = new("LogBackward0", Save.Input0, (n, g) => g / n.Input(0));
    public static readonly Derivative Sqrt = new("SqrtBackward0", Save.Output, (n, g) => g / (2 * n.Output));
    public static readonly Derivative Abs = new("AbsBackward0", Save.Input0, (n, g) => g * n.Input(0).Sign());
    public static readonly Derivative Relu = new("ReluBackward0", Save.Output, (n, g) => Tensor.Where(n.Output > 0, g, 0.0));
    public static readonly Derivative Sigmoid = new("SigmoidBackward0", Save.Output, (n, g) => g * n.Output * (1 - n.Output));
    public static readonly Derivative Tanh = new("TanhBackward0", Save.Output, (n, g) => g * (1 - n.Output * n.Output));
    public static readonly Derivative Sin = new("SinBackward0", Save.Input0, (n, g) => g * n.Input(0).Cos());
    public static readonly Derivative Cos = new("CosBackward0", Save.Input0, (n, g) => g * -n.Input(0).Sin());
    public static readonly Derivative Erf = new("ErfBackward0", Save.Input0,
        (n, g) => g * TwoOverSqrtPi * (-(n.Input(0) * n.Input(0))).Exp());
    public static readonly Derivative Gelu = new("GeluBackward0", Save.Input0, (n, g) =>
    {
        var x = n.Input(0);
        var cdf = 0.5 * (1 + (x * InvSqrt2).Erf());
        var pdf = (x * x * -0.5).Exp() * InvSqrt2Pi;
        return g * (cdf + x * pdf);
    });
    public static readonly Derivative Sign = new("SignBackward0", Save.Nothing, (n, g) => Tensor.ZerosLike(g));
    public static readonly Derivative Reciprocal = new("ReciprocalBackward0", Save.Output, (n, g) => -g * n.Output * n.Output);
    public static readonly Derivative LeakyRelu = new("LeakyReluBackward0", Save.Input0,
        (n, g) => Tensor.Where(n.Input(0) > 0, g, g * n.Args.Scalar));
    public static readonly Derivative Softplus = new("SoftplusBackward0", Save.Input0, (n, g) => g * n.Input(0).Sigmoid());
    public static readonly Derivative Clamp = new("ClampBackward1", Save.Input0, (n, g) =>
        Tensor.Where(n.Input(0) >= n.Args.Scalar, Tensor.Where(n.Input(0) <= n.Args.Scalar2, g, 0.0), 0.0));
    // ---- elementwise math (Ops/Tensor.ElementwiseMath.cs) ------------------------------------------
    // Rounding is flat almost everywhere: PyTorch's gradient is zero, and so is this.
    public static readonly Derivative Floor = new("FloorBackward0", Save.Nothing, (n, g) => Tensor.ZerosLike(g));
    public static readonly Derivative Ceil = new("CeilBackward0", Save.Nothing, (n, g) => Tensor.ZerosLike(g));
    public static readonly Derivative Round = new("RoundBackward0", Save.Nothing, (n, g) => Tensor.ZerosLike(g));
    public static readonly Derivative RoundDecimals = new("RoundBackward1", Save.Nothing, (n, g) => Tensor.ZerosLike(g));
    public static readonly Derivative Trunc = new("TruncBackward0", Save.Nothing, (n, g) => Tensor.ZerosLike(g));
    public static readonly Derivative Frac = new("FracBackward0", Save.Nothing, (n, g) => g);
    public static readonly Derivative Rsqrt = new("RsqrtBackward0", Save.Output, (n, g) => -0.5 * g * n.Output.Pow(3L));
    public static readonly Derivative Log1p = new("Log1PBackward0", Save.Input0, (n, g) => g / (n.Input(0) + 1));
    public static readonly Derivative Expm1 = new("Expm1Backward0", Save.Output, (n, g) => g * (n.Output + 1));
    public static readonly Derivative Log2 = new("Log2Backward0", Save.Input0, (n, g) => g / (n.Input(0) * Math.Log(2)));
    public static readonly Derivative Log10 = new("Log10Backward0", Save.Input0, (n, g) => g / (n.Input(0) * Math.Log(10)));
    public static readonly Derivative Asin = new("AsinBackward0", Save.Input0, (n, g) => g * (1 - n.Input(0) * n.Input(0)).Rsqrt());
    public static readonly Derivative Acos = new("AcosBackward0", Save.Input0, (n, g) => g * -(1 - n.Input(0) * n.Input(0)).Rsqrt());
    public static readonly Derivative Atan = new("AtanBackward0", Save.Input0, (n, g) => g / (n.Input(0) * n.Input(0) + 1));
    public static readonly Derivative Sinh = new("SinhBackward0", Save.Input0, (n, g) => g * n.Input(0).Cosh());
    public static readonly Derivative Cosh = new("CoshBackward0", Save.Input0, (n, g) => g * n.Input(0).Sinh());
    public static readonly Derivative Atan2 = new("Atan2Backward0", Save.Inputs,
        (n, g) => g * n.Input(1) / (n.Input(0) * n.Input(0) + n.Input(1) * n.Input(1)),
        (n, g) => g * -n.Input(0) / (n.Input(0) * n.Input(0) + n.Input(1) * n.Input(1)));
    public static readonly Derivative Hypot = new("HypotBackward0", Save.Inputs | Save.Output,
        (n, g) => g * n.Input(0) / n.Output, (n, g) => g * n.Input(1) / n.Output);
    // a - q * b with q = trunc(a / b) (fmod) or floor(a / b) (remainder), q flat almost everywhere.
    public static readonly Derivative FmodScalar = new("FmodBackward0", Save.Nothing, (n, g) => g);
    public static readonly Derivative Fmod = new("FmodBackward1", Save.Inputs,
        (n, g) => g, (n, g) => -g * (n.Input(0) / n.Input(1)).Trunc());
    public static readonly Derivative RemainderScalar = new("RemainderBackward0", Save.Nothing, (n, g) => g);
    public static readonly Derivative Remainder = new("RemainderBackward1", Save.Inputs,
        (n, g) => g, (n, g) => -g * (n.Input(0) / n.Input(1)).Floor());

    // ---- NaN handling, clamp with tensor bounds, lerp (Ops/Tensor.ElementwiseLogic.cs) --------------
    public static readonly Derivative NanToNum = new("NanToNumBackward0", Save.Input0, (n, g) => Tensor.Where(n.Input(0).IsFinite(), g, 0.0));
    // Where min > max the result is max: only max's gradient flows, as in PyTorch's clamp_backward_min_max.
    public static readonly Derivative ClampTensor = new("ClampBackward0", Save.Inputs,
        (n, g) => Tensor.Where(Tensor.LogicalAnd(n.Input(0) >= n.Input(1), n.Input(0) <= n.Input(2)), g, 0.0),
        (n, g) => Tensor.Where(Tensor.LogicalAnd(n.Input(0) < n.Input(1), n.Input(1) < n.Input(2)), g, 0.0),
        (n, g) => Tensor.Where(Tensor.LogicalOr(n.Input(0) > n.Input(2), n.Input(2) < n.Input(1)), g, 0.0));
    public static readonly Derivative ClampTensorMin = new("ClampBackward0", Save.Inputs,
        (n, g) => Tensor.Where(n.Input(0) >= n.Input(1), g, 0.0), (n, g) => Tensor.Where(n.Input(0) < n.Input(1), g, 0.0));
    public static readonly Derivative ClampTensorMax = new("ClampBackward0", Save.Inputs,
        (n, g) => Tensor.Where(n.Input(0) <= n.Input(1), g, 0.0), (n, g) => Tensor.Where(n.Input(0) > n.Input(1), g, 0.0));
    public static readonly Derivative LerpScalar = new("LerpBackward0", Save.Nothing,
        (n, g) => g * (1 - n.Args.Scalar), (n, g) => g * n.Args.Scalar);
    public static readonly Derivative LerpTensor = new("LerpBackward1", Save.Inputs,
        (n, g) => g * (1 - n.Input(2)), (n, g) => g * n.Input(2), (n, g) => g * (n.Input(1) - n.Input(0)));

    public static readonly Derivative Addcmul = new("AddcmulBackward0", Save.Input1 | Save.Input2,
        (n, g) => g, (n, g) => g * (n.Input(2) * n.Args.Scalar), (n, g) => g * (n.Input(1) * n.Args.Scalar));
    public static readonly Derivative Addcdiv = new("AddcdivBackward0", Save.Input1 | Save.Input2,
        (n, g) => g, (n, g) => g * (n.Args.Scalar / n.Input(2)),
        (n, g) => -g * (n.Args.Scalar * n.Input(1) / (n.Input(2) * n.Input(2))));

    public static readonly Derivative ToCopy = new("ToCopyBackward0", Save.Nothing, (n, g) => g.To(n.Inputs[0].DType));

    // In-place ops that overwrite every element: nothing flows back to the old values, and copy_
    // passes the gradient to its source (the engine sums and casts it).
    public static readonly Derivative Zero = new("ZeroBackward0", Save.Nothing, (n, g) => Tensor.ZerosLike(g));
    public static readonly Derivative Fill = new("FillBackward2", Save.Nothing, (n, g) => Tensor.ZerosLike(g));
    public static readonly Derivative Copy = new("CopyBackwards", Save.Nothing, (n, g) => Tensor.ZerosLike(g), (n, g) => g);

    // ---- binary -----------------------------------------------------------------------------------
    public static readonly Derivative Add = new("AddBackward0", Save.Nothing, (n, g) => g, (n, g) => g);
    public static readonly Derivative Sub = new("SubBackward0", Save.Nothing, (n, g) => g, (n, g) => -g);
    // add and sub with alpha: other's gradient is alpha * grad (-alpha * grad), under PyTorch's names.
    public static readonly Derivative AddScaled = new("AddBackward0", Save.Nothing, (n, g) => g, (n, g) => g * n.Args.Scalar);
    public static readonly Derivative SubScaled = new("SubBackward0", Save.Nothing, (n, g) => g, (n, g) => -g * n.Args.Scalar);
    public static readonly Derivative ReverseSub = new("RsubBackward1", Save.Nothing, (n, g) => -g);
    public static readonly Derivative Mul = new("MulBackward0", Save.Inputs, (n, g) => g * n.Input(1), (n, g) => g * n.Input(0));
    public static readonly Derivative Div = new("DivBackward0", Save.Inputs,
        (n, g) => g / n.Input(1),
        (n, g) => -g * n.Input(0) / (n.Input(1) * n.Input(1)));
    // Ties split the gradient in half between the two inputs, as in PyTorch.
    public static readonly Derivative Maximum = new("MaximumBackward0", Save.Inputs,
        (n, g) => Tensor.Where(n.Input(0) == n.Input(1), g / 2.0, Tensor.Where(n.Input(0) > n.Input(1), g, 0.0)),
        (n, g) => Tensor.Where(n.Input(0) == n.Input(1), g / 2.0, Tensor.Where(n.Input(0) < n.Input(1), g, 0.0)));
    public static readonly Derivative Minimum = new("MinimumBackward0", Save.Inputs,
        (n, g) => Tensor.Where(n.Input(0) == n.Input(1), g / 2.0, Tensor.Where(n.Input(0) < n.Input(1), g, 0.0)),
        (n, g) => Tensor.Where(n.Input(0) == n.Input(1), g / 2.0, Tensor.Where(n.Input(0) > n.Input(1), g, 0.0)));
    public static readonly Derivative PowScalar = new("PowBackward0", Save.Input0, (n, g) =>
        n.Args.Scalar == 0 ? Tensor.ZerosLike(n.Input(0)) : g * n.Args.Scalar * n.Input(0).Pow(n.Args.Scalar - 1));
    public static readonly Derivative PowTensor = new("PowBackward1", Save.Inputs | Save.Output,
        (n, g) => Tensor.Where(n.Input(1) == 0.0, 0.0, g * n.Input(1) * n.Input(0).Pow(n.Input(1) - 1)),
        (n, g) => Tensor.Where(n.Input(0) == 0.0, Tensor.Where(n.Input(1) >= 0.0, 0.0, g * n.Output * n.Input(0).Log()),
                               g * n.Output * n.Input(0).Log()));
    public static readonly Derivative PowScalarBase = new("PowBackward2", Save.Output, (n, g) =>
        n.Args.Scalar == 0 ? Tensor.ZerosLike(n.Output) : g * n.Output * Math.Log(n.Args.Scalar));
    public static readonly Derivative Where = new("WhereBackward0", Save.Nothing,
        (n, g) => Tensor.Where(n.Args.Index!, g, 0.0),
        (n, g) => Tensor.Where(n.Args.Index!, 0.0, g));

    // ---- views and copies ------------------------------------------------------------------------
    public static readonly Derivative View = new("ViewBackward0", Save.Nothing, (n, g) => g.Reshape(InShape(n)));
    public static readonly Derivative ReshapeAlias = new("ReshapeAliasBackward0", Save.Nothing, (n, g) => g.Reshape(InShape(n)));
    public static readonly Derivative UnsafeView = new("UnsafeViewBackward0", Save.Nothing, (n, g) => g.Reshape(InShape(n)));
    public static readonly Derivative SqueezeAll = new("SqueezeBackward0", Save.Nothing, (n, g) => g.Reshape(InShape(n)));
    public static readonly Derivative Squeeze = new("SqueezeBackward1", Save.Nothing, (n, g) => g.Reshape(InShape(n)));
    public static readonly Derivative SqueezeMatmul = new("SqueezeBackward3", Save.Nothing, (n, g) => g.Reshape(InShape(n)));
    public static readonly Derivative Unsqueeze = new("UnsqueezeBackward0", Save.Nothing, (n, g) => g.Squeeze((int)n.Args.Dims![0]));
    public static readonly Derivative Transpose = new("TransposeBackward0", Save.Nothing,
        (n, g) => g.Transpose((int)n.Args.Dims![0], (int)n.Args.Dims[1]));
    public static readonly Derivative Permute = new("PermuteBackward0", Save.Nothing, (n, g) =>
    {
        var order = n.Args.Dims!;
        var inverse = new int[order.Length];
        for (int i = 0; i < order.Length; i++) inverse[order[i]] = i;
        return g.Permute(inverse);
    });
    public static readonly Derivative Expand = new("ExpandBackward0", Save.Nothing, (n, g) => Engine.SumToShape(g, InShape(n)));
    public static readonly Derivative Slice = new("SliceBackward0", Save.Nothing, (n, g) =>
    {
        var (dim, range) = ((int)n.Args.Dims![0], n.Args.Sizes!);
        return Tensor.ScatterIntoZeros(g, InShape(n), t => t.Slice(dim, range[0], range[1], range[2]));
    });
    public static readonly Derivative Select = new("SelectBackward0", Save.Nothing, (n, g) =>
    {
        var (dim, index) = ((int)n.Args.Dims![0], (long)n.Args.Scalar);
        return Tensor.ScatterIntoZeros(g, InShape(n), t => t.Select(dim, index));
    });
    public static Derivative ViewScatter(Func<Tensor, Tensor> view) => new("ViewScatterBackward0", Save.Nothing, (n, g) => view(g));
    public static readonly Derivative Clone = new("CloneBackward0", Save.Nothing, (n, g) => g);
    public static readonly Derivative IndexSelect = new("IndexSelectBackward0", Save.Nothing,
        (n, g) => Tensor.IndexAddIntoZeros(g, InShape(n), (int)n.Args.Dims![0], n.Args.Index!));
    public static readonly Derivative IndexAddIntoZeros = new("IndexAddBackward0", Save.Nothing,
        (n, g) => g.IndexSelect((int)n.Args.Dims![0], n.Args.Index!));
    public static readonly Derivative Cat = Derivative.Variadic("CatBackward0", Save.Nothing, (n, g, i) =>
    {
        int dim = (int)n.Args.Dims![0];
        long start = n.Args.Sizes!.Take(i).Sum();
        return g.Narrow(dim, start, n.Args.Sizes![i]);
    });
    public static readonly Derivative Stack = Derivative.Variadic("StackBackward0", Save.Nothing,
        (n, g, i) => g.Select((int)n.Args.Dims![0], i));

    // ---- indexing and rearranging (Ops/Tensor.Indexing.cs, Tensor.Rearranging.cs) ------------------
    // Each entry closes over the flat positions its forward moved: a take's gradient puts back into
    // zeros at them, and a put's gradient takes from them, so either differentiates again.
    public static Derivative TakeAt(string name, long[] flat, long[] baseShape) => new(name, Save.Nothing,
        (n, g) => Tensor.PutIntoZeros(g, baseShape, flat));
    public static Derivative PutAt(long[] flat) => new("PutBackward0", Save.Nothing,
        (n, g) => Tensor.TakeFlat(g, flat, InShape(n), "TakeBackward0"));
    // A source read at `source` and written at `destination` receives the gradient at `destination`.
    private static Tensor MovedGradient(Node n, Tensor g, long[] destination, long[] source, int input) =>
        Tensor.PutIntoZeros(Tensor.TakeFlat(g, destination, [destination.LongLength], "TakeBackward0"), InShape(n, input), source);
    public static Derivative Scatter(int dim, Tensor index, long[] destination, long[] source) => new("ScatterBackward0", Save.Nothing,
        (n, g) => g.Scatter(dim, index, 0.0), (n, g) => MovedGradient(n, g, destination, source, 1));
    public static Derivative ScatterValue(int dim, Tensor index) => new("ScatterBackward1", Save.Nothing,
        (n, g) => g.Scatter(dim, index, 0.0));
    public static Derivative ScatterAdd(long[] destination, long[] source) => new("ScatterAddBackward0", Save.Nothing,
        (n, g) => g, (n, g) => MovedGradient(n, g, destination, source, 1));
    public static Derivative IndexAdd(long[] flat, double alpha) => new("IndexAddBackward0", Save.Nothing,
        (n, g) => g, (n, g) => alpha * Tensor.TakeFlat(g, flat, InShape(n, 1), "TakeBackward0"));
    // Without accumulate the old values at the written positions are gone, so their gradient is zero.
    public static Derivative IndexPut(long[] flat, long[] valuesShape, bool accumulate) => new("IndexPutBackward0", Save.Nothing,
        (n, g) => accumulate ? g : g * Tensor.ZerosAt(InShape(n), flat, g.DType),
        (n, g) => Tensor.TakeFlat(g, flat, valuesShape, "TakeBackward0"));
    public static Derivative MaskedFill(Tensor mask) => new("MaskedFillBackward0", Save.Nothing, (n, g) => Tensor.Where(mask, 0.0, g));
    public static Derivative MaskedFillTensor(Tensor mask) => new("MaskedFillBackward1", Save.Nothing,
        (n, g) => Tensor.Where(mask, 0.0, g), (n, g) => Tensor.Where(mask, g, 0.0).Sum());
    public static Derivative Piece(string name, Func<Tensor, Tensor> view) => new(name, Save.Nothing,
        (n, g) => Tensor.ScatterIntoZeros(g, InShape(n), view));
    // repeat: the output is the input tiled; viewed as [r0, s0, r1, s1, ...] its gradient sums over the r axes.
    public static Derivative Repeat(long[] repeats) => new("RepeatBackward0", Save.Nothing, (n, g) =>
    {
        var inShape = InShape(n);
        long[] padded = [.. Enumerable.Repeat(1L, repeats.Length - inShape.Length), .. inShape];
        if (repeats.Length == 0) return g;
        var split = padded.SelectMany((size, d) => new[] { repeats[d], size }).ToArray();
        var tiles = Enumerable.Range(0, repeats.Length).Select(d => 2L * d).ToArray();
        return g.Reshape(split).Sum(tiles).Reshape(inShape);
    });
    public static Derivative Flip(long[] dims) => new("FlipBackward0", Save.Nothing, (n, g) => g.Flip(dims));
    public static Derivative Roll(long[] shifts, long[] dims) => new("RollBackward0", Save.Nothing,
        (n, g) => g.Roll(shifts.Select(s => -s).ToArray(), dims));
    public static Derivative Tril(long diagonal) => new("TrilBackward0", Save.Nothing, (n, g) => g.Tril(diagonal));
    public static Derivative Triu(long diagonal) => new("TriuBackward0", Save.Nothing, (n, g) => g.Triu(diagonal));
    public static Derivative DiagOfVector(long diagonal) => new("DiagBackward0", Save.Nothing, (n, g) => g.Diagonal(diagonal));
    public static Derivative DiagOfMatrix(long diagonal) => new("DiagBackward0", Save.Nothing,
        (n, g) => Tensor.ScatterIntoZeros(g, InShape(n), t => t.Diagonal(diagonal)));
    public static Derivative Diagonal(long offset, int dim1, int dim2) => new("DiagonalBackward0", Save.Nothing,
        (n, g) => Tensor.ScatterIntoZeros(g, InShape(n), t => t.Diagonal(offset, dim1, dim2)));

    // index_fill (Ops/Tensor.IndexingInPlace.cs): the filled slices, at `flat`, take no gradient
    // from the old values; a tensor value gets the sum of the gradient over them.
    public static Derivative IndexFill(long[] flat) => new("IndexFillBackward0", Save.Nothing,
        (n, g) => g * Tensor.ZerosAt(InShape(n), flat, g.DType));
    public static Derivative IndexFillTensor(long[] flat) => new("IndexFillBackward1", Save.Nothing,
        (n, g) => g * Tensor.ZerosAt(InShape(n), flat, g.DType),
        (n, g) => Tensor.TakeFlat(g, flat, [flat.LongLength], "TakeBackward0").Sum());

    // ---- reductions ------------------------------------------------------------------------------
    public static readonly Derivative Sum = new("SumBackward0", Save.Nothing, (n, g) => g.Expand(InShape(n)));
    public static readonly Derivative SumDims = new("SumBackward1", Save.Nothing,
        (n, g) => Tensor.UnsqueezeReduced(g, n.Args.Dims!, n.Args.KeepDim).Expand(InShape(n)));
    public static readonly Derivative Mean = new("MeanBackward0", Save.Nothing,
        (n, g) => g.Expand(InShape(n)) / (double)ShapeMath.Product(InShape(n)));
    public static readonly Derivative MeanDims = new("MeanBackward1", Save.Nothing,
        (n, g) => Tensor.UnsqueezeReduced(g, n.Args.Dims!, n.Args.KeepDim).Expand(InShape(n)) / n.Args.Scalar);
    // The gradient of a full max/min is shared evenly between the elements that attain it.
    public static readonly Derivative MaxAll = new("MaxBackward1", Save.Input0 | Save.Output, EvenlyDistribute);
    public static readonly Derivative MinAll = new("MinBackward1", Save.Input0 | Save.Output, EvenlyDistribute);
    public static readonly Derivative MaxDim = new("MaxBackward0", Save.Nothing, SelectedByIndices);
    public static readonly Derivative MinDim = new("MinBackward0", Save.Nothing, SelectedByIndices);
    public static readonly Derivative Norm = new("NormBackward1", Save.Input0 | Save.Output,
        (n, g) => n.Input(0) * Tensor.Where(n.Output == 0.0, 0.0, g / n.Output));
    public static readonly Derivative Var = new("VarBackward0", Save.Input0, (n, g) =>
    {
        var x = n.Input(0);
        var centered = x - x.Mean(n.Args.Dims!, keepDim: true);
        return Tensor.UnsqueezeReduced(g, n.Args.Dims!, n.Args.KeepDim) * centered * (2 / n.Args.Scalar);
    });
    public static readonly Derivative LogSumExp = new("LogsumexpBackward0", Save.Input0 | Save.Output, (n, g) =>
        Tensor.UnsqueezeReduced(g, n.Args.Dims!, n.Args.KeepDim)
        * (n.Input(0) - Tensor.UnsqueezeReduced(n.Output, n.Args.Dims!, n.Args.KeepDim)).Exp());

    public static readonly Derivative Amax = new("AmaxBackward0", Save.Input0 | Save.Output, SharedAmongExtremes);
    public static readonly Derivative Amin = new("AminBackward0", Save.Input0 | Save.Output, SharedAmongExtremes);
    // d std = d var / (2 std), and 0 where the deviation is 0 (PyTorch's std_backward).
    public static readonly Derivative Std = new("StdBackward0", Save.Input0 | Save.Output, (n, g) =>
    {
        var (x, dims) = (n.Input(0), n.Args.Dims!);
        var std = Tensor.UnsqueezeReduced(n.Output, dims, n.Args.KeepDim);
        var scaled = Tensor.Where(std == 0.0, 0.0, Tensor.UnsqueezeReduced(g, dims, n.Args.KeepDim) / std);
        return scaled * (x - x.Mean(dims, keepDim: true)) / n.Args.Scalar;
    });
    public static readonly Derivative Median = new("MedianBackward0", Save.Input0 | Save.Output, EvenlyDistribute);

    // ---- products, scans, sorting and selection (Ops/Tensor.Scans.cs, Tensor.Sorting.cs) ------------
    // PyTorch's prod_backward: grad * prod / x while no element is 0; otherwise each element gets the
    // product of the others, from running products on either side of it, exact at any number of zeros.
    public static readonly Derivative Prod = new("ProdBackward0", Save.Input0 | Save.Output, (n, g) =>
    {
        var x = n.Input(0);
        if (x.Dim == 0) return g;
        return HasZero(x) ? g * ProductOfOthers(x.Reshape(-1), 0).Reshape(InShape(n)) : g * (n.Output / x);
    });
    public static readonly Derivative ProdDim = new("ProdBackward1", Save.Input0 | Save.Output, (n, g) =>
    {
        var x = n.Input(0);
        if (x.Dim == 0) return g;
        var (dims, keepDim) = (n.Args.Dims!, n.Args.KeepDim);
        var grad = Tensor.UnsqueezeReduced(g, dims, keepDim);
        return HasZero(x) ? grad * ProductOfOthers(x, (int)dims[0]) : grad * (Tensor.UnsqueezeReduced(n.Output, dims, keepDim) / x);
    });
    public static readonly Derivative Cumsum = new("CumsumBackward0", Save.Nothing, (n, g) => g.ReversedCumsum((int)n.Args.Dims![0]));
    // cumsum's gradient, sums from the end; its own gradient is cumsum again.
    public static readonly Derivative ReversedCumsum = new("CumsumBackward0", Save.Nothing, (n, g) => g.Cumsum((int)n.Args.Dims![0]));
    // d y_j / d x_k = y_j / x_k for j >= k while no element is 0 (PyTorch's cumprod_backward).
    public static readonly Derivative Cumprod = new("CumprodBackward0", Save.Input0 | Save.Output, (n, g) =>
    {
        var x = n.Input(0);
        int dim = (int)n.Args.Dims![0];
        if (x.Dim == 0) return g;
        return HasZero(x) ? CumprodGradientWithZeros(x, g, dim) : (g * n.Output).ReversedCumsum(dim) / x;
    });
    public static readonly Derivative Sort = new("SortBackward0", Save.Nothing, ScatteredToIndices);
    public static readonly Derivative SortStable = new("SortBackward1", Save.Nothing, ScatteredToIndices);
    public static readonly Derivative TopK = new("TopkBackward0", Save.Nothing, ScatteredToIndices);
    public static readonly Derivative MedianDim = new("MedianBackward1", Save.Nothing, ScatteredToIndices);

    private static bool HasZero(Tensor x) => (x == 0.0).Sum().Item<long>() > 0;

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
    // replaced by 1. Built directly for every k at once (n x n per line), only when a zero is there.
    private static Tensor CumprodGradientWithZeros(Tensor x, Tensor g, int dim)
    {
        long size = x.Shape[dim];
        var lines = x.Transpose(dim, -1).Unsqueeze(-2);                              // [..., 1, i]
        var rows = Tensor.Arange(size).Unsqueeze(1);                                 // k
        var columns = Tensor.Arange(size);                                           // i or j
        var products = Tensor.Where(rows == columns, 1.0, lines).Cumprod(-1);        // [..., k, j]
        var weighted = Tensor.Where(rows <= columns, products * g.Transpose(dim, -1).Unsqueeze(-2), 0.0);
        return weighted.Sum(-1).Transpose(dim, -1);
    }

    // Sort, topk and median(dim) pick elements by position: each gradient goes back to its position.
    private static Tensor ScatteredToIndices(Node n, Tensor g)
    {
        var inShape = InShape(n);
        if (inShape.Length == 0) return g;
        var (dims, keepDim) = (n.Args.Dims!, n.Args.KeepDim);
        var index = Tensor.UnsqueezeReduced(n.Args.Index!, dims, keepDim);
        return Tensor.Zeros(inShape, g.DType).ScatterAdd((int)dims[0], index, Tensor.UnsqueezeReduced(g, dims, keepDim));
    }

    // The gradient of amax/amin is shared evenly between the elements that attain each extreme.
    private static Tensor SharedAmongExtremes(Node n, Tensor g)
    {
        var (dims, keepDim) = (n.Args.Dims!, n.Args.KeepDim);
        var attains = (n.Input(0) == Tensor.UnsqueezeReduced(n.Output, dims, keepDim)).To(g.DType);
        return attains * (Tensor.UnsqueezeReduced(g, dims, keepDim) / attains.Sum(dims, keepDim: true));
    }

    private static Tensor EvenlyDistribute(Node n, Tensor g)
    {
        var attains = (n.Input(0) == n.Output).To(g.DType);
        return attains * (g / attains.Sum());
    }

    private static Tensor SelectedByIndices(Node n, Tensor g)
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
    public static readonly Derivative Dot = new("DotBackward0", Save.Inputs, (n, g) => g * n.Input(1), (n, g) => g * n.Input(0));
    public static readonly Derivative Mm = new("MmBackward0", Save.Inputs,
        (n, g) => MmGradientOfFirst(g, n.Input(0), n.Input(1)), (n, g) => MmGradientOfSecond(g, n.Input(0), n.Input(1)));
    public static readonly Derivative Mv = new("MvBackward0", Save.Inputs,
        (n, g) => g.Unsqueeze(1) * n.Input(1), (n, g) => n.Input(0).T.Mv(g));
    public static readonly Derivative Bmm = new("BmmBackward0", Save.Inputs,
        (n, g) => g.Bmm(n.Input(1).Transpose(1, 2)), (n, g) => n.Input(0).Transpose(1, 2).Bmm(g));
    public static readonly Derivative Addmm = new("AddmmBackward0", Save.Input1 | Save.Input2,
        (n, g) => g, (n, g) => MmGradientOfFirst(g, n.Input(1), n.Input(2)), (n, g) => MmGradientOfSecond(g, n.Input(1), n.Input(2)));

    public static readonly Derivative Trace = new("TraceBackward0", Save.Nothing, (n, g) =>
    {
        long rows = InShape(n)[0], cols = InShape(n)[1];
        return Tensor.Where(Tensor.Arange(rows).Unsqueeze(1) == Tensor.Arange(cols), g, 0.0);
    });
    // beta * input + alpha * product: the engine sums input's share back to its broadcast shape.
    public static readonly Derivative Addmv = new("AddmvBackward0", Save.Input1 | Save.Input2,
        (n, g) => Scaled(g, n.Args.Scalar), (n, g) => Scaled(g.Outer(n.Input(2)), n.Args.Scalar2),
        (n, g) => Scaled(n.Input(1).T.Mv(g), n.Args.Scalar2));
    public static readonly Derivative Baddbmm = new("BaddbmmBackward0", Save.Input1 | Save.Input2,
        (n, g) => Scaled(g, n.Args.Scalar), (n, g) => Scaled(g.Bmm(n.Input(2).Transpose(1, 2)), n.Args.Scalar2),
        (n, g) => Scaled(n.Input(1).Transpose(1, 2).Bmm(g), n.Args.Scalar2));

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

    private static bool IsColumnMajor(Tensor matrix) =>
        matrix.strides[0] == 1 && matrix.strides[1] == matrix.shape[0];

    // ---- neural-network functions ------------------------------------------------------------------
    // One fused kernel when the backward is not recorded (see Tensor.SoftmaxBackwardFused), else these compositions.
    public static readonly Derivative Softmax = new("SoftmaxBackward0", Save.Output, (n, g) =>
        Tensor.SoftmaxBackwardFused(g, n.Output, (int)n.Args.Dims![0], log: false)
        ?? n.Output * (g - (g * n.Output).Sum(n.Args.Dims!, keepDim: true)));
    public static readonly Derivative LogSoftmax = new("LogSoftmaxBackward0", Save.Output, (n, g) =>
        Tensor.SoftmaxBackwardFused(g, n.Output, (int)n.Args.Dims![0], log: true)
        ?? g - n.Output.Exp() * g.Sum(n.Args.Dims!, keepDim: true));
    public static readonly Derivative MseLoss = new("MseLossBackward0", Save.Inputs,
        (n, g) => Functional.ScaleForReduction(2 * (n.Input(0) - n.Input(1)) * g, n.Input(0), (Reduction)n.Args.Scalar),
        (n, g) => Functional.ScaleForReduction(-2 * (n.Input(0) - n.Input(1)) * g, n.Input(0), (Reduction)n.Args.Scalar));
    // ---- nn functions: activations, losses, normalisation, embedding (Ops/Functional.*.cs) --------
    internal const double GeluKappa = 0.044715;
    internal static readonly double GeluBeta = Math.Sqrt(2 / Math.PI);

    public static readonly Derivative Silu = new("SiluBackward0", Save.Input0, (n, g) =>
    {
        var sigmoid = n.Input(0).Sigmoid();
        return g * sigmoid * (1 + n.Input(0) * (1 - sigmoid));
    });
    // PyTorch takes the negative branch at 0 in both directions.
    public static readonly Derivative Elu = new("EluBackward0", Save.Input0,
        (n, g) => Tensor.Where(n.Input(0) <= 0.0, g * n.Args.Scalar * n.Input(0).Exp(), g));
    // Unlike clamp, hardtanh passes no gradient at the bounds themselves.
    public static readonly Derivative Hardtanh = new("HardtanhBackward0", Save.Input0, (n, g) =>
        Tensor.Where(n.Input(0) <= n.Args.Scalar, 0.0, Tensor.Where(n.Input(0) >= n.Args.Scalar2, 0.0, g)));
    public static readonly Derivative GeluTanh = new("GeluBackward0", Save.Input0, (n, g) =>
    {
        var x = n.Input(0);
        var tanhInner = ((x + x * x * x * GeluKappa) * GeluBeta).Tanh();
        var left = 0.5 * (1 + tanhInner);
        var right = 0.5 * x * (1 - tanhInner * tanhInner) * GeluBeta * (1 + 3 * GeluKappa * x * x);
        return g * (left + right);
    });
    public static readonly Derivative DivScalar = new("DivBackward1", Save.Nothing, (n, g) => g / n.Args.Scalar);

    public static readonly Derivative Embedding = new("EmbeddingBackward0", Save.Nothing, (n, g) =>
    {
        var index = n.Args.Index!;
        var rows = g.Reshape(-1, InShape(n)[1]);
        if (n.Args.Scalar >= 0) rows = Tensor.Where((index == (long)n.Args.Scalar).Unsqueeze(1), 0.0, rows);
        return Tensor.IndexAddIntoZeros(rows, InShape(n), 0, index);
    });

    public static readonly Derivative NllLoss = new("NllLossBackward0", Save.Nothing, NllLossGradient);
    public static readonly Derivative NllLoss2d = new("NllLoss2DBackward0", Save.Nothing, NllLossGradient);

    // The forward kept each sample's weight (0 where ignored), their total and the gather index
    // (-1 where ignored). The input's gradient is -weight * g (divided by the total for the mean)
    // at each sample's target and +0 elsewhere: scattered by one kernel when the backward is not
    // recorded, a differentiable Where of the target mask under createGraph; the same bits.
    private static Tensor NllLossGradient(Node n, Tensor g)
    {
        var (weights, total, index) = (n.Args.Constants![0]!, n.Args.Constants[1]!, n.Args.Index!);
        int classDim = (int)n.Args.Dims![0];
        var values = (Reduction)n.Args.Scalar switch
        {
            Reduction.None => -weights * g.Reshape(n.Args.Shape!),
            Reduction.Sum => -weights * g,
            _ => -weights * (g / total),
        };
        if (!GradMode.IsEnabled) return Tensor.ScatterAlong(values, index, InShape(n));
        var classShape = Enumerable.Repeat(1L, InShape(n).Length).ToArray();
        classShape[classDim] = InShape(n)[classDim];
        var isTarget = Tensor.Arange(classShape[classDim]).Reshape(classShape) == index.Unsqueeze(classDim);
        return Tensor.Where(isTarget, values.Unsqueeze(classDim), 0.0);
    }

    public static readonly Derivative SmoothL1Loss = new("SmoothL1LossBackward0", Save.Inputs,
        (n, g) => ScaledByReduction(n, SmoothL1Slope(n) * g),
        (n, g) => ScaledByReduction(n, -SmoothL1Slope(n) * g));
    public static readonly Derivative HuberLoss = new("HuberLossBackward0", Save.Inputs,
        (n, g) => ScaledByReduction(n, HuberSlope(n) * g),
        (n, g) => ScaledByReduction(n, -HuberSlope(n) * g));

    // d/dx of the smooth L1 loss; beta 0 is the L1 loss, whose slope PyTorch takes as -1 at 0.
    private static Tensor SmoothL1Slope(Node n)
    {
        var d = n.Input(0) - n.Input(1);
        double beta = n.Args.Scalar2;
        return beta == 0
            ? Tensor.Where(d <= 0.0, -1.0, Tensor.OnesLike(d))
            : Tensor.Where(d <= -beta, -1.0, Tensor.Where(d >= beta, 1.0, d / beta));
    }

    private static Tensor HuberSlope(Node n)
    {
        var d = n.Input(0) - n.Input(1);
        double delta = n.Args.Scalar2;
        return Tensor.Where(d < -delta, -delta, Tensor.Where(d > delta, delta, d));
    }

    private static Tensor ScaledByReduction(Node n, Tensor grad) =>
        Functional.ScaleForReduction(grad, n.Input(0), (Reduction)n.Args.Scalar);

    private static Tensor Weighted(Tensor grad, Tensor? weight) => weight is null ? grad : grad * weight;

    // PyTorch's binary_cross_entropy_backward: the denominator is kept from 0 by 1e-12.
    public static readonly Derivative BinaryCrossEntropy = new("BinaryCrossEntropyBackward0", Save.Inputs,
        (n, g) =>
        {
            var (x, t) = (n.Input(0), n.Input(1));
            return ScaledByReduction(n, Weighted(g * (x - t) / ((1 - x) * x).Clamp(min: 1e-12), n.Args.Constants![0]));
        },
        (n, g) => ScaledByReduction(n, Weighted(g * ((1 - n.Input(0)).Log() - n.Input(0).Log()), n.Args.Constants![0])));
    public static readonly Derivative BinaryCrossEntropyWithLogits = new("BinaryCrossEntropyWithLogitsBackward0", Save.Inputs,
        (n, g) =>
        {
            var (x, t, posWeight) = (n.Input(0), n.Input(1), n.Args.Constants![1]);
            var slope = posWeight is null ? x.Sigmoid() - t : (posWeight * t + 1 - t) * x.Sigmoid() - posWeight * t;
            return ScaledByReduction(n, Weighted(slope * g, n.Args.Constants[0]));
        },
        (n, g) =>
        {
            var (x, posWeight) = (n.Input(0), n.Args.Constants![1]);
            var slope = posWeight is null ? -x : (-x).Softplus() * posWeight - x.Softplus();
            return ScaledByReduction(n, Weighted(slope * g, n.Args.Constants[0]));
        });

    // In training the statistics are functions of the input, recomputed here so that the rule
    // differentiates again; in evaluation they are the constants the forward used.
    public static readonly Derivative BatchNorm = new("NativeBatchNormBackward0", Save.Input0 | Save.Input1,
        (n, g) =>
        {
            var scaled = g * n.Input(1).Reshape(n.Args.Shape!);
            return n.Args.Constants is { } stats
                ? scaled * stats[1]!
                : NormalizationInputGradient(n.Input(0), n.Args.Dims!, n.Args.Scalar, scaled);
        },
        (n, g) => (g * BatchNormalized(n)).Sum(n.Args.Dims!),
        (n, g) => g.Sum(n.Args.Dims!));
    public static readonly Derivative LayerNorm = new("NativeLayerNormBackward0", Save.Input0 | Save.Input1,
        (n, g) => NormalizationInputGradient(n.Input(0), n.Args.Dims!, n.Args.Scalar, g * n.Input(1)),
        (n, g) => g * Functional.Normalized(n.Input(0), n.Args.Dims!, n.Args.Scalar),
        (n, g) => g);

    private static Tensor BatchNormalized(Node n) => n.Args.Constants is { } stats
        ? (n.Input(0) - stats[0]!) * stats[1]!
        : Functional.Normalized(n.Input(0), n.Args.Dims!, n.Args.Scalar);

    /// <summary>d/dx of x̂ = (x - mean) / sqrt(var + eps) over <paramref name="dims"/>, given d/dx̂.</summary>
    private static Tensor NormalizationInputGradient(Tensor x, long[] dims, double eps, Tensor gradNormalized)
    {
        var centered = x - x.Mean(dims, keepDim: true);
        var invStd = (centered.Pow(2L).Mean(dims, keepDim: true) + eps).Sqrt().Reciprocal();
        var normalized = centered * invStd;
        return invStd * (gradNormalized - gradNormalized.Mean(dims, keepDim: true)
                         - normalized * (gradNormalized * normalized).Mean(dims, keepDim: true));
    }


    // ---- convolution and pooling (forward ops and kernels: Ops/Functional.Conv.cs, Functional.Pool.cs) ----
    // Each entry closes over its call's geometry. The gradients are themselves recorded ops whose
    // rules are the forward again (convolution and average pooling are linear, and each one's
    // gradient is the other's adjoint), so createGraph gives higher-order gradients.
    public static Derivative Convolution(ConvGeometry c) => new("ConvolutionBackward0", Save.Input0 | Save.Input1,
        (n, g) => Functional.ConvolutionBackwardInput(g, n.Input(1), c),
        (n, g) => Functional.ConvolutionBackwardWeight(n.Input(0), g, c),
        (n, g) => g.Sum([0, 2, 3]));
    public static Derivative ConvolutionBackwardInput(ConvGeometry c) => new("ConvolutionBackwardBackward0", Save.Input0 | Save.Input1,
        (n, g) => Functional.Convolution(g, n.Input(1), null, c),
        (n, g) => Functional.ConvolutionBackwardWeight(g, n.Input(0), c));
    public static Derivative ConvolutionBackwardWeight(ConvGeometry c) => new("ConvolutionBackwardBackward0", Save.Input0 | Save.Input1,
        (n, g) => Functional.ConvolutionBackwardInput(n.Input(1), g, c),
        (n, g) => Functional.Convolution(n.Input(0), g, null, c));
    public static Derivative MaxPool2d(PoolGeometry p, Tensor indices) => new("MaxPool2DWithIndicesBackward0", Save.Nothing,
        (n, g) => Functional.MaxPool2dBackward(g, indices, p));
    public static Derivative MaxPool2dBackward(PoolGeometry p, Tensor indices) => new("MaxPool2DWithIndicesBackwardBackward0", Save.Nothing,
        (n, g) => Functional.GatherByPoolIndices(g, indices, p));
    public static Derivative AvgPool2d(PoolGeometry p) => new("AvgPool2DBackward0", Save.Nothing,
        (n, g) => Functional.AvgPool2dBackward(g, p));
    public static Derivative AvgPool2dBackward(PoolGeometry p) => new("AvgPool2DBackwardBackward0", Save.Nothing,
        (n, g) => Functional.AvgPool2dForward(g, p));
    public static Derivative AdaptiveAvgPool2d(PoolGeometry p) => new("AdaptiveAvgPool2DBackward0", Save.Nothing,
        (n, g) => Functional.AdaptiveAvgPool2dBackward(g, p));
    public static Derivative AdaptiveAvgPool2dBackward(PoolGeometry p) => new("AdaptiveAvgPool2DBackwardBackward0", Save.Nothing,
        (n, g) => Functional.AdaptiveAvgPool2dForward(g, p));
}
