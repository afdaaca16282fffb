using CsCheck;
using NativeGrad.Backends;
using NativeGrad.Tests.Autograd;

namespace NativeGrad.Tests.Ops;

/// <summary>
/// The reductions, scans and selections of issue 10 (prod, cumsum, cumprod, std, amax/amin, sort,
/// topk, median): float64 gradient checks and gradgradchecks at random shapes on both backends,
/// plus the properties the conformance cases (tests/data/parity/reductions) are too small to show.
/// Prod and cumprod are checked at exact zeros too, where their rules switch formula.
/// </summary>
public class ReductionOpsTests : GradCheckTestBase
{
    // Values of which about a third are exactly 0 (one zero, several, or none per tensor) and the
    // rest well away from it: while no element is 0, the rules divide the product by each element,
    // as PyTorch's do, and at a tiny element (1e-60) the second derivative of that quotient is a
    // difference of two huge terms, in PyTorch too.
    private static readonly Gen<double> WithZeros = Gen.OneOf<double>(AwayFromZero, AwayFromZero, Gen.Const(0.0));

    public static readonly Dictionary<string, Gen<Case>> FirstOrderCases = new()
    {
        ["Prod()"] = Unary(Anywhere, x => x.Prod()),
        ["Prod() with zeros"] = Unary(WithZeros, x => x.Prod()),
        ["Prod(dim, keepDim)"] = AlongDim(Anywhere, (x, dim, keepDim) => x.Prod(dim, keepDim)),
        ["Prod(dim, keepDim) with zeros"] = AlongDim(WithZeros, (x, dim, keepDim) => x.Prod(dim, keepDim)),
        ["Cumsum(dim)"] = AlongDim(Anywhere, (x, dim, _) => x.Cumsum(dim)),
        ["Cumprod(dim)"] = AlongDim(Anywhere, (x, dim, _) => x.Cumprod(dim)),
        ["Cumprod(dim) with zeros"] = AlongDim(WithZeros, (x, dim, _) => x.Cumprod(dim)),
        ["Std(dims, unbiased, keepDim)"] =
            from shape in Shape(0, 3)
            from x in DistinctLeaves(shape)
            from dims in Dims(shape.Length)
            from unbiased in Gen.Bool
            from keepDim in Gen.Bool
            // Two distinct elements per group at least, so the deviation is not 0 (where std has a kink).
            where ReducedCount(shape, dims) >= 2
            select new Case(x, t => t[0].Std(dims, unbiased, keepDim), $"dims [{string.Join(", ", dims)}] unbiased {unbiased} keepDim {keepDim}"),
        ["Amax(dims, keepDim)"] = OverDimsWithoutTies((x, dims, keepDim) => x.Amax(dims, keepDim)),
        ["Amin(dims, keepDim)"] = OverDimsWithoutTies((x, dims, keepDim) => x.Amin(dims, keepDim)),
        ["Sort(dim, descending).Values"] =
            from shape in Shape(0, 3)
            from x in DistinctLeaves(shape)
            from dim in Dim(shape.Length)
            from highFirst in Gen.Bool
            select new Case(x, t => t[0].Sort(dim, highFirst).Values, $"dim {dim} descending {highFirst}"),
        ["TopK(k, dim, largest).Values"] =
            from shape in Shape(1, 3)
            from x in DistinctLeaves(shape)
            from dim in Dim(shape.Length)
            from k in Gen.Int[0, (int)shape[dim < 0 ? dim + shape.Length : dim]]
            from largest in Gen.Bool
            select new Case(x, t => t[0].TopK(k, dim, largest).Values, $"k {k} dim {dim} largest {largest}"),
        ["Median()"] = Shape(0, 3).SelectMany(shape => DistinctLeaves(shape)).Select(x => new Case(x, t => t[0].Median())),
        ["Median(dim, keepDim).Values"] = AlongDimWithoutTies((x, dim, keepDim) => x.Median(dim, keepDim).Values),
    };

