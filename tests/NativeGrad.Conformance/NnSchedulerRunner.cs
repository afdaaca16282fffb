namespace NativeGrad.Conformance;

public static partial class NnRunner
{
    /// <summary>nn.json `scheduler`.</summary>
    internal static CaseResult Run(SchedulerCase c) => throw NotBuiltYet("scheduler");
}
