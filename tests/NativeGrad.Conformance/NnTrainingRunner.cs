namespace NativeGrad.Conformance;

public static partial class NnRunner
{
    /// <summary>nn.json `training`.</summary>
    internal static CaseResult Run(TrainingCase c) => throw NotBuiltYet("training");
}
