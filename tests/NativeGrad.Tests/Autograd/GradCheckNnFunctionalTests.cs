using CsCheck;
using NativeGrad.Backends;

namespace NativeGrad.Tests.Autograd;

/// <summary>
/// GradCheck over the nn functions (activations, dropout, embedding, normalisation) and every
/// option of every loss, first order and, for the ones with their own rule, second order; see
/// <see cref="GradCheckTestBase"/>.
/// </summary>
public class GradCheckNnFunctionalTests : GradCheckTestBase
{
    public static TheoryData<BackendKind, string> FunctionalOps => Names(FunctionalCases);

    public static TheoryData<BackendKind, string> SecondOrderOps => Names(SecondOrderCases);

    [Theory]
    [MemberData(nameof(FunctionalOps))]
    public void GradientsMatchFiniteDifferences(BackendKind backend, string op) => Check(backend, FunctionalCases[op]);

    [Theory]
    [MemberData(nameof(SecondOrderOps))]
    public void SecondOrderGradientsMatchFiniteDifferencesOfTheFirst(BackendKind backend, string op) => Check(backend, SecondOrderCases[op]);

    private static readonly Reduction[] AllReductions = [Reduction.Mean, Reduction.Sum, Reduction.None];

    private const long Ignored = -100;

    public static readonly Dictionary<string, Gen<Case>> FunctionalCases = new()
    {
        ["Silu"] = Unary(Gen.Double[-4, 4], Functional.Silu),
        // elu has a kink at 0 unless alpha is 1.
        ["Elu(alpha)"] =
            from alpha in Gen.Double[0.2, 2]
            from x in Leaf(Shape(0, 3), AwayFromZero)
            select new Case([x], t => Functional.Elu(t[0], alpha), $"alpha {alpha}"),
        ["Hardtanh(-0.5, 0.5)"] = Unary(AwayFromClampBounds, x => Functional.Hardtanh(x, -0.5, 0.5)),
        ["Gelu(Tanh)"] = Unary(Gen.Double[-4, 4], x => Functional.Gelu(x, GeluApproximate.Tanh)),
        // A fresh generator with the same seed on every call: the same mask for each finite difference.
        ["Dropout(p, training)"] =
            from p in Gen.Double[0.1, 0.9]
            from seed in Gen.UInt
            from x in Leaf(Shape(0, 3), Anywhere)
            select new Case([x], t => Functional.Dropout(t[0], p, training: true, generator: new Generator(seed)), $"p {p} seed {seed}"),
        // The padding row is used but gets no gradient by design, so the indices avoid it here (the
        // conformance case embedding/padding checks that row's zero gradient against PyTorch).
        ["Embedding(paddingIdx)"] =
            from rows in Size
            from columns in Size
            from weight in Leaf([rows, columns], Anywhere)
            from padding in Gen.OneOf<long?>(Gen.Const((long?)null), Gen.Long[-rows, rows - 1].Select(p => (long?)p))
            from indices in Gen.Long[0, rows - 1].Array[1, 6]
            where padding is null || !indices.Contains(padding < 0 ? padding.Value + rows : padding.Value)
            select new Case([weight], t => Functional.Embedding(Tensor.From(indices).Reshape(-1, 1), t[0], padding),
                            $"{Describe("indices", indices)} padding {padding}"),
        ["BatchNorm(training)"] = BatchNormCase(training: true),
        ["BatchNorm(eval)"] = BatchNormCase(training: false),
        ["LayerNorm"] =
            from leading in Shape(0, 2)
            from normalized in Shape(1, 2)
            where Count(normalized) >= 2
            from x in Leaf([.. leading, .. normalized], Anywhere)
            from weight in Leaf(normalized, Anywhere)
            from bias in Leaf(normalized, Anywhere)
            select new Case([x, weight, bias], t => Functional.LayerNorm(t[0], normalized, t[1], t[2])),
        ["L1Loss"] = Regression(AwayFromZero, (a, b, r) => Functional.L1Loss(a, b, r)),
        ["SmoothL1Loss(beta)"] =
            from beta in Gen.Double[0.1, 2]
            from c in Regression(Anywhere, (a, b, r) => Functional.SmoothL1Loss(a, b, r, beta))
            select c with { Note = $"{c.Note} beta {beta}" },
        ["SmoothL1Loss(0)"] = Regression(AwayFromZero, (a, b, r) => Functional.SmoothL1Loss(a, b, r, 0)),
        ["HuberLoss(delta)"] =
            from delta in Gen.Double[0.1, 2]
            from c in Regression(Anywhere, (a, b, r) => Functional.HuberLoss(a, b, r, delta))
            select c with { Note = $"{c.Note} delta {delta}" },
        ["CrossEntropy(weight, ignoreIndex, labelSmoothing)"] = ClassIndices(0, weighted: true, smoothing: true),
        ["CrossEntropy spatial (N, C, d...)"] = ClassIndices(2, weighted: true, smoothing: true),
        ["CrossEntropy of one sample (C)"] =
            from classes in Size
            from x in Leaf([classes], Anywhere)
            from target in Gen.Long[0, classes - 1]
            select new Case([x], t => Functional.CrossEntropy(t[0], Tensor.From(target)), $"target {target}"),
        ["CrossEntropy(probabilities, weight, labelSmoothing)"] =
            from shape in Gen.Int[1, 4].Array[2, 3].Select(s => s.Select(v => (long)v).ToArray())
            from x in Leaf(shape, Anywhere)
            from p in Leaf(shape, Probability)
            from weight in Gen.Double[0.2, 2].Array[(int)shape[1]]
            from smoothing in Gen.OneOf(Gen.Const(0.0), Gen.Double[0, 1])
            from reduction in Gen.OneOf(AllReductions)
            select new Case([x, p], t => Functional.CrossEntropy(t[0], t[1], reduction, weight: Tensor.From(weight), labelSmoothing: smoothing),
                            $"weight [{string.Join(", ", weight)}] smoothing {smoothing} reduction {reduction}"),
        ["NllLoss(weight, ignoreIndex) spatial"] = ClassIndices(2, weighted: true, smoothing: false, nll: true),
        ["BinaryCrossEntropy(weight)"] =
            from shape in Shape(0, 3)
            from x in Leaf(shape, Gen.Double[0.05, 0.95])
            from y in Leaf(shape, Probability)
            from weight in Gen.OneOf<double[]?>(Gen.Const((double[]?)null), Gen.Double[0.2, 2].Array[(int)Count(shape)].Select(w => (double[]?)w))
            from reduction in Gen.OneOf(AllReductions)
            select new Case([x, y], t => Functional.BinaryCrossEntropy(t[0], t[1], weight is null ? null : Tensor.FromSpan<double>(weight, shape), reduction),
                            $"weighted {weight is not null} reduction {reduction}"),
        ["BinaryCrossEntropyWithLogits(weight, posWeight)"] =
            from shape in Shape(1, 3)
            from x in Leaf(shape, Gen.Double[-4, 4])
            from y in Leaf(shape, Probability)
            from weight in Gen.Double[0.2, 2].Array[(int)Count(shape)]
            from posWeight in Gen.Double[0.2, 3].Array[(int)shape[^1]]
            from reduction in Gen.OneOf(AllReductions)
            select new Case([x, y], t => Functional.BinaryCrossEntropyWithLogits(t[0], t[1], reduction,
                Tensor.FromSpan<double>(weight, shape), Tensor.From(posWeight)), $"reduction {reduction}"),
        ["KlDiv(reduction, logTarget)"] =
            from shape in Shape(1, 3)
            from input in Leaf(shape, Anywhere)
            from logTarget in Gen.Bool
            from target in Leaf(shape, logTarget ? Anywhere : Positive)
            from reduction in Gen.OneOf(Reduction.Mean, Reduction.Sum, Reduction.None, Reduction.BatchMean)
            select new Case([input, target], t => Functional.KlDiv(t[0], t[1], reduction, logTarget), $"logTarget {logTarget} reduction {reduction}"),
    };

