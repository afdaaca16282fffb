using System.Diagnostics;
using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace NativeGrad.Backends;

/// <summary>
/// Row kernel for the arithmetic binary ops. Each op is one struct with its scalar, Vector256 and
/// TensorPrimitives forms. A row whose operands are each contiguous or broadcast (stride 0) goes to
/// TensorPrimitives when it is long, and to an inlined Vector256 loop when it is short (the call
/// into TensorPrimitives would cost more than the work, e.g. for a [N, 16] + [16] bias); a truly
/// strided row is an element loop.
/// </summary>
internal unsafe struct ArithmeticRow<T>(BinaryOp op) : IRowKernel
    where T : unmanaged, INumber<T>
{
    // Rows at least this long go to TensorPrimitives.
    private const int LongRow = 512;

    public readonly void Row(byte** pointers, long* strides, int length)
    {
        T* a = (T*)pointers[0], b = (T*)pointers[1], result = (T*)pointers[2];
        long aStride = strides[0], bStride = strides[1];
        switch (op)
        {
            case BinaryOp.Add: Run<Add>(a, aStride, b, bStride, result, length); break;
            case BinaryOp.Mul: Run<Multiply>(a, aStride, b, bStride, result, length); break;
            case BinaryOp.Sub: Run<Subtract>(a, aStride, b, bStride, result, length); break;
            case BinaryOp.Div: Run<Divide>(a, aStride, b, bStride, result, length); break;
            case BinaryOp.Maximum: Run<Maximum>(a, aStride, b, bStride, result, length); break;
            case BinaryOp.Minimum: Run<Minimum>(a, aStride, b, bStride, result, length); break;
            case BinaryOp.Pow when typeof(T) == typeof(long): Strided<IntegerPow>(a, aStride, b, bStride, result, length); break;
            case BinaryOp.Pow: FloatingPow(a, aStride, b, bStride, result, length); break;
            case BinaryOp.Atan2: Strided<Atan2>(a, aStride, b, bStride, result, length); break;
            case BinaryOp.Hypot: Strided<Hypot>(a, aStride, b, bStride, result, length); break;
            case BinaryOp.Fmod: Strided<Fmod>(a, aStride, b, bStride, result, length); break;
            case BinaryOp.Remainder: Strided<Remainder>(a, aStride, b, bStride, result, length); break;
            case BinaryOp.BitwiseAnd: Strided<BitwiseAnd>(a, aStride, b, bStride, result, length); break;
            case BinaryOp.BitwiseOr: Strided<BitwiseOr>(a, aStride, b, bStride, result, length); break;
            case BinaryOp.BitwiseXor: Strided<BitwiseXor>(a, aStride, b, bStride, result, length); break;
            default: throw new ArgumentOutOfRangeException(nameof(op), op, "Not an arithmetic op.");
        }
    }

    private static void Run<TOp>(T* a, long aStride, T* b, long bStride, T* result, int length) where TOp : IOp
    {
        long size = sizeof(T);
        bool aRun = aStride == size, bRun = bStride == size;
        if (TOp.HasTensorPrimitivesForm && length >= LongRow && (aRun || bRun))
        {
            var destination = new Span<T>(result, length);
            if (aRun && bRun) TOp.Invoke(new ReadOnlySpan<T>(a, length), new ReadOnlySpan<T>(b, length), destination);
            else if (aRun && bStride == 0) TOp.Invoke(new ReadOnlySpan<T>(a, length), *b, destination);
            else if (bRun && aStride == 0) TOp.Invoke(*a, new ReadOnlySpan<T>(b, length), destination);
            else Strided<TOp>(a, aStride, b, bStride, result, length);
            return;
        }
        int i = 0;
        if (Vector256.IsHardwareAccelerated && Vector256<T>.IsSupported)
        {
            if (aRun && bRun) i = Vectorized<TOp, Contiguous, Contiguous>(a, b, result, length);
            else if (aRun && bStride == 0) i = Vectorized<TOp, Contiguous, Broadcast>(a, b, result, length);
            else if (bRun && aStride == 0) i = Vectorized<TOp, Broadcast, Contiguous>(a, b, result, length);
        }
        Strided<TOp>((T*)((byte*)a + i * aStride), aStride, (T*)((byte*)b + i * bStride), bStride, result + i, length - i);
    }

    // The whole vectors of a short row; returns how many elements were done.
    private static int Vectorized<TOp, TA, TB>(T* a, T* b, T* result, int length)
        where TOp : IOp
        where TA : struct, IOperand
        where TB : struct, IOperand
    {
        var aScalar = Vector256.Create(*a);
        var bScalar = Vector256.Create(*b);
        int i = 0;
        for (; i <= length - Vector256<T>.Count; i += Vector256<T>.Count)
            TOp.Invoke(TA.Load(a, i, aScalar), TB.Load(b, i, bScalar)).Store(result + i);
        return i;
    }

    // The element loop: any strides, the op inlined.
    private static void Strided<TOp>(T* a, long aStride, T* b, long bStride, T* result, int length) where TOp : IScalarOp
    {
        byte* pa = (byte*)a, pb = (byte*)b;
        for (int i = 0; i < length; i++)
            result[i] = TOp.Invoke(*(T*)(pa + i * aStride), *(T*)(pb + i * bStride));
    }

    // Pow has no Vector256 form: TensorPrimitives (which calls the C library's pow per element)
    // where it can, else MathF.Pow / Math.Pow, so the result never depends on the layout.
    private static void FloatingPow(T* a, long aStride, T* b, long bStride, T* result, int length)
    {
        long size = sizeof(T);
        if (typeof(T) == typeof(float))
        {
            var x = new ReadOnlySpan<float>(a, length);
            var y = new ReadOnlySpan<float>(b, length);
            var destination = new Span<float>(result, length);
            if (aStride == size && bStride == size) TensorPrimitives.Pow(x, y, destination);
            else if (aStride == size && bStride == 0) TensorPrimitives.Pow(x, *(float*)b, destination);
            else if (aStride == 0 && bStride == size) TensorPrimitives.Pow(*(float*)a, y, destination);
            else Strided<PowerOf>(a, aStride, b, bStride, result, length);
        }
        else
        {
            var x = new ReadOnlySpan<double>(a, length);
            var y = new ReadOnlySpan<double>(b, length);
            var destination = new Span<double>(result, length);
            if (aStride == size && bStride == size) TensorPrimitives.Pow(x, y, destination);
            else if (aStride == size && bStride == 0) TensorPrimitives.Pow(x, *(double*)b, destination);
            else if (aStride == 0 && bStride == size) TensorPrimitives.Pow(*(double*)a, y, destination);
            else Strided<PowerOf>(a, aStride, b, bStride, result, length);
        }
    }

    private interface IScalarOp
    {
        static abstract T Invoke(T a, T b);
    }

    // An op in every form: scalar, Vector256, and TensorPrimitives' span-span, span-scalar and
    // scalar-span (left out, with HasTensorPrimitivesForm false, where TensorPrimitives differs from PyTorch).
    private interface IOp : IScalarOp
    {
        static abstract Vector256<T> Invoke(Vector256<T> a, Vector256<T> b);

        static virtual bool HasTensorPrimitivesForm => true;

        static virtual void Invoke(ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> result) => throw new UnreachableException();

        static virtual void Invoke(ReadOnlySpan<T> a, T b, Span<T> result) => throw new UnreachableException();

        static virtual void Invoke(T a, ReadOnlySpan<T> b, Span<T> result) => throw new UnreachableException();
    }

    private readonly struct Add : IOp
    {
        public static T Invoke(T a, T b) => a + b;
        public static Vector256<T> Invoke(Vector256<T> a, Vector256<T> b) => a + b;
        public static void Invoke(ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> result) => TensorPrimitives.Add(a, b, result);
        public static void Invoke(ReadOnlySpan<T> a, T b, Span<T> result) => TensorPrimitives.Add(a, b, result);
        public static void Invoke(T a, ReadOnlySpan<T> b, Span<T> result) => TensorPrimitives.Add(b, a, result);
    }

    private readonly struct Multiply : IOp
    {
        public static T Invoke(T a, T b) => a * b;
        public static Vector256<T> Invoke(Vector256<T> a, Vector256<T> b) => a * b;
        public static void Invoke(ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> result) => TensorPrimitives.Multiply(a, b, result);
        public static void Invoke(ReadOnlySpan<T> a, T b, Span<T> result) => TensorPrimitives.Multiply(a, b, result);
        public static void Invoke(T a, ReadOnlySpan<T> b, Span<T> result) => TensorPrimitives.Multiply(b, a, result);
    }

    private readonly struct Subtract : IOp
    {
        public static T Invoke(T a, T b) => a - b;
        public static Vector256<T> Invoke(Vector256<T> a, Vector256<T> b) => a - b;
        public static void Invoke(ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> result) => TensorPrimitives.Subtract(a, b, result);
        public static void Invoke(ReadOnlySpan<T> a, T b, Span<T> result) => TensorPrimitives.Subtract(a, b, result);
        public static void Invoke(T a, ReadOnlySpan<T> b, Span<T> result) => TensorPrimitives.Subtract(a, b, result);
    }

    private readonly struct Divide : IOp
    {
        public static T Invoke(T a, T b) => a / b;
        public static Vector256<T> Invoke(Vector256<T> a, Vector256<T> b) => a / b;
        public static void Invoke(ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> result) => TensorPrimitives.Divide(a, b, result);
        public static void Invoke(ReadOnlySpan<T> a, T b, Span<T> result) => TensorPrimitives.Divide(a, b, result);
        public static void Invoke(T a, ReadOnlySpan<T> b, Span<T> result) => TensorPrimitives.Divide(a, b, result);
    }

    // torch.maximum and torch.minimum: NaN if either is NaN, and the first operand on ties, so
    // maximum(-0., 0.) is -0. as in PyTorch (IEEE maximum, which Math.Max and TensorPrimitives.Max
    // follow, would give +0.), matching the native kernels. (PyTorch's own AVX2 loop returns the
    // second operand on ties in its 16-element chunks, so it is not consistent itself.)
    // ~(b == b) is b's NaN mask.
    private readonly struct Maximum : IOp
    {
        public static T Invoke(T a, T b) => b > a || T.IsNaN(b) ? b : a;
        public static Vector256<T> Invoke(Vector256<T> a, Vector256<T> b) =>
            Vector256.ConditionalSelect(Vector256.GreaterThan(b, a) | ~Vector256.Equals(b, b), b, a);
        public static bool HasTensorPrimitivesForm => false;
    }

    private readonly struct Minimum : IOp
    {
        public static T Invoke(T a, T b) => b < a || T.IsNaN(b) ? b : a;
        public static Vector256<T> Invoke(Vector256<T> a, Vector256<T> b) =>
            Vector256.ConditionalSelect(Vector256.LessThan(b, a) | ~Vector256.Equals(b, b), b, a);
        public static bool HasTensorPrimitivesForm => false;
    }

    private readonly struct PowerOf : IScalarOp
    {
        public static T Invoke(T a, T b) => typeof(T) == typeof(float)
            ? (T)(object)MathF.Pow((float)(object)a, (float)(object)b)
            : (T)(object)Math.Pow((double)(object)a, (double)(object)b);
    }

    // Exponentiation by squaring with wrap-around, like C++ int64 arithmetic. A negative exponent
    // truncates 1 / a^-b, as PyTorch's tensor ** tensor (powi_impl) and the native kernel: 1 for
    // a == 1, +-1 for a == -1 by the exponent's parity, otherwise 0.
    private readonly struct IntegerPow : IScalarOp
    {
        public static T Invoke(T a, T b)
        {
            long x = (long)(object)a, exponent = (long)(object)b, result = 1;
            if (exponent < 0)
                return (T)(object)(x == 1 ? 1L : x == -1 ? ((exponent & 1) != 0 ? -1L : 1L) : 0L);
            unchecked
            {
                while (exponent != 0)
                {
                    if ((exponent & 1) != 0) result *= x;
                    x *= x;
                    exponent >>= 1;
                }
            }
            return (T)(object)result;
        }
    }

    // The C library's atan2 (MathF.Atan2 and Math.Atan2 call it), as the native kernels do.
    private readonly struct Atan2 : IScalarOp
    {
        public static T Invoke(T a, T b) => typeof(T) == typeof(float)
            ? (T)(object)MathF.Atan2((float)(object)a, (float)(object)b)
            : (T)(object)Math.Atan2((double)(object)a, (double)(object)b);
    }

    // float32 through double, where a^2 + b^2 cannot overflow (the C library's hypotf does the same).
    private readonly struct Hypot : IScalarOp
    {
        public static T Invoke(T a, T b)
        {
            if (typeof(T) == typeof(float))
            {
                double x = (float)(object)a, y = (float)(object)b;
                return (T)(object)(float)(double.IsInfinity(x) || double.IsInfinity(y) ? double.PositiveInfinity : Math.Sqrt(x * x + y * y));
            }
            return (T)(object)double.Hypot((double)(object)a, (double)(object)b);
        }
    }

    // C#'s % is C's fmod for floating point (exact, the sign of a). Integers: b == 0 gives 0 (the
    // tensor op has refused it already) and b == -1 gives 0 (long.MinValue % -1 would throw).
    private readonly struct Fmod : IScalarOp
    {
        public static T Invoke(T a, T b)
        {
            if (typeof(T) == typeof(long))
            {
                long divisor = (long)(object)b;
                return divisor is 0 or -1 ? T.Zero : a % b;
            }
            return a % b;
        }
    }

    // Python's %: fmod moved by b when the signs differ (PyTorch's formula).
    private readonly struct Remainder : IScalarOp
    {
        public static T Invoke(T a, T b)
        {
            T mod = Fmod.Invoke(a, b);
            return mod != T.Zero && (b < T.Zero) != (mod < T.Zero) ? mod + b : mod;
        }
    }

    // int64 only (ManagedKernels.Binary sends no other dtype).
    private readonly struct BitwiseAnd : IScalarOp
    {
        public static T Invoke(T a, T b) => (T)(object)((long)(object)a & (long)(object)b);
    }

    private readonly struct BitwiseOr : IScalarOp
    {
        public static T Invoke(T a, T b) => (T)(object)((long)(object)a | (long)(object)b);
    }

    private readonly struct BitwiseXor : IScalarOp
    {
        public static T Invoke(T a, T b) => (T)(object)((long)(object)a ^ (long)(object)b);
    }
}

