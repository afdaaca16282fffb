using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace NativeGrad.Backends;

/// <summary>
/// Unary kernels over contiguous spans. TensorPrimitives does the vector work: directly for
/// float64 and the exact functions; through double for the float32 math-library functions (see
/// <see cref="SingleViaDouble"/>). erf and gelu come from <see cref="ManagedErf"/>; relu, sign and
/// the int64 absolute value are written here with Vector256, because TensorPrimitives' versions
/// differ from PyTorch (Max turns -0 into +0, Sign and the int64 Abs throw).
/// </summary>
internal static class ManagedUnary
{
    /// <summary>y = op(x) for float32 or float64; <paramref name="y"/> may be <paramref name="x"/>.</summary>
    public static void Floating<T>(UnaryOp op, ReadOnlySpan<T> x, Span<T> y)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (typeof(T) == typeof(float) && op is UnaryOp.Exp or UnaryOp.Log or UnaryOp.Sigmoid or UnaryOp.Tanh or UnaryOp.Sin or UnaryOp.Cos)
        {
            SingleViaDouble(op, Cast<T, float>(x), Cast<T, float>(y));
            return;
        }
        switch (op)
        {
            case UnaryOp.Neg: TensorPrimitives.Negate(x, y); break;
            case UnaryOp.Exp: TensorPrimitives.Exp(x, y); break;
            case UnaryOp.Log: TensorPrimitives.Log(x, y); break;
            case UnaryOp.Sqrt: TensorPrimitives.Sqrt(x, y); break;
            case UnaryOp.Abs: TensorPrimitives.Abs(x, y); break;
            case UnaryOp.Relu: Map<T, Relu<T>>(x, y); break;
            case UnaryOp.Sigmoid: TensorPrimitives.Sigmoid(x, y); break;
            case UnaryOp.Tanh: TensorPrimitives.Tanh(x, y); break;
            case UnaryOp.Sin: TensorPrimitives.Sin(x, y); break;
            case UnaryOp.Cos: TensorPrimitives.Cos(x, y); break;
            case UnaryOp.Erf when typeof(T) == typeof(float): ManagedErf.Erf(Cast<T, float>(x), Cast<T, float>(y)); break;
            case UnaryOp.Erf: ManagedErf.Erf(Cast<T, double>(x), Cast<T, double>(y)); break;
            case UnaryOp.Gelu when typeof(T) == typeof(float): ManagedErf.Gelu(Cast<T, float>(x), Cast<T, float>(y)); break;
            case UnaryOp.Gelu: ManagedErf.Gelu(Cast<T, double>(x), Cast<T, double>(y)); break;
            case UnaryOp.Sign: Map<T, FloatingSign<T>>(x, y); break;
            case UnaryOp.Reciprocal: TensorPrimitives.Reciprocal(x, y); break;
            case UnaryOp.Floor: TensorPrimitives.Floor(x, y); break;
            case UnaryOp.Ceil: TensorPrimitives.Ceiling(x, y); break;
            case UnaryOp.Round: TensorPrimitives.Round(x, y); break;
            case UnaryOp.Trunc: TensorPrimitives.Truncate(x, y); break;
            case UnaryOp.Log1p or UnaryOp.Expm1 or UnaryOp.Log2 or UnaryOp.Log10 or UnaryOp.Asin or UnaryOp.Acos
                or UnaryOp.Atan or UnaryOp.Sinh or UnaryOp.Cosh:
                LibraryFunction(op, x, y);
                break;
            default: throw new ArgumentOutOfRangeException(nameof(op), op, "Unknown unary op.");
        }
    }

    /// <summary>
    /// float32 math-library functions, computed in double and rounded once. That gives the
    /// correctly rounded result (bar a double-rounding tie about once in 2^29, and tanh, whose
    /// double version is itself an ulp off now and then), which is what PyTorch's conformance data
    /// holds and what glibc's expf and logf return; TensorPrimitives' float versions can be an ulp
    /// off, which is enough to flip a digit that PyTorch prints. About 1.6x the cost of the float
    /// versions. Sigmoid keeps PyTorch's float formula 1 / (1 + exp(-x)); only its exp goes
    /// through double.
    /// </summary>
    [SkipLocalsInit]
    private static void SingleViaDouble(UnaryOp op, ReadOnlySpan<float> x, Span<float> y)
    {
        const int Block = 256;
        Span<double> wide = stackalloc double[Block];
        for (int start = 0; start < x.Length; start += Block)
        {
            int n = Math.Min(Block, x.Length - start);
            Span<double> block = wide[..n];
            Span<float> destination = y.Slice(start, n);
            TensorPrimitives.ConvertTruncating<float, double>(x.Slice(start, n), block);
            switch (op)
            {
                case UnaryOp.Exp: TensorPrimitives.Exp(block, block); break;
                case UnaryOp.Log: TensorPrimitives.Log(block, block); break;
                case UnaryOp.Tanh: TensorPrimitives.Tanh(block, block); break;
                case UnaryOp.Sin: TensorPrimitives.Sin(block, block); break;
                case UnaryOp.Cos: TensorPrimitives.Cos(block, block); break;
                case UnaryOp.Sigmoid:
                    TensorPrimitives.Negate(block, block);
                    TensorPrimitives.Exp(block, block);
                    break;
                default: throw new ArgumentOutOfRangeException(nameof(op), op, "Not a math-library function.");
            }
            TensorPrimitives.ConvertTruncating<double, float>(block, destination);
            if (op == UnaryOp.Sigmoid)
            {
                TensorPrimitives.Add(destination, 1f, destination);
                TensorPrimitives.Reciprocal(destination, destination);
            }
        }
    }

    /// <summary>
    /// The functions the native kernels take from the C library, element by element: MathF and
    /// Math call the same C library functions, so both backends agree. .NET has no log1p or expm1
    /// (double.LogP1 is log(1 + x), which loses small x): those are <see cref="Log1p"/> and
    /// <see cref="Expm1"/>, in double for float32 too and rounded once.
    /// </summary>
    private static unsafe void LibraryFunction<T>(UnaryOp op, ReadOnlySpan<T> x, Span<T> y)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (typeof(T) == typeof(float))
        {
            ReadOnlySpan<float> source = Cast<T, float>(x);
            Span<float> destination = Cast<T, float>(y);
            delegate*<float, float> f = op switch
            {
                UnaryOp.Log1p => &SingleLog1p, UnaryOp.Expm1 => &SingleExpm1, UnaryOp.Log2 => &MathF.Log2,
                UnaryOp.Log10 => &MathF.Log10, UnaryOp.Asin => &MathF.Asin, UnaryOp.Acos => &MathF.Acos,
                UnaryOp.Atan => &MathF.Atan, UnaryOp.Sinh => &MathF.Sinh, UnaryOp.Cosh => &MathF.Cosh,
                _ => throw new ArgumentOutOfRangeException(nameof(op), op, "Not a C library function."),
            };
            for (int i = 0; i < source.Length; i++) destination[i] = f(source[i]);
        }
        else
        {
            ReadOnlySpan<double> source = Cast<T, double>(x);
            Span<double> destination = Cast<T, double>(y);
            delegate*<double, double> f = op switch
            {
                UnaryOp.Log1p => &Log1p, UnaryOp.Expm1 => &Expm1, UnaryOp.Log2 => &Math.Log2,
                UnaryOp.Log10 => &Math.Log10, UnaryOp.Asin => &Math.Asin, UnaryOp.Acos => &Math.Acos,
                UnaryOp.Atan => &Math.Atan, UnaryOp.Sinh => &Math.Sinh, UnaryOp.Cosh => &Math.Cosh,
                _ => throw new ArgumentOutOfRangeException(nameof(op), op, "Not a C library function."),
            };
            for (int i = 0; i < source.Length; i++) destination[i] = f(source[i]);
        }
    }

    private static float SingleLog1p(float x) => (float)Log1p(x);

    private static float SingleExpm1(float x) => (float)Expm1(x);

    /// <summary>log(1 + x) by Goldberg's correction: u = 1 + x rounds, and x / (u - 1) undoes the rounding.</summary>
    internal static double Log1p(double x)
    {
        double u = 1 + x;
        if (u == 1) return x;
        if (double.IsPositiveInfinity(u)) return u;
        return Math.Log(u) * (x / (u - 1));
    }

    /// <summary>e^x - 1 by Kahan's correction: u = e^x, then (u - 1) * x / log(u).</summary>
    internal static double Expm1(double x)
    {
        double u = Math.Exp(x);
        if (u == 1) return x;
        double um1 = u - 1;
        if (um1 == -1 || double.IsPositiveInfinity(u)) return um1;
        return um1 * (x / Math.Log(u));
    }

    /// <summary>y = op(x) for int64: Neg, Abs and Sign, wrapping like C++ (|long.MinValue| is itself).</summary>
    public static void Int64(UnaryOp op, ReadOnlySpan<long> x, Span<long> y)
    {
        switch (op)
        {
            case UnaryOp.Neg: TensorPrimitives.Negate(x, y); break;
            case UnaryOp.Abs: Map<long, Int64Abs>(x, y); break;
            case UnaryOp.Sign: Map<long, Int64Sign>(x, y); break;
            default: throw new ArgumentOutOfRangeException(nameof(op), op, "Not an int64 unary op.");
        }
    }

    /// <summary>
    /// y[i] = TOp(x[i]) with Vector256 over the full vectors and the scalar form for the rest;
    /// both forms compute the same bits, so results do not depend on position or alignment.
    /// </summary>
    private static void Map<T, TOp>(ReadOnlySpan<T> x, Span<T> y) where TOp : IVectorOp<T>
    {
        int i = 0;
        if (Vector256.IsHardwareAccelerated && Vector256<T>.IsSupported)
        {
            ref T source = ref MemoryMarshal.GetReference(x);
            ref T destination = ref MemoryMarshal.GetReference(y);
            for (; i <= x.Length - Vector256<T>.Count; i += Vector256<T>.Count)
                TOp.Invoke(Vector256.LoadUnsafe(ref source, (nuint)i)).StoreUnsafe(ref destination, (nuint)i);
        }
        for (; i < x.Length; i++)
            y[i] = TOp.Invoke(x[i]);
    }

    private interface IVectorOp<T>
    {
        static abstract T Invoke(T x);

        static abstract Vector256<T> Invoke(Vector256<T> x);
    }

    // max(x, 0) written as x < 0 ? 0 : x, which is what PyTorch computes: NaN stays NaN and -0 stays
    // -0. (TensorPrimitives.Max(x, 0) would turn -0 into +0.)
    private readonly struct Relu<T> : IVectorOp<T> where T : IFloatingPointIeee754<T>
    {
        public static T Invoke(T x) => x < T.Zero ? T.Zero : x;

        public static Vector256<T> Invoke(Vector256<T> x) => Vector256.AndNot(x, Vector256.LessThan(x, Vector256<T>.Zero));
    }

    // TensorPrimitives.Sign writes int and throws on NaN; PyTorch's sign keeps the dtype, and its
    // (x > 0) - (x < 0) gives -1, +0 or 1, and +0 for NaN (which compares false both ways).
    private readonly struct FloatingSign<T> : IVectorOp<T> where T : IFloatingPointIeee754<T>
    {
        public static T Invoke(T x) => x > T.Zero ? T.One : x < T.Zero ? -T.One : T.Zero;

        public static Vector256<T> Invoke(Vector256<T> x)
        {
            var one = Vector256.Create(T.One);
            return (Vector256.GreaterThan(x, Vector256<T>.Zero) & one) - (Vector256.LessThan(x, Vector256<T>.Zero) & one);
        }
    }

    // |x| as (x ^ m) - m with m = (x < 0 ? -1 : 0): wraps at long.MinValue like C++, where
    // TensorPrimitives.Abs throws OverflowException.
    private readonly struct Int64Abs : IVectorOp<long>
    {
        public static long Invoke(long x) => x < 0 ? unchecked(-x) : x;

        public static Vector256<long> Invoke(Vector256<long> x)
        {
            var negative = Vector256.LessThan(x, Vector256<long>.Zero);
            return (x ^ negative) - negative;
        }
    }

    // The comparison masks are -1 where true: sign = (x < 0 mask) - (x > 0 mask).
    private readonly struct Int64Sign : IVectorOp<long>
    {
        public static long Invoke(long x) => x > 0 ? 1 : x < 0 ? -1 : 0;

        public static Vector256<long> Invoke(Vector256<long> x) =>
            Vector256.LessThan(x, Vector256<long>.Zero) - Vector256.GreaterThan(x, Vector256<long>.Zero);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Span<TTo> Cast<TFrom, TTo>(Span<TFrom> span) where TFrom : struct where TTo : struct =>
        MemoryMarshal.Cast<TFrom, TTo>(span);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ReadOnlySpan<TTo> Cast<TFrom, TTo>(ReadOnlySpan<TFrom> span) where TFrom : struct where TTo : struct =>
        MemoryMarshal.Cast<TFrom, TTo>(span);
}
