using System.Numerics;

namespace NativeGrad;

// The two element moves every indexing op is written with: take (result[i] = x.flat[flat[i]]) and
// put (x.flat[flat[i]] = or += values[i]), where flat indexes x's elements in row-major order. The
// ops compute their flat indices once, in one linear pass (Offsets), and the moves are one managed
// loop over the leased storage, so both backends give the same bits and no element costs a kernel
// call. Nothing here records the graph.
public sealed unsafe partial class Tensor
{
    /// <summary>
    /// For each position of <paramref name="shape"/> in row-major order, the sum over dimensions d
    /// of tables[d][coordinate d]: with tables[d][c] = c * stride this enumerates a strided layout,
    /// and other tables flip, roll or repeat it. A null table contributes nothing.
    /// </summary>
    internal static long[] Offsets(long[] shape, long[]?[] tables)
    {
        var result = new long[ShapeMath.Product(shape)];
        if (result.Length == 0) return result;
        long next = 0;
        Fill(0, 0);
        return result;

        void Fill(int dim, long start)
        {
            if (dim == shape.Length)
            {
                result[next++] = start;
                return;
            }
            var table = tables[dim];
            if (dim == shape.Length - 1) // the innermost dimension is a plain loop, not a call per element
                for (long c = 0; c < shape[dim]; c++) result[next++] = start + (table is null ? 0 : table[c]);
            else
                for (long c = 0; c < shape[dim]; c++) Fill(dim + 1, start + (table is null ? 0 : table[c]));
        }
    }

    /// <summary>c * stride for c in 0..size: the table of an unchanged dimension.</summary>
    internal static long[] StrideTable(long size, long stride)
    {
        var table = new long[size];
        for (long c = 0; c < size; c++) table[c] = c * stride;
        return table;
    }

    /// <summary>The row-major flat positions of <paramref name="shape"/> itself (a contiguous layout's offsets).</summary>
    internal static long[][] ContiguousTables(long[] shape)
    {
        var strides = ShapeMath.ContiguousStrides(shape);
        return shape.Select((size, d) => StrideTable(size, strides[d])).ToArray();
    }

    /// <summary>result[i] = x.flat[flat[i]] (the bits, any dtype), shaped <paramref name="outShape"/>.</summary>
    internal static Tensor TakeRaw(Tensor x, long[] flat, long[] outShape)
    {
        var source = x.ContiguousRaw();
        var result = Empty(outShape, x.DType);
        using var from = source.Lease();
        using var to = result.Lease();
        fixed (byte* fromPtr = from, toPtr = to)
            switch (x.DType.SizeOf())
            {
                case 1: Take((byte*)fromPtr, flat, (byte*)toPtr); break;
                case 4: Take((int*)fromPtr, flat, (int*)toPtr); break;
                default: Take((long*)fromPtr, flat, (long*)toPtr); break;
            }
        return result;

        static void Take<T>(T* source, long[] flat, T* result) where T : unmanaged
        {
            for (long i = 0; i < flat.LongLength; i++) result[i] = source[flat[i]];
        }
    }

    /// <summary>
    /// destination.flat[flat[i]] = values.flat[i] (converted to destination's dtype), or += when
    /// <paramref name="accumulate"/> (logical or for bool), in order i = 0, 1, ...; destination is
    /// contiguous and values has flat.Length elements.
    /// </summary>
    internal static void PutRaw(Tensor destination, long[] flat, Tensor values, bool accumulate)
    {
        var source = values.CastRaw(destination.DType).ContiguousRaw();
        using var from = source.Lease();
        using var to = destination.Lease();
        if (!accumulate)
        {
            fixed (byte* fromPtr = from, toPtr = to)
                switch (destination.DType.SizeOf())
                {
                    case 1: Put((byte*)fromPtr, flat, (byte*)toPtr); break;
                    case 4: Put((int*)fromPtr, flat, (int*)toPtr); break;
                    default: Put((long*)fromPtr, flat, (long*)toPtr); break;
                }
        }
        else
        {
            fixed (byte* fromPtr = from, toPtr = to)
                switch (destination.DType)
                {
                    case DType.Float32: Add((float*)fromPtr, flat, (float*)toPtr); break;
                    case DType.Float64: Add((double*)fromPtr, flat, (double*)toPtr); break;
                    case DType.Int64: Add((long*)fromPtr, flat, (long*)toPtr); break;
                    default: Or((byte*)fromPtr, flat, (byte*)toPtr); break;
                }
        }
        destination.storage.BumpVersion();

        static void Put<T>(T* values, long[] flat, T* destination) where T : unmanaged
        {
            for (long i = 0; i < flat.LongLength; i++) destination[flat[i]] = values[i];
        }

        static void Add<T>(T* values, long[] flat, T* destination) where T : unmanaged, INumber<T>
        {
            for (long i = 0; i < flat.LongLength; i++) destination[flat[i]] += values[i];
        }

        static void Or(byte* values, long[] flat, byte* destination)
        {
            for (long i = 0; i < flat.LongLength; i++) destination[flat[i]] = (byte)(destination[flat[i]] | values[i]);
        }
    }

    /// <summary>The row-major flat positions of this tensor's non-zero elements (NaN counts as non-zero).</summary>
    internal long[] NonzeroFlatRaw()
    {
        var mask = CopyRaw(DType.Bool);
        using var data = mask.Lease();
        fixed (byte* bytes = data)
        {
            long count = 0, n = mask.NumElements;
            for (long i = 0; i < n; i++) count += bytes[i] != 0 ? 1 : 0;
            var flat = new long[count];
            for (long i = 0, next = 0; i < n; i++)
                if (bytes[i] != 0) flat[next++] = i;
            return flat;
        }
    }
}
