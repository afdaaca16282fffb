using System.Collections;

namespace NativeGrad;

/// <summary>
/// Batches of a data set, like <c>torch.utils.data.DataLoader</c> with the default collation and
/// no worker processes: enumerating it gives one <c>Tensor[]</c> per batch (one tensor per field,
/// the samples stacked along dimension 0), in order or, with <c>shuffle</c>, in a fresh random
/// order each time it is enumerated.
/// </summary>
/// <remarks>
/// The random draws are PyTorch 1.13's, in PyTorch's order, so a seeded program shuffles the
/// same way and leaves the generators in the same state: starting an enumeration draws one
/// 64-bit base seed from <see cref="Generator"/> (or the default generator), as every
/// <c>iter(loader)</c> does for its workers even when there are none; with <c>shuffle</c>, the
/// first batch then draws the order with <see cref="Tensor.Randperm"/> from <see cref="Generator"/>,
/// or, without one, from a new generator seeded by one more draw from the default generator
/// (RandomSampler's way); and running through to the end draws one more, unused permutation, as
/// RandomSampler's trailing <c>randperm(n)[:0]</c> does. An enumerator is for one thread.
/// </remarks>
public sealed class DataLoader : IEnumerable<Tensor[]>
{
    /// <summary>Batches of <paramref name="dataset"/>.</summary>
    /// <param name="dataset">The samples.</param>
    /// <param name="batchSize">Samples per batch, at least 1; the last batch may be smaller.</param>
    /// <param name="shuffle">Whether each enumeration visits the samples in a new random order.</param>
    /// <param name="dropLast">Whether to leave out a last batch smaller than <paramref name="batchSize"/>.</param>
    /// <param name="generator">The generator for the shuffle and the base seed; the default one when null.</param>
    /// <param name="sampler">
    /// The indices to visit, in order, enumerated afresh each epoch (torch's <c>sampler=</c>), e.g.
    /// NativeGrad.Distributed's DistributedSampler; instead of <paramref name="shuffle"/>.
    /// </param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="batchSize"/> is below 1.</exception>
    /// <exception cref="ArgumentException"><paramref name="shuffle"/> with an empty data set, or with a sampler.</exception>
    public DataLoader(IDataset dataset, int batchSize = 1, bool shuffle = false, bool dropLast = false, Generator? generator = null,
                      IReadOnlyCollection<long>? sampler = null)
    {
        if (shuffle && sampler is not null)
            throw new ArgumentException("sampler option is mutually exclusive with shuffle", nameof(sampler));
        ArgumentNullException.ThrowIfNull(dataset);
        if (batchSize < 1)
            throw new ArgumentOutOfRangeException(nameof(batchSize), batchSize, $"batch_size should be a positive integer value, but got batch_size={batchSize}");
        if (shuffle && dataset.Count == 0)
            throw new ArgumentException("num_samples should be a positive integer value, but got num_samples=0 (shuffle needs a non-empty data set)", nameof(dataset));
        Dataset = dataset;
        BatchSize = batchSize;
        Shuffle = shuffle;
        DropLast = dropLast;
        Generator = generator;
        Sampler = sampler;
    }

    /// <summary>The indices each epoch visits, when given instead of shuffle.</summary>
    public IReadOnlyCollection<long>? Sampler { get; }

    /// <summary>The samples.</summary>
    public IDataset Dataset { get; }

    /// <summary>Samples per batch.</summary>
    public int BatchSize { get; }

    /// <summary>Whether each enumeration shuffles.</summary>
    public bool Shuffle { get; }

    /// <summary>Whether a smaller last batch is left out.</summary>
    public bool DropLast { get; }

    /// <summary>The generator the loader draws from, or null for the default one.</summary>
    public Generator? Generator { get; }

    /// <summary>The number of batches per enumeration (Python's <c>len(loader)</c>).</summary>
    public long Count => DropLast ? Samples / BatchSize : (Samples + BatchSize - 1) / BatchSize;

    private long Samples => Sampler?.Count ?? Dataset.Count;

    /// <summary>Starts an enumeration: draws the base seed now and, with shuffle, the order at the first batch.</summary>
    /// <returns>The batches, each one tensor per field.</returns>
    public IEnumerator<Tensor[]> GetEnumerator()
    {
        // _BaseDataLoaderIter.__init__ draws this eagerly, before any batch is asked for.
        (Generator ?? NativeGrad.Generator.Default).NextInt64Seed();
        return Batches();
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    // BatchSampler.__iter__: indices come from the sampler one at a time, so the sampler runs out
    // (and RandomSampler draws its trailing permutation) exactly when PyTorch's does.
    private IEnumerator<Tensor[]> Batches()
    {
        var batch = new long[BatchSize];
        int filled = 0;
        foreach (long index in SampleOrder())
        {
            batch[filled++] = index;
            if (filled == BatchSize)
            {
                yield return Dataset.GetBatch(batch);
                filled = 0;
            }
        }
        if (filled > 0 && !DropLast)
            yield return Dataset.GetBatch(batch.AsSpan(0, filled));
    }

    private IEnumerable<long> SampleOrder()
    {
        if (Sampler is not null)
        {
            foreach (long index in Sampler)
                yield return index;
            yield break;
        }
        long count = Dataset.Count;
        if (!Shuffle)
        {
            for (long i = 0; i < count; i++)
                yield return i;
            yield break;
        }

        var generator = Generator ?? new Generator((ulong)NativeGrad.Generator.Default.NextInt64Seed());
        long[] order;
        using (var permutation = Tensor.Randperm(count, generator))
            order = permutation.ToArray<long>();
        foreach (long index in order)
            yield return index;

        // RandomSampler ends with randperm(n)[:num_samples % n]: an empty slice of a fresh permutation.
        Tensor.Randperm(count, generator).Dispose();
    }
}
