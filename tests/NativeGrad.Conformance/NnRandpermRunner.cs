namespace NativeGrad.Conformance;

public static partial class NnRunner
{
    /// <summary>nn.json `randperm`.</summary>
    internal static CaseResult Run(RandpermCase c) => throw NotBuiltYet("randperm");
}
