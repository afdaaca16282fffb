using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace NativeGrad.Backends;

/// <summary>Row kernel for the comparisons: two T operands in, bool bytes (1 or 0) out.</summary>
internal unsafe struct CompareRow<T, TCompare> : IRowKernel
    where T : unmanaged, INumber<T>
    where TCompare : struct, IComparison
{
    public readonly void Row(byte** pointers, long* strides, int length) =>
        Comparisons.Compare<T, TCompare>((T*)pointers[0], strides[0], (T*)pointers[1], strides[1], pointers[2], length);
}

/// <summary>
/// The comparison loop, shared by <see cref="CompareRow{T, TCompare}"/> and Copy (anything to bool
/// is x != 0). When each operand is contiguous or broadcast, 32 elements at a time are compared
/// with Vector256 and the masks narrowed to 32 bytes; NaN compares false except for Ne.
/// </summary>
internal static unsafe class Comparisons
{
    /// <summary>result[i] = a[i] op b[i] as 1 or 0, for byte strides <paramref name="aStride"/> and <paramref name="bStride"/>.</summary>
    public static void Compare<T, TOp>(T* a, long aStride, T* b, long bStride, byte* result, int length)
        where T : unmanaged, INumber<T>
        where TOp : struct, IComparison
    {
        int i = 0;
        long size = sizeof(T);
        if (Vector256.IsHardwareAccelerated && Vector256<T>.IsSupported)
        {
            // One loop per layout, so the loop body has no branch on it.
            if (aStride == size && bStride == size) i = Vectorized<T, TOp, Contiguous, Contiguous>(a, b, result, length);
            else if (aStride == size && bStride == 0) i = Vectorized<T, TOp, Contiguous, Broadcast>(a, b, result, length);
            else if (aStride == 0 && bStride == size) i = Vectorized<T, TOp, Broadcast, Contiguous>(a, b, result, length);
        }
        byte* pa = (byte*)a, pb = (byte*)b;
        for (; i < length; i++)
            result[i] = TOp.Invoke(*(T*)(pa + i * aStride), *(T*)(pb + i * bStride)) ? (byte)1 : (byte)0;
    }

    // Handles the multiple of 32 elements; returns how many were done.
    private static int Vectorized<T, TOp, TA, TB>(T* a, T* b, byte* result, int length)
        where T : unmanaged
        where TOp : struct, IComparison
        where TA : struct, IOperand
        where TB : struct, IOperand
    {
        var aScalar = Vector256.Create(*a);
        var bScalar = Vector256.Create(*b);
        var one = Vector256.Create((byte)1);
        int i = 0;
        for (; i <= length - 32; i += 32)
        {
            Vector256<byte> mask;
            if (sizeof(T) == 1)
            {
                mask = TOp.Invoke(TA.Load(a, i, aScalar), TB.Load(b, i, bScalar)).AsByte();
            }
            else if (sizeof(T) == 4)
            {
                var m0 = TOp.Invoke(TA.Load(a, i, aScalar), TB.Load(b, i, bScalar)).AsInt32();
                var m1 = TOp.Invoke(TA.Load(a, i + 8, aScalar), TB.Load(b, i + 8, bScalar)).AsInt32();
                var m2 = TOp.Invoke(TA.Load(a, i + 16, aScalar), TB.Load(b, i + 16, bScalar)).AsInt32();
                var m3 = TOp.Invoke(TA.Load(a, i + 24, aScalar), TB.Load(b, i + 24, bScalar)).AsInt32();
                mask = Vector256.Narrow(Vector256.Narrow(m0, m1), Vector256.Narrow(m2, m3)).AsByte();
            }
            else
            {
                var q0 = Vector256.Narrow(Wide<T, TOp, TA, TB>(a, b, i, aScalar, bScalar), Wide<T, TOp, TA, TB>(a, b, i + 4, aScalar, bScalar));
                var q1 = Vector256.Narrow(Wide<T, TOp, TA, TB>(a, b, i + 8, aScalar, bScalar), Wide<T, TOp, TA, TB>(a, b, i + 12, aScalar, bScalar));
                var q2 = Vector256.Narrow(Wide<T, TOp, TA, TB>(a, b, i + 16, aScalar, bScalar), Wide<T, TOp, TA, TB>(a, b, i + 20, aScalar, bScalar));
                var q3 = Vector256.Narrow(Wide<T, TOp, TA, TB>(a, b, i + 24, aScalar, bScalar), Wide<T, TOp, TA, TB>(a, b, i + 28, aScalar, bScalar));
                mask = Vector256.Narrow(Vector256.Narrow(q0, q1), Vector256.Narrow(q2, q3)).AsByte();
            }
            // Narrowing keeps the low bits of each all-ones or all-zeros lane; & 1 makes bools.
            (mask & one).Store(result + i);
        }
        return i;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<long> Wide<T, TOp, TA, TB>(T* a, T* b, int i, Vector256<T> aScalar, Vector256<T> bScalar)
        where T : unmanaged
        where TOp : struct, IComparison
        where TA : struct, IOperand
        where TB : struct, IOperand =>
        TOp.Invoke(TA.Load(a, i, aScalar), TB.Load(b, i, bScalar)).AsInt64();
}

/// <summary>How a vector loop reads an operand: its elements, or one element repeated.</summary>
internal unsafe interface IOperand
{
    static abstract Vector256<T> Load<T>(T* data, int i, Vector256<T> broadcast) where T : unmanaged;
}

internal readonly unsafe struct Contiguous : IOperand
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Load<T>(T* data, int i, Vector256<T> broadcast) where T : unmanaged => Vector256.Load(data + i);
}

