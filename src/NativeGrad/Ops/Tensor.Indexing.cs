namespace NativeGrad;

// Indexing by tensors: gather and scatter, index_add, index_put and advanced indexing, masks,
// take and nonzero. All copy, as in PyTorch. Each op works out the row-major flat positions it
// reads or writes (Tensor.IndexingKernels.cs) and moves the elements in one pass; the backward
// rules move gradients through the same positions (TakeFlat and PutIntoZeros are each other's
// derivative, so every rule differentiates again).
public sealed partial class Tensor
{
    /// <summary>out[p] = this[p with coordinate <paramref name="dim"/> replaced by index[p]] (torch.gather).</summary>
    public Tensor Gather(int dim, Tensor index)
    {
        ArgumentNullException.ThrowIfNull(index);
        int d = ShapeMath.WrapDim(dim, Dim);
        if (index.DType != DType.Int64) throw new ArgumentException("gather(): Expected dtype int64 for index");
        CheckIndexRank(index, "Index tensor must have the same number of dimensions as input tensor");
        var (selfShape, indexShape) = (ShapeAtLeast1D(shape), ShapeAtLeast1D(index.shape));
        for (int k = 0; k < indexShape.Length; k++)
            if (k != d && indexShape[k] > selfShape[k])
                throw new ArgumentException($"Size does not match at dimension {k} expected index {ShapeMath.Format(index.shape)} to be smaller than self {ShapeMath.Format(shape)} apart from dimension {d}");
        var flat = AlongDimFlat(selfShape, indexShape, d, index);
        return TakeFlat(this, flat, [.. index.shape], "GatherBackward0");
    }

    /// <summary>A copy with this[p with coordinate <paramref name="dim"/> replaced by index[p]] = src[p] (torch.scatter).</summary>
    public Tensor Scatter(int dim, Tensor index, Tensor src) => ScatterWith(dim, index, src, accumulate: false, "scatter");

    /// <summary>Like <see cref="Scatter(int, Tensor, Tensor)"/>, writing <paramref name="value"/> at every indexed position.</summary>
    public Tensor Scatter(int dim, Tensor index, double value)
    {
        ArgumentNullException.ThrowIfNull(index);
        var (d, destination, _) = ScatterPositions(dim, index, null, "scatter");
        var result = CopyRaw(DType);
        PutRaw(result, destination, Full([destination.LongLength], value, DType), accumulate: false);
        return Node.Record(result, Derivatives.ScatterValue(d, index), [this]);
    }

    /// <summary>A copy with src[p] added at this[p with coordinate <paramref name="dim"/> replaced by index[p]] (torch.scatter_add).</summary>
    public Tensor ScatterAdd(int dim, Tensor index, Tensor src) => ScatterWith(dim, index, src, accumulate: true, "scatter");

    private Tensor ScatterWith(int dim, Tensor index, Tensor src, bool accumulate, string op)
    {
        ArgumentNullException.ThrowIfNull(index);
        ArgumentNullException.ThrowIfNull(src);
        var (d, destination, source) = ScatterPositions(dim, index, src, op);
        var result = CopyRaw(DType);
        PutRaw(result, destination, TakeRaw(src, source!, [destination.LongLength]), accumulate);
        var derivative = accumulate ? Derivatives.ScatterAdd(destination, source!) : Derivatives.Scatter(d, index, destination, source!);
        return Node.Record(result, derivative, [this, src]);
    }

    // The flat positions scatter writes in this tensor and reads in src, after PyTorch's checks.
    private (int Dim, long[] Destination, long[]? Source) ScatterPositions(int dim, Tensor index, Tensor? src, string op)
    {
        int d = ShapeMath.WrapDim(dim, Dim);
        if (index.DType != DType.Int64) throw new ArgumentException($"{op}(): Expected dtype int64 for index");
        if (src is not null && src.DType != DType) throw new ArgumentException($"{op}(): Expected self.dtype to be equal to src.dtype");
        CheckIndexRank(index, "Index tensor must have the same number of dimensions as self tensor");
        if (src is not null && Math.Max(src.Dim, 1) != Math.Max(index.Dim, 1))
            throw new ArgumentException("Index tensor must have the same number of dimensions as src tensor");
        var (selfShape, indexShape) = (ShapeAtLeast1D(shape), ShapeAtLeast1D(index.shape));
        var srcShape = src is null ? null : ShapeAtLeast1D(src.shape);
        for (int k = 0; k < indexShape.Length; k++)
            if ((k != d && indexShape[k] > selfShape[k]) || (srcShape is not null && indexShape[k] > srcShape[k]))
                throw new ArgumentException(
                    $"Expected index {ShapeMath.Format(index.shape)} to be smaller than self {ShapeMath.Format(shape)} apart from dimension {d}"
                    + (src is null ? "" : $" and to be smaller size than src {ShapeMath.Format(src.shape)}"));
        var destination = AlongDimFlat(selfShape, indexShape, d, index);
        var source = srcShape is null ? null : Offsets(indexShape, ContiguousStrides(srcShape, indexShape));
        return (d, destination, source);
    }

