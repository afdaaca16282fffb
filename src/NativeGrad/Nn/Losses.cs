namespace NativeGrad.Nn;

/// <summary>A criterion: compares a prediction with a target (torch.nn's *Loss modules).</summary>
public abstract class Loss(Reduction reduction) : Module
{
    /// <summary>How the per-element losses are combined.</summary>
    public Reduction Reduction { get; } = reduction;

    /// <summary>The loss of <paramref name="input"/> against <paramref name="target"/>.</summary>
    public abstract Tensor Forward(Tensor input, Tensor target);

    /// <summary>Runs <see cref="Forward"/>, like calling a PyTorch module.</summary>
    public Tensor Call(Tensor input, Tensor target) => Forward(input, target);
}

/// <summary>Mean squared error (torch.nn.MSELoss).</summary>
public sealed class MSELoss(Reduction reduction = Reduction.Mean) : Loss(reduction)
{
    /// <inheritdoc/>
    public override Tensor Forward(Tensor input, Tensor target) => Functional.MseLoss(input, target, Reduction);
}

/// <summary>Mean absolute error (torch.nn.L1Loss).</summary>
public sealed class L1Loss(Reduction reduction = Reduction.Mean) : Loss(reduction)
{
    /// <inheritdoc/>
    public override Tensor Forward(Tensor input, Tensor target) => Functional.L1Loss(input, target, Reduction);
}

/// <summary>Squared below beta, absolute above (torch.nn.SmoothL1Loss).</summary>
public sealed class SmoothL1Loss(Reduction reduction = Reduction.Mean, double beta = 1.0) : Loss(reduction)
{
    /// <inheritdoc/>
    public override Tensor Forward(Tensor input, Tensor target) => Functional.SmoothL1Loss(input, target, Reduction, beta);
}

/// <summary>Squared below delta, linear above (torch.nn.HuberLoss).</summary>
public sealed class HuberLoss(Reduction reduction = Reduction.Mean, double delta = 1.0) : Loss(reduction)
{
    /// <inheritdoc/>
    public override Tensor Forward(Tensor input, Tensor target) => Functional.HuberLoss(input, target, Reduction, delta);
}

/// <summary>Log-softmax plus negative log-likelihood (torch.nn.CrossEntropyLoss): class indices or probabilities as targets.</summary>
public sealed class CrossEntropyLoss(Tensor? weight = null, long ignoreIndex = -100, Reduction reduction = Reduction.Mean,
                                     double labelSmoothing = 0) : Loss(reduction)
{
    /// <inheritdoc/>
    public override Tensor Forward(Tensor input, Tensor target) =>
        Functional.CrossEntropy(input, target, Reduction, ignoreIndex, weight, labelSmoothing);
}

/// <summary>Negative log-likelihood of log-probabilities (torch.nn.NLLLoss).</summary>
public sealed class NLLLoss(Tensor? weight = null, long ignoreIndex = -100, Reduction reduction = Reduction.Mean) : Loss(reduction)
{
    /// <inheritdoc/>
    public override Tensor Forward(Tensor input, Tensor target) => Functional.NllLoss(input, target, Reduction, ignoreIndex, weight);
}

/// <summary>Binary cross-entropy of probabilities (torch.nn.BCELoss).</summary>
public sealed class BCELoss(Tensor? weight = null, Reduction reduction = Reduction.Mean) : Loss(reduction)
{
    /// <inheritdoc/>
    public override Tensor Forward(Tensor input, Tensor target) => Functional.BinaryCrossEntropy(input, target, weight, Reduction);
}

/// <summary>Sigmoid plus binary cross-entropy, computed stably (torch.nn.BCEWithLogitsLoss).</summary>
public sealed class BCEWithLogitsLoss(Tensor? weight = null, Reduction reduction = Reduction.Mean, Tensor? posWeight = null) : Loss(reduction)
{
    /// <inheritdoc/>
    public override Tensor Forward(Tensor input, Tensor target) =>
        Functional.BinaryCrossEntropyWithLogits(input, target, Reduction, weight, posWeight);
}

/// <summary>Kullback-Leibler divergence of log-probabilities from a target distribution (torch.nn.KLDivLoss).</summary>
public sealed class KLDivLoss(Reduction reduction = Reduction.Mean, bool logTarget = false) : Loss(reduction)
{
    /// <inheritdoc/>
    public override Tensor Forward(Tensor input, Tensor target) => Functional.KlDiv(input, target, Reduction, logTarget);
}
