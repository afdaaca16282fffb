using NativeGrad.Backends;

namespace NativeGrad.Tests.Backends;

/// <summary>The native and managed kernels compute the same results through the same Tensor API.</summary>
public unsafe class BackendTests
{
    public static TheoryData<BackendKind> Kinds => new() { BackendKind.Native, BackendKind.Managed };

    [Theory]
    [MemberData(nameof(Kinds))]
    public void AddAndMulMatchPlainArithmetic(BackendKind kind)
    {
        using var scope = Backend.Use(kind);
        Assert.Equal(kind, Backend.Current);
        for (int length = 0; length <= 70; length++)
        {
            var a = Enumerable.Range(0, length).Select(i => i * 0.5f - 3).ToArray();
            var b = Enumerable.Range(0, length).Select(i => 1.25f * i + 0.75f).ToArray();
            using var x = Tensor.FromArray(a);
            using var y = Tensor.FromArray(b);
            using var sum = x + y;
            using var product = x * y;
            Assert.Equal(a.Zip(b, (p, q) => p + q), sum.ToArray());
            Assert.Equal(a.Zip(b, (p, q) => p * q), product.ToArray());
        }
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void ShapeAndDTypeMismatchesThrowPyTorchsMessages(BackendKind kind)
    {
        using var scope = Backend.Use(kind);
        using var x = Tensor.FromArray([1f, 2f, 3f]);
        using var y = Tensor.FromArray([1f, 2f, 3f, 4f]);
        var error = Assert.Throws<ArgumentException>(() => x + y);
        Assert.Equal("The size of tensor a (3) must match the size of tensor b (4) at non-singleton dimension 0", error.Message);
        var bad = Assert.Throws<ArgumentException>(() => Tensor.FromArray([1f, 2f, 3f], 2, 2));
        Assert.Equal("shape '[2, 2]' is invalid for input of size 3", bad.Message);
    }

    [Theory]
    [InlineData(false, false)]
    [InlineData(true, false)]
    [InlineData(false, true)]
    [InlineData(true, true)]
    public void GemmAgreesAcrossBackends(bool transA, bool transB)
    {
        var random = new System.Random(7);
        foreach (var (m, n, k) in new[] { (0, 3, 2), (1, 1, 1), (3, 5, 4), (7, 33, 9), (17, 18, 19) })
        {
            double[] a = Fill(m * k), b = Fill(k * n), cNative = Fill(m * n), cManaged = (double[])cNative.Clone();
            long lda = transA ? m : k, ldb = transB ? k : n;
            fixed (double* pa = a, pb = b, pn = cNative, pm = cManaged)
            {
                Backend.KernelsFor(BackendKind.Native).Gemm(DType.Float64, transA, transB, m, n, k, 1.5, pa, lda, pb, ldb, 0.5, pn, n);
                Backend.KernelsFor(BackendKind.Managed).Gemm(DType.Float64, transA, transB, m, n, k, 1.5, pa, lda, pb, ldb, 0.5, pm, n);
            }
            for (int i = 0; i < cNative.Length; i++)
                Assert.Equal(cNative[i], cManaged[i], 1e-12);
        }

        double[] Fill(int count) => Enumerable.Range(0, count).Select(_ => random.NextDouble() - 0.5).ToArray();
    }

    [Fact]
    public void NativeIsTheDefaultWhenItLoads()
    {
        Assert.True(Backend.IsNativeAvailable, NativeGrad.Native.NativeLibraryLoader.UnavailableReason);
        if (Environment.GetEnvironmentVariable(Backend.Variable) is null)
            Assert.Equal(BackendKind.Native, Backend.Default);
    }
}
