using NativeGrad.Backends;

namespace NativeGrad.Tests.Ops;

/// <summary>int64 matrix products, exact with wrap-around as in PyTorch (expected values from torch 1.13).</summary>
public class IntegerMatMulTests
{
    public static TheoryData<BackendKind> Kinds => [BackendKind.Native, BackendKind.Managed];

    private static readonly long[,] A = { { 5, 8, 1, 1 }, { -9, -2, 7, -3 }, { 0, 5, 0, -5 } };
    private static readonly long[,] B = { { 7, -6 }, { -3, -4 }, { 4, -2 }, { 3, 4 } };

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Mm_mv_and_dot_of_int64_are_exact(BackendKind kind)
    {
        using var scope = Backend.Use(kind);
        var a = Tensor.From(A);
        var b = Tensor.From(B);
        Assert.Equal([18, -60, -38, 36, -30, -40], a.MatMul(b).ToArray<long>());
        Assert.Equal(DType.Int64, a.MatMul(b).DType);
        Assert.Equal([18, -38, -30], a.Mv(b.Select(1, 0)).ToArray<long>());
        Assert.Equal(-57, a.Select(0, 0).Dot(a.Select(0, 1)).Item<long>());
        Assert.Equal(-4611686018427387904, Tensor.From(new[,] { { 1L << 62, 1L << 62 } }).Mm(Tensor.From(new[,] { { 2L }, { 1L } })).Item<long>());
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Bmm_of_int64_beyond_the_small_loop_is_exact(BackendKind kind)
    {
        using var scope = Backend.Use(kind);
        var a = (Tensor.Arange(2L * 8 * 8) - 60L).Reshape(2, 8, 8);
        var product = a.Bmm(a.Transpose(1, 2));
        Assert.Equal(1066496, product.Sum().Item<long>());
        Assert.Equal(16044, product[1, 7, 3].Item<long>());
        Assert.Equal(25580, product[0, 0, 0].Item<long>());
    }

    [Fact]
    public void Bool_matmul_is_rejected_as_in_pytorch()
    {
        var t = Tensor.Ones([2, 2], DType.Bool);
        Assert.Equal("\"addmm_impl_cpu_\" not implemented for 'Bool'", Assert.Throws<NotSupportedException>(() => t.Mm(t)).Message);
    }
}