    public static readonly Dictionary<string, Gen<Case>> SecondOrderCases = new()
    {
        ["Silu"] = GradCheckSecondOrderTests.SecondOrder(FunctionalCases["Silu"]),
        ["Elu(alpha)"] = GradCheckSecondOrderTests.SecondOrder(FunctionalCases["Elu(alpha)"]),
        ["Gelu(Tanh)"] = GradCheckSecondOrderTests.SecondOrder(FunctionalCases["Gelu(Tanh)"]),
        ["BatchNorm(training)"] = GradCheckSecondOrderTests.SecondOrder(FunctionalCases["BatchNorm(training)"]),
        ["LayerNorm"] = GradCheckSecondOrderTests.SecondOrder(FunctionalCases["LayerNorm"]),
        ["CrossEntropy(weight, ignoreIndex, labelSmoothing)"] = GradCheckSecondOrderTests.SecondOrder(FunctionalCases["CrossEntropy(weight, ignoreIndex, labelSmoothing)"]),
        ["BinaryCrossEntropy(weight)"] = GradCheckSecondOrderTests.SecondOrder(FunctionalCases["BinaryCrossEntropy(weight)"]),
        ["BinaryCrossEntropyWithLogits(weight, posWeight)"] = GradCheckSecondOrderTests.SecondOrder(FunctionalCases["BinaryCrossEntropyWithLogits(weight, posWeight)"]),
        // The second derivative jumps where |input - target| = delta; keep the differences off 0.5.
        ["HuberLoss(0.5)"] = GradCheckSecondOrderTests.SecondOrder(Regression(AwayFromClampBounds, (a, b, r) => Functional.HuberLoss(a, b, r, 0.5))),
    };