    private void CheckIndexRank(Tensor index, string message)
    {
        if (Math.Max(index.Dim, 1) != Math.Max(Dim, 1)) throw new ArgumentException(message);
    }

    private static long[] ShapeAtLeast1D(long[] shape) => shape.Length == 0 ? [1] : shape;

    // Tables enumerating positions of `over` in a contiguous tensor of `shape`.
    private static long[]?[] ContiguousStrides(long[] shape, long[] over)
    {
        var strides = ShapeMath.ContiguousStrides(shape);
        return over.Select((size, d) => (long[]?)StrideTable(size, strides[d])).ToArray();
    }

    // The flat positions in a contiguous `selfShape` of each index position p with coordinate dim
    // replaced by index[p], checked against the size of dim (gather and scatter do not wrap).
    private static long[] AlongDimFlat(long[] selfShape, long[] indexShape, int dim, Tensor index)
    {
        var tables = ContiguousStrides(selfShape, indexShape);
        tables[dim] = null;
        var flat = Offsets(indexShape, tables);
        var positions = index.ToArray<long>();
        long size = selfShape[dim], stride = ShapeMath.ContiguousStrides(selfShape)[dim];
        for (long i = 0; i < flat.LongLength; i++)
        {
            if (positions[i] < 0 || positions[i] >= size)
                throw new ArgumentOutOfRangeException(null, $"index {positions[i]} is out of bounds for dimension {dim} with size {size}");
            flat[i] += positions[i] * stride;
        }
        return flat;
    }

    /// <summary>A copy with alpha * source's slices added at the positions <paramref name="index"/> (1-D) names along <paramref name="dim"/> (torch.index_add).</summary>
    public Tensor IndexAdd(int dim, Tensor index, Tensor source, double alpha = 1)
    {
        ArgumentNullException.ThrowIfNull(index);
        ArgumentNullException.ThrowIfNull(source);
        int d = ShapeMath.WrapDim(dim, Dim);
        if (index.Dim > 1)
            throw new ArgumentOutOfRangeException(null, $"index_add_(): Index is supposed to be a vector, but got dim: {index.Dim} with type: {index.DType.ScalarTypeName()} and size: {ShapeMath.Format(index.shape)}");
        if (index.DType != DType.Int64)
            throw new ArgumentException($"index_add_(): Expected dtype int32/int64 for index but got: {index.DType.ScalarTypeName()}");
        var (selfShape, sourceShape) = (ShapeAtLeast1D(shape), ShapeAtLeast1D(source.shape));
        if (sourceShape.Length != selfShape.Length)
            throw new ArgumentException($"index_add_(): source of shape {ShapeMath.Format(source.shape)} does not have the dimensions of self {ShapeMath.Format(shape)}");
        if (index.NumElements != sourceShape[d])
            throw new ArgumentException($"index_add_(): Number of indices ({index.NumElements}) should be equal to source.size(dim): ({sourceShape[d]}), for dim: {d}");
        if (source.DType != DType)
            throw new ArgumentException($"index_add_(): self ({DType.ScalarTypeName()}) and source ({source.DType.ScalarTypeName()}) must have the same scalar type");
        for (int k = 0, slice = 0; k < selfShape.Length; k++)
        {
            if (k == d) continue;
            if (sourceShape[k] != selfShape[k])
                throw new ArgumentException($"The size of tensor a ({selfShape[k]}) must match the size of tensor b ({sourceShape[k]}) at non-singleton dimension {slice}");
            slice++;
        }
        var positions = index.ToArray<long>();
        foreach (var p in positions)
            if (p < 0 || p >= selfShape[d]) throw new ArgumentOutOfRangeException(null, "index out of range in self");
        var tables = ContiguousStrides(selfShape, sourceShape);
        long stride = ShapeMath.ContiguousStrides(selfShape)[d];
        tables[d] = positions.Select(p => p * stride).ToArray();
        var flat = Offsets(sourceShape, tables);
        var result = CopyRaw(DType);
        Tensor values;
        using (GradMode.Set(false))
            values = alpha == 1 ? source : source * alpha;
        PutRaw(result, flat, values, accumulate: true);
        return Node.Record(result, Derivatives.IndexAdd(flat, alpha), [this, source]);
    }

