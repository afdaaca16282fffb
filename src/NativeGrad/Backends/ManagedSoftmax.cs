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

    public void SoftmaxBackward(bool log, DType dtype, void* grad, void* output, long rows, long length, void* gradInput)
    {
        if (length == 0 && rows > 0)
            throw new ArgumentException("Cannot normalise an empty row.", nameof(length));
        if (length > int.MaxValue)
            throw new ArgumentOutOfRangeException(nameof(length), length, "The managed softmax takes rows of at most int.MaxValue elements.");
        switch (dtype)
        {
            case DType.Float32: SoftmaxBackwardRows(log, (float*)grad, (float*)output, rows, (int)length, (float*)gradInput); break;
            case DType.Float64: SoftmaxBackwardRows(log, (double*)grad, (double*)output, rows, (int)length, (double*)gradInput); break;
            default: throw Unsupported("softmax backward", log ? "LogSoftmax" : "Softmax", dtype);
        }
    }

    // The rules' steps with the kernels the composition runs on this backend: ManagedReduce.Sum,
    // ManagedUnary's exp and TensorPrimitives' elementwise arithmetic. gradInput holds exp(output)
    // (log-softmax) or grad * output (softmax) until the row is finished.
    private static void SoftmaxBackwardRows<T>(bool log, T* grad, T* output, long rows, int length, T* gradInput)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (long r = 0; r < rows; r++)
        {
            T* g = grad + r * length, o = output + r * length, x = gradInput + r * length;
            var gRow = new ReadOnlySpan<T>(g, length);
            var oRow = new ReadOnlySpan<T>(o, length);
            var xRow = new Span<T>(x, length);
            T sum;
            if (log)
            {
                ManagedReduce.Sum(g, 1, length, &sum);
                ManagedUnary.Floating(UnaryOp.Exp, oRow, xRow);
                TensorPrimitives.Multiply(xRow, sum, xRow);
                TensorPrimitives.Subtract(gRow, xRow, xRow);
            }
            else
            {
                TensorPrimitives.Multiply(gRow, oRow, xRow);
                ManagedReduce.Sum(x, 1, length, &sum);
                TensorPrimitives.Subtract(gRow, sum, xRow);
                TensorPrimitives.Multiply(oRow, xRow, xRow);
            }
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
