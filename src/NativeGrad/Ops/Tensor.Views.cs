namespace NativeGrad;

// Shape operations. Views share storage (and the version counter) with their base; the copies
// (Contiguous, Clone, IndexSelect, Cat, Stack) are where PyTorch copies too.
public sealed partial class Tensor
{
    /// <summary>The same elements with another shape; one entry may be -1 (inferred). A view when the strides allow, else a copy.</summary>
    public Tensor Reshape(params long[] newShape)
    {
        var target = InferShape(newShape);
        if (ComputeViewStrides(target) is { } viewStrides)
            return Node.Record(View(target, viewStrides, offset), Derivatives.ReshapeAlias, [this]);
        var copy = CopyRaw(DType);
        return Node.Record(copy.View(target, ShapeMath.ContiguousStrides(target), 0), Derivatives.UnsafeView, [this]);
    }

    /// <summary>A view with another shape (torch's view()); throws when the strides do not allow one.</summary>
    public Tensor View(params long[] newShape)
    {
        var target = InferShape(newShape);
        var viewStrides = ComputeViewStrides(target) ?? throw new InvalidOperationException(
            "view size is not compatible with input tensor's size and stride (at least one dimension spans across two contiguous subspaces). Use .reshape(...) instead.");
        return Node.Record(View(target, viewStrides, offset), Derivatives.View, [this]);
    }

    private long[] InferShape(long[] requested)
    {
        ArgumentNullException.ThrowIfNull(requested);
        long numel = NumElements, known = 1;
        int inferred = -1;
        for (int i = 0; i < requested.Length; i++)
        {
            if (requested[i] == -1)
            {
                if (inferred >= 0) throw new ArgumentException("only one dimension can be inferred");
                inferred = i;
            }
            else if (requested[i] < 0) throw new ArgumentException($"invalid shape dimension {requested[i]}");
            else known *= requested[i];
        }
        var result = (long[])requested.Clone();
        if (inferred >= 0 && known == 0 && numel == 0)
            throw new ArgumentException($"cannot reshape tensor of 0 elements into shape {ShapeMath.Format(requested)} because the unspecified dimension size -1 can be any value and is ambiguous");
        if (inferred >= 0 && known != 0 && numel % known == 0) result[inferred] = numel / known;
        else if (inferred >= 0 || known != numel)
            throw new ArgumentException($"shape '{ShapeMath.Format(requested)}' is invalid for input of size {numel}");
        return result;
    }

    // PyTorch's computeStride: a view is possible when each group of target dimensions maps onto
    // a run of source dimensions that are contiguous with one another.
    private long[]? ComputeViewStrides(long[] target)
    {
        if (NumElements == 0 || IsContiguous) return ShapeMath.ContiguousStrides(target);
        var result = new long[target.Length];
        int viewDim = target.Length - 1;
        long chunkElements = 1, tensorStride = strides.Length > 0 ? strides[^1] : 1;
        for (int d = shape.Length - 1; d >= 0; d--)
        {
            chunkElements *= shape[d];
            if (d == 0 || (shape[d - 1] != 1 && strides[d - 1] != tensorStride * chunkElements))
            {
                long viewElements = 1;
                while (viewDim >= 0 && (viewElements < chunkElements || target[viewDim] == 1))
                {
                    result[viewDim] = viewElements * tensorStride;
                    viewElements *= target[viewDim];
                    viewDim--;
                }
                if (viewElements != chunkElements) return null;
                if (d > 0)
                {
                    tensorStride = strides[d - 1];
                    chunkElements = 1;
                }
            }
        }
        return viewDim == -1 ? result : null;
    }

