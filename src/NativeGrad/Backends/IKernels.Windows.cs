namespace NativeGrad.Backends;

/// <summary>A window sliding over 2-D planes (ng_window2d): its size, step, implicit padding and dilation per axis.</summary>
internal readonly record struct Window2d(long KernelH, long KernelW, long StrideH, long StrideW,
                                        long PadH, long PadW, long DilationH, long DilationW);

/// <summary>
/// The planes a window kernel walks: <see cref="Images"/> blocks of <see cref="Channels"/>
/// contiguous InH x InW planes, each giving OutH x OutW window positions (pooling uses one channel);
/// im2col and col2im split the channels into <see cref="Groups"/> groups.
/// </summary>
internal readonly record struct Planes2d(long Images, long Channels, long InH, long InW, long OutH, long OutW, long Groups = 1)
{
    public long InCount => Images * Channels * InH * InW;

    public long OutCount => Images * Channels * OutH * OutW;
}

// The window kernels of convolution and pooling, with the semantics of their C ABI contracts in
// nativegrad.h (ng_im2col ... ng_adaptive_avg_pool2d_backward); float32 and float64 only.
internal unsafe partial interface IKernels
{
    /// <summary>
    /// Unfolds each image and group into a (KernelH * KernelW * Channels / Groups) x (OutH * OutW)
    /// column matrix, rows ordered (i, j, c) with the channel fastest; padding reads as 0.
    /// </summary>
    void Im2Col(DType dtype, Planes2d planes, Window2d window, void* image, void* columns);

    /// <summary>The adjoint of <see cref="Im2Col"/>: overwrites image with the sums of the column entries taken from each element.</summary>
    void Col2Im(DType dtype, Planes2d planes, Window2d window, void* columns, void* image);

    /// <summary>Max pooling with the row-major position within its plane of each maximum (NaN wins, the first of ties).</summary>
    void MaxPool2d(DType dtype, Planes2d planes, Window2d window, void* input, void* output, long* indices);

    /// <summary>Zeros gradInput, then adds each output gradient at its index (-1 is skipped).</summary>
    void MaxPool2dBackward(DType dtype, Planes2d planes, void* gradOutput, long* indices, void* gradInput);

    /// <summary>Average pooling with PyTorch's divisors (see ng_avg_pool2d); divisorOverride 0 means none.</summary>
    void AvgPool2d(DType dtype, Planes2d planes, Window2d window, bool countIncludePad, long divisorOverride, void* input, void* output);

    /// <summary>The gradient of <see cref="AvgPool2d"/>, overwriting gradInput.</summary>
    void AvgPool2dBackward(DType dtype, Planes2d planes, Window2d window, bool countIncludePad, long divisorOverride, void* gradOutput, void* gradInput);

    /// <summary>Adaptive average pooling: windows [floor(o * in / out), ceil((o + 1) * in / out)) per axis.</summary>
    void AdaptiveAvgPool2d(DType dtype, Planes2d planes, void* input, void* output);

    /// <summary>The gradient of <see cref="AdaptiveAvgPool2d"/>, overwriting gradInput.</summary>
    void AdaptiveAvgPool2dBackward(DType dtype, Planes2d planes, void* gradOutput, void* gradInput);
}
