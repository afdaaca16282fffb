using System.Collections;

namespace NativeGrad.Distributed;

/// <summary>
/// This rank's share of a data set's indices (torch.utils.data.distributed.DistributedSampler),
/// for <c>new DataLoader(dataset, batchSize, sampler: sampler)</c>: with <c>shuffle</c>, a
/// permutation seeded by <c>seed + epoch</c> (call <see cref="SetEpoch"/> before each epoch, or
/// every epoch repeats the order), the same on every rank; padded by repeating its start so that
/// every rank gets the same number of samples (or, with <c>dropLast</c>, cut to a multiple of the
/// world size); then every <c>worldSize</c>-th index from position <c>rank</c>. The shards are
/// disjoint apart from the padding, and together cover the data set.
/// </summary>
public sealed class DistributedSampler : IReadOnlyCollection<long>
{
    private readonly long datasetCount;
    private readonly int worldSize, rank;
    private readonly bool shuffle, dropLast;
    private readonly ulong seed;
    private long epoch;

    /// <summary>Indices of a data set of <paramref name="datasetCount"/> samples for <paramref name="rank"/> of <paramref name="worldSize"/>.</summary>
    public DistributedSampler(long datasetCount, int worldSize, int rank, bool shuffle = true, ulong seed = 0, bool dropLast = false)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(datasetCount);
        if (worldSize < 1) throw new ArgumentOutOfRangeException(nameof(worldSize), worldSize, "the world size must be at least 1");
        if (rank < 0 || rank >= worldSize)
            throw new ArgumentException($"Invalid rank {rank}, rank should be in the interval [0, {worldSize - 1}]", nameof(rank));
        (this.datasetCount, this.worldSize, this.rank, this.shuffle, this.seed, this.dropLast) = (datasetCount, worldSize, rank, shuffle, seed, dropLast);
        Count = checked((int)(dropLast && datasetCount % worldSize != 0 ? datasetCount / worldSize : (datasetCount + worldSize - 1) / worldSize));
    }

    /// <summary>This rank's share of <paramref name="dataset"/>, for <paramref name="group"/>'s rank and size.</summary>
    public DistributedSampler(IDataset dataset, ProcessGroup group, bool shuffle = true, ulong seed = 0, bool dropLast = false)
        : this((dataset ?? throw new ArgumentNullException(nameof(dataset))).Count,
               (group ?? throw new ArgumentNullException(nameof(group))).WorldSize, group.Rank, shuffle, seed, dropLast)
    {
    }

    /// <summary>The number of indices this rank gets per epoch.</summary>
    public int Count { get; }

    /// <summary>Sets the epoch whose order the next enumeration gives (the shuffle's seed is seed + epoch).</summary>
    public void SetEpoch(long value) => epoch = value;

    /// <inheritdoc/>
    public IEnumerator<long> GetEnumerator()
    {
        long[] order;
        if (shuffle)
            using (var permutation = Tensor.Randperm(datasetCount, new Generator(seed + (ulong)epoch)))
                order = permutation.ToArray<long>();
        else
            order = [.. Enumerable.Range(0, checked((int)datasetCount)).Select(i => (long)i)];
        long total = (long)Count * worldSize;
        for (long position = rank; position < total; position += worldSize)
            yield return order[position % order.Length];  // past the end: the padding repeats the start
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