    public static readonly Dictionary<string, Gen<Case>> SecondOrderCases = new()
    {
        // At most 16 elements: the second derivatives of a product of dozens of values up to 2 grow
        // beyond what central differences resolve to GradCheck's tolerance.
        ["Prod()"] = GradCheckSecondOrderTests.SecondOrder(Leaf(Shape(1, 2), AwayFromZero).Select(x => new Case([x], t => t[0].Prod()))),
        ["Prod() with zeros"] = GradCheckSecondOrderTests.SecondOrder(Dimensioned(FirstOrderCases["Prod() with zeros"])),
        ["Prod(dim, keepDim) with zeros"] = GradCheckSecondOrderTests.SecondOrder(Dimensioned(FirstOrderCases["Prod(dim, keepDim) with zeros"])),
        ["Cumsum then square"] = GradCheckSecondOrderTests.SecondOrder(Squared(FirstOrderCases["Cumsum(dim)"])),
        ["Cumprod(dim)"] = GradCheckSecondOrderTests.SecondOrder(Dimensioned(AlongDim(AwayFromZero, (x, dim, _) => x.Cumprod(dim)))),
        ["Cumprod(dim) with zeros"] = GradCheckSecondOrderTests.SecondOrder(Dimensioned(FirstOrderCases["Cumprod(dim) with zeros"])),
        ["Std(dims, unbiased, keepDim)"] = GradCheckSecondOrderTests.SecondOrder(FirstOrderCases["Std(dims, unbiased, keepDim)"]),
        ["Amax then square"] = GradCheckSecondOrderTests.SecondOrder(Squared(FirstOrderCases["Amax(dims, keepDim)"])),
        ["Amin then square"] = GradCheckSecondOrderTests.SecondOrder(Squared(FirstOrderCases["Amin(dims, keepDim)"])),
        ["Prod(dim, keepDim)"] = GradCheckSecondOrderTests.SecondOrder(Dimensioned(AlongDim(AwayFromZero, (x, dim, keepDim) => x.Prod(dim, keepDim)))),
        ["Sort then square"] = GradCheckSecondOrderTests.SecondOrder(Squared(FirstOrderCases["Sort(dim, descending).Values"])),
        ["Sort(stable: true) then square"] = GradCheckSecondOrderTests.SecondOrder(Squared(
            from shape in Shape(0, 3)
            from x in DistinctLeaves(shape)
            from dim in Dim(shape.Length)
            select new Case(x, t => t[0].Sort(dim, stable: true).Values, $"dim {dim}"))),
        ["TopK(sorted: false) then square"] = GradCheckSecondOrderTests.SecondOrder(Squared(
            from shape in Shape(1, 3)
            from x in DistinctLeaves(shape)
            from dim in Dim(shape.Length)
            from k in Gen.Int[0, (int)shape[dim < 0 ? dim + shape.Length : dim]]
            select new Case(x, t => t[0].TopK(k, dim, sorted: false).Values, $"k {k} dim {dim}"))),
        ["TopK then square"] = GradCheckSecondOrderTests.SecondOrder(Squared(FirstOrderCases["TopK(k, dim, largest).Values"])),
        ["Median(dim) then square"] = GradCheckSecondOrderTests.SecondOrder(Squared(FirstOrderCases["Median(dim, keepDim).Values"])),
        ["Median() then square"] = GradCheckSecondOrderTests.SecondOrder(Squared(FirstOrderCases["Median()"])),
    };

    public static TheoryData<BackendKind, string> FirstOrderOps => Names(FirstOrderCases);

    public static TheoryData<BackendKind, string> SecondOrderOps => Names(SecondOrderCases);

    [Theory]
    [MemberData(nameof(FirstOrderOps))]
    public void GradientsMatchFiniteDifferences(BackendKind backend, string op) => Check(backend, FirstOrderCases[op]);

    [Theory]
    [MemberData(nameof(SecondOrderOps))]
    public void SecondOrderGradientsMatchFiniteDifferencesOfTheFirst(BackendKind backend, string op) => Check(backend, SecondOrderCases[op]);

