namespace NativeGrad;

/// <summary>
/// The derivative table: every differentiable operation's backward rule and forward (tangent)
/// rule, in one place (PyTorch's derivatives.yaml and its <c>result:</c> lines). Each entry names
/// the node as PyTorch does, says what the forward saves, and gives one formula per input; its
/// <c>Forward</c> initializer gives one tangent share per input (or <c>ForwardAsBackward</c> where
/// the backward formulas are also the tangent's, see <see cref="Derivative.ForwardAsBackward"/>).
/// Formulas are Tensor expressions, so they are themselves recorded when a backward pass runs with
/// createGraph and can be differentiated again. The engine sums each gradient back to its input's
/// shape and dtype, and expands each tangent to the result's, so formulas may broadcast.
/// The table spans Derivatives.cs (elementwise, views, indexing), Derivatives.Reductions.cs and
/// Derivatives.Nn.cs.
/// </summary>
internal static partial class Derivatives
{
    private static readonly double TwoOverSqrtPi = 2 / Math.Sqrt(Math.PI);
    private static readonly double InvSqrt2 = 1 / Math.Sqrt(2);
    private static readonly double InvSqrt2Pi = 1 / Math.Sqrt(2 * Math.PI);

    private static long[] InShape(IOpRecord n, int i = 0) => n.Inputs[i].Shape;

