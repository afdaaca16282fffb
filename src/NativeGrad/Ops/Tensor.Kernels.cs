using NativeGrad.Backends;

namespace NativeGrad;

// Raw computations: allocate the result and call the current backend. Nothing here records the
// graph; the public ops in the other Ops/ files do that around these. Every pointer a kernel gets
// comes from a lease held across the call (see Storage), so no operand can be freed under it.
public sealed unsafe partial class Tensor
{
    /// <summary>This tensor converted to <paramref name="dtype"/> (itself when it already is).</summary>
    internal Tensor CastRaw(DType dtype) => dtype == DType ? this : CopyRaw(dtype);

    /// <summary>A contiguous copy in <paramref name="dtype"/>.</summary>
    internal Tensor CopyRaw(DType dtype)
    {
        var result = Empty(shape, dtype);
        using var source = Lease();
        using var destination = result.Lease();
        fixed (byte* sourcePtr = source, destinationPtr = destination)
            Backend.Kernels.Copy(shape, DType, sourcePtr, strides, dtype, destinationPtr, result.strides);
        return result;
    }

    /// <summary>This tensor when contiguous, else a contiguous copy.</summary>
    internal Tensor ContiguousRaw() => IsContiguous ? this : CopyRaw(DType);

    /// <summary>Writes <paramref name="source"/> (broadcast to this shape, converted to this dtype) into this storage.</summary>
    internal void CopyFromRaw(Tensor source)
    {
        var sourceStrides = ShapeMath.BroadcastStrides(source.shape, source.strides, shape);
        ShapeMath.Broadcast(shape, source.shape); // throws PyTorch's message when it cannot broadcast
        using (var from = source.Lease())
        using (var to = Lease())
            fixed (byte* fromPtr = from, toPtr = to)
                Backend.Kernels.Copy(shape, source.DType, fromPtr, sourceStrides, DType, toPtr, strides);
        storage.BumpVersion();
    }

    internal static Tensor UnaryRaw(UnaryOp op, Tensor x, DType computeType)
    {
        var input = x.CastRaw(computeType).ContiguousRaw();
        var result = Empty(x.shape, computeType);
        using var source = input.Lease();
        using var destination = result.Lease();
        fixed (byte* sourcePtr = source, destinationPtr = destination)
            Backend.Kernels.Unary(op, computeType, sourcePtr, destinationPtr, result.NumElements);
        return result;
    }

    internal static Tensor BinaryRaw(BinaryOp op, Tensor a, Tensor b, DType computeType)
    {
        if (computeType == DType.Bool && !op.IsComparison())
        {
            // The kernels have no bool arithmetic. In int64 and cast back, add and maximum are
            // PyTorch's logical or, mul and minimum its logical and (sub and div never get here).
            if (op == BinaryOp.Pow) throw new NotSupportedException("\"pow\" not implemented for 'Bool'");
            return BinaryRaw(op, a, b, DType.Int64).CastRaw(DType.Bool);
        }
        var outShape = ShapeMath.Broadcast(a.shape, b.shape);
        a = a.CastRaw(computeType);
        b = b.CastRaw(computeType);
        bool comparison = op.IsComparison();
        var result = Empty(outShape, comparison ? DType.Bool : computeType);
        using var pa = a.Lease();
        using var pb = b.Lease();
        using var pResult = result.Lease();
        fixed (byte* paPtr = pa, pbPtr = pb, pResultPtr = pResult)
            Backend.Kernels.Binary(op, computeType, outShape,
                paPtr, ShapeMath.BroadcastStrides(a.shape, a.strides, outShape),
                pbPtr, ShapeMath.BroadcastStrides(b.shape, b.strides, outShape),
                pResultPtr);
        return result;
    }

    /// <summary>this = this op other, written into this contiguous tensor's own storage (see InPlaceArithmetic).</summary>
    internal void ArithmeticIntoRaw(BinaryOp op, Tensor other)
    {
        var operand = other.CastRaw(DType);
        var operandStrides = ShapeMath.BroadcastStrides(operand.shape, operand.strides, shape);
        using var self = Lease();
        using var source = operand.Lease();
        fixed (byte* selfPtr = self, sourcePtr = source)
            Backend.Kernels.Binary(op, DType, shape, selfPtr, strides, sourcePtr, operandStrides, selfPtr);
    }

