namespace NativeGrad;

// In-place random fills (torch's uniform_, normal_): the values come from the generator in
// row-major order, as PyTorch's serial CPU kernels draw them, and the version counter is bumped.
public sealed unsafe partial class Tensor
{
    /// <summary>Fills with uniforms in [from, to) from <paramref name="generator"/> (torch's uniform_).</summary>
    public Tensor Uniform_(double from = 0, double to = 1, Generator? generator = null) =>
        FillRandom_(generator, (g, span) => g.FillUniform(span, from, to), (g, span) => g.FillUniform(span, from, to));

    /// <summary>Fills with normals of <paramref name="mean"/> and <paramref name="std"/> (torch's normal_).</summary>
    public Tensor Normal_(double mean = 0, double std = 1, Generator? generator = null) =>
        FillRandom_(generator, (g, span) => g.FillNormal(span, mean, std), (g, span) => g.FillNormal(span, mean, std));

    internal delegate void FillSingles(Generator generator, Span<float> destination);

    internal delegate void FillDoubles(Generator generator, Span<double> destination);

    internal Tensor FillRandom_(Generator? generator, FillSingles fillSingles, FillDoubles fillDoubles)
    {
        ThrowIfInferenceOutsideInferenceMode();
        if (GradMode.IsEnabled && IsLeaf && RequiresGrad)
            throw new InvalidOperationException(AutogradErrors.LeafInPlace);
        if (!DType.IsFloatingPoint())
            throw new NotSupportedException($"random fills need a floating-point tensor, not {DType.TorchName()}");
        generator ??= Generator.Default;
        // Non-contiguous targets are filled through a contiguous buffer, keeping row-major order.
        var target = IsContiguous ? this : Empty([.. shape], DType);
        int count = checked((int)NumElements);
        using (var data = target.Lease())
        {
            if (DType == DType.Float32) fillSingles(generator, data.AsSpan<float>(count));
            else fillDoubles(generator, data.AsSpan<double>(count));
        }
        if (!ReferenceEquals(target, this)) CopyFromRaw(target);
        else storage.BumpVersion();
        // The new values depend on nothing: a dual tensor's tangent becomes 0, as in PyTorch.
        if (ForwardAD.Active is { } level && TangentAt(level) is { } tangent)
            ForwardAD.WriteInPlace(level, this, ZerosLike(tangent));
        return this;
    }
}
