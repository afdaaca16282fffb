using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace NativeGrad.Backends;

/// <summary>
/// Row reductions. Sums: TensorPrimitives.Sum for float64 and int64 (int64 wraps like C++), and a
/// Vector256 loop that widens float32 to double, since float32 sums accumulate in double like the
/// native kernels. Max and min find the extreme with a Vector256 compare-and-select pass (NaN if
/// the row has one) and then, when the index is wanted, the first element equal to it (the first
/// NaN) with a vectorised scan: the index is PyTorch's, and the value is that element, so of -0
/// and +0 the first one is returned.
/// </summary>
internal static unsafe class ManagedReduce
{
    // Spans are int-sized; longer rows are reduced in chunks of this many elements.
    private const int Chunk = 1 << 30;

    /// <summary>result[r] = sum of row r, for float32 (through double), float64 or int64.</summary>
    public static void Sum<T>(T* x, long rows, long length, T* result) where T : unmanaged, INumber<T>
    {
        for (long r = 0; r < rows; r++)
        {
            T* row = x + r * length;
            if (typeof(T) == typeof(float))
            {
                double total = 0;
                for (long start = 0; start < length; start += Chunk)
                    total += SumWide(new ReadOnlySpan<float>((float*)row + start, (int)Math.Min(Chunk, length - start)));
                result[r] = T.CreateTruncating(total);
            }
            else
            {
                T total = T.Zero;
                for (long start = 0; start < length; start += Chunk)
                    total += TensorPrimitives.Sum(new ReadOnlySpan<T>(row + start, (int)Math.Min(Chunk, length - start)));
                result[r] = total;
            }
        }
    }

    /// <summary>
    /// result[r] = the largest (or smallest) element of row r, NaN if there is one;
    /// indices[r] (when not null) = the position of its first occurrence. Needs length > 0.
    /// </summary>
    public static void Extreme<T>(bool max, T* x, long rows, long length, T* result, long* indices)
        where T : unmanaged, INumber<T>
    {
        if (length == 0 && rows > 0)
            throw new ArgumentException($"Cannot compute the {(max ? "max" : "min")} of an empty row.", nameof(length));
        if (max) Extreme<T, GreaterThan>(x, rows, length, result, indices);
        else Extreme<T, LessThan>(x, rows, length, result, indices);
    }

    private static void Extreme<T, TBetter>(T* x, long rows, long length, T* result, long* indices)
        where T : unmanaged, INumber<T>
        where TBetter : struct, IComparison
    {
        for (long r = 0; r < rows; r++)
        {
            T* row = x + r * length;
            T best = row[0];
            for (long start = 0; start < length && !T.IsNaN(best); start += Chunk)
            {
                T candidate = Best<T, TBetter>(new ReadOnlySpan<T>(row + start, (int)Math.Min(Chunk, length - start)));
                if (T.IsNaN(candidate) || TBetter.Invoke(candidate, best)) best = candidate;
            }
            // Of equal extremes the first is returned, which only shows for -0 and +0; the same
            // scan finds the index.
            if (indices == null && best != T.Zero)
            {
                result[r] = best;
                continue;
            }
            long index = 0;
            for (long start = 0; start < length; start += Chunk)
            {
                int found = IndexOfFirst(new ReadOnlySpan<T>(row + start, (int)Math.Min(Chunk, length - start)), best);
                if (found >= 0)
                {
                    index = start + found;
                    break;
                }
            }
            result[r] = row[index];
            if (indices != null) indices[r] = index;
        }
    }

