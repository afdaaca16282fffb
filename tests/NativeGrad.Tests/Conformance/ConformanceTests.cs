using NativeGrad.Backends;
using NativeGrad.Conformance;
using NativeGrad.Tests.Support;

namespace NativeGrad.Tests.Conformance;

/// <summary>Every case PyTorch generated (tests/data/conformance), on both backends.</summary>
[Collection(SerialCollection.Name)]
public class ConformanceTests
{
    private static readonly Lazy<Dictionary<string, OpCase>> Ops = new(() => CaseFiles.LoadOps(CaseFiles.DefaultDirectory).ToDictionary(c => c.Id));
    private static readonly Lazy<Dictionary<string, ReprCase>> Reprs = new(() => CaseFiles.LoadRepr(CaseFiles.DefaultDirectory).ToDictionary(c => c.Id));
    private static readonly Lazy<Dictionary<string, RngCase>> Rngs = new(() => CaseFiles.LoadRng(CaseFiles.DefaultDirectory).ToDictionary(c => c.Id));
    internal static readonly Lazy<NnFile> Nn = new(() => CaseFiles.LoadNn(CaseFiles.DefaultDirectory) ?? throw new FileNotFoundException("nn.json is missing from the test data"));

    public static TheoryData<string, BackendKind> OpCases => Cases(Ops.Value.Keys);
    public static TheoryData<string, BackendKind> ReprCases => Cases(Reprs.Value.Keys);
    public static TheoryData<string, BackendKind> RngCases => Cases(Rngs.Value.Keys);
    public static TheoryData<string, BackendKind> NnFunctionalCases => Cases(Nn.Value.Functional.Select(c => c.Id));
    public static TheoryData<string, BackendKind> NnInitCases => Cases(Nn.Value.Init.Select(c => c.Id));
    public static TheoryData<string, BackendKind> NnTrainingCases => Cases(Nn.Value.Training.Select(c => c.Id));

    /// <summary>Every case id on every backend.</summary>
    internal static TheoryData<string, BackendKind> Cases(IEnumerable<string> ids)
    {
        var data = new TheoryData<string, BackendKind>();
        foreach (var id in ids)
            foreach (var kind in Enum.GetValues<BackendKind>())
                data.Add(id, kind);
        return data;
    }

    [Theory]
    [MemberData(nameof(OpCases))]
    public void OpMatchesPyTorch(string id, BackendKind backend) => AssertPassed(backend, () => CaseRunner.Run(Ops.Value[id]));

    [Theory]
    [MemberData(nameof(ReprCases))]
    public void ReprMatchesPyTorch(string id, BackendKind backend) => AssertPassed(backend, () => CaseRunner.Run(Reprs.Value[id]));

    [Theory]
    [MemberData(nameof(RngCases))]
    public void RandomStreamMatchesPyTorch(string id, BackendKind backend) => AssertPassed(backend, () => CaseRunner.Run(Rngs.Value[id]));

    [Theory]
    [MemberData(nameof(NnFunctionalCases))]
    public void NnFunctionMatchesPyTorch(string id, BackendKind backend) =>
        AssertPassed(backend, () => CaseRunner.Run(Nn.Value.Functional.Single(c => c.Id == id)));

    [Theory]
    [MemberData(nameof(NnInitCases))]
    public void ModuleInitialisationMatchesPyTorch(string id, BackendKind backend) =>
        AssertPassed(backend, () => NnRunner.Guard(id, "init", () => NnRunner.Run(Nn.Value.Init.Single(c => c.Id == id))));

    [Theory]
    [MemberData(nameof(NnTrainingCases))]
    public void TrainingLossesMatchPyTorch(string id, BackendKind backend) =>
        AssertPassed(backend, () => NnRunner.Guard(id, "training", () => NnRunner.Run(Nn.Value.Training.Single(c => c.Id == id))));

    [Fact]
    public void EveryConformanceFileWasRead()
    {
        Assert.True(Ops.Value.Count >= 180, $"only {Ops.Value.Count} op cases");
        Assert.True(Reprs.Value.Count >= 20, $"only {Reprs.Value.Count} repr cases");
        Assert.True(Rngs.Value.Count >= 16, $"only {Rngs.Value.Count} rng cases");
        Assert.All(Ops.Value.Values, c => Assert.True(OpTable.Knows(c.Op), $"op '{c.Op}' is not implemented"));
        Assert.True(Nn.Value.Functional.Length >= 60, $"only {Nn.Value.Functional.Length} nn function cases");
        Assert.All(Nn.Value.Functional, c => Assert.True(OpTable.Knows(c.Op), $"nn op '{c.Op}' is not implemented"));
        Assert.Equal(15, Nn.Value.Init.Length);
        Assert.Equal(2, Nn.Value.Training.Length);
    }

    internal static void AssertPassed(BackendKind backend, Func<CaseResult> run)
    {
        CaseResult result;
        // Seeding and drawing from the default generator must not interleave with another test's draws.
        lock (SharedLocks.DefaultGenerator)
            using (Backend.Use(backend))
                result = run();
        Assert.True(result.Passed, $"{result.Id} on {backend}:\n{result.Describe()}");
    }
}
