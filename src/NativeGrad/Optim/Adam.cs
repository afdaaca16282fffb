namespace NativeGrad.Optim;

/// <summary>
/// Adam (torch.optim.Adam, PyTorch 1.13's single-tensor update), optionally with AMSGrad, L2
/// weight decay added to the gradient, and maximization. Per parameter and step t:
/// <c>m = beta1 * m + (1 - beta1) * g</c>, <c>v = beta2 * v + (1 - beta2) * g * g</c>,
/// <c>p -= lr / (1 - beta1^t) * m / (sqrt(v) / sqrt(1 - beta2^t) + eps)</c> (with AMSGrad, the
/// running maximum of <c>v</c> replaces it in the denominator). State: <c>"step"</c> (a float32
/// scalar, as in PyTorch), <c>"exp_avg"</c>, <c>"exp_avg_sq"</c> and, with AMSGrad,
/// <c>"max_exp_avg_sq"</c>. Group hyper-parameters: lr, beta1, beta2, eps, weight_decay, amsgrad, maximize.
/// </summary>
public sealed class Adam : Optimizer
{
    /// <summary>Adam over one group of <paramref name="parameters"/>.</summary>
    /// <param name="parameters">The tensors to optimize.</param>
    /// <param name="lr">The learning rate.</param>
    /// <param name="betas">The decay rates of the first and second moment averages, each in [0, 1).</param>
    /// <param name="eps">Added to the denominator for numerical stability.</param>
    /// <param name="weightDecay">The L2 penalty added to the gradient.</param>
    /// <param name="amsgrad">Use the running maximum of the second moment (AMSGrad).</param>
    /// <param name="maximize">Ascend the objective instead of descending.</param>
    /// <exception cref="ArgumentException">A hyper-parameter is out of range (PyTorch's message).</exception>
    public Adam(IEnumerable<Tensor> parameters, double lr = 1e-3, (double Beta1, double Beta2)? betas = null, double eps = 1e-8,
                double weightDecay = 0, bool amsgrad = false, bool maximize = false)
        : base(parameters, AdamMath.Defaults(lr, betas ?? (0.9, 0.999), eps, weightDecay, amsgrad, maximize))
    {
    }

    /// <summary>Adam over several groups; a group's own hyper-parameters override these defaults.</summary>
    /// <inheritdoc cref="Adam(IEnumerable{Tensor}, double, ValueTuple{double, double}?, double, double, bool, bool)"/>
    public Adam(IEnumerable<ParamGroup> paramGroups, double lr = 1e-3, (double Beta1, double Beta2)? betas = null, double eps = 1e-8,
                double weightDecay = 0, bool amsgrad = false, bool maximize = false)
        : base(paramGroups, AdamMath.Defaults(lr, betas ?? (0.9, 0.999), eps, weightDecay, amsgrad, maximize))
    {
    }

    /// <inheritdoc/>
    protected override void Update(ParamGroup group, Tensor parameter, Tensor grad, Dictionary<string, Tensor> state) =>
        AdamMath.Update(group, parameter, grad, state, decoupledWeightDecay: false);
}

/// <summary>
/// AdamW (torch.optim.AdamW, PyTorch 1.13's single-tensor update): Adam whose weight decay
/// shrinks the parameter directly, <c>p *= 1 - lr * weight_decay</c>, before the Adam step,
/// instead of adding to the gradient. Same state and hyper-parameters as <see cref="Adam"/>.
/// </summary>
public sealed class AdamW : Optimizer
{
    /// <summary>AdamW over one group of <paramref name="parameters"/>.</summary>
    /// <param name="parameters">The tensors to optimize.</param>
    /// <param name="lr">The learning rate.</param>
    /// <param name="betas">The decay rates of the first and second moment averages, each in [0, 1).</param>
    /// <param name="eps">Added to the denominator for numerical stability.</param>
    /// <param name="weightDecay">The decoupled weight decay coefficient.</param>
    /// <param name="amsgrad">Use the running maximum of the second moment (AMSGrad).</param>
    /// <param name="maximize">Ascend the objective instead of descending.</param>
    /// <exception cref="ArgumentException">A hyper-parameter is out of range (PyTorch's message).</exception>
    public AdamW(IEnumerable<Tensor> parameters, double lr = 1e-3, (double Beta1, double Beta2)? betas = null, double eps = 1e-8,
                 double weightDecay = 1e-2, bool amsgrad = false, bool maximize = false)
        : base(parameters, AdamMath.Defaults(lr, betas ?? (0.9, 0.999), eps, weightDecay, amsgrad, maximize))
    {
    }

