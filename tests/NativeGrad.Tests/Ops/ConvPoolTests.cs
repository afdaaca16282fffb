using NativeGrad.Backends;

namespace NativeGrad.Tests.Ops;

/// <summary>
/// Conv2d and the pools against PyTorch 1.13: printed outputs with their grad_fn, gradients, the
/// 3-D (unbatched) forms and the errors for bad arguments. Every expected string is PyTorch's
/// output for the Python expression in the comment beside it.
/// </summary>
public class ConvPoolTests
{
    public static TheoryData<BackendKind> Kinds => new() { BackendKind.Native, BackendKind.Managed };

    // x = (torch.arange(1., 33).view(1, 2, 4, 4) / 10).requires_grad_()
    // w = (torch.arange(1., 37).view(2, 2, 3, 3) / 10 - 1.8).requires_grad_()
    // b = torch.tensor([0.5, -0.25], requires_grad=True)
    private static (Tensor X, Tensor W, Tensor B) Inputs() =>
        ((Tensor.Arange(1.0, 33.0).View(1, 2, 4, 4) / 10).Detach().RequiresGrad_(true),
         (Tensor.Arange(1.0, 37.0).View(2, 2, 3, 3) / 10 - 1.8).Detach().RequiresGrad_(true),
         Tensor.From([0.5f, -0.25f], requiresGrad: true));

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Conv2dPrintsAndDifferentiatesAsPyTorch(BackendKind kind)
    {
        using var scope = Backend.Use(kind);
        var (x, w, b) = Inputs();
        // F.conv2d(x, w, b, padding=1)
        var y = Functional.Conv2d(x, w, b, padding: 1);
        Assert.Equal("ConvolutionBackward0", y.GradFn!.Name);
        Assert.Equal("""
            tensor([[[[ -2.3400,  -4.8200,  -5.6600,  -4.4600],
                      [ -7.1500, -12.8800, -14.4100, -10.9300],
                      [-10.9900, -19.0000, -20.5300, -15.2500],
                      [-11.1800, -18.7400, -19.9400, -14.4200]],

                     [[ 13.4700,  20.3500,  21.6700,  14.2300],
                      [ 21.2600,  31.7300,  33.4400,  21.8000],
                      [ 26.0600,  38.5700,  40.2800,  26.1200],
                      [ 16.1500,  23.7100,  24.6700,  15.7900]]]],
                   grad_fn=<ConvolutionBackward0>)
            """, y.ToString());
        y.Sum().Backward();
        Assert.Equal("""
            tensor([[[[-4.8000, -6.6000, -6.6000, -4.0000],
                      [-5.4000, -7.2000, -7.2000, -4.2000],
                      [-5.4000, -7.2000, -7.2000, -4.2000],
                      [-2.4000, -3.0000, -3.0000, -1.6000]],

                     [[ 2.4000,  4.2000,  4.2000,  3.2000],
                      [ 5.4000,  9.0000,  9.0000,  6.6000],
                      [ 5.4000,  9.0000,  9.0000,  6.6000],
                      [ 4.8000,  7.8000,  7.8000,  5.6000]]]])
            """, x.Grad!.ToString());
        Assert.Equal("""
            tensor([[[[ 5.4000,  7.8000,  6.3000],
                      [ 9.6000, 13.6000, 10.8000],
                      [ 9.0000, 12.6000,  9.9000]],

                     [[19.8000, 27.0000, 20.7000],
                      [28.8000, 39.2000, 30.0000],
                      [23.4000, 31.8000, 24.3000]]],


                    [[[ 5.4000,  7.8000,  6.3000],
                      [ 9.6000, 13.6000, 10.8000],
                      [ 9.0000, 12.6000,  9.9000]],

                     [[19.8000, 27.0000, 20.7000],
                      [28.8000, 39.2000, 30.0000],
                      [23.4000, 31.8000, 24.3000]]]])
            """, w.Grad!.ToString());
        Assert.Equal("tensor([16., 16.])", b.Grad!.ToString());
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void UnbatchedInputsAndThePoolsPrintAsPyTorch(BackendKind kind)
    {
        using var scope = Backend.Use(kind);
        var (x, w, _) = Inputs();
        // F.conv2d(x[0], w, stride=2)
        Assert.Equal("""
            tensor([[[-13.3800]],

                    [[ 31.9800]]], grad_fn=<SqueezeBackward1>)
            """, Functional.Conv2d(x[0], w, stride: 2).ToString());
        // F.max_pool2d(x, 2)
        Assert.Equal("""
            tensor([[[[0.6000, 0.8000],
                      [1.4000, 1.6000]],

                     [[2.2000, 2.4000],
                      [3.0000, 3.2000]]]], grad_fn=<MaxPool2DWithIndicesBackward0>)
            """, Functional.MaxPool2d(x, 2).ToString());
        // F.avg_pool2d(x, 3, 2, 1, ceil_mode=True, count_include_pad=False)
        Assert.Equal("""
            tensor([[[[0.3500, 0.5000, 0.6000],
                      [0.9500, 1.1000, 1.2000],
                      [1.3500, 1.5000, 1.6000]],

                     [[1.9500, 2.1000, 2.2000],
                      [2.5500, 2.7000, 2.8000],
                      [2.9500, 3.1000, 3.2000]]]], grad_fn=<AvgPool2DBackward0>)
            """, Functional.AvgPool2d(x, 3, 2, 1, ceilMode: true, countIncludePad: false).ToString());
        // F.adaptive_avg_pool2d(x, (3, 2)) and F.adaptive_avg_pool2d(x, 1)
        Assert.Equal("""
            tensor([[[[0.3500, 0.5500],
                      [0.7500, 0.9500],
                      [1.1500, 1.3500]],

                     [[1.9500, 2.1500],
                      [2.3500, 2.5500],
                      [2.7500, 2.9500]]]], grad_fn=<AdaptiveAvgPool2DBackward0>)
            """, Functional.AdaptiveAvgPool2d(x, (3, 2)).ToString());
        Assert.Equal("""
            tensor([[[[0.8500]],

                     [[2.4500]]]], grad_fn=<MeanBackward1>)
            """, Functional.AdaptiveAvgPool2d(x, 1).ToString());
        // F.max_pool2d(x[0], 2).grad_fn: a 3-D input is pooled directly, not unsqueezed.
        Assert.Equal("MaxPool2DWithIndicesBackward0", Functional.MaxPool2d(x[0], 2).GradFn!.Name);
        Assert.Equal("AvgPool2DBackward0", Functional.AvgPool2d(x[0], 2).GradFn!.Name);
    }

    [Fact]
    public void MaxPoolReturnsPyTorchsIndices()
    {
        // F.max_pool2d(torch.tensor([[[[nan, 1.], [2, 3]]]]), 2, return_indices=True) is (nan, 0);
        // for [[1, 1], [2, 2]] it is (2, 2): NaN wins, then the first of equal values.
        var (values, indices) = Functional.MaxPool2dWithIndices(Tensor.From(new[] { float.NaN, 1, 2, 3 }).View(1, 1, 2, 2), 2);
        Assert.True(float.IsNaN(values.Item<float>()));
        Assert.Equal(0L, indices.Item<long>());
        (values, indices) = Functional.MaxPool2dWithIndices(Tensor.From(new[] { 1f, 1, 2, 2 }).View(1, 1, 2, 2), 2);
        Assert.Equal(2f, values.Item<float>());
        Assert.Equal(2L, indices.Item<long>());
    }

    public static TheoryData<string, string> ConvErrors => new()
    {
        // F.conv2d(torch.randn(7, 6), w)
        { "rank", "Expected 3D (unbatched) or 4D (batched) input to conv2d, but got input of size: [7, 6]" },
        // F.conv2d(x, torch.randn(4, 3, 3))
        { "weight rank", "expected stride to be a single integer value or a list of 1 values to match the convolution dimensions, but got stride=[1, 1]" },
        // F.conv2d(x, torch.randn(4, 2, 3, 3))
        { "channels", "Given groups=1, weight of size [4, 2, 3, 3], expected input[2, 3, 7, 6] to have 2 channels, but got 3 channels instead" },
        // F.conv2d(x, torch.randn(4, 1, 3, 3), groups=3)
        { "groups", "Given groups=3, expected weight to be divisible by 3 at dimension 0, but got weight of size [[4, 1, 3, 3]] instead" },
        // F.conv2d(x, torch.randn(4, 3, 9, 3))
        { "kernel", "Calculated padded input size per channel: (7 x 6). Kernel size: (9 x 3). Kernel size can't be greater than actual input size" },
        // F.conv2d(x, w, dilation=4)
        { "dilated kernel", "Calculated padded input size per channel: (7 x 6). Kernel size: (9 x 9). Kernel size can't be greater than actual input size" },
        // F.conv2d(x, w, torch.randn(3))
        { "bias", "Given weight of size [4, 3, 3, 3], expected bias to be 1-dimensional with 4 elements, but got bias of size [3] instead" },
        { "stride", "non-positive stride is not supported" },
        { "padding", "negative padding is not supported" },
        { "dilation", "dilation should be greater than zero, but got [1, 0]" },
        { "zero groups", "non-positive groups is not supported" },
        { "same strided", "padding='same' is not supported for strided convolutions" },
        { "padding string", "Invalid padding string: 'foo'" },
        // F.conv2d(x, w.double())
        { "dtype", "Input type (torch.FloatTensor) and weight type (torch.DoubleTensor) should be the same or input should be a MKLDNN tensor and weight is a dense tensor" },
        // F.conv2d(x, w, torch.randn(4).double())
        { "bias dtype", "Input type (float) and bias type (double) should be the same" },
    };

    [Theory]
    [MemberData(nameof(ConvErrors))]
    public void Conv2dRejectsBadArgumentsWithPyTorchsMessages(string what, string message)
    {
        var x = Tensor.Randn(2, 3, 7, 6);
        var w = Tensor.Randn(4, 3, 3, 3);
        Action call = what switch
        {
            "rank" => () => Functional.Conv2d(Tensor.Randn(7, 6), w),
            "weight rank" => () => Functional.Conv2d(x, Tensor.Randn(4, 3, 3)),
            "channels" => () => Functional.Conv2d(x, Tensor.Randn(4, 2, 3, 3)),
            "groups" => () => Functional.Conv2d(x, Tensor.Randn(4, 1, 3, 3), groups: 3),
            "kernel" => () => Functional.Conv2d(x, Tensor.Randn(4, 3, 9, 3)),
            "dilated kernel" => () => Functional.Conv2d(x, w, dilation: 4),
            "bias" => () => Functional.Conv2d(x, w, Tensor.Randn(3)),
            "stride" => () => Functional.Conv2d(x, w, stride: 0),
            "padding" => () => Functional.Conv2d(x, w, padding: -1),
            "dilation" => () => Functional.Conv2d(x, w, dilation: (1, 0)),
            "zero groups" => () => Functional.Conv2d(x, w, groups: 0),
            "same strided" => () => Functional.Conv2d(x, w, stride: 2, padding: "same"),
            "padding string" => () => Functional.Conv2d(x, w, padding: "foo"),
            "dtype" => () => Functional.Conv2d(x, w.To(DType.Float64)),
            "bias dtype" => () => Functional.Conv2d(x, w, Tensor.Randn(4).To(DType.Float64)),
            _ => throw new ArgumentOutOfRangeException(nameof(what)),
        };
        Assert.Equal(message, Assert.Throws<ArgumentException>(call).Message);
    }

    public static TheoryData<string, string> PoolErrors => new()
    {
        { "max rank", "non-empty 3D or 4D (batch mode) tensor expected for input" },                                    // F.max_pool2d(torch.randn(8, 7), 2)
        { "pad", "pad should be at most half of kernel size, but got pad=2 and kernel_size=2" },                        // F.max_pool2d(x, 2, padding=2)
        { "pad w", "pad should be at most half of kernel size, but got pad=2 and kernel_size=2" },                      // F.max_pool2d(x, (4, 2), 1, (1, 2))
        { "zero stride", "stride should not be zero" },                                                                 // F.max_pool2d(x, 0)
        { "kernel", "kernel size should be greater than zero, but got kH: 3 kW: 0" },                                   // F.max_pool2d(x, (3, 0), (1, 1))
        { "stride", "stride should be greater than zero, but got dH: 2 dW: -1" },                                       // F.max_pool2d(x, 3, (2, -1))
        { "dilation", "dilation should be greater than zero, but got dilationH: 1 dilationW: 0" },                      // F.max_pool2d(x, 3, 1, 0, (1, 0))
        { "negative pad", "pad must be non-negative, but got pad: -1" },                                                // F.avg_pool2d(x, 2, 1, -1)
        { "too small", "Given input size: (3x8x7). Calculated output size: (3x0x0). Output size is too small" },       // F.max_pool2d(x, 9)
        { "avg too small", "Given input size: (3x8x7). Calculated output size: (3x0x3). Output size is too small" },   // F.avg_pool2d(x, (9, 2))
        { "empty channels", "Expected 3D or 4D (batch mode) tensor with optional 0 dim batch size for input, but got:[2, 0, 8, 7]" },
        { "divisor", "divisor must be not zero" },                                                                      // F.avg_pool2d(x, 3, divisor_override=0)
        { "adaptive rank", "adaptive_avg_pool2d(): Expected 3D or 4D tensor, but got [8, 7]" },
        { "adaptive size", "adaptive_avg_pool2d: elements of output_size must be greater than or equal to 0 but received {-1, -1}" },
        { "adaptive empty", "adaptive_avg_pool2d(): Expected input to have non-zero size for non-batch dimensions, but input has sizes [2, 3, 0, 7] with dimension 2 being empty" },
    };

    [Theory]
    [MemberData(nameof(PoolErrors))]
    public void PoolsRejectBadArgumentsWithPyTorchsMessages(string what, string message)
    {
        var x = Tensor.Randn(2, 3, 8, 7);
        Action call = what switch
        {
            "max rank" => () => Functional.MaxPool2d(Tensor.Randn(8, 7), 2),
            "pad" => () => Functional.MaxPool2d(x, 2, padding: 2),
            "pad w" => () => Functional.MaxPool2d(x, (4, 2), 1, (1, 2)),
            "zero stride" => () => Functional.MaxPool2d(x, 0),
            "kernel" => () => Functional.MaxPool2d(x, (3, 0), (1, 1)),
            "stride" => () => Functional.MaxPool2d(x, 3, (2, -1)),
            "dilation" => () => Functional.MaxPool2d(x, 3, 1, 0, (1, 0)),
            "negative pad" => () => Functional.AvgPool2d(x, 2, 1, -1),
            "too small" => () => Functional.MaxPool2d(x, 9),
            "avg too small" => () => Functional.AvgPool2d(x, (9, 2)),
            "empty channels" => () => Functional.AvgPool2d(Tensor.Randn(2, 0, 8, 7), 3),
            "divisor" => () => Functional.AvgPool2d(x, 3, divisorOverride: 0),
            "adaptive rank" => () => Functional.AdaptiveAvgPool2d(Tensor.Randn(8, 7), 2),
            "adaptive size" => () => Functional.AdaptiveAvgPool2d(x, -1),
            "adaptive empty" => () => Functional.AdaptiveAvgPool2d(Tensor.Randn(2, 3, 0, 7), 3),
            _ => throw new ArgumentOutOfRangeException(nameof(what)),
        };
        Assert.Equal(message, Assert.Throws<ArgumentException>(call).Message);
    }

    [Fact]
    public void IntegerInputsAreRefusedRatherThanComputedWrongly()
    {
        var x = Tensor.Zeros([2, 3, 8, 7], DType.Int64);
        // F.max_pool2d(x.long(), 2)
        Assert.Equal("\"max_pool2d\" not implemented for 'Long'", Assert.Throws<NotSupportedException>(() => Functional.MaxPool2d(x, 2)).Message);
        Assert.Throws<NotSupportedException>(() => Functional.Conv2d(x, Tensor.Zeros([4, 3, 3, 3], DType.Int64)));
    }
}
