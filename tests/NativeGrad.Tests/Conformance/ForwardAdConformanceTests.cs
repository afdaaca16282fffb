using NativeGrad.Backends;
using NativeGrad.Conformance;

namespace NativeGrad.Tests.Conformance;

/// <summary>functional.json's forward_ad section (tests/data/conformance): PyTorch's tangents of 14 ops, on both backends.</summary>
public class ForwardAdConformanceTests
{
    private static readonly Lazy<Dictionary<string, ForwardAdCase>> Cases =
        new(() => CaseFiles.LoadForwardAd(CaseFiles.DefaultDirectory).ToDictionary(c => c.Id));

    public static TheoryData<string, BackendKind> CaseIds => ConformanceTests.Cases(Cases.Value.Keys);

    [Fact]
    public void EveryCaseWasRead() => Assert.Equal(14, Cases.Value.Count);

    [Theory]
    [MemberData(nameof(CaseIds))]
    public void TangentMatchesPyTorch(string id, BackendKind backend) => ConformanceTests.AssertPassed(backend, () => ForwardAdRunner.Run(Cases.Value[id]));
}