    // ---- unary ----------------------------------------------------------------------------------
    public static readonly Derivative Neg = new("NegBackward0", Save.Nothing, (n, g) => -g) { ForwardAsBackward = true };
    public static readonly Derivative Exp = new("ExpBackward0", Save.Output, (n, g) => g * n.Output) { ForwardAsBackward = true };
    public static readonly Derivative Log = new("LogBackward0", Save.Input0, (n, g) => g / n.Input(0)) { ForwardAsBackward = true };
    public static readonly Derivative Sqrt = new("SqrtBackward0", Save.Output, (n, g) => g / (2 * n.Output)) { ForwardAsBackward = true };
    public static readonly Derivative Abs = new("AbsBackward0", Save.Input0, (n, g) => g * n.Input(0).Sign()) { ForwardAsBackward = true };
    public static readonly Derivative Relu = new("ReluBackward0", Save.Output, (n, g) => Tensor.Where(n.Output > 0, g, 0.0))
        { ForwardAsBackward = true };
    public static readonly Derivative Sigmoid = new("SigmoidBackward0", Save.Output, (n, g) => g * n.Output * (1 - n.Output))
        { ForwardAsBackward = true };
    public static readonly Derivative Tanh = new("TanhBackward0", Save.Output, (n, g) => g * (1 - n.Output * n.Output))
        { ForwardAsBackward = true };
    public static readonly Derivative Sin = new("SinBackward0", Save.Input0, (n, g) => g * n.Input(0).Cos()) { ForwardAsBackward = true };
    public static readonly Derivative Cos = new("CosBackward0", Save.Input0, (n, g) => g * -n.Input(0).Sin()) { ForwardAsBackward = true };
    public static readonly Derivative Erf = new("ErfBackward0", Save.Input0,
        (n, g) => g * TwoOverSqrtPi * (-(n.Input(0) * n.Input(0))).Exp()) { ForwardAsBackward = true };
    public static readonly Derivative Gelu = new("GeluBackward0", Save.Input0, (n, g) =>
    {
        var x = n.Input(0);
        var cdf = 0.5 * (1 + (x * InvSqrt2).Erf());
        var pdf = (x * x * -0.5).Exp() * InvSqrt2Pi;
        return g * (cdf + x * pdf);
    }) { ForwardAsBackward = true };
    public static readonly Derivative Sign = new("SignBackward0", Save.Nothing, (n, g) => Tensor.ZerosLike(g)) { ForwardAsBackward = true };
    public static readonly Derivative Reciprocal = new("ReciprocalBackward0", Save.Output, (n, g) => -g * n.Output * n.Output)
        { ForwardAsBackward = true };
    public static readonly Derivative LeakyRelu = new("LeakyReluBackward0", Save.Input0,
        (n, g) => Tensor.Where(n.Input(0) > 0, g, g * n.Args.Scalar)) { ForwardAsBackward = true };
    public static readonly Derivative Softplus = new("SoftplusBackward0", Save.Input0, (n, g) => g * n.Input(0).Sigmoid())
        { ForwardAsBackward = true };
    public static readonly Derivative Clamp = new("ClampBackward1", Save.Input0, (n, g) =>
        Tensor.Where(n.Input(0) >= n.Args.Scalar, Tensor.Where(n.Input(0) <= n.Args.Scalar2, g, 0.0), 0.0)) { ForwardAsBackward = true };
    public static readonly Derivative ClampMin = new("ClampMinBackward0", Save.Input0, (n, g) =>
        Tensor.Where(n.Input(0) >= n.Args.Scalar, g, 0.0)) { ForwardAsBackward = true };
    public static readonly Derivative ClampMax = new("ClampMaxBackward0", Save.Input0, (n, g) =>
        Tensor.Where(n.Input(0) <= n.Args.Scalar, g, 0.0)) { ForwardAsBackward = true };
    // ---- elementwise math (Ops/Tensor.ElementwiseMath.cs) ------------------------------------------
    // Rounding is flat almost everywhere: PyTorch's gradient is zero, and so is this.
    public static readonly Derivative Floor = new("FloorBackward0", Save.Nothing, (n, g) => Tensor.ZerosLike(g))
        { ForwardAsBackward = true };
    public static readonly Derivative Ceil = new("CeilBackward0", Save.Nothing, (n, g) => Tensor.ZerosLike(g)) { ForwardAsBackward = true };
    public static readonly Derivative Round = new("RoundBackward0", Save.Nothing, (n, g) => Tensor.ZerosLike(g))
        { ForwardAsBackward = true };
    public static readonly Derivative RoundDecimals = new("RoundBackward1", Save.Nothing, (n, g) => Tensor.ZerosLike(g))
        { ForwardAsBackward = true };
    public static readonly Derivative Trunc = new("TruncBackward0", Save.Nothing, (n, g) => Tensor.ZerosLike(g))
        { ForwardAsBackward = true };
    public static readonly Derivative Frac = new("FracBackward0", Save.Nothing, (n, g) => g) { ForwardAsBackward = true };
    public static readonly Derivative Rsqrt = new("RsqrtBackward0", Save.Output, (n, g) => -0.5 * g * n.Output.Pow(3L))
        { ForwardAsBackward = true };
    public static readonly Derivative Log1p = new("Log1PBackward0", Save.Input0, (n, g) => g / (n.Input(0) + 1))
        { ForwardAsBackward = true };
    public static readonly Derivative Expm1 = new("Expm1Backward0", Save.Output, (n, g) => g * (n.Output + 1)) { ForwardAsBackward = true };
    public static readonly Derivative Log2 = new("Log2Backward0", Save.Input0, (n, g) => g / (n.Input(0) * Math.Log(2)))
        { ForwardAsBackward = true };
    public static readonly Derivative Log10 = new("Log10Backward0", Save.Input0, (n, g) => g / (n.Input(0) * Math.Log(10)))
        { ForwardAsBackward = true };
    public static readonly Derivative Asin = new("AsinBackward0", Save.Input0, (n, g) => g * (1 - n.Input(0) * n.Input(0)).Rsqrt())
        { ForwardAsBackward = true };
    public static readonly Derivative Acos = new("AcosBackward0", Save.Input0, (n, g) => g * -(1 - n.Input(0) * n.Input(0)).Rsqrt())
        { ForwardAsBackward = true };
    public static readonly Derivative Atan = new("AtanBackward0", Save.Input0, (n, g) => g / (n.Input(0) * n.Input(0) + 1))
        { ForwardAsBackward = true };
    public static readonly Derivative Sinh = new("SinhBackward0", Save.Input0, (n, g) => g * n.Input(0).Cosh())
        { ForwardAsBackward = true };
    public static readonly Derivative Cosh = new("CoshBackward0", Save.Input0, (n, g) => g * n.Input(0).Sinh())
        { ForwardAsBackward = true };
    public static readonly Derivative Atan2 = new("Atan2Backward0", Save.Inputs,
        (n, g) => g * n.Input(1) / (n.Input(0) * n.Input(0) + n.Input(1) * n.Input(1)),
        (n, g) => g * -n.Input(0) / (n.Input(0) * n.Input(0) + n.Input(1) * n.Input(1))) { ForwardAsBackward = true };
    public static readonly Derivative Hypot = new("HypotBackward0", Save.Inputs | Save.Output,
        (n, g) => g * n.Input(0) / n.Output, (n, g) => g * n.Input(1) / n.Output) { ForwardAsBackward = true };
    // a - q * b with q = trunc(a / b) (fmod) or floor(a / b) (remainder), q flat almost everywhere.
    public static readonly Derivative FmodScalar = new("FmodBackward0", Save.Nothing, (n, g) => g) { ForwardAsBackward = true };
    public static readonly Derivative Fmod = new("FmodBackward1", Save.Inputs,
        (n, g) => g, (n, g) => -g * (n.Input(0) / n.Input(1)).Trunc()) { ForwardAsBackward = true };
    public static readonly Derivative RemainderScalar = new("RemainderBackward0", Save.Nothing, (n, g) => g) { ForwardAsBackward = true };
    public static readonly Derivative Remainder = new("RemainderBackward1", Save.Inputs,
        (n, g) => g, (n, g) => -g * (n.Input(0) / n.Input(1)).Floor()) { ForwardAsBackward = true };

