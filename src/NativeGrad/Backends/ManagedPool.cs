using System.Numerics;

namespace NativeGrad.Backends;

/// <summary>
/// 2-D pooling and its gradients in C#, step for step like the native kernels (pool_loops.h) and
/// PyTorch's CPU kernels, so both backends agree bit for bit. Windows are small and strided: the
/// work is scalar per window. Each plane is a span, so a bad index cannot write outside it.
/// </summary>
internal static unsafe class ManagedPool
{
    public static void MaxPool<T>(Planes2d p, Window2d w, T* input, T* output, long* indices) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int plane = PlaneSize(p.InH, p.InW), outPlane = PlaneSize(p.OutH, p.OutW);
        for (long n = 0; n < Planes(p); n++)
        {
            var x = new ReadOnlySpan<T>(input + n * plane, plane);
            var y = new Span<T>(output + n * outPlane, outPlane);
            for (long oh = 0; oh < p.OutH; oh++)
            {
                long h0 = oh * w.StrideH - w.PadH;
                long h1 = Math.Min(h0 + (w.KernelH - 1) * w.DilationH + 1, p.InH);
                while (h0 < 0) h0 += w.DilationH;
                for (long ow = 0; ow < p.OutW; ow++)
                {
                    long w0 = ow * w.StrideW - w.PadW;
                    long w1 = Math.Min(w0 + (w.KernelW - 1) * w.DilationW + 1, p.InW);
                    while (w0 < 0) w0 += w.DilationW;
                    T best = T.NegativeInfinity;
                    long bestIndex = h0 < h1 && w0 < w1 ? h0 * p.InW + w0 : -1;
                    for (long ih = h0; ih < h1; ih += w.DilationH)
                        for (long iw = w0; iw < w1; iw += w.DilationW)
                        {
                            T value = x[(int)(ih * p.InW + iw)];
                            if (value > best || T.IsNaN(value))
                            {
                                best = value;
                                bestIndex = ih * p.InW + iw;
                            }
                        }
                    int o = (int)(oh * p.OutW + ow);
                    y[o] = best;
                    if (indices != null) indices[n * outPlane + o] = bestIndex;
                }
            }
        }
    }

    public static void MaxPoolBackward<T>(Planes2d p, T* gradOutput, long* indices, T* gradInput) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int plane = PlaneSize(p.InH, p.InW), outPlane = PlaneSize(p.OutH, p.OutW);
        for (long o = 0; o < Planes(p) * outPlane; o++)
            if (indices[o] < -1 || indices[o] >= plane)
                throw new ArgumentException($"indices[{o}] is {indices[o]}, outside [-1, {plane})");
        for (long n = 0; n < Planes(p); n++)
        {
            var gin = new Span<T>(gradInput + n * plane, plane);
            gin.Clear();
            for (long o = n * outPlane; o < (n + 1) * outPlane; o++)
                if (indices[o] >= 0) gin[(int)indices[o]] += gradOutput[o];
        }
    }

    public static void AvgPool<T>(Planes2d p, Window2d w, bool countIncludePad, long divisorOverride, T* input, T* output)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int plane = PlaneSize(p.InH, p.InW), outPlane = PlaneSize(p.OutH, p.OutW);
        for (long n = 0; n < Planes(p); n++)
        {
            var x = new ReadOnlySpan<T>(input + n * plane, plane);
            for (long oh = 0; oh < p.OutH; oh++)
                for (long ow = 0; ow < p.OutW; ow++)
                {
                    var a = AvgWindow(p, w, countIncludePad, divisorOverride, oh, ow);
                    T sum = T.Zero;
                    for (long ih = a.H0; ih < a.H1; ih++)
                        for (long iw = a.W0; iw < a.W1; iw++) sum += x[(int)(ih * p.InW + iw)];
                    output[n * outPlane + oh * p.OutW + ow] = a.IsEmpty ? T.Zero : sum / T.CreateChecked(a.Divisor);
                }
        }
    }

    public static void AvgPoolBackward<T>(Planes2d p, Window2d w, bool countIncludePad, long divisorOverride, T* gradOutput, T* gradInput)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int plane = PlaneSize(p.InH, p.InW), outPlane = PlaneSize(p.OutH, p.OutW);
        for (long n = 0; n < Planes(p); n++)
        {
            var gin = new Span<T>(gradInput + n * plane, plane);
            gin.Clear();
            for (long oh = 0; oh < p.OutH; oh++)
                for (long ow = 0; ow < p.OutW; ow++)
                {
                    var a = AvgWindow(p, w, countIncludePad, divisorOverride, oh, ow);
                    if (a.IsEmpty) continue;
                    T share = gradOutput[n * outPlane + oh * p.OutW + ow] / T.CreateChecked(a.Divisor);
                    for (long ih = a.H0; ih < a.H1; ih++)
                        for (long iw = a.W0; iw < a.W1; iw++) gin[(int)(ih * p.InW + iw)] += share;
                }
        }
    }

    public static void AdaptiveAvgPool<T>(Planes2d p, T* input, T* output) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int plane = PlaneSize(p.InH, p.InW), outPlane = PlaneSize(p.OutH, p.OutW);
        for (long n = 0; n < Planes(p); n++)
        {
            var x = new ReadOnlySpan<T>(input + n * plane, plane);
            for (long oh = 0; oh < p.OutH; oh++)
            {
                var (h0, h1) = Adaptive(oh, p.InH, p.OutH);
                for (long ow = 0; ow < p.OutW; ow++)
                {
                    var (w0, w1) = Adaptive(ow, p.InW, p.OutW);
                    T sum = T.Zero;
                    for (long ih = h0; ih < h1; ih++)
                        for (long iw = w0; iw < w1; iw++) sum += x[(int)(ih * p.InW + iw)];
                    output[n * outPlane + oh * p.OutW + ow] = sum / T.CreateChecked((h1 - h0) * (w1 - w0));
                }
            }
        }
    }

    public static void AdaptiveAvgPoolBackward<T>(Planes2d p, T* gradOutput, T* gradInput) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int plane = PlaneSize(p.InH, p.InW), outPlane = PlaneSize(p.OutH, p.OutW);
        for (long n = 0; n < Planes(p); n++)
        {
            var gin = new Span<T>(gradInput + n * plane, plane);
            gin.Clear();
            for (long oh = 0; oh < p.OutH; oh++)
            {
                var (h0, h1) = Adaptive(oh, p.InH, p.OutH);
                for (long ow = 0; ow < p.OutW; ow++)
                {
                    var (w0, w1) = Adaptive(ow, p.InW, p.OutW);
                    T share = gradOutput[n * outPlane + oh * p.OutW + ow] / T.CreateChecked((h1 - h0) * (w1 - w0));
                    for (long ih = h0; ih < h1; ih++)
                        for (long iw = w0; iw < w1; iw++) gin[(int)(ih * p.InW + iw)] += share;
                }
            }
        }
    }

    private static long Planes(Planes2d p) => p.Images * p.Channels;

    private static int PlaneSize(long h, long w) =>
        h * w <= int.MaxValue ? (int)(h * w) : throw new ArgumentOutOfRangeException(nameof(h), "The managed pooling kernels support planes of at most int.MaxValue elements.");

    private readonly record struct Window(long H0, long H1, long W0, long W1, long Divisor)
    {
        public bool IsEmpty => H0 >= H1 || W0 >= W1;
    }

    // PyTorch's avg_pool2d window: the padded size counts padding up to the padded edge only.
    private static Window AvgWindow(Planes2d p, Window2d w, bool countIncludePad, long divisorOverride, long oh, long ow)
    {
        long h0 = oh * w.StrideH - w.PadH, w0 = ow * w.StrideW - w.PadW;
        long h1 = Math.Min(h0 + w.KernelH, p.InH + w.PadH), w1 = Math.Min(w0 + w.KernelW, p.InW + w.PadW);
        long paddedSize = (h1 - h0) * (w1 - w0);
        h0 = Math.Max(h0, 0);
        w0 = Math.Max(w0, 0);
        h1 = Math.Min(h1, p.InH);
        w1 = Math.Min(w1, p.InW);
        long divisor = divisorOverride > 0 ? divisorOverride : countIncludePad ? paddedSize : (h1 - h0) * (w1 - w0);
        return new Window(h0, h1, w0, w1, divisor);
    }

    private static (long Start, long End) Adaptive(long o, long size, long outputs) => (o * size / outputs, ((o + 1) * size + outputs - 1) / outputs);
}
