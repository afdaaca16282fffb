using System.Runtime.InteropServices;

namespace NativeGrad.Backends;

/// <summary>Elementwise binary operations a backend implements.</summary>
public enum BinaryOp
{
    /// <summary>a + b</summary>
    Add,
    /// <summary>a * b</summary>
    Mul,
}

/// <summary>
/// The seam between tensors and the loops that compute them. Tensor storage is native memory on
/// both backends, so kernels take raw pointers; callers have already checked shapes and dtypes.
/// </summary>
internal unsafe interface IKernels
{
    /// <summary>Which backend this is.</summary>
    BackendKind Kind { get; }

    /// <summary>Allocates an uninitialised 64-byte aligned block owned by the returned handle.</summary>
    SafeHandle Allocate(long bytes, out void* pointer);

    /// <summary>result[i] = a[i] op b[i] for i in [0, count); result may alias a or b exactly.</summary>
    void Binary(BinaryOp op, DType dtype, void* a, void* b, void* result, long count);

    /// <summary>C = alpha * op(A) @ op(B) + beta * C, row-major; beta == 0 does not read C.</summary>
    void Gemm(DType dtype, bool transA, bool transB, long m, long n, long k,
              double alpha, void* a, long lda, void* b, long ldb, double beta, void* c, long ldc);
}
