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

    private static string RunExample(string? cpu = null, string? backend = null, params string[] arguments)
    {
        var result = ProcessRunner.Run("dotnet", [ExamplesAssembly, .. arguments.Length == 0 ? ["report"] : arguments],
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
    public void NewtonCommandPrintsPyTorchsIterates()
    {
        var output = RunExample(arguments: ["newton"]);
        Assert.StartsWith("Newton's method on the Rosenbrock function", output);
        Autograd.NewtonExampleTests.AssertMatchesPyTorch(output);
    }

    [Theory]
    [InlineData("native")]
    [InlineData("managed")]
    public void TrainsTheDigitsModelAndWritesItsFiles(string backend)
    {
        var folder = Directory.CreateTempSubdirectory("nativegrad-example-").FullName;
        var output = RunExample(arguments: ["--backend", backend, "--model", "mlp", "--quiet", "--out", folder]);
        var accuracy = double.Parse(output.Split('\n').Single(l => l.StartsWith("test accuracy ")).TrimEnd('%')["test accuracy ".Length..],
                                    System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(accuracy > 90, $"test accuracy {accuracy}%:\n{output}");
        Assert.Contains($"reloaded from checkpoint", output);
        Assert.Contains($"│ {accuracy:F2}%", output.Split('\n').Single(l => l.Contains("reloaded from checkpoint")));
        foreach (var file in new[] { "loss.png", "graph.dot", "model.safetensors" })
            Assert.True(new FileInfo(Path.Combine(folder, file)).Length > 100, $"{file} was not written");
        Assert.StartsWith("digraph {", File.ReadAllText(Path.Combine(folder, "graph.dot")));
        Directory.Delete(folder, recursive: true);
    }

    [Fact]
    public void BadOptionsSayWhatWasWrong()
    {
        var result = ProcessRunner.Run("dotnet", [ExamplesAssembly, "--epochs", "zero"]);
        Assert.Equal(2, result.ExitCode);
        Assert.StartsWith("--epochs must be a positive integer, got 'zero'", result.Error);
    }

    [Fact]
    public void NativeGradBackendForcesTheManagedCore() =>
        Assert.Contains("default backend    Managed", RunExample(backend: "managed"));
}
