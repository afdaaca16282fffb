using System.Reflection;
using NativeGrad.Backends;
using NativeGrad.Tests.Support;

namespace NativeGrad.Tests;

/// <summary>
/// Runs the example app as a child process: NATIVEGRAD_CPU and NATIVEGRAD_BACKEND are read once
/// per process, so this is how forcing them is tested end to end.
/// </summary>
public class ExampleAppTests
{
    private static readonly string ExamplesAssembly = typeof(ExampleAppTests).Assembly
        .GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "ExamplesAssembly").Value!;

    private static string RunExample(string? cpu = null, string? backend = null)
    {
        var result = ProcessRunner.Run("dotnet", [ExamplesAssembly],
            new Dictionary<string, string?> { ["NATIVEGRAD_CPU"] = cpu, ["NATIVEGRAD_BACKEND"] = backend });
        Assert.True(result.ExitCode == 0, $"example exited with {result.ExitCode}:\n{result.Output}\n{result.Error}");
        return result.Output;
    }

    [Fact]
    public void ReportsVersionCpuBackendAndComputesOnBothBackends()
    {
        var output = RunExample();
        Assert.Contains("native library     0.", output);
        Assert.Contains("avx2", output);
        Assert.Contains("default backend    Native", output);
        Assert.Contains("Native   x + y = tensor([10., 21., 32., 43.])   x * y = tensor([  0.,  20.,  60., 120.])", output);
        Assert.Contains("Managed  x + y = tensor([10., 21., 32., 43.])   x * y = tensor([  0.,  20.,  60., 120.])", output);
    }

    [Theory]
    [InlineData("scalar", CpuTier.Scalar)]
    [InlineData("avx2", CpuTier.Avx2)]
    [InlineData("avx512", CpuTier.Avx512)]
    public void NativeGradCpuForcesATier(string variable, CpuTier tier)
    {
        var best = NativeRuntime.Cpu.BestTier;
        var active = tier <= best ? tier : best; // a tier the CPU lacks falls back to the best it has
        var output = RunExample(cpu: variable);
        Assert.Contains($"kernel tier        {active} (best {best}, NATIVEGRAD_CPU asked for {tier})", output);
    }

    [Fact]
    public void NotebookCommandPrintsEveryCell()
    {
        var result = ProcessRunner.Run("dotnet", [ExamplesAssembly, "notebook"]);
        Assert.True(result.ExitCode == 0, result.Error);
        Assert.Contains("In [1]:\nusing NativeGrad;\n", result.Output);
        Assert.Contains("In [32]:", result.Output);
        Assert.EndsWith("tensor([ 6., 12.])\n\n", result.Output);
    }

    [Fact]
    public void NativeGradBackendForcesTheManagedCore() =>
        Assert.Contains("default backend    Managed", RunExample(backend: "managed"));
}
