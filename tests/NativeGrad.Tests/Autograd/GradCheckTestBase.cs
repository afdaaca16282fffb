using CsCheck;
using NativeGrad.Backends;

namespace NativeGrad.Tests.Autograd;

/// <summary>
/// Autograd.GradCheck (every backward rule against float64 central differences) over every
/// differentiable op, at random small shapes (each dimension 1..4) and random values drawn by
/// CsCheck, on both backends. Where an op is not differentiable (a kink, a tie, a pole) the inputs
/// stay well away from that point: a finite difference straddling it estimates neither one-sided
/// derivative, so a failure there would say nothing about the backward rule.
/// The tests are split by kind of op (<see cref="GradCheckUnaryTests"/>, <see cref="GradCheckBinaryTests"/>,
/// <see cref="GradCheckReductionTests"/>, <see cref="GradCheckLinearAlgebraTests"/>,
/// <see cref="GradCheckShapeTests"/>, <see cref="GradCheckNeuralNetworkTests"/>,
/// <see cref="GradCheckSecondOrderTests"/>), with <see cref="GradCheckRejectionTests"/> checking that
/// GradCheck does fail on a wrong gradient; this class holds the generators and the check they share.
/// </summary>
public abstract class GradCheckTestBase
{
    protected const int Iterations = 20;

    private static readonly BackendKind[] AllBackends = [BackendKind.Native, BackendKind.Managed];

    public static TheoryData<BackendKind> Backends => [.. AllBackends];

    protected static void Check(BackendKind backend, Gen<Case> cases, double eps = 1e-6) =>
        cases.Sample(c =>
        {
            using var scope = Backend.Use(backend);
            NativeGrad.Autograd.GradCheck(c.Function, c.Inputs.Select(i => i.ToTensor()).ToArray(), eps);
        }, iter: Iterations);

    /// <summary>Every backend with every op in <paramref name="cases"/>, for a theory's MemberData.</summary>
    protected static TheoryData<BackendKind, string> Names(Dictionary<string, Gen<Case>> cases)
    {
        var data = new TheoryData<BackendKind, string>();
        foreach (var backend in AllBackends)
            foreach (var name in cases.Keys)
                data.Add(backend, name);
        return data;
    }

    // ---- value domains -------------------------------------------------------------------------

    protected static readonly Gen<double> Anywhere = Gen.Double[-2, 2];

    protected static readonly Gen<double> Positive = Gen.Double[0.2, 3];

    // Magnitudes from 0.3: kinks (abs, relu) and poles (1/x) sit at 0.
    protected static readonly Gen<double> AwayFromZero =
        from magnitude in Gen.Double[0.3, 2]
        from negative in Gen.Bool
        select negative ? -magnitude : magnitude;

    // Clamp(-0.5, 0.5) has kinks at its bounds; stay 0.1 away from both.
    protected static readonly Gen<double> AwayFromClampBounds =
        Gen.OneOf<double>(Gen.Double[-2, -0.6], Gen.Double[-0.4, 0.4], Gen.Double[0.6, 2]);

    // Probabilities for binary cross-entropy targets.
    protected static readonly Gen<double> Probability = Gen.Double[0, 1];

    /// <summary>
    /// <paramref name="count"/> values in random order, at least 0.05 apart: max, min, maximum and
    /// minimum are not differentiable at ties, where the gradient is split.
    /// </summary>
    protected static Gen<double[]> Distinct(int count) =>
        from keys in Gen.Double[0, 1].Array[count]
        from jitter in Gen.Double[0, 0.05].Array[count]
        select RanksOf(keys).Select((rank, i) => (rank - count / 2.0) * 0.1 + jitter[i]).ToArray();

    protected static int[] RanksOf(double[] keys)
    {
        var ranks = new int[keys.Length];
        var order = Enumerable.Range(0, keys.Length).OrderBy(i => keys[i]).ToArray();
        for (int rank = 0; rank < order.Length; rank++) ranks[order[rank]] = rank;
        return ranks;
    }

