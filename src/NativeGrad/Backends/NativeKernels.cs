using System.Runtime.InteropServices;
using NativeGrad.Native;
using static NativeGrad.Native.NativeMethods;

namespace NativeGrad.Backends;

/// <summary>Kernels in libnativegrad, through the generated P/Invoke layer.</summary>
internal sealed unsafe class NativeKernels : IKernels
{
    public NativeKernels() => NativeLibraryLoader.EnsureLoaded();

    public BackendKind Kind => BackendKind.Native;

    public SafeHandle Allocate(long bytes, out void* pointer)
    {
        var handle = StorageHandle.Allocate(bytes);
        pointer = handle.Pointer;
        return handle;
    }

    public void Binary(BinaryOp op, DType dtype, void* a, void* b, void* result, long count) =>
        NativeStatus.ThrowIfFailed(ng_binary(ToNative(op), ToNative(dtype), a, b, result, count));

    public void Gemm(DType dtype, bool transA, bool transB, long m, long n, long k,
                     double alpha, void* a, long lda, void* b, long ldb, double beta, void* c, long ldc) =>
        NativeStatus.ThrowIfFailed(ng_gemm(ToNative(dtype), transA ? 1 : 0, transB ? 1 : 0, m, n, k,
                                           alpha, a, lda, b, ldb, beta, c, ldc));

    private static NgBinaryOp ToNative(BinaryOp op) => op switch
    {
        BinaryOp.Add => NgBinaryOp.Add,
        BinaryOp.Mul => NgBinaryOp.Mul,
        _ => throw new ArgumentOutOfRangeException(nameof(op), op, "Unknown binary op."),
    };

    private static NgDtype ToNative(DType dtype) => dtype switch
    {
        DType.Float32 => NgDtype.F32,
        DType.Float64 => NgDtype.F64,
        DType.Int64 => NgDtype.I64,
        DType.Bool => NgDtype.Bool,
        _ => throw new ArgumentOutOfRangeException(nameof(dtype), dtype, "Unknown dtype."),
    };
}
