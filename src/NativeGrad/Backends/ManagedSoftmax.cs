using System.Buffers;
using System.Numerics;
using System.Numerics.Tensors;

namespace NativeGrad.Backends;

/// <summary>
/// <see cref="IKernels.Softmax"/> for the managed backend, row by row with the managed backend's
/// own pieces in the native kernel's order: the max of ManagedReduce.Extreme, the
/// exponentials of <see cref="ManagedUnary"/>, the (float32 through double) sum of
/// <see cref="ManagedReduce.Sum"/>, so results equal the composition of those kernels.
/// </summary>
internal sealed unsafe partial class ManagedKernels
{
    public void Softmax(bool log, DType dtype, void* x, long rows, long length, void* result)
    {
        if (length == 0 && rows > 0)
            throw new ArgumentException("Cannot normalise an empty row.", nameof(length));
        if (length > int.MaxValue)
            throw new ArgumentOutOfRangeException(nameof(length), length, "The managed softmax takes rows of at most int.MaxValue elements.");
        switch (dtype)
        {
            case DType.Float32: SoftmaxRows(log, (float*)x, rows, (int)length, (float*)result); break;
            case DType.Float64: SoftmaxRows(log, (double*)x, rows, (int)length, (double*)result); break;
            default: throw Unsupported("softmax", log ? "LogSoftmax" : "Softmax", dtype);
        }
    }

    private static void SoftmaxRows<T>(bool log, T* x, long rows, int length, T* result)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        T[]? scratch = log ? ArrayPool<T>.Shared.Rent(length) : null;
        try
        {
            for (long r = 0; r < rows; r++)
            {
                var input = new ReadOnlySpan<T>(x + r * length, length);
                var output = new Span<T>(result + r * length, length);
                T max, sum;
                ManagedReduce.Extreme(max: true, x + r * length, 1, length, &max, null);
                // Both are read element by element before that element is written: output may be input.
                TensorPrimitives.Subtract(input, max, output);
                var exponentials = log ? scratch.AsSpan(0, length) : output;
                ManagedUnary.Floating(UnaryOp.Exp, output, exponentials);
                fixed (T* pExponentials = exponentials) ManagedReduce.Sum(pExponentials, 1, length, &sum);
                if (log)
                {
                    T logSum;
                    ManagedUnary.Floating(UnaryOp.Log, new ReadOnlySpan<T>(&sum, 1), new Span<T>(&logSum, 1));
                    TensorPrimitives.Subtract(output, logSum, output);
                }
                else TensorPrimitives.Divide(output, sum, output);
            }
        }
        finally
        {
            if (scratch is not null) ArrayPool<T>.Shared.Return(scratch);
        }
    }
}
