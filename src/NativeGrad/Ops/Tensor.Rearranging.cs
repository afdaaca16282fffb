namespace NativeGrad;

// Ops that cut a tensor into pieces or rearrange its elements. The pieces of chunk, split and
// unbind, diagonal and movedim are views, as in PyTorch; repeat, tile, flip, roll, tril, triu and
// diag copy. The copies read through flat positions (Tensor.IndexingKernels.cs).
public sealed partial class Tensor
{
    /// <summary>Up to <paramref name="chunks"/> views of equal size (the last may be smaller) along <paramref name="dim"/> (torch.chunk).</summary>
    public Tensor[] Chunk(int chunks, int dim = 0)
    {
        if (Dim == 0) throw new ArgumentException("chunk expects at least a 1-dimensional tensor");
        if (chunks <= 0) throw new ArgumentException($"chunk expects `chunks` to be greater than 0, got: {chunks}");
        int d = ShapeMath.WrapDim(dim, Dim);
        long size = shape[d], pieceSize = (size + chunks - 1) / chunks;
        // An empty dimension still gives `chunks` (empty) pieces.
        if (pieceSize == 0) return SplitInto(Enumerable.Repeat(0L, chunks).ToArray(), d, "SplitWithSizesBackward0");
        return Split(pieceSize, d);
    }

    /// <summary>Views of <paramref name="splitSize"/> along <paramref name="dim"/>, the last one possibly smaller (torch.split).</summary>
    public Tensor[] Split(long splitSize, int dim = 0)
    {
        if (Dim == 0) throw new ArgumentException("split expects at least a 1-dimensional tensor");
        if (splitSize < 0) throw new ArgumentException($"split expects split_size be non-negative, but got split_size={splitSize}");
        int d = ShapeMath.WrapDim(dim, Dim);
        long size = shape[d];
        if (splitSize == 0 && size != 0)
            throw new ArgumentException($"split_size can only be 0 if dimension size is 0, but got dimension size of {size}");
        long count = splitSize == 0 ? 1 : Math.Max((size + splitSize - 1) / splitSize, 1);
        var sizes = new long[count];
        for (long i = 0; i < count; i++) sizes[i] = Math.Min(splitSize, size - i * splitSize);
        return SplitInto(sizes, d, "SplitBackward0");
    }

    /// <summary>Views of the given sizes along <paramref name="dim"/>, which must add up to its size (torch.split with a list).</summary>
    public Tensor[] Split(long[] splitSizes, int dim = 0)
    {
        ArgumentNullException.ThrowIfNull(splitSizes);
        if (Dim == 0) throw new ArgumentException("split expects at least a 1-dimensional tensor");
        int d = ShapeMath.WrapDim(dim, Dim);
        if (splitSizes.Any(s => s < 0))
            throw new ArgumentException($"split_with_sizes expects split_sizes have only non-negative entries, but got split_sizes={ShapeMath.Format(splitSizes)}");
        if (splitSizes.Sum() != shape[d])
            throw new ArgumentException($"split_with_sizes expects split_sizes to sum exactly to {shape[d]} (input tensor's size at dimension {d}), but got split_sizes={ShapeMath.Format(splitSizes)}");
        return SplitInto(splitSizes, d, "SplitWithSizesBackward0");
    }

    private Tensor[] SplitInto(long[] sizes, int dim, string name)
    {
        var pieces = new Tensor[sizes.Length];
        long start = 0;
        for (int i = 0; i < sizes.Length; i++)
        {
            var (from, length) = (start, sizes[i]);
            var newShape = (long[])shape.Clone();
            newShape[dim] = length;
            var piece = View(newShape, strides, offset + from * strides[dim]);
            pieces[i] = Node.Record(piece, Derivatives.Piece(name, t => t.Narrow(dim, from, length)), [this]);
            start += length;
        }
        return pieces;
    }

    /// <summary>The views at each position along <paramref name="dim"/>, which disappears (torch.unbind).</summary>
    public Tensor[] Unbind(int dim = 0)
    {
        if (Dim == 0) throw new ArgumentOutOfRangeException(null, $"Dimension specified as {dim} but tensor has no dimensions");
        int d = ShapeMath.WrapDim(dim, Dim);
        var rowShape = shape.Where((_, k) => k != d).ToArray();
        var rowStrides = strides.Where((_, k) => k != d).ToArray();
        var rows = new Tensor[shape[d]];
        for (long i = 0; i < rows.Length; i++)
        {
            long at = i;
            rows[i] = Node.Record(View(rowShape, rowStrides, offset + at * strides[d]),
                                  Derivatives.Piece("UnbindBackward0", t => t.Select(d, at)), [this]);
        }
        return rows;
    }

