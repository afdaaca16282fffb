namespace NativeGrad.Tests.Support;

/// <summary>
/// Tests that read process-wide allocator counters, or that seed the default generator and expect
/// PyTorch's stream from it (any parallel test drawing from it would take their numbers), run
/// alone, after the parallel ones.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class SerialCollection
{
    public const string Name = "Serial (process-wide state)";
}
