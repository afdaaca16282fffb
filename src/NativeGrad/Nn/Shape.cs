namespace NativeGrad.Nn;

/// <summary>Flattens dimensions <c>startDim..endDim</c> into one (torch.nn.Flatten; by default all but the batch).</summary>
public sealed class Flatten(int startDim = 1, int endDim = -1) : Layer
{
    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) => input.Flatten(startDim, endDim);
}

/// <summary>Splits dimension <paramref name="dim"/> into <paramref name="sizes"/> (torch.nn.Unflatten).</summary>
public sealed class Unflatten(int dim, params long[] sizes) : Layer
{
    /// <inheritdoc/>
    public override Tensor Forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        int d = dim < 0 ? dim + input.Dim : dim;
        if (d < 0 || d >= input.Dim)
            throw new ArgumentException($"Dimension out of range (expected to be in range of [{-input.Dim}, {input.Dim - 1}], but got {dim})");
        if (!sizes.Contains(-1) && sizes.Aggregate(1L, (a, b) => a * b) != input.Shape[d])
            throw new ArgumentException(
                $"unflatten: Provided sizes [{string.Join(", ", sizes)}] don't multiply up to the size of dim {dim} ({input.Shape[d]}) in the input tensor");
        long[] shape = [.. input.Shape.Take(d), .. sizes, .. input.Shape.Skip(d + 1)];
        return input.View(shape);
    }
}
