using NativeGrad;
using NativeGrad.Backends;
using NativeGrad.Distributed;

// dotnet NativeGrad.Distributed.Scenarios.dll <scenario> [native|managed], under mpirun -np 2
// (any-world-size: any -np).
var scenarios = new Dictionary<string, Action<ProcessGroup>>
{
    ["collectives"] = Scenarios.Collectives,
    ["any-world-size"] = Scenarios.AllReduceOnAnyWorldSize,
    ["timeout"] = Scenarios.RankThatNeverJoinsTimesOut,
    ["ddp"] = Scenarios.DataParallelMatchesOneProcess,
    ["measure"] = Scenarios.Measure,
};
if (args.Length < 1 || !scenarios.TryGetValue(args[0], out var scenario))
{
    Console.Error.WriteLine($"usage: <scenario> [native|managed]; scenarios: {string.Join(", ", scenarios.Keys)}");
    return 2;
}
using var backend = Backend.Use(args.Length > 1 && args[1] == "managed" ? BackendKind.Managed : BackendKind.Native);
var timeout = args[0] == "timeout" ? TimeSpan.FromSeconds(3) : TimeSpan.FromSeconds(60);
using var group = ProcessGroup.FromEnvironment(timeout);
try
{
    scenario(group);
    Console.WriteLine($"rank {group.Rank}/{group.WorldSize}: {args[0]} passed");
    return 0;
}
catch (Exception e)
{
    Console.WriteLine($"rank {group.Rank}/{group.WorldSize}: {args[0]} FAILED: {e.GetType().Name}: {e.Message}");
    return 1;
}
