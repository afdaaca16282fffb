using System.Text.Json.Serialization;

namespace NativeGrad.Conformance;

/// <summary>functional.json `forward_ad`: the primal and tangent of f(dual(input, tangent)).</summary>
public sealed record ForwardAdCase(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("input")] TensorData Input,
    [property: JsonPropertyName("tangent")] TensorData Tangent,
    [property: JsonPropertyName("output")] TensorData Output,
    [property: JsonPropertyName("output_tangent")] TensorData OutputTangent,
    [property: JsonPropertyName("rtol")] double Rtol,
    [property: JsonPropertyName("atol")] double Atol);

public static partial class CaseFiles
{
    // Only the section this runner reads; the file's other sections have their own runner.
    private sealed record ForwardAdSection([property: JsonPropertyName("forward_ad")] ForwardAdCase[]? ForwardAd);

    /// <summary>functional.json's forward_ad cases, or none when the folder has no functional.json.</summary>
    public static IReadOnlyList<ForwardAdCase> LoadForwardAd(string directory) =>
        Deserialize<ForwardAdSection>(directory, "functional.json")?.ForwardAd ?? [];
}

/// <summary>
/// Runs forward_ad cases: inside a dual level, the function of the case's id applied to
/// MakeDual(input, tangent) must give PyTorch's output (value) and tangent (reported as the
/// case's gradient column).
/// </summary>
public static class ForwardAdRunner
{
    // The functions of functional.json's README, by id.
    private static readonly Dictionary<string, Func<Tensor, Tensor>> Functions = new()
    {
        ["exp"] = x => x.Exp(),
        ["log"] = x => x.Log(),
        ["sin"] = x => x.Sin(),
        ["tanh"] = x => x.Tanh(),
        ["sigmoid"] = x => x.Sigmoid(),
        ["relu"] = x => x.Relu(),
        ["sqrt"] = x => x.Sqrt(),
        ["softmax"] = x => x.Softmax(-1),
        ["sum_dim"] = x => x.Sum(0),
        ["mean"] = x => x.Mean(),
        ["pow3"] = x => x.Pow(3L),
        ["matmul_self_t"] = x => x.MatMul(x.T),
        ["transpose"] = x => x.T,
        ["cumsum_like_cat"] = x => Tensor.Cat([x, 2 * x], 0),
    };

    public static CaseResult Run(ForwardAdCase c) => NnRunner.Guard(c.Id, "forward_ad", () =>
    {
        var function = Functions.TryGetValue(c.Id, out var f) ? f : throw new InvalidDataException($"unknown forward_ad function '{c.Id}'");
        using var level = ForwardAD.DualLevel();
        var (primal, tangent) = ForwardAD.UnpackDual(function(ForwardAD.MakeDual(c.Input.ToTensor(), c.Tangent.ToTensor())));
        return new CaseResult(c.Id, "forward_ad",
            ValueFailure: CaseRunner.Compare(primal, c.Output, c.Rtol, c.Atol),
            GradFailure: tangent is null ? "the output has no tangent" : CaseRunner.Compare(tangent, c.OutputTangent, c.Rtol, c.Atol) is { } failure ? $"tangent: {failure}" : null);
    });
}
