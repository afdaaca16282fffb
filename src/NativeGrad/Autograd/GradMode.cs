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
    // One AsyncLocal for all flags, so that asking whether an op records is a single read on the
    // per-op path. The default (0) means grad mode on, inference mode off, forward AD running.
    // ForwardPaused stops tangent propagation (forward AD) while a tangent rule or an op's own
    // internal composition runs; torch.no_grad() does not stop forward AD, so the public NoGrad
    // scope leaves it alone.
    private const int Disabled = 1, Inference = 2, ForwardPaused = 4;
    // An AsyncLocal holds objects: one shared, immutable instance per combination of flags, so
    // that entering a scope does not box an int (the backward pass enters one every time).
    private static readonly AsyncLocal<Flags?> Current = new();
    private static readonly Flags[] EveryFlags = [.. Enumerable.Range(0, 8).Select(bits => new Flags(bits))];

    private sealed class Flags(int bits)
    {
        public readonly int Bits = bits;
    }

    private static int State
    {
        get => Current.Value?.Bits ?? 0;
        set => Current.Value = value == 0 ? null : EveryFlags[value];
    }

    public static bool IsEnabled => (State & Disabled) == 0;

    /// <summary>Inside an inference-mode scope: new tensors are inference tensors and nothing records.</summary>
    public static bool IsInference => (State & Inference) != 0;

    /// <summary>Whether an op records a node now: grad mode on and not in inference mode (which records nothing even under enable_grad).</summary>
    public static bool IsRecording => (State & (Disabled | Inference)) == 0;

    /// <summary>Whether ops propagate forward-AD tangents now: not paused and not in inference mode (where PyTorch drops them).</summary>
    public static bool IsForwardRunning => (State & (ForwardPaused | Inference)) == 0;

    /// <summary>
    /// Grad mode on or off for the library's own use: off also pauses forward AD, since an op
    /// that computes its result from other ops inside such a scope gives the result its own
    /// tangent afterwards, and its parts must not compute theirs.
    /// </summary>
    public static IDisposable Set(bool enabled)
    {
        int previous = State;
        return Enter(enabled ? previous & ~Disabled : previous | Disabled | ForwardPaused);
    }

    /// <summary>torch.set_grad_enabled as the user calls it: recording only, forward AD carries on.</summary>
    public static IDisposable SetRecording(bool enabled)
    {
        int previous = State;
        return Enter(enabled ? previous & ~Disabled : previous | Disabled);
    }

    /// <summary>Stops tangent propagation until disposed, leaving recording as it is.</summary>
    public static IDisposable PauseForward() => Enter(State | ForwardPaused);

    /// <summary>
    /// c10::InferenceMode(enabled): grad mode becomes !enabled and inference mode enabled, so
    /// <c>InferenceMode(false)</c> turns recording on, as PyTorch's does.
    /// </summary>
    public static IDisposable SetInference(bool enabled) => Enter(enabled ? Disabled | Inference : 0);

    private static IDisposable Enter(int state)
    {
        int previous = State;
        // Writing an AsyncLocal copies the execution context; skip it when nothing changes.
        if (previous == state) return Scope.Unchanged;
        State = state;
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
            State = previous;
        }

        private sealed class NoChange : IDisposable
        {
            public void Dispose() { }
        }
    }
}
