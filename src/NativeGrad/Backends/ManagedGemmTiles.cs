using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace NativeGrad.Backends;

/// <summary>
/// A GEMM micro-kernel: C[0..Rows, 0..Columns] += alpha * (packed A panel) @ (packed B panel).
/// Every kernel computes each element of C the same way — kc fused multiply-adds in order of p
/// from zero, then one multiply by alpha and one add to C — so the 256- and 512-bit kernels give
/// the same bits, and results do not depend on the vector width or where a tile falls.
/// </summary>
internal unsafe interface IGemmTile<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Rows of the register tile (MR): a packed A panel is kc x Rows.</summary>
    static abstract int Rows { get; }

    /// <summary>Columns of the register tile (NR): a packed B panel is kc x Columns.</summary>
    static abstract int Columns { get; }

    /// <summary>
    /// Adds alpha times the product of a kc-deep A panel and B panel to the
    /// <paramref name="rows"/> x <paramref name="columns"/> of C that exist (fewer at the edges).
    /// </summary>
    static abstract void Multiply(int kc, T* a, T* b, T alpha, T* c, long ldc, int rows, int columns);
}

/// <summary>
/// 6 x 2 Vector256 (6 x 16 floats): twelve accumulators, which hide the FMA latency on two ports,
/// plus two B vectors and a broadcast fit the sixteen registers of AVX2.
/// </summary>
internal readonly unsafe struct Tile256<T> : IGemmTile<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public static int Rows => 6;

    public static int Columns => 2 * Vector256<T>.Count;

    public static void Multiply(int kc, T* a, T* b, T alpha, T* c, long ldc, int rows, int columns)
    {
        int w = Vector256<T>.Count;
        Vector256<T> c00 = default, c01 = default, c10 = default, c11 = default, c20 = default, c21 = default;
        Vector256<T> c30 = default, c31 = default, c40 = default, c41 = default, c50 = default, c51 = default;
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
            var a4 = Vector256.Create(a[4]);
            c40 = MultiplyAdd(a4, b0, c40);
            c41 = MultiplyAdd(a4, b1, c41);
            var a5 = Vector256.Create(a[5]);
            c50 = MultiplyAdd(a5, b0, c50);
            c51 = MultiplyAdd(a5, b1, c51);
            a += 6;
            b += 2 * w;
        }

        // No call may come while the accumulators are live: the ABI saves no vector register, and
        // the JIT then spills every accumulator at every FMA of the loop (a third of the speed).
        var scale = Vector256.Create(alpha);
        if (rows == 6 && columns == 2 * w)
        {
            Accumulate(c, w, scale, c00, c01);
            Accumulate(c + ldc, w, scale, c10, c11);
            Accumulate(c + 2 * ldc, w, scale, c20, c21);
            Accumulate(c + 3 * ldc, w, scale, c30, c31);
            Accumulate(c + 4 * ldc, w, scale, c40, c41);
            Accumulate(c + 5 * ldc, w, scale, c50, c51);
            return;
        }
        // An edge tile is scaled into scratch and its existing part added to C: each element
        // gets the bits it would get inside a full tile.
        T* tile = stackalloc T[6 * 2 * w];
        Scale(tile, w, scale, c00, c01);
        Scale(tile + 2 * w, w, scale, c10, c11);
        Scale(tile + 4 * w, w, scale, c20, c21);
        Scale(tile + 6 * w, w, scale, c30, c31);
        Scale(tile + 8 * w, w, scale, c40, c41);
        Scale(tile + 10 * w, w, scale, c50, c51);
        GemmEdge.Add(tile, 2 * w, c, ldc, rows, columns);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Accumulate(T* c, int w, Vector256<T> scale, Vector256<T> low, Vector256<T> high)
    {
        (Vector256.Load(c) + low * scale).Store(c);
        (Vector256.Load(c + w) + high * scale).Store(c + w);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Scale(T* tile, int w, Vector256<T> scale, Vector256<T> low, Vector256<T> high)
    {
        (low * scale).Store(tile);
        (high * scale).Store(tile + w);
    }

    // a * b + c, fused where the CPU has FMA (as the native kernels are); the JIT folds the type tests.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<T> MultiplyAdd(Vector256<T> a, Vector256<T> b, Vector256<T> c)
    {
        if (Fma.IsSupported && typeof(T) == typeof(float))
            return Fma.MultiplyAdd(a.AsSingle(), b.AsSingle(), c.AsSingle()).As<float, T>();
        if (Fma.IsSupported && typeof(T) == typeof(double))
            return Fma.MultiplyAdd(a.AsDouble(), b.AsDouble(), c.AsDouble()).As<double, T>();
        return a * b + c;
    }
}