internal readonly unsafe struct Broadcast : IOperand
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Load<T>(T* data, int i, Vector256<T> broadcast) where T : unmanaged => broadcast;
}

/// <summary>A comparison, as a scalar and as a Vector256 mask (all ones where true).</summary>
internal interface IComparison
{
    static abstract bool Invoke<T>(T a, T b) where T : INumber<T>;

    static abstract Vector256<T> Invoke<T>(Vector256<T> a, Vector256<T> b);
}

internal readonly struct EqualTo : IComparison
{
    public static bool Invoke<T>(T a, T b) where T : INumber<T> => a == b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Invoke<T>(Vector256<T> a, Vector256<T> b) => Vector256.Equals(a, b);
}

internal readonly struct NotEqualTo : IComparison
{
    public static bool Invoke<T>(T a, T b) where T : INumber<T> => a != b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Invoke<T>(Vector256<T> a, Vector256<T> b) => ~Vector256.Equals(a, b);
}

internal readonly struct LessThan : IComparison
{
    public static bool Invoke<T>(T a, T b) where T : INumber<T> => a < b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Invoke<T>(Vector256<T> a, Vector256<T> b) => Vector256.LessThan(a, b);
}

internal readonly struct LessThanOrEqual : IComparison
{
    public static bool Invoke<T>(T a, T b) where T : INumber<T> => a <= b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Invoke<T>(Vector256<T> a, Vector256<T> b) => Vector256.LessThanOrEqual(a, b);
}

internal readonly struct GreaterThan : IComparison
{
    public static bool Invoke<T>(T a, T b) where T : INumber<T> => a > b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Invoke<T>(Vector256<T> a, Vector256<T> b) => Vector256.GreaterThan(a, b);
}

internal readonly struct GreaterThanOrEqual : IComparison
{
    public static bool Invoke<T>(T a, T b) where T : INumber<T> => a >= b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Invoke<T>(Vector256<T> a, Vector256<T> b) => Vector256.GreaterThanOrEqual(a, b);
}

/// <summary>
/// Row kernel for Where: selects the bits of a or b by a bool condition, so T is the unsigned
/// integer of the element's size (float32 as uint, float64 and int64 as ulong, bool as byte).
/// </summary>
internal unsafe struct WhereRow<T> : IRowKernel where T : unmanaged
{
    public readonly void Row(byte** pointers, long* strides, int length)
    {
        byte* condition = pointers[0];
        T* a = (T*)pointers[1], b = (T*)pointers[2], result = (T*)pointers[3];
        long cStride = strides[0], aStride = strides[1], bStride = strides[2], size = sizeof(T);
        int i = 0;
        if (Vector256.IsHardwareAccelerated && cStride == 1)
        {
            if (aStride == size && bStride == size) i = Vectorized<Contiguous, Contiguous>(condition, a, b, result, length);
            else if (aStride == size && bStride == 0) i = Vectorized<Contiguous, Broadcast>(condition, a, b, result, length);
            else if (aStride == 0 && bStride == size) i = Vectorized<Broadcast, Contiguous>(condition, a, b, result, length);
            else if (aStride == 0 && bStride == 0) i = Vectorized<Broadcast, Broadcast>(condition, a, b, result, length);
        }
        byte* pa = (byte*)a, pb = (byte*)b;
        for (; i < length; i++)
            result[i] = condition[i * cStride] != 0 ? *(T*)(pa + i * aStride) : *(T*)(pb + i * bStride);
    }

    private static int Vectorized<TA, TB>(byte* condition, T* a, T* b, T* result, int length)
        where TA : struct, IOperand
        where TB : struct, IOperand
    {
        var aScalar = Vector256.Create(*a);
        var bScalar = Vector256.Create(*b);
        int lanes = Vector256<T>.Count, i = 0;
        for (; i <= length - lanes; i += lanes)
            Vector256.ConditionalSelect(ConditionMask(condition + i), TA.Load(a, i, aScalar), TB.Load(b, i, bScalar)).Store(result + i);
        return i;
    }

    // All ones in the lanes whose bool byte is not zero: the bytes are widened to T's size.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<T> ConditionMask(byte* condition)
    {
        if (Vector256<T>.Count == 32)
            return (~Vector256.Equals(Vector256.Load(condition), Vector256<byte>.Zero)).As<byte, T>();
        if (Vector256<T>.Count == 8)
        {
            // 8 bytes -> 8 ushorts -> 8 uints.
            var words = Vector128.WidenLower(Vector128.CreateScalar(Unsafe.ReadUnaligned<ulong>(condition)).AsByte());
            var lanes = Vector256.Create(Vector128.WidenLower(words), Vector128.WidenUpper(words));
            return (~Vector256.Equals(lanes, Vector256<uint>.Zero)).As<uint, T>();
        }
        // 4 bytes -> 4 uints -> 4 ulongs.
        var bytes = Vector128.CreateScalar(Unsafe.ReadUnaligned<uint>(condition)).AsByte();
        var quads = Vector128.WidenLower(Vector128.WidenLower(bytes));
        var wide = Vector256.Create(Vector128.WidenLower(quads), Vector128.WidenUpper(quads));
        return (~Vector256.Equals(wide, Vector256<ulong>.Zero)).As<ulong, T>();
    }
}
