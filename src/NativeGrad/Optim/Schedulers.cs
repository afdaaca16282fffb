namespace NativeGrad.Optim;

/// <summary>Multiplies each rate by <c>gamma</c> every <c>stepSize</c> epochs (torch.optim.lr_scheduler.StepLR).</summary>
public sealed class StepLR : LRScheduler
{
    private readonly int stepSize;
    private readonly double gamma;

    /// <summary>Decays by <paramref name="gamma"/> at epochs stepSize, 2 * stepSize, ...</summary>
    /// <param name="optimizer">The optimizer whose rates are set.</param>
    /// <param name="stepSize">The period of the decay, in epochs (positive).</param>
    /// <param name="gamma">The multiplicative factor.</param>
    /// <param name="lastEpoch">-1 to start; the last epoch when resuming.</param>
    public StepLR(Optimizer optimizer, int stepSize, double gamma = 0.1, int lastEpoch = -1) : base(optimizer, lastEpoch)
    {
        // PyTorch divides by it (ZeroDivisionError); say so up front.
        if (stepSize <= 0) throw new ArgumentOutOfRangeException(nameof(stepSize), stepSize, "step_size must be a positive number of epochs");
        this.stepSize = stepSize;
        this.gamma = gamma;
        InitialStep();
    }

    /// <inheritdoc/>
    protected override IReadOnlyList<double> ComputeLr() =>
        LastEpoch == 0 || LastEpoch % stepSize != 0 ? [.. GroupLrs] : [.. GroupLrs.Select(lr => lr * gamma)];
}

/// <summary>Multiplies each rate by <c>gamma</c> at each milestone epoch (torch.optim.lr_scheduler.MultiStepLR).</summary>
public sealed class MultiStepLR : LRScheduler
{
    private readonly Dictionary<int, int> milestones = [];
    private readonly double gamma;

    /// <summary>Decays by <paramref name="gamma"/> at each of <paramref name="milestones"/> (a milestone listed twice decays twice).</summary>
    /// <param name="optimizer">The optimizer whose rates are set.</param>
    /// <param name="milestones">The epochs at which to decay.</param>
    /// <param name="gamma">The multiplicative factor.</param>
    /// <param name="lastEpoch">-1 to start; the last epoch when resuming.</param>
    public MultiStepLR(Optimizer optimizer, IEnumerable<int> milestones, double gamma = 0.1, int lastEpoch = -1) : base(optimizer, lastEpoch)
    {
        ArgumentNullException.ThrowIfNull(milestones);
        // A Counter in PyTorch, so a repeated milestone applies gamma once per repetition.
        foreach (var milestone in milestones)
            this.milestones[milestone] = this.milestones.GetValueOrDefault(milestone) + 1;
        this.gamma = gamma;
        InitialStep();
    }

    /// <inheritdoc/>
    protected override IReadOnlyList<double> ComputeLr() =>
        milestones.TryGetValue(LastEpoch, out int count)
            ? [.. GroupLrs.Select(lr => lr * Math.Pow(gamma, count))]
            : [.. GroupLrs];
}

/// <summary>Multiplies each rate by <c>gamma</c> every epoch (torch.optim.lr_scheduler.ExponentialLR).</summary>
public sealed class ExponentialLR : LRScheduler
{
    private readonly double gamma;

    /// <summary>Decays by <paramref name="gamma"/> every epoch.</summary>
    /// <param name="optimizer">The optimizer whose rates are set.</param>
    /// <param name="gamma">The multiplicative factor.</param>
    /// <param name="lastEpoch">-1 to start; the last epoch when resuming.</param>
    public ExponentialLR(Optimizer optimizer, double gamma, int lastEpoch = -1) : base(optimizer, lastEpoch)
    {
        this.gamma = gamma;
        InitialStep();
    }

    /// <inheritdoc/>
    protected override IReadOnlyList<double> ComputeLr() =>
        LastEpoch == 0 ? [.. GroupLrs] : [.. GroupLrs.Select(lr => lr * gamma)];
}

/// <summary>
/// Scales each rate linearly from <c>startFactor</c> to <c>endFactor</c> times its base over
/// <c>totalIters</c> epochs, then keeps it (torch.optim.lr_scheduler.LinearLR).
/// </summary>
public sealed class LinearLR : LRScheduler
{
    private readonly double startFactor, endFactor;
    private readonly int totalIters;