    /// <summary>Input and target of one shape; the loss must be differentiable in both.</summary>
    private static Gen<Case> Regression(Gen<double> differences, Func<Tensor, Tensor, Reduction, Tensor> loss) =>
        from shape in Shape(0, 3)
        from target in Leaf(shape, Anywhere)
        from difference in differences.Array[(int)Count(shape)]
        from reduction in Gen.OneOf(AllReductions)
        let input = new Input(shape, target.Values.Zip(difference, (t, d) => t + d).ToArray())
        select new Case([input, target], t => loss(t[0], t[1], reduction), $"reduction {reduction}");

    /// <summary>(N, C, d...) with <paramref name="spatialRank"/> trailing sizes and class targets, a third of them ignored.</summary>
    private static Gen<Case> ClassIndices(int spatialRank, bool weighted, bool smoothing, bool nll = false) =>
        from n in Size
        from classes in Size
        from spatial in Gen.Int[1, 3].Array[0, spatialRank].Select(s => s.Select(v => (long)v).ToArray())
        from input in Leaf([n, classes, .. spatial], Anywhere)
        from targets in Gen.OneOf<long>(Gen.Long[0, classes - 1], Gen.Long[0, classes - 1], Gen.Const(Ignored)).Array[(int)(n * Count(spatial))]
        where targets.Any(t => t != Ignored)
        from weight in weighted ? Gen.Double[0.2, 2].Array[classes].Select(w => (double[]?)w) : Gen.Const((double[]?)null)
        from labelSmoothing in smoothing ? Gen.OneOf(Gen.Const(0.0), Gen.Double[0, 1]) : Gen.Const(0.0)
        from reduction in Gen.OneOf(AllReductions)
        select new Case([input], t =>
        {
            var target = Tensor.FromSpan<long>(targets, [n, .. spatial]);
            var w = weight is null ? null : Tensor.From(weight);
            return nll
                ? Functional.NllLoss(t[0], target, reduction, Ignored, w)
                : Functional.CrossEntropy(t[0], target, reduction, Ignored, w, labelSmoothing);
        }, $"{Describe("targets", targets)} smoothing {labelSmoothing} reduction {reduction}");

    /// <summary>(N, C) or (N, C, L) with at least two values per channel, weight and bias; eval uses fixed running statistics.</summary>
    private static Gen<Case> BatchNormCase(bool training) =>
        from n in Gen.Int[2, 4]
        from channels in Size
        from length in Gen.OneOf(Gen.Const(Array.Empty<long>()), Gen.Long[1, 3].Array[1])
        from x in Leaf([n, channels, .. length], Anywhere)
        from weight in Leaf([channels], Anywhere)
        from bias in Leaf([channels], Anywhere)
        from mean in Gen.Double[-1, 1].Array[channels]
        from variance in Gen.Double[0.5, 2].Array[channels]
        select new Case([x, weight, bias], t => training
            ? Functional.BatchNorm(t[0], null, null, t[1], t[2], training: true)
            : Functional.BatchNorm(t[0], Tensor.From(mean), Tensor.From(variance), t[1], t[2], training: false));
}