    // The extreme value of x under TBetter (a strict comparison), or NaN when x holds one. Two
    // vector accumulators; the last vector is loaded overlapping the previous ones, which a
    // maximum does not mind.
    private static T Best<T, TBetter>(ReadOnlySpan<T> x)
        where T : unmanaged, INumber<T>
        where TBetter : struct, IComparison
    {
        int lanes = Vector256<T>.Count;
        if (!Vector256.IsHardwareAccelerated || !Vector256<T>.IsSupported || x.Length < 2 * lanes)
        {
            T best = x[0];
            foreach (T v in x)
            {
                if (T.IsNaN(v)) return v;
                if (TBetter.Invoke(v, best)) best = v;
            }
            return best;
        }
        ref T source = ref MemoryMarshal.GetReference(x);
        var best0 = Vector256.LoadUnsafe(ref source);
        var best1 = Vector256.LoadUnsafe(ref source, (nuint)lanes);
        var nan = ~Vector256.Equals(best0, best0) | ~Vector256.Equals(best1, best1);
        int i = 2 * lanes;
        for (; i <= x.Length - 2 * lanes; i += 2 * lanes)
        {
            var v0 = Vector256.LoadUnsafe(ref source, (nuint)i);
            var v1 = Vector256.LoadUnsafe(ref source, (nuint)(i + lanes));
            nan |= ~Vector256.Equals(v0, v0) | ~Vector256.Equals(v1, v1);
            best0 = Vector256.ConditionalSelect(TBetter.Invoke(v0, best0), v0, best0);
            best1 = Vector256.ConditionalSelect(TBetter.Invoke(v1, best1), v1, best1);
        }
        for (; i < x.Length; i += lanes)
        {
            var v = Vector256.LoadUnsafe(ref source, (nuint)Math.Min(i, x.Length - lanes));
            nan |= ~Vector256.Equals(v, v);
            best0 = Vector256.ConditionalSelect(TBetter.Invoke(v, best0), v, best0);
        }
        if (nan != Vector256<T>.Zero) return T.CreateTruncating(double.NaN);
        best0 = Vector256.ConditionalSelect(TBetter.Invoke(best1, best0), best1, best0);
        T result = best0[0];
        for (int lane = 1; lane < lanes; lane++)
            if (TBetter.Invoke(best0[lane], result)) result = best0[lane];
        return result;
    }

    // float32 sum accumulated in double: each 8-float vector widens into two 4-double halves, and
    // two accumulators per half hide the add latency.
    private static double SumWide(ReadOnlySpan<float> x)
    {
        int i = 0;
        double total = 0;
        if (Vector256.IsHardwareAccelerated && x.Length >= 16)
        {
            ref float source = ref MemoryMarshal.GetReference(x);
            Vector256<double> a0 = default, a1 = default, a2 = default, a3 = default;
            for (; i <= x.Length - 16; i += 16)
            {
                var (low0, high0) = Vector256.Widen(Vector256.LoadUnsafe(ref source, (nuint)i));
                var (low1, high1) = Vector256.Widen(Vector256.LoadUnsafe(ref source, (nuint)(i + 8)));
                a0 += low0;
                a1 += high0;
                a2 += low1;
                a3 += high1;
            }
            total = Vector256.Sum((a0 + a1) + (a2 + a3));
        }
        for (; i < x.Length; i++) total += x[i];
        return total;
    }

    // The first i with x[i] == value (so -0 matches +0), or with x[i] NaN when value is NaN; -1 if none.
    private static int IndexOfFirst<T>(ReadOnlySpan<T> x, T value) where T : unmanaged, INumber<T>
    {
        bool nan = T.IsNaN(value);
        int i = 0;
        if (Vector256.IsHardwareAccelerated && Vector256<T>.IsSupported)
        {
            ref T source = ref MemoryMarshal.GetReference(x);
            var target = Vector256.Create(value);
            for (; i <= x.Length - Vector256<T>.Count; i += Vector256<T>.Count)
            {
                var v = Vector256.LoadUnsafe(ref source, (nuint)i);
                var hit = nan ? ~Vector256.Equals(v, v) : Vector256.Equals(v, target);
                uint bits = hit.ExtractMostSignificantBits();
                if (bits != 0) return i + BitOperations.TrailingZeroCount(bits);
            }
        }
        for (; i < x.Length; i++)
            if (nan ? T.IsNaN(x[i]) : x[i] == value) return i;
        return -1;
    }
}
