namespace NativeGrad.Optim;

/// <summary>
/// RMSprop (torch.optim.RMSprop, PyTorch 1.13's single-tensor update), optionally centered, with
/// momentum, L2 weight decay and maximization. Per parameter:
/// <c>v = alpha * v + (1 - alpha) * g * g</c>; the denominator is <c>sqrt(v) + eps</c>, or, centered,
/// <c>sqrt(v - gAvg * gAvg) + eps</c> with <c>gAvg = alpha * gAvg + (1 - alpha) * g</c>; then
/// <c>p -= lr * g / denom</c>, or with momentum <c>buf = momentum * buf + g / denom</c>, <c>p -= lr * buf</c>.
/// State: <c>"step"</c>, <c>"square_avg"</c>, and <c>"momentum_buffer"</c> / <c>"grad_avg"</c> when
/// momentum / centering are on at the parameter's first step.
/// </summary>
public sealed class RMSprop : Optimizer
{
    /// <summary>RMSprop over one group of <paramref name="parameters"/>.</summary>
    /// <param name="parameters">The tensors to optimize.</param>
    /// <param name="lr">The learning rate.</param>
    /// <param name="alpha">The smoothing constant of the squared-gradient average.</param>
    /// <param name="eps">Added to the denominator for numerical stability.</param>
    /// <param name="weightDecay">The L2 penalty added to the gradient.</param>
    /// <param name="momentum">The momentum factor; 0 turns momentum off.</param>
    /// <param name="centered">Normalize by the estimated variance of the gradient instead of its second moment.</param>
    /// <param name="maximize">Ascend the objective instead of descending.</param>
    /// <exception cref="ArgumentException">A hyper-parameter is out of range (PyTorch's message).</exception>
    public RMSprop(IEnumerable<Tensor> parameters, double lr = 1e-2, double alpha = 0.99, double eps = 1e-8,
                   double weightDecay = 0, double momentum = 0, bool centered = false, bool maximize = false)
        : base(parameters, ValidatedDefaults(lr, alpha, eps, weightDecay, momentum, centered, maximize))
    {
    }

    /// <summary>RMSprop over several groups; a group's own hyper-parameters override these defaults.</summary>
    /// <inheritdoc cref="RMSprop(IEnumerable{Tensor}, double, double, double, double, double, bool, bool)"/>
    public RMSprop(IEnumerable<ParamGroup> paramGroups, double lr = 1e-2, double alpha = 0.99, double eps = 1e-8,
                   double weightDecay = 0, double momentum = 0, bool centered = false, bool maximize = false)
        : base(paramGroups, ValidatedDefaults(lr, alpha, eps, weightDecay, momentum, centered, maximize))
    {
    }

    private static Dictionary<string, double> ValidatedDefaults(double lr, double alpha, double eps, double weightDecay,
                                                       double momentum, bool centered, bool maximize)
    {
        RequireNonNegative(lr, "learning rate");
        RequireNonNegative(eps, "epsilon value");
        RequireNonNegative(momentum, "momentum value");
        RequireNonNegative(weightDecay, "weight_decay value");
        RequireNonNegative(alpha, "alpha value");
        return new()
        {
            ["lr"] = lr,
            ["momentum"] = momentum,
            ["alpha"] = alpha,
            ["eps"] = eps,
            ["centered"] = centered ? 1 : 0,
            ["weight_decay"] = weightDecay,
            ["maximize"] = maximize ? 1 : 0,
        };
    }

    /// <inheritdoc/>
    protected override void Update(ParamGroup group, Tensor parameter, Tensor grad, Dictionary<string, Tensor> state)
    {
        double alpha = group["alpha"], momentum = group["momentum"], weightDecay = group["weight_decay"];
        bool centered = group.Flag("centered");
        if (state.Count == 0)
        {
            // PyTorch keeps this step as a Python int; a float32 scalar (like Adam's) fits a checkpoint
            // of tensors and is exact for 2^24 steps.
            state["step"] = Tensor.From(0f);
            state["square_avg"] = Tensor.ZerosLike(parameter);
            if (momentum > 0) state["momentum_buffer"] = Tensor.ZerosLike(parameter);
            if (centered) state["grad_avg"] = Tensor.ZerosLike(parameter);
        }
        state["step"].Add_(1.0);

        var g = group.Flag("maximize") ? -grad : grad;
        if (weightDecay != 0)
            g = g.Add(parameter, weightDecay);

        var squareAvg = state["square_avg"].Mul_(alpha).Addcmul_(g, g, 1 - alpha);
        Tensor avg;
        if (centered)
        {
            var gradAvg = Required(state, "grad_avg", "centering").Mul_(alpha).Add_(g, 1 - alpha);
            avg = squareAvg.Addcmul(gradAvg, gradAvg, -1).Sqrt();
        }
        else
            avg = squareAvg.Sqrt();
        avg = avg + group["eps"];

        if (momentum > 0)
        {
            var buffer = Required(state, "momentum_buffer", "momentum").Mul_(momentum).Addcdiv_(g, avg);
            parameter.Add_(buffer, -group.Lr);
        }
        else
            parameter.Addcdiv_(g, avg, -group.Lr);
    }

    private static Tensor Required(Dictionary<string, Tensor> state, string name, string feature) =>
        state.TryGetValue(name, out var tensor)
            ? tensor
            : throw new InvalidOperationException($"{feature} was switched on after this parameter's first step: its state has no '{name}'");
}