    // ---- NaN handling, clamp with tensor bounds, lerp (Ops/Tensor.ElementwiseLogic.cs) --------------
    public static readonly Derivative NanToNum = new("NanToNumBackward0", Save.Input0,
        (n, g) => Tensor.Where(n.Input(0).IsFinite(), g, 0.0))
        { ForwardAsBackward = true };
    // Where min > max the result is max: only max's gradient flows, as in PyTorch's clamp_backward_min_max.
    public static readonly Derivative ClampTensor = new("ClampBackward0", Save.Inputs,
        (n, g) => Tensor.Where(Tensor.LogicalAnd(n.Input(0) >= n.Input(1), n.Input(0) <= n.Input(2)), g, 0.0),
        (n, g) => Tensor.Where(Tensor.LogicalAnd(n.Input(0) < n.Input(1), n.Input(1) < n.Input(2)), g, 0.0),
        (n, g) => Tensor.Where(Tensor.LogicalOr(n.Input(0) > n.Input(2), n.Input(2) < n.Input(1)), g, 0.0)) { ForwardAsBackward = true };
    public static readonly Derivative ClampTensorMin = new("ClampBackward0", Save.Inputs,
        (n, g) => Tensor.Where(n.Input(0) >= n.Input(1), g, 0.0), (n, g) => Tensor.Where(n.Input(0) < n.Input(1), g, 0.0))
        { ForwardAsBackward = true };
    public static readonly Derivative ClampTensorMax = new("ClampBackward0", Save.Inputs,
        (n, g) => Tensor.Where(n.Input(0) <= n.Input(1), g, 0.0), (n, g) => Tensor.Where(n.Input(0) > n.Input(1), g, 0.0))
        { ForwardAsBackward = true };
    public static readonly Derivative LerpScalar = new("LerpBackward0", Save.Nothing,
        (n, g) => g * (1 - n.Args.Scalar), (n, g) => g * n.Args.Scalar) { ForwardAsBackward = true };
    public static readonly Derivative LerpTensor = new("LerpBackward1", Save.Inputs,
        (n, g) => g * (1 - n.Input(2)), (n, g) => g * n.Input(2), (n, g) => g * (n.Input(1) - n.Input(0))) { ForwardAsBackward = true };

    public static readonly Derivative Addcmul = new("AddcmulBackward0", Save.Input1 | Save.Input2,
        (n, g) => g, (n, g) => g * (n.Input(2) * n.Args.Scalar), (n, g) => g * (n.Input(1) * n.Args.Scalar)) { ForwardAsBackward = true };
    public static readonly Derivative Addcdiv = new("AddcdivBackward0", Save.Input1 | Save.Input2,
        (n, g) => g, (n, g) => g * (n.Args.Scalar / n.Input(2)),
        (n, g) => -g * (n.Args.Scalar * n.Input(1) / (n.Input(2) * n.Input(2)))) { ForwardAsBackward = true };

    public static readonly Derivative ToCopy = new("ToCopyBackward0", Save.Nothing, (n, g) => g.To(n.Inputs[0].DType))
        { Forward = [(f, t) => t.To(f.Output.DType)] };

    // In-place ops that overwrite every element: nothing flows back to the old values, and copy_
    // passes the gradient to its source (the engine sums and casts it).
    public static readonly Derivative Zero = new("ZeroBackward0", Save.Nothing, (n, g) => Tensor.ZerosLike(g)) { ForwardAsBackward = true };
    public static readonly Derivative Fill = new("FillBackward2", Save.Nothing, (n, g) => Tensor.ZerosLike(g)) { ForwardAsBackward = true };
    public static readonly Derivative Copy = new("CopyBackwards", Save.Nothing, (n, g) => Tensor.ZerosLike(g), (n, g) => g)
        { ForwardAsBackward = true };

