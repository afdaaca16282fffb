using System.Text.Json;
using NativeGrad.Backends;
using NativeGrad.Tests.Conformance;
using NativeGrad.Tests.Support;

namespace NativeGrad.Tests.Reliability;

/// <summary>
/// Each case of <see cref="EdgeValueCases"/> on each backend gives PyTorch's result: the same
/// dtype, shape and printed form, NaN, infinity and the sign of zero where PyTorch has them, int64
/// values exactly, finite floats to a few units in the last place.
/// </summary>
public class EdgeValueTests
{
    private sealed record Expected(string DType, long[] Shape, JsonElement[] Values, string Printed);

    private static readonly Lazy<Dictionary<string, Expected>> Torch = new(() =>
    {
        var json = JsonDocument.Parse(File.ReadAllText(RepoPaths.TestData("reliability", "edge_values.json")));
        return json.RootElement.GetProperty("cases").EnumerateObject().ToDictionary(c => c.Name, c => new Expected(
            c.Value.GetProperty("dtype").GetString()!,
            [.. c.Value.GetProperty("shape").EnumerateArray().Select(d => d.GetInt64())],
            [.. c.Value.GetProperty("values").EnumerateArray()],
            c.Value.GetProperty("printed").GetString()!));
    });

    public static TheoryData<string, BackendKind> CaseIds => ConformanceTests.Cases(EdgeValueCases.All.Keys);

    [Fact]
    public void EveryCaseHasItsPyTorchTwinAndNoneIsMissing() =>
        Assert.Equal(Torch.Value.Keys.Order(), EdgeValueCases.All.Keys.Order());

    [Theory]
    [MemberData(nameof(CaseIds))]
    public void GivesPyTorchsResult(string id, BackendKind backend)
    {
        var expected = Torch.Value[id];
        using (Backend.Use(backend))
        {
            var result = EdgeValueCases.All[id]();
            Assert.Equal("torch." + expected.DType, result.DType.TorchName());
            Assert.Equal(expected.Shape, result.Shape);
            if (result.DType == DType.Int64)
                Assert.Equal(expected.Values.Select(v => v.GetInt64()), result.ToArray<long>());
            else if (result.DType == DType.Bool)
                Assert.Equal(expected.Values.Select(v => v.GetBoolean()), result.ToArray<bool>());
            else
            {
                var actual = result.To(DType.Float64).ToArray<double>();
                Assert.Equal(expected.Values.Length, actual.Length);
                double tolerance = result.DType == DType.Float32 ? 1e-6 : 1e-14;
                for (int i = 0; i < actual.Length; i++)
                    AssertSameValue(Number(expected.Values[i]), actual[i], tolerance, $"{id}[{i}]");
            }
            Assert.Equal(expected.Printed, result.ToString());
        }
    }

    private static double Number(JsonElement value) => value.ValueKind == JsonValueKind.String
        ? value.GetString() switch
        {
            "nan" => double.NaN,
            "inf" => double.PositiveInfinity,
            "-inf" => double.NegativeInfinity,
            var other => throw new InvalidDataException($"unknown element '{other}' in edge_values.json"),
        }
        : value.GetDouble();

    private static void AssertSameValue(double expected, double actual, double tolerance, string where)
    {
        // A NaN's sign bit is an accident of the kernel (x86's default NaN is negative), not a value.
        if (double.IsNaN(expected))
            Assert.True(double.IsNaN(actual), $"{where}: expected NaN, got {actual:R}");
        else if (double.IsInfinity(expected) || expected == 0)
            Assert.True(expected.Equals(actual) && double.IsNegative(expected) == double.IsNegative(actual),
                $"{where}: expected {expected}{(expected == 0 && double.IsNegative(expected) ? " (negative zero)" : "")}, got {actual}");
        else
            Assert.True(Math.Abs(actual - expected) <= tolerance * Math.Abs(expected), $"{where}: expected {expected:R}, got {actual:R}");
    }
}