    // ---- shapes and inputs ---------------------------------------------------------------------

    protected static Gen<long[]> Shape(int minRank, int maxRank, int maxSize = 4) =>
        from rank in Gen.Int[minRank, maxRank]
        from sizes in Gen.Int[1, maxSize].Array[rank]
        select sizes.Select(s => (long)s).ToArray();

    protected static long Count(long[] shape) => shape.Aggregate(1L, (n, s) => n * s);

    protected static Gen<Input> Leaf(long[] shape, Gen<double> values) =>
        values.Array[(int)Count(shape)].Select(v => new Input(shape, v));

    protected static Gen<Input> Leaf(Gen<long[]> shape, Gen<double> values) => shape.SelectMany(s => Leaf(s, values));

    /// <summary>Leaves of the given shapes whose values, taken all together, are distinct.</summary>
    protected static Gen<Input[]> DistinctLeaves(params long[][] shapes) =>
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
    protected static Gen<long[][]> BroadcastPair(int maxRank = 3, int maxSize = 4) =>
        from full in Shape(0, maxRank, maxSize)
        from a in BroadcastOperand(full)
        from b in BroadcastOperand(full)
        select new[] { a, b };

    protected static Gen<long[]> BroadcastOperand(long[] full) =>
        from dropped in Gen.Int[0, full.Length]
        from keep in Gen.Int[0, 2].Array[full.Length]
        select full.Select((size, d) => keep[d] == 0 ? 1L : size).Skip(dropped).ToArray();

    /// <summary>A dimension of a tensor of <paramref name="rank"/>, spelled from the start or from the end.</summary>
    protected static Gen<int> Dim(int rank) => Gen.Int[-Math.Max(rank, 1), Math.Max(rank, 1) - 1];

    /// <summary>A non-empty set of distinct dimensions in random order, each spelled from the start or the end.</summary>
    protected static Gen<long[]> Dims(int rank) =>
        rank == 0 ? Gen.OneOf<long[]>(Gen.Const(new long[] { 0 }), Gen.Const(new long[] { -1 })) :
        from chosen in Gen.Bool.Array[rank].Where(c => c.Any(b => b))
        from fromEnd in Gen.Bool.Array[rank]
        from keys in Gen.Double[0, 1].Array[rank]
        select Enumerable.Range(0, rank).Where(d => chosen[d]).OrderBy(d => keys[d])
                         .Select(d => fromEnd[d] ? (long)(d - rank) : d).ToArray();

    /// <summary>One value of each generator, in order.</summary>
    protected static Gen<T[]> All<T>(IEnumerable<Gen<T>> gens) =>
        gens.Aggregate(Gen.Const(Array.Empty<T>()), (all, gen) => from values in all from value in gen select (T[])[.. values, value]);

    protected static Gen<Case> Unary(Gen<double> domain, Func<Tensor, Tensor> op) =>
        Leaf(Shape(0, 3), domain).Select(x => new Case([x], t => op(t[0])));

    protected static Gen<Case> Binary(Gen<double> left, Gen<double> right, Func<Tensor, Tensor, Tensor> op) =>
        from shapes in BroadcastPair()
        from a in Leaf(shapes[0], left)
        from b in Leaf(shapes[1], right)
        select new Case([a, b], t => op(t[0], t[1]));

    protected static Gen<Case> BinaryWithoutTies(Func<Tensor, Tensor, Tensor> op) =>
        from shapes in BroadcastPair()
        from leaves in DistinctLeaves(shapes)
        select new Case(leaves, t => op(t[0], t[1]));

    // The size of a dimension a case picks itself (matrices, batches, classes, parts of a cat).
    protected static readonly Gen<int> Size = Gen.Int[1, 4];

    protected static string Describe(string what, long[] values) => $"{what} [{string.Join(", ", values)}]";

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
