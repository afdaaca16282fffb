namespace NativeGrad;

/// <summary>
/// Whether operations record the graph (torch.is_grad_enabled). The state follows the logical
/// flow of control, like an <see cref="AsyncLocal{T}"/>: a <c>using (Autograd.NoGrad())</c>
/// scope that spans an <c>await</c> still holds after it, whichever thread resumes, and ends with
/// its scope, so thread-pool threads never keep it. Flows that do not share an ancestor scope are
/// independent, as PyTorch's per-thread state is. Scopes restore the previous state when disposed,
/// so they nest.
/// </summary>
internal static class GradMode
{
    // Stored as "disabled" so the default value (false) means enabled.
    private static readonly AsyncLocal<bool> Disabled = new();

    public static bool IsEnabled => !Disabled.Value;

    public static IDisposable Set(bool enabled)
    {
        bool previous = IsEnabled;
        // Writing an AsyncLocal copies the execution context; skip it when nothing changes.
        if (previous == enabled) return Scope.Unchanged;
        Disabled.Value = !enabled;
        return new Scope(previous);
    }

    private sealed class Scope(bool previous) : IDisposable
    {
        public static readonly IDisposable Unchanged = new NoChange();
        private bool done;

        public void Dispose()
        {
            if (done) return;
            done = true;
            Disabled.Value = !previous;
        }

        private sealed class NoChange : IDisposable
        {
            public void Dispose() { }
        }
    }
}
