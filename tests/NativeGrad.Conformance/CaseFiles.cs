using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;

namespace NativeGrad.Conformance;

/// <summary>A tensor as the case files encode it: dtype name, shape and row-major data.</summary>
public sealed record TensorData(
    [property: JsonPropertyName("dtype")] string DType,
    [property: JsonPropertyName("shape")] long[] Shape,
    [property: JsonPropertyName("data")] JsonElement[] Data,
    [property: JsonPropertyName("requires_grad")] bool RequiresGrad = false)
{
    public DType ParsedDType => DType switch
    {
        "float32" => NativeGrad.DType.Float32,
        "float64" => NativeGrad.DType.Float64,
        "int64" => NativeGrad.DType.Int64,
        "bool" => NativeGrad.DType.Bool,
        _ => throw new InvalidDataException($"unknown dtype '{DType}'"),
    };

    public double[] Values => Data.Select(ToDouble).ToArray();

    /// <summary>Builds the tensor (without requires_grad; the caller decides).</summary>
    public Tensor ToTensor() => ParsedDType switch
    {
        NativeGrad.DType.Float32 => Tensor.FromSpan<float>(Values.Select(v => (float)v).ToArray(), Shape),
        NativeGrad.DType.Float64 => Tensor.FromSpan<double>(Values, Shape),
        NativeGrad.DType.Int64 => Tensor.FromSpan<long>(Data.Select(e => e.GetInt64()).ToArray(), Shape),
        _ => Tensor.FromSpan<bool>(Data.Select(e => e.ValueKind == JsonValueKind.True).ToArray(), Shape),
    };

    private static double ToDouble(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.True => 1,
        JsonValueKind.False => 0,
        JsonValueKind.String => element.GetString() switch
        {
            "NaN" => double.NaN,
            "Infinity" => double.PositiveInfinity,
            "-Infinity" => double.NegativeInfinity,
            var text => throw new InvalidDataException($"not a number: '{text}'"),
        },
        _ => element.GetDouble(),
    };
}

/// <summary>One ops.json case.</summary>
public sealed record OpCase(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("op")] string Op,
    [property: JsonPropertyName("attrs")] Dictionary<string, JsonElement> Attrs,
    [property: JsonPropertyName("inputs")] TensorData[] Inputs,
    [property: JsonPropertyName("output")] TensorData Output,
    [property: JsonPropertyName("output_repr")] string OutputRepr,
    [property: JsonPropertyName("grad_output")] TensorData? GradOutput,
    [property: JsonPropertyName("grads")] TensorData?[] Grads,
    [property: JsonPropertyName("rtol")] double Rtol,
    [property: JsonPropertyName("atol")] double Atol)
{
    /// <summary>nn.json batch_norm in training: the running statistics after the call (they start at zeros and ones).</summary>
    [JsonPropertyName("running_mean_after")] public TensorData? RunningMeanAfter { get; init; }

    /// <summary>See <see cref="RunningMeanAfter"/>.</summary>
    [JsonPropertyName("running_var_after")] public TensorData? RunningVarAfter { get; init; }

    /// <summary>
    /// PyTorch's message when the call must fail (tests/data/parity): then the case has no output,
    /// and the op must throw a .NET exception carrying exactly this message.
    /// </summary>
    [JsonPropertyName("error")] public string? ExpectedError { get; init; }
}

/// <summary>One repr.json case.</summary>
public sealed record ReprCase(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("tensor")] TensorData Tensor,
    [property: JsonPropertyName("repr")] string Repr);

/// <summary>One rng.json case.</summary>
public sealed record RngCase(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("fn")] string Function,
    [property: JsonPropertyName("seed")] ulong Seed,
    [property: JsonPropertyName("shape")] long[] Shape,
    [property: JsonPropertyName("data")] float[] Data);

/// <summary>Reads a folder of case files; a missing file is simply an empty set of cases.</summary>
public static partial class CaseFiles
{
    private sealed record CaseList<T>([property: JsonPropertyName("cases")] T[] Cases);

    public static IReadOnlyList<OpCase> LoadOps(string directory) => Load<OpCase>(directory, "ops.json");

    public static IReadOnlyList<ReprCase> LoadRepr(string directory) => Load<ReprCase>(directory, "repr.json");

    public static IReadOnlyList<RngCase> LoadRng(string directory) => Load<RngCase>(directory, "rng.json");

    /// <summary>The repository's copy of the PyTorch cases, found by walking up to NativeGrad.sln.</summary>
    public static string DefaultDirectory
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
                if (File.Exists(Path.Combine(dir.FullName, "NativeGrad.sln")))
                    return Path.Combine(dir.FullName, "tests", "data", "conformance");
            throw new DirectoryNotFoundException($"No NativeGrad.sln above {AppContext.BaseDirectory}; pass the cases folder explicitly.");
        }
    }

    /// <summary>nn.json, or null when the folder has none.</summary>
    public static NnFile? LoadNn(string directory) => Deserialize<NnFile>(directory, "nn.json");

    private static T[] Load<T>(string directory, string fileName) =>
        Deserialize<CaseList<T>>(directory, fileName)?.Cases ?? [];

    private static T? Deserialize<T>(string directory, string fileName) where T : class
    {
        var path = Path.Combine(directory, fileName);
        if (!File.Exists(path)) return null;
        // Python's json writes NaN and Infinity bare; quote them so System.Text.Json reads them.
        var text = NonFiniteLiteral().Replace(File.ReadAllText(path), m => $"\"{m.Value}\"");
        var options = new JsonSerializerOptions { NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals };
        return JsonSerializer.Deserialize<T>(text, options);
    }

    [GeneratedRegex(@"(?<![""\w])-?(NaN|Infinity)(?![""\w])")]
    private static partial Regex NonFiniteLiteral();
}
