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
    // Stored as "disabled" so the default value (false) means enabled.
    private static readonly AsyncLocal<bool> Disabled = new();
    private static readonly AsyncLocal<bool> Inference = new();

    public static bool IsEnabled => !Disabled.Value;

    /// <summary>Inside an inference-mode scope: new tensors are inference tensors and nothing records.</summary>
    public static bool IsInference => Inference.Value;

    /// <summary>Whether an op records a node now: grad mode on and not in inference mode (which records nothing even under enable_grad).</summary>
    public static bool IsRecording => !Disabled.Value && !Inference.Value;

    public static IDisposable Set(bool enabled)
    {
        bool previous = IsEnabled;
        // Writing an AsyncLocal copies the execution context; skip it when nothing changes.
        if (previous == enabled) return Scope.Unchanged;
        Disabled.Value = !enabled;
        return new Scope(() => Disabled.Value = !previous);
    }

    /// <summary>
    /// c10::InferenceMode(enabled): grad mode becomes !enabled and inference mode enabled, so
    /// <c>InferenceMode(false)</c> turns recording on, as PyTorch's does.
    /// </summary>
    public static IDisposable SetInference(bool enabled)
    {
        bool previousDisabled = Disabled.Value, previousInference = Inference.Value;
        if (previousDisabled == enabled && previousInference == enabled) return Scope.Unchanged;
        Disabled.Value = enabled;
        Inference.Value = enabled;
        return new Scope(() =>
        {
            Disabled.Value = previousDisabled;
            Inference.Value = previousInference;
        });
    }

    private sealed class Scope(Action restore) : IDisposable
    {
        public static readonly IDisposable Unchanged = new NoChange();
        private bool done;

        public void Dispose()
        {
            if (done) return;
            done = true;
            restore();
        }

        private sealed class NoChange : IDisposable
        {
            public void Dispose() { }
        }
    }
}
