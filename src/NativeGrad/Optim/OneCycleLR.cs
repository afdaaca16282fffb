namespace NativeGrad.Optim;

/// <summary>How <see cref="OneCycleLR"/> moves between two values within a phase.</summary>
public enum AnnealStrategy
{
    /// <summary>Half a cosine (PyTorch's 'cos', the default).</summary>
    Cos,
    /// <summary>A straight line (PyTorch's 'linear').</summary>
    Linear,
}

/// <summary>
/// The 1cycle policy (torch.optim.lr_scheduler.OneCycleLR): the rate rises from
/// <c>maxLr / divFactor</c> to <c>maxLr</c> over the first <c>pctStart</c> of the steps, then
/// falls to <c>initial / finalDivFactor</c> (with <c>threePhase</c>, it first falls back to the
/// initial rate). With <c>cycleMomentum</c>, the momentum (<c>"momentum"</c>, or Adam's
/// <c>"beta1"</c>) moves the opposite way between <c>maxMomentum</c> and <c>baseMomentum</c>.
/// It sets the groups' <c>"initial_lr"</c>, <c>"max_lr"</c>, <c>"min_lr"</c>, <c>"max_momentum"</c>
/// and <c>"base_momentum"</c> as PyTorch does. Step it after every batch, <c>totalSteps</c> times at most.
/// </summary>
public sealed class OneCycleLR : LRScheduler
{
    private readonly int totalSteps;
    private readonly (double EndStep, string StartLr, string EndLr, string StartMomentum, string EndMomentum)[] phases;
    private readonly AnnealStrategy annealStrategy;
    private readonly bool cycleMomentum;
    private readonly string momentumName = "momentum";

    /// <summary>A one-cycle schedule of <paramref name="totalSteps"/> steps, or of <paramref name="epochs"/> x <paramref name="stepsPerEpoch"/>.</summary>
    /// <param name="optimizer">The optimizer whose rates (and momentum) are set.</param>
    /// <param name="maxLr">The peak rate, for every group.</param>
    /// <param name="totalSteps">The number of steps in the cycle; when null, <paramref name="epochs"/> x <paramref name="stepsPerEpoch"/>.</param>
    /// <param name="epochs">The number of epochs, with <paramref name="stepsPerEpoch"/>.</param>
    /// <param name="stepsPerEpoch">The number of steps per epoch, with <paramref name="epochs"/>.</param>
    /// <param name="pctStart">The fraction of the cycle spent raising the rate, in [0, 1].</param>
    /// <param name="annealStrategy">Cosine or linear annealing.</param>
    /// <param name="cycleMomentum">Also cycle the momentum inversely to the rate.</param>
    /// <param name="baseMomentum">The lowest momentum (at the peak rate).</param>
    /// <param name="maxMomentum">The highest momentum (at the start and end).</param>
    /// <param name="divFactor">The initial rate is <paramref name="maxLr"/> / this.</param>
    /// <param name="finalDivFactor">The final rate is the initial rate / this.</param>
    /// <param name="threePhase">Fall back to the initial rate before annealing to the final one.</param>
    /// <param name="lastEpoch">-1 to start; the index of the last step when resuming.</param>
    /// <exception cref="ArgumentException">The step counts or <paramref name="pctStart"/> are invalid, or momentum is cycled for an optimizer without one (PyTorch's messages).</exception>
    public OneCycleLR(Optimizer optimizer, double maxLr, int? totalSteps = null, int? epochs = null, int? stepsPerEpoch = null,
                      double pctStart = 0.3, AnnealStrategy annealStrategy = AnnealStrategy.Cos, bool cycleMomentum = true,
                      double baseMomentum = 0.85, double maxMomentum = 0.95, double divFactor = 25.0, double finalDivFactor = 1e4,
                      bool threePhase = false, int lastEpoch = -1)
        : this(optimizer, maxLr, TotalSteps(totalSteps, epochs, stepsPerEpoch), pctStart, annealStrategy, cycleMomentum,
               baseMomentum, maxMomentum, divFactor, finalDivFactor, threePhase, lastEpoch)
    {
    }

    private OneCycleLR(Optimizer optimizer, double maxLr, int totalSteps, double pctStart, AnnealStrategy annealStrategy, bool cycleMomentum,
                       double baseMomentum, double maxMomentum, double divFactor, double finalDivFactor, bool threePhase, int lastEpoch)
        : base(Prepare(optimizer, maxLr, pctStart, annealStrategy, divFactor, finalDivFactor, cycleMomentum, baseMomentum, maxMomentum, lastEpoch), lastEpoch)
    {
        this.totalSteps = totalSteps;
        phases = threePhase
            ? [
                (pctStart * this.totalSteps - 1, "initial_lr", "max_lr", "max_momentum", "base_momentum"),
                (2 * pctStart * this.totalSteps - 2, "max_lr", "initial_lr", "base_momentum", "max_momentum"),
                (this.totalSteps - 1, "initial_lr", "min_lr", "max_momentum", "max_momentum"),
            ]
            : [
                (pctStart * this.totalSteps - 1, "initial_lr", "max_lr", "max_momentum", "base_momentum"),
                (this.totalSteps - 1, "max_lr", "min_lr", "base_momentum", "max_momentum"),
            ];
        this.annealStrategy = annealStrategy;
        this.cycleMomentum = cycleMomentum;
        if (cycleMomentum && UsesBeta1(optimizer)) momentumName = "beta1";
        InitialStep();
    }

