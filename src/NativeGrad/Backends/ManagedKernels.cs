using System.Numerics;
using System.Runtime.InteropServices;
using NativeGrad.Native;

namespace NativeGrad.Backends;

/// <summary>
/// Pure C# kernels over the same native memory as the native backend, with the semantics of the C
/// ABI in nativegrad.h. TensorPrimitives (which the JIT runs on AVX2 or AVX-512, or Arm's 128-bit
/// vectors) and Vector256 code do the vector work. Both the fallback when libnativegrad cannot
/// load and the baseline the native kernels are benchmarked against. This file dispatches on dtype and op;
/// the loops are in the other Managed*.cs files: <see cref="StridedLoop"/> walks strided operands,
/// <see cref="ManagedUnary"/>, <see cref="ArithmeticRow{T}"/>, <see cref="CompareRow{T, TCompare}"/>,
/// <see cref="WhereRow{T}"/>, <see cref="CopyRow{TSource, TDestination}"/>,
/// <see cref="ManagedReduce"/> and <see cref="ManagedGemm"/> compute.
/// </summary>
internal sealed unsafe partial class ManagedKernels : IKernels
{
    // Spans are int-sized; longer contiguous unary runs are processed in chunks of this many elements.
    private const int ChunkElements = 1 << 30;

    public BackendKind Kind => BackendKind.Managed;

    public SafeHandle Allocate(long bytes, out void* pointer)
    {
        var handle = AlignedBlockHandle.Allocate(bytes);
        pointer = handle.Pointer;
        return handle;
    }

    public void Unary(UnaryOp op, DType dtype, void* x, void* result, long count)
    {
        if (dtype is not (DType.Float32 or DType.Float64) && !(dtype == DType.Int64 && op is (UnaryOp.Neg or UnaryOp.Abs or UnaryOp.Sign)))
            throw Unsupported("unary", op.ToString(), dtype);
        for (long start = 0; start < count; start += ChunkElements)
        {
            int length = (int)Math.Min(ChunkElements, count - start);
            switch (dtype)
            {
                case DType.Float32:
                    ManagedUnary.Floating(op, new ReadOnlySpan<float>((float*)x + start, length), new Span<float>((float*)result + start, length));
                    break;
                case DType.Float64:
                    ManagedUnary.Floating(op, new ReadOnlySpan<double>((double*)x + start, length), new Span<double>((double*)result + start, length));
                    break;
                default:
                    ManagedUnary.Int64(op, new ReadOnlySpan<long>((long*)x + start, length), new Span<long>((long*)result + start, length));
                    break;
            }
        }
    }

    public void Binary(BinaryOp op, DType dtype, ReadOnlySpan<long> shape,
                       void* a, ReadOnlySpan<long> aStrides, void* b, ReadOnlySpan<long> bStrides, void* result)
    {
        int size = dtype.SizeOf();
        var x = new StridedOperand(a, aStrides, size);
        var y = new StridedOperand(b, bStrides, size);
        if (op.IsComparison())
        {
            var mask = StridedOperand.Contiguous(result, sizeof(byte));
            switch (dtype)
            {
                case DType.Float32: Compare<float>(op, shape, x, y, mask); break;
                case DType.Float64: Compare<double>(op, shape, x, y, mask); break;
                case DType.Int64: Compare<long>(op, shape, x, y, mask); break;
                case DType.Bool: Compare<byte>(op, shape, x, y, mask); break;
                default: throw Unsupported("binary", op.ToString(), dtype);
            }
            return;
        }
        var z = StridedOperand.Contiguous(result, size);
        switch (dtype)
        {
            case DType.Float32 when !op.IsBitwise(): Arithmetic<float>(op, shape, x, y, z); break;
            case DType.Float64 when !op.IsBitwise(): Arithmetic<double>(op, shape, x, y, z); break;
            case DType.Int64 when op is not (BinaryOp.Div or BinaryOp.Atan2 or BinaryOp.Hypot): Arithmetic<long>(op, shape, x, y, z); break;
            default: throw Unsupported("binary", op.ToString(), dtype);
        }
    }

    public void AddScaled(DType dtype, ReadOnlySpan<long> shape, void* a, ReadOnlySpan<long> aStrides,
                          void* b, ReadOnlySpan<long> bStrides, void* alpha, void* result)
    {
        int size = dtype.SizeOf();
        var x = new StridedOperand(a, aStrides, size);
        var y = new StridedOperand(b, bStrides, size);
        var z = StridedOperand.Contiguous(result, size);
        switch (dtype)
        {
            case DType.Float32:
                var f32 = new FusedAddScaledRow<float>(*(float*)alpha);
                StridedLoop.Run(ref f32, shape, x, y, z);
                break;
            case DType.Float64:
                var f64 = new FusedAddScaledRow<double>(*(double*)alpha);
                StridedLoop.Run(ref f64, shape, x, y, z);
                break;
            case DType.Int64:
                var i64 = new IntegerAddScaledRow(*(long*)alpha);
                StridedLoop.Run(ref i64, shape, x, y, z);
                break;
            default: throw Unsupported("add_scaled", "add", dtype);
        }
    }

