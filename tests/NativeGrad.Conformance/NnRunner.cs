namespace NativeGrad.Conformance;

/// <summary>
/// Runs every nn.json section. The functional cases share ops.json's runner (<see cref="CaseRunner"/>
/// with the ops in <see cref="OpTable"/>); each other section has its runner in a file of its own.
/// A case whose feature is not built yet fails with an error that says so; nothing is skipped.
/// </summary>
public static partial class NnRunner
{
    /// <summary>Every case of every section, in file order.</summary>
    public static IEnumerable<CaseResult> RunAll(NnFile file) =>
        file.Functional.Select(CaseRunner.Run)
            .Concat(file.Init.Select(c => Guard(c.Id, "init", () => Run(c))))
            .Concat(file.Optim.Select(c => Guard(c.Id, "optim", () => Run(c, file.OptimProblem))))
            .Concat(file.Schedulers.Select(c => Guard(c.Id, "scheduler", () => Run(c))))
            .Concat(file.Randperm.Select(c => Guard(c.Id, "randperm", () => Run(c))))
            .Concat(file.Training.Select(c => Guard(c.Id, "training", () => Run(c))));

    /// <summary>An exception is the case's failure, reported like any other.</summary>
    public static CaseResult Guard(string id, string section, Func<CaseResult> run)
    {
        try
        {
            return run();
        }
        catch (Exception e)
        {
            return new CaseResult(id, section, Error: $"{e.GetType().Name}: {e.Message}");
        }
    }

    internal static NotSupportedException NotBuiltYet(string what) => new($"{what} is not implemented in NativeGrad yet");
}