/// <summary>
/// Row kernel of AddScaled for floats: a + alpha * b rounded once, as the native kernels and
/// PyTorch's vector loop compute it. Contiguous rows go to TensorPrimitives.FusedMultiplyAdd
/// (whose destination may be a itself); broadcast and strided rows are an element loop of
/// T.FusedMultiplyAdd, which rounds the same way.
/// </summary>
internal unsafe struct FusedAddScaledRow<T>(T alpha) : IRowKernel
    where T : unmanaged, IFloatingPointIeee754<T>
{
    public readonly void Row(byte** pointers, long* strides, int length)
    {
        T* a = (T*)pointers[0], b = (T*)pointers[1], result = (T*)pointers[2];
        long aStride = strides[0], bStride = strides[1];
        if (aStride == sizeof(T) && bStride == sizeof(T))
        {
            TensorPrimitives.FusedMultiplyAdd(new ReadOnlySpan<T>(b, length), alpha, new ReadOnlySpan<T>(a, length),
                                              new Span<T>(result, length));
            return;
        }
        byte* pa = (byte*)a, pb = (byte*)b;
        for (int i = 0; i < length; i++)
            result[i] = T.FusedMultiplyAdd(alpha, *(T*)(pb + i * bStride), *(T*)(pa + i * aStride));
    }
}

/// <summary>Row kernel of AddScaled for int64: a + alpha * b, wrapping like the native kernels.</summary>
internal unsafe struct IntegerAddScaledRow(long alpha) : IRowKernel
{
    public readonly void Row(byte** pointers, long* strides, int length)
    {
        byte* pa = pointers[0], pb = pointers[1];
        long* result = (long*)pointers[2];
        long aStride = strides[0], bStride = strides[1];
        for (int i = 0; i < length; i++)
            result[i] = unchecked(*(long*)(pa + i * aStride) + alpha * *(long*)(pb + i * bStride));
    }
}
