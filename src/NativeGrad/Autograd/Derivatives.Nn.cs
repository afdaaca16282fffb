namespace NativeGrad;

// The derivative table, continued (see Derivatives.cs): softmax, activations, losses, normalisation, convolution, pooling.
internal static partial class Derivatives
{
    // ---- neural-network functions ------------------------------------------------------------------
    // One fused kernel when the backward is not recorded (see Tensor.SoftmaxBackwardFused), else these compositions.
    public static readonly Derivative Softmax = new("SoftmaxBackward0", Save.Output, (n, g) =>
        Tensor.SoftmaxBackwardFused(g, n.Output, (int)n.Args.Dims![0], log: false)
        ?? n.Output * (g - (g * n.Output).Sum(n.Args.Dims!, keepDim: true))) { ForwardAsBackward = true };
    public static readonly Derivative LogSoftmax = new("LogSoftmaxBackward0", Save.Output, (n, g) =>
        Tensor.SoftmaxBackwardFused(g, n.Output, (int)n.Args.Dims![0], log: true)
        ?? g - n.Output.Exp() * g.Sum(n.Args.Dims!, keepDim: true))
        { Forward = [(f, t) => t - (t * f.Output.Exp()).Sum(f.Args.Dims!, keepDim: true)] };
    public static readonly Derivative MseLoss = new("MseLossBackward0", Save.Inputs,
        (n, g) => Functional.ScaleForReduction(2 * (n.Input(0) - n.Input(1)) * g, n.Input(0), (Reduction)n.Args.Scalar),
        (n, g) => Functional.ScaleForReduction(-2 * (n.Input(0) - n.Input(1)) * g, n.Input(0), (Reduction)n.Args.Scalar))
        {
            Forward =
            [
                (f, t) => ReducedAsLoss(f, 2 * (f.Input(0) - f.Input(1)) * t),
                (f, t) => ReducedAsLoss(f, -2 * (f.Input(0) - f.Input(1)) * t),
            ],
        };
    // ---- nn functions: activations, losses, normalisation, embedding (Ops/Functional.*.cs) --------
    internal const double GeluKappa = 0.044715;
    internal static readonly double GeluBeta = Math.Sqrt(2 / Math.PI);

    public static readonly Derivative Silu = new("SiluBackward0", Save.Input0, (n, g) =>
    {
        var sigmoid = n.Input(0).Sigmoid();
        return g * sigmoid * (1 + n.Input(0) * (1 - sigmoid));
    }) { ForwardAsBackward = true };
    // PyTorch takes the negative branch at 0 in both directions.
    public static readonly Derivative Elu = new("EluBackward0", Save.Input0,
        (n, g) => Tensor.Where(n.Input(0) <= 0.0, g * n.Args.Scalar * n.Input(0).Exp(), g)) { ForwardAsBackward = true };
    // Unlike clamp, hardtanh passes no gradient at the bounds themselves.
    public static readonly Derivative Hardtanh = new("HardtanhBackward0", Save.Input0, (n, g) =>
        Tensor.Where(n.Input(0) <= n.Args.Scalar, 0.0, Tensor.Where(n.Input(0) >= n.Args.Scalar2, 0.0, g))) { ForwardAsBackward = true };
    public static readonly Derivative GeluTanh = new("GeluBackward0", Save.Input0, (n, g) =>
    {
        var x = n.Input(0);
        var tanhInner = ((x + x * x * x * GeluKappa) * GeluBeta).Tanh();
        var left = 0.5 * (1 + tanhInner);
        var right = 0.5 * x * (1 - tanhInner * tanhInner) * GeluBeta * (1 + 3 * GeluKappa * x * x);
        return g * (left + right);
    }) { ForwardAsBackward = true };
    public static readonly Derivative DivScalar = new("DivBackward1", Save.Nothing, (n, g) => g / n.Args.Scalar)
        { ForwardAsBackward = true };

