namespace NativeGrad.Nn;

// Activation layers: each chooses the arguments of one function, as torch.nn's do.

/// <summary>max(0, x) (torch.nn.ReLU).</summary>
public sealed class ReLU : Layer
{
    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) => input.Relu();
}

/// <summary>x for x &gt;= 0, slope * x below (torch.nn.LeakyReLU).</summary>
public sealed class LeakyReLU(double negativeSlope = 0.01) : Layer
{
    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) => input.LeakyRelu(negativeSlope);
}

/// <summary>tanh (torch.nn.Tanh).</summary>
public sealed class Tanh : Layer
{
    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) => input.Tanh();
}

/// <summary>The logistic function (torch.nn.Sigmoid).</summary>
public sealed class Sigmoid : Layer
{
    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) => input.Sigmoid();
}

/// <summary>softmax along <paramref name="dim"/> (torch.nn.Softmax).</summary>
public sealed class Softmax(int dim) : Layer
{
    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) => input.Softmax(dim);
}

/// <summary>log(softmax) along <paramref name="dim"/> (torch.nn.LogSoftmax).</summary>
public sealed class LogSoftmax(int dim) : Layer
{
    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) => input.LogSoftmax(dim);
}

/// <summary>x * sigmoid(x) (torch.nn.SiLU).</summary>
public sealed class SiLU : Layer
{
    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) => Functional.Silu(input);
}

/// <summary>GELU, exact or with the tanh approximation (torch.nn.GELU).</summary>
public sealed class GELU(GeluApproximate approximate = GeluApproximate.None) : Layer
{
    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) => Functional.Gelu(input, approximate);
}

/// <summary>x for x &gt; 0, alpha * (exp(x) - 1) below (torch.nn.ELU).</summary>
public sealed class ELU(double alpha = 1.0) : Layer
{
    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) => Functional.Elu(input, alpha);
}

/// <summary>x clamped to [minVal, maxVal] (torch.nn.Hardtanh).</summary>
public sealed class Hardtanh(double minVal = -1.0, double maxVal = 1.0) : Layer
{
    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) => Functional.Hardtanh(input, minVal, maxVal);
}

/// <summary>Zeroes elements with probability p while training, scaling the rest by 1/(1-p); the identity in eval mode (torch.nn.Dropout).</summary>
public sealed class Dropout : Layer
{
    /// <summary>A dropout layer with drop probability <paramref name="p"/>.</summary>
    public Dropout(double p = 0.5)
    {
        if (p < 0 || p > 1)
            throw new ArgumentException($"dropout probability has to be between 0 and 1, but got {p}", nameof(p));
        P = p;
    }

    /// <summary>The probability of zeroing an element.</summary>
    public double P { get; }

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) => Functional.Dropout(input, P, Training);
}
