namespace NativeGrad.Nn;

/// <summary>2-D convolution (torch.nn.Conv2d), initialised as PyTorch does from the global generator.</summary>
public sealed class Conv2d : Layer
{
    /// <summary>
    /// A convolution from <paramref name="inChannels"/> to <paramref name="outChannels"/> with a
    /// <paramref name="kernelSize"/> window; <paramref name="padding"/> also takes "same" or "valid".
    /// </summary>
    public Conv2d(int inChannels, int outChannels, Size2 kernelSize, Size2? stride = null, Padding? padding = null,
                  Size2? dilation = null, int groups = 1, bool bias = true, DType dtype = DType.Float32)
    {
        if (groups <= 0) throw new ArgumentException("groups must be a positive integer", nameof(groups));
        if (inChannels % groups != 0) throw new ArgumentException("in_channels must be divisible by groups", nameof(inChannels));
        if (outChannels % groups != 0) throw new ArgumentException("out_channels must be divisible by groups", nameof(outChannels));
        InChannels = inChannels;
        OutChannels = outChannels;
        KernelSize = kernelSize;
        Stride = stride ?? 1;
        PaddingMode = padding ?? 0;
        Dilation = dilation ?? 1;
        Groups = groups;
        RegisterParameter("weight", Tensor.Empty([outChannels, inChannels / groups, kernelSize.H, kernelSize.W], dtype));
        RegisterParameter("bias", bias ? Tensor.Empty([outChannels], dtype) : null);
        ResetParameters();
    }

    /// <summary>Input channels.</summary>
    public int InChannels { get; }

    /// <summary>Output channels.</summary>
    public int OutChannels { get; }

    /// <summary>The window.</summary>
    public Size2 KernelSize { get; }

    /// <summary>The step between windows.</summary>
    public Size2 Stride { get; }

    /// <summary>Zero padding on each side, or "same"/"valid".</summary>
    public Padding PaddingMode { get; }

    /// <summary>The spacing between window elements.</summary>
    public Size2 Dilation { get; }

    /// <summary>Channel groups (depthwise when it equals the channel count).</summary>
    public int Groups { get; }

    /// <summary>The (out, in / groups, kH, kW) weight.</summary>
    public Tensor Weight => Parameter("weight")!;

    /// <summary>The (out) bias, or null.</summary>
    public Tensor? Bias => Parameter("bias");

    /// <summary>PyTorch's initialisation: Kaiming-uniform weight (a = √5), bias uniform in ±1/√fan_in.</summary>
    public void ResetParameters() => Init.LayerDefaults_(Weight, Bias);

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) =>
        Functional.Conv2d(input, Weight, Bias, Stride, PaddingMode, Dilation, Groups);
}

/// <summary>2-D max pooling (torch.nn.MaxPool2d); the stride defaults to the window.</summary>
public sealed class MaxPool2d(Size2 kernelSize, Size2? stride = null, Size2? padding = null, Size2? dilation = null,
                              bool ceilMode = false) : Layer
{
    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) => Functional.MaxPool2d(input, kernelSize, stride, padding, dilation, ceilMode);
}

/// <summary>2-D average pooling (torch.nn.AvgPool2d); the stride defaults to the window.</summary>
public sealed class AvgPool2d(Size2 kernelSize, Size2? stride = null, Size2? padding = null, bool ceilMode = false,
                              bool countIncludePad = true, int? divisorOverride = null) : Layer
{
    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) =>
        Functional.AvgPool2d(input, kernelSize, stride, padding, ceilMode, countIncludePad, divisorOverride);
}

/// <summary>Average pooling to a fixed output size (torch.nn.AdaptiveAvgPool2d).</summary>
public sealed class AdaptiveAvgPool2d(Size2 outputSize) : Layer
{
    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) => Functional.AdaptiveAvgPool2d(input, outputSize);
}
