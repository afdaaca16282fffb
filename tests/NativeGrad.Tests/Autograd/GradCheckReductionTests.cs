using CsCheck;
using NativeGrad.Backends;

namespace NativeGrad.Tests.Autograd;

/// <summary>
/// GradCheck over the reductions: sum, mean, max, min, norm, var and logsumexp; see <see cref="GradCheckTestBase"/>.
/// </summary>
public class GradCheckReductionTests : GradCheckTestBase
{
    public static TheoryData<BackendKind, string> ReductionOps => Names(ReductionCases);

    [Theory]
    [MemberData(nameof(ReductionOps))]
    public void ReductionGradientsMatchFiniteDifferences(BackendKind backend, string op) => Check(backend, ReductionCases[op]);

    public static readonly Dictionary<string, Gen<Case>> ReductionCases = new()
    {
        ["Sum()"] = Unary(Anywhere, x => x.Sum()),
        ["Sum(dims, keepDim)"] = OverDims(Anywhere, (x, dims, keepDim) => x.Sum(dims, keepDim)),
        ["Sum(dim)"] =
            from x in Leaf(Shape(0, 3), Anywhere)
            from dim in Dim(x.Shape.Length)
            select new Case([x], t => t[0].Sum(dim), $"dim {dim}"),
        ["Mean()"] = Unary(Anywhere, x => x.Mean()),
        ["Mean(dims, keepDim)"] = OverDims(Anywhere, (x, dims, keepDim) => x.Mean(dims, keepDim)),
        ["Max()"] = Shape(0, 3).SelectMany(shape => DistinctLeaves(shape)).Select(x => new Case(x, t => t[0].Max())),
        ["Min()"] = Shape(0, 3).SelectMany(shape => DistinctLeaves(shape)).Select(x => new Case(x, t => t[0].Min())),
        ["Max(dim).Values"] = AlongDimWithoutTies((x, dim, keepDim) => x.Max(dim, keepDim).Values),
        ["Min(dim).Values"] = AlongDimWithoutTies((x, dim, keepDim) => x.Min(dim, keepDim).Values),
        // The norm's slope x/|x| is undefined when every element is 0.
        ["Norm"] = Unary(AwayFromZero, x => x.Norm()),
        ["Var(dims, unbiased, keepDim)"] =
            from x in Leaf(Shape(0, 3), Anywhere)
            from dims in Dims(x.Shape.Length)
            from unbiased in Gen.Bool
            from keepDim in Gen.Bool
            // The unbiased variance divides by n - 1: it needs two elements per group.
            where !unbiased || ReducedCount(x.Shape, dims) >= 2
            select new Case([x], t => t[0].Var(dims, unbiased, keepDim), $"dims [{string.Join(", ", dims)}] unbiased {unbiased} keepDim {keepDim}"),
        ["Var()"] =
            from x in Leaf(Shape(0, 3), Anywhere)
            from unbiased in Gen.Bool
            where !unbiased || Count(x.Shape) >= 2
            select new Case([x], t => t[0].Var(unbiased: unbiased), $"unbiased {unbiased}"),
        ["LogSumExp(dims, keepDim)"] = OverDims(Gen.Double[-4, 4], (x, dims, keepDim) => x.LogSumExp(dims, keepDim)),
        ["LogSumExp(dim)"] =
            from x in Leaf(Shape(0, 3), Anywhere)
            from dim in Dim(x.Shape.Length)
            select new Case([x], t => t[0].LogSumExp(dim), $"dim {dim}"),
    };

    private static long ReducedCount(long[] shape, long[] dims) =>
        shape.Length == 0 ? 1 : dims.Aggregate(1L, (n, d) => n * shape[d < 0 ? d + shape.Length : d]);

    private static Gen<Case> OverDims(Gen<double> values, Func<Tensor, long[], bool, Tensor> op) =>
        from x in Leaf(Shape(0, 3), values)
        from dims in Dims(x.Shape.Length)
        from keepDim in Gen.Bool
        select new Case([x], t => op(t[0], dims, keepDim), $"dims [{string.Join(", ", dims)}] keepDim {keepDim}");

    private static Gen<Case> AlongDimWithoutTies(Func<Tensor, int, bool, Tensor> op) =>
        from shape in Shape(0, 3)
        from x in DistinctLeaves(shape)
        from dim in Dim(shape.Length)
        from keepDim in Gen.Bool
        select new Case(x, t => op(t[0], dim, keepDim), $"dim {dim} keepDim {keepDim}");
}
