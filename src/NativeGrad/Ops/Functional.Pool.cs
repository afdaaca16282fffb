using NativeGrad.Backends;

namespace NativeGrad;

/// <summary>
/// The geometry of one 2-D pooling call: the planes (every leading dimension flattened), the
/// window, and for average pooling its divisor rule.
/// </summary>
internal sealed record PoolGeometry(Planes2d Planes, Window2d Window, long[] InputShape, long[] OutputShape,
                                    bool CountIncludePad = true, long DivisorOverride = 0);

public static partial class Functional
{
    /// <summary>
    /// 2-D max pooling (torch.nn.functional.max_pool2d) of an (N, C, H, W) or (C, H, W) input.
    /// <paramref name="stride"/> defaults to the kernel size; sizes take an int or an (h, w) pair.
    /// </summary>
    public static Tensor MaxPool2d(Tensor input, Size2 kernelSize, Size2? stride = null, Size2? padding = null,
                                   Size2? dilation = null, bool ceilMode = false) =>
        MaxPool2dWithIndices(input, kernelSize, stride, padding, dilation, ceilMode).Values;

    /// <summary>
    /// <see cref="MaxPool2d"/> with <c>return_indices=True</c>: also the int64 position
    /// (h * W + w within its plane) of each maximum.
    /// </summary>
    public static (Tensor Values, Tensor Indices) MaxPool2dWithIndices(Tensor input, Size2 kernelSize, Size2? stride = null,
                                                                      Size2? padding = null, Size2? dilation = null, bool ceilMode = false)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input.Dim is not (3 or 4) || input.NumElements == 0 && input.Dim == 3)
            throw new ArgumentException("non-empty 3D or 4D (batch mode) tensor expected for input");
        var p = PoolGeometryOf(input, kernelSize, stride ?? kernelSize, padding ?? 0, dilation ?? 1, ceilMode);
        RequireFloating("max_pool2d", input);
        var x = input.ContiguousRaw();
        var values = Tensor.Empty(p.OutputShape, input.DType);
        var indices = Tensor.Empty((long[])p.OutputShape.Clone(), DType.Int64);
        unsafe
        {
            using var pInput = x.Lease();
            using var pValues = values.Lease();
            using var pIndices = indices.Lease();
            fixed (byte* pInputPtr = pInput, pValuesPtr = pValues, pIndicesPtr = pIndices)
                Backend.Kernels.MaxPool2d(input.DType, p.Planes, p.Window, pInputPtr, pValuesPtr, (long*)pIndicesPtr);
        }
        return (Node.Record(values, Derivatives.MaxPool2d(p, indices), [input]), indices);
    }

    /// <summary>
    /// 2-D average pooling (torch.nn.functional.avg_pool2d). <paramref name="stride"/> defaults to
    /// the kernel size; <paramref name="divisorOverride"/>, when given, replaces the window size.
    /// </summary>
    public static Tensor AvgPool2d(Tensor input, Size2 kernelSize, Size2? stride = null, Size2? padding = null,
                                   bool ceilMode = false, bool countIncludePad = true, int? divisorOverride = null)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input.Dim < 3) ShapeMath.WrapDim(-3, input.Dim); // PyTorch fails here with its dimension message
        if (input.Dim != 4 && input.Dim != 3)
            throw new ArgumentException("non-empty 3D or 4D (batch mode) tensor expected for input");
        var p = PoolGeometryOf(input, kernelSize, stride ?? kernelSize, padding ?? 0, 1, ceilMode);
        if (divisorOverride is 0) throw new ArgumentException("divisor must be not zero");
        RequireFloating("avg_pool2d", input);
        p = p with { CountIncludePad = countIncludePad, DivisorOverride = divisorOverride ?? 0 };
        return Node.Record(AvgPoolRaw(input, p), Derivatives.AvgPool2d(p), [input]);
    }

    /// <summary>
    /// 2-D adaptive average pooling (torch.nn.functional.adaptive_avg_pool2d) to
    /// <paramref name="outputSize"/>; (1, 1) is a mean over the last two dimensions, as in PyTorch.
    /// </summary>
    public static Tensor AdaptiveAvgPool2d(Tensor input, Size2 outputSize)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input.Dim is not (3 or 4))
            throw new ArgumentException($"adaptive_avg_pool2d(): Expected 3D or 4D tensor, but got {ShapeMath.Format(input.shape)}");
        for (int d = 1; d < input.Dim; d++)
            if (input.shape[d] == 0)
                throw new ArgumentException($"adaptive_avg_pool2d(): Expected input to have non-zero size for non-batch dimensions, but input has sizes {ShapeMath.Format(input.shape)} with dimension {d} being empty");
        if (outputSize.H < 0 || outputSize.W < 0)
            throw new ArgumentException($"adaptive_avg_pool2d: elements of output_size must be greater than or equal to 0 but received {{{outputSize.H}, {outputSize.W}}}");
        RequireFloating("adaptive_avg_pool2d", input);
        if (outputSize is { H: 1, W: 1 }) return input.Mean([-1, -2], keepDim: true);
        var outShape = input.shape.ToArray();
        outShape[^2] = outputSize.H;
        outShape[^1] = outputSize.W;
        var planes = new Planes2d(ShapeMath.Product(input.shape.AsSpan(0, input.Dim - 2)), 1, input.shape[^2], input.shape[^1], outputSize.H, outputSize.W);
        var p = new PoolGeometry(planes, new Window2d(1, 1, 1, 1, 0, 0, 1, 1), input.shape.ToArray(), outShape);
        return Node.Record(AdaptiveAvgPoolRaw(input, p), Derivatives.AdaptiveAvgPool2d(p), [input]);
    }

    private static void RequireFloating(string op, Tensor input)
    {
        if (!input.DType.IsFloatingPoint())
            throw new NotSupportedException($"\"{op}\" not implemented for '{input.DType.ScalarTypeName()}'");
    }

    /// <summary>PyTorch's pooling checks and output size (pooling_output_shape), in its order and with its messages.</summary>
    private static PoolGeometry PoolGeometryOf(Tensor input, Size2 k, Size2 s, Size2 pad, Size2 d, bool ceilMode)
    {
        if (input.Dim == 4)
            for (int dim = 1; dim < 4; dim++)
                if (input.shape[dim] == 0)
                    throw new ArgumentException($"Expected 3D or 4D (batch mode) tensor with optional 0 dim batch size for input, but got:{ShapeMath.Format(input.shape)}");
        if (s.H == 0 || s.W == 0) throw new ArgumentException("stride should not be zero");
        if (k.H <= 0 || k.W <= 0) throw new ArgumentException($"kernel size should be greater than zero, but got kH: {k.H} kW: {k.W}");
        if (s.H < 0 || s.W < 0) throw new ArgumentException($"stride should be greater than zero, but got dH: {s.H} dW: {s.W}");
        if (d.H <= 0 || d.W <= 0) throw new ArgumentException($"dilation should be greater than zero, but got dilationH: {d.H} dilationW: {d.W}");
        if (pad.H < 0 || pad.W < 0) throw new ArgumentException($"pad must be non-negative, but got pad: {(pad.H < 0 ? pad.H : pad.W)}");
        long inH = input.shape[^2], inW = input.shape[^1];
        long outH = PoolOutputSize(inH, k.H, pad.H, s.H, d.H, ceilMode);
        long outW = PoolOutputSize(inW, k.W, pad.W, s.W, d.W, ceilMode);
        long channels = input.shape[^3];
        if (outH < 1 || outW < 1)
            throw new ArgumentException($"Given input size: ({channels}x{inH}x{inW}). Calculated output size: ({channels}x{Math.Max(outH, 0)}x{Math.Max(outW, 0)}). Output size is too small");
        var outShape = input.shape.ToArray();
        outShape[^2] = outH;
        outShape[^1] = outW;
        var planes = new Planes2d(ShapeMath.Product(input.shape.AsSpan(0, input.Dim - 2)), 1, inH, inW, outH, outW);
        return new PoolGeometry(planes, new Window2d(k.H, k.W, s.H, s.W, pad.H, pad.W, d.H, d.W), input.shape.ToArray(), outShape);
    }

    private static long PoolOutputSize(long size, long kernel, long pad, long stride, long dilation, bool ceilMode)
    {
        if (pad > kernel / 2) throw new ArgumentException($"pad should be at most half of kernel size, but got pad={pad} and kernel_size={kernel}");
        long numerator = size + 2 * pad - dilation * (kernel - 1) - 1 + (ceilMode ? stride - 1 : 0);
        long output = (long)Math.Floor((double)numerator / stride) + 1;
        // The last window must start inside the input or its left padding.
        if (ceilMode && (output - 1) * stride >= size + pad) output--;
        return output;
    }

    internal static Tensor MaxPool2dBackward(Tensor grad, Tensor indices, PoolGeometry p) =>
        Node.Record(MaxPoolBackwardRaw(grad, indices, p), Derivatives.MaxPool2dBackward(p, indices), [grad]);

    internal static Tensor AvgPool2dBackward(Tensor grad, PoolGeometry p) =>
        Node.Record(AvgPoolBackwardRaw(grad, p), Derivatives.AvgPool2dBackward(p), [grad]);

    internal static Tensor AvgPool2dForward(Tensor input, PoolGeometry p) =>
        Node.Record(AvgPoolRaw(input, p), Derivatives.AvgPool2d(p), [input]);

    internal static Tensor AdaptiveAvgPool2dBackward(Tensor grad, PoolGeometry p) =>
        Node.Record(AdaptiveAvgPoolBackwardRaw(grad, p), Derivatives.AdaptiveAvgPool2dBackward(p), [grad]);

    internal static Tensor AdaptiveAvgPool2dForward(Tensor input, PoolGeometry p) =>
        Node.Record(AdaptiveAvgPoolRaw(input, p), Derivatives.AdaptiveAvgPool2d(p), [input]);

    /// <summary>The gradient of max pooling's input gradient: each output position reads the element its index names.</summary>
    internal static Tensor GatherByPoolIndices(Tensor values, Tensor indices, PoolGeometry p)
    {
        long plane = p.Planes.InH * p.Planes.InW;
        var offsets = (Tensor.Arange(p.Planes.Images) * plane).Reshape(p.Planes.Images, 1);
        var flatIndices = (indices.Reshape(p.Planes.Images, -1) + offsets).Reshape(-1);
        return values.Reshape(-1).IndexSelect(0, flatIndices).Reshape(p.OutputShape);
    }

    private static unsafe Tensor MaxPoolBackwardRaw(Tensor grad, Tensor indices, PoolGeometry p)
    {
        var g = grad.ContiguousRaw();
        var result = Tensor.Empty(p.InputShape, grad.DType);
        using var pGrad = g.Lease();
        using var pIndices = indices.Lease();
        using var pResult = result.Lease();
        fixed (byte* pGradPtr = pGrad, pIndicesPtr = pIndices, pResultPtr = pResult)
            Backend.Kernels.MaxPool2dBackward(grad.DType, p.Planes, pGradPtr, (long*)pIndicesPtr, pResultPtr);
        return result;
    }

    private static unsafe Tensor AvgPoolRaw(Tensor input, PoolGeometry p)
    {
        var x = input.ContiguousRaw();
        var result = Tensor.Empty(p.OutputShape, input.DType);
        using var pInput = x.Lease();
        using var pResult = result.Lease();
        fixed (byte* pInputPtr = pInput, pResultPtr = pResult)
            Backend.Kernels.AvgPool2d(input.DType, p.Planes, p.Window, p.CountIncludePad, p.DivisorOverride, pInputPtr, pResultPtr);
        return result;
    }

    private static unsafe Tensor AvgPoolBackwardRaw(Tensor grad, PoolGeometry p)
    {
        var g = grad.ContiguousRaw();
        var result = Tensor.Empty(p.InputShape, grad.DType);
        using var pGrad = g.Lease();
        using var pResult = result.Lease();
        fixed (byte* pGradPtr = pGrad, pResultPtr = pResult)
            Backend.Kernels.AvgPool2dBackward(grad.DType, p.Planes, p.Window, p.CountIncludePad, p.DivisorOverride, pGradPtr, pResultPtr);
        return result;
    }

    private static unsafe Tensor AdaptiveAvgPoolRaw(Tensor input, PoolGeometry p)
    {
        var x = input.ContiguousRaw();
        var result = Tensor.Empty(p.OutputShape, input.DType);
        using var pInput = x.Lease();
        using var pResult = result.Lease();
        fixed (byte* pInputPtr = pInput, pResultPtr = pResult)
            Backend.Kernels.AdaptiveAvgPool2d(input.DType, p.Planes, pInputPtr, pResultPtr);
        return result;
    }

    private static unsafe Tensor AdaptiveAvgPoolBackwardRaw(Tensor grad, PoolGeometry p)
    {
        var g = grad.ContiguousRaw();
        var result = Tensor.Empty(p.InputShape, grad.DType);
        using var pGrad = g.Lease();
        using var pResult = result.Lease();
        fixed (byte* pGradPtr = pGrad, pResultPtr = pResult)
            Backend.Kernels.AdaptiveAvgPool2dBackward(grad.DType, p.Planes, pGradPtr, pResultPtr);
        return result;
    }
}