    /// <summary>AdamW over several groups; a group's own hyper-parameters override these defaults.</summary>
    /// <inheritdoc cref="AdamW(IEnumerable{Tensor}, double, ValueTuple{double, double}?, double, double, bool, bool)"/>
    public AdamW(IEnumerable<ParamGroup> paramGroups, double lr = 1e-3, (double Beta1, double Beta2)? betas = null, double eps = 1e-8,
                 double weightDecay = 1e-2, bool amsgrad = false, bool maximize = false)
        : base(paramGroups, AdamMath.Defaults(lr, betas ?? (0.9, 0.999), eps, weightDecay, amsgrad, maximize))
    {
    }

    /// <inheritdoc/>
    protected override void Update(ParamGroup group, Tensor parameter, Tensor grad, Dictionary<string, Tensor> state) =>
        AdamMath.Update(group, parameter, grad, state, decoupledWeightDecay: true);
}

/// <summary>What Adam and AdamW share: validation and the update, which differ only in where weight decay goes.</summary>
internal static class AdamMath
{
    public static Dictionary<string, double> Defaults(double lr, (double Beta1, double Beta2) betas, double eps,
                                                      double weightDecay, bool amsgrad, bool maximize)
    {
        if (!(lr >= 0)) throw new ArgumentException($"Invalid learning rate: {ParamGroup.Format(lr)}");
        if (!(eps >= 0)) throw new ArgumentException($"Invalid epsilon value: {ParamGroup.Format(eps)}");
        if (!(betas.Beta1 >= 0 && betas.Beta1 < 1)) throw new ArgumentException($"Invalid beta parameter at index 0: {ParamGroup.Format(betas.Beta1)}");
        if (!(betas.Beta2 >= 0 && betas.Beta2 < 1)) throw new ArgumentException($"Invalid beta parameter at index 1: {ParamGroup.Format(betas.Beta2)}");
        if (!(weightDecay >= 0)) throw new ArgumentException($"Invalid weight_decay value: {ParamGroup.Format(weightDecay)}");
        return new()
        {
            ["lr"] = lr,
            ["beta1"] = betas.Beta1,
            ["beta2"] = betas.Beta2,
            ["eps"] = eps,
            ["weight_decay"] = weightDecay,
            ["amsgrad"] = amsgrad ? 1 : 0,
            ["maximize"] = maximize ? 1 : 0,
        };
    }

    public static void Update(ParamGroup group, Tensor parameter, Tensor grad, Dictionary<string, Tensor> state, bool decoupledWeightDecay)
    {
        double lr = group.Lr, beta1 = group["beta1"], beta2 = group["beta2"], weightDecay = group["weight_decay"];
        bool amsgrad = group.Flag("amsgrad");
        if (state.Count == 0)
        {
            state["step"] = Tensor.From(0f);
            state["exp_avg"] = Tensor.ZerosLike(parameter);
            state["exp_avg_sq"] = Tensor.ZerosLike(parameter);
            if (amsgrad) state["max_exp_avg_sq"] = Tensor.ZerosLike(parameter);
        }
        var g = group.Flag("maximize") ? -grad : grad;
        var expAvg = state["exp_avg"];
        var expAvgSq = state["exp_avg_sq"];
        var stepCount = state["step"];

        stepCount.Add_(1.0);
        if (decoupledWeightDecay)
            parameter.Mul_(1 - lr * weightDecay);
        else if (weightDecay != 0)
            g = g.Add(parameter, weightDecay);

        expAvg.Mul_(beta1).Add_(g, 1 - beta1);
        expAvgSq.Mul_(beta2).Addcmul_(g, g, 1 - beta2);

        // PyTorch reads the float32 step back into a Python float and does this scalar math in double.
        double step = stepCount.Item<float>();
        double biasCorrection1 = 1 - Math.Pow(beta1, step);
        double biasCorrection2 = 1 - Math.Pow(beta2, step);
        double stepSize = lr / biasCorrection1;
        double biasCorrection2Sqrt = Math.Sqrt(biasCorrection2);

        Tensor secondMoment = expAvgSq;
        if (amsgrad)
        {
            if (!state.TryGetValue("max_exp_avg_sq", out var maxExpAvgSq))
                throw new InvalidOperationException("AMSGrad was switched on after this parameter's first step: its state has no 'max_exp_avg_sq'");
            secondMoment = maxExpAvgSq.Maximum_(expAvgSq);
        }
        var denom = secondMoment.Sqrt() / biasCorrection2Sqrt + group["eps"];
        parameter.Addcdiv_(expAvg, denom, -stepSize);
    }
}
