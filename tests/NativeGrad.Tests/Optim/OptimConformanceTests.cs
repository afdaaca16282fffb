using NativeGrad.Backends;
using NativeGrad.Conformance;

namespace NativeGrad.Tests.Optim;

/// <summary>nn.json's optimizer and scheduler cases (five steps of each optimizer configuration, twelve of each scheduler), on both backends.</summary>
public class OptimConformanceTests
{
    private static readonly Lazy<NnFile> Nn = Conformance.ConformanceTests.Nn;

    public static TheoryData<string, BackendKind> OptimCases => Conformance.ConformanceTests.Cases(Nn.Value.Optim.Select(c => c.Id));
    public static TheoryData<string, BackendKind> SchedulerCases => Conformance.ConformanceTests.Cases(Nn.Value.Schedulers.Select(c => c.Id));


    [Theory]
    [MemberData(nameof(OptimCases))]
    public void OptimizerStepsMatchPyTorch(string id, BackendKind backend)
    {
        using var scope = Backend.Use(backend);
        var result = NnRunner.Run(Nn.Value.Optim.Single(c => c.Id == id), Nn.Value.OptimProblem);
        Assert.True(result.Passed, $"{id} on {backend}:\n{result.Describe()}");
    }

    [Theory]
    [MemberData(nameof(SchedulerCases))]
    public void SchedulerRatesMatchPyTorch(string id, BackendKind backend)
    {
        using var scope = Backend.Use(backend);
        var result = NnRunner.Run(Nn.Value.Schedulers.Single(c => c.Id == id));
        Assert.True(result.Passed, $"{id} on {backend}:\n{result.Describe()}");
    }

    [Fact]
    public void EveryOptimizerAndSchedulerCaseWasRead()
    {
        Assert.Equal(14, Nn.Value.Optim.Length);
        Assert.Equal(6, Nn.Value.Schedulers.Length);
        Assert.All(Nn.Value.Optim, c => Assert.Equal(5, c.Steps.Length));
    }
}
