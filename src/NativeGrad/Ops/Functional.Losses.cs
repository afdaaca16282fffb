namespace NativeGrad;

// Regression and binary losses, and the KL divergence. Where PyTorch has one node for a loss
// (MseLossBackward0, SmoothL1LossBackward0, ...) so do these; l1_loss and kl_div are compositions
// in PyTorch too, so they are here.
public static partial class Functional
{
    /// <summary>Mean squared error, (input - target)^2 reduced.</summary>
    public static Tensor MseLoss(Tensor input, Tensor target, Reduction reduction = Reduction.Mean)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(target);
        Tensor result;
        using (GradMode.Set(false))
        {
            var difference = input - target;
            result = Reduce(difference * difference, reduction);
        }
        return Node.Record(result, Derivatives.MseLoss, [input, target], new OpArgs { Scalar = (int)reduction });
    }

    /// <summary>Mean absolute error, |input - target| reduced (torch.nn.functional.l1_loss).</summary>
    public static Tensor L1Loss(Tensor input, Tensor target, Reduction reduction = Reduction.Mean)
    {
        (input, target) = BroadcastForLoss(input, target);
        return Reduce((input - target).Abs(), reduction);
    }

    /// <summary>
    /// Smooth L1 loss: 0.5 d^2 / beta where |d| &lt; beta, else |d| - 0.5 beta, with d = input - target
    /// (torch.nn.functional.smooth_l1_loss); beta 0 is the L1 loss.
    /// </summary>
    public static Tensor SmoothL1Loss(Tensor input, Tensor target, Reduction reduction = Reduction.Mean, double beta = 1.0)
    {
        if (beta < 0) throw new ArgumentException("smooth_l1_loss does not support negative values for beta.");
        (input, target) = BroadcastForLoss(input, target);
        Tensor result;
        using (GradMode.Set(false))
        {
            var d = input - target;
            var absolute = d.Abs();
            result = Reduce(Tensor.Where(absolute < beta, 0.5 * d * d / beta, absolute - 0.5 * beta), reduction);
        }
        return Node.Record(result, Derivatives.SmoothL1Loss, [input, target], new OpArgs { Scalar = (int)reduction, Scalar2 = beta });
    }

    /// <summary>
    /// Huber loss: 0.5 d^2 where |d| &lt; delta, else delta (|d| - 0.5 delta), with d = input - target
    /// (torch.nn.functional.huber_loss).
    /// </summary>
    public static Tensor HuberLoss(Tensor input, Tensor target, Reduction reduction = Reduction.Mean, double delta = 1.0)
    {
        if (!(delta > 0)) throw new ArgumentException("huber_loss does not support non-positive values for delta.");
        (input, target) = BroadcastForLoss(input, target);
        Tensor result;
        using (GradMode.Set(false))
        {
            var d = input - target;
            var absolute = d.Abs();
            result = Reduce(Tensor.Where(absolute < delta, 0.5 * d * d, delta * (absolute - 0.5 * delta)), reduction);
        }
        return Node.Record(result, Derivatives.HuberLoss, [input, target], new OpArgs { Scalar = (int)reduction, Scalar2 = delta });
    }

    /// <summary>
    /// Binary cross-entropy of probabilities: -weight (t log x + (1 - t) log(1 - x)), each log
    /// clamped at -100 as PyTorch does so that x = 0 or 1 gives a finite loss.
    /// </summary>
    /// <param name="input">Probabilities in [0, 1].</param>
    /// <param name="target">Targets of the input's shape.</param>
    /// <param name="weight">Optional rescaling weight, broadcast to the input's shape.</param>
    /// <param name="reduction">Mean, sum or none.</param>
    public static Tensor BinaryCrossEntropy(Tensor input, Tensor target, Tensor? weight = null, Reduction reduction = Reduction.Mean)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(target);
        CheckReduction(reduction);
        if (!input.shape.AsSpan().SequenceEqual(target.shape))
            throw new ArgumentException($"Using a target size ({ShapeMath.FormatSize(target.shape)}) that is different to the input size ({ShapeMath.FormatSize(input.shape)}) is deprecated. Please ensure they have the same size.");
        Tensor result;
        Tensor? expandedWeight = null;
        using (GradMode.Set(false))
        {
            if (input.NumElements > 0 && !(input.Min().Item<double>() >= 0 && input.Max().Item<double>() <= 1))
                throw new ArgumentException("all elements of input should be between 0 and 1");
            var loss = -(target * input.Log().Clamp(min: -100) + (1 - target) * (1 - input).Log().Clamp(min: -100));
            if (weight is not null)
            {
                expandedWeight = weight.Detach().Expand(ShapeMath.Broadcast(target.shape, weight.shape));
                loss = loss * expandedWeight;
            }
            result = Reduce(loss, reduction);
        }
        return Node.Record(result, Derivatives.BinaryCrossEntropy, [input, target],
            new OpArgs { Scalar = (int)reduction, Constants = [expandedWeight] });
    }

    /// <summary>
    /// Binary cross-entropy of logits against targets, computed stably:
    /// (1 - t) x + (1 + (posWeight - 1) t) softplus(-x), times weight, reduced.
    /// </summary>
    /// <param name="input">Logits.</param>
    /// <param name="target">Targets in [0, 1] of the input's shape.</param>
    /// <param name="reduction">Mean, sum or none.</param>
    /// <param name="weight">Optional rescaling weight, broadcast to the input's shape.</param>
    /// <param name="posWeight">Optional weight of positive examples, broadcast along the last (class) dimension.</param>
    public static Tensor BinaryCrossEntropyWithLogits(Tensor input, Tensor target, Reduction reduction = Reduction.Mean,
                                                      Tensor? weight = null, Tensor? posWeight = null)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(target);
        if (!input.shape.AsSpan().SequenceEqual(target.shape))
            throw new ArgumentException($"Target size ({ShapeMath.FormatSize(target.shape)}) must be the same as input size ({ShapeMath.FormatSize(input.shape)})");
        weight = weight?.Detach();
        posWeight = posWeight?.Detach();
        Tensor result;
        using (GradMode.Set(false))
        {
            var loss = posWeight is null
                ? input.Softplus() - input * target
                : (1 - target) * input + ((posWeight - 1) * target + 1) * (-input).Softplus();
            if (weight is not null) loss = loss * weight;
            result = Reduce(loss, reduction);
        }
        return Node.Record(result, Derivatives.BinaryCrossEntropyWithLogits, [input, target],
            new OpArgs { Scalar = (int)reduction, Constants = [weight, posWeight] });
    }

    /// <summary>
    /// Kullback-Leibler divergence of a target distribution from log-probabilities
    /// (torch.nn.functional.kl_div): t (log t - input) pointwise, or exp(t) (t - input) when the
    /// target is itself given as log-probabilities.
    /// </summary>
    /// <param name="input">Log-probabilities.</param>
    /// <param name="target">Probabilities, or log-probabilities when <paramref name="logTarget"/>.</param>
    /// <param name="reduction">
    /// Mean (over every element, which PyTorch warns about), BatchMean (the sum over the batch size:
    /// the mathematical KL divergence), sum or none.
    /// </param>
    /// <param name="logTarget">Whether <paramref name="target"/> holds log-probabilities.</param>
    public static Tensor KlDiv(Tensor input, Tensor target, Reduction reduction = Reduction.Mean, bool logTarget = false)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(target);
        if (reduction == Reduction.Mean)
            Warnings.Warn("reduction: 'mean' divides the total loss by both the batch size and the support size.'batchmean' divides only by the batch size, and aligns with the KL div math definition.'mean' will be changed to behave the same as 'batchmean' in the next major release.");
        var pointwise = logTarget
            ? target.Exp() * (target - input)
            : XLogX(target) - target * input;
        if (reduction != Reduction.BatchMean) return Reduce(pointwise, reduction);
        var sum = pointwise.Sum();
        return input.Dim == 0 ? sum : sum / (double)input.shape[0];
    }

    /// <summary>x log x with 0 at x = 0 (torch.xlogy(x, x)).</summary>
    private static Tensor XLogX(Tensor x) => Tensor.Where(x == 0.0, 0.0, x * x.Log());

    /// <summary>
    /// The pointwise regression losses broadcast input and target together, warning as PyTorch
    /// does when their sizes differ.
    /// </summary>
    private static (Tensor Input, Tensor Target) BroadcastForLoss(Tensor input, Tensor target)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(target);
        if (input.shape.AsSpan().SequenceEqual(target.shape)) return (input, target);
        Warnings.Warn($"Using a target size ({ShapeMath.FormatSize(target.shape)}) that is different to the input size ({ShapeMath.FormatSize(input.shape)}). This will likely lead to incorrect results due to broadcasting. Please ensure they have the same size.");
        var shape = ShapeMath.Broadcast(input.shape, target.shape);
        return (input.Expand(shape), target.Expand(shape));
    }
}
