namespace NativeGrad.Conformance;

/// <summary>
/// Runs functional.json's <c>functions</c> through <see cref="Autograd.Functional"/>: for each
/// function its Jacobian, vjp and jvp, and for the scalar ones its Hessian, hvp and vhp; one
/// result per function and check (its op is the check's name). A function of one input goes
/// through the single-tensor overloads, one of several through the array ones.
/// </summary>
public static partial class FunctionalRunner
{
    /// <summary>The checks <paramref name="c"/> has expectations for, in the runner's order.</summary>
    public static IReadOnlyList<string> Checks(FunctionCase c) =>
        c.Hessian is null ? ["jacobian", "vjp", "jvp"] : ["jacobian", "vjp", "jvp", "hessian", "hvp", "vhp"];

    /// <summary>Every check of every function, in file order.</summary>
    public static IEnumerable<CaseResult> RunAll(FunctionalFile file) =>
        file.Functions.SelectMany(c => Checks(c).Select(check => Run(c, check)));

    /// <summary>One check of one function; an exception is the check's failure.</summary>
    public static CaseResult Run(FunctionCase c, string check) => NnRunner.Guard($"{c.Id}/{check}", check, () =>
    {
        var function = Function(c);
        var inputs = c.Inputs.Select(t => t.ToTensor()).ToArray();
        bool single = inputs.Length == 1;
        Tensor Single(Tensor x) => function([x]);
        switch (check)
        {
            case "jacobian":
                var jacobian = single ? [Autograd.Functional.Jacobian(Single, inputs[0])] : Autograd.Functional.Jacobian(function, inputs);
                return Compare(c, check, null, jacobian, c.Jacobian);
            case "vjp":
            {
                var v = c.Vjp.V.ToTensor();
                var (output, vjp) = single ? PerInput(Autograd.Functional.Vjp(Single, inputs[0], v)) : Autograd.Functional.Vjp(function, inputs, v);
                return Compare(c, check, output, vjp, c.Vjp.Result);
            }
            case "jvp":
                return RunJvp(c, function, inputs);
            case "hessian":
                var hessian = single ? [[Autograd.Functional.Hessian(Single, inputs[0])]] : Autograd.Functional.Hessian(function, inputs);
                return Compare(c, check, null, [.. hessian.SelectMany(row => row)], [.. c.Hessian!.SelectMany(row => row)]);
            case "hvp":
            case "vhp":
            {
                var expected = check == "hvp" ? c.Hvp! : c.Vhp!;
                var v = expected.V.Select(t => t.ToTensor()).ToArray();
                var (output, product) = (check, single) switch
                {
                    ("hvp", true) => PerInput(Autograd.Functional.Hvp(Single, inputs[0], v[0])),
                    ("hvp", false) => Autograd.Functional.Hvp(function, inputs, v),
                    (_, true) => PerInput(Autograd.Functional.Vhp(Single, inputs[0], v[0])),
                    _ => Autograd.Functional.Vhp(function, inputs, v),
                };
                return Compare(c, check, output, product, expected.Result);
            }
            default:
                throw new InvalidDataException($"unknown check '{check}'");
        }
    });

    // A single-tensor overload's result in the array overloads' shape.
    private static (Tensor Output, Tensor[] Result) PerInput((Tensor Output, Tensor Result) call) => (call.Output, [call.Result]);

    /// <summary>The function named by the case's id, as functional.json's README defines it.</summary>
    public static Func<Tensor[], Tensor> Function(FunctionCase c) => c.Id switch
    {
        "exp_sin_sum" => xs => (xs[0].Exp() * xs[0].Sin()).Sum(),
        "cubic" => xs => xs[0].Pow(3).Sum() + xs[0][0] * xs[0][1],
        "tanh_affine" => xs => (xs[0].MatMul(xs[1]) + xs[2]).Tanh(),
        "softmax" => xs => xs[0].Softmax(0),
        "logsumexp_quad" => xs => xs[0].LogSumExp(0) + 0.5 * (xs[0] * xs[0]).Sum(),
        "rosenbrock" => xs => Examples.Newton.Rosenbrock(xs[0]),
        "matmul_pair" => xs => xs[0].MatMul(xs[1]).Sin(),
        "log_sqrt_div" => xs => (xs[0].Log() + xs[1].Sqrt()) / (xs[0] + xs[1]),
        "mlp_loss" => MlpLoss(c.Fixed!["x"].ToTensor(), c.Fixed["t"].ToTensor()),
        _ => throw new InvalidDataException($"unknown function '{c.Id}'"),
    };

    private static Func<Tensor[], Tensor> MlpLoss(Tensor x, Tensor t) => ws => (ws[1].MatMul(ws[0].MatMul(x).Relu()) - t).Pow(2).Mean();

    /// <summary>The output (when the call returns it) and every block against PyTorch's, to the case's tolerances.</summary>
    private static CaseResult Compare(FunctionCase c, string check, Tensor? output, Tensor[] blocks, TensorData[] expected)
    {
        var valueFailure = output is null ? null : CaseRunner.Compare(output, c.Output, c.Rtol, c.Atol);
        string? gradFailure = blocks.Length != expected.Length ? $"{blocks.Length} blocks, expected {expected.Length}" : null;
        for (int i = 0; i < blocks.Length && gradFailure is null; i++)
            if (CaseRunner.Compare(blocks[i], expected[i], c.Rtol, c.Atol) is { } failure)
                gradFailure = $"block {i}: {failure}";
        return new CaseResult($"{c.Id}/{check}", check, valueFailure, gradFailure);
    }
}
