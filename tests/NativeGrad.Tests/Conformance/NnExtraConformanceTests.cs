using NativeGrad.Backends;
using NativeGrad.Conformance;

namespace NativeGrad.Tests.Conformance;

/// <summary>
/// tests/data/nn-extra: PyTorch's results for every option of the nn functions that nn.json does
/// not cover (made by tests/data/nn-extra/nn-extra.py), on both backends.
/// </summary>
public class NnExtraConformanceTests
{
    private static readonly string Directory = Path.Combine(CaseFiles.DefaultDirectory, "..", "nn-extra");
    private static readonly Lazy<Dictionary<string, OpCase>> Cases = new(() => CaseFiles.LoadOps(Directory).ToDictionary(c => c.Id));

    public static TheoryData<string, BackendKind> CaseIds => ConformanceTests.Cases(Cases.Value.Keys);

    [Fact]
    public void EveryCaseWasRead() => Assert.True(Cases.Value.Count >= 80, $"only {Cases.Value.Count} cases in {Directory}");

    [Theory]
    [MemberData(nameof(CaseIds))]
    public void MatchesPyTorch(string id, BackendKind backend) => ConformanceTests.AssertPassed(backend, () => CaseRunner.Run(Cases.Value[id]));
}
