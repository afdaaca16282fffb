namespace NativeGrad;

// Batch and layer normalisation. Each is one node, as in PyTorch (NativeBatchNormBackward0,
// NativeLayerNormBackward0); missing affine parameters become constant ones and zeros so the node
// always has the inputs (input, weight, bias) and its rule needs no cases.
public static partial class Functional
{
    /// <summary>
    /// Batch normalisation over every dimension but 1 (torch.nn.functional.batch_norm). In
    /// training it normalises with the batch mean and biased variance, and updates the running
    /// statistics in place (without gradient): running = (1 - momentum) running + momentum batch,
    /// the variance unbiased there. Otherwise it normalises with the running statistics.
    /// </summary>
    /// <param name="input">(N, C) or (N, C, d1, ...).</param>
    /// <param name="runningMean">C running means, or null; required when not training.</param>
    /// <param name="runningVar">C running variances, or null; required when not training.</param>
    /// <param name="weight">Optional scale, C elements.</param>
    /// <param name="bias">Optional shift, C elements.</param>
    /// <param name="training">Use (and update from) the batch statistics.</param>
    /// <param name="momentum">The weight of the batch in the running statistics' update.</param>
    /// <param name="eps">Added to the variance before its square root.</param>
    public static Tensor BatchNorm(Tensor input, Tensor? runningMean, Tensor? runningVar, Tensor? weight = null, Tensor? bias = null,
                                   bool training = false, double momentum = 0.1, double eps = 1e-5)
    {
        ThrowUnlessFloating(input, "batch_norm");
        if (input.Dim < 2)
            throw new ArgumentException($"batch_norm expects an input of shape (N, C) or (N, C, ...), but got input of size {ShapeMath.Format(input.shape)}");
        long channels = input.shape[1];
        long perChannel = input.NumElements / Math.Max(channels, 1);
        if (training && perChannel == 1)
            throw new ArgumentException($"Expected more than 1 value per channel when training, got input size {ShapeMath.FormatSize(input.shape)}");
        CheckFeatures("running_mean", runningMean, channels, training);
        CheckFeatures("running_var", runningVar, channels, training);
        CheckFeatures("weight", weight, channels, optional: true);
        CheckFeatures("bias", bias, channels, optional: true);

        long[] dims = [0, .. Enumerable.Range(2, input.Dim - 2).Select(d => (long)d)];
        var channelShape = Enumerable.Repeat(1L, input.Dim).ToArray();
        channelShape[1] = channels;
        weight ??= Tensor.Ones([channels], input.DType);
        bias ??= Tensor.Zeros([channels], input.DType);
        Tensor result, mean, invStd;
        using (GradMode.Set(false))
        {
            if (training)
            {
                var (batchMean, variance) = Moments(input, dims);
                mean = batchMean.CastRaw(input.DType);
                invStd = (variance + eps).Sqrt().Reciprocal().CastRaw(input.DType);
                if (runningMean is not null)
                    runningMean.Copy_(runningMean * (1 - momentum) + mean.Reshape(channels) * momentum);
                if (runningVar is not null)
                {
                    var unbiased = variance.CastRaw(input.DType).Reshape(channels) * ((double)perChannel / Math.Max(perChannel - 1, 1));
                    runningVar.Copy_(runningVar * (1 - momentum) + unbiased * momentum);
                }
            }
            else
            {
                mean = runningMean!.Detach().To(input.DType).Reshape(channelShape).Clone();
                invStd = (runningVar!.Detach().To(input.DType).Reshape(channelShape) + eps).Sqrt().Reciprocal();
            }
            // PyTorch's CPU kernel folds everything into one scale and shift per channel.
            var scale = invStd * weight.Reshape(channelShape);
            result = input * scale + (bias.Reshape(channelShape) - mean * scale);
        }
        return Node.Record(result, Derivatives.BatchNorm, [input, weight, bias],
            // No constants marks training: the rule then recomputes the batch statistics.
            new OpArgs { Dims = dims, Scalar = eps, Shape = channelShape, Constants = training ? null : [mean, invStd] });
    }

