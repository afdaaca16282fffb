namespace NativeGrad.Optim;

/// <summary>
/// Stochastic gradient descent with optional momentum, dampening, Nesterov momentum, L2 weight
/// decay and maximization (torch.optim.SGD, PyTorch 1.13's single-tensor update). Per parameter:
/// <c>d = grad (negated when maximizing) + weight_decay * p</c>; with momentum the buffer starts as
/// a copy of <c>d</c> and then becomes <c>momentum * buf + (1 - dampening) * d</c>, and <c>d</c> is
/// the buffer (or <c>d + momentum * buf</c> with Nesterov); finally <c>p -= lr * d</c>.
/// State: <c>"momentum_buffer"</c> when momentum is used.
/// </summary>
public sealed class SGD : Optimizer
{
    /// <summary>SGD over one group of <paramref name="parameters"/>.</summary>
    /// <param name="parameters">The tensors to optimize.</param>
    /// <param name="lr">The learning rate (required, as in PyTorch).</param>
    /// <param name="momentum">The momentum factor; 0 turns momentum off.</param>
    /// <param name="dampening">How much of each new gradient the momentum buffer ignores.</param>
    /// <param name="weightDecay">The L2 penalty added to the gradient.</param>
    /// <param name="nesterov">Nesterov momentum (needs momentum and zero dampening).</param>
    /// <param name="maximize">Ascend the objective instead of descending.</param>
    /// <exception cref="ArgumentException">A hyper-parameter is out of range (PyTorch's message).</exception>
    public SGD(IEnumerable<Tensor> parameters, double lr, double momentum = 0, double dampening = 0,
               double weightDecay = 0, bool nesterov = false, bool maximize = false)
        : base(parameters, ValidatedDefaults(lr, momentum, dampening, weightDecay, nesterov, maximize))
    {
    }

    /// <summary>SGD over several groups; a group's own hyper-parameters override these defaults.</summary>
    /// <inheritdoc cref="SGD(IEnumerable{Tensor}, double, double, double, double, bool, bool)"/>
    public SGD(IEnumerable<ParamGroup> paramGroups, double lr, double momentum = 0, double dampening = 0,
               double weightDecay = 0, bool nesterov = false, bool maximize = false)
        : base(paramGroups, ValidatedDefaults(lr, momentum, dampening, weightDecay, nesterov, maximize))
    {
    }

    private static Dictionary<string, double> ValidatedDefaults(double lr, double momentum, double dampening,
                                                       double weightDecay, bool nesterov, bool maximize)
    {
        RequireNonNegative(lr, "learning rate");
        RequireNonNegative(momentum, "momentum value");
        RequireNonNegative(weightDecay, "weight_decay value");
        if (nesterov && (momentum <= 0 || dampening != 0))
            throw new ArgumentException("Nesterov momentum requires a momentum and zero dampening");
        return new()
        {
            ["lr"] = lr,
            ["momentum"] = momentum,
            ["dampening"] = dampening,
            ["weight_decay"] = weightDecay,
            ["nesterov"] = nesterov ? 1 : 0,
            ["maximize"] = maximize ? 1 : 0,
        };
    }

    /// <inheritdoc/>
    protected override void Update(ParamGroup group, Tensor parameter, Tensor grad, Dictionary<string, Tensor> state)
    {
        double weightDecay = group["weight_decay"], momentum = group["momentum"];
        var d = group.Flag("maximize") ? -grad : grad;
        if (weightDecay != 0)
            d = d.Add(parameter, weightDecay);
        if (momentum != 0)
        {
            if (!state.TryGetValue("momentum_buffer", out var buffer))
                state["momentum_buffer"] = buffer = d.Clone();
            else
                buffer.Mul_(momentum).Add_(d, 1 - group["dampening"]);
            d = group.Flag("nesterov") ? d.Add(buffer, momentum) : buffer;
        }
        parameter.Add_(d, -group.Lr);
    }
}
