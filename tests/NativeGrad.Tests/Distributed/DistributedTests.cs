using System.Reflection;
using NativeGrad.Tests.Support;

namespace NativeGrad.Tests.Distributed;

/// <summary>
/// NativeGrad.Distributed under <c>mpirun -np 2</c> on this machine (tests/NativeGrad.Distributed.Scenarios):
/// each rank checks its side of a scenario and says "passed". Needs Open MPI (`apt-get install
/// libopenmpi-dev openmpi-bin`, which .ci/run does).
/// </summary>
[Collection(SerialCollection.Name)]
public class DistributedTests
{
    private static readonly string ScenariosAssembly = typeof(DistributedTests).Assembly
        .GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "DistributedScenariosAssembly").Value!;

    private static readonly string ExamplesAssembly = typeof(DistributedTests).Assembly
        .GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "ExamplesAssembly").Value!;

    private static ProcessRunner.Result RunUnderMpi(params string[] arguments) => RunProgramUnderMpi(ScenariosAssembly, arguments);

    private static ProcessRunner.Result RunProgramUnderMpi(string assembly, string[] arguments, int ranks = 2)
    {
        Assert.True(File.Exists("/usr/bin/mpirun") || File.Exists("/usr/local/bin/mpirun"),
            "mpirun is missing: apt-get install libopenmpi-dev openmpi-bin (then rebuild, so that libnativegrad_mpi is built)");
        return ProcessRunner.Run("mpirun", ["--allow-run-as-root", "--oversubscribe", "-np", $"{ranks}", "dotnet", assembly, .. arguments],
            timeoutSeconds: 240);
    }

    private static double TestAccuracy(ProcessRunner.Result result)
    {
        Assert.True(result.ExitCode == 0, $"exited with {result.ExitCode}:\n{result.Output}\n{result.Error}");
        var match = System.Text.RegularExpressions.Regex.Match(result.Output, @"^test accuracy (\d+\.\d+)%", System.Text.RegularExpressions.RegexOptions.Multiline);
        Assert.True(match.Success, $"no accuracy line in:\n{result.Output}");
        return double.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
    }

    [Fact]
    public void The_example_trains_data_parallel_to_the_accuracy_of_one_process()
    {
        string single = Directory.CreateTempSubdirectory("ng-single-").FullName, parallel = Directory.CreateTempSubdirectory("ng-ddp-").FullName;
        string[] common = ["--epochs", "10", "--quiet", "--threads", "1"];
        double alone = TestAccuracy(ProcessRunner.Run("dotnet", [ExamplesAssembly, .. common, "--out", single], timeoutSeconds: 240));
        var distributed = RunProgramUnderMpi(ExamplesAssembly, [.. common, "--distributed", "--out", parallel]);
        double together = TestAccuracy(distributed);
        Assert.Contains("data-parallel over 2 ranks", distributed.Output);
        Assert.True(Math.Abs(alone - together) <= 1.0, $"one process {alone}%, two ranks {together}%");
        Assert.True(File.Exists(Path.Combine(parallel, "model.safetensors")), "rank 0 writes the checkpoint");
    }

    // collectives: every collective of every dtype, on empty and non-contiguous tensors, agrees on
    // both ranks. ddp: data-parallel training on two halves of a batch matches one process on the
    // whole batch, and the ranks' parameters are bit-identical.
    [Theory]
    [InlineData("collectives", "native")]
    [InlineData("collectives", "managed")]
    [InlineData("ddp", "native")]
    [InlineData("ddp", "managed")]
    public void A_scenario_passes_on_both_ranks(string scenario, string backend)
    {
        var result = RunUnderMpi(scenario, backend);
        Assert.True(result.ExitCode == 0, $"mpirun exited with {result.ExitCode}:\n{result.Output}\n{result.Error}");
        Assert.Contains($"rank 0/2: {scenario} passed", result.Output);
        Assert.Contains($"rank 1/2: {scenario} passed", result.Output);
    }

    // The small all-reduce's recursive doubling pairs ranks by bit, and folds the ranks beyond a
    // power of two first: 3 ranks fold one, 4 fold none, 2 (above) is one exchange.
    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    public void All_reduces_agree_on_any_number_of_ranks(int ranks)
    {
        var result = RunProgramUnderMpi(ScenariosAssembly, ["any-world-size"], ranks);
        Assert.True(result.ExitCode == 0, $"mpirun exited with {result.ExitCode}:\n{result.Output}\n{result.Error}");
        for (int rank = 0; rank < ranks; rank++)
            Assert.Contains($"rank {rank}/{ranks}: any-world-size passed", result.Output);
    }

    [Fact]
    public void A_rank_that_never_joins_makes_the_other_time_out_instead_of_hanging()
    {
        var started = DateTime.UtcNow;
        var result = RunUnderMpi("timeout");
        Assert.Contains("rank 0: all-reduce did not complete within 3 s: another rank failed, exited or never joined the collective", result.Output);
        Assert.Equal(3, result.ExitCode);  // rank 0 aborted the job with its code
        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(60), "the job took too long to end");
    }
}
