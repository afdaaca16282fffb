using NativeGrad.Backends;

namespace NativeGrad;

/// <summary>
/// The geometry of one 2-D convolution, fixed at the forward call and shared by its backward
/// rules: the window (padding is the top / left amount; "same" with an even kernel pads the far
/// side by one more, which the kernels see as positions past the input), the groups, and the
/// input, kernel and output plane sizes.
/// </summary>
internal sealed record ConvGeometry(Window2d Window, int Groups, long InH, long InW, long KernelH, long KernelW, long OutH, long OutW);

public static partial class Functional
{
    /// <summary>
    /// 2-D convolution (torch.nn.functional.conv2d) of an (N, C, H, W) or unbatched (C, H, W)
    /// input with an (O, C / groups, kH, kW) weight and an optional bias of O elements.
    /// <paramref name="stride"/>, <paramref name="padding"/> and <paramref name="dilation"/> take
    /// an int or an (h, w) pair; padding also takes "valid" or "same". Defaults: 1, 0, 1.
    /// </summary>
    public static Tensor Conv2d(Tensor input, Tensor weight, Tensor? bias = null, Size2? stride = null, Padding? padding = null,
                                Size2? dilation = null, int groups = 1)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(weight);
        if (input.Dim is not (3 or 4))
            throw new ArgumentException($"Expected 3D (unbatched) or 4D (batched) input to conv2d, but got input of size: {ShapeMath.Format(input.shape)}");
        if (input.Dim == 3)
            return Conv2d(input.Unsqueeze(0), weight, bias, stride, padding, dilation, groups).Squeeze(0);

        var s = stride ?? 1;
        var d = dilation ?? 1;
        var pad = padding ?? 0;
        if (weight.Dim != 4)
            throw new ArgumentException($"expected stride to be a single integer value or a list of {weight.Dim - 2} values to match the convolution dimensions, but got stride={s}");
        if (groups <= 0) throw new ArgumentException("non-positive groups is not supported");
        if (pad.Size.H < 0 || pad.Size.W < 0) throw new ArgumentException("negative padding is not supported");
        if (s.H <= 0 || s.W <= 0) throw new ArgumentException("non-positive stride is not supported");
        if (d.H <= 0 || d.W <= 0) throw new ArgumentException($"dilation should be greater than zero, but got [{d.H}, {d.W}]");
        if (pad.IsSame && (s.H != 1 || s.W != 1)) throw new ArgumentException("padding='same' is not supported for strided convolutions");
        long outChannels = weight.shape[0], kh = weight.shape[2], kw = weight.shape[3];
        if (outChannels % groups != 0)
            throw new ArgumentException($"Given groups={groups}, expected weight to be divisible by {groups} at dimension 0, but got weight of size [{ShapeMath.Format(weight.shape)}] instead");
        if (input.shape[1] != weight.shape[1] * groups)
            throw new ArgumentException($"Given groups={groups}, weight of size {ShapeMath.Format(weight.shape)}, expected input{ShapeMath.Format(input.shape)} to have {weight.shape[1] * groups} channels, but got {input.shape[1]} channels instead");
        if (bias is not null && (bias.Dim != 1 || bias.shape[0] != outChannels))
            throw new ArgumentException($"Given weight of size {ShapeMath.Format(weight.shape)}, expected bias to be 1-dimensional with {outChannels} elements, but got bias of size {ShapeMath.Format(bias.shape)} instead");
        if (input.DType != weight.DType)
            throw new ArgumentException($"Input type ({LegacyTypeName(input.DType)}) and weight type ({LegacyTypeName(weight.DType)}) should be the same or input should be a MKLDNN tensor and weight is a dense tensor");
        if (bias is not null && bias.DType != input.DType)
            throw new ArgumentException($"Input type ({CTypeName(input.DType)}) and bias type ({CTypeName(bias.DType)}) should be the same");
        if (!input.DType.IsFloatingPoint())
            throw new NotSupportedException($"conv2d supports float32 and float64 tensors, got {input.DType.TorchName()}");

