using CsCheck;
using NativeGrad.Backends;

namespace NativeGrad.Tests.Autograd;

/// <summary>
/// Autograd.GradCheck (every backward rule against float64 central differences) over every
/// differentiable op, at random small shapes (each dimension 1..4) and random values drawn by
/// CsCheck, on both backends. Where an op is not differentiable (a kink, a tie, a pole) the inputs
/// stay well away from that point: a finite difference straddling it estimates neither one-sided
/// derivative, so a failure there would say nothing about the backward rule.
/// </summary>
public class GradCheckPropertyTests
{
    private const int Iterations = 20;

    private static readonly BackendKind[] AllBackends = [BackendKind.Native, BackendKind.Managed];

    public static TheoryData<BackendKind> Backends => [.. AllBackends];

    // ---- the checks ----------------------------------------------------------------------------

    [Theory]
    [MemberData(nameof(Names), nameof(UnaryCases))]
    public void UnaryOpGradientsMatchFiniteDifferences(BackendKind backend, string op) => Check(backend, UnaryCases[op]);

    [Theory]
    [MemberData(nameof(Names), nameof(BinaryCases))]
    public void BinaryOpGradientsMatchFiniteDifferencesUnderBroadcasting(BackendKind backend, string op) => Check(backend, BinaryCases[op]);

    [Theory]
    [MemberData(nameof(Names), nameof(InPlaceCases))]
    public void InPlaceOpGradientsMatchFiniteDifferences(BackendKind backend, string op) => Check(backend, InPlaceCases[op]);

    [Theory]
    [MemberData(nameof(Names), nameof(ReductionCases))]
    public void ReductionGradientsMatchFiniteDifferences(BackendKind backend, string op) => Check(backend, ReductionCases[op]);

    [Theory]
    [MemberData(nameof(Names), nameof(LinearAlgebraCases))]
    public void LinearAlgebraGradientsMatchFiniteDifferences(BackendKind backend, string op) => Check(backend, LinearAlgebraCases[op]);

    [Theory]
    [MemberData(nameof(Names), nameof(ShapeCases))]
    public void ShapeOpGradientsMatchFiniteDifferences(BackendKind backend, string op) => Check(backend, ShapeCases[op]);

    [Theory]
    [MemberData(nameof(Names), nameof(NeuralNetworkCases))]
    public void NeuralNetworkGradientsMatchFiniteDifferences(BackendKind backend, string op) => Check(backend, NeuralNetworkCases[op]);

    [Theory]
    [MemberData(nameof(Names), nameof(SecondOrderCases))]
    public void SecondOrderGradientsMatchFiniteDifferencesOfTheFirst(BackendKind backend, string op) => Check(backend, SecondOrderCases[op]);

    // A float32 round trip rounds each value to 24 bits, up to 4.8e-7 for the tripled values
    // (|3x| < 6): over the default step of 1e-6 that is an error of up to 0.24 in a derivative of 3,
    // far beyond the default tolerances. A step of 1e-3 brings it down to 2.4e-4, within them, and
    // adds no truncation error since the function is linear.
    [Theory]
    [MemberData(nameof(Backends))]
    public void AFloat32RoundTripPassesTheGradientBackAsFloat64(BackendKind backend) =>
        Check(backend, Leaf(Shape(0, 3), Anywhere).Select(x => new Case([x],
            t => (t[0].To(DType.Float32) * 3.0).To(DType.Float64))), eps: 1e-3);