    public void Where(DType dtype, ReadOnlySpan<long> shape, void* condition, ReadOnlySpan<long> conditionStrides,
                      void* a, ReadOnlySpan<long> aStrides, void* b, ReadOnlySpan<long> bStrides, void* result)
    {
        // Selection copies bits, so only the element size matters.
        int size = dtype.SizeOf();
        var c = new StridedOperand(condition, conditionStrides, sizeof(byte));
        var x = new StridedOperand(a, aStrides, size);
        var y = new StridedOperand(b, bStrides, size);
        var z = StridedOperand.Contiguous(result, size);
        switch (size)
        {
            case 1: RunWhere<byte>(shape, c, x, y, z); break;
            case 4: RunWhere<uint>(shape, c, x, y, z); break;
            case 8: RunWhere<ulong>(shape, c, x, y, z); break;
            default: throw Unsupported("where", "select", dtype);
        }
    }

    public void Copy(ReadOnlySpan<long> shape, DType sourceType, void* source, ReadOnlySpan<long> sourceStrides,
                     DType destinationType, void* destination, ReadOnlySpan<long> destinationStrides)
    {
        var from = new StridedOperand(source, sourceStrides, sourceType.SizeOf());
        var to = new StridedOperand(destination, destinationStrides, destinationType.SizeOf());
        switch (sourceType)
        {
            case DType.Float32: CopyFrom<float>(shape, from, destinationType, to); break;
            case DType.Float64: CopyFrom<double>(shape, from, destinationType, to); break;
            case DType.Int64: CopyFrom<long>(shape, from, destinationType, to); break;
            case DType.Bool: CopyFrom<byte>(shape, from, destinationType, to); break;
            default: throw new ArgumentOutOfRangeException(nameof(sourceType), sourceType, "Unknown dtype.");
        }
    }

    public void Reduce(ReduceOp op, DType dtype, void* x, long rows, long length, void* result, long* indices)
    {
        switch (dtype)
        {
            case DType.Float32: Reduce(op, (float*)x, rows, length, (float*)result, indices); break;
            case DType.Float64: Reduce(op, (double*)x, rows, length, (double*)result, indices); break;
            case DType.Int64: Reduce(op, (long*)x, rows, length, (long*)result, indices); break;
            default: throw Unsupported("reduce", op.ToString(), dtype);
        }
    }

    public void Gemm(DType dtype, bool transA, bool transB, long m, long n, long k,
                     double alpha, void* a, long lda, void* b, long ldb, double beta, void* c, long ldc)
    {
        switch (dtype)
        {
            case DType.Float32:
                ManagedGemm.Gemm(transA, transB, m, n, k, (float)alpha, (float*)a, lda, (float*)b, ldb, (float)beta, (float*)c, ldc);
                break;
            case DType.Float64:
                ManagedGemm.Gemm(transA, transB, m, n, k, alpha, (double*)a, lda, (double*)b, ldb, beta, (double*)c, ldc);
                break;
            default: throw Unsupported("gemm", "matrix multiply", dtype);
        }
    }

    public void GemmBatched(DType dtype, bool transA, bool transB, long m, long n, long k, long batch,
                            double alpha, void* a, long lda, long strideA, void* b, long ldb, long strideB,
                            double beta, void* c, long ldc, long strideC)
    {
        long size = dtype.SizeOf();
        for (long i = 0; i < batch; i++)
        {
            Gemm(dtype, transA, transB, m, n, k, alpha, (byte*)a + i * strideA * size, lda,
                 (byte*)b + i * strideB * size, ldb, beta, (byte*)c + i * strideC * size, ldc);
        }
    }

    private static void Arithmetic<T>(BinaryOp op, ReadOnlySpan<long> shape, StridedOperand a, StridedOperand b, StridedOperand result)
        where T : unmanaged, INumber<T>
    {
        var kernel = new ArithmeticRow<T>(op);
        StridedLoop.Run(ref kernel, shape, a, b, result);
    }