    // ---- binary -----------------------------------------------------------------------------------
    public static readonly Derivative Add = new("AddBackward0", Save.Nothing, (n, g) => g, (n, g) => g) { ForwardAsBackward = true };
    public static readonly Derivative Sub = new("SubBackward0", Save.Nothing, (n, g) => g, (n, g) => -g) { ForwardAsBackward = true };
    // add and sub with alpha: other's gradient is alpha * grad (-alpha * grad), under PyTorch's names.
    public static readonly Derivative AddScaled = new("AddBackward0", Save.Nothing, (n, g) => g, (n, g) => g * n.Args.Scalar)
        { ForwardAsBackward = true };
    public static readonly Derivative SubScaled = new("SubBackward0", Save.Nothing, (n, g) => g, (n, g) => -g * n.Args.Scalar)
        { ForwardAsBackward = true };
    public static readonly Derivative ReverseSub = new("RsubBackward1", Save.Nothing, (n, g) => -g) { ForwardAsBackward = true };
    public static readonly Derivative Mul = new("MulBackward0", Save.Inputs, (n, g) => g * n.Input(1), (n, g) => g * n.Input(0))
        { ForwardAsBackward = true };
    public static readonly Derivative Div = new("DivBackward0", Save.Inputs,
        (n, g) => g / n.Input(1),
        (n, g) => -g * n.Input(0) / (n.Input(1) * n.Input(1))) { ForwardAsBackward = true };
    // Ties split the gradient in half between the two inputs, as in PyTorch.
    public static readonly Derivative Maximum = new("MaximumBackward0", Save.Inputs,
        (n, g) => Tensor.Where(n.Input(0) == n.Input(1), g / 2.0, Tensor.Where(n.Input(0) > n.Input(1), g, 0.0)),
        (n, g) => Tensor.Where(n.Input(0) == n.Input(1), g / 2.0, Tensor.Where(n.Input(0) < n.Input(1), g, 0.0)))
        { ForwardAsBackward = true };
    public static readonly Derivative Minimum = new("MinimumBackward0", Save.Inputs,
        (n, g) => Tensor.Where(n.Input(0) == n.Input(1), g / 2.0, Tensor.Where(n.Input(0) < n.Input(1), g, 0.0)),
        (n, g) => Tensor.Where(n.Input(0) == n.Input(1), g / 2.0, Tensor.Where(n.Input(0) > n.Input(1), g, 0.0)))
        { ForwardAsBackward = true };
    public static readonly Derivative PowScalar = new("PowBackward0", Save.Input0, (n, g) =>
        n.Args.Scalar == 0 ? Tensor.ZerosLike(n.Input(0)) : g * n.Args.Scalar * n.Input(0).Pow(n.Args.Scalar - 1))
        { ForwardAsBackward = true };
    public static readonly Derivative PowTensor = new("PowBackward1", Save.Inputs | Save.Output,
        (n, g) => Tensor.Where(n.Input(1) == 0.0, 0.0, g * n.Input(1) * n.Input(0).Pow(n.Input(1) - 1)),
        (n, g) => Tensor.Where(n.Input(0) == 0.0, Tensor.Where(n.Input(1) >= 0.0, 0.0, g * n.Output * n.Input(0).Log()),
                               g * n.Output * n.Input(0).Log())) { ForwardAsBackward = true };
    public static readonly Derivative PowScalarBase = new("PowBackward2", Save.Output, (n, g) =>
        n.Args.Scalar == 0 ? Tensor.ZerosLike(n.Output) : g * n.Output * Math.Log(n.Args.Scalar)) { ForwardAsBackward = true };
    public static readonly Derivative Where = new("WhereBackward0", Save.Nothing,
        (n, g) => Tensor.Where(n.Args.Index!, g, 0.0),
        (n, g) => Tensor.Where(n.Args.Index!, 0.0, g)) { ForwardAsBackward = true };

