namespace NativeGrad.Tests.Support;

/// <summary>Process-wide state that tests running in parallel must take turns with.</summary>
internal static class SharedLocks
{
    /// <summary>Held while seeding and drawing from <see cref="Generator.Default"/>.</summary>
    public static readonly object DefaultGenerator = new();
}
