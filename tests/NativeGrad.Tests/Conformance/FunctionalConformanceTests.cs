using NativeGrad.Backends;
using NativeGrad.Conformance;

namespace NativeGrad.Tests.Conformance;

/// <summary>functional.json's <c>functions</c> (tests/data/conformance) through <see cref="Autograd.Functional"/>, on both backends.</summary>
public class FunctionalConformanceTests
{
    private static readonly Lazy<Dictionary<string, FunctionCase>> Functions = new(() =>
        (CaseFiles.LoadFunctional(CaseFiles.DefaultDirectory) ?? throw new FileNotFoundException("functional.json is missing from the test data"))
            .Functions.ToDictionary(c => c.Id));

    public static TheoryData<string, BackendKind> CaseIds => ConformanceTests.Cases(
        Functions.Value.Values.SelectMany(c => FunctionalRunner.Checks(c).Select(check => $"{c.Id}/{check}")));

    [Fact]
    public void EveryFunctionWasRead()
    {
        Assert.Equal(9, Functions.Value.Count);
        Assert.Equal(5, Functions.Value.Values.Count(c => c.Hessian is not null && c.Hvp is not null && c.Vhp is not null));
        Assert.Equal(42, Functions.Value.Values.Sum(c => FunctionalRunner.Checks(c).Count));
    }

    [Theory]
    [MemberData(nameof(CaseIds))]
    public void MatchesPyTorch(string id, BackendKind backend)
    {
        int slash = id.LastIndexOf('/');
        ConformanceTests.AssertPassed(backend, () => FunctionalRunner.Run(Functions.Value[id[..slash]], id[(slash + 1)..]));
    }
}
