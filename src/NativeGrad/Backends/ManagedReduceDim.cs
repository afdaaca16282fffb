using System.Numerics;

namespace NativeGrad.Backends;

/// <summary>
/// <see cref="IKernels.ReduceDim"/> for the managed backend: a block's middle axis reduced down
/// its columns, reading each of the <c>length</c> rows once, front to back, into a row of
/// accumulators - the order and rules of the native kernels (float32 sums in double; max and min
/// keep the first extreme, or the first NaN).
/// </summary>
internal sealed unsafe partial class ManagedKernels
{
    public void ReduceDim(ReduceOp op, DType dtype, void* x, long outer, long length, long inner, void* result, long* indices)
    {
        if (inner == 1)
        {
            Reduce(op, dtype, x, outer, length, result, indices);
            return;
        }
        switch (dtype)
        {
            case DType.Float32: ReduceColumns(op, (float*)x, outer, length, inner, (float*)result, indices); break;
            case DType.Float64: ReduceColumns(op, (double*)x, outer, length, inner, (double*)result, indices); break;
            case DType.Int64: ReduceColumns(op, (long*)x, outer, length, inner, (long*)result, indices); break;
            default: throw Unsupported("reduce", op.ToString(), dtype);
        }
    }

    private static void ReduceColumns<T>(ReduceOp op, T* x, long outer, long length, long inner, T* result, long* indices)
        where T : unmanaged, INumber<T>
    {
        if (op != ReduceOp.Sum && length == 0 && outer * inner > 0)
            throw new ArgumentException($"Cannot compute the {op.ToString().ToLowerInvariant()} of an empty column.", nameof(length));
        for (long o = 0; o < outer; o++)
        {
            T* block = x + o * length * inner;
            T* output = result + o * inner;
            long* outputIndices = indices == null ? null : indices + o * inner;
            if (op == ReduceOp.Sum) SumColumns(block, length, inner, output);
            else ExtremeColumns(op == ReduceOp.Max, block, length, inner, output, outputIndices);
        }
    }

    private static void SumColumns<T>(T* x, long length, long inner, T* result) where T : unmanaged, INumber<T>
    {
        if (typeof(T) == typeof(float))
        {
            var sums = new double[inner];
            for (long k = 0; k < length; k++)
            {
                float* row = (float*)x + k * inner;
                for (long j = 0; j < inner; j++) sums[j] += row[j];
            }
            for (long j = 0; j < inner; j++) result[j] = T.CreateTruncating(sums[j]);
            return;
        }
        for (long j = 0; j < inner; j++) result[j] = T.Zero;
        for (long k = 0; k < length; k++)
        {
            T* row = x + k * inner;
            for (long j = 0; j < inner; j++) result[j] = unchecked(result[j] + row[j]);  // int64 wraps
        }
    }

    private static void ExtremeColumns<T>(bool max, T* x, long length, long inner, T* result, long* indices)
        where T : unmanaged, INumber<T>
    {
        var where = new long[inner];
        for (long j = 0; j < inner; j++) result[j] = x[j];
        for (long k = 1; k < length; k++)
        {
            T* row = x + k * inner;
            for (long j = 0; j < inner; j++)
            {
                T value = row[j], best = result[j];
                bool better = max ? value > best : value < best;
                if (better || (T.IsNaN(value) && !T.IsNaN(best)))
                {
                    result[j] = value;
                    where[j] = k;
                }
            }
        }
        if (indices != null)
            for (long j = 0; j < inner; j++) indices[j] = where[j];
    }
}