    /// <summary>
    /// Advanced indexing, Python's <c>x[i, j]</c> with tensors: int64 indices (broadcast together)
    /// or bool masks for the leading dimensions; the result is the broadcast index shape followed
    /// by the dimensions not indexed (a copy). <c>x[i, j]</c> and <c>x[mask]</c> come here through
    /// the <see cref="TensorIndex"/> indexer; this one takes the tensors as an array.
    /// </summary>
    [System.Runtime.CompilerServices.IndexerName("Index")]
    public Tensor this[Tensor[] indices]
    {
        get
        {
            var (flat, outShape) = AdvancedIndexFlat(indices);
            return TakeFlat(this, flat, outShape, "IndexBackward0");
        }
        // x[mask] = v, x[i, j] = v: index_put_ (IndexPutBackward0), the value cast to this dtype.
        set => IndexPut_(indices, (value ?? throw new ArgumentNullException(nameof(value))).To(DType));
    }

    /// <summary>Writes (or adds, when <paramref name="accumulate"/>) <paramref name="values"/> at <c>this[indices]</c> in place (torch's index_put_).</summary>
    public Tensor IndexPut_(Tensor[] indices, Tensor values, bool accumulate = false)
    {
        ArgumentNullException.ThrowIfNull(values);
        return InPlace(self => self.IndexPut(indices, values, accumulate), values);
    }

    /// <summary>index_put_ with entries that may be null (a whole dimension), as a Python index mixing tensors and slices gives.</summary>
    internal Tensor IndexPut_(Tensor?[] entries, Tensor values) =>
        InPlace(self => self.IndexPutAt(self.AdvancedIndexFlatWithWholeDims(entries), values, accumulate: false), values);

    /// <summary>A copy with <paramref name="values"/> written (or added, when <paramref name="accumulate"/>) at <c>this[indices]</c> (torch.index_put).</summary>
    public Tensor IndexPut(Tensor[] indices, Tensor values, bool accumulate = false) =>
        IndexPutAt(AdvancedIndexFlat(indices), values ?? throw new ArgumentNullException(nameof(values)), accumulate);

    private Tensor IndexPutAt((long[] Flat, long[] OutShape) at, Tensor values, bool accumulate)
    {
        var (flat, outShape) = at;
        if (values.DType != DType)
            throw new ArgumentException($"Index put requires the source and destination dtypes match, got {DType.ScalarTypeName()} for the destination and {values.DType.ScalarTypeName()} for the source.");
        if (!ShapeMath.BroadcastsInto(values.shape, outShape))
            throw new ArgumentException($"shape mismatch: value tensor of shape {ShapeMath.Format(values.shape)} cannot be broadcast to indexing result of shape {ShapeMath.Format(outShape)}");
        var result = CopyRaw(DType);
        var expanded = values.View(outShape, ShapeMath.BroadcastStrides(values.shape, values.strides, outShape), values.offset);
        PutRaw(result, flat, expanded, accumulate);
        return Node.Record(result, Derivatives.IndexPut(flat, outShape, accumulate), [this, values]);
    }

    // The flat positions of this[indices] in a contiguous copy of this tensor, and its shape.
    private (long[] Flat, long[] OutShape) AdvancedIndexFlat(Tensor[] indices)
    {
        ArgumentNullException.ThrowIfNull(indices);
        ThrowIfAnyNull(indices);
        return AdvancedIndexFlatWithWholeDims(indices);
    }