        long inH = input.shape[2], inW = input.shape[3];
        long spanH = d.H * (kh - 1) + 1, spanW = d.W * (kw - 1) + 1;
        // "same" pads the total the dilated kernel needs, the odd one on the far side.
        long padH = pad.IsSame ? (spanH - 1) / 2 : pad.Size.H, padW = pad.IsSame ? (spanW - 1) / 2 : pad.Size.W;
        long paddedH = pad.IsSame ? inH + spanH - 1 : inH + 2 * padH, paddedW = pad.IsSame ? inW + spanW - 1 : inW + 2 * padW;
        if (paddedH < spanH || paddedW < spanW)
            throw new ArgumentException($"Calculated padded input size per channel: ({paddedH} x {paddedW}). Kernel size: ({spanH} x {spanW}). Kernel size can't be greater than actual input size");
        var geometry = new ConvGeometry(new Window2d(kh, kw, s.H, s.W, padH, padW, d.H, d.W), groups, inH, inW, kh, kw,
                                        (paddedH - spanH) / s.H + 1, (paddedW - spanW) / s.W + 1);
        return Convolution(input, weight, bias, geometry);
    }

    // The torch.FloatTensor-style names of PyTorch's input / weight type message, and the C type
    // names of its input / bias one.
    private static string LegacyTypeName(DType dtype) => $"torch.{dtype.ScalarTypeName()}Tensor";

    private static string CTypeName(DType dtype) => dtype switch
    {
        DType.Float32 => "float",
        DType.Float64 => "double",
        DType.Int64 => "long int",
        _ => "bool",
    };

    /// <summary>The recorded convolution: output = conv(input, weight) + bias, on a checked geometry.</summary>
    internal static Tensor Convolution(Tensor input, Tensor weight, Tensor? bias, ConvGeometry c)
    {
        var result = ConvolutionRaw(input, weight, bias, c);
        return bias is null
            ? Node.Record(result, Derivatives.Convolution(c), [input, weight])
            : Node.Record(result, Derivatives.Convolution(c), [input, weight, bias]);
    }

    /// <summary>d(loss)/d(input) of a convolution: col2im(weight^T @ grad) per image and group; recorded so it can be differentiated again.</summary>
    internal static Tensor ConvolutionBackwardInput(Tensor grad, Tensor weight, ConvGeometry c) =>
        Node.Record(ConvolutionBackwardInputRaw(grad, weight, c), Derivatives.ConvolutionBackwardInput(c), [grad, weight]);

    /// <summary>d(loss)/d(weight) of a convolution: the sum over images of grad @ im2col(input)^T per group; recorded like the others.</summary>
    internal static Tensor ConvolutionBackwardWeight(Tensor input, Tensor grad, ConvGeometry c) =>
        Node.Record(ConvolutionBackwardWeightRaw(input, grad, c), Derivatives.ConvolutionBackwardWeight(c), [input, grad]);

    private static Planes2d ConvPlanes(long images, long channels, ConvGeometry c) => new(images, channels, c.InH, c.InW, c.OutH, c.OutW, c.Groups);

    /// <summary>The weight as (O, kH, kW, C / groups), the order of the column rows.</summary>
    private static Tensor WindowMajorWeight(Tensor weight) => weight.PermuteRaw([0, 2, 3, 1]).ContiguousRaw();

    /// <summary>Unfolds a contiguous (N, C, H, W) input into N * groups column matrices of (kH * kW * C / groups) x (outH * outW).</summary>
    private static unsafe Tensor Im2ColRaw(Tensor input, ConvGeometry c)
    {
        long n = input.shape[0], channels = input.shape[1];
        var columns = Tensor.Empty([n, channels * c.KernelH * c.KernelW, c.OutH * c.OutW], input.DType);
        using var pInput = input.Lease();
        using var pColumns = columns.Lease();
        fixed (byte* pInputPtr = pInput, pColumnsPtr = pColumns)
            Backend.Kernels.Im2Col(input.DType, ConvPlanes(n, channels, c), c.Window, pInputPtr, pColumnsPtr);
        return columns;
    }

    private static unsafe Tensor ConvolutionRaw(Tensor input, Tensor weight, Tensor? bias, ConvGeometry c)
    {
        var dtype = input.DType;
        input = input.ContiguousRaw();
        if (UsesUnfusedReference(input, c)) return UnfusedConvolutionRaw(input, weight, bias, c);
        weight = WindowMajorWeight(weight);
        long n = input.shape[0], outChannels = weight.shape[0], spatial = c.OutH * c.OutW;
        long groupOut = outChannels / c.Groups, depth = c.KernelH * c.KernelW * weight.shape[3];
        var result = Tensor.Empty([n, outChannels, c.OutH, c.OutW], dtype);
        if (result.NumElements == 0) return result;
        if (bias is not null)
        {
            // The GEMMs then add into the broadcast bias (beta = 1) instead of a separate pass;
            // C = acc + bias rounds as PyTorch's bias-after-sum does.
            result.CopyFromRaw(bias.View([outChannels, 1, 1], [bias.strides[0], 0, 0], bias.offset));
        }
        var columns = Im2ColRaw(input, c);
        int size = dtype.SizeOf();
        using var pWeight = weight.Lease();
        using var pColumns = columns.Lease();
        using var pResult = result.Lease();
        // One batched GEMM per group over all images (the group's weights shared, stride 0):
        // each image's product is computed exactly as by its own GEMM.
        fixed (byte* pWeightPtr = pWeight, pColumnsPtr = pColumns, pResultPtr = pResult)
        for (long g = 0; g < c.Groups; g++)
        {
            byte* a = (byte*)pWeightPtr + g * groupOut * depth * size;
            byte* b = (byte*)pColumnsPtr + g * depth * spatial * size;
            byte* y = (byte*)pResultPtr + g * groupOut * spatial * size;
            Backend.Kernels.GemmBatched(dtype, false, false, groupOut, spatial, depth, n, 1, a, depth, 0,
                                        b, spatial, c.Groups * depth * spatial, bias is null ? 0 : 1, y, spatial,
                                        outChannels * spatial);
        }
        return result;
    }

    /// <summary>
    /// Whether PyTorch 1.13 (one thread) computes this float32 convolution without oneDNN: its
    /// use_mkldnn rule sends small single-image inputs and unstrided 1x1 convolutions of fewer than
    /// 16 images to thnn's im2col + reference GEMM, which rounds every product and adds them in
    /// (c, i, j) order. Everything else goes to oneDNN, whose FMA sums in (i, j, c) order are what
    /// the GEMM path reproduces. Matching the path keeps printed values equal to the last digit.
    /// </summary>
    private static bool UsesUnfusedReference(Tensor input, ConvGeometry c)
    {
        if (input.DType != DType.Float32 || c.Groups != 1) return false;
        var w = c.Window;
        long n = input.shape[0];
        bool pointwiseOrLarge = w.StrideH != 1 || w.StrideW != 1 || w.DilationH != 1 || w.DilationW != 1 || n >= 16
                                || c.KernelH != 1 || c.KernelW != 1;
        bool oneDnnWorthIt = (c.KernelH > 3 && c.KernelW > 3) || n > 1 || input.NumElements > 20480;
        return !(pointwiseOrLarge && oneDnnWorthIt);
    }

    /// <summary>thnn's order: sum over (c, i, j) of rounded weight * column products, then the bias.</summary>
    private static Tensor UnfusedConvolutionRaw(Tensor input, Tensor weight, Tensor? bias, ConvGeometry c)
    {
        long n = input.shape[0], channels = input.shape[1], outChannels = weight.shape[0], spatial = c.OutH * c.OutW;
        var columns = Im2ColRaw(input, c);
        var sum = Tensor.Zeros([n, outChannels, spatial], input.DType);
        for (long ch = 0; ch < channels; ch++)
            for (long i = 0; i < c.KernelH; i++)
                for (long j = 0; j < c.KernelW; j++)
                {
                    var w = weight.View([1, outChannels, 1], [0, weight.strides[0], 0],
                                        weight.offset + ch * weight.strides[1] + i * weight.strides[2] + j * weight.strides[3]);
                    var row = columns.Select(1, (i * c.KernelW + j) * channels + ch).Unsqueeze(1);
                    sum = Tensor.BinaryRaw(BinaryOp.Add, sum, Tensor.BinaryRaw(BinaryOp.Mul, w, row, sum.DType), sum.DType);
                }
        if (bias is not null)
            sum = Tensor.BinaryRaw(BinaryOp.Add, sum, bias.View([1, outChannels, 1], [0, bias.strides[0], 0], bias.offset), sum.DType);
        return sum.View([n, outChannels, c.OutH, c.OutW], ShapeMath.ContiguousStrides([n, outChannels, c.OutH, c.OutW]), 0);
    }

    private static unsafe Tensor ConvolutionBackwardInputRaw(Tensor grad, Tensor weight, ConvGeometry c)
    {
        var dtype = grad.DType;
        grad = grad.CastRaw(weight.DType).ContiguousRaw();
        long inChannels = weight.shape[1] * c.Groups;
        weight = WindowMajorWeight(weight);
        long n = grad.shape[0], outChannels = weight.shape[0], spatial = c.OutH * c.OutW;
        long groupOut = outChannels / c.Groups, depth = weight.shape[3] * c.KernelH * c.KernelW;
        var columns = Tensor.Empty([n, inChannels * c.KernelH * c.KernelW, spatial], dtype);
        var result = Tensor.Empty([n, inChannels, c.InH, c.InW], dtype);
        int size = dtype.SizeOf();
        using var pGrad = grad.Lease();
        using var pWeight = weight.Lease();
        using var pColumns = columns.Lease();
        using var pResult = result.Lease();
        fixed (byte* pWeightPtr = pWeight, pGradPtr = pGrad, pColumnsPtr = pColumns)
        for (long g = 0; g < c.Groups; g++)
        {
            byte* a = (byte*)pWeightPtr + g * groupOut * depth * size;
            byte* b = (byte*)pGradPtr + g * groupOut * spatial * size;
            byte* y = (byte*)pColumnsPtr + g * depth * spatial * size;
            Backend.Kernels.GemmBatched(dtype, true, false, depth, spatial, groupOut, n, 1, a, depth, 0,
                                        b, spatial, outChannels * spatial, 0, y, spatial, c.Groups * depth * spatial);
        }
        fixed (byte* pColumnsPtr = pColumns, pResultPtr = pResult)
            Backend.Kernels.Col2Im(dtype, ConvPlanes(n, inChannels, c), c.Window, pColumnsPtr, pResultPtr);
        return result;
    }

    private static unsafe Tensor ConvolutionBackwardWeightRaw(Tensor input, Tensor grad, ConvGeometry c)
    {
        var dtype = input.DType;
        input = input.ContiguousRaw();
        grad = grad.CastRaw(dtype).ContiguousRaw();
        long n = input.shape[0], inChannels = input.shape[1], outChannels = grad.shape[1], spatial = c.OutH * c.OutW;
        long groupOut = outChannels / c.Groups, groupIn = inChannels / c.Groups, depth = groupIn * c.KernelH * c.KernelW;
        var result = Tensor.Zeros([outChannels, c.KernelH, c.KernelW, groupIn], dtype);
        if (n == 0 || result.NumElements == 0) return result.PermuteRaw([0, 3, 1, 2]).ContiguousRaw();
        var columns = Im2ColRaw(input, c);
        int size = dtype.SizeOf();
        using var pGrad = grad.Lease();
        using var pColumns = columns.Lease();
        using var pResult = result.Lease();
        // Summed over images one GEMM at a time (beta = 1), in image order: a single GEMM over
        // n * spatial would need both operands copied into group-major layouts, and would change
        // the rounding order that the conformance values pin down.
        fixed (byte* pGradPtr = pGrad, pColumnsPtr = pColumns, pResultPtr = pResult)
        for (long image = 0; image < n; image++)
            for (long g = 0; g < c.Groups; g++)
            {
                byte* a = (byte*)pGradPtr + (image * outChannels + g * groupOut) * spatial * size;
                byte* b = (byte*)pColumnsPtr + (image * c.Groups + g) * depth * spatial * size;
                byte* y = (byte*)pResultPtr + g * groupOut * depth * size;
                Backend.Kernels.Gemm(dtype, false, true, groupOut, depth, spatial, 1, a, spatial, b, spatial, 1, y, depth);
            }
        return result.PermuteRaw([0, 3, 1, 2]).ContiguousRaw();
    }
}