    /// <summary>Swaps two dimensions (a view).</summary>
    public Tensor Transpose(int dim0, int dim1)
    {
        int a = ShapeMath.WrapDim(dim0, Dim), b = ShapeMath.WrapDim(dim1, Dim);
        var order = Enumerable.Range(0, Dim).ToArray();
        if (Dim > 0) (order[a], order[b]) = (order[b], order[a]); // a scalar has nothing to swap
        return Node.Record(PermuteRaw(order), Derivatives.Transpose, [this], new OpArgs { Dims = [a, b] });
    }

    /// <summary>The dimensions reversed (torch's .T; a view).</summary>
    public Tensor T
    {
        get
        {
            var reversed = new int[Dim];
            for (int d = 0; d < reversed.Length; d++) reversed[d] = Dim - 1 - d;
            return PermuteChecked(reversed);
        }
    }

    /// <summary>Reorders the dimensions (a view).</summary>
    public Tensor Permute(params int[] dims)
    {
        ArgumentNullException.ThrowIfNull(dims);
        if (dims.Length != Dim)
            throw new ArgumentException($"permute(sparse_coo): number of dimensions in the tensor input does not match the length of the desired ordering of dimensions i.e. input.dim() = {Dim} is not equal to len(dims) = {dims.Length}");
        var order = dims.Select(d => ShapeMath.WrapDim(d, Dim)).ToArray();
        if (order.Distinct().Count() != order.Length)
            throw new ArgumentException("permute(): duplicate dims are not allowed.");
        return PermuteChecked(order);
    }

    // A permutation of 0 .. Dim-1 already validated. T and the backward rules of matrix products
    // take it several times a step, so it costs two small arrays and no LINQ.
    private Tensor PermuteChecked(int[] order)
    {
        var dims = new long[order.Length];
        for (int d = 0; d < order.Length; d++) dims[d] = order[d];
        return Node.Record(PermuteRaw(order), Derivatives.Permute, [this], new OpArgs { Dims = dims });
    }

    /// <summary>Removes every dimension of size 1 (a view).</summary>
    public Tensor Squeeze()
    {
        var keep = Enumerable.Range(0, Dim).Where(d => shape[d] != 1).ToArray();
        return Node.Record(View(keep.Select(d => shape[d]).ToArray(), keep.Select(d => strides[d]).ToArray(), offset),
                           Derivatives.SqueezeAll, [this]);
    }

    /// <summary>Removes dimension <paramref name="dim"/> if its size is 1 (a view either way).</summary>
    public Tensor Squeeze(int dim)
    {
        int d = ShapeMath.WrapDim(dim, Dim);
        var result = Dim == 0 || shape[d] != 1
            ? View(shape, strides, offset)
            : View(shape.Where((_, i) => i != d).ToArray(), strides.Where((_, i) => i != d).ToArray(), offset);
        return Node.Record(result, Derivatives.Squeeze, [this], new OpArgs { Dims = [d] });
    }

    /// <summary>Inserts a dimension of size 1 at <paramref name="dim"/> (a view).</summary>
    public Tensor Unsqueeze(int dim)
    {
        int d = ShapeMath.WrapDim(dim, Dim + 1);
        var newShape = shape.ToList();
        var newStrides = strides.ToList();
        newShape.Insert(d, 1);
        newStrides.Insert(d, d < Dim ? strides[d] * shape[d] : 1);
        return Node.Record(View([.. newShape], [.. newStrides], offset), Derivatives.Unsqueeze, [this], new OpArgs { Dims = [d] });
    }

