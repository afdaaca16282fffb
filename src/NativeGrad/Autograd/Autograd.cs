namespace NativeGrad;

/// <summary>torch.autograd: gradients on demand, grad-mode scopes and gradient checking.</summary>
public static partial class Autograd
{
    /// <summary>Whether operations in this flow record the graph now (torch.is_grad_enabled()).</summary>
    public static bool IsGradEnabled => GradMode.IsEnabled;

    /// <summary>
    /// Stops recording until disposed (torch.no_grad()). The scope follows the logical flow: it
    /// holds across <c>await</c> and ends with the scope, never leaking into other work.
    /// </summary>
    public static IDisposable NoGrad() => GradMode.SetRecording(false);

    /// <summary>Records until disposed, even inside <see cref="NoGrad"/> (torch.enable_grad()); flows like <see cref="NoGrad"/>.</summary>
    public static IDisposable EnableGrad() => GradMode.SetRecording(true);

    /// <summary>
    /// Turns recording on or off (torch.set_grad_enabled), both as a plain call and as a scope:
    /// <c>Autograd.SetGradEnabled(false);</c> holds for the rest of the current flow, and
    /// <c>using (Autograd.SetGradEnabled(isTraining)) { ... }</c> restores the previous state when
    /// disposed. Like <see cref="NoGrad"/>, the state follows the logical flow: a change made
    /// inside an <c>async</c> method ends when that method returns to its caller.
    /// </summary>
    public static IDisposable SetGradEnabled(bool enabled) => GradMode.SetRecording(enabled);

    /// <summary>
    /// Inference mode until disposed (torch.inference_mode()): nothing records, even inside
    /// <see cref="EnableGrad"/>, and every tensor created is an inference tensor
    /// (<see cref="Tensor.IsInference"/>) that skips autograd's bookkeeping.
    /// <c>InferenceMode(false)</c> leaves inference mode and turns recording on, as PyTorch's does.
    /// Flows like <see cref="NoGrad"/>.
    /// </summary>
    public static IDisposable InferenceMode(bool mode = true) => GradMode.SetInference(mode);

    /// <summary>
    /// Anomaly detection until disposed (torch.autograd.detect_anomaly()), warning that it is on:
    /// each node records the stack trace of its forward call, and when a backward rule fails or
    /// returns NaN ("Function 'SqrtBackward0' returned nan values in its 0th output."), a warning
    /// through <see cref="Warnings"/> names the node and that trace before the exception
    /// propagates (the trace is also in the exception's <c>Data["NativeGrad.ForwardTrace"]</c>).
    /// Process-wide, as in PyTorch; slows every op, so for debugging only.
    /// </summary>
    public static IDisposable DetectAnomaly()
    {
        Warnings.Warn(AnomalyMode.EnabledWarning);
        return AnomalyMode.Set(true);
    }

    /// <summary>
    /// Turns anomaly detection on or off (torch.autograd.set_detect_anomaly), as a plain call or
    /// as a scope that restores the previous setting; see <see cref="DetectAnomaly"/>.
    /// </summary>
    public static IDisposable SetDetectAnomaly(bool enabled) => AnomalyMode.Set(enabled);

    /// <summary>Whether anomaly detection is on (torch.is_anomaly_enabled()).</summary>
    public static bool IsAnomalyEnabled => AnomalyMode.IsEnabled;

    /// <summary>Whether this flow is in inference mode now (torch.is_inference_mode_enabled()).</summary>
    public static bool IsInferenceModeEnabled => GradMode.IsInference;

    /// <summary>
    /// The gradients of <paramref name="outputs"/> with respect to <paramref name="inputs"/>
    /// (torch.autograd.grad), without touching any tensor's <see cref="Tensor.Grad"/>.
    /// </summary>
    /// <param name="outputs">The differentiated tensors.</param>
    /// <param name="inputs">The tensors to differentiate with respect to; each must require grad.</param>
    /// <param name="gradOutputs">d(something)/d(output) for each output; null entries (or null) mean 1 for one-element outputs.</param>
    /// <param name="retainGraph">Keep saved tensors for another pass; defaults to <paramref name="createGraph"/>.</param>
    /// <param name="createGraph">Record the computation, so the result can be differentiated again.</param>
    /// <param name="allowUnused">Return null for an input the outputs do not depend on, instead of throwing.</param>
    public static Tensor?[] Grad(IReadOnlyList<Tensor> outputs, IReadOnlyList<Tensor> inputs,
                                 IReadOnlyList<Tensor?>? gradOutputs = null, bool? retainGraph = null,
                                 bool createGraph = false, bool allowUnused = false)
    {
        ArgumentNullException.ThrowIfNull(outputs);
        ArgumentNullException.ThrowIfNull(inputs);
        var grads = gradOutputs?.ToArray() ?? new Tensor?[outputs.Count];
        return Engine.Grad([.. outputs], grads, [.. inputs], retainGraph ?? createGraph, createGraph, allowUnused);
    }

    /// <summary>The gradient of one output with respect to one input; see the general overload.</summary>
    public static Tensor Grad(Tensor output, Tensor input, Tensor? gradOutput = null, bool? retainGraph = null, bool createGraph = false) =>
        Grad([output], [input], [gradOutput], retainGraph, createGraph)[0]!;

    /// <summary>
    /// Computes the gradient of the sum of <paramref name="tensors"/> (each weighted by its
    /// gradient) into the leaves (torch.autograd.backward), or only into <paramref name="inputs"/>
    /// when given (see <see cref="Tensor.Backward"/>).
    /// </summary>
    public static void Backward(IReadOnlyList<Tensor> tensors, IReadOnlyList<Tensor?>? gradTensors = null,
                                bool? retainGraph = null, bool createGraph = false, IReadOnlyList<Tensor>? inputs = null)
    {
        ArgumentNullException.ThrowIfNull(tensors);
        Engine.Backward([.. tensors], gradTensors?.ToArray() ?? new Tensor?[tensors.Count], retainGraph ?? createGraph, createGraph,
                        inputs?.ToArray());
    }
}
