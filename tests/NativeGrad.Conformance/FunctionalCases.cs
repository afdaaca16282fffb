using System.Text.Json.Serialization;

namespace NativeGrad.Conformance;

/// <summary>functional.json's <c>functions</c> section: torch.autograd.functional on nine functions.</summary>
/// <remarks>Its <c>forward_ad</c> section (forward-mode tangents) has a runner of its own.</remarks>
public sealed record FunctionalFile(
    [property: JsonPropertyName("functions")] FunctionCase[] Functions);

/// <summary>One function at one point: its output, Jacobian, vjp and jvp, and for scalar functions the Hessian, hvp and vhp.</summary>
public sealed record FunctionCase(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("formula")] string Formula,
    [property: JsonPropertyName("inputs")] TensorData[] Inputs,
    [property: JsonPropertyName("output")] TensorData Output,
    [property: JsonPropertyName("jacobian")] TensorData[] Jacobian,
    [property: JsonPropertyName("vjp")] VjpData Vjp,
    [property: JsonPropertyName("jvp")] JvpData Jvp,
    [property: JsonPropertyName("rtol")] double Rtol,
    [property: JsonPropertyName("atol")] double Atol)
{
    /// <summary>Block [i][j]: d2f / d input_i d input_j (scalar functions only).</summary>
    [JsonPropertyName("hessian")] public TensorData[][]? Hessian { get; init; }

    /// <summary>H·v, one tensor per input (scalar functions only).</summary>
    [JsonPropertyName("hvp")] public ProductData? Hvp { get; init; }

    /// <summary>vᵀ·H, one tensor per input (scalar functions only).</summary>
    [JsonPropertyName("vhp")] public ProductData? Vhp { get; init; }

    /// <summary>Constants the function closes over (mlp_loss's x and t).</summary>
    [JsonPropertyName("fixed")] public Dictionary<string, TensorData>? Fixed { get; init; }
}

/// <summary>v shaped as the output, and vᵀ·J per input.</summary>
public sealed record VjpData(
    [property: JsonPropertyName("v")] TensorData V,
    [property: JsonPropertyName("result")] TensorData[] Result);

/// <summary>v per input, and J·v shaped as the output.</summary>
public sealed record JvpData(
    [property: JsonPropertyName("v")] TensorData[] V,
    [property: JsonPropertyName("result")] TensorData Result);

/// <summary>v per input, and the product per input.</summary>
public sealed record ProductData(
    [property: JsonPropertyName("v")] TensorData[] V,
    [property: JsonPropertyName("result")] TensorData[] Result);

public static partial class CaseFiles
{
    /// <summary>functional.json, or null when the folder has none.</summary>
    public static FunctionalFile? LoadFunctional(string directory) => Deserialize<FunctionalFile>(directory, "functional.json");
}
