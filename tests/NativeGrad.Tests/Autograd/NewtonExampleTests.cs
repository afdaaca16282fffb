using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using NativeGrad.Backends;
using NativeGrad.Examples;
using NativeGrad.Tests.Support;

namespace NativeGrad.Tests.Autograd;

/// <summary>
/// The README's worked example (src/NativeGrad.Examples/Newton.cs): its printed iterates against
/// the same Newton iteration run in PyTorch, float64 (tests/data/functional/newton.json, made by
/// functional_cases.py), on both backends.
/// </summary>
public partial class NewtonExampleTests
{
    // The steps amplify rounding differences (a Newton step solves with a Hessian of entries ~1e3),
    // so iterates agree to about 1e-12 relative, not to the last bit.
    private const double Rtol = 1e-9, Atol = 1e-12;

    [Theory]
    [InlineData(BackendKind.Native)]
    [InlineData(BackendKind.Managed)]
    public void PrintsPyTorchsIterates(BackendKind backend)
    {
        var printed = new StringWriter();
        using (Backend.Use(backend))
            Newton.Run(printed);
        AssertMatchesPyTorch(printed.ToString());
    }

    /// <summary>Every "step k: ..." line of <paramref name="output"/> is PyTorch's iterate k, and there are as many.</summary>
    internal static void AssertMatchesPyTorch(string output)
    {
        using var file = JsonDocument.Parse(File.ReadAllText(RepoPaths.TestData("functional", "newton.json")));
        var expected = file.RootElement.GetProperty("iterates").EnumerateArray().ToArray();
        var lines = output.Split('\n').Where(l => l.StartsWith("step ")).ToArray();
        Assert.Equal(expected.Length, lines.Length);
        for (int k = 0; k < lines.Length; k++)
        {
            var match = IterateLine().Match(lines[k]);
            Assert.True(match.Success, $"not an iterate: {lines[k]}");
            Assert.Equal(k, int.Parse(match.Groups["step"].Value, CultureInfo.InvariantCulture));
            var x = match.Groups["x"].Value.Split(", ").Select(Parse).ToArray();
            var want = expected[k].GetProperty("x").EnumerateArray().Select(e => e.GetDouble()).ToArray();
            Assert.Equal(want.Length, x.Length);
            for (int i = 0; i < x.Length; i++)
                AssertClose(want[i], x[i], $"step {k} x[{i}]");
            AssertClose(expected[k].GetProperty("f").GetDouble(), Parse(match.Groups["f"].Value), $"step {k} f");
            AssertClose(expected[k].GetProperty("grad_norm").GetDouble(), Parse(match.Groups["norm"].Value), $"step {k} |grad|");
        }
    }

    private static double Parse(string text) => double.Parse(text, CultureInfo.InvariantCulture);

    private static void AssertClose(double expected, double actual, string what) =>
        Assert.True(Math.Abs(actual - expected) <= Atol + Rtol * Math.Abs(expected), $"{what}: expected {expected:R}, got {actual:R}");

    [GeneratedRegex(@"^step (?<step>\d+): x = \[(?<x>[^\]]*)\], f\(x\) = (?<f>\S+), \|grad f\(x\)\| = (?<norm>\S+)$")]
    private static partial Regex IterateLine();
}