    private static void Compare<T>(BinaryOp op, ReadOnlySpan<long> shape, StridedOperand a, StridedOperand b, StridedOperand result)
        where T : unmanaged, INumber<T>
    {
        switch (op)
        {
            case BinaryOp.Eq: RunCompare<T, EqualTo>(shape, a, b, result); break;
            case BinaryOp.Ne: RunCompare<T, NotEqualTo>(shape, a, b, result); break;
            case BinaryOp.Lt: RunCompare<T, LessThan>(shape, a, b, result); break;
            case BinaryOp.Le: RunCompare<T, LessThanOrEqual>(shape, a, b, result); break;
            case BinaryOp.Gt: RunCompare<T, GreaterThan>(shape, a, b, result); break;
            case BinaryOp.Ge: RunCompare<T, GreaterThanOrEqual>(shape, a, b, result); break;
            default: throw new ArgumentOutOfRangeException(nameof(op), op, "Not a comparison.");
        }
    }

    private static void RunCompare<T, TCompare>(ReadOnlySpan<long> shape, StridedOperand a, StridedOperand b, StridedOperand result)
        where T : unmanaged, INumber<T>
        where TCompare : struct, IComparison
    {
        var kernel = new CompareRow<T, TCompare>();
        StridedLoop.Run(ref kernel, shape, a, b, result);
    }

    private static void RunWhere<T>(ReadOnlySpan<long> shape, StridedOperand condition, StridedOperand a, StridedOperand b, StridedOperand result)
        where T : unmanaged
    {
        var kernel = new WhereRow<T>();
        StridedLoop.Run(ref kernel, shape, condition, a, b, result);
    }

    private static void CopyFrom<TSource>(ReadOnlySpan<long> shape, StridedOperand source, DType destinationType, StridedOperand destination)
        where TSource : unmanaged, INumber<TSource>
    {
        switch (destinationType)
        {
            case DType.Float32: RunCopy<TSource, float>(shape, source, destination); break;
            case DType.Float64: RunCopy<TSource, double>(shape, source, destination); break;
            case DType.Int64: RunCopy<TSource, long>(shape, source, destination); break;
            case DType.Bool: RunCopy<TSource, byte>(shape, source, destination); break;
            default: throw new ArgumentOutOfRangeException(nameof(destinationType), destinationType, "Unknown dtype.");
        }
    }

    private static void RunCopy<TSource, TDestination>(ReadOnlySpan<long> shape, StridedOperand source, StridedOperand destination)
        where TSource : unmanaged, INumber<TSource>
        where TDestination : unmanaged, INumber<TDestination>
    {
        var kernel = new CopyRow<TSource, TDestination>();
        StridedLoop.Run(ref kernel, shape, source, destination);
    }

    private static void Reduce<T>(ReduceOp op, T* x, long rows, long length, T* result, long* indices)
        where T : unmanaged, INumber<T>
    {
        switch (op)
        {
            case ReduceOp.Sum: ManagedReduce.Sum(x, rows, length, result); break;
            case ReduceOp.Max: ManagedReduce.Extreme(max: true, x, rows, length, result, indices); break;
            case ReduceOp.Min: ManagedReduce.Extreme(max: false, x, rows, length, result, indices); break;
            default: throw new ArgumentOutOfRangeException(nameof(op), op, "Unknown reduction.");
        }
    }

    // The managed counterpart of NG_STATUS_UNSUPPORTED_DTYPE: names the kernel, the op and the dtype.
    private static NotSupportedException Unsupported(string kernel, string op, DType dtype) =>
        new($"The managed {kernel} kernel does not support {op} for {dtype.TorchName()}.");
}

/// <summary>A 64-byte aligned block from <see cref="ManagedStorageCache"/>, counted by <see cref="NativeMemoryBudget"/>.</summary>
internal sealed unsafe class AlignedBlockHandle : SafeHandle
{
    private AlignedBlockHandle(void* block, long bytes) : base(IntPtr.Zero, ownsHandle: true)
    {
        SetHandle((IntPtr)block);
        ByteLength = bytes;
        NativeMemoryBudget.Allocated(bytes);
    }

    public long ByteLength { get; }

    public void* Pointer => (void*)handle;

    public override bool IsInvalid => handle == IntPtr.Zero;

    /// <summary>Allocates <paramref name="bytes"/> (at least one byte, so the pointer is unique and valid).</summary>
    public static AlignedBlockHandle Allocate(long bytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(bytes);
        return new AlignedBlockHandle(ManagedStorageCache.Rent(bytes), bytes);
    }

    protected override void Dispose(bool disposing)
    {
        if (!IsClosed) NativeMemoryBudget.Closing(ByteLength, disposing);
        base.Dispose(disposing);
    }

    protected override bool ReleaseHandle()
    {
        ManagedStorageCache.Return((void*)handle, ByteLength);
        NativeMemoryBudget.Freed(ByteLength);
        return true;
    }
}
