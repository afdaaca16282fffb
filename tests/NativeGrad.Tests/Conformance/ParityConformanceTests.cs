using NativeGrad.Backends;
using NativeGrad.Conformance;

namespace NativeGrad.Tests.Conformance;

/// <summary>
/// tests/data/parity: PyTorch's values, gradients, printed forms and error messages for the ops a
/// porting user expects, one folder per family (each made by its own generator there), on both
/// backends.
/// </summary>
public class ParityConformanceTests
{
    private static readonly string Root = Path.Combine(CaseFiles.DefaultDirectory, "..", "parity");

    private static readonly Lazy<Dictionary<string, OpCase>> Cases = new(() =>
        System.IO.Directory.GetDirectories(Root).Order()
            .SelectMany(folder => CaseFiles.LoadOps(folder).Select(c => (Key: $"{Path.GetFileName(folder)}:{c.Id}", Case: c)))
            .ToDictionary(p => p.Key, p => p.Case));

    public static TheoryData<string, BackendKind> CaseIds => ConformanceTests.Cases(Cases.Value.Keys);

    [Fact]
    public void EveryFamilyHasCases()
    {
        foreach (var folder in System.IO.Directory.GetDirectories(Root))
            Assert.True(CaseFiles.LoadOps(folder).Count > 0, $"no cases in {folder}/ops.json");
    }

    [Theory]
    [MemberData(nameof(CaseIds))]
    public void MatchesPyTorch(string id, BackendKind backend) => ConformanceTests.AssertPassed(backend, () => CaseRunner.Run(Cases.Value[id]));
}