    private static bool UsesBeta1(Optimizer optimizer) => optimizer.Defaults.ContainsKey("beta1");

    private static int TotalSteps(int? totalSteps, int? epochs, int? stepsPerEpoch)
    {
        if (totalSteps is null && epochs is null && stepsPerEpoch is null)
            throw new ArgumentException("You must define either total_steps OR (epochs AND steps_per_epoch)");
        if (totalSteps is { } total)
            return total > 0 ? total : throw new ArgumentException($"Expected positive integer total_steps, but got {total}", nameof(totalSteps));
        if (epochs is not > 0)
            throw new ArgumentException($"Expected positive integer epochs, but got {epochs?.ToString() ?? "None"}", nameof(epochs));
        if (stepsPerEpoch is not > 0)
            throw new ArgumentException($"Expected positive integer steps_per_epoch, but got {stepsPerEpoch?.ToString() ?? "None"}", nameof(stepsPerEpoch));
        return checked(epochs.Value * stepsPerEpoch.Value);
    }

    /// <summary>
    /// Validates everything, then writes what PyTorch's constructor writes into the groups, before
    /// the base class reads "initial_lr".
    /// </summary>
    private static Optimizer Prepare(Optimizer optimizer, double maxLr, double pctStart, AnnealStrategy annealStrategy,
                                     double divFactor, double finalDivFactor, bool cycleMomentum, double baseMomentum,
                                     double maxMomentum, int lastEpoch)
    {
        ArgumentNullException.ThrowIfNull(optimizer);
        if (pctStart < 0 || pctStart > 1 || double.IsNaN(pctStart))
            throw new ArgumentException($"Expected float between 0 and 1 pct_start, but got {ParamGroup.Format(pctStart)}", nameof(pctStart));
        if (!Enum.IsDefined(annealStrategy))
            throw new ArgumentException($"anneal_strategy must by one of 'cos' or 'linear', instead got {annealStrategy}", nameof(annealStrategy));
        if (cycleMomentum && !optimizer.Defaults.ContainsKey("momentum") && !UsesBeta1(optimizer))
            throw new ArgumentException("optimizer must support momentum with `cycle_momentum` option enabled", nameof(optimizer));
        if (lastEpoch != -1) return optimizer;
        foreach (var group in optimizer.ParamGroups)
        {
            group["initial_lr"] = maxLr / divFactor;
            group["max_lr"] = maxLr;
            group["min_lr"] = group["initial_lr"] / finalDivFactor;
            if (!cycleMomentum) continue;
            group[UsesBeta1(optimizer) ? "beta1" : "momentum"] = maxMomentum;
            group["max_momentum"] = maxMomentum;
            group["base_momentum"] = baseMomentum;
        }
        return optimizer;
    }

    private double Anneal(double start, double end, double pct) => annealStrategy == AnnealStrategy.Cos
        ? end + (start - end) / 2.0 * (Math.Cos(Math.PI * pct) + 1)
        : (end - start) * pct + start;

    /// <inheritdoc/>
    /// <exception cref="InvalidOperationException">Stepped more than the cycle's steps (PyTorch's message).</exception>
    protected override IReadOnlyList<double> ComputeLr()
    {
        int stepNumber = LastEpoch;
        if (stepNumber > totalSteps)
            throw new InvalidOperationException($"Tried to step {stepNumber + 1} times. The specified number of total steps is {totalSteps}");
        var lrs = new List<double>();
        foreach (var group in Optimizer.ParamGroups)
        {
            double start = 0, lr = 0, momentum = 0;
            for (int i = 0; i < phases.Length; i++)
            {
                var phase = phases[i];
                if (stepNumber <= phase.EndStep || i == phases.Length - 1)
                {
                    double pct = (stepNumber - start) / (phase.EndStep - start);
                    lr = Anneal(group[phase.StartLr], group[phase.EndLr], pct);
                    if (cycleMomentum)
                        momentum = Anneal(group[phase.StartMomentum], group[phase.EndMomentum], pct);
                    break;
                }
                start = phase.EndStep;
            }
            lrs.Add(lr);
            if (cycleMomentum)
                group[momentumName] = momentum;
        }
        return lrs;
    }
}
