using System.Runtime.InteropServices;
using NativeGrad.Backends;

namespace NativeGrad.Tests.Backends;

/// <summary>
/// The window kernels (im2col, col2im, the pools and their gradients) on both backends with the
/// same inputs, at geometries with padding, stride, dilation, groups and windows past the plane;
/// they only copy, compare and add in one fixed order, so the results must be bit-identical.
/// See <see cref="KernelParityTestBase"/>.
/// </summary>
public unsafe class KernelParityWindowTests : KernelParityTestBase
{
    private static readonly (Planes2d Planes, Window2d Window)[] Geometries =
    [
        (new Planes2d(2, 3, 7, 6, 5, 4), new Window2d(3, 3, 1, 1, 0, 0, 1, 1)),
        (new Planes2d(1, 2, 7, 6, 7, 6), new Window2d(3, 3, 1, 1, 1, 1, 1, 1)),
        (new Planes2d(2, 1, 7, 6, 4, 3), new Window2d(3, 3, 2, 2, 1, 1, 1, 1)),
        (new Planes2d(1, 3, 7, 6, 5, 4), new Window2d(2, 2, 1, 1, 0, 0, 2, 2)),
        (new Planes2d(1, 1, 8, 7, 4, 4), new Window2d(2, 2, 2, 2, 0, 0, 1, 1)),
        (new Planes2d(2, 2, 8, 7, 4, 6), new Window2d(3, 2, 2, 1, 1, 0, 1, 1)),
        (new Planes2d(1, 2, 1, 9, 3, 2), new Window2d(1, 4, 1, 3, 1, 2, 1, 2)),
        (new Planes2d(2, 4, 7, 6, 5, 4, Groups: 2), new Window2d(3, 3, 1, 1, 0, 0, 1, 1)),
        (new Planes2d(1, 6, 5, 5, 3, 3, Groups: 3), new Window2d(3, 2, 2, 2, 1, 1, 1, 2)),
        (new Planes2d(64, 16, 8, 8, 8, 8), new Window2d(3, 3, 1, 1, 1, 1, 1, 1)),
    ];

    public static TheoryData<DType> FloatTypes => new() { DType.Float32, DType.Float64 };

    private delegate void Kernel(IKernels kernels, Planes2d planes, Window2d window, void* input, void* output);

    /// <summary>Runs <paramref name="kernel"/> on both backends from the same input and compares the outputs.</summary>
    private static void Compare(DType dtype, string name, Func<Planes2d, Window2d, (long In, long Out)> counts, Kernel kernel, DType outputType = default)
    {
        var random = new System.Random(3);
        foreach (var (planes, window) in Geometries)
        {
            var (inCount, outCount) = counts(planes, window);
            byte[] input = Values(dtype, (int)inCount, random, 2, specials: name.StartsWith("max"));
            var outType = outputType == default ? dtype : outputType;
            byte[] Run(IKernels kernels)
            {
                var output = new byte[outCount * outType.SizeOf()];
                fixed (byte* x = input, y = output)
                    kernel(kernels, planes, window, x, y);
                return output;
            }
            AssertSame(outType, Run(Native), Run(Managed), 0, $"{name} {dtype} {planes} {window}");
        }
    }

    private static long Columns(Planes2d p, Window2d w) => p.Images * p.Channels * w.KernelH * w.KernelW * p.OutH * p.OutW;

    private static Planes2d AsPlanes(Planes2d p) => p with { Images = p.Images * p.Channels, Channels = 1, Groups = 1 };

    [Theory]
    [MemberData(nameof(FloatTypes))]
    public void Im2ColAndCol2ImMatch(DType dtype)
    {
        Compare(dtype, "im2col", (p, w) => (p.InCount, Columns(p, w)), (k, p, w, x, y) => k.Im2Col(dtype, p, w, x, y));
        Compare(dtype, "col2im", (p, w) => (Columns(p, w), p.InCount), (k, p, w, x, y) => k.Col2Im(dtype, p, w, x, y));
    }

    [Theory]
    [MemberData(nameof(FloatTypes))]
    public void PoolsMatch(DType dtype)
    {
        Compare(dtype, "max_pool2d", (p, _) => (p.InCount, p.OutCount), (k, p, w, x, y) => k.MaxPool2d(dtype, AsPlanes(p), w, x, y, null));
        Compare(dtype, "max_pool2d indices", (p, _) => (p.InCount, p.OutCount), (k, p, w, x, y) =>
        {
            var values = new byte[p.OutCount * dtype.SizeOf()];
            fixed (byte* v = values) k.MaxPool2d(dtype, AsPlanes(p), w, x, v, (long*)y);
        }, DType.Int64);
        foreach (bool countPad in new[] { true, false })
            foreach (long divisor in new long[] { 0, 4 })
            {
                var unDilated = (Window2d w) => w with { DilationH = 1, DilationW = 1 };
                Compare(dtype, "avg_pool2d", (p, _) => (p.InCount, p.OutCount),
                        (k, p, w, x, y) => k.AvgPool2d(dtype, AsPlanes(p), unDilated(w), countPad, divisor, x, y));
                Compare(dtype, "avg_pool2d_backward", (p, _) => (p.OutCount, p.InCount),
                        (k, p, w, x, y) => k.AvgPool2dBackward(dtype, AsPlanes(p), unDilated(w), countPad, divisor, x, y));
            }
        Compare(dtype, "adaptive_avg_pool2d", (p, _) => (p.InCount, p.OutCount), (k, p, _, x, y) => k.AdaptiveAvgPool2d(dtype, AsPlanes(p), x, y));
        Compare(dtype, "adaptive_avg_pool2d_backward", (p, _) => (p.OutCount, p.InCount), (k, p, _, x, y) => k.AdaptiveAvgPool2dBackward(dtype, AsPlanes(p), x, y));
    }

    [Theory]
    [MemberData(nameof(FloatTypes))]
    public void MaxPoolBackwardMatchesAndRefusesIndicesOutsideThePlane(DType dtype)
    {
        var random = new System.Random(5);
        foreach (var (geometry, window) in Geometries)
        {
            var p = AsPlanes(geometry);
            byte[] input = Values(dtype, (int)p.InCount, random, 2, specials: false);
            var indices = new long[p.OutCount];
            var values = new byte[p.OutCount * dtype.SizeOf()];
            fixed (byte* x = input, v = values)
            fixed (long* i = indices)
                Native.MaxPool2d(dtype, p, window, x, v, i);
            byte[] grad = Values(dtype, (int)p.OutCount, random, 2, specials: false);
            byte[] Run(IKernels kernels)
            {
                var output = new byte[p.InCount * dtype.SizeOf()];
                fixed (byte* g = grad, y = output)
                fixed (long* i = indices)
                    kernels.MaxPool2dBackward(dtype, p, g, i, y);
                return output;
            }
            AssertSame(dtype, Run(Native), Run(Managed), 0, $"max_pool2d_backward {p}");
        }
        var plane = new Planes2d(1, 1, 2, 2, 1, 1);
        var bad = new long[] { 4 };
        var gradOut = new double[1];
        var gradIn = new double[4];
        foreach (var kernels in new[] { Native, Managed })
        {
            var error = Assert.ThrowsAny<ArgumentException>(() =>
            {
                fixed (long* i = bad)
                fixed (double* g = gradOut, y = gradIn)
                    kernels.MaxPool2dBackward(DType.Float64, plane, g, i, y);
            });
            Assert.Contains("indices[0] is 4, outside [-1, 4)", error.Message);
        }
    }
}
