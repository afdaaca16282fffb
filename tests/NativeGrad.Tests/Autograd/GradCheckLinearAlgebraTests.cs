using CsCheck;
using NativeGrad.Backends;

namespace NativeGrad.Tests.Autograd;

/// <summary>
/// GradCheck over dot, mm, mv, bmm, matmul, addmm and linear; see <see cref="GradCheckTestBase"/>.
/// </summary>
public class GradCheckLinearAlgebraTests : GradCheckTestBase
{
    public static TheoryData<BackendKind, string> LinearAlgebraOps => Names(LinearAlgebraCases);

    [Theory]
    [MemberData(nameof(LinearAlgebraOps))]
    public void LinearAlgebraGradientsMatchFiniteDifferences(BackendKind backend, string op) => Check(backend, LinearAlgebraCases[op]);

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
}
