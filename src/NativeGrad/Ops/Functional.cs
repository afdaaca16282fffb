namespace NativeGrad;

/// <summary>How a loss combines its per-element values.</summary>
public enum Reduction
{
    /// <summary>The mean over elements (PyTorch's default).</summary>
    Mean,
    /// <summary>The sum over elements.</summary>
    Sum,
    /// <summary>No reduction: one loss per element.</summary>
    None,
}

/// <summary>torch.nn.functional: activations along a dimension and the losses.</summary>
public static partial class Functional
{
    /// <summary>exp(x) / sum(exp(x)) along <paramref name="dim"/>.</summary>
    public static Tensor Softmax(Tensor input, int dim) => input.Softmax(dim);

    /// <summary>log(softmax(x)) along <paramref name="dim"/>, computed stably.</summary>
    public static Tensor LogSoftmax(Tensor input, int dim) => input.LogSoftmax(dim);

    /// <summary>input @ weight^T + bias.</summary>
    public static Tensor Linear(Tensor input, Tensor weight, Tensor? bias = null) => Tensor.Linear(input, weight, bias);

    /// <summary>Mean squared error, (input - target)^2 reduced.</summary>
    public static Tensor MseLoss(Tensor input, Tensor target, Reduction reduction = Reduction.Mean)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(target);
        Tensor result;
        using (Autograd.NoGrad())
        {
            var difference = input - target;
            result = Reduce(difference * difference, reduction);
        }
        return Node.Record(result, Derivatives.MseLoss, [input, target], new OpArgs { Scalar = (int)reduction });
    }

    /// <summary>
    /// Cross-entropy between logits (N x C) and int64 class indices (N): nll_loss(log_softmax(input, 1)).
    /// Targets equal to <paramref name="ignoreIndex"/> contribute nothing.
    /// </summary>
    public static Tensor CrossEntropy(Tensor input, Tensor target, Reduction reduction = Reduction.Mean, long ignoreIndex = -100) =>
        NllLoss(input.LogSoftmax(1), target, reduction, ignoreIndex);

    /// <summary>Negative log-likelihood of log-probabilities (N x C) at int64 class indices (N).</summary>
    public static Tensor NllLoss(Tensor input, Tensor target, Reduction reduction = Reduction.Mean, long ignoreIndex = -100)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(target);
        if (target.DType != DType.Int64)
            throw new ArgumentException($"expected scalar type Long but found {target.DType.ScalarTypeName()}");
        if (input.Dim != 2 || target.Dim != 1)
            throw new ArgumentException($"nll_loss expects a 2-D input (N x C) and 1-D target (N), but got input of size {ShapeMath.Format(input.shape)} and target of size {ShapeMath.Format(target.shape)}");
        if (input.shape[0] != target.shape[0])
            throw new ArgumentException($"Expected input batch_size ({input.shape[0]}) to match target batch_size ({target.shape[0]}).");
        long classes = input.shape[1];
        foreach (var t in target.ToArray<long>())
            if (t != ignoreIndex && (t < 0 || t >= classes))
                throw new ArgumentOutOfRangeException(null, $"Target {t} is out of bounds.");

        Tensor result;
        using (Autograd.NoGrad())
        {
            var weights = NllWeights(target, classes, input.DType, ignoreIndex);
            var picked = -(input * weights).Sum(1);
            result = reduction switch
            {
                Reduction.None => picked,
                Reduction.Sum => picked.Sum(),
                _ => picked.Sum() / weights.Sum(),
            };
        }
        return Node.Record(result, Derivatives.NllLoss, [input], new OpArgs { Index = target, Scalar = (int)reduction, Scalar2 = ignoreIndex });
    }

    /// <summary>One-hot rows of the targets (all zero for ignored ones), in <paramref name="dtype"/>.</summary>
    internal static Tensor NllWeights(Tensor target, long classes, DType dtype, long ignoreIndex)
    {
        var onehot = Tensor.Arange(classes).Unsqueeze(0) == target.Unsqueeze(1);
        return (onehot.CastRaw(dtype) * (target != (double)ignoreIndex).Unsqueeze(1).CastRaw(dtype));
    }

    /// <summary>
    /// Binary cross-entropy of logits against float targets, computed stably:
    /// softplus(x) - x * y, where softplus(x) = max(x, 0) + log(1 + exp(-|x|)).
    /// </summary>
    public static Tensor BinaryCrossEntropyWithLogits(Tensor input, Tensor target, Reduction reduction = Reduction.Mean)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(target);
        if (!input.shape.AsSpan().SequenceEqual(target.shape))
            throw new ArgumentException($"Target size ({ShapeMath.FormatSize(target.shape)}) must be the same as input size ({ShapeMath.FormatSize(input.shape)})");
        Tensor result;
        using (Autograd.NoGrad())
        {
            var loss = input.Softplus() - input * target;
            result = Reduce(loss, reduction);
        }
        return Node.Record(result, Derivatives.BinaryCrossEntropyWithLogits, [input, target], new OpArgs { Scalar = (int)reduction });
    }

    internal static Tensor Reduce(Tensor loss, Reduction reduction) => reduction switch
    {
        Reduction.Mean => loss.Mean(),
        Reduction.Sum => loss.Sum(),
        Reduction.None => loss,
        _ => throw new ArgumentOutOfRangeException(nameof(reduction), reduction, "Unknown reduction."),
    };

    /// <summary>Scales a gradient the way the loss was reduced (1/N for mean).</summary>
    internal static Tensor ScaleForReduction(Tensor grad, Tensor elementwiseShapeSource, Reduction reduction) => reduction switch
    {
        Reduction.Mean => grad / (double)elementwiseShapeSource.NumElements,
        _ => grad,
    };
}

public sealed partial class Tensor
{
    /// <summary>exp(x) / sum(exp(x)) along <paramref name="dim"/>.</summary>
    public Tensor Softmax(int dim)
    {
        int d = ShapeMath.WrapDim(dim, Dim);
        Tensor result;
        using (GradMode.Set(false))
        {
            var x = CastRaw(TypePromotion.ToFloating(DType));
            var shifted = (x - ReduceRaw(Backends.ReduceOp.Max, x, Dim == 0 ? [] : [d], true, false, x.DType).Values).Exp();
            result = shifted / shifted.Sum([d], keepDim: true);
        }
        return Node.Record(result, Derivatives.Softmax, [this], new OpArgs { Dims = [d] });
    }

    /// <summary>log(softmax(x)) along <paramref name="dim"/>, computed stably.</summary>
    public Tensor LogSoftmax(int dim)
    {
        int d = ShapeMath.WrapDim(dim, Dim);
        Tensor result;
        using (GradMode.Set(false))
        {
            var x = CastRaw(TypePromotion.ToFloating(DType));
            var shifted = x - ReduceRaw(Backends.ReduceOp.Max, x, Dim == 0 ? [] : [d], true, false, x.DType).Values;
            result = shifted - shifted.Exp().Sum([d], keepDim: true).Log();
        }
        return Node.Record(result, Derivatives.LogSoftmax, [this], new OpArgs { Dims = [d] });
    }
}
