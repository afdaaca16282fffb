namespace NativeGrad;

// The in-place spellings of the indexing ops (torch's scatter_, scatter_add_, index_add_,
// index_fill_, masked_fill_) and index_fill itself. Each in-place op is its out-of-place op
// written back through InPlace (Tensor.InPlace.cs), so it is recorded as PyTorch records it: the
// out-of-place op's node (ScatterBackward0, MaskedFillBackward0...), a version bump, PyTorch's
// error on a leaf that requires grad, and CopySlices on the base when written through a view.
public sealed partial class Tensor
{
    /// <summary>In-place <see cref="Scatter(int, Tensor, Tensor)"/> (torch's scatter_); returns this tensor.</summary>
    public Tensor Scatter_(int dim, Tensor index, Tensor src)
    {
        ArgumentNullException.ThrowIfNull(src);
        return InPlace(self => self.Scatter(dim, index, src), src);
    }

    /// <summary>In-place <see cref="Scatter(int, Tensor, double)"/> (torch's scatter_ with a value); returns this tensor.</summary>
    public Tensor Scatter_(int dim, Tensor index, double value) => InPlace(self => self.Scatter(dim, index, value));

    /// <summary>In-place <see cref="ScatterAdd(int, Tensor, Tensor)"/> (torch's scatter_add_); returns this tensor.</summary>
    public Tensor ScatterAdd_(int dim, Tensor index, Tensor src)
    {
        ArgumentNullException.ThrowIfNull(src);
        return InPlace(self => self.ScatterAdd(dim, index, src), src);
    }

    /// <summary>In-place <see cref="IndexAdd(int, Tensor, Tensor, double)"/> (torch's index_add_); returns this tensor.</summary>
    public Tensor IndexAdd_(int dim, Tensor index, Tensor source, double alpha = 1)
    {
        ArgumentNullException.ThrowIfNull(source);
        return InPlace(self => self.IndexAdd(dim, index, source, alpha), source);
    }

    /// <summary>In-place <see cref="MaskedFill(Tensor, double)"/> (torch's masked_fill_); the mask broadcasts to this shape.</summary>
    public Tensor MaskedFill_(Tensor mask, double value) => InPlace(self => self.MaskedFill(mask, value));

    /// <summary>In-place <see cref="MaskedFill(Tensor, Tensor)"/> with a 0-dim tensor value, which receives a gradient.</summary>
    public Tensor MaskedFill_(Tensor mask, Tensor value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return InPlace(self => self.MaskedFill(mask, value), value);
    }

    /// <summary>
    /// A copy with <paramref name="value"/> (converted to this dtype) in every slice along
    /// <paramref name="dim"/> that <paramref name="index"/> (int64, 0-dim or 1-D, negative counts
    /// from the end) names (torch.index_fill).
    /// </summary>
    public Tensor IndexFill(int dim, Tensor index, double value)
    {
        var flat = IndexFillFlat(dim, index);
        var result = CopyRaw(DType);
        PutRaw(result, flat, Full([flat.LongLength], value, DType), accumulate: false);
        return Node.Record(result, Derivatives.IndexFill(flat), [this]);
    }

    /// <summary>Like <see cref="IndexFill(int, Tensor, double)"/> with a 0-dim tensor value, which receives a gradient.</summary>
    public Tensor IndexFill(int dim, Tensor index, Tensor value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (value.Dim != 0)
            throw new ArgumentException($"index_fill_ only supports a 0-dimensional value tensor, but got tensor with {value.Dim} dimension(s).");
        var flat = IndexFillFlat(dim, index);
        var result = CopyRaw(DType);
        PutRaw(result, flat, value.Expand(flat.LongLength), accumulate: false);
        return Node.Record(result, Derivatives.IndexFillTensor(flat), [this, value]);
    }

    /// <summary>In-place <see cref="IndexFill(int, Tensor, double)"/> (torch's index_fill_); returns this tensor.</summary>
    public Tensor IndexFill_(int dim, Tensor index, double value) => InPlace(self => self.IndexFill(dim, index, value));

    /// <summary>In-place <see cref="IndexFill(int, Tensor, Tensor)"/> (torch's index_fill_ with a 0-dim tensor value).</summary>
    public Tensor IndexFill_(int dim, Tensor index, Tensor value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return InPlace(self => self.IndexFill(dim, index, value), value);
    }

    // The flat positions of the slices index_fill overwrites, each once however often the index
    // names it: the value's gradient is the sum over them (PyTorch sums over _unique(index)).
    private long[] IndexFillFlat(int dim, Tensor index)
    {
        ArgumentNullException.ThrowIfNull(index);
        int d = ShapeMath.WrapDim(dim, Dim);
        if (index.DType != DType.Int64) throw new ArgumentOutOfRangeException(null, "index_fill_(): Expected dtype int64 for index.");
        if (index.Dim > 1) throw new ArgumentException("Index has to be a vector/scalar");
        var selfShape = ShapeAtLeast1D(shape);
        long size = selfShape[d], stride = ShapeMath.ContiguousStrides(selfShape)[d];
        var positions = new SortedSet<long>();
        foreach (var p in index.ToArray<long>())
        {
            if (p < -size || p >= size)
                throw new ArgumentOutOfRangeException(null, $"index {p} is out of bounds for dimension {d} with size {size}");
            positions.Add(p < 0 ? p + size : p);
        }
        var tables = ContiguousStrides(selfShape, WithSize(selfShape, d, positions.Count));
        tables[d] = positions.Select(p => p * stride).ToArray();
        return Offsets(WithSize(selfShape, d, positions.Count), tables);
    }
}
