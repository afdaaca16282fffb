using NativeGrad.Tests.Support;

namespace NativeGrad.Tests.Native;

/// <summary>
/// Runs the native GoogleTest suite (built by CMake during `dotnet build`) as part of `dotnet test`,
/// once with the best tier and once with each tier forced through NATIVEGRAD_CPU.
/// </summary>
public class GoogleTestSuiteTests
{
    private static string TestBinary => Path.Combine(RepoPaths.NativeBuild, "bin", "nativegrad_tests");

    [Theory]
    [InlineData(null)]
    [InlineData("scalar")]
    [InlineData("avx2")]
    [InlineData("avx512")]
    public void NativeSuitePasses(string? forcedTier)
    {
        Assert.True(File.Exists(TestBinary), $"{TestBinary} is missing: the CMake build should have produced it.");

        var result = ProcessRunner.Run(TestBinary, ["--gtest_brief=1"],
            new Dictionary<string, string?> { ["NATIVEGRAD_CPU"] = forcedTier });

        var failures = result.Output.Split('\n').Where(line => line.StartsWith("[  FAILED  ]")).ToArray();
        Assert.True(result.ExitCode == 0,
            $"nativegrad_tests (NATIVEGRAD_CPU={forcedTier ?? "unset"}) exited with {result.ExitCode}:\n" +
            string.Join("\n", failures) + "\n" + Tail(result.Output) + result.Error);
    }

    private static string Tail(string text, int lines = 40) =>
        string.Join("\n", text.Split('\n').TakeLast(lines));
}