    [Theory]
    [MemberData(nameof(Backends))]
    public void GradCheckRejectsAGradientThatMissesADetachedFactor(BackendKind backend)
    {
        using var scope = Backend.Use(backend);
        // x * x.Detach() has the value x², but autograd treats the detached factor as a constant:
        // its analytic gradient is x while finite differences (which move both factors) give 2x.
        var x = Tensor.From([0.5, -1.25, 2.0], requiresGrad: true);
        var error = Assert.Throws<GradCheckException>(() => NativeGrad.Autograd.GradCheck(XTimesDetachedX, [x]));
        Assert.StartsWith("Jacobian mismatch for output 0 with respect to input 0", error.Message);
        Assert.False(NativeGrad.Autograd.GradCheck(XTimesDetachedX, [x], raiseException: false));
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public void GradCheckRejectsTheDetachedFactorAtEveryNonZeroPoint(BackendKind backend) =>
        // Away from 0, where x and 2x coincide.
        Leaf(Shape(0, 3), AwayFromZero).Sample(input =>
        {
            using var scope = Backend.Use(backend);
            Assert.False(NativeGrad.Autograd.GradCheck(XTimesDetachedX, [input.ToTensor()], raiseException: false));
        }, iter: Iterations);

    private static Tensor XTimesDetachedX(Tensor[] t) => t[0] * t[0].Detach();

    private static void Check(BackendKind backend, Gen<Case> cases, double eps = 1e-6) =>
        cases.Sample(c =>
        {
            using var scope = Backend.Use(backend);
            NativeGrad.Autograd.GradCheck(c.Function, c.Inputs.Select(i => i.ToTensor()).ToArray(), eps);
        }, iter: Iterations);

    public static TheoryData<BackendKind, string> Names(string table)
    {
        var cases = (Dictionary<string, Gen<Case>>)typeof(GradCheckPropertyTests).GetField(table)!.GetValue(null)!;
        var data = new TheoryData<BackendKind, string>();
        foreach (var backend in AllBackends)
            foreach (var name in cases.Keys)
                data.Add(backend, name);
        return data;
    }

    // ---- value domains -------------------------------------------------------------------------

    private static readonly Gen<double> Anywhere = Gen.Double[-2, 2];

    private static readonly Gen<double> Positive = Gen.Double[0.2, 3];

    // Magnitudes from 0.3: kinks (abs, relu) and poles (1/x) sit at 0.
    private static readonly Gen<double> AwayFromZero =
        from magnitude in Gen.Double[0.3, 2]
        from negative in Gen.Bool
        select negative ? -magnitude : magnitude;

    // Clamp(-0.5, 0.5) has kinks at its bounds; stay 0.1 away from both.
    private static readonly Gen<double> AwayFromClampBounds =
        Gen.OneOf<double>(Gen.Double[-2, -0.6], Gen.Double[-0.4, 0.4], Gen.Double[0.6, 2]);

    // Probabilities for binary cross-entropy targets.
    private static readonly Gen<double> Probability = Gen.Double[0, 1];

    /// <summary>
    /// <paramref name="count"/> values in random order, at least 0.05 apart: max, min, maximum and
    /// minimum are not differentiable at ties, where the gradient is split.
    /// </summary>
    private static Gen<double[]> Distinct(int count) =>
        from keys in Gen.Double[0, 1].Array[count]
        from jitter in Gen.Double[0, 0.05].Array[count]
        select RanksOf(keys).Select((rank, i) => (rank - count / 2.0) * 0.1 + jitter[i]).ToArray();

    private static int[] RanksOf(double[] keys)
    {
        var ranks = new int[keys.Length];
        var order = Enumerable.Range(0, keys.Length).OrderBy(i => keys[i]).ToArray();
        for (int rank = 0; rank < order.Length; rank++) ranks[order[rank]] = rank;
        return ranks;
    }

    // ---- shapes and inputs ---------------------------------------------------------------------

    private static Gen<long[]> Shape(int minRank, int maxRank, int maxSize = 4) =>
        from rank in Gen.Int[minRank, maxRank]
        from sizes in Gen.Int[1, maxSize].Array[rank]
        select sizes.Select(s => (long)s).ToArray();

    private static long Count(long[] shape) => shape.Aggregate(1L, (n, s) => n * s);

    private static Gen<Input> Leaf(long[] shape, Gen<double> values) =>
        values.Array[(int)Count(shape)].Select(v => new Input(shape, v));

    private static Gen<Input> Leaf(Gen<long[]> shape, Gen<double> values) => shape.SelectMany(s => Leaf(s, values));

    /// <summary>Leaves of the given shapes whose values, taken all together, are distinct.</summary>
    private static Gen<Input[]> DistinctLeaves(params long[][] shapes) =>
        Distinct((int)shapes.Sum(Count)).Select(values =>
        {
            int start = 0;
            return shapes.Select(shape =>
            {
                int n = (int)Count(shape);
                var input = new Input(shape, values[start..(start + n)]);
                start += n;
                return input;
            }).ToArray();
        });

    /// <summary>Two shapes that broadcast together: each keeps a suffix of a common shape, some sizes set to 1.</summary>
    private static Gen<long[][]> BroadcastPair(int maxRank = 3, int maxSize = 4) =>
        from full in Shape(0, maxRank, maxSize)
        from a in BroadcastOperand(full)
        from b in BroadcastOperand(full)
        select new[] { a, b };

    private static Gen<long[]> BroadcastOperand(long[] full) =>
        from dropped in Gen.Int[0, full.Length]
        from keep in Gen.Int[0, 2].Array[full.Length]
        select full.Select((size, d) => keep[d] == 0 ? 1L : size).Skip(dropped).ToArray();

    /// <summary>A dimension of a tensor of <paramref name="rank"/>, spelled from the start or from the end.</summary>
    private static Gen<int> Dim(int rank) => Gen.Int[-Math.Max(rank, 1), Math.Max(rank, 1) - 1];

    /// <summary>A non-empty set of distinct dimensions in random order, each spelled from the start or the end.</summary>
    private static Gen<long[]> Dims(int rank) =>
        rank == 0 ? Gen.OneOf<long[]>(Gen.Const(new long[] { 0 }), Gen.Const(new long[] { -1 })) :
        from chosen in Gen.Bool.Array[rank].Where(c => c.Any(b => b))
        from fromEnd in Gen.Bool.Array[rank]
        from keys in Gen.Double[0, 1].Array[rank]
        select Enumerable.Range(0, rank).Where(d => chosen[d]).OrderBy(d => keys[d])
                         .Select(d => fromEnd[d] ? (long)(d - rank) : d).ToArray();

    /// <summary>One value of each generator, in order.</summary>
    private static Gen<T[]> All<T>(IEnumerable<Gen<T>> gens) =>
        gens.Aggregate(Gen.Const(Array.Empty<T>()), (all, gen) => from values in all from value in gen select (T[])[.. values, value]);

    private static Gen<Case> Unary(Gen<double> domain, Func<Tensor, Tensor> op) =>
        Leaf(Shape(0, 3), domain).Select(x => new Case([x], t => op(t[0])));

    private static Gen<Case> Binary(Gen<double> left, Gen<double> right, Func<Tensor, Tensor, Tensor> op) =>
        from shapes in BroadcastPair()
        from a in Leaf(shapes[0], left)
        from b in Leaf(shapes[1], right)
        select new Case([a, b], t => op(t[0], t[1]));

    private static Gen<Case> BinaryWithoutTies(Func<Tensor, Tensor, Tensor> op) =>
        from shapes in BroadcastPair()
        from leaves in DistinctLeaves(shapes)
        select new Case(leaves, t => op(t[0], t[1]));

    // ---- unary ---------------------------------------------------------------------------------

    public static readonly Dictionary<string, Gen<Case>> UnaryCases = new()
    {
        ["Neg"] = Unary(Anywhere, x => x.Neg()),
        ["-x"] = Unary(Anywhere, x => -x),
        ["Exp"] = Unary(Anywhere, x => x.Exp()),
        // log and sqrt are real only for positive inputs and their slopes blow up at 0.
        ["Log"] = Unary(Positive, x => x.Log()),
        ["Sqrt"] = Unary(Positive, x => x.Sqrt()),
        ["Abs"] = Unary(AwayFromZero, x => x.Abs()),
        ["Relu"] = Unary(AwayFromZero, x => x.Relu()),
        ["LeakyRelu()"] = Unary(AwayFromZero, x => x.LeakyRelu()),
        ["LeakyRelu(0.2)"] = Unary(AwayFromZero, x => x.LeakyRelu(0.2)),
        ["Clamp(-0.5, 0.5)"] = Unary(AwayFromClampBounds, x => x.Clamp(-0.5, 0.5)),
        ["Clamp(min: -0.5)"] = Unary(AwayFromClampBounds, x => x.Clamp(min: -0.5)),
        ["Clamp(max: 0.5)"] = Unary(AwayFromClampBounds, x => x.Clamp(max: 0.5)),
        ["Sigmoid"] = Unary(Gen.Double[-4, 4], x => x.Sigmoid()),
        ["Tanh"] = Unary(Gen.Double[-3, 3], x => x.Tanh()),
        ["Sin"] = Unary(Gen.Double[-4, 4], x => x.Sin()),
        ["Cos"] = Unary(Gen.Double[-4, 4], x => x.Cos()),
        ["Erf"] = Unary(Gen.Double[-3, 3], x => x.Erf()),
        ["Gelu"] = Unary(Gen.Double[-4, 4], x => x.Gelu()),
        ["Reciprocal"] = Unary(AwayFromZero, x => x.Reciprocal()),
        // Sign is flat (gradient 0) except for its jump at 0.
        ["Sign"] = Unary(AwayFromZero, x => x.Sign()),
        // A fractional power of a negative number is not real.
        ["Pow(2.5)"] = Unary(Positive, x => x.Pow(2.5)),
        ["Pow(-1.5)"] = Unary(Positive, x => x.Pow(-1.5)),
        ["Pow(3.0)"] = Unary(Anywhere, x => x.Pow(3.0)),
        ["Pow(0.0)"] = Unary(Anywhere, x => x.Pow(0.0)),
        ["Pow(2L)"] = Unary(Anywhere, x => x.Pow(2L)),
        ["Pow(3L)"] = Unary(Anywhere, x => x.Pow(3L)),
        // x^-2 has a pole at 0.
        ["Pow(-2L)"] = Unary(AwayFromZero, x => x.Pow(-2L)),
        ["Pow(2.0, x)"] = Unary(Anywhere, x => Tensor.Pow(2.0, x)),
        ["Pow(0.5, x)"] = Unary(Anywhere, x => Tensor.Pow(0.5, x)),
    };

    // ---- binary and scalar arithmetic -----------------------------------------------------------

    public static readonly Dictionary<string, Gen<Case>> BinaryCases = new()
    {
        ["a + b"] = Binary(Anywhere, Anywhere, (a, b) => a + b),
        ["a - b"] = Binary(Anywhere, Anywhere, (a, b) => a - b),
        ["a * b"] = Binary(Anywhere, Anywhere, (a, b) => a * b),
        // The quotient has a pole where the denominator is 0.
        ["a / b"] = Binary(Anywhere, AwayFromZero, (a, b) => a / b),
        ["Maximum"] = BinaryWithoutTies(Tensor.Maximum),
        ["Minimum"] = BinaryWithoutTies(Tensor.Minimum),
        // A positive base keeps a^b real and d/db = a^b log a finite.
        ["a.Pow(b)"] = Binary(Positive, Anywhere, (a, b) => a.Pow(b)),
        ["Where(condition, a, b)"] =
            from full in Shape(0, 3)
            from shapes in Gen.Select(BroadcastOperand(full), BroadcastOperand(full), BroadcastOperand(full))
            from condition in Gen.Bool.Array[(int)Count(shapes.Item1)]
            from a in Leaf(shapes.Item2, Anywhere)
            from b in Leaf(shapes.Item3, Anywhere)
            select new Case([a, b], t => Tensor.Where(Condition(shapes.Item1, condition), t[0], t[1]),
                            $"condition [{string.Join(", ", shapes.Item1)}] {{{string.Join(", ", condition)}}}"),
        ["Where(condition, a, 0.5)"] =
            from x in Leaf(Shape(0, 3), Anywhere)
            from condition in Gen.Bool.Array[(int)Count(x.Shape)]
            select new Case([x], t => Tensor.Where(Condition(x.Shape, condition), t[0], 0.5), $"condition {{{string.Join(", ", condition)}}}"),
        ["Where(condition, 0.5, b)"] =
            from x in Leaf(Shape(0, 3), Anywhere)
            from condition in Gen.Bool.Array[(int)Count(x.Shape)]
            select new Case([x], t => Tensor.Where(Condition(x.Shape, condition), 0.5, t[0]), $"condition {{{string.Join(", ", condition)}}}"),
        ["x + 1.5"] = Unary(Anywhere, x => x + 1.5),
        ["1.5 + x"] = Unary(Anywhere, x => 1.5 + x),
        ["x + 2L"] = Unary(Anywhere, x => x + 2L),
        ["x - 1.5"] = Unary(Anywhere, x => x - 1.5),
        ["1 - x"] = Unary(Anywhere, x => 1.0 - x),
        ["1L - x"] = Unary(Anywhere, x => 1L - x),
        ["2 * x"] = Unary(Anywhere, x => 2.0 * x),
        ["x * 2"] = Unary(Anywhere, x => x * 2.0),
        ["3L * x"] = Unary(Anywhere, x => 3L * x),
        ["x / 3"] = Unary(Anywhere, x => x / 3.0),
        ["x / 3L"] = Unary(Anywhere, x => x / 3L),
        // s / x has a pole at 0.
        ["2 / x"] = Unary(AwayFromZero, x => 2.0 / x),
        ["2L / x"] = Unary(AwayFromZero, x => 2L / x),
    };

    private static Tensor Condition(long[] shape, bool[] values) => Tensor.From(values).Reshape(shape);

    // ---- in-place arithmetic (on a clone: a leaf that requires grad cannot be modified) ----------

    public static readonly Dictionary<string, Gen<Case>> InPlaceCases = new()
    {
        ["a.Add_(b)"] = InPlace(Anywhere, (a, b) => a.Add_(b)),
        ["a.Sub_(b)"] = InPlace(Anywhere, (a, b) => a.Sub_(b)),
        ["a.Mul_(b)"] = InPlace(Anywhere, (a, b) => a.Mul_(b)),
        // The quotient has a pole where the denominator is 0.
        ["a.Div_(b)"] = InPlace(AwayFromZero, (a, b) => a.Div_(b)),
        ["a.Copy_(b)"] = InPlace(Anywhere, (a, b) => a.Copy_(b)),
        ["a.Add_(1.5)"] = Unary(Anywhere, x => x.Clone().Add_(1.5)),
        ["a.Sub_(1.5)"] = Unary(Anywhere, x => x.Clone().Sub_(1.5)),
        ["a.Mul_(1.5)"] = Unary(Anywhere, x => x.Clone().Mul_(1.5)),
        ["a.Div_(1.5)"] = Unary(Anywhere, x => x.Clone().Div_(1.5)),
    };

    /// <summary>An in-place op on a clone of a, with b broadcast to a's shape.</summary>
    private static Gen<Case> InPlace(Gen<double> right, Func<Tensor, Tensor, Tensor> op) =>
        from shape in Shape(0, 3)
        from otherShape in BroadcastOperand(shape)
        from a in Leaf(shape, Anywhere)
        from b in Leaf(otherShape, right)
        select new Case([a, b], t => op(t[0].Clone(), t[1]));

    // ---- reductions ----------------------------------------------------------------------------

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

    // ---- linear algebra ------------------------------------------------------------------------

    private static readonly Gen<int> Size = Gen.Int[1, 4];

    public static readonly Dictionary<string, Gen<Case>> LinearAlgebraCases = new()
    {
        ["Dot"] =
            from n in Size
            from a in Leaf([n], Anywhere)
            from b in Leaf([n], Anywhere)
            select new Case([a, b], t => t[0].Dot(t[1])),
        ["Mm"] =
            from n in Size
            from k in Size
            from m in Size
            from a in Leaf([n, k], Anywhere)
            from b in Leaf([k, m], Anywhere)
            select new Case([a, b], t => t[0].Mm(t[1])),
        ["Mm of transposed operands"] =
            from n in Size
            from k in Size
            from m in Size
            from a in Leaf([k, n], Anywhere)
            from b in Leaf([m, k], Anywhere)
            select new Case([a, b], t => t[0].T.Mm(t[1].T)),
        ["Mv"] =
            from n in Size
            from k in Size
            from a in Leaf([n, k], Anywhere)
            from v in Leaf([k], Anywhere)
            select new Case([a, v], t => t[0].Mv(t[1])),
        ["Bmm"] =
            from batch in Size
            from n in Size
            from k in Size
            from m in Size
            from a in Leaf([batch, n, k], Anywhere)
            from b in Leaf([batch, k, m], Anywhere)
            select new Case([a, b], t => t[0].Bmm(t[1])),
        ["MatMul"] =
            from n in Size
            from k in Size
            from m in Size
            from batches in BroadcastPair(maxRank: 2, maxSize: 3)
            from leftKind in Gen.Int[0, 2]
            from rightKind in Gen.Int[0, 2]
            from a in Leaf(MatMulOperand(leftKind, batches[0], [n, k], [k]), Anywhere)
            from b in Leaf(MatMulOperand(rightKind, batches[1], [k, m], [k]), Anywhere)
            select new Case([a, b], t => t[0].MatMul(t[1])),
        ["Addmm(bias, a, b)"] =
            from n in Size
            from k in Size
            from m in Size
            from bias in BroadcastOperand([n, m])
            from inputs in All(new[] { Leaf(bias, Anywhere), Leaf([n, k], Anywhere), Leaf([k, m], Anywhere) })
            select new Case(inputs, t => Tensor.Addmm(t[0], t[1], t[2])),
        ["Linear"] = LinearCase(withBias: false),
        ["Linear with bias"] = LinearCase(withBias: true),
        // A non-contiguous 3-D input takes matmul + bias instead of one addmm.
        ["Linear with bias of a transposed 3-D input"] =
            from batch in Size
            from n in Size
            from inFeatures in Size
            from outFeatures in Size
            from x in Leaf([batch, inFeatures, n], Anywhere)
            from w in Leaf([outFeatures, inFeatures], Anywhere)
            from bias in Leaf([outFeatures], Anywhere)
            select new Case([x, w, bias], t => Tensor.Linear(t[0].Transpose(1, 2), t[1], t[2])),
    };

    /// <summary>A matmul operand: a vector (kind 0), a matrix (1) or a batch of matrices (2).</summary>
    private static long[] MatMulOperand(int kind, long[] batch, long[] matrix, long[] vector) =>
        kind switch { 0 => vector, 1 => matrix, _ => [.. batch, .. matrix] };

    private static Gen<Case> LinearCase(bool withBias) =>
        from leading in Shape(0, 2)
        from inFeatures in Size
        from outFeatures in Size
        from x in Leaf([.. leading, inFeatures], Anywhere)
        from w in Leaf([outFeatures, inFeatures], Anywhere)
        from bias in Leaf([outFeatures], Anywhere)
        select withBias
            ? new Case([x, w, bias], t => Tensor.Linear(t[0], t[1], t[2]))
            : new Case([x, w], t => Tensor.Linear(t[0], t[1]));

    // ---- shape operations ----------------------------------------------------------------------

    public static readonly Dictionary<string, Gen<Case>> ShapeCases = new()
    {
        ["Reshape"] =
            from x in Leaf(Shape(0, 3), Anywhere)
            from target in Rearranged(x.Shape)
            select new Case([x], t => t[0].Reshape(target), Describe("target", target)),
        // A transposed input cannot be viewed: reshape copies (UnsafeViewBackward0).
        ["Reshape of a transposed input"] =
            from x in Leaf(Shape(2, 3), Anywhere)
            from target in Rearranged(x.Shape)
            select new Case([x], t => t[0].Transpose(0, -1).Reshape(target), Describe("target", target)),
        ["View"] =
            from x in Leaf(Shape(0, 3), Anywhere)
            from target in Rearranged(x.Shape)
            select new Case([x], t => t[0].View(target), Describe("target", target)),
        // Every other row is not contiguous, but each row is: the last two dimensions merge.
        ["View of every other row"] =
            Leaf(Shape(3, 3), Anywhere).Select(x => new Case([x], t => t[0].Slice(0, step: 2).View(-1, x.Shape[1] * x.Shape[2]))),
        ["Transpose"] =
            from x in Leaf(Shape(0, 3), Anywhere)
            from dim0 in Dim(x.Shape.Length)
            from dim1 in Dim(x.Shape.Length)
            select new Case([x], t => t[0].Transpose(dim0, dim1), $"dims {dim0}, {dim1}"),
        ["T"] = Unary(Anywhere, x => x.T),
        ["Permute"] =
            from x in Leaf(Shape(0, 3), Anywhere)
            from keys in Gen.Double[0, 1].Array[x.Shape.Length]
            from fromEnd in Gen.Bool.Array[x.Shape.Length]
            let order = RanksOf(keys).Select((d, i) => fromEnd[i] ? d - x.Shape.Length : d).ToArray()
            select new Case([x], t => t[0].Permute(order), $"order [{string.Join(", ", order)}]"),
        // Sizes of 1 are common here so that squeeze has something to remove.
        ["Squeeze()"] = Leaf(Shape(0, 3, maxSize: 2), Anywhere).Select(x => new Case([x], t => t[0].Squeeze())),
        ["Squeeze(dim)"] =
            from x in Leaf(Shape(0, 3, maxSize: 2), Anywhere)
            from dim in Dim(x.Shape.Length)
            select new Case([x], t => t[0].Squeeze(dim), $"dim {dim}"),
        ["Unsqueeze(dim)"] =
            from x in Leaf(Shape(0, 3), Anywhere)
            from dim in Gen.Int[-x.Shape.Length - 1, x.Shape.Length]
            select new Case([x], t => t[0].Unsqueeze(dim), $"dim {dim}"),
        ["Expand"] =
            from x in Leaf(Shape(0, 3, maxSize: 2), Anywhere)
            from leading in Shape(0, 2, maxSize: 3)
            from grown in Gen.Int[1, 3].Array[x.Shape.Length]
            from keepWithMinusOne in Gen.Bool.Array[x.Shape.Length]
            let target = leading.Concat(x.Shape.Select((s, d) => keepWithMinusOne[d] ? -1 : s == 1 ? grown[d] : s)).ToArray()
            select new Case([x], t => t[0].Expand(target), Describe("sizes", target)),
        ["Flatten(start, end)"] =
            from x in Leaf(Shape(0, 3), Anywhere)
            from start in Gen.Int[0, Math.Max(x.Shape.Length - 1, 0)]
            from end in Gen.Int[start, Math.Max(x.Shape.Length - 1, 0)]
            from startFromEnd in Gen.Bool
            from endFromEnd in Gen.Bool
            let rank = Math.Max(x.Shape.Length, 1)
            let startDim = startFromEnd ? start - rank : start
            let endDim = endFromEnd ? end - rank : end
            select new Case([x], t => t[0].Flatten(startDim, endDim), $"start {startDim} end {endDim}"),
        ["Slice(dim, start, end, step)"] =
            from x in Leaf(Shape(1, 3), Anywhere)
            from dim in Dim(x.Shape.Length)
            let size = (int)x.Shape[dim < 0 ? dim + x.Shape.Length : dim]
            from start in Bound(size)
            from end in Bound(size)
            from step in Gen.Int[1, 3]
            select new Case([x], t => t[0].Slice(dim, start, end, step), $"dim {dim} start {start} end {end} step {step}"),
        ["Select(dim, index)"] =
            from x in Leaf(Shape(1, 3), Anywhere)
            from dim in Dim(x.Shape.Length)
            let size = (int)x.Shape[dim < 0 ? dim + x.Shape.Length : dim]
            from index in Gen.Int[-size, size - 1]
            select new Case([x], t => t[0].Select(dim, index), $"dim {dim} index {index}"),
        ["Narrow(dim, start, length)"] =
            from x in Leaf(Shape(1, 3), Anywhere)
            from dim in Dim(x.Shape.Length)
            let size = (int)x.Shape[dim < 0 ? dim + x.Shape.Length : dim]
            from start in Gen.Int[-size, size - 1]
            from length in Gen.Int[0, size - (start < 0 ? start + size : start)]
            select new Case([x], t => t[0].Narrow(dim, start, length), $"dim {dim} start {start} length {length}"),
        ["Indexer"] =
            from x in Leaf(Shape(1, 3), Anywhere)
            from index in PythonIndex(x.Shape)
            select new Case([x], t => t[0][[.. index.Select(i => i.Value)]], $"[{string.Join(", ", index)}]"),
        ["Contiguous of a transposed input"] =
            Leaf(Shape(2, 3), Anywhere).Select(x => new Case([x], t => t[0].Transpose(0, -1).Contiguous())),
        ["Contiguous of a contiguous input"] = Unary(Anywhere, x => x.Contiguous()),
        ["Clone"] = Unary(Anywhere, x => x.Clone()),
        // Repeated positions must add their gradients up. A scalar counts as one position along dim 0.
        ["IndexSelect(dim, index)"] =
            from x in Leaf(Shape(0, 3), Anywhere)
            from dim in Dim(x.Shape.Length)
            let size = x.Shape.Length == 0 ? 1 : (int)x.Shape[dim < 0 ? dim + x.Shape.Length : dim]
            from positions in Gen.Int[0, size - 1].Array[1, x.Shape.Length == 0 ? 1 : 5]
            let index = positions.Select(p => (long)p).ToArray()
            select new Case([x], t => t[0].IndexSelect(dim, Tensor.From(index)), Describe("dim " + dim + " index", index)),
        ["Cat"] =
            from shape in Shape(1, 3)
            from dim in Dim(shape.Length)
            from count in Gen.Int[1, 3]
            from sizes in Size.Array[count]
            from parts in All(sizes.Select(s => Leaf(WithSize(shape, dim, s), Anywhere)))
            select new Case([.. parts], t => Tensor.Cat(t, dim), $"dim {dim}"),
        ["Stack"] =
            from shape in Shape(0, 3)
            from dim in Gen.Int[-shape.Length - 1, shape.Length]
            from count in Gen.Int[1, 3]
            from parts in Leaf(shape, Anywhere).Array[count]
            select new Case(parts, t => Tensor.Stack(t, dim), $"dim {dim}"),
        // To the dtype it already has, To returns the tensor itself.
        ["To(Float64)"] = Unary(Anywhere, x => x.To(DType.Float64).To(DType.Float64) * 2.0),
    };

    private static string Describe(string what, long[] values) => $"{what} [{string.Join(", ", values)}]";

    private static long[] WithSize(long[] shape, int dim, long size)
    {
        var result = (long[])shape.Clone();
        result[dim < 0 ? dim + shape.Length : dim] = size;
        return result;
    }

    /// <summary>Another shape with the same number of elements: the sizes shuffled, 1s inserted, one maybe -1.</summary>
    private static Gen<long[]> Rearranged(long[] shape) =>
        from ones in Gen.Int[0, 2]
        let sizes = shape.Concat(Enumerable.Repeat(1L, ones)).ToArray()
        from keys in Gen.Double[0, 1].Array[sizes.Length]
        from inferred in Gen.Int[-1, sizes.Length - 1]
        select Enumerable.Range(0, sizes.Length).OrderBy(i => keys[i])
                         .Select((i, position) => position == inferred ? -1 : sizes[i]).ToArray();

    /// <summary>A slice bound: none, or a position from before the start to past the end, possibly negative.</summary>
    private static Gen<long?> Bound(int size) =>
        Gen.OneOf<long?>(Gen.Const((long?)null), Gen.Int[-size - 1, size + 1].Select(i => (long?)i));

    /// <summary>
    /// A Python-style index for <paramref name="shape"/>: for some dimensions an integer, a stepped
    /// slice or a C# range, with perhaps an ellipsis standing for the rest and a new axis.
    /// </summary>
    private static Gen<IndexEntry[]> PythonIndex(long[] shape) =>
        from explicitCount in Gen.Int[0, shape.Length]
        from ellipsisAt in Gen.Int[-1, explicitCount]
        // Entries after an ellipsis index the trailing dimensions.
        let dims = Enumerable.Range(0, explicitCount)
                             .Select(i => ellipsisAt >= 0 && i >= ellipsisAt ? shape.Length - (explicitCount - i) : i).ToArray()
        from entries in All(dims.Select(d => IndexEntryFor((int)shape[d])))
        from newAxisAt in Gen.Int[-1, explicitCount + (ellipsisAt >= 0 ? 1 : 0)]
        select WithNewAxis(WithEllipsis(entries, ellipsisAt), newAxisAt);

    private static IndexEntry[] WithEllipsis(IndexEntry[] entries, int at) =>
        at < 0 ? entries : [.. entries[..at], new IndexEntry("...", TensorIndex.Ellipsis), .. entries[at..]];

    private static IndexEntry[] WithNewAxis(IndexEntry[] entries, int at) =>
        at < 0 ? entries : [.. entries[..at], new IndexEntry("None", TensorIndex.NewAxis), .. entries[at..]];

    private static Gen<IndexEntry> IndexEntryFor(int size) => Gen.OneOf<IndexEntry>(
        Gen.Int[-size, size - 1].Select(i => new IndexEntry(i.ToString(), i)),
        from start in Bound(size)
        from stop in Bound(size)
        from step in Gen.Int[1, 3]
        select new IndexEntry($"{start}:{stop}:{step}", TensorIndex.Slice(start, stop, step)),
        // C# ranges: a start counted from the end is ^1..^size (^0 would be Python's 0, not the end).
        from start in Gen.OneOf<System.Index>(Gen.Int[0, size].Select(i => new System.Index(i)), Gen.Int[1, size].Select(i => System.Index.FromEnd(i)))
        from end in Gen.OneOf<System.Index>(Gen.Int[0, size].Select(i => new System.Index(i)), Gen.Int[0, size].Select(i => System.Index.FromEnd(i)))
        select new IndexEntry($"{start}..{end}", new Range(start, end)));

    public sealed record IndexEntry(string Text, TensorIndex Value)
    {
        public override string ToString() => Text;
    }

    // ---- neural-network functions --------------------------------------------------------------

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
        ["CrossEntropy"] = ClassificationLoss(Functional.CrossEntropy),
        // NLL loss is linear in its input, which need not be normalised log-probabilities.
        ["NllLoss"] = ClassificationLoss(Functional.NllLoss),
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

    // ---- second order --------------------------------------------------------------------------

    /// <summary>
    /// Gradgradcheck: the checked function is the first-order gradient, taken with createGraph,
    /// of the op's output weighted by fixed random numbers (so every output element matters with
    /// its own weight), flattened and joined over the inputs.
    /// </summary>
    private static Gen<Case> SecondOrder(Gen<Case> firstOrder) =>
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
        ["Pow(3L)"] = SecondOrder(UnaryCases["Pow(3L)"]),
        ["Pow(2.5)"] = SecondOrder(UnaryCases["Pow(2.5)"]),
        // Like PyTorch's, pow's rule masks the base's gradient to 0 where the exponent is exactly 0
        // (so that a zero base gives 0, not 0 * 0^-1 = NaN); the mask also drops the mixed second
        // derivative d²(a^b)/da db = 1/a there, so torch's own gradgradcheck fails at b = 0 too.
        ["a.Pow(b)"] = SecondOrder(Binary(Positive, AwayFromZero, (a, b) => a.Pow(b))),
        ["Exp"] = SecondOrder(UnaryCases["Exp"]),
        ["Tanh"] = SecondOrder(UnaryCases["Tanh"]),
        ["Sigmoid"] = SecondOrder(UnaryCases["Sigmoid"]),
        ["a * b"] = SecondOrder(BinaryCases["a * b"]),
        ["a / b"] = SecondOrder(BinaryCases["a / b"]),
        ["Log"] = SecondOrder(UnaryCases["Log"]),
        ["Softmax(dim)"] = SecondOrder(NeuralNetworkCases["Softmax(dim)"]),
        ["Gelu"] = SecondOrder(UnaryCases["Gelu"]),
        ["MatMul"] = SecondOrder(LinearAlgebraCases["MatMul"]),
        // The backward rules of views and index_select are themselves differentiated here
        // (scatter into zeros, index_add into zeros); squaring makes their gradients depend on x.
        ["Slice then square"] = SecondOrder(Squared(ShapeCases["Slice(dim, start, end, step)"])),
        ["Select then square"] = SecondOrder(Squared(ShapeCases["Select(dim, index)"])),
        ["Indexer then square"] = SecondOrder(Squared(ShapeCases["Indexer"])),
        ["IndexSelect then square"] = SecondOrder(Squared(ShapeCases["IndexSelect(dim, index)"])),
        ["Cat then square"] = SecondOrder(Squared(ShapeCases["Cat"])),
        ["Expand then square"] = SecondOrder(Squared(ShapeCases["Expand"])),
    };

    // ---- generated data ------------------------------------------------------------------------

    /// <summary>A float64 leaf that requires grad, as generated; made into a tensor on the backend under test.</summary>
    public sealed record Input(long[] Shape, double[] Values)
    {
        public Tensor ToTensor() => Tensor.FromSpan<double>(Values, Shape, requiresGrad: true);

        public override string ToString() =>
            $"[{string.Join(", ", Shape)}] {{{string.Join(", ", Values.Select(v => v.ToString("R")))}}}";
    }

    /// <summary>The inputs, the function of them to check, and its other arguments for the failure report.</summary>
    public sealed record Case(Input[] Inputs, Func<Tensor[], Tensor> Function, string Note = "")
    {
        public override string ToString() =>
            string.Join("; ", Inputs.Select(i => i.ToString())) + (Note.Length > 0 ? $"; {Note}" : "");
    }
}
