namespace NativeGrad.Backends;

// The window kernels on the managed backend: dtype dispatch to ManagedConv and ManagedPool.
internal sealed unsafe partial class ManagedKernels
{
    public void Im2Col(DType dtype, Planes2d p, Window2d w, void* image, void* columns)
    {
        if (dtype == DType.Float32) ManagedConv.Im2Col(p, w, (float*)image, (float*)columns);
        else if (dtype == DType.Float64) ManagedConv.Im2Col(p, w, (double*)image, (double*)columns);
        else throw Unsupported("im2col", "im2col", dtype);
    }

    public void Col2Im(DType dtype, Planes2d p, Window2d w, void* columns, void* image)
    {
        if (dtype == DType.Float32) ManagedConv.Col2Im(p, w, (float*)columns, (float*)image);
        else if (dtype == DType.Float64) ManagedConv.Col2Im(p, w, (double*)columns, (double*)image);
        else throw Unsupported("col2im", "col2im", dtype);
    }

    public void MaxPool2d(DType dtype, Planes2d p, Window2d w, void* input, void* output, long* indices)
    {
        if (dtype == DType.Float32) ManagedPool.MaxPool(p, w, (float*)input, (float*)output, indices);
        else if (dtype == DType.Float64) ManagedPool.MaxPool(p, w, (double*)input, (double*)output, indices);
        else throw Unsupported("max_pool2d", "max pooling", dtype);
    }

    public void MaxPool2dBackward(DType dtype, Planes2d p, void* gradOutput, long* indices, void* gradInput)
    {
        if (dtype == DType.Float32) ManagedPool.MaxPoolBackward(p, (float*)gradOutput, indices, (float*)gradInput);
        else if (dtype == DType.Float64) ManagedPool.MaxPoolBackward(p, (double*)gradOutput, indices, (double*)gradInput);
        else throw Unsupported("max_pool2d_backward", "max pooling", dtype);
    }

    public void AvgPool2d(DType dtype, Planes2d p, Window2d w, bool countIncludePad, long divisorOverride, void* input, void* output)
    {
        if (dtype == DType.Float32) ManagedPool.AvgPool(p, w, countIncludePad, divisorOverride, (float*)input, (float*)output);
        else if (dtype == DType.Float64) ManagedPool.AvgPool(p, w, countIncludePad, divisorOverride, (double*)input, (double*)output);
        else throw Unsupported("avg_pool2d", "average pooling", dtype);
    }

    public void AvgPool2dBackward(DType dtype, Planes2d p, Window2d w, bool countIncludePad, long divisorOverride, void* gradOutput, void* gradInput)
    {
        if (dtype == DType.Float32) ManagedPool.AvgPoolBackward(p, w, countIncludePad, divisorOverride, (float*)gradOutput, (float*)gradInput);
        else if (dtype == DType.Float64) ManagedPool.AvgPoolBackward(p, w, countIncludePad, divisorOverride, (double*)gradOutput, (double*)gradInput);
        else throw Unsupported("avg_pool2d_backward", "average pooling", dtype);
    }

    public void AdaptiveAvgPool2d(DType dtype, Planes2d p, void* input, void* output)
    {
        if (dtype == DType.Float32) ManagedPool.AdaptiveAvgPool(p, (float*)input, (float*)output);
        else if (dtype == DType.Float64) ManagedPool.AdaptiveAvgPool(p, (double*)input, (double*)output);
        else throw Unsupported("adaptive_avg_pool2d", "adaptive average pooling", dtype);
    }

    public void AdaptiveAvgPool2dBackward(DType dtype, Planes2d p, void* gradOutput, void* gradInput)
    {
        if (dtype == DType.Float32) ManagedPool.AdaptiveAvgPoolBackward(p, (float*)gradOutput, (float*)gradInput);
        else if (dtype == DType.Float64) ManagedPool.AdaptiveAvgPoolBackward(p, (double*)gradOutput, (double*)gradInput);
        else throw Unsupported("adaptive_avg_pool2d_backward", "adaptive average pooling", dtype);
    }
}
