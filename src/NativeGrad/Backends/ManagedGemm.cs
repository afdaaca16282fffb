using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace NativeGrad.Backends;

/// <summary>
/// GEMM in the GotoBLAS / BLIS shape: op(B) is packed in KC x NC blocks of NR-column panels and
/// op(A) in MC x KC blocks of MR-row panels (packing also applies the transposes), and a Vector256
/// micro-kernel keeps an MR x NR tile of C in registers for a whole KC-deep panel, so each loaded
/// B vector is used MR times and C is touched once per panel. C is scaled by beta first (cleared
/// when beta == 0, so it is not read, as in BLAS); alpha is applied when a tile is added to C.
/// </summary>
internal static unsafe class ManagedGemm
{
    private const int MR = 4;     // rows of a register tile
    private const int KC = 256;   // depth of a packed panel: an NR-wide B panel of floats is 16 KiB
    private const int MC = 64;    // rows of op(A) packed at a time (64 KiB of floats, in L2)
    private const int NC = 1024;  // columns of op(B) packed at a time (1 MiB of floats)

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
        if (!Vector256.IsHardwareAccelerated)
        {
            RowAtATime(transA, transB, m, n, k, alpha, a, lda, b, ldb, c, ldc);
            return;
        }

        int nr = 2 * Vector256<T>.Count;
        var packedA = (T*)NativeMemory.AlignedAlloc((nuint)(MC * KC * sizeof(T)), 64);
        var packedB = (T*)NativeMemory.AlignedAlloc((nuint)(KC * NC * sizeof(T)), 64);
        try
        {
            for (long jc = 0; jc < n; jc += NC)
            {
                int nc = (int)Math.Min(NC, n - jc);
                for (long pc = 0; pc < k; pc += KC)
                {
                    int kc = (int)Math.Min(KC, k - pc);
                    PackB(transB, b, ldb, pc, jc, kc, nc, nr, packedB);
                    for (long ic = 0; ic < m; ic += MC)
                    {
                        int mc = (int)Math.Min(MC, m - ic);
                        PackA(transA, a, lda, ic, pc, mc, kc, packedA);
                        for (int jr = 0; jr < nc; jr += nr)
                        {
                            for (int ir = 0; ir < mc; ir += MR)
                            {
                                Tile(kc, packedA + ir * kc, packedB + jr * kc, alpha, c + (ic + ir) * ldc + jc + jr, ldc,
                                     Math.Min(MR, mc - ir), Math.Min(nr, nc - jr));
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
        for (long i = 0; i < m; i++)
        {
            var cRow = new Span<T>(c + i * ldc, (int)n);
            for (long p = 0; p < k; p++)
            {
                T scale = alpha * (transA ? a[p * lda + i] : a[i * lda + p]);
                ReadOnlySpan<T> bRow = packedB is null ? new ReadOnlySpan<T>(b + p * ldb, (int)n) : packedB.AsSpan((int)(p * n), (int)n);
                TensorPrimitives.MultiplyAdd(bRow, scale, cRow, cRow);
            }
        }
    }

    // Packs op(A)[ic .. ic+mc, pc .. pc+kc] as MR-row panels, each kc x MR (row p holds the MR
    // values of column p), zero-padded past mc so the micro-kernel never branches on the edge.
    private static void PackA<T>(bool transA, T* a, long lda, long ic, long pc, int mc, int kc, T* packed)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int ir = 0; ir < mc; ir += MR)
        {
            T* panel = packed + ir * kc;
            for (int r = 0; r < MR; r++)
            {
                long i = ic + ir + r;
                if (ir + r >= mc)
                {
                    for (int p = 0; p < kc; p++) panel[p * MR + r] = T.Zero;
                }
                else if (transA)
                {
                    for (int p = 0; p < kc; p++) panel[p * MR + r] = a[(pc + p) * lda + i];
                }
                else
                {
                    T* row = a + i * lda + pc;
                    for (int p = 0; p < kc; p++) panel[p * MR + r] = row[p];
                }
            }
        }
    }

    // Packs op(B)[pc .. pc+kc, jc .. jc+nc] as nr-column panels, each kc x nr, zero-padded past nc.
    private static void PackB<T>(bool transB, T* b, long ldb, long pc, long jc, int kc, int nc, int nr, T* packed)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int jr = 0; jr < nc; jr += nr)
        {
            T* panel = packed + jr * kc;
            int width = Math.Min(nr, nc - jr);
            for (int p = 0; p < kc; p++)
            {
                var destination = new Span<T>(panel + p * nr, nr);
                if (transB)
                {
                    // op(B)[p, j] = B[j, p]: a gather along a column of B.
                    T* column = b + (jc + jr) * ldb + pc + p;
                    for (int j = 0; j < width; j++) destination[j] = column[j * ldb];
                }
                else
                {
                    new ReadOnlySpan<T>(b + (pc + p) * ldb + jc + jr, width).CopyTo(destination);
                }
                destination[width..].Clear();
            }
        }
    }

    // One MR x nr tile: accumulates kc rank-1 updates in eight registers, then adds alpha times the
    // tile to C (the rows and columns that exist, at the edges).
    private static void Tile<T>(int kc, T* a, T* b, T alpha, T* c, long ldc, int rows, int columns)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int w = Vector256<T>.Count;
        Vector256<T> c00 = default, c01 = default, c10 = default, c11 = default;
        Vector256<T> c20 = default, c21 = default, c30 = default, c31 = default;
        for (int p = 0; p < kc; p++)
        {
            var b0 = Vector256.Load(b);
            var b1 = Vector256.Load(b + w);
            var a0 = Vector256.Create(a[0]);
            c00 = MultiplyAdd(a0, b0, c00);
            c01 = MultiplyAdd(a0, b1, c01);
            var a1 = Vector256.Create(a[1]);
            c10 = MultiplyAdd(a1, b0, c10);
            c11 = MultiplyAdd(a1, b1, c11);
            var a2 = Vector256.Create(a[2]);
            c20 = MultiplyAdd(a2, b0, c20);
            c21 = MultiplyAdd(a2, b1, c21);
            var a3 = Vector256.Create(a[3]);
            c30 = MultiplyAdd(a3, b0, c30);
            c31 = MultiplyAdd(a3, b1, c31);
            a += MR;
            b += 2 * w;
        }

        var scale = Vector256.Create(alpha);
        if (rows == MR && columns == 2 * w)
        {
            Accumulate(c, w, scale, c00, c01);
            Accumulate(c + ldc, w, scale, c10, c11);
            Accumulate(c + 2 * ldc, w, scale, c20, c21);
            Accumulate(c + 3 * ldc, w, scale, c30, c31);
            return;
        }
        // An edge tile: spill the registers and add the part that exists.
        T* tile = stackalloc T[MR * 2 * w];
        (c00 * scale).Store(tile);
        (c01 * scale).Store(tile + w);
        (c10 * scale).Store(tile + 2 * w);
        (c11 * scale).Store(tile + 3 * w);
        (c20 * scale).Store(tile + 4 * w);
        (c21 * scale).Store(tile + 5 * w);
        (c30 * scale).Store(tile + 6 * w);
        (c31 * scale).Store(tile + 7 * w);
        for (int r = 0; r < rows; r++)
            for (int j = 0; j < columns; j++)
                c[r * ldc + j] += tile[r * 2 * w + j];
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Accumulate<T>(T* c, int w, Vector256<T> scale, Vector256<T> low, Vector256<T> high)
        where T : unmanaged
    {
        (Vector256.Load(c) + low * scale).Store(c);
        (Vector256.Load(c + w) + high * scale).Store(c + w);
    }

    // a * b + c, fused where the CPU has FMA (as the native kernels are); the JIT folds the type tests.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<T> MultiplyAdd<T>(Vector256<T> a, Vector256<T> b, Vector256<T> c)
    {
        if (Fma.IsSupported && typeof(T) == typeof(float))
            return Fma.MultiplyAdd(a.AsSingle(), b.AsSingle(), c.AsSingle()).As<float, T>();
        if (Fma.IsSupported && typeof(T) == typeof(double))
            return Fma.MultiplyAdd(a.AsDouble(), b.AsDouble(), c.AsDouble()).As<double, T>();
        return a * b + c;
    }
}