    private static void CheckFeatures(string name, Tensor? tensor, long channels, bool training = true, bool optional = false)
    {
        if (tensor is null)
        {
            if (!optional && !training) throw new ArgumentException($"{name} must be defined in evaluation mode");
            return;
        }
        if (tensor.NumElements != channels)
            throw new ArgumentException($"{name} should contain {channels} elements not {tensor.NumElements}");
    }

    /// <summary>
    /// Layer normalisation over the last dimensions, those of <paramref name="normalizedShape"/>
    /// (torch.nn.functional.layer_norm): (x - mean) / sqrt(var + eps) * weight + bias, the variance biased.
    /// </summary>
    /// <param name="input">(*, normalizedShape).</param>
    /// <param name="normalizedShape">The trailing sizes to normalise over.</param>
    /// <param name="weight">Optional scale of shape <paramref name="normalizedShape"/>.</param>
    /// <param name="bias">Optional shift of shape <paramref name="normalizedShape"/>.</param>
    /// <param name="eps">Added to the variance before its square root.</param>
    public static Tensor LayerNorm(Tensor input, long[] normalizedShape, Tensor? weight = null, Tensor? bias = null, double eps = 1e-5)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(normalizedShape);
        int k = normalizedShape.Length;
        if (k == 0)
            throw new ArgumentException("Expected normalized_shape to be at least 1-dimensional, i.e., containing at least one element, but got normalized_shape = []");
        var shapeText = ShapeMath.Format(normalizedShape);
        if (weight is not null && !weight.shape.AsSpan().SequenceEqual(normalizedShape))
            throw new ArgumentException($"Expected weight to be of same shape as normalized_shape, but got weight of shape {ShapeMath.Format(weight.shape)} and normalized_shape = {shapeText}");
        if (bias is not null && !bias.shape.AsSpan().SequenceEqual(normalizedShape))
            throw new ArgumentException($"Expected bias to be of same shape as normalized_shape, but got bias of shape {ShapeMath.Format(bias.shape)} and normalized_shape = {shapeText}");
        if (input.Dim < k || !input.shape.AsSpan(input.Dim - k).SequenceEqual(normalizedShape))
            throw new ArgumentException($"Given normalized_shape={shapeText}, expected input with shape [*, {shapeText[1..^1]}], but got input of size{ShapeMath.Format(input.shape)}");
        ThrowUnlessFloating(input, "LayerNormKernelImpl");

        long[] dims = Enumerable.Range(input.Dim - k, k).Select(d => (long)d).ToArray();
        weight ??= Tensor.Ones(normalizedShape, input.DType);
        bias ??= Tensor.Zeros(normalizedShape, input.DType);
        Tensor result;
        using (GradMode.Set(false))
        {
            // PyTorch's CPU kernel: x * rstd + (-rstd * mean), then the affine part.
            var (mean, variance) = Moments(input, dims);
            var invStd = (variance.CastRaw(input.DType) + eps).Sqrt().Reciprocal();
            result = (input * invStd + -invStd * mean.CastRaw(input.DType)) * weight + bias;
        }
        return Node.Record(result, Derivatives.LayerNorm, [input, weight, bias], new OpArgs { Dims = dims, Scalar = eps });
    }

    /// <summary>
    /// The mean and biased variance over <paramref name="dims"/> (kept), accumulated in float64 as
    /// PyTorch's CPU kernels accumulate, so that float32 results round the way PyTorch's do.
    /// </summary>
    private static (Tensor Mean, Tensor Variance) Moments(Tensor x, long[] dims)
    {
        var wide = x.CastRaw(DType.Float64);
        var mean = wide.Mean(dims, keepDim: true);
        return (mean, (wide - mean).Pow(2L).Mean(dims, keepDim: true));
    }

    /// <summary>(x - mean) / sqrt(var + eps) over <paramref name="dims"/>, the variance biased; differentiable.</summary>
    internal static Tensor Normalized(Tensor x, long[] dims, double eps)
    {
        var centered = x - x.Mean(dims, keepDim: true);
        return centered * (centered.Pow(2L).Mean(dims, keepDim: true) + eps).Sqrt().Reciprocal();
    }
}
