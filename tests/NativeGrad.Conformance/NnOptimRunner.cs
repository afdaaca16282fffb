namespace NativeGrad.Conformance;

public static partial class NnRunner
{
    /// <summary>nn.json `optim`.</summary>
    internal static CaseResult Run(OptimCase c, OptimProblem problem) => throw NotBuiltYet("optim");
}
