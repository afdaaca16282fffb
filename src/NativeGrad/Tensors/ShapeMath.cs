namespace NativeGrad;

/// <summary>Checks and arithmetic on shapes, with PyTorch's error messages.</summary>
internal static class ShapeMath
{
    public static long Product(ReadOnlySpan<long> shape)
    {
        long product = 1;
        foreach (var dim in shape) product = checked(product * dim);
        return product;
    }

    public static void Validate(ReadOnlySpan<long> shape, string parameterName)
    {
        for (int i = 0; i < shape.Length; i++)
            if (shape[i] < 0)
                throw new ArgumentException($"negative dimension {shape[i]} at index {i} of shape {Format(shape)}", parameterName);
    }

    public static void RequireSameShape(long[] a, long[] b)
    {
        if (a.AsSpan().SequenceEqual(b)) return;
        // Match PyTorch's wording for the first dimension (from the right) that differs.
        for (int i = 1; i <= Math.Max(a.Length, b.Length); i++)
        {
            long da = i <= a.Length ? a[^i] : 1, db = i <= b.Length ? b[^i] : 1;
            if (da != db)
                throw new ArgumentException(
                    $"The size of tensor a ({da}) must match the size of tensor b ({db}) at non-singleton dimension {Math.Max(a.Length, b.Length) - i}");
        }
        throw new ArgumentException($"shapes {Format(a)} and {Format(b)} differ");
    }

    /// <summary>PyTorch's torch.Size text, e.g. "[2, 3]".</summary>
    public static string Format(ReadOnlySpan<long> shape) => "[" + string.Join(", ", shape.ToArray()) + "]";
}
