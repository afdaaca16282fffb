using System.Runtime.InteropServices;
using NativeGrad.Native;
using static NativeGrad.Native.NativeMethods;

namespace NativeGrad.Backends;

/// <summary>Kernels in libnativegrad, through the generated P/Invoke layer; enums map one to one.</summary>
internal sealed unsafe partial class NativeKernels : IKernels
{
    public NativeKernels() => NativeLibraryLoader.EnsureLoaded();

    public BackendKind Kind => BackendKind.Native;

    public SafeHandle Allocate(long bytes, out void* pointer)
    {
        var handle = StorageHandle.Allocate(bytes);
        pointer = handle.Pointer;
        return handle;
    }

    public void Unary(UnaryOp op, DType dtype, void* x, void* result, long count) =>
        NativeStatus.ThrowIfFailed(ng_unary(ToNative(op), ToNative(dtype), x, result, count));

    public void Binary(BinaryOp op, DType dtype, ReadOnlySpan<long> shape,
                       void* a, ReadOnlySpan<long> aStrides, void* b, ReadOnlySpan<long> bStrides, void* result)
    {
        fixed (long* pShape = shape, pa = aStrides, pb = bStrides)
            NativeStatus.ThrowIfFailed(ng_binary(ToNative(op), ToNative(dtype), shape.Length, pShape, a, pa, b, pb, result));
    }

    public void AddScaled(DType dtype, ReadOnlySpan<long> shape, void* a, ReadOnlySpan<long> aStrides,
                          void* b, ReadOnlySpan<long> bStrides, void* alpha, void* result)
    {
        fixed (long* pShape = shape, pa = aStrides, pb = bStrides)
            NativeStatus.ThrowIfFailed(ng_add_scaled(ToNative(dtype), shape.Length, pShape, a, pa, b, pb, alpha, result));
    }

    public void Where(DType dtype, ReadOnlySpan<long> shape, void* condition, ReadOnlySpan<long> conditionStrides,
                      void* a, ReadOnlySpan<long> aStrides, void* b, ReadOnlySpan<long> bStrides, void* result)
    {
        fixed (long* pShape = shape, pc = conditionStrides, pa = aStrides, pb = bStrides)
            NativeStatus.ThrowIfFailed(ng_where(ToNative(dtype), shape.Length, pShape, condition, pc, a, pa, b, pb, result));
    }

    public void Copy(ReadOnlySpan<long> shape, DType sourceType, void* source, ReadOnlySpan<long> sourceStrides,
                     DType destinationType, void* destination, ReadOnlySpan<long> destinationStrides)
    {
        fixed (long* pShape = shape, ps = sourceStrides, pd = destinationStrides)
            NativeStatus.ThrowIfFailed(ng_copy(shape.Length, pShape, ToNative(sourceType), source, ps,
                                               ToNative(destinationType), destination, pd));
    }

    public void Reduce(ReduceOp op, DType dtype, void* x, long rows, long length, void* result, long* indices) =>
        NativeStatus.ThrowIfFailed(ng_reduce((NgReduceOp)op, ToNative(dtype), x, rows, length, result, indices));

    public void ReduceDim(ReduceOp op, DType dtype, void* x, long outer, long length, long inner, void* result, long* indices) =>
        NativeStatus.ThrowIfFailed(ng_reduce_dim((NgReduceOp)op, ToNative(dtype), x, outer, length, inner, result, indices));

    public void Softmax(bool log, DType dtype, void* x, long rows, long length, void* result) =>
        NativeStatus.ThrowIfFailed(ng_softmax(ToNative(dtype), log ? 1 : 0, x, rows, length, result));

    public void SoftmaxBackward(bool log, DType dtype, void* grad, void* output, long rows, long length, void* gradInput) =>
        NativeStatus.ThrowIfFailed(ng_softmax_backward(ToNative(dtype), log ? 1 : 0, grad, output, rows, length, gradInput));

    public void Gather(DType dtype, long outer, long length, long inner, void* x, ReadOnlySpan<long> xStrides, long* index, void* result)
    {
        fixed (long* pStrides = xStrides)
            NativeStatus.ThrowIfFailed(ng_gather(ToNative(dtype), outer, length, inner, x, pStrides, index, result));
    }

    public void Scatter(DType dtype, long outer, long length, long inner, void* values, long* index, void* result) =>
        NativeStatus.ThrowIfFailed(ng_scatter(ToNative(dtype), outer, length, inner, values, index, result));

    public void Gemm(DType dtype, bool transA, bool transB, long m, long n, long k,
                     double alpha, void* a, long lda, void* b, long ldb, double beta, void* c, long ldc) =>
        NativeStatus.ThrowIfFailed(ng_gemm(ToNative(dtype), transA ? 1 : 0, transB ? 1 : 0, m, n, k,
                                           alpha, a, lda, b, ldb, beta, c, ldc));

    public void GemmBatched(DType dtype, bool transA, bool transB, long m, long n, long k, long batch,
                            double alpha, void* a, long lda, long strideA, void* b, long ldb, long strideB,
                            double beta, void* c, long ldc, long strideC) =>
        NativeStatus.ThrowIfFailed(ng_gemm_batched(ToNative(dtype), transA ? 1 : 0, transB ? 1 : 0, m, n, k, batch,
                                                   alpha, a, lda, strideA, b, ldb, strideB, beta, c, ldc, strideC));

    // The managed op enums list the operations in the header's order (a test checks the names match).
    private static NgUnaryOp ToNative(UnaryOp op) => (NgUnaryOp)op;

    private static NgBinaryOp ToNative(BinaryOp op) => (NgBinaryOp)op;

    private static NgDtype ToNative(DType dtype) => dtype switch
    {
        DType.Float32 => NgDtype.F32,
        DType.Float64 => NgDtype.F64,
        DType.Int64 => NgDtype.I64,
        DType.Bool => NgDtype.Bool,
        _ => throw new ArgumentOutOfRangeException(nameof(dtype), dtype, "Unknown dtype."),
    };
}