    /// <summary>
    /// a + alpha * b broadcast, in <paramref name="computeType"/> (float32, float64 or int64),
    /// rounded once; <paramref name="into"/>, when given, is the contiguous output (it may be a
    /// itself), else the result is a new tensor.
    /// </summary>
    internal static Tensor AddScaledRaw(Tensor a, Tensor b, Alpha alpha, DType computeType, Tensor? into = null)
    {
        var outShape = ShapeMath.Broadcast(a.shape, b.shape);
        a = a.CastRaw(computeType);
        b = b.CastRaw(computeType);
        var result = into ?? Empty(outShape, computeType);
        using var pa = a.Lease();
        using var pb = b.Lease();
        using var pResult = result.Lease();
        var aStrides = ShapeMath.BroadcastStrides(a.shape, a.strides, outShape);
        var bStrides = ShapeMath.BroadcastStrides(b.shape, b.strides, outShape);
        float f32 = alpha.ToSingle();
        double f64 = alpha.ToDouble();
        long i64 = alpha.ToInt64();
        void* pAlpha = computeType switch
        {
            DType.Float32 => &f32,
            DType.Float64 => &f64,
            _ => &i64,
        };
        fixed (byte* paPtr = pa, pbPtr = pb, pResultPtr = pResult)
            Backend.Kernels.AddScaled(computeType, outShape, paPtr, aStrides, pbPtr, bStrides, pAlpha, pResultPtr);
        return result;
    }

    /// <summary>
    /// The element of x at each position's index along the class axis (the second of an
    /// (N, C, d1, ...) x, the only one of a (C) x): a tensor of <paramref name="index"/>'s shape,
    /// 0 where the index is -1. With <paramref name="weightStrides"/>, x is a (C) vector read at
    /// the index of every position (a class weight per sample). Indices are already checked.
    /// </summary>
    internal static Tensor GatherAlong(Tensor x, Tensor index, long classes, bool weightStrides = false)
    {
        var result = Empty((long[])index.shape.Clone(), x.DType);
        long positions = index.NumElements;
        if (positions == 0) return result;
        long outer = weightStrides || x.Dim == 1 ? 1 : x.shape[0];
        long inner = positions / outer;
        long[] strides = weightStrides ? [0, 1, 0] : [classes * inner, inner, 1];
        var source = x.ContiguousRaw();
        using var pSource = source.Lease();
        using var pIndex = index.Lease();
        using var pResult = result.Lease();
        fixed (byte* pSourcePtr = pSource, pIndexPtr = pIndex, pResultPtr = pResult)
            Backend.Kernels.Gather(x.DType, outer, classes, inner, pSourcePtr, strides, (long*)pIndexPtr, pResultPtr);
        return result;
    }

    /// <summary>The gradient of <see cref="GatherAlong(Tensor, Tensor, long, bool)"/>: zeros of <paramref name="shape"/> with each value at its index (none for -1).</summary>
    internal static Tensor ScatterAlong(Tensor values, Tensor index, long[] shape)
    {
        long positions = index.NumElements;
        if (positions == 0) return Zeros(shape, values.DType);
        var result = Empty((long[])shape.Clone(), values.DType);
        long outer = shape.Length == 1 ? 1 : shape[0];
        long length = shape.Length == 1 ? shape[0] : shape[1];
        var source = values.ContiguousRaw();
        using var pSource = source.Lease();
        using var pIndex = index.Lease();
        using var pResult = result.Lease();
        fixed (byte* pSourcePtr = pSource, pIndexPtr = pIndex, pResultPtr = pResult)
            Backend.Kernels.Scatter(values.DType, outer, length, positions / outer, pSourcePtr, (long*)pIndexPtr, pResultPtr);
        return result;
    }

    internal static Tensor WhereRaw(Tensor condition, Tensor a, Tensor b, DType computeType)
    {
        var outShape = ShapeMath.Broadcast(ShapeMath.Broadcast(condition.shape, a.shape), b.shape);
        condition = condition.CastRaw(DType.Bool);
        a = a.CastRaw(computeType);
        b = b.CastRaw(computeType);
        var result = Empty(outShape, computeType);
        using var pCondition = condition.Lease();
        using var pa = a.Lease();
        using var pb = b.Lease();
        using var pResult = result.Lease();
        fixed (byte* pConditionPtr = pCondition, paPtr = pa, pbPtr = pb, pResultPtr = pResult)
            Backend.Kernels.Where(computeType, outShape,
                pConditionPtr, ShapeMath.BroadcastStrides(condition.shape, condition.strides, outShape),
                paPtr, ShapeMath.BroadcastStrides(a.shape, a.strides, outShape),
                pbPtr, ShapeMath.BroadcastStrides(b.shape, b.strides, outShape),
                pResultPtr);
        return result;
    }

