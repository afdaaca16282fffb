using System.Text.Json;
using System.Text.Json.Serialization;
using NativeGrad.Conformance;
using NativeGrad.Tests.Support;
using AutogradFunctional = NativeGrad.Autograd.Functional;

namespace NativeGrad.Tests.Autograd;

/// <summary>One case of tests/data/functional/cases.json (made by functional_cases.py beside it).</summary>
public sealed record FunctionalCase(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("call")] string Call,
    [property: JsonPropertyName("function")] string Function,
    [property: JsonPropertyName("inputs")] TensorData[] Inputs,
    [property: JsonPropertyName("tuple_inputs")] bool TupleInputs,
    [property: JsonPropertyName("tuple_outputs")] bool TupleOutputs,
    [property: JsonPropertyName("create_graph")] bool CreateGraph,
    [property: JsonPropertyName("strict")] bool Strict,
    [property: JsonPropertyName("inputs_require_grad")] bool InputsRequireGrad,
    [property: JsonPropertyName("v")] TensorData[]? V,
    [property: JsonPropertyName("error")] string? Error)
{
    /// <summary>jacobian and hessian: the blocks, [output][input] (hessian: [input i][input j]).</summary>
    [JsonPropertyName("blocks")] public TensorData[][]? Blocks { get; init; }

    /// <summary>vjp, hvp and vhp: the function's outputs.</summary>
    [JsonPropertyName("output")] public TensorData[]? Output { get; init; }

    /// <summary>vjp, hvp and vhp: whether each output requires grad (only with createGraph).</summary>
    [JsonPropertyName("output_requires_grad")] public bool[]? OutputRequiresGrad { get; init; }

    /// <summary>vjp, hvp and vhp: the product, one tensor per input.</summary>
    [JsonPropertyName("result")] public TensorData[]? Result { get; init; }

    /// <summary>Whether each result (blocks row by row) requires grad.</summary>
    [JsonPropertyName("result_requires_grad")] public bool[]? ResultRequiresGrad { get; init; }

    /// <summary>How each result (blocks row by row) prints, grad_fn included.</summary>
    [JsonPropertyName("result_repr")] public string[]? ResultRepr { get; init; }

    /// <summary>With createGraph: d/d inputs of the sum over results of (result ** 2).sum().</summary>
    [JsonPropertyName("second")] public TensorData[]? Second { get; init; }

    private sealed record CaseList([property: JsonPropertyName("cases")] FunctionalCase[] Cases);

    /// <summary>Every case, by id.</summary>
    public static readonly Lazy<Dictionary<string, FunctionalCase>> All = new(() =>
        JsonSerializer.Deserialize<CaseList>(File.ReadAllText(RepoPaths.TestData("functional", "cases.json")))!.Cases.ToDictionary(c => c.Id));

    /// <summary>
    /// The functions of functional_cases.py, as inputs to outputs; <paramref name="original"/> are
    /// the tensors passed in, which <c>capture</c> closes over.
    /// </summary>
    public static Func<Tensor[], Tensor[]> Definition(string id, Tensor[] original) => id switch
    {
        "exp_pair" => xs => [xs[0].Exp() * xs[1], (xs[0] * xs[1]).Sum()],
        "sin_square" => xs => [xs[0].Sin(), xs[0].Pow(2).Sum()],
        "outer" => xs => [xs[0].Unsqueeze(1) * xs[0]],
        "bilinear" => xs => [xs[0].MatMul(xs[1])],
        "unused_second" => xs => [xs[0].Exp()],
        "constant_output" => xs => [xs[0] * 2, Tensor.Ones([2], DType.Float64)],
        "linear" => xs => [2 * xs[0]],
        "linear_sum" => xs => [xs[0].Sum()],
        "quadratic" => xs => [(xs[0] * xs[0]).Sum()],
        "separable" => xs => [xs[0].Pow(3).Sum() + xs[1].Pow(3).Sum()],
        "cubic_unused" => xs => [xs[0].Pow(3).Sum()],
        "mixed" => xs => [(xs[0].Pow(2) * xs[1]).Sum() + (xs[0].Sin() * xs[1].Exp()).Sum()],
        "cube_mix" => xs => [xs[0].Pow(3).Sum() + xs[0][0] * xs[0][1].Pow(2)],
        "capture" => xs => [xs[0] * original[0]],
        "pair_sum" => xs => [xs[0].Sum().Reshape(1, 1)],
        _ => throw new InvalidDataException($"unknown function '{id}'"),
    };

    /// <summary>
    /// Calls <see cref="AutogradFunctional"/> through the overload the case's nesting picks (a tensor or an
    /// array in, a tensor or an array out); the results in the array overloads' shape: blocks
    /// [output][input], or the outputs and one product per input.
    /// </summary>
    public (Tensor[]? Outputs, Tensor[][] Results) Invoke(Tensor[] inputs)
    {
        var f = Definition(Function, inputs);
        Func<Tensor, Tensor> one = x => f([x])[0];
        Func<Tensor, Tensor[]> oneToMany = x => f([x]);
        Func<Tensor[], Tensor> manyToOne = xs => f(xs)[0];
        var v = V?.Select(t => t.ToTensor()).ToArray();
        var x = inputs[0];
        bool g = CreateGraph, s = Strict;
        switch (Call, TupleInputs, TupleOutputs)
        {
            case ("jacobian", false, false): return (null, [[AutogradFunctional.Jacobian(one, x, g, s)]]);
            case ("jacobian", true, false): return (null, [AutogradFunctional.Jacobian(manyToOne, inputs, g, s)]);
            case ("jacobian", false, true): return (null, [.. AutogradFunctional.Jacobian(oneToMany, x, g, s).Select(b => new[] { b })]);
            case ("jacobian", true, true): return (null, AutogradFunctional.Jacobian(f, inputs, g, s));
            case ("hessian", false, _): return (null, [[AutogradFunctional.Hessian(one, x, g, s)]]);
            case ("hessian", true, _): return (null, AutogradFunctional.Hessian(manyToOne, inputs, g, s));
            case ("vjp", false, false): return Pair(AutogradFunctional.Vjp(one, x, v?[0], g, s));
            case ("vjp", true, false): return Pair(AutogradFunctional.Vjp(manyToOne, inputs, v?[0], g, s));
            case ("vjp", false, true): return Pair(AutogradFunctional.Vjp(oneToMany, x, v, g, s));
            case ("vjp", true, true): return Pair(AutogradFunctional.Vjp(f, inputs, v, g, s));
            case ("hvp", false, _): return Pair(AutogradFunctional.Hvp(one, x, v?[0], g, s));
            case ("hvp", true, _): return Pair(AutogradFunctional.Hvp(manyToOne, inputs, v, g, s));
            case ("vhp", false, _): return Pair(AutogradFunctional.Vhp(one, x, v?[0], g, s));
            case ("vhp", true, _): return Pair(AutogradFunctional.Vhp(manyToOne, inputs, v, g, s));
            default: throw new InvalidDataException($"unknown call '{Call}'");
        }
    }

    private static (Tensor[]?, Tensor[][]) Pair((Tensor Output, Tensor Result) r) => ([r.Output], [[r.Result]]);
    private static (Tensor[]?, Tensor[][]) Pair((Tensor Output, Tensor[] Result) r) => ([r.Output], [r.Result]);
    private static (Tensor[]?, Tensor[][]) Pair((Tensor[] Outputs, Tensor Result) r) => (r.Outputs, [[r.Result]]);
    private static (Tensor[]?, Tensor[][]) Pair((Tensor[] Outputs, Tensor[] Result) r) => (r.Outputs, [r.Result]);
}
