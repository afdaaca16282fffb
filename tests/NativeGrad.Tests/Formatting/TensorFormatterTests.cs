using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;
using NativeGrad.Tests.Support;

namespace NativeGrad.Tests.Formatting;

/// <summary>
/// Tensors must print exactly as PyTorch 1.13 prints them. The expected strings come from PyTorch:
/// tests/data/conformance (repr.json, and each ops.json case's output_repr) and tests/data/repr-extra.json,
/// made by tests/data/repr-extra.py.
/// </summary>
public sealed class TensorFormatterTests
{
    private const string ConformanceRepr = "conformance/repr.json";
    private const string ConformanceOps = "conformance/ops.json";
    private const string ExtraRepr = "repr-extra.json";

    private static readonly Dictionary<string, Lazy<IReadOnlyDictionary<string, ReprCase>>> Files = new()
    {
        [ConformanceRepr] = new(() => Load(ConformanceRepr)),
        [ConformanceOps] = new(() => Load(ConformanceOps)),
        [ExtraRepr] = new(() => Load(ExtraRepr)),
    };

    public static TheoryData<string> ConformanceReprIds => Ids(ConformanceRepr);

    public static TheoryData<string> ConformanceOpsIds => Ids(ConformanceOps);

    public static TheoryData<string> ExtraReprIds => Ids(ExtraRepr);

    [Theory]
    [MemberData(nameof(ConformanceReprIds))]
    public void PrintsConformanceReprCase(string id) => AssertPrintsLikePyTorch(ConformanceRepr, id);

    [Theory]
    [MemberData(nameof(ConformanceOpsIds))]
    public void PrintsConformanceOpsOutput(string id) => AssertPrintsLikePyTorch(ConformanceOps, id);

    [Theory]
    [MemberData(nameof(ExtraReprIds))]
    public void PrintsExtraReprCase(string id) => AssertPrintsLikePyTorch(ExtraRepr, id);

    [Fact]
    public void GoldenFilesHoldTheExpectedNumberOfCases()
    {
        // Guards against a theory passing because its file was read as empty.
        Assert.True(Files[ConformanceRepr].Value.Count >= 20);
        Assert.True(Files[ConformanceOps].Value.Count >= 150);
        Assert.True(Files[ExtraRepr].Value.Count >= 150);
    }

    [Theory]
    [InlineData(0.03125, 4, "0.0312")] // an exact tie rounds to even, as in Python
    [InlineData(0.09375, 4, "0.0938")]
    [InlineData(-0.0, 4, "-0.0000")]
    [InlineData(-0.00001, 4, "-0.0000")]
    [InlineData(2.5, 0, "2")]
    [InlineData(1e22, 1, "10000000000000000000000.0")]
    [InlineData(double.NaN, 4, "nan")]
    [InlineData(double.NegativeInfinity, 0, "-inf")]
    public void FormatsFixedLikePython(double value, int precision, string expected) =>
        Assert.Equal(expected, PythonFloatFormat.FormatFixed(value, precision));

    [Theory]
    [InlineData(1e-5, 4, "1.0000e-05")] // Python writes at least two exponent digits
    [InlineData(1.03125, 4, "1.0312e+00")]
    [InlineData(9.99996, 4, "1.0000e+01")]
    [InlineData(1e-300, 4, "1.0000e-300")]
    [InlineData(5e-324, 4, "4.9407e-324")]
    [InlineData(-0.0, 4, "-0.0000e+00")]
    [InlineData(12345.0, 0, "1e+04")]
    [InlineData(double.PositiveInfinity, 4, "inf")]
    public void FormatsScientificLikePython(double value, int precision, string expected) =>
        Assert.Equal(expected, PythonFloatFormat.FormatScientific(value, precision));

    [Fact]
    public void RejectsDataOfTheWrongTypeOrLength()
    {
        Assert.Throws<ArgumentException>(() => TensorFormatter.Repr(DType.Float32, [2], new double[] { 1, 2 }));
        Assert.Throws<ArgumentException>(() => TensorFormatter.Repr(DType.Int64, [3], new long[] { 1, 2 }));
        Assert.Throws<ArgumentException>(() => TensorFormatter.Repr(DType.Bool, [-1], Array.Empty<bool>()));
    }

    [Fact]
    public void CurrentOptionsStartAsPyTorchDefaults()
    {
        Assert.Equal(PrintOptions.Default, PrintOptions.Current);
        Assert.Equal(new PrintOptions { Precision = 4, Threshold = 1000, EdgeItems = 3, LineWidth = 80 }, PrintOptions.Default);
        Assert.Null(PrintOptions.Default.SciMode);
    }

    private static void AssertPrintsLikePyTorch(string file, string id)
    {
        var c = Files[file].Value[id];
        string actual = TensorFormatter.Repr(c.DType, c.Shape, c.Data, c.RequiresGrad, c.GradFnName, c.Options);
        Assert.Equal(c.ExpectedRepr, actual);
    }