    /// <summary>
    /// The flat positions of PyTorch's index(self, indices) in a contiguous copy of this tensor,
    /// and its shape: entry j indexes the next dimension (a bool mask the next mask.Dim ones), null
    /// leaves it whole, and dimensions after the entries are whole too. As in PyTorch, the
    /// broadcast index shape replaces the indexed dimensions where they are adjacent, and comes
    /// first when they are not.
    /// </summary>
    internal (long[] Flat, long[] OutShape) AdvancedIndexFlatWithWholeDims(Tensor?[] indices)
    {
        var indexOf = new Tensor?[Math.Max(Dim, indices.Length)];
        int dim = 0;
        foreach (var index in indices)
        {
            if (index is null) dim++;
            else if (index.DType == DType.Bool)
                foreach (var column in index.NonzeroColumns(shape, dim)) indexOf[dim++] = column;
            else if (index.DType == DType.Int64) indexOf[dim++] = index;
            else throw new ArgumentException("tensors used as indices must be long, byte or bool tensors");
        }
        if (dim > Dim)
            throw new ArgumentOutOfRangeException(null, $"too many indices for tensor of dimension {Dim}");
        var indexed = Enumerable.Range(0, Dim).Where(d => indexOf[d] is not null).ToArray();
        var indexShapes = indexed.Select(d => indexOf[d]!.shape).ToArray();
        long[] broadcast;
        try { broadcast = indexShapes.Aggregate(Array.Empty<long>(), ShapeMath.Broadcast); }
        catch (ArgumentException)
        {
            throw new ArgumentOutOfRangeException(null,
                $"shape mismatch: indexing tensors could not be broadcast together with shapes {string.Join(", ", indexShapes.Select(s => ShapeMath.Format(s)))}");
        }
        long count = ShapeMath.Product(broadcast);
        var baseFlat = new long[count];
        var strides = ShapeMath.ContiguousStrides(shape);
        foreach (int k in indexed)
        {
            var index = indexOf[k]!;
            var positions = index.View(broadcast, ShapeMath.BroadcastStrides(index.shape, index.strides, broadcast), index.offset).ToArray<long>();
            for (long i = 0; i < count; i++)
            {
                long p = positions[i];
                if (p < -shape[k] || p >= shape[k])
                    throw new ArgumentOutOfRangeException(null, $"index {p} is out of bounds for dimension {k} with size {shape[k]}");
                baseFlat[i] += (p < 0 ? p + shape[k] : p) * strides[k];
            }
        }
        // The block of broadcast index dimensions sits where the indexed ones were, if adjacent.
        bool adjacent = indexed.Length == 0 || indexed[^1] - indexed[0] == indexed.Length - 1;
        int at = adjacent && indexed.Length > 0 ? indexed[0] : 0;
        var whole = Enumerable.Range(0, Dim).Where(d => indexOf[d] is null).ToArray();
        var (before, after) = (whole.Where(d => d < at).ToArray(), whole.Where(d => d >= at).ToArray());
        long[] outShape = [.. before.Select(d => shape[d]), .. broadcast, .. after.Select(d => shape[d])];
        long[]?[] tables = [.. before.Select(d => StrideTable(shape[d], strides[d])), baseFlat, .. after.Select(d => StrideTable(shape[d], strides[d]))];
        return (Offsets([.. before.Select(d => shape[d]), count, .. after.Select(d => shape[d])], tables), outShape);
    }

    // A bool mask indexing the dimensions from `first` on: one int64 tensor of positions per dimension it covers.
    private Tensor[] NonzeroColumns(long[] indexedShape, int first)
    {
        for (int k = 0; k < Dim; k++)
            if (first + k >= indexedShape.Length || shape[k] != indexedShape[first + k])
                throw new ArgumentOutOfRangeException(null,
                    $"The shape of the mask {ShapeMath.Format(shape)} at index {k} does not match the shape of the indexed tensor {ShapeMath.Format(indexedShape)} at index {first + k}");
        var coordinates = Nonzero();
        return Enumerable.Range(0, Dim).Select(k => coordinates.Select(1, k).ContiguousRaw()).ToArray();
    }

    /// <summary>A copy with <paramref name="value"/> where <paramref name="mask"/> (bool, broadcast) is true (torch.masked_fill).</summary>
    public Tensor MaskedFill(Tensor mask, double value)
    {
        var condition = MaskForFill(mask);
        var result = WhereRaw(condition, Full([], value, DType), this, DType);
        return Node.Record(result, Derivatives.MaskedFill(condition), [this]);
    }

    /// <summary>Like <see cref="MaskedFill(Tensor, double)"/> with a 0-dim tensor value, which receives a gradient.</summary>
    public Tensor MaskedFill(Tensor mask, Tensor value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var condition = MaskForFill(mask);
        if (value.Dim != 0)
            throw new ArgumentException($"masked_fill_ only supports a 0-dimensional value tensor, but got tensor with {value.Dim} dimension(s).");
        var result = WhereRaw(condition, value, this, DType);
        return Node.Record(result, Derivatives.MaskedFillTensor(condition), [this, value]);
    }

