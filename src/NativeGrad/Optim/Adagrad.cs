namespace NativeGrad.Optim;

/// <summary>
/// Adagrad (torch.optim.Adagrad, PyTorch 1.13's single-tensor update for dense gradients), with
/// learning-rate decay, L2 weight decay and maximization. Per parameter and step t:
/// <c>sum += g * g</c>, <c>p -= lr / (1 + (t - 1) * lr_decay) * g / (sqrt(sum) + eps)</c>.
/// State, created for every parameter by the constructor as PyTorch does: <c>"step"</c> (a
/// float32 scalar) and <c>"sum"</c> (starting at the initial accumulator value).
/// </summary>
public sealed class Adagrad : Optimizer
{
    /// <summary>Adagrad over one group of <paramref name="parameters"/>.</summary>
    /// <param name="parameters">The tensors to optimize.</param>
    /// <param name="lr">The learning rate.</param>
    /// <param name="lrDecay">How fast the learning rate decays with the step count.</param>
    /// <param name="weightDecay">The L2 penalty added to the gradient.</param>
    /// <param name="initialAccumulatorValue">The starting value of the squared-gradient sum.</param>
    /// <param name="eps">Added to the denominator for numerical stability.</param>
    /// <param name="maximize">Ascend the objective instead of descending.</param>
    /// <exception cref="ArgumentException">A hyper-parameter is out of range (PyTorch's message).</exception>
    public Adagrad(IEnumerable<Tensor> parameters, double lr = 1e-2, double lrDecay = 0, double weightDecay = 0,
                   double initialAccumulatorValue = 0, double eps = 1e-10, bool maximize = false)
        : base(parameters, ValidatedDefaults(lr, lrDecay, weightDecay, initialAccumulatorValue, eps, maximize))
    {
        InitializeState();
    }

    /// <summary>Adagrad over several groups; a group's own hyper-parameters override these defaults.</summary>
    /// <inheritdoc cref="Adagrad(IEnumerable{Tensor}, double, double, double, double, double, bool)"/>
    public Adagrad(IEnumerable<ParamGroup> paramGroups, double lr = 1e-2, double lrDecay = 0, double weightDecay = 0,
                   double initialAccumulatorValue = 0, double eps = 1e-10, bool maximize = false)
        : base(paramGroups, ValidatedDefaults(lr, lrDecay, weightDecay, initialAccumulatorValue, eps, maximize))
    {
        InitializeState();
    }

    private static Dictionary<string, double> ValidatedDefaults(double lr, double lrDecay, double weightDecay,
                                                       double initialAccumulatorValue, double eps, bool maximize)
    {
        RequireNonNegative(lr, "learning rate");
        RequireNonNegative(lrDecay, "lr_decay value");
        RequireNonNegative(weightDecay, "weight_decay value");
        RequireNonNegative(initialAccumulatorValue, "initial_accumulator_value value");
        RequireNonNegative(eps, "epsilon value");
        return new()
        {
            ["lr"] = lr,
            ["lr_decay"] = lrDecay,
            ["eps"] = eps,
            ["weight_decay"] = weightDecay,
            ["initial_accumulator_value"] = initialAccumulatorValue,
            ["maximize"] = maximize ? 1 : 0,
        };
    }

    private void InitializeState()
    {
        foreach (var group in ParamGroups)
            foreach (var parameter in group.Parameters)
                Initialize(group, parameter, StateFor(parameter));
    }

    private static void Initialize(ParamGroup group, Tensor parameter, Dictionary<string, Tensor> state)
    {
        state["step"] = Tensor.From(0f);
        state["sum"] = Tensor.FullLike(parameter, group["initial_accumulator_value"]);
    }

    /// <inheritdoc/>
    protected override void Update(ParamGroup group, Tensor parameter, Tensor grad, Dictionary<string, Tensor> state)
    {
        // A group added after construction has no state yet (PyTorch fails there; starting it is what it means).
        if (state.Count == 0) Initialize(group, parameter, state);
        var stepCount = state["step"].Add_(1.0);
        double step = stepCount.Item<float>();
        var g = group.Flag("maximize") ? -grad : grad;
        double weightDecay = group["weight_decay"];
        if (weightDecay != 0)
            g = g.Add(parameter, weightDecay);

        double clr = group.Lr / (1 + (step - 1) * group["lr_decay"]);
        var sum = state["sum"].Addcmul_(g, g, 1);
        var std = sum.Sqrt() + group["eps"];
        parameter.Addcdiv_(g, std, -clr);
    }
}