    private static TheoryData<string> Ids(string file)
    {
        var ids = new TheoryData<string>();
        foreach (string id in Files[file].Value.Keys)
            ids.Add(id);
        return ids;
    }

    /// <summary>One tensor and the exact text PyTorch printed for it.</summary>
    private sealed record ReprCase(
        DType DType, long[] Shape, Array Data, bool RequiresGrad, string? GradFnName, PrintOptions Options, string ExpectedRepr);

    private static readonly JsonSerializerOptions NamedLiterals = new()
    {
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    /// <summary>
    /// Reads a golden file: repr.json-style cases ({id, tensor, repr}, with optional grad_fn and
    /// print_options) or ops.json cases, whose output prints as output_repr.
    /// </summary>
    private static IReadOnlyDictionary<string, ReprCase> Load(string file)
    {
        string text = File.ReadAllText(RepoPaths.TestData(file.Split('/')));
        // Python's json writes NaN and Infinity bare, which is not JSON; quote them so that
        // AllowNamedFloatingPointLiterals can read them. Outside strings they only follow [ , or :.
        text = Regex.Replace(text, @"(?<=[\[,:]\s*)(-?Infinity|NaN)(?=\s*[,\]}])", "\"$1\"");
        using var document = JsonDocument.Parse(text);

        var cases = new Dictionary<string, ReprCase>();
        foreach (var element in document.RootElement.GetProperty("cases").EnumerateArray())
        {
            string id = element.GetProperty("id").GetString()!;
            cases.Add(id, element.TryGetProperty("output_repr", out var outputRepr)
                ? ReadOpsCase(element.GetProperty("output"), outputRepr.GetString()!)
                : ReadReprCase(element));
        }
        return cases;
    }

    private static ReprCase ReadOpsCase(JsonElement output, string expected)
    {
        // Every op output in the file was made by an op, so its repr names the grad_fn.
        var gradFn = Regex.Match(expected, "grad_fn=<([^>]+)>");
        return ReadTensor(output, gradFn.Success ? gradFn.Groups[1].Value : null, PrintOptions.Default, expected);
    }

    private static ReprCase ReadReprCase(JsonElement element)
    {
        string? gradFn = element.TryGetProperty("grad_fn", out var name) ? name.GetString() : null;
        var options = element.TryGetProperty("print_options", out var given) ? ReadOptions(given) : PrintOptions.Default;
        return ReadTensor(element.GetProperty("tensor"), gradFn, options, element.GetProperty("repr").GetString()!);
    }

    private static ReprCase ReadTensor(JsonElement tensor, string? gradFn, PrintOptions options, string expected)
    {
        var dtype = tensor.GetProperty("dtype").GetString() switch
        {
            "float32" => DType.Float32,
            "float64" => DType.Float64,
            "int64" => DType.Int64,
            "bool" => DType.Bool,
            var other => throw new InvalidDataException($"Unknown dtype {other}."),
        };
        var data = tensor.GetProperty("data");
        Array values = dtype switch
        {
            // float32 values are parsed straight to float, so a short decimal gives the nearest float32.
            DType.Float32 => data.Deserialize<float[]>(NamedLiterals)!,
            DType.Float64 => data.Deserialize<double[]>(NamedLiterals)!,
            DType.Int64 => data.Deserialize<long[]>()!,
            _ => data.Deserialize<bool[]>()!,
        };
        bool requiresGrad = tensor.TryGetProperty("requires_grad", out var flag) && flag.GetBoolean();
        return new ReprCase(dtype, tensor.GetProperty("shape").Deserialize<long[]>()!, values, requiresGrad, gradFn, options, expected);
    }

    /// <summary>The arguments of torch.set_printoptions: a profile first, then the single options over it.</summary>
    private static PrintOptions ReadOptions(JsonElement given)
    {
        var options = given.TryGetProperty("profile", out var profile)
            ? profile.GetString() switch
            {
                "default" => PrintOptions.Default,
                "short" => PrintOptions.Short,
                "full" => PrintOptions.Full,
                var other => throw new InvalidDataException($"Unknown profile {other}."),
            }
            : PrintOptions.Default;
        foreach (var option in given.EnumerateObject())
        {
            options = option.Name switch
            {
                "profile" => options,
                "precision" => options with { Precision = option.Value.GetInt32() },
                "threshold" => options with { Threshold = option.Value.GetDouble() },
                "edgeitems" => options with { EdgeItems = option.Value.GetInt32() },
                "linewidth" => options with { LineWidth = option.Value.GetInt32() },
                "sci_mode" => options with { SciMode = option.Value.GetBoolean() },
                _ => throw new InvalidDataException($"Unknown print option {option.Name}."),
            };
        }
        return options;
    }
}
