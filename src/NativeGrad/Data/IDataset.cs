namespace NativeGrad;

/// <summary>
/// A map-style data set, like <c>torch.utils.data.Dataset</c>: <see cref="Count"/> samples, each
/// a tuple of tensors (for example an image and its label) read by index.
/// </summary>
public interface IDataset
{
    /// <summary>The number of samples (Python's <c>len(dataset)</c>).</summary>
    long Count { get; }

    /// <summary>The sample at <paramref name="index"/>, in [0, <see cref="Count"/>).</summary>
    /// <param name="index">The sample's position.</param>
    /// <returns>The sample's tensors, in the data set's field order.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="index"/> is outside [0, Count).</exception>
    Tensor[] this[long index] { get; }

    /// <summary>
    /// The samples at <paramref name="indices"/> collated into one batch: field by field, the
    /// samples' tensors stacked along a new first dimension (PyTorch's <c>default_collate</c>).
    /// The default stacks the samples one by one; data sets that hold whole tensors override it
    /// with one gather per field.
    /// </summary>
    /// <param name="indices">The samples' positions, at least one.</param>
    /// <returns>One tensor per field, each with <c>indices.Length</c> rows.</returns>
    /// <exception cref="ArgumentException"><paramref name="indices"/> is empty, or the samples do not have the same fields and shapes.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An index is outside [0, Count).</exception>
    Tensor[] GetBatch(ReadOnlySpan<long> indices) => DatasetChecks.StackSamples(this, indices);
}

/// <summary>Shared checks and the default collation of <see cref="IDataset"/> implementations.</summary>
internal static class DatasetChecks
{
    public static void CheckIndex(long index, long count)
    {
        if (index < 0 || index >= count)
            throw new ArgumentOutOfRangeException(nameof(index), index, $"index {index} is out of range for a data set of {count} samples");
    }

    public static void CheckBatch(ReadOnlySpan<long> indices, long count)
    {
        if (indices.IsEmpty)
            throw new ArgumentException("a batch needs at least one index", nameof(indices));
        foreach (long index in indices)
            CheckIndex(index, count);
    }

    public static Tensor[] StackSamples(IDataset dataset, ReadOnlySpan<long> indices)
    {
        CheckBatch(indices, dataset.Count);
        var samples = new Tensor[indices.Length][];
        for (int i = 0; i < indices.Length; i++)
        {
            samples[i] = dataset[indices[i]];
            if (samples[i].Length != samples[0].Length)
                throw new ArgumentException(
                    $"cannot collate a batch: sample {indices[i]} has {samples[i].Length} tensors but sample {indices[0]} has {samples[0].Length}", nameof(indices));
        }

        var batch = new Tensor[samples[0].Length];
        for (int field = 0; field < batch.Length; field++)
            batch[field] = Tensor.Stack(samples.Select(sample => sample[field]).ToArray());
        return batch;
    }
}
