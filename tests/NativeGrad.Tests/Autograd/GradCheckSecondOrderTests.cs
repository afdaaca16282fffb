using CsCheck;
using NativeGrad.Backends;

namespace NativeGrad.Tests.Autograd;

/// <summary>
/// Gradgradcheck: GradCheck over the first-order gradients of ops from the other tables, taken with
/// createGraph; see <see cref="GradCheckTestBase"/>.
/// </summary>
public class GradCheckSecondOrderTests : GradCheckTestBase
{
    public static TheoryData<BackendKind, string> SecondOrderOps => Names(SecondOrderCases);

    [Theory]
    [MemberData(nameof(SecondOrderOps))]
    public void SecondOrderGradientsMatchFiniteDifferencesOfTheFirst(BackendKind backend, string op) => Check(backend, SecondOrderCases[op]);

    /// <summary>
    /// Gradgradcheck: the checked function is the first-order gradient, taken with createGraph,
    /// of the op's output weighted by fixed random numbers (so every output element matters with
    /// its own weight), flattened and joined over the inputs.
    /// </summary>
    internal static Gen<Case> SecondOrder(Gen<Case> firstOrder) =>
        from c in firstOrder
        from seed in Gen.Int
        select new Case(c.Inputs, inputs =>
        {
            // GradCheck computes its finite differences under NoGrad; the gradient needs the graph.
            using var enabled = NativeGrad.Autograd.EnableGrad();
            var output = c.Function(inputs);
            var weights = new System.Random(seed);
            var weighting = Tensor.FromSpan<double>(Enumerable.Range(0, (int)output.NumElements).Select(_ => weights.NextDouble() * 2 - 1).ToArray(), [.. output.Shape]);
            var grads = NativeGrad.Autograd.Grad([(output * weighting).Sum()], inputs, createGraph: true);
            return Tensor.Cat(grads.Select(g => g!.Reshape(-1)).ToArray());
        }, c.Note);

    private static Gen<Case> Squared(Gen<Case> cases) =>
        cases.Select(c => c with { Function = t => c.Function(t).Pow(2L) });

    public static readonly Dictionary<string, Gen<Case>> SecondOrderCases = new()
    {
        ["Pow(3L)"] = SecondOrder(GradCheckUnaryTests.UnaryCases["Pow(3L)"]),
        ["Pow(2.5)"] = SecondOrder(GradCheckUnaryTests.UnaryCases["Pow(2.5)"]),
        // Like PyTorch's, pow's rule masks the base's gradient to 0 where the exponent is exactly 0
        // (so that a zero base gives 0, not 0 * 0^-1 = NaN); the mask also drops the mixed second
        // derivative d²(a^b)/da db = 1/a there, so torch's own gradgradcheck fails at b = 0 too.
        ["a.Pow(b)"] = SecondOrder(Binary(Positive, AwayFromZero, (a, b) => a.Pow(b))),
        ["Exp"] = SecondOrder(GradCheckUnaryTests.UnaryCases["Exp"]),
        ["Tanh"] = SecondOrder(GradCheckUnaryTests.UnaryCases["Tanh"]),
        ["Sigmoid"] = SecondOrder(GradCheckUnaryTests.UnaryCases["Sigmoid"]),
        ["a * b"] = SecondOrder(GradCheckBinaryTests.BinaryCases["a * b"]),
        ["a / b"] = SecondOrder(GradCheckBinaryTests.BinaryCases["a / b"]),
        ["Log"] = SecondOrder(GradCheckUnaryTests.UnaryCases["Log"]),
        ["Softmax(dim)"] = SecondOrder(GradCheckNeuralNetworkTests.NeuralNetworkCases["Softmax(dim)"]),
        // The first-order rules run fused when not recorded; under createGraph they are the compositions.
        ["LogSoftmax(dim)"] = SecondOrder(GradCheckNeuralNetworkTests.NeuralNetworkCases["LogSoftmax(dim)"]),
        ["CrossEntropy"] = SecondOrder(GradCheckNeuralNetworkTests.NeuralNetworkCases["CrossEntropy"]),
        ["Gelu"] = SecondOrder(GradCheckUnaryTests.UnaryCases["Gelu"]),
        ["MatMul"] = SecondOrder(GradCheckLinearAlgebraTests.LinearAlgebraCases["MatMul"]),
        ["Einsum then square"] = SecondOrder(Squared(GradCheckLinearAlgebraTests.LinearAlgebraCases["Einsum"])),
        ["Addmv"] = SecondOrder(GradCheckLinearAlgebraTests.LinearAlgebraCases["Addmv"]),
        ["Baddbmm"] = SecondOrder(GradCheckLinearAlgebraTests.LinearAlgebraCases["Baddbmm"]),
        // The backward rules of views and index_select are themselves differentiated here
        // (scatter into zeros, index_add into zeros); squaring makes their gradients depend on x.
        ["Slice then square"] = SecondOrder(Squared(GradCheckShapeTests.ShapeCases["Slice(dim, start, end, step)"])),
        ["Select then square"] = SecondOrder(Squared(GradCheckShapeTests.ShapeCases["Select(dim, index)"])),
        ["Indexer then square"] = SecondOrder(Squared(GradCheckShapeTests.ShapeCases["Indexer"])),
        ["IndexSelect then square"] = SecondOrder(Squared(GradCheckShapeTests.ShapeCases["IndexSelect(dim, index)"])),
        ["Cat then square"] = SecondOrder(Squared(GradCheckShapeTests.ShapeCases["Cat"])),
        ["Expand then square"] = SecondOrder(Squared(GradCheckShapeTests.ShapeCases["Expand"])),
    };
}
