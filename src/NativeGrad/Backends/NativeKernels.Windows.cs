using NativeGrad.Native;
using static NativeGrad.Native.NativeMethods;

namespace NativeGrad.Backends;

// The window kernels through the generated P/Invoke layer.
internal sealed unsafe partial class NativeKernels
{
    public void Im2Col(DType dtype, Planes2d p, Window2d window, void* image, void* columns)
    {
        var w = ToNative(window);
        NativeStatus.ThrowIfFailed(ng_im2col(ToNative(dtype), p.Images, p.Channels, p.Groups, p.InH, p.InW, &w, p.OutH, p.OutW, image, columns));
    }

    public void Col2Im(DType dtype, Planes2d p, Window2d window, void* columns, void* image)
    {
        var w = ToNative(window);
        NativeStatus.ThrowIfFailed(ng_col2im(ToNative(dtype), p.Images, p.Channels, p.Groups, p.InH, p.InW, &w, p.OutH, p.OutW, columns, image));
    }

    public void MaxPool2d(DType dtype, Planes2d p, Window2d window, void* input, void* output, long* indices)
    {
        var w = ToNative(window);
        NativeStatus.ThrowIfFailed(ng_max_pool2d(ToNative(dtype), p.Images * p.Channels, p.InH, p.InW, &w, p.OutH, p.OutW, input, output, indices));
    }

    public void MaxPool2dBackward(DType dtype, Planes2d p, void* gradOutput, long* indices, void* gradInput) =>
        NativeStatus.ThrowIfFailed(ng_max_pool2d_backward(ToNative(dtype), p.Images * p.Channels, p.InH, p.InW, p.OutH, p.OutW,
                                                          gradOutput, indices, gradInput));

    public void AvgPool2d(DType dtype, Planes2d p, Window2d window, bool countIncludePad, long divisorOverride, void* input, void* output)
    {
        var w = ToNative(window);
        NativeStatus.ThrowIfFailed(ng_avg_pool2d(ToNative(dtype), p.Images * p.Channels, p.InH, p.InW, &w, p.OutH, p.OutW,
                                                 countIncludePad ? 1 : 0, divisorOverride, input, output));
    }

    public void AvgPool2dBackward(DType dtype, Planes2d p, Window2d window, bool countIncludePad, long divisorOverride, void* gradOutput, void* gradInput)
    {
        var w = ToNative(window);
        NativeStatus.ThrowIfFailed(ng_avg_pool2d_backward(ToNative(dtype), p.Images * p.Channels, p.InH, p.InW, &w, p.OutH, p.OutW,
                                                          countIncludePad ? 1 : 0, divisorOverride, gradOutput, gradInput));
    }

    public void AdaptiveAvgPool2d(DType dtype, Planes2d p, void* input, void* output) =>
        NativeStatus.ThrowIfFailed(ng_adaptive_avg_pool2d(ToNative(dtype), p.Images * p.Channels, p.InH, p.InW, p.OutH, p.OutW, input, output));

    public void AdaptiveAvgPool2dBackward(DType dtype, Planes2d p, void* gradOutput, void* gradInput) =>
        NativeStatus.ThrowIfFailed(ng_adaptive_avg_pool2d_backward(ToNative(dtype), p.Images * p.Channels, p.InH, p.InW, p.OutH, p.OutW,
                                                                   gradOutput, gradInput));

    private static NgWindow2d ToNative(Window2d w) => new()
    {
        KernelH = w.KernelH, KernelW = w.KernelW, StrideH = w.StrideH, StrideW = w.StrideW,
        PadH = w.PadH, PadW = w.PadW, DilationH = w.DilationH, DilationW = w.DilationW,
    };
}