    [Theory]
    [MemberData(nameof(Backends))]
    public void StableSortKeepsTiesInOrderAndPutsNaNLastOnLongLines(BackendKind backend)
    {
        using var scope = Backend.Use(backend);
        var random = new System.Random(10);
        var values = Enumerable.Range(0, 3000).Select(i => i % 97 == 0 ? double.NaN : random.Next(20)).ToArray();
        var lines = Tensor.From(values).Reshape(3, 1000).Transpose(0, 1);
        var (sorted, indices) = lines.Sort(0, descending: true, stable: true);
        // The default sort orders ties as PyTorch's std::sort does (the parity cases), with the same values.
        Assert.Equal(sorted.ToArray<double>(), lines.Sort(0, descending: true).Values.ToArray<double>());
        for (int column = 0; column < 3; column++)
        {
            // The expected order: NaN first when descending, then larger values, ties by position.
            var line = Enumerable.Range(0, 1000).Select(row => values[column * 1000 + row]).ToArray();
            var expected = Enumerable.Range(0, 1000)
                .OrderBy(i => double.IsNaN(line[i]) ? 0 : 1).ThenByDescending(i => double.IsNaN(line[i]) ? 0 : line[i]).ThenBy(i => i).ToArray();
            Assert.Equal(expected.Select(i => (long)i), indices.Select(1, column).ToArray<long>());
            Assert.Equal(expected.Select(i => line[i]), sorted.Select(1, column).ToArray<double>());
        }
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public void Float32CumsumRoundsEachRunningSumOfADoubleAccumulator(BackendKind backend)
    {
        using var scope = Backend.Use(backend);
        // 1 + 2^-25 + 2^-25 + ...: float32 additions would never leave 1; the double accumulator does.
        var values = Enumerable.Repeat(MathF.Pow(2, -25), 64).Prepend(1f).ToArray();
        var sums = Tensor.From(values).Cumsum(0).ToArray();
        double running = 0;
        for (int i = 0; i < values.Length; i++)
        {
            running += values[i];
            Assert.Equal((float)running, sums[i]);
        }
        Assert.True(sums[^1] > 1f);
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public void ProdGradientAtZerosIsTheProductOfTheOthers(BackendKind backend)
    {
        using var scope = Backend.Use(backend);
        var oneZero = Tensor.From(new[] { 2.0, 0.0, -1.5, 3.0 }, requiresGrad: true);
        oneZero.Prod().Backward();
        Assert.Equal(new[] { 0.0, -9.0, 0.0, 0.0 }, oneZero.Grad!.ToArray<double>());
        var twoZeros = Tensor.From(new[] { 2.0, 0.0, 0.0, 3.0 }, requiresGrad: true);
        twoZeros.Prod().Backward();
        Assert.Equal(new[] { 0.0, 0.0, 0.0, 0.0 }, twoZeros.Grad!.ToArray<double>());
    }

    // Of a 0-dim input, prod and cumprod are the identity (their gradient is the incoming one, as in
    // PyTorch), whose first-order gradient does not depend on the input: nothing to check twice.
    private static Gen<Case> Dimensioned(Gen<Case> cases) => cases.Where(c => c.Inputs[0].Shape.Length > 0);

    private static Gen<Case> Squared(Gen<Case> cases) => cases.Select(c => c with { Function = t => c.Function(t).Pow(2L) });

    private static long ReducedCount(long[] shape, long[] dims) =>
        shape.Length == 0 ? 1 : dims.Aggregate(1L, (n, d) => n * shape[d < 0 ? d + shape.Length : d]);

    private static Gen<Case> AlongDim(Gen<double> values, Func<Tensor, int, bool, Tensor> op) =>
        from x in Leaf(Shape(0, 3), values)
        from dim in Dim(x.Shape.Length)
        from keepDim in Gen.Bool
        select new Case([x], t => op(t[0], dim, keepDim), $"dim {dim} keepDim {keepDim}");

    private static Gen<Case> AlongDimWithoutTies(Func<Tensor, int, bool, Tensor> op) =>
        from shape in Shape(0, 3)
        from x in DistinctLeaves(shape)
        from dim in Dim(shape.Length)
        from keepDim in Gen.Bool
        select new Case(x, t => op(t[0], dim, keepDim), $"dim {dim} keepDim {keepDim}");

    private static Gen<Case> OverDimsWithoutTies(Func<Tensor, long[], bool, Tensor> op) =>
        from shape in Shape(0, 3)
        from x in DistinctLeaves(shape)
        from dims in Dims(shape.Length)
        from keepDim in Gen.Bool
        select new Case(x, t => op(t[0], dims, keepDim), $"dims [{string.Join(", ", dims)}] keepDim {keepDim}");
}