    // ---- views and copies ------------------------------------------------------------------------
    public static readonly Derivative View = new("ViewBackward0", Save.Nothing, (n, g) => g.Reshape(InShape(n)))
        { Forward = [(f, t) => t.Reshape(f.Output.shape)] };
    public static readonly Derivative ReshapeAlias = new("ReshapeAliasBackward0", Save.Nothing, (n, g) => g.Reshape(InShape(n)))
        { Forward = [(f, t) => t.Reshape(f.Output.shape)] };
    public static readonly Derivative UnsafeView = new("UnsafeViewBackward0", Save.Nothing, (n, g) => g.Reshape(InShape(n)))
        { Forward = [(f, t) => t.Reshape(f.Output.shape)] };
    public static readonly Derivative SqueezeAll = new("SqueezeBackward0", Save.Nothing, (n, g) => g.Reshape(InShape(n)))
        { Forward = [(f, t) => t.Reshape(f.Output.shape)] };
    public static readonly Derivative Squeeze = new("SqueezeBackward1", Save.Nothing, (n, g) => g.Reshape(InShape(n)))
        { Forward = [(f, t) => t.Reshape(f.Output.shape)] };
    public static readonly Derivative SqueezeMatmul = new("SqueezeBackward3", Save.Nothing, (n, g) => g.Reshape(InShape(n)))
        { Forward = [(f, t) => t.Reshape(f.Output.shape)] };
    public static readonly Derivative Unsqueeze = new("UnsqueezeBackward0", Save.Nothing, (n, g) => g.Squeeze((int)n.Args.Dims![0]))
        { Forward = [(f, t) => t.Reshape(f.Output.shape)] };
    public static readonly Derivative Transpose = new("TransposeBackward0", Save.Nothing,
        (n, g) => g.Transpose((int)n.Args.Dims![0], (int)n.Args.Dims[1])) { ForwardAsBackward = true };
    public static readonly Derivative Permute = new("PermuteBackward0", Save.Nothing, (n, g) =>
    {
        var order = n.Args.Dims!;
        var inverse = new int[order.Length];
        for (int i = 0; i < order.Length; i++) inverse[order[i]] = i;
        return g.Permute(inverse);
    }) { Forward = [(f, t) => t.Permute(Array.ConvertAll(f.Args.Dims!, d => (int)d))] };
    public static readonly Derivative Expand = new("ExpandBackward0", Save.Nothing, (n, g) => Engine.SumToShape(g, InShape(n)))
        { Forward = [(f, t) => t.Expand(f.Output.shape)] };
    public static readonly Derivative Slice = new("SliceBackward0", Save.Nothing, (n, g) =>
    {
        var (dim, range) = ((int)n.Args.Dims![0], n.Args.Sizes!);
        return Tensor.ScatterIntoZeros(g, InShape(n), t => t.Slice(dim, range[0], range[1], range[2]));
    }) { Forward = [(f, t) => t.Slice((int)f.Args.Dims![0], f.Args.Sizes![0], f.Args.Sizes[1], f.Args.Sizes[2])] };
    public static readonly Derivative Select = new("SelectBackward0", Save.Nothing, (n, g) =>
    {
        var (dim, index) = ((int)n.Args.Dims![0], (long)n.Args.Scalar);
        return Tensor.ScatterIntoZeros(g, InShape(n), t => t.Select(dim, index));
    }) { Forward = [(f, t) => t.Select((int)f.Args.Dims![0], (long)f.Args.Scalar)] };
    public static Derivative ViewScatter(Func<Tensor, Tensor> view) => new("ViewScatterBackward0", Save.Nothing, (n, g) => view(g))
        { Forward = [(f, t) => Tensor.ScatterIntoZeros(t, f.Output.shape, view)] };
    // ForwardAD.UnpackDual's primal: a view that passes gradients straight through (PyTorch's name).
    public static readonly Derivative Identity = new("torch::autograd::Identity", Save.Nothing, (n, g) => g) { ForwardAsBackward = true };
    public static readonly Derivative Clone = new("CloneBackward0", Save.Nothing, (n, g) => g) { ForwardAsBackward = true };
    public static readonly Derivative IndexSelect = new("IndexSelectBackward0", Save.Nothing,
        (n, g) => Tensor.IndexAddIntoZeros(g, InShape(n), (int)n.Args.Dims![0], n.Args.Index!))
        { Forward = [(f, t) => t.IndexSelect((int)f.Args.Dims![0], f.Args.Index!)] };
    public static readonly Derivative IndexAddIntoZeros = new("IndexAddBackward0", Save.Nothing,
        (n, g) => g.IndexSelect((int)n.Args.Dims![0], n.Args.Index!))
        { Forward = [(f, t) => Tensor.IndexAddIntoZeros(t, f.Output.shape, (int)f.Args.Dims![0], f.Args.Index!)] };
    public static readonly Derivative Cat = Derivative.Variadic("CatBackward0", Save.Nothing, (n, g, i) =>
    {
        int dim = (int)n.Args.Dims![0];
        long start = n.Args.Sizes!.Take(i).Sum();
        return g.Narrow(dim, start, n.Args.Sizes![i]);
    },
        forward: f => Tensor.Cat(Enumerable.Range(0, f.InputCount).Select(f.TangentOrZeros).ToArray(), (int)f.Args.Dims![0]));
    public static readonly Derivative Stack = Derivative.Variadic("StackBackward0", Save.Nothing,
        (n, g, i) => g.Select((int)n.Args.Dims![0], i),
        forward: f => Tensor.Stack(Enumerable.Range(0, f.InputCount).Select(f.TangentOrZeros).ToArray(), (int)f.Args.Dims![0]));

