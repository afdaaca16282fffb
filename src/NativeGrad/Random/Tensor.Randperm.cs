namespace NativeGrad;

// torch.randperm: the permutation itself is Generator.Randperm, so its draws stay in one place
// with the other streams that must match PyTorch's.
public sealed unsafe partial class Tensor
{
    // PyTorch refuses float32 permutations whose largest values would not be exact.
    private const long MaxFloat32Randperm = (1L << 24) + 1;

    /// <summary>
    /// A random permutation of 0 .. n - 1 (torch.randperm), drawn from <paramref name="generator"/>
    /// or the default generator with exactly PyTorch 1.13's CPU stream: the same values, and the
    /// generator left in the same state.
    /// </summary>
    /// <param name="n">The number of elements, 0 or more.</param>
    /// <param name="generator">The generator to draw from; the default (global) one when null.</param>
    /// <param name="dtype">The element type: int64 (the default), float32 (n up to 2^24 + 1) or float64.</param>
    /// <param name="requiresGrad">Whether the result requires grad (float dtypes only, as in PyTorch).</param>
    /// <returns>A 1-D tensor of length <paramref name="n"/>.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="n"/> is negative, or too large for the dtype or for one buffer.</exception>
    /// <exception cref="NotSupportedException"><paramref name="dtype"/> is bool.</exception>
    public static Tensor Randperm(long n, Generator? generator = null, DType dtype = DType.Int64, bool requiresGrad = false)
    {
        if (n < 0)
            throw new ArgumentOutOfRangeException(nameof(n), n, $"n must be non-negative, got {n}");
        if (dtype == DType.Bool)
            throw new NotSupportedException("\"randperm\" not implemented for 'Bool'");
        if (dtype == DType.Float32 && n > MaxFloat32Randperm)
            throw new ArgumentOutOfRangeException(nameof(n), n, "n cannot be greater than 2^24+1 for Float type.");
        if (n > int.MaxValue)
            throw new ArgumentOutOfRangeException(nameof(n), n, $"randperm supports n up to {int.MaxValue} (one buffer's length), got {n}");

        generator ??= Generator.Default;
        var result = Empty([n], DType.Int64);
        using (var data = result.Lease())
            generator.Randperm(data.AsSpan<long>((int)n));
        return (dtype == DType.Int64 ? result : result.To(dtype)).WithRequiresGrad(requiresGrad);
    }
}