    /// <summary>The tensor repeated repeats[d] times along each dimension; extra leading repeats add dimensions (a copy; Tensor.repeat).</summary>
    public Tensor Repeat(params long[] repeats)
    {
        ArgumentNullException.ThrowIfNull(repeats);
        if (repeats.Length < Dim)
            throw new ArgumentException("Number of dimensions of repeat dims can not be smaller than number of dimensions of tensor");
        long[] padded = [.. Enumerable.Repeat(1L, repeats.Length - Dim), .. shape];
        var outShape = padded.Select((size, d) => size * repeats[d]).ToArray();
        int negative = Array.FindIndex(outShape, s => s < 0);
        if (negative >= 0)
            throw new ArgumentException($"Trying to create tensor with negative dimension {outShape[negative]}: {ShapeMath.Format(outShape)}");
        var strides = ShapeMath.ContiguousStrides(padded);
        var tables = outShape.Select((size, d) =>
        {
            var table = new long[size];
            for (long c = 0; c < size; c++) table[c] = c % padded[d] * strides[d];
            return (long[]?)table;
        }).ToArray();
        var result = TakeRaw(this, Offsets(outShape, tables), outShape);
        return Node.Record(result, Derivatives.Repeat(repeats), [this]);
    }

    /// <summary>Like <see cref="Repeat"/>, with fewer repeats than dimensions padded with leading 1s (torch.tile).</summary>
    public Tensor Tile(params long[] repeats)
    {
        ArgumentNullException.ThrowIfNull(repeats);
        return Repeat([.. Enumerable.Repeat(1L, Math.Max(Dim - repeats.Length, 0)), .. repeats]);
    }

    /// <summary>The elements in reverse order along each of <paramref name="dims"/> (a copy; torch.flip).</summary>
    public Tensor Flip(params long[] dims)
    {
        ArgumentNullException.ThrowIfNull(dims);
        var flipped = new bool[Math.Max(Dim, 1)];
        foreach (var dim in dims)
        {
            int d = ShapeMath.WrapDim(dim, Dim);
            if (flipped[d]) throw new ArgumentException($"dim {d} appears multiple times in the list of dims");
            flipped[d] = true;
        }
        var strides = ShapeMath.ContiguousStrides(shape);
        var tables = shape.Select((size, d) =>
        {
            var table = new long[size];
            for (long c = 0; c < size; c++) table[c] = (flipped[d] ? size - 1 - c : c) * strides[d];
            return (long[]?)table;
        }).ToArray();
        var wrapped = dims.Select(d => (long)ShapeMath.WrapDim(d, Dim)).ToArray();
        return Node.Record(TakeRaw(this, Offsets(shape, tables), shape), Derivatives.Flip(wrapped), [this]);
    }

    /// <summary>
    /// Shifts the elements by shifts[i] along dims[i], wrapping around; with no dims, the flattened
    /// tensor is shifted and the shape restored (a copy; torch.roll).
    /// </summary>
    public Tensor Roll(long[] shifts, params long[] dims)
    {
        ArgumentNullException.ThrowIfNull(shifts);
        ArgumentNullException.ThrowIfNull(dims);
        if (shifts.Length == 0) throw new ArgumentException("`shifts` required");
        if (shifts.Length != dims.Length && !(dims.Length == 0 && shifts.Length == 1))
            throw new ArgumentException($"shifts and dimensions must align. shifts: {shifts.Length}, dims:{dims.Length}");
        var wrapped = dims.Select(d => (long)ShapeMath.WrapDim(d, Dim)).ToArray();
        long[] viewShape = dims.Length == 0 ? [NumElements] : shape;
        var shift = new long[viewShape.Length];
        for (int i = 0; i < dims.Length; i++) shift[wrapped[i]] += shifts[i];
        if (dims.Length == 0) shift[0] = shifts[0];
        var strides = ShapeMath.ContiguousStrides(viewShape);
        var tables = viewShape.Select((size, d) =>
        {
            var table = new long[size];
            for (long c = 0; c < size; c++) table[c] = ((c - shift[d]) % size + size) % size * strides[d];
            return (long[]?)table;
        }).ToArray();
        var result = TakeRaw(this, Offsets(viewShape, tables), shape);
        return Node.Record(result, Derivatives.Roll(shifts, wrapped), [this]);
    }

    /// <summary>The lower triangle of the last two dimensions, j - i &lt;= diagonal, the rest zero (a copy; torch.tril).</summary>
    public Tensor Tril(long diagonal = 0) => Triangle(lower: true, diagonal);

    /// <summary>The upper triangle of the last two dimensions, j - i &gt;= diagonal, the rest zero (a copy; torch.triu).</summary>
    public Tensor Triu(long diagonal = 0) => Triangle(lower: false, diagonal);