    public static readonly Derivative Embedding = new("EmbeddingBackward0", Save.Nothing, (n, g) =>
    {
        var index = n.Args.Index!;
        var rows = g.Reshape(-1, InShape(n)[1]);
        if (n.Args.Scalar >= 0) rows = Tensor.Where((index == (long)n.Args.Scalar).Unsqueeze(1), 0.0, rows);
        return Tensor.IndexAddIntoZeros(rows, InShape(n), 0, index);
    }) { Forward = [(f, t) => t.IndexSelect(0, f.Args.Index!).Reshape(f.Output.shape)] };

    public static readonly Derivative NllLoss = new("NllLossBackward0", Save.Nothing, NllLossGradient) { Forward = [NllLossTangent] };
    public static readonly Derivative NllLoss2d = new("NllLoss2DBackward0", Save.Nothing, NllLossGradient) { Forward = [NllLossTangent] };

    // The forward kept each sample's weight (0 where ignored), their total and the gather index
    // (-1 where ignored). The input's gradient is -weight * g (divided by the total for the mean)
    // at each sample's target and +0 elsewhere: scattered by one kernel when the backward is not
    // recorded, a differentiable Where of the target mask under createGraph; the same bits.
    private static Tensor NllLossGradient(IOpRecord n, Tensor g)
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
        return Tensor.Where(IsNllTarget(n), values.Unsqueeze(classDim), 0.0);
    }

    // Each sample's tangent at its target, weighted and reduced as the loss is.
    private static Tensor NllLossTangent(ForwardContext f, Tensor t)
    {
        var (weights, total) = (f.Args.Constants![0]!, f.Args.Constants[1]!);
        var picked = -weights * Tensor.Where(IsNllTarget(f), t, 0.0).Sum((int)f.Args.Dims![0]);
        return (Reduction)f.Args.Scalar switch
        {
            Reduction.None => picked.Reshape(f.Output.shape),
            Reduction.Sum => picked.Sum(),
            _ => picked.Sum() / total,
        };
    }

    // True at each sample's target class (never where the index is -1, an ignored sample).
    private static Tensor IsNllTarget(IOpRecord n)
    {
        int classDim = (int)n.Args.Dims![0];
        var classShape = Enumerable.Repeat(1L, InShape(n).Length).ToArray();
        classShape[classDim] = InShape(n)[classDim];
        return Tensor.Arange(classShape[classDim]).Reshape(classShape) == n.Args.Index!.Unsqueeze(classDim);
    }

    public static readonly Derivative SmoothL1Loss = new("SmoothL1LossBackward0", Save.Inputs,
        (n, g) => ScaledByReduction(n, SmoothL1Slope(n) * g),
        (n, g) => ScaledByReduction(n, -SmoothL1Slope(n) * g))
        { Forward = [(f, t) => ReducedAsLoss(f, SmoothL1Slope(f) * t), (f, t) => ReducedAsLoss(f, -SmoothL1Slope(f) * t)] };
    public static readonly Derivative HuberLoss = new("HuberLossBackward0", Save.Inputs,
        (n, g) => ScaledByReduction(n, HuberSlope(n) * g),
        (n, g) => ScaledByReduction(n, -HuberSlope(n) * g))
        { Forward = [(f, t) => ReducedAsLoss(f, HuberSlope(f) * t), (f, t) => ReducedAsLoss(f, -HuberSlope(f) * t)] };

    // d/dx of the smooth L1 loss; beta 0 is the L1 loss, whose slope PyTorch takes as -1 at 0.
    private static Tensor SmoothL1Slope(IOpRecord n)
    {
        var d = n.Input(0) - n.Input(1);
        double beta = n.Args.Scalar2;
        return beta == 0
            ? Tensor.Where(d <= 0.0, -1.0, Tensor.OnesLike(d))
            : Tensor.Where(d <= -beta, -1.0, Tensor.Where(d >= beta, 1.0, d / beta));
    }

    private static Tensor HuberSlope(IOpRecord n)
    {
        var d = n.Input(0) - n.Input(1);
        double delta = n.Args.Scalar2;
        return Tensor.Where(d < -delta, -delta, Tensor.Where(d > delta, delta, d));
    }

    private static Tensor ScaledByReduction(IOpRecord n, Tensor grad) =>
        Functional.ScaleForReduction(grad, n.Input(0), (Reduction)n.Args.Scalar);

    // A loss's tangent: the elementwise tangent reduced as the loss was.
    private static Tensor ReducedAsLoss(ForwardContext f, Tensor elementwise) => Functional.Reduce(elementwise, (Reduction)f.Args.Scalar);

    private static Tensor Weighted(Tensor grad, Tensor? weight) => weight is null ? grad : grad * weight;

    public static readonly Derivative BinaryCrossEntropy = new("BinaryCrossEntropyBackward0", Save.Inputs,
        (n, g) => ScaledByReduction(n, g * BinaryCrossEntropySlope(n, 0)),
        (n, g) => ScaledByReduction(n, g * BinaryCrossEntropySlope(n, 1)))
       
        {
            Forward =
            [
                (f, t) => ReducedAsLoss(f, BinaryCrossEntropySlope(f, 0) * t),
                (f, t) => ReducedAsLoss(f, BinaryCrossEntropySlope(f, 1) * t),
            ],
        };
    public static readonly Derivative BinaryCrossEntropyWithLogits = new("BinaryCrossEntropyWithLogitsBackward0", Save.Inputs,
        (n, g) => ScaledByReduction(n, WithLogitsSlope(n, 0) * g),
        (n, g) => ScaledByReduction(n, WithLogitsSlope(n, 1) * g))
        { Forward = [(f, t) => ReducedAsLoss(f, WithLogitsSlope(f, 0) * t), (f, t) => ReducedAsLoss(f, WithLogitsSlope(f, 1) * t)] };

    // d(loss)/d(input) (0) or d(loss)/d(target) (1) per element, weighted. PyTorch's
    // binary_cross_entropy_backward keeps the denominator from 0 by 1e-12.
    private static Tensor BinaryCrossEntropySlope(IOpRecord n, int input)
    {
        var (x, t) = (n.Input(0), n.Input(1));
        var slope = input == 0 ? (x - t) / ((1 - x) * x).Clamp(min: 1e-12) : (1 - x).Log() - x.Log();
        return Weighted(slope, n.Args.Constants![0]);
    }

    private static Tensor WithLogitsSlope(IOpRecord n, int input)
    {
        var (x, t, posWeight) = (n.Input(0), n.Input(1), n.Args.Constants![1]);
        var slope = input == 0
            ? posWeight is null ? x.Sigmoid() - t : (posWeight * t + 1 - t) * x.Sigmoid() - posWeight * t
            : posWeight is null ? -x : (-x).Softplus() * posWeight - x.Softplus();
        return Weighted(slope, n.Args.Constants[0]);
    }

    // In training the statistics are functions of the input, recomputed here so that the rule
    // differentiates again; in evaluation they are the constants the forward used.
    // The input's rule serves both directions: normalising over the batch has a symmetric
    // Jacobian, and the weight is constant along the normalised dims, so it commutes with it.
    public static readonly Derivative BatchNorm = new("NativeBatchNormBackward0", Save.Input0 | Save.Input1,
        BatchNormInputShare,
        (n, g) => (g * BatchNormalized(n)).Sum(n.Args.Dims!),
        (n, g) => g.Sum(n.Args.Dims!))
        {
            Forward =
            [
                (f, t) => BatchNormInputShare(f, t),
                (f, t) => BatchNormalized(f) * t.Reshape(f.Args.Shape!),
                (f, t) => t.Reshape(f.Args.Shape!),
            ],
        };
    public static readonly Derivative LayerNorm = new("NativeLayerNormBackward0", Save.Input0 | Save.Input1,
        (n, g) => NormalizationInputGradient(n.Input(0), n.Args.Dims!, n.Args.Scalar, g * n.Input(1)),
        (n, g) => g * Functional.Normalized(n.Input(0), n.Args.Dims!, n.Args.Scalar),
        (n, g) => g)
        {
            Forward =
            [
                (f, t) => NormalizationInputGradient(f.Input(0), f.Args.Dims!, f.Args.Scalar, t) * f.Input(1),
                (f, t) => t * Functional.Normalized(f.Input(0), f.Args.Dims!, f.Args.Scalar),
                (f, t) => t,
            ],
        };

    private static Tensor BatchNormInputShare(IOpRecord n, Tensor g)
    {
        var scaled = g * n.Input(1).Reshape(n.Args.Shape!);
        return n.Args.Constants is { } stats
            ? scaled * stats[1]!
            : NormalizationInputGradient(n.Input(0), n.Args.Dims!, n.Args.Scalar, scaled);
    }

    private static Tensor BatchNormalized(IOpRecord n) => n.Args.Constants is { } stats
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
        (n, g) => g.Sum([0, 2, 3]))
        {
            Forward =
            [
                (f, t) => Functional.Convolution(t, f.Input(1), null, c),
                (f, t) => Functional.Convolution(f.Input(0), t, null, c),
                (f, t) => t.Reshape(-1, 1, 1),
            ],
        };
    public static Derivative ConvolutionBackwardInput(ConvGeometry c) => new("ConvolutionBackwardBackward0", Save.Input0 | Save.Input1,
        (n, g) => Functional.Convolution(g, n.Input(1), null, c),
        (n, g) => Functional.ConvolutionBackwardWeight(g, n.Input(0), c))
        {
            Forward =
            [
                (f, t) => Functional.ConvolutionBackwardInput(t, f.Input(1), c),
                (f, t) => Functional.ConvolutionBackwardInput(f.Input(0), t, c),
            ],
        };
    public static Derivative ConvolutionBackwardWeight(ConvGeometry c) => new("ConvolutionBackwardBackward0", Save.Input0 | Save.Input1,
        (n, g) => Functional.ConvolutionBackwardInput(n.Input(1), g, c),
        (n, g) => Functional.Convolution(n.Input(0), g, null, c))
        {
            Forward =
            [
                (f, t) => Functional.ConvolutionBackwardWeight(t, f.Input(1), c),
                (f, t) => Functional.ConvolutionBackwardWeight(f.Input(0), t, c),
            ],
        };
    public static Derivative MaxPool2d(PoolGeometry p, Tensor indices) => new("MaxPool2DWithIndicesBackward0", Save.Nothing,
        (n, g) => Functional.MaxPool2dBackward(g, indices, p)) { Forward = [(f, t) => Functional.GatherByPoolIndices(t, indices, p)] };
    public static Derivative MaxPool2dBackward(PoolGeometry p, Tensor indices) => new("MaxPool2DWithIndicesBackwardBackward0", Save.Nothing,
        (n, g) => Functional.GatherByPoolIndices(g, indices, p)) { Forward = [(f, t) => Functional.MaxPool2dBackward(t, indices, p)] };
    public static Derivative AvgPool2d(PoolGeometry p) => new("AvgPool2DBackward0", Save.Nothing,
        (n, g) => Functional.AvgPool2dBackward(g, p)) { Forward = [(f, t) => Functional.AvgPool2dForward(t, p)] };
    public static Derivative AvgPool2dBackward(PoolGeometry p) => new("AvgPool2DBackwardBackward0", Save.Nothing,
        (n, g) => Functional.AvgPool2dForward(g, p)) { Forward = [(f, t) => Functional.AvgPool2dBackward(t, p)] };
    public static Derivative AdaptiveAvgPool2d(PoolGeometry p) => new("AdaptiveAvgPool2DBackward0", Save.Nothing,
        (n, g) => Functional.AdaptiveAvgPool2dBackward(g, p)) { Forward = [(f, t) => Functional.AdaptiveAvgPool2dForward(t, p)] };
    public static Derivative AdaptiveAvgPool2dBackward(PoolGeometry p) => new("AdaptiveAvgPool2DBackwardBackward0", Save.Nothing,
        (n, g) => Functional.AdaptiveAvgPool2dForward(g, p)) { Forward = [(f, t) => Functional.AdaptiveAvgPool2dBackward(t, p)] };
}
