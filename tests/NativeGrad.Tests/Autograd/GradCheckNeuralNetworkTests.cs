using CsCheck;
using NativeGrad.Backends;

namespace NativeGrad.Tests.Autograd;

/// <summary>
/// GradCheck over softmax, log-softmax and the losses; see <see cref="GradCheckTestBase"/>.
/// </summary>
public class GradCheckNeuralNetworkTests : GradCheckTestBase
{
    public static TheoryData<BackendKind, string> NeuralNetworkOps => Names(NeuralNetworkCases);

    [Theory]
    [MemberData(nameof(NeuralNetworkOps))]
    public void NeuralNetworkGradientsMatchFiniteDifferences(BackendKind backend, string op) => Check(backend, NeuralNetworkCases[op]);

    private static readonly Reduction[] AllReductions = [Reduction.Mean, Reduction.Sum, Reduction.None];

    public static readonly Dictionary<string, Gen<Case>> NeuralNetworkCases = new()
    {
        ["Softmax(dim)"] = AlongDim(Gen.Double[-3, 3], (x, dim) => x.Softmax(dim)),
        ["LogSoftmax(dim)"] = AlongDim(Gen.Double[-3, 3], (x, dim) => x.LogSoftmax(dim)),
        ["Functional.Softmax(dim)"] = AlongDim(Gen.Double[-3, 3], Functional.Softmax),
        ["Functional.LogSoftmax(dim)"] = AlongDim(Gen.Double[-3, 3], Functional.LogSoftmax),
        ["MseLoss"] =
            from shape in Shape(0, 3)
            from input in Leaf(shape, Anywhere)
            from target in Leaf(shape, Anywhere)
            from reduction in Gen.OneOf(AllReductions)
            select new Case([input, target], t => Functional.MseLoss(t[0], t[1], reduction), $"reduction {reduction}"),
        ["CrossEntropy"] = ClassificationLoss((x, t, r, i) => Functional.CrossEntropy(x, t, r, i)),
        // NLL loss is linear in its input, which need not be normalised log-probabilities.
        ["NllLoss"] = ClassificationLoss((x, t, r, i) => Functional.NllLoss(x, t, r, i)),
        ["BinaryCrossEntropyWithLogits"] =
            from shape in Shape(0, 3)
            from logits in Leaf(shape, Gen.Double[-4, 4])
            from target in Leaf(shape, Probability)
            from reduction in Gen.OneOf(AllReductions)
            select new Case([logits, target], t => Functional.BinaryCrossEntropyWithLogits(t[0], t[1], reduction), $"reduction {reduction}"),
    };

    private static Gen<Case> AlongDim(Gen<double> values, Func<Tensor, int, Tensor> op) =>
        from x in Leaf(Shape(0, 3), values)
        from dim in Dim(x.Shape.Length)
        select new Case([x], t => op(t[0], dim), $"dim {dim}");

    private const long Ignored = -100;

    /// <summary>Logits of N x C and int64 class targets, some ignored (-100), at least one not (the mean divides by their number).</summary>
    private static Gen<Case> ClassificationLoss(Func<Tensor, Tensor, Reduction, long, Tensor> loss) =>
        from n in Size
        from classes in Size
        from input in Leaf([n, classes], Gen.Double[-3, 3])
        // Two targets in three are classes, one is ignored.
        from targets in Gen.OneOf<long>(Gen.Long[0, classes - 1], Gen.Long[0, classes - 1], Gen.Const(Ignored)).Array[n]
        where targets.Any(t => t != Ignored)
        from reduction in Gen.OneOf(AllReductions)
        select new Case([input], t => loss(t[0], Tensor.From(targets), reduction, Ignored),
                        $"{Describe("targets", targets)} reduction {reduction}");
}
