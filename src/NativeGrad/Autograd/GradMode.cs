namespace NativeGrad;

/// <summary>
/// Whether operations record the graph (torch.is_grad_enabled), and whether inference mode is on
/// (torch.is_inference_mode_enabled). The state follows the logical flow of control, like an
/// <see cref="AsyncLocal{T}"/>: a <c>using (Autograd.NoGrad())</c> scope that spans an
/// <c>await</c> still holds after it, whichever thread resumes, and ends with its scope, so
/// thread-pool threads never keep it. Flows that do not share an ancestor scope are independent,
/// as PyTorch's per-thread state is. Scopes restore the previous state when disposed, so they nest.
/// </summary>
internal static class GradMode
{
    // One AsyncLocal for both flags, so that asking whether an op records is a single read on the
    // per-op path. The default (0) means grad mode on, inference mode off.
    private const int Disabled = 1, Inference = 2;
    private static readonly AsyncLocal<int> State = new();

    public static bool IsEnabled => (State.Value & Disabled) == 0;

    /// <summary>Inside an inference-mode scope: new tensors are inference tensors and nothing records.</summary>
    public static bool IsInference => (State.Value & Inference) != 0;

    /// <summary>Whether an op records a node now: grad mode on and not in inference mode (which records nothing even under enable_grad).</summary>
    public static bool IsRecording => State.Value == 0;

    public static IDisposable Set(bool enabled)
    {
        int previous = State.Value;
        return Enter(enabled ? previous & ~Disabled : previous | Disabled);
    }

    /// <summary>
    /// c10::InferenceMode(enabled): grad mode becomes !enabled and inference mode enabled, so
    /// <c>InferenceMode(false)</c> turns recording on, as PyTorch's does.
    /// </summary>
    public static IDisposable SetInference(bool enabled) => Enter(enabled ? Disabled | Inference : 0);

    private static IDisposable Enter(int state)
    {
        int previous = State.Value;
        // Writing an AsyncLocal copies the execution context; skip it when nothing changes.
        if (previous == state) return Scope.Unchanged;
        State.Value = state;
        return new Scope(previous);
    }

    private sealed class Scope(int previous) : IDisposable
    {
        public static readonly IDisposable Unchanged = new NoChange();
        private bool done;

        public void Dispose()
        {
            if (done) return;
            done = true;
            State.Value = previous;
        }

        private sealed class NoChange : IDisposable
        {
            public void Dispose() { }
        }
    }
}