    // ---- indexing and rearranging (Ops/Tensor.Indexing.cs, Tensor.Rearranging.cs) ------------------
    // Each entry closes over the flat positions its forward moved: a take's gradient puts back into
    // zeros at them, and a put's gradient takes from them, so either differentiates again.
    public static Derivative TakeAt(string name, long[] flat, long[] baseShape) => new(name, Save.Nothing,
        (n, g) => Tensor.PutIntoZeros(g, baseShape, flat))
        { Forward = [(f, t) => Tensor.TakeFlat(t.Expand(baseShape), flat, f.Output.shape, name)] };
    public static Derivative PutAt(long[] flat) => new("PutBackward0", Save.Nothing,
        (n, g) => Tensor.TakeFlat(g, flat, InShape(n), "TakeBackward0"))
        { Forward = [(f, t) => Tensor.PutIntoZeros(t, f.Output.shape, flat)] };
    // A source read at `source` and written at `destination` receives the gradient at `destination`.
    private static Tensor MovedGradient(IOpRecord n, Tensor g, long[] destination, long[] source, int input) =>
        Tensor.PutIntoZeros(Tensor.TakeFlat(g, destination, [destination.LongLength], "TakeBackward0"), InShape(n, input), source);
    // The forward direction: a source element read at `source` lands in the result at `destination`.
    private static Tensor MovedTangent(ForwardContext f, Tensor t, long[] destination, long[] source) =>
        Tensor.PutIntoZeros(Tensor.TakeFlat(t, source, [source.LongLength], "TakeBackward0"), f.Output.shape, destination);
    public static Derivative Scatter(int dim, Tensor index, long[] destination, long[] source) => new("ScatterBackward0", Save.Nothing,
        (n, g) => g.Scatter(dim, index, 0.0), (n, g) => MovedGradient(n, g, destination, source, 1))
        { Forward = [(f, t) => t.Scatter(dim, index, 0.0), (f, t) => MovedTangent(f, t, destination, source)] };
    public static Derivative ScatterValue(int dim, Tensor index) => new("ScatterBackward1", Save.Nothing,
        (n, g) => g.Scatter(dim, index, 0.0)) { ForwardAsBackward = true };
    public static Derivative ScatterAdd(long[] destination, long[] source) => new("ScatterAddBackward0", Save.Nothing,
        (n, g) => g, (n, g) => MovedGradient(n, g, destination, source, 1))
        { Forward = [(f, t) => t, (f, t) => MovedTangent(f, t, destination, source)] };
    public static Derivative IndexAdd(long[] flat, double alpha) => new("IndexAddBackward0", Save.Nothing,
        (n, g) => g, (n, g) => alpha * Tensor.TakeFlat(g, flat, InShape(n, 1), "TakeBackward0"))
        { Forward = [(f, t) => t, (f, t) => alpha * Tensor.PutIntoZeros(t, f.Output.shape, flat)] };
    // Without accumulate the old values at the written positions are gone, so their gradient is zero.
    public static Derivative IndexPut(long[] flat, long[] valuesShape, bool accumulate) => new("IndexPutBackward0", Save.Nothing,
        (n, g) => accumulate ? g : g * Tensor.ZerosAt(InShape(n), flat, g.DType),
        (n, g) => Tensor.TakeFlat(g, flat, valuesShape, "TakeBackward0"))
        {
            Forward =
            [
                (f, t) => accumulate ? t : t * Tensor.ZerosAt(f.Output.shape, flat, t.DType),
                (f, t) => Tensor.PutIntoZeros(t.Expand(valuesShape), f.Output.shape, flat),
            ],
        };
    public static Derivative MaskedFill(Tensor mask) => new("MaskedFillBackward0", Save.Nothing, (n, g) => Tensor.Where(mask, 0.0, g))
        { ForwardAsBackward = true };
    public static Derivative MaskedFillTensor(Tensor mask) => new("MaskedFillBackward1", Save.Nothing,
        (n, g) => Tensor.Where(mask, 0.0, g), (n, g) => Tensor.Where(mask, g, 0.0).Sum())
        { Forward = [(f, t) => Tensor.Where(mask, 0.0, t), (f, t) => Tensor.Where(mask, t, 0.0)] };
    public static Derivative Piece(string name, Func<Tensor, Tensor> view) => new(name, Save.Nothing,
        (n, g) => Tensor.ScatterIntoZeros(g, InShape(n), view)) { Forward = [(f, t) => view(t)] };
    // repeat: the output is the input tiled; viewed as [r0, s0, r1, s1, ...] its gradient sums over the r axes.
    public static Derivative Repeat(long[] repeats) => new("RepeatBackward0", Save.Nothing, (n, g) =>
    {
        var inShape = InShape(n);
        long[] padded = [.. Enumerable.Repeat(1L, repeats.Length - inShape.Length), .. inShape];
        if (repeats.Length == 0) return g;
        var split = padded.SelectMany((size, d) => new[] { repeats[d], size }).ToArray();
        var tiles = Enumerable.Range(0, repeats.Length).Select(d => 2L * d).ToArray();
        return g.Reshape(split).Sum(tiles).Reshape(inShape);
    }) { Forward = [(f, t) => t.Repeat(repeats)] };
    public static Derivative Flip(long[] dims) => new("FlipBackward0", Save.Nothing, (n, g) => g.Flip(dims)) { ForwardAsBackward = true };
    public static Derivative Roll(long[] shifts, long[] dims) => new("RollBackward0", Save.Nothing,
        (n, g) => g.Roll(shifts.Select(s => -s).ToArray(), dims)) { Forward = [(f, t) => t.Roll(shifts, dims)] };
    public static Derivative Tril(long diagonal) => new("TrilBackward0", Save.Nothing, (n, g) => g.Tril(diagonal))
        { ForwardAsBackward = true };
    public static Derivative Triu(long diagonal) => new("TriuBackward0", Save.Nothing, (n, g) => g.Triu(diagonal))
        { ForwardAsBackward = true };
    public static Derivative DiagOfVector(long diagonal) => new("DiagBackward0", Save.Nothing, (n, g) => g.Diagonal(diagonal))
        { Forward = [(f, t) => t.Diag(diagonal)] };
    public static Derivative DiagOfMatrix(long diagonal) => new("DiagBackward0", Save.Nothing,
        (n, g) => Tensor.ScatterIntoZeros(g, InShape(n), t => t.Diagonal(diagonal))) { Forward = [(f, t) => t.Diag(diagonal)] };
    public static Derivative Diagonal(long offset, int dim1, int dim2) => new("DiagonalBackward0", Save.Nothing,
        (n, g) => Tensor.ScatterIntoZeros(g, InShape(n), t => t.Diagonal(offset, dim1, dim2)))
        { Forward = [(f, t) => t.Diagonal(offset, dim1, dim2)] };

    // index_fill (Ops/Tensor.IndexingInPlace.cs): the filled slices, at `flat`, take no gradient
    // from the old values; a tensor value gets the sum of the gradient over them, and its tangent
    // lands in them.
    public static Derivative IndexFill(long[] flat) => new("IndexFillBackward0", Save.Nothing,
        (n, g) => g * Tensor.ZerosAt(InShape(n), flat, g.DType)) { ForwardAsBackward = true };
    public static Derivative IndexFillTensor(long[] flat) => new("IndexFillBackward1", Save.Nothing,
        (n, g) => g * Tensor.ZerosAt(InShape(n), flat, g.DType),
        (n, g) => Tensor.TakeFlat(g, flat, [flat.LongLength], "TakeBackward0").Sum())
    {
        Forward = [(f, t) => t * Tensor.ZerosAt(InShape(f), flat, t.DType), (f, t) => (1 - Tensor.ZerosAt(InShape(f), flat, t.DType)) * t],
    };
}
