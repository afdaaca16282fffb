using System.Runtime.InteropServices;
using NativeGrad.Backends;

namespace NativeGrad.Tests.Backends;

/// <summary>
/// Every kernel, for every dtype it supports, on both backends with the same inputs: random values
/// with negatives, zeros, NaN and infinities, lengths 0..40 and beyond a vector block, broadcasts,
/// transposed, stepped and reversed strides, 0-d and empty shapes. Results must agree exactly,
/// except for the math-library functions (relative 1e-6 for float32, 1e-14 for float64) and sums
/// (within rounding). The reference tests check a few values against System.Math and hand-written
/// loops, so that a bug both backends share is caught too.
/// The tests are split by kernel: <see cref="KernelParityUnaryTests"/>, <see cref="KernelParityBinaryTests"/>
/// (with Where), <see cref="KernelParityCopyTests"/>, <see cref="KernelParityReduceTests"/> and
/// <see cref="KernelParityGemmTests"/> (with the unsupported combinations); this class holds the
/// inputs, layouts and comparisons they share.
/// </summary>
public abstract class KernelParityTestBase
{
    private protected static IKernels Native => Backend.KernelsFor(BackendKind.Native);

    private protected static IKernels Managed => Backend.KernelsFor(BackendKind.Managed);

    public static TheoryData<BackendKind> Kinds => new() { BackendKind.Native, BackendKind.Managed };

    protected static double Tolerance(DType dtype) => dtype == DType.Float32 ? 1e-6 : 1e-14;

    // 0..40 element by element, then around the 256-element blocks and a long odd run.
    protected static IEnumerable<int> Lengths() => Enumerable.Range(0, 41).Concat([255, 256, 257, 1031]);

    /// <summary>Where an operand's elements are: element index -> offset + sum(index[d] * stride[d]); Size is the buffer length.</summary>
    protected sealed record Layout(long[] Strides, long Offset, int Size)
    {
        public long At(long[] index)
        {
            long position = Offset;
            for (int d = 0; d < index.Length; d++) position += index[d] * Strides[d];
            return position;
        }

        public static Layout Contiguous(long[] shape)
        {
            var strides = new long[shape.Length];
            long size = 1;
            for (int d = shape.Length - 1; d >= 0; d--)
            {
                strides[d] = size;
                size *= shape[d];
            }
            return new Layout(strides, 0, (int)size);
        }
    }

    /// <summary>Random elements of <paramref name="dtype"/>: uniform in ±range, with zeros (both signs), NaN and infinities when asked.</summary>
    protected static byte[] Values(DType dtype, int count, System.Random random, double range, bool specials,
                                 bool forPow = false, bool exponent = false, bool integers = false)
    {
        var bytes = new byte[count * dtype.SizeOf()];
        for (int i = 0; i < count; i++)
        {
            double v = random.NextDouble() * 2 * range - range;
            if (integers || random.Next(5) == 0) v = Math.Round(v);
            if (forPow) v = dtype == DType.Int64 ? random.Next(exponent ? 0 : -5, exponent ? 14 : 6) : random.NextDouble() * 6 - 3;
            if (specials)
            {
                int roll = random.Next(24);
                if (roll == 0) v = double.NaN;
                else if (roll == 1) v = double.PositiveInfinity;
                else if (roll == 2) v = double.NegativeInfinity;
                else if (roll == 3) v = -0.0;
                else if (roll == 4) v = 0;
            }
            switch (dtype)
            {
                case DType.Int64:
                    long integer = double.IsFinite(v) ? (long)v : v > 0 ? long.MaxValue : long.MinValue;
                    MemoryMarshal.Write(bytes.AsSpan(i * 8), in integer);
                    break;
                case DType.Bool:
                    bytes[i] = (byte)random.Next(2);
                    break;
                default:
                    Write(dtype, bytes, i, v);
                    break;
            }
        }
        return bytes;
    }

    protected static double Read(DType dtype, byte[] bytes, int i) => dtype switch
    {
        DType.Float32 => MemoryMarshal.Read<float>(bytes.AsSpan(i * 4)),
        DType.Float64 => MemoryMarshal.Read<double>(bytes.AsSpan(i * 8)),
        DType.Int64 => MemoryMarshal.Read<long>(bytes.AsSpan(i * 8)),
        _ => bytes[i],
    };

    protected static void Write(DType dtype, byte[] bytes, int i, double value)
    {
        if (dtype == DType.Float32)
        {
            float single = (float)value;
            MemoryMarshal.Write(bytes.AsSpan(i * 4), in single);
        }
        else MemoryMarshal.Write(bytes.AsSpan(i * 8), in value);
    }

    /// <summary>
    /// Element by element: bit-identical (any NaN matches any NaN), or within a relative
    /// <paramref name="tolerance"/> with an absolute floor of the same size.
    /// </summary>
    protected static void AssertSame(DType dtype, byte[] expected, byte[] actual, double tolerance, string context, bool zerosEqual = false)
    {
        Assert.Equal(expected.Length, actual.Length);
        int size = dtype.SizeOf();
        for (int i = 0; i < expected.Length / size; i++)
        {
            if (expected.AsSpan(i * size, size).SequenceEqual(actual.AsSpan(i * size, size))) continue;
            double e = Read(dtype, expected, i), a = Read(dtype, actual, i);
            bool same = (double.IsNaN(e) && double.IsNaN(a) && dtype.IsFloatingPoint())
                || (zerosEqual && e == 0 && a == 0)
                || (tolerance > 0 && Math.Abs(e - a) <= tolerance * Math.Max(1, Math.Max(Math.Abs(e), Math.Abs(a))));
            Assert.True(same, $"{context}: element {i} is {a:R} (managed) but {e:R} (native)");
        }
    }
}
