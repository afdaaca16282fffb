namespace NativeGrad;

/// <summary>
/// The samples of another data set at given positions, like <c>torch.utils.data.Subset</c>
/// (what <see cref="Data.RandomSplit(IDataset, IReadOnlyList{long}, Generator?)"/> returns).
/// Batches are fetched from the underlying data set in one call, so a subset of a
/// <see cref="TensorDataset"/> still gathers whole batches.
/// </summary>
public sealed class Subset : IDataset
{
    private readonly long[] indices;

    /// <summary>The samples of <paramref name="dataset"/> at <paramref name="indices"/>, in that order.</summary>
    /// <param name="dataset">The underlying data set.</param>
    /// <param name="indices">Positions in <paramref name="dataset"/>, each in [0, dataset.Count).</param>
    /// <exception cref="ArgumentOutOfRangeException">A position is outside the data set.</exception>
    public Subset(IDataset dataset, IReadOnlyList<long> indices)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentNullException.ThrowIfNull(indices);
        this.indices = [.. indices];
        foreach (long index in this.indices)
            DatasetChecks.CheckIndex(index, dataset.Count);
        Dataset = dataset;
    }

    /// <summary>The underlying data set.</summary>
    public IDataset Dataset { get; }

    /// <summary>The positions in <see cref="Dataset"/> this subset's samples come from.</summary>
    public IReadOnlyList<long> Indices => indices;

    /// <inheritdoc/>
    public long Count => indices.Length;

    /// <inheritdoc/>
    public Tensor[] this[long index]
    {
        get
        {
            DatasetChecks.CheckIndex(index, Count);
            return Dataset[indices[index]];
        }
    }

    /// <inheritdoc/>
    public Tensor[] GetBatch(ReadOnlySpan<long> indices)
    {
        DatasetChecks.CheckBatch(indices, Count);
        var mapped = new long[indices.Length];
        for (int i = 0; i < mapped.Length; i++)
            mapped[i] = this.indices[indices[i]];
        return Dataset.GetBatch(mapped);
    }
}
