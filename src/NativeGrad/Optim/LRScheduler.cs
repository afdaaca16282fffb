namespace NativeGrad.Optim;

/// <summary>
/// The base of the learning-rate schedulers (torch.optim.lr_scheduler._LRScheduler): it sets every
/// group's <see cref="ParamGroup.Lr"/> at construction (epoch 0) and at each <see cref="Step"/>,
/// which belongs after <see cref="Optimizer.Step()"/>. Schedulers use PyTorch 1.13's chainable
/// (recursive) form, which computes each rate from the group's current one.
/// </summary>
public abstract class LRScheduler
{
    private double[] lastLr = [];

    /// <summary>
    /// Attaches to <paramref name="optimizer"/>. With <paramref name="lastEpoch"/> -1 each group's
    /// <c>"initial_lr"</c> defaults to its current rate; resuming (any other value) needs it set.
    /// Derived constructors call <see cref="InitialStep"/> once their own fields are set.
    /// </summary>
    /// <exception cref="KeyNotFoundException">Resuming, and a group has no <c>"initial_lr"</c>.</exception>
    protected LRScheduler(Optimizer optimizer, int lastEpoch)
    {
        ArgumentNullException.ThrowIfNull(optimizer);
        Optimizer = optimizer;
        var groups = optimizer.ParamGroups;
        for (int i = 0; i < groups.Count; i++)
        {
            if (lastEpoch == -1)
                groups[i].SetDefault("initial_lr", groups[i].Lr);
            else if (!groups[i].Contains("initial_lr"))
                throw new KeyNotFoundException($"param 'initial_lr' is not specified in param_groups[{i}] when resuming an optimizer");
        }
        BaseLrs = [.. groups.Select(g => g["initial_lr"])];
        LastEpoch = lastEpoch;
    }

    /// <summary>The optimizer whose rates this scheduler sets.</summary>
    public Optimizer Optimizer { get; }

    /// <summary>Each group's starting rate (its <c>"initial_lr"</c>).</summary>
    public IReadOnlyList<double> BaseLrs { get; private set; }

    /// <summary>The epoch (step) the current rates belong to; 0 right after construction.</summary>
    public int LastEpoch { get; private set; }

    /// <summary>How many times the scheduler has stepped, the constructor's initial step included (PyTorch's _step_count).</summary>
    protected int StepCount { get; private set; }

    /// <summary>The rates the last step set, one per group (torch's get_last_lr()).</summary>
    public IReadOnlyList<double> GetLastLr() => lastLr;

    /// <summary>Moves to the next epoch and sets each group's rate (torch's scheduler.step()).</summary>
    public void Step()
    {
        if (StepCount == 1 && Optimizer.StepCount < 1)
            Warnings.Warn("Detected call of `lr_scheduler.step()` before `optimizer.step()`. In PyTorch 1.1.0 and later, you should call them " +
                          "in the opposite order: `optimizer.step()` before `lr_scheduler.step()`.  Failure to do this will result in PyTorch " +
                          "skipping the first value of the learning rate schedule. " +
                          "See more details at https://pytorch.org/docs/stable/optim.html#how-to-adjust-learning-rate");
        StepCount++;
        LastEpoch++;
        var values = ComputeLr();
        var groups = Optimizer.ParamGroups;
        for (int i = 0; i < groups.Count && i < values.Count; i++)
            groups[i].Lr = values[i];
        lastLr = [.. groups.Select(g => g.Lr)];
    }

    /// <summary>The rates for <see cref="LastEpoch"/>, one per group (torch's get_lr(), chainable form).</summary>
    protected abstract IReadOnlyList<double> ComputeLr();

    /// <summary>The first step, to epoch 0 (PyTorch's _initial_step); call it at the end of a derived constructor.</summary>
    protected void InitialStep()
    {
        Optimizer.StepCount = 0;
        StepCount = 0;
        Step();
    }

    /// <summary>The current rate of every group.</summary>
    protected IEnumerable<double> GroupLrs => Optimizer.ParamGroups.Select(g => g.Lr);

    /// <summary>
    /// The scheduler's progress (torch's scheduler.state_dict() without the constructor arguments,
    /// which a resumed run passes again): epoch, step count, base and last rates.
    /// </summary>
    public SchedulerStateDict StateDict() => new(LastEpoch, StepCount, [.. BaseLrs], [.. lastLr]);

    /// <summary>Restores progress saved by <see cref="StateDict"/>; the optimizer's rates come from its own state dict.</summary>
    /// <exception cref="ArgumentException">The dict's rates are not one per parameter group.</exception>
    public void LoadStateDict(SchedulerStateDict stateDict)
    {
        ArgumentNullException.ThrowIfNull(stateDict);
        int groups = Optimizer.ParamGroups.Count;
        if (stateDict.BaseLrs.Count != groups || stateDict.LastLr.Count != groups)
            throw new ArgumentException(
                $"loaded scheduler state has {stateDict.BaseLrs.Count} base and {stateDict.LastLr.Count} last learning rates, but the optimizer has {groups} parameter groups");
        LastEpoch = stateDict.LastEpoch;
        StepCount = stateDict.StepCount;
        BaseLrs = [.. stateDict.BaseLrs];
        lastLr = [.. stateDict.LastLr];
    }
}

/// <summary>A scheduler's progress; every field is a number, so a checkpoint can store it as metadata.</summary>
/// <param name="LastEpoch">The epoch of the current rates.</param>
/// <param name="StepCount">How many times the scheduler stepped (PyTorch's _step_count).</param>
/// <param name="BaseLrs">Each group's initial rate.</param>
/// <param name="LastLr">The rates the last step set.</param>
public sealed record SchedulerStateDict(int LastEpoch, int StepCount, IReadOnlyList<double> BaseLrs, IReadOnlyList<double> LastLr);
