namespace NativeGrad;

/// <summary>
/// One entry of a tensor index, as in Python's <c>x[1, 2:5, ..., None]</c>: an integer selects,
/// a range or <see cref="Slice"/> slices (with a step), <see cref="Ellipsis"/> stands for the
/// remaining dimensions and <see cref="NewAxis"/> inserts one of size 1. A tensor (int64 positions
/// or a bool mask) is an advanced index; an index made only of tensors is PyTorch's advanced
/// indexing, <c>x[mask]</c> or <c>x[rows, cols]</c> (see the Tensor[] indexer).
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
    /// The tensors of an index made only of tensors (advanced indexing), or null when it holds
    /// none; PyTorch's rules for tensors mixed with integers and slices (where the indexed
    /// dimensions go) are not implemented, so a mix is refused.
    /// </summary>
    internal static Tensor[]? AdvancedOnly(TensorIndex[] indices)
    {
        ArgumentNullException.ThrowIfNull(indices);
        if (!indices.Any(i => i.kind == Kind.Tensor)) return null;
        if (indices.Any(i => i.kind != Kind.Tensor))
            throw new NotSupportedException(
                "indexing with tensors mixed with integers, slices, ... or NewAxis is not supported; " +
                "index in two steps, e.g. x[.., 1][rows] for x[rows, 1] (PyTorch's placement of the indexed dimensions differs when they are not adjacent)");
        return indices.Select(i => i.tensor!).ToArray();
    }

    internal static Tensor Apply(Tensor tensor, TensorIndex[] indices)
    {
        ArgumentNullException.ThrowIfNull(indices);
        // PyTorch answers a lone integer or slice on a 0-dim tensor before anything else.
        if (tensor.Dim == 0 && indices is [{ kind: Kind.Single }])
            throw new ArgumentOutOfRangeException(null,
                "invalid index of a 0-dim tensor. Use `tensor.item()` in Python or `tensor.item<T>()` in C++ to convert a 0-dim tensor to a number");
        if (tensor.Dim == 0 && indices is [{ kind: Kind.Range }])
            throw new ArgumentOutOfRangeException(null, "slice() cannot be applied to a 0-dim tensor.");
        int consumed = indices.Count(i => i.kind is Kind.Single or Kind.Range);
        if (indices.Count(i => i.kind == Kind.Ellipsis) > 1)
            throw new ArgumentException("an index can only have a single ellipsis ('...')");
        if (consumed > tensor.Dim)
            throw new ArgumentOutOfRangeException(null, $"too many indices for tensor of dimension {tensor.Dim}");

        var result = tensor;
        int dim = 0;
        for (int position = 0; position < indices.Length; position++)
        {
            var entry = indices[position];
            switch (entry.kind)
            {
                case Kind.Single:
                    long size = result.shape[dim];
                    // PyTorch names the entry's position in the index, which is the dimension
                    // of the tensor unless an ellipsis or a new axis comes before it.
                    if (entry.index < -size || entry.index >= size)
                        throw new ArgumentOutOfRangeException(null, $"index {entry.index} is out of bounds for dimension {position} with size {size}");
                    result = result.Select(dim, entry.index);
                    break;
                case Kind.Range:
                    result = result.Slice(dim, entry.start, entry.stop, entry.step);
                    dim++;
                    break;
                case Kind.Ellipsis:
                    dim += tensor.Dim - consumed;
                    break;
                case Kind.NewAxis:
                    result = result.Unsqueeze(dim);
                    dim++;
                    break;
            }
        }
        return result;
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
        get => TensorIndex.AdvancedOnly(indices) is { } tensors ? this[tensors] : TensorIndex.Apply(this, indices);
        set
        {
            ArgumentNullException.ThrowIfNull(value);
            if (TensorIndex.AdvancedOnly(indices) is { } tensors) this[tensors] = value;
            else TensorIndex.Apply(this, indices).Copy_(value);
        }
    }
}
