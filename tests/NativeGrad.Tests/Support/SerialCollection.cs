namespace NativeGrad.Tests.Support;

/// <summary>Tests that read process-wide allocator counters run alone, after the parallel ones.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class SerialCollection
{
    public const string Name = "Serial (process-wide counters)";
}
