namespace NativeGrad;

/// <summary>
/// Whether operations record the graph, per thread (torch.is_grad_enabled). Scopes from
/// <see cref="Autograd.NoGrad"/> and <see cref="Autograd.EnableGrad"/> restore the previous
/// state when disposed, so they nest.
/// </summary>
internal static class GradMode
{
    [ThreadStatic] private static bool disabled;

    public static bool IsEnabled => !disabled;

    public static IDisposable Set(bool enabled)
    {
        var previous = !disabled;
        disabled = !enabled;
        return new Restore(previous);
    }

    private sealed class Restore(bool previous) : IDisposable
    {
        private bool done;

        public void Dispose()
        {
            if (done) return;
            done = true;
            disabled = !previous;
        }
    }
}
