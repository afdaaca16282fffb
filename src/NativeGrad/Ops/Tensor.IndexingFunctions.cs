namespace NativeGrad;

// The torch.x spellings of the indexing and shape ops (Tensor.Indexing.cs, Tensor.Rearranging.cs),
// for code ported from torch.gather(x, ...) style; each is the method of the same name.
public sealed partial class Tensor
{
    /// <summary>torch.gather: <see cref="Gather(int, Tensor)"/>.</summary>
    public static Tensor Gather(Tensor input, int dim, Tensor index) => NotNull(input).Gather(dim, index);

    /// <summary>torch.scatter: <see cref="Scatter(int, Tensor, Tensor)"/>.</summary>
    public static Tensor Scatter(Tensor input, int dim, Tensor index, Tensor src) => NotNull(input).Scatter(dim, index, src);

    /// <summary>torch.scatter_add: <see cref="ScatterAdd(int, Tensor, Tensor)"/>.</summary>
    public static Tensor ScatterAdd(Tensor input, int dim, Tensor index, Tensor src) => NotNull(input).ScatterAdd(dim, index, src);

    /// <summary>torch.index_add: <see cref="IndexAdd(int, Tensor, Tensor, double)"/>.</summary>
    public static Tensor IndexAdd(Tensor input, int dim, Tensor index, Tensor source, double alpha = 1) => NotNull(input).IndexAdd(dim, index, source, alpha);

    /// <summary>torch.index_put: <see cref="IndexPut(Tensor[], Tensor, bool)"/>.</summary>
    public static Tensor IndexPut(Tensor input, Tensor[] indices, Tensor values, bool accumulate = false) => NotNull(input).IndexPut(indices, values, accumulate);

    /// <summary>torch.masked_fill: <see cref="MaskedFill(Tensor, double)"/>.</summary>
    public static Tensor MaskedFill(Tensor input, Tensor mask, double value) => NotNull(input).MaskedFill(mask, value);

    /// <summary>torch.masked_select: <see cref="MaskedSelect(Tensor)"/>.</summary>
    public static Tensor MaskedSelect(Tensor input, Tensor mask) => NotNull(input).MaskedSelect(mask);

    /// <summary>torch.take: <see cref="Take(Tensor)"/>.</summary>
    public static Tensor Take(Tensor input, Tensor index) => NotNull(input).Take(index);

    /// <summary>torch.nonzero: <see cref="Nonzero()"/>.</summary>
    public static Tensor Nonzero(Tensor input) => NotNull(input).Nonzero();

    /// <summary>torch.chunk: <see cref="Chunk(int, int)"/>.</summary>
    public static Tensor[] Chunk(Tensor input, int chunks, int dim = 0) => NotNull(input).Chunk(chunks, dim);

    /// <summary>torch.split: <see cref="Split(long, int)"/>.</summary>
    public static Tensor[] Split(Tensor input, long splitSize, int dim = 0) => NotNull(input).Split(splitSize, dim);

    /// <summary>torch.split with sizes: <see cref="Split(long[], int)"/>.</summary>
    public static Tensor[] Split(Tensor input, long[] splitSizes, int dim = 0) => NotNull(input).Split(splitSizes, dim);

    /// <summary>torch.unbind: <see cref="Unbind(int)"/>.</summary>
    public static Tensor[] Unbind(Tensor input, int dim = 0) => NotNull(input).Unbind(dim);

    /// <summary>torch.tile: <see cref="Tile(long[])"/>.</summary>
    public static Tensor Tile(Tensor input, params long[] repeats) => NotNull(input).Tile(repeats);

    /// <summary>torch.flip: <see cref="Flip(long[])"/>.</summary>
    public static Tensor Flip(Tensor input, params long[] dims) => NotNull(input).Flip(dims);

    /// <summary>torch.roll: <see cref="Roll(long[], long[])"/>.</summary>
    public static Tensor Roll(Tensor input, long[] shifts, params long[] dims) => NotNull(input).Roll(shifts, dims);

    /// <summary>torch.tril: <see cref="Tril(long)"/>.</summary>
    public static Tensor Tril(Tensor input, long diagonal = 0) => NotNull(input).Tril(diagonal);

    /// <summary>torch.triu: <see cref="Triu(long)"/>.</summary>
    public static Tensor Triu(Tensor input, long diagonal = 0) => NotNull(input).Triu(diagonal);

    /// <summary>torch.diag: <see cref="Diag(long)"/>.</summary>
    public static Tensor Diag(Tensor input, long diagonal = 0) => NotNull(input).Diag(diagonal);

    /// <summary>torch.diagonal: <see cref="Diagonal(long, int, int)"/>.</summary>
    public static Tensor Diagonal(Tensor input, long offset = 0, int dim1 = 0, int dim2 = 1) => NotNull(input).Diagonal(offset, dim1, dim2);

    /// <summary>torch.movedim: <see cref="Movedim(int[], int[])"/>.</summary>
    public static Tensor Movedim(Tensor input, int[] source, int[] destination) => NotNull(input).Movedim(source, destination);

    private static Tensor NotNull(Tensor input, [System.Runtime.CompilerServices.CallerArgumentExpression(nameof(input))] string? name = null)
    {
        ArgumentNullException.ThrowIfNull(input, name);
        return input;
    }
}
