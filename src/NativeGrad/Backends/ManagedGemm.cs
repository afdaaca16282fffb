using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace NativeGrad.Backends;

/// <summary>
/// GEMM in the GotoBLAS / BLIS shape: op(B) is packed in KC x NC blocks of NR-column panels and
/// op(A) in MC x KC blocks of MR-row panels (packing also applies the transposes), and a
/// micro-kernel (<see cref="IGemmTile{T}"/>: 8 x 32 floats with AVX-512, 6 x 16 with AVX2) keeps
/// an MR x NR tile of C in registers for a whole KC-deep panel, so each loaded B vector is used MR
/// times and C is touched once per panel. C is scaled by beta first (cleared when beta == 0, so it
/// is not read, as in BLAS); alpha is applied when a tile is added to C.
/// </summary>
internal static unsafe class ManagedGemm
{
    private const int KC = 256;         // depth of a packed panel: a 32-float-wide B panel is 32 KiB
    private const int PanelsPerMC = 16; // MC = 16 MR-row panels: 128 x 256 floats (128 KiB, in L2) at MR = 8
    private const int NC = 1024;        // columns of op(B) packed at a time (1 MiB of floats)

    /// <summary>C = alpha * op(A) @ op(B) + beta * C, row-major; beta == 0 does not read C.</summary>
    public static void Gemm<T>(bool transA, bool transB, long m, long n, long k,
                               T alpha, T* a, long lda, T* b, long ldb, T beta, T* c, long ldc)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (n > int.MaxValue)
            throw new ArgumentOutOfRangeException(nameof(n), n, "The managed GEMM supports at most int.MaxValue columns.");
        for (long i = 0; i < m; i++)
        {
            var row = new Span<T>(c + i * ldc, (int)n);
            if (beta == T.Zero) row.Clear();
            else if (beta != T.One) TensorPrimitives.Multiply(row, beta, row);
        }
        if (m == 0 || n == 0 || k == 0 || alpha == T.Zero) return;
        if (Avx512F.IsSupported && Vector512.IsHardwareAccelerated)
            Blocked<T, Tile512<T>>(transA, transB, m, n, k, alpha, a, lda, b, ldb, c, ldc);
        else if (Vector256.IsHardwareAccelerated)
            Blocked<T, Tile256<T>>(transA, transB, m, n, k, alpha, a, lda, b, ldb, c, ldc);
        else
            RowAtATime(transA, transB, m, n, k, alpha, a, lda, b, ldb, c, ldc);
    }

    private static void Blocked<T, TTile>(bool transA, bool transB, long m, long n, long k,
                                          T alpha, T* a, long lda, T* b, long ldb, T* c, long ldc)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TTile : IGemmTile<T>
    {
        int mr = TTile.Rows, nr = TTile.Columns;
        // Buffers as large as this problem needs, not the full blocks: small GEMMs (an MLP's
        // layers, n = 64) then get small allocations that malloc serves from its free lists.
        int mcMax = (int)Math.Min(mr * PanelsPerMC, RoundUp(m, mr));
        int kcMax = (int)Math.Min(KC, k);
        int ncMax = (int)Math.Min(NC, RoundUp(n, nr));
        var packedA = (T*)NativeMemory.AlignedAlloc((nuint)(mcMax * kcMax * sizeof(T)), 64);
        var packedB = (T*)NativeMemory.AlignedAlloc((nuint)(kcMax * ncMax * sizeof(T)), 64);
        try
        {
            for (long jc = 0; jc < n; jc += NC)
            {
                int nc = (int)Math.Min(NC, n - jc);
                for (long pc = 0; pc < k; pc += KC)
                {
                    int kc = (int)Math.Min(KC, k - pc);
                    PackB(transB, b, ldb, pc, jc, kc, nc, nr, packedB);
                    for (long ic = 0; ic < m; ic += mcMax)
                    {
                        int mc = (int)Math.Min(mcMax, m - ic);
                        PackA(transA, a, lda, ic, pc, mc, kc, mr, packedA);
                        for (int ir = 0; ir < mc; ir += mr)
                        {
                            for (int jr = 0; jr < nc; jr += nr)
                            {
                                TTile.Multiply(kc, packedA + ir * kc, packedB + jr * kc, alpha, c + (ic + ir) * ldc + jc + jr, ldc,
                                               Math.Min(mr, mc - ir), Math.Min(nr, nc - jr));
                            }
                        }
                    }
                }
            }
        }
        finally
        {
            NativeMemory.AlignedFree(packedA);
            NativeMemory.AlignedFree(packedB);
        }
    }

    private static long RoundUp(long value, int multiple) => (value + multiple - 1) / multiple * multiple;

    // Without 256-bit vectors (Arm64), TensorPrimitives' 128-bit code beats emulated Vector256: each
    // row of C accumulates alpha * A[i,p] * (row p of op(B)), with op(B) packed when transposed.
    private static void RowAtATime<T>(bool transA, bool transB, long m, long n, long k,
                                      T alpha, T* a, long lda, T* b, long ldb, T* c, long ldc)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        T[]? packedB = null;
        if (transB)
        {
            packedB = new T[checked(k * n)];
            for (long j = 0; j < n; j++)
                for (long p = 0; p < k; p++)
                    packedB[p * n + j] = b[j * ldb + p];
        }
        // Each row's products are summed apart from C and then added once, as the tiled paths do.
        var sums = new T[n];
        for (long i = 0; i < m; i++)
        {
            var cRow = new Span<T>(c + i * ldc, (int)n);
            Array.Clear(sums);
            for (long p = 0; p < k; p++)
            {
                T scale = alpha * (transA ? a[p * lda + i] : a[i * lda + p]);
                ReadOnlySpan<T> bRow = packedB is null ? new ReadOnlySpan<T>(b + p * ldb, (int)n) : packedB.AsSpan((int)(p * n), (int)n);
                TensorPrimitives.MultiplyAdd(bRow, scale, sums, sums);
            }
            TensorPrimitives.Add(cRow, sums, cRow);
        }
    }

    // Packs op(A)[ic .. ic+mc, pc .. pc+kc] as mr-row panels, each kc x mr (row p holds the mr
    // values of column p), zero-padded past mc so the micro-kernel never branches on the edge.
    // Both layouts read A along its rows: op(A) row by row, or (transposed) mr-long runs of a row
    // of A for each p, instead of a gather down a column.
    private static void PackA<T>(bool transA, T* a, long lda, long ic, long pc, int mc, int kc, int mr, T* packed)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int ir = 0; ir < mc; ir += mr)
        {
            T* panel = packed + ir * kc;
            int height = Math.Min(mr, mc - ir);
            if (transA)
            {
                for (int p = 0; p < kc; p++)
                {
                    var destination = new Span<T>(panel + p * mr, mr);
                    new ReadOnlySpan<T>(a + (pc + p) * lda + ic + ir, height).CopyTo(destination);
                    destination[height..].Clear();
                }
                continue;
            }
            for (int r = 0; r < mr; r++)
            {
                if (r >= height)
                {
                    for (int p = 0; p < kc; p++) panel[p * mr + r] = T.Zero;
                    continue;
                }
                T* row = a + (ic + ir + r) * lda + pc;
                for (int p = 0; p < kc; p++) panel[p * mr + r] = row[p];
            }
        }
    }

    // Packs op(B)[pc .. pc+kc, jc .. jc+nc] as nr-column panels, each kc x nr, zero-padded past nc.
    // Transposed, column j of the panel is a contiguous run of row j of B, written down the panel
    // (which stays in L1) rather than gathered across kc rows of B.
    private static void PackB<T>(bool transB, T* b, long ldb, long pc, long jc, int kc, int nc, int nr, T* packed)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int jr = 0; jr < nc; jr += nr)
        {
            T* panel = packed + jr * kc;
            int width = Math.Min(nr, nc - jr);
            if (transB)
            {
                if (width < nr)
                    new Span<T>(panel, kc * nr).Clear();
                for (int j = 0; j < width; j++)
                {
                    T* row = b + (jc + jr + j) * ldb + pc;
                    for (int p = 0; p < kc; p++) panel[p * nr + j] = row[p];
                }
                continue;
            }
            for (int p = 0; p < kc; p++)
            {
                var destination = new Span<T>(panel + p * nr, nr);
                new ReadOnlySpan<T>(b + (pc + p) * ldb + jc + jr, width).CopyTo(destination);
                destination[width..].Clear();
            }
        }
    }
}
