using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.InteropServices;

namespace NativeGrad.Backends;

/// <summary>
/// Pure C# kernels over the same native memory: TensorPrimitives does the vector work, so the
/// JIT picks AVX2/AVX-512 where the machine has them. Both a fallback when libnativegrad cannot
/// load and the baseline the native kernels are benchmarked against.
/// </summary>
internal sealed unsafe class ManagedKernels : IKernels
{
    // Spans are int-sized; larger tensors are processed in chunks of this many elements.
    private const int ChunkElements = 1 << 30;

    public BackendKind Kind => BackendKind.Managed;

    public SafeHandle Allocate(long bytes, out void* pointer)
    {
        var handle = AlignedBlockHandle.Allocate(bytes);
        pointer = handle.Pointer;
        return handle;
    }

    public void Binary(BinaryOp op, DType dtype, void* a, void* b, void* result, long count)
    {
        switch (dtype)
        {
            case DType.Float32: Binary(op, (float*)a, (float*)b, (float*)result, count); break;
            case DType.Float64: Binary(op, (double*)a, (double*)b, (double*)result, count); break;
            default: throw new NotSupportedException($"Binary {op} is not implemented for {dtype.TorchName()}.");
        }
    }

    private static void Binary<T>(BinaryOp op, T* a, T* b, T* result, long count)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (long start = 0; start < count; start += ChunkElements)
        {
            int length = (int)Math.Min(ChunkElements, count - start);
            var x = new ReadOnlySpan<T>(a + start, length);
            var y = new ReadOnlySpan<T>(b + start, length);
            var destination = new Span<T>(result + start, length);
            switch (op)
            {
                case BinaryOp.Add: TensorPrimitives.Add(x, y, destination); break;
                case BinaryOp.Mul: TensorPrimitives.Multiply(x, y, destination); break;
                default: throw new ArgumentOutOfRangeException(nameof(op), op, "Unknown binary op.");
            }
        }
    }

    public void Gemm(DType dtype, bool transA, bool transB, long m, long n, long k,
                     double alpha, void* a, long lda, void* b, long ldb, double beta, void* c, long ldc)
    {
        switch (dtype)
        {
            case DType.Float32:
                Gemm(transA, transB, m, n, k, (float)alpha, (float*)a, lda, (float*)b, ldb, (float)beta, (float*)c, ldc);
                break;
            case DType.Float64:
                Gemm(transA, transB, m, n, k, alpha, (double*)a, lda, (double*)b, ldb, beta, (double*)c, ldc);
                break;
            default: throw new NotSupportedException($"Matrix multiply is not implemented for {dtype.TorchName()}.");
        }
    }

    // Row-at-a-time GEMM: each row of C accumulates alpha * A[i,p] * (row p of op(B)) with one
    // vectorised multiply-add per p, so the inner loop runs over contiguous memory. A transposed
    // B is packed first so that its rows are contiguous too.
    private static void Gemm<T>(bool transA, bool transB, long m, long n, long k,
                                T alpha, T* a, long lda, T* b, long ldb, T beta, T* c, long ldc)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (n > int.MaxValue)
            throw new ArgumentOutOfRangeException(nameof(n), n, "The managed GEMM supports at most int.MaxValue columns.");
        T[]? packedB = transB && k > 0 && n > 0 ? PackTransposed(b, ldb, k, n) : null;
        for (long i = 0; i < m; i++)
        {
            var cRow = new Span<T>(c + i * ldc, (int)n);
            if (beta == T.Zero) cRow.Clear();
            else if (beta != T.One) TensorPrimitives.Multiply(cRow, beta, cRow);
            if (alpha == T.Zero) continue;
            for (long p = 0; p < k; p++)
            {
                T scale = alpha * (transA ? a[p * lda + i] : a[i * lda + p]);
                ReadOnlySpan<T> bRow = packedB is null
                    ? new ReadOnlySpan<T>(b + p * ldb, (int)n)
                    : packedB.AsSpan((int)(p * n), (int)n);
                TensorPrimitives.MultiplyAdd(bRow, scale, cRow, cRow);
            }
        }
    }

    // B is stored n x k (row-major, leading dimension ldb); returns op(B) = B^T as k x n.
    private static T[] PackTransposed<T>(T* b, long ldb, long k, long n) where T : unmanaged
    {
        var packed = new T[checked(k * n)];
        for (long j = 0; j < n; j++)
            for (long p = 0; p < k; p++)
                packed[p * n + j] = b[j * ldb + p];
        return packed;
    }
}

/// <summary>A 64-byte aligned block from <see cref="NativeMemory.AlignedAlloc"/>; the GC is told its size.</summary>
internal sealed unsafe class AlignedBlockHandle : SafeHandle
{
    private AlignedBlockHandle(void* block, long bytes) : base(IntPtr.Zero, ownsHandle: true)
    {
        SetHandle((IntPtr)block);
        ByteLength = bytes;
        if (bytes > 0) GC.AddMemoryPressure(bytes);
    }

    public long ByteLength { get; }

    public void* Pointer => (void*)handle;

    public override bool IsInvalid => handle == IntPtr.Zero;

    public static AlignedBlockHandle Allocate(long bytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(bytes);
        return new AlignedBlockHandle(NativeMemory.AlignedAlloc((nuint)Math.Max(bytes, 1), 64), bytes);
    }

    protected override bool ReleaseHandle()
    {
        NativeMemory.AlignedFree((void*)handle);
        if (ByteLength > 0) GC.RemoveMemoryPressure(ByteLength);
        return true;
    }
}
