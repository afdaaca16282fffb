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
