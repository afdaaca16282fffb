using System.Runtime.InteropServices;

namespace NativeGrad.Backends;

/// <summary>Elementwise functions of one tensor.</summary>
internal enum UnaryOp
{
    Neg, Exp, Log, Sqrt, Abs, Relu, Sigmoid, Tanh, Sin, Cos,
    /// <summary>The error function; gelu's derivative is written with it.</summary>
    Erf,
    /// <summary>x * Φ(x) with the exact (erf) form of Φ.</summary>
    Gelu,
    /// <summary>-1, 0 or 1 (NaN stays NaN).</summary>
    Sign,
    Reciprocal,
    /// <summary>Rounding (Round: to nearest, ties to even): exact in every dtype.</summary>
    Floor, Ceil, Round, Trunc,
    /// <summary>The C library's functions; Log1p and Expm1 keep the precision of small x.</summary>
    Log1p, Expm1, Log2, Log10, Asin, Acos, Atan, Sinh, Cosh,
}

/// <summary>Elementwise functions of two tensors; the comparisons (Eq to Ge) write bool.</summary>
internal enum BinaryOp
{
    Add, Mul, Sub, Div, Pow, Maximum, Minimum,
    Eq, Ne, Lt, Le, Gt, Ge,
    /// <summary>atan2(a, b) and hypot(a, b), floating only.</summary>
    Atan2, Hypot,
    /// <summary>C's fmod (the sign of a) and Python's % (the sign of b); int64 needs b != 0.</summary>
    Fmod, Remainder,
    /// <summary>Bitwise and, or, xor: int64 only.</summary>
    BitwiseAnd, BitwiseOr, BitwiseXor,
}

internal static class BinaryOpExtensions
{
    /// <summary>Whether the op writes bool (Eq to Ge).</summary>
    public static bool IsComparison(this BinaryOp op) => op is >= BinaryOp.Eq and <= BinaryOp.Ge;

    /// <summary>Whether the op is int64-only bitwise arithmetic.</summary>
    public static bool IsBitwise(this BinaryOp op) => op is BinaryOp.BitwiseAnd or BinaryOp.BitwiseOr or BinaryOp.BitwiseXor;
}

/// <summary>Reductions along the last axis of a row-major block.</summary>
internal enum ReduceOp { Sum, Max, Min }

/// <summary>
/// The seam between tensors and the loops that compute them. Tensor storage is native memory on
/// both backends, so kernels take raw pointers; callers have already checked shapes and dtypes.
/// Shapes and strides are in elements; a stride of 0 repeats (broadcasts) an element.
/// </summary>
internal unsafe partial interface IKernels
{
    /// <summary>Which backend this is.</summary>
    BackendKind Kind { get; }

    /// <summary>Allocates an uninitialised 64-byte aligned block owned by the returned handle.</summary>
    SafeHandle Allocate(long bytes, out void* pointer);

    /// <summary>result[i] = op(x[i]) over contiguous data; float32 and float64 (Neg, Abs, Sign also int64).</summary>
    void Unary(UnaryOp op, DType dtype, void* x, void* result, long count);

    /// <summary>
    /// result = a op b over <paramref name="shape"/>, reading a and b through their strides and
    /// writing result contiguously. a and b have <paramref name="dtype"/>; result has it too,
    /// or bool for the comparisons.
    /// </summary>
    void Binary(BinaryOp op, DType dtype, ReadOnlySpan<long> shape,
                void* a, ReadOnlySpan<long> aStrides, void* b, ReadOnlySpan<long> bStrides, void* result);

    /// <summary>
    /// result = a + alpha * b rounded once (a fused multiply-add, as PyTorch's add with alpha;
    /// int64 wraps), strided like <see cref="Binary"/>. <paramref name="alpha"/> points at one
    /// element of <paramref name="dtype"/>: float32, float64 or int64.
    /// </summary>
    void AddScaled(DType dtype, ReadOnlySpan<long> shape, void* a, ReadOnlySpan<long> aStrides,
                   void* b, ReadOnlySpan<long> bStrides, void* alpha, void* result);

    /// <summary>result = condition ? a : b, strided like <see cref="Binary"/>; condition is bool.</summary>
    void Where(DType dtype, ReadOnlySpan<long> shape, void* condition, ReadOnlySpan<long> conditionStrides,
               void* a, ReadOnlySpan<long> aStrides, void* b, ReadOnlySpan<long> bStrides, void* result);

