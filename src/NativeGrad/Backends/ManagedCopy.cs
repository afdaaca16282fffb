using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace NativeGrad.Backends;

/// <summary>
/// Row kernel for Copy from <typeparamref name="TSource"/> to <typeparamref name="TDestination"/>
/// (float, double, long, and byte for bool), converting as <see cref="Convert"/> says. Contiguous
/// rows are a block copy, a vectorised comparison with zero (to bool) or a TensorPrimitives
/// conversion; a broadcast source is a fill; anything else converts element by element.
/// </summary>
internal unsafe struct CopyRow<TSource, TDestination> : IRowKernel
    where TSource : unmanaged, INumber<TSource>
    where TDestination : unmanaged, INumber<TDestination>
{
    public readonly void Row(byte** pointers, long* strides, int length)
    {
        byte* source = pointers[0], destination = pointers[1];
        long sourceStride = strides[0], destinationStride = strides[1];
        if (destinationStride == sizeof(TDestination))
        {
            var output = new Span<TDestination>(destination, length);
            if (sourceStride == sizeof(TSource))
            {
                Contiguous(new ReadOnlySpan<TSource>(source, length), output);
                return;
            }
            if (sourceStride == 0)
            {
                output.Fill(Convert(*(TSource*)source));
                return;
            }
        }
        for (int i = 0; i < length; i++)
            *(TDestination*)(destination + i * destinationStride) = Convert(*(TSource*)(source + i * sourceStride));
    }

    [SkipLocalsInit]
    private static void Contiguous(ReadOnlySpan<TSource> source, Span<TDestination> destination)
    {
        if (typeof(TSource) == typeof(TDestination))
        {
            // A same-dtype copy moves bits (a bool byte other than 0 or 1 stays as it is, as in native).
            MemoryMarshal.Cast<TSource, TDestination>(source).CopyTo(destination);
        }
        else if (typeof(TDestination) == typeof(byte))
        {
            // Anything to bool is x != 0 (so NaN is true and -0 is false), written as 1 or 0.
            TSource zero = TSource.Zero;
            fixed (TSource* pSource = source)
            fixed (TDestination* pDestination = destination)
                Comparisons.Compare<TSource, NotEqualTo>(pSource, sizeof(TSource), &zero, 0, (byte*)pDestination, source.Length);
        }
        else if (typeof(TSource) == typeof(byte))
        {
            // Bool to anything is 0 or 1: min(b, 1) then a widening conversion.
            Span<byte> block = stackalloc byte[256];
            var bytes = MemoryMarshal.Cast<TSource, byte>(source);
            for (int start = 0; start < bytes.Length; start += block.Length)
            {
                int n = Math.Min(block.Length, bytes.Length - start);
                TensorPrimitives.Min(bytes.Slice(start, n), (byte)1, block[..n]);
                TensorPrimitives.ConvertTruncating(block[..n], destination.Slice(start, n));
            }
        }
        else if (typeof(TDestination) == typeof(long))
        {
            // Float to int64 needs the x86 result for NaN and out-of-range values (see Convert),
            // which no vector conversion gives on every .NET version.
            for (int i = 0; i < source.Length; i++) destination[i] = Convert(source[i]);
        }
        else
        {
            // long to float and double to float round to nearest, as C++ casts do.
            TensorPrimitives.ConvertTruncating(source, destination);
        }
    }

    /// <summary>
    /// One element, as the native kernels convert: != 0 to bool, 0 or 1 from bool, float to int64
    /// truncating toward zero with NaN and out-of-range values giving long.MinValue (what x86's
    /// CVTTSD2SI gives, and so PyTorch on x86), else a C-style cast.
    /// </summary>
    public static TDestination Convert(TSource value)
    {
        if (typeof(TSource) == typeof(TDestination)) return (TDestination)(object)value;
        if (typeof(TDestination) == typeof(byte))
            return value != TSource.Zero ? TDestination.One : TDestination.Zero;
        if (typeof(TSource) == typeof(byte))
            return value != TSource.Zero ? TDestination.One : TDestination.Zero;
        if (typeof(TDestination) == typeof(long) && typeof(TSource) != typeof(long))
        {
            // -2^63 and 2^63 are exact in float and double; NaN fails both comparisons.
            double x = double.CreateTruncating(value);
            return TDestination.CreateTruncating(x >= -9223372036854775808.0 && x < 9223372036854775808.0 ? (long)x : long.MinValue);
        }
        return TDestination.CreateTruncating(value);
    }
}