/// <summary>
/// 8 x 2 Vector512 (8 x 32 floats): sixteen accumulators of AVX-512's thirty-two registers. Per
/// step, two B loads and eight broadcasts feed sixteen FMAs, half the loads per flop of the
/// 256-bit tile.
/// </summary>
internal readonly unsafe struct Tile512<T> : IGemmTile<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public static int Rows => 8;

    public static int Columns => 2 * Vector512<T>.Count;

    public static void Multiply(int kc, T* a, T* b, T alpha, T* c, long ldc, int rows, int columns)
    {
        int w = Vector512<T>.Count;
        Vector512<T> c00 = default, c01 = default, c10 = default, c11 = default, c20 = default, c21 = default;
        Vector512<T> c30 = default, c31 = default, c40 = default, c41 = default, c50 = default, c51 = default;
        Vector512<T> c60 = default, c61 = default, c70 = default, c71 = default;
        for (int p = 0; p < kc; p++)
        {
            var b0 = Vector512.Load(b);
            var b1 = Vector512.Load(b + w);
            var a0 = Vector512.Create(a[0]);
            c00 = MultiplyAdd(a0, b0, c00);
            c01 = MultiplyAdd(a0, b1, c01);
            var a1 = Vector512.Create(a[1]);
            c10 = MultiplyAdd(a1, b0, c10);
            c11 = MultiplyAdd(a1, b1, c11);
            var a2 = Vector512.Create(a[2]);
            c20 = MultiplyAdd(a2, b0, c20);
            c21 = MultiplyAdd(a2, b1, c21);
            var a3 = Vector512.Create(a[3]);
            c30 = MultiplyAdd(a3, b0, c30);
            c31 = MultiplyAdd(a3, b1, c31);
            var a4 = Vector512.Create(a[4]);
            c40 = MultiplyAdd(a4, b0, c40);
            c41 = MultiplyAdd(a4, b1, c41);
            var a5 = Vector512.Create(a[5]);
            c50 = MultiplyAdd(a5, b0, c50);
            c51 = MultiplyAdd(a5, b1, c51);
            var a6 = Vector512.Create(a[6]);
            c60 = MultiplyAdd(a6, b0, c60);
            c61 = MultiplyAdd(a6, b1, c61);
            var a7 = Vector512.Create(a[7]);
            c70 = MultiplyAdd(a7, b0, c70);
            c71 = MultiplyAdd(a7, b1, c71);
            a += 8;
            b += 2 * w;
        }

        // No call may come while the accumulators are live: the ABI saves no vector register, and
        // the JIT then spills every accumulator at every FMA of the loop (a third of the speed).
        var scale = Vector512.Create(alpha);
        if (rows == 8 && columns == 2 * w)
        {
            Accumulate(c, w, scale, c00, c01);
            Accumulate(c + ldc, w, scale, c10, c11);
            Accumulate(c + 2 * ldc, w, scale, c20, c21);
            Accumulate(c + 3 * ldc, w, scale, c30, c31);
            Accumulate(c + 4 * ldc, w, scale, c40, c41);
            Accumulate(c + 5 * ldc, w, scale, c50, c51);
            Accumulate(c + 6 * ldc, w, scale, c60, c61);
            Accumulate(c + 7 * ldc, w, scale, c70, c71);
            return;
        }
        // An edge tile is scaled into scratch and its existing part added to C: each element
        // gets the bits it would get inside a full tile.
        T* tile = stackalloc T[8 * 2 * w];
        Scale(tile, w, scale, c00, c01);
        Scale(tile + 2 * w, w, scale, c10, c11);
        Scale(tile + 4 * w, w, scale, c20, c21);
        Scale(tile + 6 * w, w, scale, c30, c31);
        Scale(tile + 8 * w, w, scale, c40, c41);
        Scale(tile + 10 * w, w, scale, c50, c51);
        Scale(tile + 12 * w, w, scale, c60, c61);
        Scale(tile + 14 * w, w, scale, c70, c71);
        GemmEdge.Add(tile, 2 * w, c, ldc, rows, columns);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Accumulate(T* c, int w, Vector512<T> scale, Vector512<T> low, Vector512<T> high)
    {
        (Vector512.Load(c) + low * scale).Store(c);
        (Vector512.Load(c + w) + high * scale).Store(c + w);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Scale(T* tile, int w, Vector512<T> scale, Vector512<T> low, Vector512<T> high)
    {
        (low * scale).Store(tile);
        (high * scale).Store(tile + w);
    }

    // The 512-bit path only runs with AVX-512F, which always has FMA (Avx512F rather than
    // Vector512.FusedMultiplyAdd, which net8.0 lacks).
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<T> MultiplyAdd(Vector512<T> a, Vector512<T> b, Vector512<T> c)
    {
        if (Avx512F.IsSupported && typeof(T) == typeof(float))
            return Avx512F.FusedMultiplyAdd(a.AsSingle(), b.AsSingle(), c.AsSingle()).As<float, T>();
        if (Avx512F.IsSupported && typeof(T) == typeof(double))
            return Avx512F.FusedMultiplyAdd(a.AsDouble(), b.AsDouble(), c.AsDouble()).As<double, T>();
        return a * b + c;
    }
}

internal static unsafe class GemmEdge
{
    /// <summary>c[r, j] += tile[r, j] for the rows and columns of an edge tile that exist.</summary>
    public static void Add<T>(T* tile, int tileColumns, T* c, long ldc, int rows, int columns)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int r = 0; r < rows; r++)
            for (int j = 0; j < columns; j++)
                c[r * ldc + j] += tile[r * tileColumns + j];
    }
}