    private Tensor Triangle(bool lower, long diagonal)
    {
        if (Dim < 2)
            throw new ArgumentOutOfRangeException(null, Dim == 0
                ? "Dimension specified as -2 but tensor has no dimensions"
                : "Dimension out of range (expected to be in range of [-1, 0], but got -2)");
        long rows = shape[^2], cols = shape[^1];
        var keep = new bool[rows * cols];
        for (long i = 0; i < rows; i++)
            for (long j = 0; j < cols; j++)
                keep[i * cols + j] = lower ? j - i <= diagonal : j - i >= diagonal;
        var mask = FromArray(keep, rows, cols);
        var result = WhereRaw(mask, this, Zeros([], DType), DType);
        return Node.Record(result, lower ? Derivatives.Tril(diagonal) : Derivatives.Triu(diagonal), [this]);
    }

    /// <summary>
    /// For a vector, the square matrix with it on diagonal <paramref name="diagonal"/>; for a matrix,
    /// a copy of that diagonal (torch.diag).
    /// </summary>
    public Tensor Diag(long diagonal = 0)
    {
        if (Dim == 2) return Node.Record(DiagonalView(diagonal, 0, 1).CopyRaw(DType), Derivatives.DiagOfMatrix(diagonal), [this]);
        if (Dim != 1) throw new ArgumentException("matrix or a vector expected");
        long n = shape[0] + Math.Abs(diagonal);
        var result = Zeros([n, n], DType);
        var flat = new long[shape[0]];
        for (long i = 0; i < flat.LongLength; i++) flat[i] = (i + Math.Max(-diagonal, 0)) * n + i + Math.Max(diagonal, 0);
        PutRaw(result, flat, this, accumulate: false);
        return Node.Record(result, Derivatives.DiagOfVector(diagonal), [this]);
    }

    /// <summary>The elements (i, i + offset) of dimensions <paramref name="dim1"/> and <paramref name="dim2"/>, as a new last dimension (a view; torch.diagonal).</summary>
    public Tensor Diagonal(long offset = 0, int dim1 = 0, int dim2 = 1)
    {
        int a = ShapeMath.WrapDim(dim1, Dim), b = ShapeMath.WrapDim(dim2, Dim);
        if (a == b) throw new ArgumentException($"diagonal dimensions cannot be identical {dim1}, {dim2}");
        return Node.Record(DiagonalView(offset, a, b), Derivatives.Diagonal(offset, a, b), [this]);
    }

    private Tensor DiagonalView(long diagonal, int a, int b)
    {
        long length = diagonal >= 0 ? Math.Min(shape[a], shape[b] - diagonal) : Math.Min(shape[a] + diagonal, shape[b]);
        length = Math.Max(length, 0);
        long start = length == 0 ? offset : offset + (diagonal >= 0 ? diagonal * strides[b] : -diagonal * strides[a]);
        long[] newShape = [.. shape.Where((_, k) => k != a && k != b), length];
        long[] newStrides = [.. strides.Where((_, k) => k != a && k != b), strides[a] + strides[b]];
        return View(newShape, newStrides, start);
    }

    /// <summary>Moves dimension <paramref name="source"/> to position <paramref name="destination"/> (a view; torch.movedim).</summary>
    public Tensor Movedim(int source, int destination) => Movedim([source], [destination]);

    /// <summary>Moves each source dimension to the matching destination, the others keeping their order (a view; torch.movedim).</summary>
    public Tensor Movedim(int[] source, int[] destination)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(destination);
        if (source.Length != destination.Length)
            throw new ArgumentException($"movedim: Invalid source or destination dims: source ({ShapeMath.Format(source.Select(d => (long)d).ToArray())} dims) should contain the same number of dims as destination ({ShapeMath.Format(destination.Select(d => (long)d).ToArray())} dims)");
        var from = source.Select(d => ShapeMath.WrapDim(d, Dim)).ToArray();
        var to = destination.Select(d => ShapeMath.WrapDim(d, Dim)).ToArray();
        if (from.Distinct().Count() != from.Length)
            throw new ArgumentException($"movedim: repeated dim in `source` ({ShapeMath.Format(source.Select(d => (long)d).ToArray())})");
        if (to.Distinct().Count() != to.Length)
            throw new ArgumentException($"movedim: repeated dim in `destination` ({ShapeMath.Format(destination.Select(d => (long)d).ToArray())})");
        var order = Enumerable.Repeat(-1, Dim).ToArray();
        for (int i = 0; i < from.Length; i++) order[to[i]] = from[i];
        var others = Enumerable.Range(0, Dim).Except(from).GetEnumerator();
        for (int k = 0; k < Dim; k++)
            if (order[k] < 0 && others.MoveNext()) order[k] = others.Current;
        return Permute(order);
    }
}
