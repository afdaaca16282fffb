namespace NativeGrad;

/// <summary>Which form of GELU to compute (PyTorch's <c>approximate</c> argument).</summary>
public enum GeluApproximate
{
    /// <summary>The exact form, x Φ(x) with the erf ("none").</summary>
    None,
    /// <summary>0.5 x (1 + tanh(√(2/π) (x + 0.044715 x³))) ("tanh").</summary>
    Tanh,
}

// Pointwise activations PyTorch has only in torch.nn.functional (no Tensor method), and dropout.
public static partial class Functional
{
    /// <summary>x * sigmoid(x) (torch.nn.functional.silu).</summary>
    public static Tensor Silu(Tensor input)
    {
        ThrowUnlessFloating(input, "silu_cpu");
        Tensor result;
        using (GradMode.Set(false))
            result = input * input.Sigmoid();
        return Node.Record(result, Derivatives.Silu, [input]);
    }

    /// <summary>x where x &gt; 0, else alpha (e^x - 1) (torch.nn.functional.elu).</summary>
    public static Tensor Elu(Tensor input, double alpha = 1.0)
    {
        ThrowUnlessFloating(input, "elu_cpu");
        Tensor result;
        using (GradMode.Set(false))
            result = Tensor.Where(input <= 0.0, (input.Exp() - 1.0) * alpha, input);
        return Node.Record(result, Derivatives.Elu, [input], new OpArgs { Scalar = alpha });
    }

    /// <summary>x limited to [minVal, maxVal]; the gradient is 0 at and beyond the bounds (torch.nn.functional.hardtanh).</summary>
    public static Tensor Hardtanh(Tensor input, double minVal = -1.0, double maxVal = 1.0)
    {
        ArgumentNullException.ThrowIfNull(input);
        Tensor result;
        using (GradMode.Set(false))
            result = input.Clamp(minVal, maxVal);
        return Node.Record(result, Derivatives.Hardtanh, [input], new OpArgs { Scalar = minVal, Scalar2 = maxVal });
    }

    /// <summary>GELU, exact or with the tanh approximation (torch.nn.functional.gelu).</summary>
    public static Tensor Gelu(Tensor input, GeluApproximate approximate = GeluApproximate.None)
    {
        ArgumentNullException.ThrowIfNull(input);
        return input.Gelu(approximate);
    }

    /// <summary>
    /// Zeroes each element with probability <paramref name="p"/> and scales the rest by 1 / (1 - p)
    /// while <paramref name="training"/>; otherwise returns <paramref name="input"/> itself
    /// (torch.nn.functional.dropout). The mask is PyTorch's <c>bernoulli_(1 - p)</c> from the
    /// generator, so after the same seed it matches a PyTorch build without MKL element for element.
    /// </summary>
    /// <param name="input">Any floating-point tensor.</param>
    /// <param name="p">The probability of zeroing an element, in [0, 1].</param>
    /// <param name="training">Apply dropout (true) or be the identity (false).</param>
    /// <param name="generator">The generator to draw the mask from; the default one when null.</param>
    public static Tensor Dropout(Tensor input, double p = 0.5, bool training = true, Generator? generator = null)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (!(p >= 0 && p <= 1))
            throw new ArgumentException($"dropout probability has to be between 0 and 1, but got {PythonFloat(p)}");
        if (p == 0 || !training || input.NumElements == 0) return input;
        // PyTorch multiplies by a zero scalar here without drawing from the generator.
        if (p == 1) return input * Tensor.Scalar(0, input.DType);
        ThrowUnlessFloating(input, "bernoulli_scalar_cpu_");
        var noise = Tensor.Empty((long[])input.shape.Clone(), input.DType);
        int count = checked((int)noise.NumElements);
        unsafe
        {
            using var lease = noise.Lease();
            if (input.DType == DType.Float32)
                (generator ?? Generator.Default).FillBernoulli(lease.AsSpan<float>(count), 1 - p);
            else
                (generator ?? Generator.Default).FillBernoulli(lease.AsSpan<double>(count), 1 - p);
        }
        return input * (noise / (1 - p));
    }
}

public sealed partial class Tensor
{
    /// <summary>GELU, exact (x Φ(x)) or with the tanh approximation.</summary>
    public Tensor Gelu(GeluApproximate approximate = GeluApproximate.None)
    {
        if (approximate == GeluApproximate.None) return Unary(Backends.UnaryOp.Gelu, Derivatives.Gelu);
        var x = CastRaw(TypePromotion.ToFloating(DType));
        Tensor result;
        using (GradMode.Set(false))
            result = 0.5 * x * (1.0 + ((x + x * x * x * Derivatives.GeluKappa) * Derivatives.GeluBeta).Tanh());
        return Node.Record(result, Derivatives.GeluTanh, [this]);
    }
}