    /// <summary>A linear ramp of the multiplicative factor.</summary>
    /// <param name="optimizer">The optimizer whose rates are set.</param>
    /// <param name="startFactor">The factor at epoch 0, in [0, 1].</param>
    /// <param name="endFactor">The factor from epoch <paramref name="totalIters"/> on, in [0, 1].</param>
    /// <param name="totalIters">How many epochs the ramp takes.</param>
    /// <param name="lastEpoch">-1 to start; the last epoch when resuming.</param>
    /// <exception cref="ArgumentException">A factor is outside [0, 1] (PyTorch's message).</exception>
    public LinearLR(Optimizer optimizer, double startFactor = 1.0 / 3, double endFactor = 1.0, int totalIters = 5, int lastEpoch = -1)
        : base(optimizer, lastEpoch)
    {
        if (startFactor > 1.0 || startFactor < 0)
            throw new ArgumentException("Starting multiplicative factor expected to be between 0 and 1.", nameof(startFactor));
        if (endFactor > 1.0 || endFactor < 0)
            throw new ArgumentException("Ending multiplicative factor expected to be between 0 and 1.", nameof(endFactor));
        this.startFactor = startFactor;
        this.endFactor = endFactor;
        this.totalIters = totalIters;
        InitialStep();
    }

    /// <inheritdoc/>
    protected override IReadOnlyList<double> ComputeLr()
    {
        if (LastEpoch == 0)
            return [.. GroupLrs.Select(lr => lr * startFactor)];
        if (LastEpoch > totalIters)
            return [.. GroupLrs];
        return [.. GroupLrs.Select(lr => lr * (1.0 + (endFactor - startFactor) /
                                                (totalIters * startFactor + (LastEpoch - 1) * (endFactor - startFactor))))];
    }
}

/// <summary>
/// Cosine annealing from each base rate down to <c>etaMin</c> over <c>tMax</c> epochs and back up
/// again (torch.optim.lr_scheduler.CosineAnnealingLR in PyTorch 1.13's recursive form, which
/// drifts from the closed form by rounding only).
/// </summary>
public sealed class CosineAnnealingLR : LRScheduler
{
    private readonly int tMax;
    private readonly double etaMin;

    /// <summary>Anneals over half a cosine period of <paramref name="tMax"/> epochs.</summary>
    /// <param name="optimizer">The optimizer whose rates are set.</param>
    /// <param name="tMax">Half the period, in epochs (positive).</param>
    /// <param name="etaMin">The lowest rate.</param>
    /// <param name="lastEpoch">-1 to start; the last epoch when resuming.</param>
    public CosineAnnealingLR(Optimizer optimizer, int tMax, double etaMin = 0, int lastEpoch = -1) : base(optimizer, lastEpoch)
    {
        // PyTorch divides by it (ZeroDivisionError at the first step); say so up front.
        if (tMax <= 0) throw new ArgumentOutOfRangeException(nameof(tMax), tMax, "T_max must be a positive number of epochs");
        this.tMax = tMax;
        this.etaMin = etaMin;
        InitialStep();
    }

    /// <inheritdoc/>
    protected override IReadOnlyList<double> ComputeLr()
    {
        var groups = Optimizer.ParamGroups;
        if (LastEpoch == 0)
            return [.. GroupLrs];
        if (StepCount == 1 && LastEpoch > 0)
            return [.. BaseLrs.Select(baseLr => etaMin + (baseLr - etaMin) * (1 + Math.Cos(LastEpoch * Math.PI / tMax)) / 2)];
        if ((LastEpoch - 1 - tMax) % (2 * tMax) == 0)
            return [.. groups.Select((g, i) => g.Lr + (BaseLrs[i] - etaMin) * (1 - Math.Cos(Math.PI / tMax)) / 2)];
        return [.. GroupLrs.Select(lr => (1 + Math.Cos(Math.PI * LastEpoch / tMax)) /
                                         (1 + Math.Cos(Math.PI * (LastEpoch - 1) / tMax)) * (lr - etaMin) + etaMin)];
    }
}