    /// <summary>
    /// Reduces over <paramref name="dims"/> (already wrapped, distinct). A contiguous tensor reduced
    /// over a run of adjacent dimensions is reduced in place, as outer x length x inner; otherwise
    /// those dimensions are moved last and made contiguous, so the kernel reduces plain rows.
    /// </summary>
    internal static (Tensor Values, Tensor? Indices) ReduceRaw(ReduceOp op, Tensor x, int[] dims, bool keepDim, bool withIndices, DType computeType)
    {
        Span<bool> reduced = stackalloc bool[x.Dim];
        foreach (var d in dims) reduced[d] = true;
        var source = x.CastRaw(computeType);
        long inner = 1;
        if (source.IsContiguous && DimsAreAdjacent(dims))
        {
            int last = dims[0];
            foreach (var d in dims) last = Math.Max(last, d);
            for (int d = last + 1; d < x.Dim; d++) inner *= x.shape[d];
        }
        else
        {
            source = source.PermuteRaw(KeptThenReducedOrder(reduced, dims)).ContiguousRaw();
        }

        long length = 1;
        foreach (var d in dims) length *= x.shape[d];
        var outShape = new long[keepDim ? x.Dim : x.Dim - dims.Length];
        for (int d = 0, o = 0; d < x.Dim; d++)
            if (keepDim) outShape[o++] = reduced[d] ? 1 : x.shape[d];
            else if (!reduced[d]) outShape[o++] = x.shape[d];
        long outputs = ShapeMath.Product(outShape);
        if (length == 0 && op != ReduceOp.Sum && outputs > 0)
            throw new ArgumentException($"{op.ToString().ToLowerInvariant()}(): Expected reduction dim to be specified for input.numel() == 0. Specify the reduction dim with the 'dim' argument.");

        var values = Empty(outShape, computeType);
        var indices = withIndices ? Empty((long[])outShape.Clone(), DType.Int64) : null;
        if (outputs == 0) return (values, indices);
        long outer = outputs / inner;
        using var pSource = source.Lease();
        using var pValues = values.Lease();
        if (indices is null)
        {
            fixed (byte* pSourcePtr = pSource, pValuesPtr = pValues)
                Reduce(op, computeType, pSourcePtr, outer, length, inner, pValuesPtr, null);
        }
        else
        {
            using var pIndices = indices.Lease();
            fixed (byte* pSourcePtr = pSource, pValuesPtr = pValues, pIndicesPtr = pIndices)
                Reduce(op, computeType, pSourcePtr, outer, length, inner, pValuesPtr, (long*)pIndicesPtr);
        }
        return (values, indices);

        static void Reduce(ReduceOp op, DType dtype, void* x, long outer, long length, long inner, void* values, long* indices)
        {
            if (inner == 1) Backend.Kernels.Reduce(op, dtype, x, outer, length, values, indices);
            else Backend.Kernels.ReduceDim(op, dtype, x, outer, length, inner, values, indices);
        }
    }

    // A non-empty run of consecutive dimensions (in any order): then a contiguous tensor reduces in place.
    private static bool DimsAreAdjacent(int[] dims)
    {
        if (dims.Length == 0) return false;
        int min = dims[0], max = dims[0];
        foreach (var d in dims) { min = Math.Min(min, d); max = Math.Max(max, d); }
        return max - min == dims.Length - 1;
    }

    // The kept dimensions in order, then the reduced ones in ascending order.
    private static int[] KeptThenReducedOrder(ReadOnlySpan<bool> reduced, int[] dims)
    {
        var order = new int[reduced.Length];
        int next = 0;
        for (int d = 0; d < reduced.Length; d++)
            if (!reduced[d]) order[next++] = d;
        for (int d = 0; d < reduced.Length; d++)
            if (reduced[d]) order[next++] = d;
        return order;
    }

    internal Tensor PermuteRaw(int[] order)
    {
        var newShape = new long[order.Length];
        var newStrides = new long[order.Length];
        for (int d = 0; d < order.Length; d++) (newShape[d], newStrides[d]) = (shape[order[d]], strides[order[d]]);
        return View(newShape, newStrides, offset);
    }

    internal static Tensor GemmRaw(Tensor a, Tensor b, DType dtype, Tensor? addend = null)
    {
        // a: m x k, b: k x n, both 2-D; a transposed view is passed as a transpose flag, not copied.
        // An addend (broadcastable to m x n, of dtype) is copied into the result first and the GEMM
        // adds onto it with beta = 1, as PyTorch's addmm does: one pass over the output instead of two.
        if (dtype == DType.Int64) return IntegerProduct(a, b, addend?.Expand([a.shape[0], b.shape[1]]));
        long m = a.shape[0], n = b.shape[1];
        var result = addend is null ? Empty([m, n], dtype) : addend.Expand([m, n]).CopyRaw(dtype);
        GemmIntoRaw(a.CastRaw(dtype), b.CastRaw(dtype), result, accumulate: addend is not null);
        return result;
    }

