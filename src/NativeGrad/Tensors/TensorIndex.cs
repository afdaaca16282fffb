namespace NativeGrad;

/// <summary>
/// One entry of a tensor index, as in Python's <c>x[1, 2:5, ..., None]</c>: an integer selects,
/// a range or <see cref="Slice"/> slices (with a step), <see cref="Ellipsis"/> stands for the
/// remaining dimensions and <see cref="NewAxis"/> inserts one of size 1. A tensor (int64 positions
/// or a bool mask) is an advanced index, <c>x[mask]</c>, <c>x[rows, cols]</c> or <c>x[rows, 1..]</c>,
/// with PyTorch's rules for where the indexed dimensions go.
/// </summary>
public readonly struct TensorIndex
{
    private enum Kind { Single, Range, Ellipsis, NewAxis, Tensor }

    private readonly Kind kind;
    private readonly long index;
    private readonly long? start, stop;
    private readonly long step;
    private readonly Tensor? tensor;

    private TensorIndex(Tensor tensor)
    {
        kind = Kind.Tensor;
        this.tensor = tensor;
        step = 1;
    }

    private TensorIndex(Kind kind, long index = 0, long? start = null, long? stop = null, long step = 1)
    {
        this.kind = kind;
        this.index = index;
        this.start = start;
        this.stop = stop;
        this.step = step;
    }

    /// <summary>Python's <c>start:stop:step</c>; null bounds mean the ends, negative ones count from the end.</summary>
    public static TensorIndex Slice(long? start = null, long? stop = null, long step = 1) => new(Kind.Range, 0, start, stop, step);

    /// <summary>Python's <c>...</c>.</summary>
    public static TensorIndex Ellipsis => new(Kind.Ellipsis);

    /// <summary>Python's <c>None</c>: a new dimension of size 1.</summary>
    public static TensorIndex NewAxis => new(Kind.NewAxis);

    /// <summary>Selects one position (the dimension disappears).</summary>
    public static implicit operator TensorIndex(long index) => new(Kind.Single, index);

    /// <summary>Selects one position (the dimension disappears).</summary>
    public static implicit operator TensorIndex(int index) => new(Kind.Single, index);

    /// <summary>A C# range such as <c>1..^1</c>, as a slice with step 1.</summary>
    public static implicit operator TensorIndex(Range range) => Slice(Bound(range.Start), range.End.IsFromEnd && range.End.Value == 0 ? null : Bound(range.End));

    /// <summary>An advanced index: int64 positions or a bool mask (torch's <c>x[t]</c>).</summary>
    public static implicit operator TensorIndex(Tensor tensor) => new(tensor ?? throw new ArgumentNullException(nameof(tensor)));

    private static long? Bound(Index bound) => bound.IsFromEnd ? -bound.Value : bound.Value;

    /// <summary>
    /// Python's indexing, as PyTorch's applySlicing does it: integers, slices, ellipsis and new
    /// axes give a view, left to right; tensors are then applied to that view as advanced
    /// indices (null here when there are none: the view is the result), each at the dimension it
    /// stood for.
    /// </summary>
    internal static (Tensor View, Tensor?[]? Advanced) Apply(Tensor tensor, TensorIndex[] indices)
    {
        ArgumentNullException.ThrowIfNull(indices);
        // PyTorch answers a lone integer or slice on a 0-dim tensor before anything else.
        if (tensor.Dim == 0 && indices is [{ kind: Kind.Single }])
            throw new ArgumentOutOfRangeException(null,
                "invalid index of a 0-dim tensor. Use `tensor.item()` in Python or `tensor.item<T>()` in C++ to convert a 0-dim tensor to a number");
        if (tensor.Dim == 0 && indices is [{ kind: Kind.Range }])
            throw new ArgumentOutOfRangeException(null, "slice() cannot be applied to a 0-dim tensor.");
        int consumed = indices.Sum(i => i.kind switch
        {
            Kind.Single or Kind.Range => 1,
            Kind.Tensor => i.tensor!.DType == DType.Bool ? i.tensor.Dim : 1,
            _ => 0,
        });
        if (indices.Count(i => i.kind == Kind.Ellipsis) > 1)
            throw new ArgumentException("an index can only have a single ellipsis ('...')");
        if (consumed > tensor.Dim)
            throw new ArgumentOutOfRangeException(null, $"too many indices for tensor of dimension {tensor.Dim}");

        var advanced = new List<(int Dim, Tensor Index)>();
        var result = tensor;
        int dim = 0;
        for (int position = 0; position < indices.Length; position++)
        {
            var entry = indices[position];
            switch (entry.kind)
            {
                case Kind.Single:
                    result = entry.SelectFrom(result, dim, position);
                    break;
                case Kind.Range:
                    result = result.Slice(dim, entry.start, entry.stop, entry.step); // a view even when whole, as in torch 1.13
                    dim++;
                    break;
                case Kind.Ellipsis:
                    dim += tensor.Dim - consumed;
                    break;
                case Kind.NewAxis:
                    result = result.Unsqueeze(dim);
                    dim++;
                    break;
                // A 0-dim integer tensor selects, as an integer does. Any other tensor takes one
                // place in the list of advanced indices, a bool mask too, which then covers as
                // many dimensions as it has: an entry after a mask of two or more dimensions
                // applies to the mask's second dimension, as in PyTorch's applySlicing.
                case Kind.Tensor when entry.tensor!.Dim == 0 && entry.tensor.DType == DType.Int64:
                    result = new TensorIndex(Kind.Single, entry.tensor.Item<long>()).SelectFrom(result, dim, position);
                    break;
                // A 0-dim mask adds a dimension of size 1 that it then keeps (True) or empties (False).
                case Kind.Tensor when entry.tensor!.Dim == 0 && entry.tensor.DType == DType.Bool:
                    result = result.Unsqueeze(dim);
                    advanced.Add((dim++, entry.tensor.Reshape(1)));
                    break;
                case Kind.Tensor:
                    advanced.Add((dim, entry.tensor!));
                    dim++;
                    break;
            }
        }
        if (advanced.Count == 0) return (result, null);
        // One entry per dimension up to the last indexed one: null where a dimension is whole.
        var entries = new List<Tensor?>();
        int next = 0;
        foreach (var (at, index) in advanced)
        {
            for (; next < at; next++) entries.Add(null);
            entries.Add(index);
            next = at + 1;
        }
        return (result, entries.ToArray());
    }

    private Tensor SelectFrom(Tensor tensor, int dim, int position)
    {
        long size = tensor.shape[dim];
        // PyTorch names the entry's position in the index, which is the dimension
        // of the tensor unless an ellipsis or a new axis comes before it.
        if (index < -size || index >= size)
            throw new ArgumentOutOfRangeException(null, $"index {index} is out of bounds for dimension {position} with size {size}");
        return tensor.Select(dim, index);
    }
}

public sealed partial class Tensor
{
    /// <summary>
    /// Python-style indexing: <c>x[1]</c>, <c>x[.., 0]</c>, <c>x[TensorIndex.Slice(0, null, 2)]</c>; a view that keeps the graph.
    /// Assigning writes into that view (broadcast, cast to this dtype), recorded like PyTorch's
    /// <c>__setitem__</c>: this tensor's grad_fn becomes CopySlices.
    /// </summary>
    [System.Runtime.CompilerServices.IndexerName("Index")] // "Item" is taken by Item<T>()
    public Tensor this[params TensorIndex[] indices]
    {
        get
        {
            var (view, advanced) = TensorIndex.Apply(this, indices);
            if (advanced is null) return view;
            var (flat, outShape) = view.AdvancedIndexFlatWithWholeDims(advanced);
            return TakeFlat(view, flat, outShape, "IndexBackward0");
        }
        set
        {
            ArgumentNullException.ThrowIfNull(value);
            var (view, advanced) = TensorIndex.Apply(this, indices);
            if (advanced is null) view.Copy_(value);
            else view.IndexPut_(advanced, value.To(DType));
        }
    }
}
