namespace NativeGrad.Nn;

/// <summary>How <see cref="Init.KaimingUniform_"/> and <see cref="Init.KaimingNormal_"/> choose the fan.</summary>
public enum FanMode
{
    /// <summary>Preserves the variance of the forward pass (the default).</summary>
    FanIn,
    /// <summary>Preserves the variance of the backward pass.</summary>
    FanOut,
}

/// <summary>The nonlinearities <see cref="Init.CalculateGain"/> knows (gain 1 unless noted).</summary>
public enum Nonlinearity
{
    /// <summary>The identity.</summary>
    Linear,
    /// <summary>A 1-D convolution.</summary>
    Conv1d,
    /// <summary>A 2-D convolution.</summary>
    Conv2d,
    /// <summary>A 3-D convolution.</summary>
    Conv3d,
    /// <summary>The logistic function.</summary>
    Sigmoid,
    /// <summary>tanh: gain 5/3.</summary>
    Tanh,
    /// <summary>ReLU: gain √2.</summary>
    Relu,
    /// <summary>Leaky ReLU: gain √(2 / (1 + slope²)).</summary>
    LeakyRelu,
    /// <summary>SELU: gain 3/4.</summary>
    Selu,
}

/// <summary>
/// torch.nn.init: fills a tensor in place, without recording, from the global generator (or the
/// one given) with PyTorch's formulas, so seeded models start bit-identical to PyTorch's.
/// </summary>
public static class Init
{
    /// <summary>Uniform in [a, b) (torch.nn.init.uniform_).</summary>
    public static Tensor Uniform_(Tensor tensor, double a = 0, double b = 1, Generator? generator = null)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        using (Autograd.NoGrad()) return tensor.Uniform_(a, b, generator);
    }

    /// <summary>Normal with <paramref name="mean"/> and <paramref name="std"/> (torch.nn.init.normal_).</summary>
    public static Tensor Normal_(Tensor tensor, double mean = 0, double std = 1, Generator? generator = null)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        using (Autograd.NoGrad()) return tensor.Normal_(mean, std, generator);
    }

    /// <summary>Every element <paramref name="value"/>.</summary>
    public static Tensor Constant_(Tensor tensor, double value) => WithoutGrad(tensor, t => t.Fill_(value));

    /// <summary>Zeros.</summary>
    public static Tensor Zeros_(Tensor tensor) => WithoutGrad(tensor, t => t.Zero_());

    /// <summary>Ones.</summary>
    public static Tensor Ones_(Tensor tensor) => Constant_(tensor, 1);

    /// <summary>Glorot uniform: bound gain * sqrt(6 / (fan_in + fan_out)).</summary>
    public static Tensor XavierUniform_(Tensor tensor, double gain = 1, Generator? generator = null)
    {
        var (fanIn, fanOut) = Fans(tensor);
        double std = gain * Math.Sqrt(2.0 / (fanIn + fanOut));
        double bound = Math.Sqrt(3.0) * std;
        return Uniform_(tensor, -bound, bound, generator);
    }

    /// <summary>Glorot normal: std gain * sqrt(2 / (fan_in + fan_out)).</summary>
    public static Tensor XavierNormal_(Tensor tensor, double gain = 1, Generator? generator = null)
    {
        var (fanIn, fanOut) = Fans(tensor);
        return Normal_(tensor, 0, gain * Math.Sqrt(2.0 / (fanIn + fanOut)), generator);
    }

    /// <summary>He uniform: bound gain / sqrt(fan) * sqrt(3), gain from <paramref name="nonlinearity"/> and slope <paramref name="a"/>.</summary>
    public static Tensor KaimingUniform_(Tensor tensor, double a = 0, FanMode mode = FanMode.FanIn,
                                         Nonlinearity nonlinearity = Nonlinearity.LeakyRelu, Generator? generator = null)
    {
        if (tensor is not null && tensor.Shape.Contains(0))
        {
            Warnings.Warn("Initializing zero-element tensors is a no-op");
            return tensor;
        }
        double std = CalculateGain(nonlinearity, a) / Math.Sqrt(Fan(tensor!, mode));
        double bound = Math.Sqrt(3.0) * std;
        return Uniform_(tensor!, -bound, bound, generator);
    }

    /// <summary>He normal: std gain / sqrt(fan).</summary>
    public static Tensor KaimingNormal_(Tensor tensor, double a = 0, FanMode mode = FanMode.FanIn,
                                        Nonlinearity nonlinearity = Nonlinearity.LeakyRelu, Generator? generator = null)
    {
        if (tensor is not null && tensor.Shape.Contains(0))
        {
            Warnings.Warn("Initializing zero-element tensors is a no-op");
            return tensor;
        }
        return Normal_(tensor!, 0, CalculateGain(nonlinearity, a) / Math.Sqrt(Fan(tensor!, mode)), generator);
    }

    /// <summary>
    /// PyTorch's default for Linear and Conv layers: a Kaiming-uniform weight (a = √5), and the
    /// bias, if any, uniform in ±1/√fan_in.
    /// </summary>
    internal static void LayerDefaults_(Tensor weight, Tensor? bias)
    {
        KaimingUniform_(weight, a: Math.Sqrt(5));
        if (bias is null) return;
        var (fanIn, _) = Fans(weight);
        double bound = fanIn > 0 ? 1 / Math.Sqrt(fanIn) : 0;
        Uniform_(bias, -bound, bound);
    }

    /// <summary>torch.nn.init.calculate_gain; <paramref name="param"/> is leaky_relu's negative slope.</summary>
    public static double CalculateGain(Nonlinearity nonlinearity, double? param = null) => nonlinearity switch
    {
        Nonlinearity.Linear or Nonlinearity.Conv1d or Nonlinearity.Conv2d or Nonlinearity.Conv3d or Nonlinearity.Sigmoid => 1,
        Nonlinearity.Tanh => 5.0 / 3,
        Nonlinearity.Relu => Math.Sqrt(2.0),
        Nonlinearity.LeakyRelu => Math.Sqrt(2.0 / (1 + (param ?? 0.01) * (param ?? 0.01))),
        Nonlinearity.Selu => 3.0 / 4,
        _ => throw new ArgumentOutOfRangeException(nameof(nonlinearity), nonlinearity, "Unsupported nonlinearity"),
    };

    /// <summary>(fan_in, fan_out) as PyTorch computes them: dims 1 and 0 times the receptive field.</summary>
    public static (long FanIn, long FanOut) Fans(Tensor tensor)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        if (tensor.Dim < 2)
            throw new ArgumentException("Fan in and fan out can not be computed for tensor with fewer than 2 dimensions", nameof(tensor));
        long receptiveField = 1;
        for (int d = 2; d < tensor.Dim; d++) receptiveField *= tensor.Shape[d];
        return (tensor.Shape[1] * receptiveField, tensor.Shape[0] * receptiveField);
    }

    private static long Fan(Tensor tensor, FanMode mode)
    {
        var (fanIn, fanOut) = Fans(tensor);
        return mode == FanMode.FanIn ? fanIn : fanOut;
    }

    private static Tensor WithoutGrad(Tensor tensor, Action<Tensor> fill)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        using (Autograd.NoGrad()) fill(tensor);
        return tensor;
    }
}