    /// <summary>
    /// Depths up to this are summed in one pass by every backend's GEMM (native blocks the depth
    /// by at least 256, the managed core by 256), so C += A @ B with beta = 1 then rounds each
    /// element as computing A @ B and adding it would.
    /// </summary>
    internal const long GemmSinglePassDepth = 256;

    // c += a @ b in place (c = a @ b without accumulate): a m x k, b k x n, c a contiguous m x n of
    // their dtype. Accumulating changes c's values, so its version moves, as an in-place op's does.
    internal static void GemmIntoRaw(Tensor a, Tensor b, Tensor c, bool accumulate)
    {
        var (pa, transA, lda) = GemmOperand(a);
        var (pb, transB, ldb) = GemmOperand(b);
        long m = a.shape[0], k = a.shape[1], n = b.shape[1];
        using (var dataA = pa.Lease())
        using (var dataB = pb.Lease())
        using (var dataC = c.Lease())
            fixed (byte* dataAPtr = dataA, dataBPtr = dataB, dataCPtr = dataC)
                Backend.Kernels.Gemm(c.DType, transA, transB, m, n, k, 1, dataAPtr, lda, dataBPtr, ldb, accumulate ? 1 : 0, dataCPtr, n);
        if (accumulate) c.storage.BumpVersion();
    }

    // a: batch x m x k, b: batch x k x n. One batched GEMM straight into the result; transposed or broadcast (stride 0) operands
    // are passed as flags and strides, not copied.
    internal static Tensor GemmBatchedRaw(Tensor a, Tensor b, DType dtype)
    {
        if (dtype == DType.Int64) return IntegerProduct(a, b, null);
        long batch = a.shape[0], m = a.shape[1], k = a.shape[2], n = b.shape[2];
        var (pa, transA, lda, strideA) = BatchedGemmOperand(a.CastRaw(dtype));
        var (pb, transB, ldb, strideB) = BatchedGemmOperand(b.CastRaw(dtype));
        var result = Empty([batch, m, n], dtype);
        using var dataA = pa.Lease();
        using var dataB = pb.Lease();
        using var dataC = result.Lease();
        fixed (byte* dataAPtr = dataA, dataBPtr = dataB, dataCPtr = dataC)
            Backend.Kernels.GemmBatched(dtype, transA, transB, m, n, k, batch, 1, dataAPtr, lda, strideA,
                                        dataBPtr, ldb, strideB, 0, dataCPtr, n, m * n);
        return result;
    }

    // Integer matrix products (no GEMM kernel has them): one rank-1 update per inner index, exact
    // with int64's wrap-around like PyTorch's, in O(output) memory. a: [batch] x m x k, b: [batch] x k x n.
    private static Tensor IntegerProduct(Tensor a, Tensor b, Tensor? addend)
    {
        using var noGrad = GradMode.Set(false);
        long k = a.shape[^1];
        long[] outShape = [.. a.shape[..^1], b.shape[^1]];
        var result = addend?.CopyRaw(DType.Int64) ?? Zeros(outShape, DType.Int64);
        for (long p = 0; p < k; p++)
            result.Add_(a.Narrow(-1, p, 1) * b.Narrow(-2, p, 1));
        return result;
    }

    // A 3-D operand of a batched GEMM: each matrix as GemmOperand takes it, plus the stride
    // between matrices (0 when they are all one, as after Expand).
    private static (Tensor Batch, bool Transposed, long LeadingDimension, long BatchStride) BatchedGemmOperand(Tensor batch)
    {
        if (batch.shape[0] > 0 && batch.strides[0] >= 0)
        {
            var first = batch.View([batch.shape[1], batch.shape[2]], [batch.strides[1], batch.strides[2]], batch.offset);
            var (matrix, transposed, ld) = GemmOperand(first);
            if (ReferenceEquals(matrix, first)) return (batch, transposed, ld, batch.shape[0] == 1 ? 0 : batch.strides[0]);
        }
        var copy = batch.CopyRaw(batch.DType);
        return (copy, false, Math.Max(batch.shape[2], 1), batch.shape[1] * batch.shape[2]);
    }

    private static (Tensor Matrix, bool Transposed, long LeadingDimension) GemmOperand(Tensor matrix)
    {
        long rows = matrix.shape[0], cols = matrix.shape[1];
        if (matrix.strides[1] == 1 && (rows <= 1 || matrix.strides[0] >= Math.Max(cols, 1)))
            return (matrix, false, Math.Max(matrix.strides[0], Math.Max(cols, 1)));
        if (matrix.strides[0] == 1 && (cols <= 1 || matrix.strides[1] >= Math.Max(rows, 1)))
            return (matrix, true, Math.Max(matrix.strides[1], Math.Max(rows, 1)));
        var copy = matrix.CopyRaw(matrix.DType);
        return (copy, false, Math.Max(cols, 1));
    }
}