    // PyTorch 1.13 still takes a 0/1 mask of another dtype (with a deprecation warning).
    private Tensor MaskForFill(Tensor mask)
    {
        ArgumentNullException.ThrowIfNull(mask);
        ShapeMath.Broadcast(mask.shape, shape);
        if (mask.DType == DType.Bool) return mask;
        if (mask.ToArray<double>().Any(v => v != 0 && v != 1))
            throw new ArgumentException("Mask tensor can take 0 and 1 values only");
        return mask.CastRaw(DType.Bool);
    }

    /// <summary>The elements where <paramref name="mask"/> (bool, broadcast with this) is true, as a 1-D copy (torch.masked_select).</summary>
    public Tensor MaskedSelect(Tensor mask)
    {
        ArgumentNullException.ThrowIfNull(mask);
        if (mask.DType != DType.Bool) throw new ArgumentException("masked_select: expected BoolTensor or ByteTensor for mask");
        var broadcast = ShapeMath.Broadcast(mask.shape, shape);
        var flat = mask.View(broadcast, ShapeMath.BroadcastStrides(mask.shape, mask.strides, broadcast), mask.offset).NonzeroFlatRaw();
        var expanded = View(broadcast, ShapeMath.BroadcastStrides(shape, strides, broadcast), offset);
        var result = TakeRaw(expanded, flat, [flat.LongLength]);
        return Node.Record(result, Derivatives.TakeAt("MaskedSelectBackward0", flat, broadcast), [this]);
    }

    /// <summary>The elements at the flat (row-major) positions in <paramref name="index"/>, shaped like it; negative positions count from the end (torch.take).</summary>
    public Tensor Take(Tensor index)
    {
        ArgumentNullException.ThrowIfNull(index);
        if (index.DType != DType.Int64)
            throw new ArgumentException($"take(): Expected a long tensor for index, but got {index.DType.ScalarTypeName()}");
        long n = NumElements;
        if (n == 0 && index.NumElements > 0) throw new ArgumentOutOfRangeException(null, "take(): tried to take from an empty tensor");
        var flat = index.ToArray<long>();
        for (long i = 0; i < flat.LongLength; i++)
        {
            if (flat[i] < -n || flat[i] >= n)
                throw new ArgumentOutOfRangeException(null, $"out of range: tried to access index {flat[i]} on a tensor of {n} elements.");
            if (flat[i] < 0) flat[i] += n;
        }
        return TakeFlat(this, flat, [.. index.shape], "TakeBackward0");
    }

    /// <summary>The coordinates of the non-zero elements, one row each in row-major order: int64 of shape [count, dim] (torch.nonzero).</summary>
    public Tensor Nonzero()
    {
        var flat = NonzeroFlatRaw();
        var result = new long[flat.LongLength * Dim];
        var strides = ShapeMath.ContiguousStrides(shape);
        for (long i = 0; i < flat.LongLength; i++)
            for (int d = 0; d < Dim; d++)
                result[i * Dim + d] = flat[i] / strides[d] % shape[d];
        return FromArray(result, flat.LongLength, Dim);
    }

    /// <summary>x.flat[flat] shaped <paramref name="outShape"/>, recorded as <paramref name="name"/>; its gradient puts back into zeros.</summary>
    internal static Tensor TakeFlat(Tensor x, long[] flat, long[] outShape, string name) =>
        Node.Record(TakeRaw(x, flat, outShape), Derivatives.TakeAt(name, flat, x.shape), [x]);

    /// <summary>Zeros of <paramref name="baseShape"/> with values.flat[i] added at flat[i]: the gradient of every take.</summary>
    internal static Tensor PutIntoZeros(Tensor values, long[] baseShape, long[] flat)
    {
        var result = Zeros(baseShape, values.DType);
        PutRaw(result, flat, values, accumulate: true);
        return Node.Record(result, Derivatives.PutAt(flat), [values]);
    }

    /// <summary>Ones of <paramref name="shape"/> with zeros at the flat positions: what survives an overwrite.</summary>
    internal static Tensor ZerosAt(long[] shape, long[] flat, DType dtype)
    {
        var result = Ones(shape, dtype);
        PutRaw(result, flat, Zeros([flat.LongLength], dtype), accumulate: false);
        return result;
    }
}
