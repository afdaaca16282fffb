using NativeGrad.Backends;

namespace NativeGrad.Tests.Backends;

/// <summary>
/// The Gemm kernel on both backends and against its definition, and the op and dtype combinations
/// that every backend must refuse; see <see cref="KernelParityTestBase"/>.
/// </summary>
public unsafe class KernelParityGemmTests : KernelParityTestBase
{
    [Theory]
    [InlineData(DType.Float32, false, false)]
    [InlineData(DType.Float32, true, true)]
    [InlineData(DType.Float64, true, false)]
    [InlineData(DType.Float64, false, true)]
    public void GemmMatches(DType dtype, bool transA, bool transB)
    {
        var random = new System.Random(7);
        foreach (var (m, n, k) in new[] { (0, 3, 2), (1, 1, 1), (3, 5, 0), (7, 33, 9), (17, 18, 19), (2, 70, 3), (70, 41, 520), (5, 1100, 300), (150, 37, 270) })
        {
            foreach (double beta in new[] { 0.0, 0.5 })
            {
                long lda = (transA ? m : k) + 2, ldb = (transB ? k : n) + 1, ldc = n + 3;
                byte[] a = Values(dtype, (int)((transA ? k : m) * lda), random, 2, specials: false);
                byte[] b = Values(dtype, (int)((transB ? n : k) * ldb), random, 2, specials: false);
                byte[] c = Values(dtype, (int)(m * ldc), random, 2, specials: false);
                if (beta == 0 && c.Length > 0) Write(dtype, c, 0, double.NaN); // beta == 0 must not read C
                byte[] expected = RunGemm(Native, dtype, transA, transB, m, n, k, a, lda, b, ldb, beta, c, ldc);
                byte[] actual = RunGemm(Managed, dtype, transA, transB, m, n, k, a, lda, b, ldb, beta, c, ldc);
                double slack = (dtype == DType.Float32 ? 1e-6 : 1e-14) * 4 * (k + 2);
                for (int i = 0; i < m * ldc; i++)
                {
                    // Against native, and against the definition (summed in double) where C is defined.
                    double e = Read(dtype, expected, i), g = Read(dtype, actual, i), reference = Read(dtype, c, i);
                    if (i % ldc < n)
                    {
                        long row = i / ldc, column = i % ldc;
                        double sum = 0;
                        for (long p = 0; p < k; p++)
                            sum += Read(dtype, a, (int)(transA ? p * lda + row : row * lda + p)) * Read(dtype, b, (int)(transB ? column * ldb + p : p * ldb + column));
                        reference = 1.5 * sum + (beta == 0 ? 0 : beta * reference);
                    }
                    Assert.True(e == g || Math.Abs(e - g) <= slack, $"gemm {dtype} {m}x{n}x{k} [{i}]: {e:R} vs {g:R}");
                    Assert.True(Math.Abs(reference - g) <= slack, $"gemm {dtype} {m}x{n}x{k} [{i}]: {g:R}, expected {reference:R}");
                }
            }
        }
    }

    [Theory]
    [InlineData(DType.Float32, false, false, 4, 5, 3)]
    [InlineData(DType.Float32, true, false, 70, 41, 130)]
    [InlineData(DType.Float64, false, true, 9, 33, 17)]
    [InlineData(DType.Float64, true, true, 130, 129, 131)]
    public void GemmBatchedIsGemmPerMember(DType dtype, bool transA, bool transB, int m, int n, int k)
    {
        // Members a few elements apart beyond their extent, and one B shared by all (stride 0).
        const int batch = 3;
        var random = new System.Random(11);
        long lda = (transA ? m : k) + 1, ldb = (transB ? k : n) + 2, ldc = n + 1;
        long strideA = (transA ? k : m) * lda + 3, strideC = m * ldc + 2;
        byte[] a = Values(dtype, (int)(batch * strideA), random, 2, specials: false);
        byte[] b = Values(dtype, (int)((transB ? n : k) * ldb), random, 2, specials: false);
        byte[] c = Values(dtype, (int)(batch * strideC), random, 2, specials: false);
        int size = dtype.SizeOf();
        foreach (var kernels in new[] { Native, Managed })
        {
            byte[] batched = (byte[])c.Clone(), perMember = (byte[])c.Clone();
            fixed (byte* pa = a, pb = b, pc = batched, pm = perMember)
            {
                kernels.GemmBatched(dtype, transA, transB, m, n, k, batch, 0.5, pa, lda, strideA, pb, ldb, 0, 2, pc, ldc, strideC);
                for (int i = 0; i < batch; i++)
                    kernels.Gemm(dtype, transA, transB, m, n, k, 0.5, pa + i * strideA * size, lda, pb, ldb, 2, pm + i * strideC * size, ldc);
            }
            Assert.Equal(perMember, batched);
        }
    }

    public static TheoryData<BackendKind, string> UnsupportedCases()
    {
        var data = new TheoryData<BackendKind, string>();
        foreach (var kind in new[] { BackendKind.Native, BackendKind.Managed })
            foreach (var name in new[] { "exp int64", "neg bool", "div int64", "add bool", "sum bool", "gemm int64" })
                data.Add(kind, name);
        return data;
    }

    [Theory]
    [MemberData(nameof(UnsupportedCases))]
    public void UnsupportedCombinationsThrow(BackendKind kind, string name)
    {
        var kernels = Backend.KernelsFor(kind);
        var buffer = new byte[64];
        long[] shape = [2], strides = [1];
        var error = Assert.Throws<NotSupportedException>(() =>
        {
            fixed (byte* p = buffer)
            {
                switch (name)
                {
                    case "exp int64": kernels.Unary(UnaryOp.Exp, DType.Int64, p, p, 2); break;
                    case "neg bool": kernels.Unary(UnaryOp.Neg, DType.Bool, p, p, 2); break;
                    case "div int64": kernels.Binary(BinaryOp.Div, DType.Int64, shape, p, strides, p, strides, p + 32); break;
                    case "add bool": kernels.Binary(BinaryOp.Add, DType.Bool, shape, p, strides, p, strides, p + 32); break;
                    case "sum bool": kernels.Reduce(ReduceOp.Sum, DType.Bool, p, 1, 2, p + 32, null); break;
                    default: kernels.Gemm(DType.Int64, false, false, 1, 1, 1, 1, p, 1, p + 8, 1, 0, p + 16, 1); break;
                }
            }
        });
        if (kind == BackendKind.Managed)
        {
            string[] parts = name.Split(' ');
            Assert.Contains(parts[0], error.Message, StringComparison.OrdinalIgnoreCase);
            Assert.Contains(parts[1], error.Message, StringComparison.OrdinalIgnoreCase);
        }
    }

    private static byte[] RunGemm(IKernels kernels, DType dtype, bool transA, bool transB, long m, long n, long k,
                                  byte[] a, long lda, byte[] b, long ldb, double beta, byte[] c, long ldc)
    {
        byte[] result = (byte[])c.Clone();
        fixed (byte* pa = a, pb = b, pc = result)
            kernels.Gemm(dtype, transA, transB, m, n, k, 1.5, pa, lda, pb, ldb, beta, pc, ldc);
        return result;
    }
}
