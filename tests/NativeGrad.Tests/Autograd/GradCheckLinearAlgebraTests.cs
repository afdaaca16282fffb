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

    // Declared before the cases, which read it as they are initialised.
    private static readonly string[] EinsumEquations =
        ["ij,jk->ik", "bij,bjk->bik", "ii->i", "iji->j", "i,j->ij", "ij,ij->", "bn,anm,bm->ba", "...ij,...jk", "ij->ji", "ijk,jkl->il"];

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
        ["Outer"] =
            from n in Size
            from m in Size
            from a in Leaf([n], Anywhere)
            from b in Leaf([m], Anywhere)
            select new Case([a, b], t => t[0].Outer(t[1])),
        ["Kron"] =
            from a in Leaf(Shape(0, 3, maxSize: 3), Anywhere)
            from b in Leaf(Shape(0, 3, maxSize: 3), Anywhere)
            select new Case([a, b], t => t[0].Kron(t[1])),
        // Tall, wide and square: the gradient is the diagonal whatever the shape.
        ["Trace"] =
            from n in Size
            from m in Size
            from a in Leaf([n, m], Anywhere)
            select new Case([a], t => t[0].Trace()),
        ["Addmv"] =
            from n in Size
            from k in Size
            from broadcast in Gen.Bool
            from beta in Gen.Double[-2, 2]
            from alpha in Gen.Double[-2, 2]
            from input in Leaf(broadcast ? [1] : [n], Anywhere)
            from mat in Leaf([n, k], Anywhere)
            from vec in Leaf([k], Anywhere)
            select new Case([input, mat, vec], t => Tensor.Addmv(t[0], t[1], t[2], beta, alpha), $"beta {beta}, alpha {alpha}"),
        ["Baddbmm"] =
            from batch in Size
            from n in Size
            from k in Size
            from m in Size
            from beta in Gen.Double[-2, 2]
            from alpha in Gen.Double[-2, 2]
            from input in Leaf([n, m], Anywhere)
            from b1 in Leaf([batch, n, k], Anywhere)
            from b2 in Leaf([batch, k, m], Anywhere)
            select new Case([input, b1, b2], t => Tensor.Baddbmm(t[0], t[1], t[2], beta, alpha), $"beta {beta}, alpha {alpha}"),
        ["Einsum"] =
            from equation in Gen.OneOf(EinsumEquations.Select(Gen.Const).ToArray())
            from sizes in Gen.Int[1, 3].Array[8]
            from operands in All(EinsumShapes(equation, sizes).Select(s => Leaf(s, Anywhere)))
            select new Case(operands, t => Tensor.Einsum(equation, t), equation),
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

    // Operand shapes for an equation: label l has size sizes[l % 8]; an ellipsis covers two dims.
    private static long[][] EinsumShapes(string equation, int[] sizes) =>
        equation.Split("->")[0].Split(',')
            .Select(operand => operand.Replace("...", "#").SelectMany(c => c == '#' ? [2L, 3L] : new[] { (long)sizes[(c - 'a') % 8] }).ToArray())
            .ToArray();
}