    /// <summary>Repeats size-1 dimensions (and adds leading ones) without copying; -1 keeps a size.</summary>
    public Tensor Expand(params long[] sizes)
    {
        ArgumentNullException.ThrowIfNull(sizes);
        if (sizes.Length < Dim)
            throw new ArgumentException($"expand({TypeName}{{{ShapeMath.Format(shape)}}}, size={ShapeMath.Format(sizes)}): the number of sizes provided ({sizes.Length}) must be greater or equal to the number of dimensions in the tensor ({Dim})");
        var newShape = new long[sizes.Length];
        var newStrides = new long[sizes.Length];
        int lead = sizes.Length - Dim;
        for (int i = sizes.Length - 1; i >= 0; i--)
        {
            long target = sizes[i];
            if (i < lead)
            {
                if (target < 0) throw new ArgumentException($"The expanded size of the tensor ({target}) isn't allowed in a leading, non-existing dimension {i}");
                (newShape[i], newStrides[i]) = (target, 0);
                continue;
            }
            long existing = shape[i - lead];
            if (target == -1) target = existing;
            if (target < 0)
                throw new ArgumentException($"expand({TypeName}{{{ShapeMath.Format(shape)}}}, size={ShapeMath.Format(sizes)}): size {target} at dimension {i} is negative; a size is >= 0, or -1 to keep the existing one");
            if (existing != target && existing != 1)
                throw new ArgumentException(
                    $"The expanded size of the tensor ({target}) must match the existing size ({existing}) at non-singleton dimension {i}.  Target sizes: {ShapeMath.Format(sizes)}.  Tensor sizes: {ShapeMath.Format(shape)}");
            (newShape[i], newStrides[i]) = (target, existing == target ? strides[i - lead] : 0);
        }
        return Node.Record(View(newShape, newStrides, offset), Derivatives.Expand, [this]);
    }

    /// <summary>Expands to another tensor's shape.</summary>
    public Tensor ExpandAs(Tensor other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return Expand([.. other.shape]);
    }

    /// <summary>Merges dimensions start..end into one (torch.flatten).</summary>
    public Tensor Flatten(int startDim = 0, int endDim = -1)
    {
        if (Dim == 0) return Reshape(1);
        int start = ShapeMath.WrapDim(startDim, Dim), end = ShapeMath.WrapDim(endDim, Dim);
        if (start > end) throw new ArgumentException("flatten() has invalid args: start_dim cannot come after end_dim");
        if (start == end) return this;
        long merged = 1;
        for (int d = start; d <= end; d++) merged *= shape[d];
        return Reshape([.. shape[..start], merged, .. shape[(end + 1)..]]);
    }

    /// <summary>Elements start, start+step, ... before end along <paramref name="dim"/> (Python's slicing; a view).</summary>
    public Tensor Slice(int dim, long? start = null, long? end = null, long step = 1)
    {
        int d = ShapeMath.WrapDim(dim, Dim);
        if (step <= 0) throw new ArgumentException(step == 0 ? "slice step cannot be zero" : "step must be greater than zero");
        long size = shape[d];
        long from = Clip(start ?? 0, size), to = Clip(end ?? size, size);
        long length = to > from ? (to - from + step - 1) / step : 0;
        var newShape = (long[])shape.Clone();
        var newStrides = (long[])strides.Clone();
        newShape[d] = length;
        newStrides[d] = strides[d] * step;
        var result = View(newShape, newStrides, offset + from * strides[d]);
        return Node.Record(result, Derivatives.Slice, [this], new OpArgs { Dims = [d], Sizes = [from, to, step] });

        static long Clip(long index, long size) => Math.Clamp(index < 0 ? index + size : index, 0, size);
    }

    /// <summary>The length elements from start (negative counts from the end) along <paramref name="dim"/> (a view).</summary>
    public Tensor Narrow(int dim, long start, long length)
    {
        if (Dim == 0) throw new ArgumentException("narrow() cannot be applied to a 0-dim tensor.");
        int d = ShapeMath.WrapDim(dim, Dim);
        long size = shape[d];
        if (start != size)
        {
            // PyTorch wraps start like a dimension index, with that message.
            long bound = Math.Max(size, 1);
            if (start < -bound || start >= bound)
                throw new ArgumentOutOfRangeException(null, $"Dimension out of range (expected to be in range of [{-bound}, {bound - 1}], but got {start})");
            if (start < 0) start += bound;
        }
        if (length < 0 || start > size - length)
            throw new ArgumentException($"start ({start}) + length ({length}) exceeds dimension size ({size}).");
        return Slice(d, start, start + length);
    }

