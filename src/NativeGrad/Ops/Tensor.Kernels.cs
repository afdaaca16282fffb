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
        var result = Empty((long[])shape.Clone(), dtype);
        using var source = Lease();
        using var destination = result.Lease();
        Backend.Kernels.Copy(shape, DType, source.Pointer, strides, dtype, destination.Pointer, result.strides);
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
            Backend.Kernels.Copy(shape, source.DType, from.Pointer, sourceStrides, DType, to.Pointer, strides);
        storage.BumpVersion();
    }

    internal static Tensor UnaryRaw(UnaryOp op, Tensor x, DType computeType)
    {
        var input = x.CastRaw(computeType).ContiguousRaw();
        var result = Empty((long[])x.shape.Clone(), computeType);
        using var source = input.Lease();
        using var destination = result.Lease();
        Backend.Kernels.Unary(op, computeType, source.Pointer, destination.Pointer, result.NumElements);
        return result;
    }

    internal static Tensor BinaryRaw(BinaryOp op, Tensor a, Tensor b, DType computeType)
    {
        if (computeType == DType.Bool && op < BinaryOp.Eq)
        {
            // The kernels have no bool arithmetic. In int64 and cast back, add and maximum are
            // PyTorch's logical or, mul and minimum its logical and (sub and div never get here).
            if (op == BinaryOp.Pow) throw new NotSupportedException("\"pow\" not implemented for 'Bool'");
            return BinaryRaw(op, a, b, DType.Int64).CastRaw(DType.Bool);
        }
        var outShape = ShapeMath.Broadcast(a.shape, b.shape);
        a = a.CastRaw(computeType);
        b = b.CastRaw(computeType);
        bool comparison = op >= BinaryOp.Eq;
        var result = Empty(outShape, comparison ? DType.Bool : computeType);
        using var pa = a.Lease();
        using var pb = b.Lease();
        using var pResult = result.Lease();
        Backend.Kernels.Binary(op, computeType, outShape,
            pa.Pointer, ShapeMath.BroadcastStrides(a.shape, a.strides, outShape),
            pb.Pointer, ShapeMath.BroadcastStrides(b.shape, b.strides, outShape),
            pResult.Pointer);
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
        Backend.Kernels.Where(computeType, outShape,
            pCondition.Pointer, ShapeMath.BroadcastStrides(condition.shape, condition.strides, outShape),
            pa.Pointer, ShapeMath.BroadcastStrides(a.shape, a.strides, outShape),
            pb.Pointer, ShapeMath.BroadcastStrides(b.shape, b.strides, outShape),
            pResult.Pointer);
        return result;
    }

    /// <summary>
    /// Reduces over <paramref name="dims"/> (already wrapped, distinct). A contiguous tensor reduced
    /// over a run of adjacent dimensions is reduced in place, as outer x length x inner; otherwise
    /// those dimensions are moved last and made contiguous, so the kernel reduces plain rows.
    /// </summary>
    internal static (Tensor Values, Tensor? Indices) ReduceRaw(ReduceOp op, Tensor x, int[] dims, bool keepDim, bool withIndices, DType computeType)
    {
        var reduced = new bool[x.Dim];
        foreach (var d in dims) reduced[d] = true;
        var source = x.CastRaw(computeType);
        long inner = 1;
        if (source.IsContiguous && dims.Length > 0 && dims.Max() - dims.Min() == dims.Length - 1)
        {
            for (int d = dims.Max() + 1; d < x.Dim; d++) inner *= x.shape[d];
        }
        else
        {
            var order = Enumerable.Range(0, x.Dim).Where(d => !reduced[d]).Concat(dims.Order()).ToArray();
            source = source.PermuteRaw(order).ContiguousRaw();
        }

        long length = 1;
        foreach (var d in dims) length *= x.shape[d];
        var outShape = keepDim
            ? x.shape.Select((size, d) => reduced[d] ? 1L : size).ToArray()
            : x.shape.Where((_, d) => !reduced[d]).ToArray();
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
            Reduce(op, computeType, pSource.Pointer, outer, length, inner, pValues.Pointer, null);
        }
        else
        {
            using var pIndices = indices.Lease();
            Reduce(op, computeType, pSource.Pointer, outer, length, inner, pValues.Pointer, (long*)pIndices.Pointer);
        }
        return (values, indices);

        static void Reduce(ReduceOp op, DType dtype, void* x, long outer, long length, long inner, void* values, long* indices)
        {
            if (inner == 1) Backend.Kernels.Reduce(op, dtype, x, outer, length, values, indices);
            else Backend.Kernels.ReduceDim(op, dtype, x, outer, length, inner, values, indices);
        }
    }

    internal Tensor PermuteRaw(int[] order) =>
        View(order.Select(d => shape[d]).ToArray(), order.Select(d => strides[d]).ToArray(), offset);

    internal static Tensor GemmRaw(Tensor a, Tensor b, DType dtype)
    {
        // a: m x k, b: k x n, both 2-D; a transposed view is passed as a transpose flag, not copied.
        var (pa, transA, lda) = GemmOperand(a.CastRaw(dtype));
        var (pb, transB, ldb) = GemmOperand(b.CastRaw(dtype));
        long m = a.shape[0], k = a.shape[1], n = b.shape[1];
        var result = Empty([m, n], dtype);
        using var dataA = pa.Lease();
        using var dataB = pb.Lease();
        using var dataC = result.Lease();
        Backend.Kernels.Gemm(dtype, transA, transB, m, n, k, 1, dataA.Pointer, lda, dataB.Pointer, ldb, 0, dataC.Pointer, n);
        return result;
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