    /// <summary>
    /// Copies <paramref name="shape"/> elements from source to destination, both strided,
    /// converting between dtypes (float to int truncates toward zero; anything to bool is != 0).
    /// </summary>
    void Copy(ReadOnlySpan<long> shape, DType sourceType, void* source, ReadOnlySpan<long> sourceStrides,
              DType destinationType, void* destination, ReadOnlySpan<long> destinationStrides);

    /// <summary>
    /// Reduces each of <paramref name="rows"/> contiguous rows of <paramref name="length"/> elements
    /// into result[row]; for Max and Min, <paramref name="indices"/> (when not null) receives the
    /// position of the first extreme value, and NaN wins like in PyTorch.
    /// </summary>
    void Reduce(ReduceOp op, DType dtype, void* x, long rows, long length, void* result, long* indices);

    /// <summary>
    /// Reduces the middle axis of a contiguous <paramref name="outer"/> x <paramref name="length"/> x
    /// <paramref name="inner"/> block without reordering it: result[o * inner + j] = the reduction over
    /// k of x[(o * length + k) * inner + j], each column in order k = 0, 1, ... (float32 sums in
    /// double); indices as in <see cref="Reduce"/>, positions k. <see cref="Reduce"/> is inner == 1.
    /// </summary>
    void ReduceDim(ReduceOp op, DType dtype, void* x, long outer, long length, long inner, void* result, long* indices);

    /// <summary>
    /// Softmax (or log-softmax when <paramref name="log"/>) of each of <paramref name="rows"/>
    /// contiguous rows of <paramref name="length"/> (> 0) elements into result (which may be x):
    /// m = the row's max, e = exp(x - m), s = the sum of e (float32 through double), then e / s or
    /// (x - m) - log(s); float32 and float64.
    /// </summary>
    void Softmax(bool log, DType dtype, void* x, long rows, long length, void* result);

    /// <summary>
    /// The gradient of <see cref="Softmax"/>'s rows from <paramref name="grad"/> (of its output) and
    /// <paramref name="output"/>, into <paramref name="gradInput"/> (overlapping neither), in the
    /// steps of the derivative table's rules: log-softmax grad - exp(output) * sum(grad), softmax
    /// output * (grad - sum(grad * output)), row sums as <see cref="Reduce"/>'s, so the result is
    /// bit for bit that of those rules on this backend.
    /// </summary>
    void SoftmaxBackward(bool log, DType dtype, void* grad, void* output, long rows, long length, void* gradInput);

    /// <summary>
    /// One element of x per position (o, j), o &lt; outer, j &lt; inner: result[o * inner + j] =
    /// x[o * xStrides[0] + index[o * inner + j] * xStrides[1] + j * xStrides[2]], or 0 where the
    /// index is -1; index and result are contiguous. Every index is in [-1, length) (the caller checked).
    /// </summary>
    void Gather(DType dtype, long outer, long length, long inner, void* x, ReadOnlySpan<long> xStrides, long* index, void* result);

    /// <summary>
    /// The gradient of <see cref="Gather"/> for a contiguous x: zeros into result (outer x length x
    /// inner), then values[o * inner + j] at (o, index[o * inner + j], j), skipping index -1.
    /// </summary>
    void Scatter(DType dtype, long outer, long length, long inner, void* values, long* index, void* result);

    /// <summary>C = alpha * op(A) @ op(B) + beta * C, row-major; beta == 0 does not read C.</summary>
    void Gemm(DType dtype, bool transA, bool transB, long m, long n, long k,
              double alpha, void* a, long lda, void* b, long ldb, double beta, void* c, long ldc);

    /// <summary>
    /// <see cref="Gemm"/> on <paramref name="batch"/> products: product i reads A at
    /// a + i * strideA and B at b + i * strideB, and writes C at c + i * strideC (strides in
    /// elements; 0 shares one A or B; the C matrices do not overlap).
    /// </summary>
    void GemmBatched(DType dtype, bool transA, bool transB, long m, long n, long k, long batch,
                     double alpha, void* a, long lda, long strideA, void* b, long ldb, long strideB,
                     double beta, void* c, long ldc, long strideC);
}
