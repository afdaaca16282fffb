namespace NativeGrad;

/// <summary>Helpers of <c>torch.utils.data</c>: random splits, and the digits data set.</summary>
public static partial class Data
{
    /// <summary>
    /// Splits <paramref name="dataset"/> into non-overlapping subsets of the given sizes, like
    /// <c>torch.utils.data.random_split</c>: one <see cref="Tensor.Randperm"/> of the whole data
    /// set from <paramref name="generator"/>, cut into consecutive pieces.
    /// </summary>
    /// <param name="dataset">The data set to split.</param>
    /// <param name="lengths">The subsets' sizes, none negative, summing to the data set's count.</param>
    /// <param name="generator">The generator for the permutation; the default one when null (PyTorch's default too).</param>
    /// <returns>One subset per length, in order.</returns>
    /// <exception cref="ArgumentException">A negative length, or lengths that do not sum to the count.</exception>
    public static Subset[] RandomSplit(IDataset dataset, IReadOnlyList<long> lengths, Generator? generator = null)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentNullException.ThrowIfNull(lengths);
        for (int i = 0; i < lengths.Count; i++)
            if (lengths[i] < 0)
                throw new ArgumentException($"random_split lengths must not be negative, but length {i} is {lengths[i]}", nameof(lengths));
        long total = lengths.Sum();
        if (total != dataset.Count)
            throw new ArgumentException(
                $"Sum of input lengths does not equal the length of the input dataset! (lengths sum to {total}, the data set has {dataset.Count} samples)",
                nameof(lengths));

        long[] order;
        using (var permutation = Tensor.Randperm(total, generator))
            order = permutation.ToArray<long>();
        var subsets = new Subset[lengths.Count];
        int start = 0;
        for (int i = 0; i < subsets.Length; i++)
        {
            subsets[i] = new Subset(dataset, new ArraySegment<long>(order, start, (int)lengths[i]));
            start += (int)lengths[i];
        }
        return subsets;
    }

    /// <summary>
    /// Splits <paramref name="dataset"/> by fractions summing to 1, like
    /// <c>random_split(dataset, [0.8, 0.2])</c>: each subset gets floor(fraction * count) samples,
    /// the remainder is handed out one by one from the first subset on, and the split is then the
    /// same as with those lengths.
    /// </summary>
    /// <param name="dataset">The data set to split.</param>
    /// <param name="fractions">The subsets' shares, each in [0, 1], summing to 1.</param>
    /// <param name="generator">The generator for the permutation; the default one when null.</param>
    /// <returns>One subset per fraction, in order.</returns>
    /// <exception cref="ArgumentException">A fraction outside [0, 1], or fractions that do not sum to 1.</exception>
    public static Subset[] RandomSplit(IDataset dataset, IReadOnlyList<double> fractions, Generator? generator = null)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentNullException.ThrowIfNull(fractions);
        double sum = fractions.Sum();
        // Python's math.isclose(sum, 1) with its default relative tolerance, and sum <= 1.
        if (!(Math.Abs(sum - 1) <= 1e-9 * Math.Max(Math.Abs(sum), 1) && sum <= 1))
            throw new ArgumentException($"random_split fractions must sum to 1, but they sum to {sum:R}", nameof(fractions));

        var lengths = new long[fractions.Count];
        for (int i = 0; i < lengths.Length; i++)
        {
            if (!(fractions[i] >= 0 && fractions[i] <= 1))
                throw new ArgumentException($"Fraction at index {i} is not between 0 and 1", nameof(fractions));
            lengths[i] = (long)Math.Floor(dataset.Count * fractions[i]);
        }
        long remainder = dataset.Count - lengths.Sum();
        for (long i = 0; i < remainder; i++)
            lengths[i % lengths.Length]++;
        for (int i = 0; i < lengths.Length; i++)
            if (lengths[i] == 0)
                Warnings.Warn($"Length of split at index {i} is 0. This might result in an empty dataset.");
        return RandomSplit(dataset, lengths, generator);
    }
}
