namespace NativeGrad.Conformance;

public static partial class OpTable
{
    /// <summary>tests/data/parity/linalg: linear algebra and comparison helpers.</summary>
    private static Dictionary<string, Op> LinalgOps => new()
    {
        ["outer"] = (x, _) => Tensor.Outer(x[0], x[1]),
        ["kron"] = (x, _) => Tensor.Kron(x[0], x[1]),
        // "transpose": the case passes the matrix's transpose (a strided operand).
        ["trace"] = (x, a) => (a.Bool("transpose") ? x[0].T : x[0]).Trace(),
        ["addmv"] = (x, a) => Tensor.Addmv(x[0], a.Bool("transpose") ? x[1].T : x[1], x[2], a.Double("beta", 1), a.Double("alpha", 1)),
        ["baddbmm"] = (x, a) => Tensor.Baddbmm(x[0], x[1], x[2], a.Double("beta", 1), a.Double("alpha", 1)),
        ["einsum"] = (x, a) => Tensor.Einsum(a.String("equation"), x),
        ["isclose"] = (x, a) => x[0].IsClose(x[1], a.Double("rtol", 1e-05), a.Double("atol", 1e-08), a.Bool("equal_nan")),
        ["allclose"] = (x, a) => Tensor.From(x[0].AllClose(x[1], a.Double("rtol", 1e-05), a.Double("atol", 1e-08), a.Bool("equal_nan"))),
        ["equal"] = (x, _) => Tensor.From(x[0].Equal(x[1])),
    };
}
