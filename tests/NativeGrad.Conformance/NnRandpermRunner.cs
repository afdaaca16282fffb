namespace NativeGrad.Conformance;

public static partial class NnRunner
{
    /// <summary>
    /// nn.json `randperm`: after ManualSeed(seed), Randperm(n) gives PyTorch's values exactly, and
    /// the following Randn(3) shows the default generator was left where PyTorch leaves it.
    /// </summary>
    internal static CaseResult Run(RandpermCase c)
    {
        Tensor.ManualSeed(c.Seed);
        var permutation = Tensor.Randperm(c.N);
        var then = Tensor.Randn(3).ToArray();
        var values = permutation.ToArray<long>();

        string? failure = permutation.DType != DType.Int64 ? $"dtype {permutation.DType.TorchName()}, expected torch.int64"
            : !permutation.Shape.SequenceEqual([c.N]) ? $"shape [{string.Join(", ", permutation.Shape)}], expected [{c.N}]"
            : FirstDifference(values, c.Values) is int i and >= 0 ? $"element {i}: expected {c.Values[i]}, got {values[i]}"
            : FirstDifference(then, c.ThenRandn) is int j and >= 0 ? $"the randn(3) after it, element {j}: expected {c.ThenRandn[j]:R}, got {then[j]:R}"
            : null;
        return new CaseResult(c.Id, "randperm", ValueFailure: failure);
    }

    // Floats are compared by their bits: the stream must match exactly, not approximately.
    private static int FirstDifference<T>(T[] actual, T[] expected) where T : IEquatable<T>
    {
        if (actual.Length != expected.Length)
            return Math.Min(actual.Length, expected.Length);
        for (int i = 0; i < actual.Length; i++)
            if (!actual[i].Equals(expected[i]))
                return i;
        return -1;
    }
}