    /// <summary>The sub-tensor at <paramref name="index"/> along <paramref name="dim"/>, which disappears (a view).</summary>
    public Tensor Select(int dim, long index)
    {
        if (Dim == 0) throw new ArgumentException("select() cannot be applied to a 0-dim tensor.");
        int d = ShapeMath.WrapDim(dim, Dim);
        if (index < -shape[d] || index >= shape[d])
            throw new ArgumentOutOfRangeException(null, $"select(): index {index} out of range for tensor of size {ShapeMath.Format(shape)} at dimension {d}");
        if (index < 0) index += shape[d];
        var result = View(shape.Where((_, i) => i != d).ToArray(), strides.Where((_, i) => i != d).ToArray(), offset + index * strides[d]);
        return Node.Record(result, Derivatives.Select, [this], new OpArgs { Dims = [d], Scalar = index });
    }

    /// <summary>A contiguous tensor with the same elements: this one when already contiguous, else a copy.</summary>
    public Tensor Contiguous() => IsContiguous ? this : Clone();

    /// <summary>A copy with its own storage (differentiable).</summary>
    public Tensor Clone() => Node.Record(CopyRaw(DType), Derivatives.Clone, [this]);

    /// <summary>The slices at <paramref name="index"/> (int64, 1-D) along <paramref name="dim"/>, copied.</summary>
    public Tensor IndexSelect(int dim, Tensor index)
    {
        ArgumentNullException.ThrowIfNull(index);
        if (index.DType != DType.Int64) throw new ArgumentException("index_select(): Expected dtype int32 or int64 for index");
        if (index.Dim > 1) throw new ArgumentException("index_select(): Index is supposed to be a vector");
        int d = ShapeMath.WrapDim(dim, Dim);
        var positions = index.ToArray<long>();
        long size = Dim == 0 ? 1 : shape[d];
        foreach (var p in positions) // unlike indexing, index_select does not wrap negative positions
            if (p < 0 || p >= size) throw new ArgumentOutOfRangeException(null, "index out of range in self");
        var result = IndexSelectRaw(d, positions);
        return Node.Record(result, Derivatives.IndexSelect, [this], new OpArgs { Dims = [d], Index = index });
    }

    internal Tensor IndexSelectRaw(int dim, long[] positions)
    {
        var source = Dim == 0 ? View([1], [1], offset) : this;
        var outShape = (long[])source.shape.Clone();
        outShape[dim] = positions.Length;
        var result = Empty(outShape, DType);
        using (GradMode.Set(false))
            for (int i = 0; i < positions.Length; i++)
            {
                long p = positions[i] < 0 ? positions[i] + source.shape[dim] : positions[i];
                result.Select(dim, i).CopyFromRaw(source.Select(dim, p));
            }
        return Dim == 0 ? result.View([], [], 0) : result;
    }

    /// <summary>Joins tensors along an existing dimension (torch.cat).</summary>
    public static Tensor Cat(IReadOnlyList<Tensor> tensors, int dim = 0)
    {
        ArgumentNullException.ThrowIfNull(tensors);
        ThrowIfAnyNull(tensors);
        if (tensors.Count == 0) throw new ArgumentException("torch.cat(): expected a non-empty list of Tensors");
        var first = tensors[0];
        if (first.Dim == 0) throw new ArgumentException("zero-dimensional tensor (at position 0) cannot be concatenated");
        int d = ShapeMath.WrapDim(dim, first.Dim);
        var dtype = tensors.Select(t => t.DType).Aggregate(TypePromotion.Promote);
        for (int i = 1; i < tensors.Count; i++)
        {
            if (tensors[i].Dim != first.Dim)
                throw new ArgumentException($"Tensors must have same number of dimensions: got {first.Dim} and {tensors[i].Dim}");
            for (int k = 0; k < first.Dim; k++)
                if (k != d && tensors[i].shape[k] != first.shape[k])
                    throw new ArgumentException($"Sizes of tensors must match except in dimension {d}. Expected size {first.shape[k]} but got size {tensors[i].shape[k]} for tensor number {i} in the list.");
        }
        var outShape = (long[])first.shape.Clone();
        outShape[d] = tensors.Sum(t => t.shape[d]);
        var result = Empty(outShape, dtype);
        var sizes = new long[tensors.Count];
        long position = 0;
        using (GradMode.Set(false))
            for (int i = 0; i < tensors.Count; i++)
            {
                sizes[i] = tensors[i].shape[d];
                result.Slice(d, position, position + sizes[i]).CopyFromRaw(tensors[i]);
                position += sizes[i];
            }
        return Node.Record(result, Derivatives.Cat, [.. tensors], new OpArgs { Dims = [d], Sizes = sizes });
    }

