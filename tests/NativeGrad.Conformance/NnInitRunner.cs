namespace NativeGrad.Conformance;

public static partial class NnRunner
{
    /// <summary>nn.json `init`.</summary>
    internal static CaseResult Run(InitCase c) => throw NotBuiltYet("init");
}