    /// <summary>Joins same-shaped tensors along a new dimension (torch.stack).</summary>
    public static Tensor Stack(IReadOnlyList<Tensor> tensors, int dim = 0)
    {
        ArgumentNullException.ThrowIfNull(tensors);
        ThrowIfAnyNull(tensors);
        if (tensors.Count == 0) throw new ArgumentException("stack expects a non-empty TensorList");
        for (int i = 1; i < tensors.Count; i++)
            if (!tensors[i].shape.AsSpan().SequenceEqual(tensors[0].shape))
                throw new ArgumentException($"stack expects each tensor to be equal size, but got {ShapeMath.Format(tensors[0].shape)} at entry 0 and {ShapeMath.Format(tensors[i].shape)} at entry {i}");
        int d = ShapeMath.WrapDim(dim, tensors[0].Dim + 1);
        Tensor result;
        using (GradMode.Set(false))
            result = Cat(tensors.Select(t => t.Unsqueeze(d)).ToArray(), d);
        return Node.Record(result, Derivatives.Stack, [.. tensors], new OpArgs { Dims = [d] });
    }

    private static void ThrowIfAnyNull(IReadOnlyList<Tensor> tensors)
    {
        for (int i = 0; i < tensors.Count; i++)
            if (tensors[i] is null)
                throw new ArgumentNullException(nameof(tensors), $"expected Tensor as element {i} in argument 0, but got null");
    }

    /// <summary>
    /// A zero tensor of <paramref name="baseShape"/> whose <paramref name="view"/> holds
    /// <paramref name="values"/>: the backward of every view op (slice, select, index).
    /// Differentiable, so higher-order gradients flow back through the same view.
    /// </summary>
    internal static Tensor ScatterIntoZeros(Tensor values, long[] baseShape, Func<Tensor, Tensor> view)
    {
        var result = Zeros(baseShape, values.DType);
        using (GradMode.Set(false))
            view(result).CopyFromRaw(values);
        return Node.Record(result, Derivatives.ViewScatter(view), [values]);
    }

    /// <summary>Adds the slices of <paramref name="values"/> into a zero tensor at the positions in <paramref name="index"/> along <paramref name="dim"/> (index_add into zeros).</summary>
    internal static Tensor IndexAddIntoZeros(Tensor values, long[] baseShape, int dim, Tensor index)
    {
        var result = Zeros(baseShape, values.DType);
        var positions = index.ToArray<long>();
        using (GradMode.Set(false))
            for (int i = 0; i < positions.Length; i++)
            {
                var target = result.Dim == 0 ? result : result.Select(dim, positions[i] < 0 ? positions[i] + baseShape[dim] : positions[i]);
                var slice = values.Dim == 0 ? values : values.Select(dim, i);
                target.CopyFromRaw(target + slice);
            }
        return Node.Record(result, Derivatives.IndexAddIntoZeros, [values], new OpArgs { Dims = [dim], Index = index });
    }
}
