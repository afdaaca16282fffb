using NativeGrad.Backends;

namespace NativeGrad.Tests.Autograd;

// Softmax, log-softmax and the NLL loss run fused backward kernels when the backward is not
// recorded, and their composed (differentiable) rules under createGraph. Both must give the same
// bits, on both backends, in float32 and float64; the graph stays PyTorch's two nodes.
public class FusedBackwardTests
{
    public static TheoryData<BackendKind, DType> Cases => new()
    {
        { BackendKind.Native, DType.Float32 }, { BackendKind.Native, DType.Float64 },
        { BackendKind.Managed, DType.Float32 }, { BackendKind.Managed, DType.Float64 },
    };

    private static Tensor Logits(DType dtype, params long[] shape)
    {
        Tensor.ManualSeed(7);
        return (Tensor.Randn(shape) * 3).To(dtype).RequiresGrad_(true);
    }

    // The gradient of f(x) weighted by a fixed random tensor, without and with createGraph.
    private static (Tensor Fused, Tensor Composed) Gradients(Tensor x, Func<Tensor, Tensor> f)
    {
        var output = f(x);
        var weighting = output.Dim == 0 ? Tensor.Ones([], output.DType) : Tensor.Rand([.. output.Shape]).To(output.DType);
        var fused = NativeGrad.Autograd.Grad([(f(x) * weighting).Sum()], [x])[0]!;
        var composed = NativeGrad.Autograd.Grad([(f(x) * weighting).Sum()], [x], createGraph: true)[0]!;
        Assert.NotNull(composed.GradFn); // recorded: the composed rules ran
        return (fused, composed);
    }

    internal static void AssertSameBits(Tensor expected, Tensor actual)
    {
        Assert.Equal(expected.Shape, actual.Shape);
        if (expected.DType == DType.Float32)
            Assert.Equal(expected.ToArray<float>().Select(BitConverter.SingleToInt32Bits), actual.ToArray<float>().Select(BitConverter.SingleToInt32Bits));
        else
            Assert.Equal(expected.ToArray<double>().Select(BitConverter.DoubleToInt64Bits), actual.ToArray<double>().Select(BitConverter.DoubleToInt64Bits));
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Softmax_and_log_softmax_backward_agree_with_their_composed_rules(BackendKind kind, DType dtype)
    {
        using var scope = Backend.Use(kind);
        foreach (long[] shape in new[] { new long[] { 64, 10 }, [3, 37], [2, 3, 70], [5] })
        {
            var x = Logits(dtype, shape);
            var (fused, composed) = Gradients(x, t => t.Softmax(-1));
            AssertSameBits(composed, fused);
            (fused, composed) = Gradients(x, t => t.LogSoftmax(-1));
            AssertSameBits(composed, fused);
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Cross_entropy_backward_agrees_with_its_composed_rules(BackendKind kind, DType dtype)
    {
        using var scope = Backend.Use(kind);
        var x = Logits(dtype, 64, 10);
        var target = Tensor.Randint(10, [64]);
        var weight = Tensor.Rand(10).To(dtype);
        foreach (var reduction in new[] { Reduction.Mean, Reduction.Sum, Reduction.None })
        {
            var (fused, composed) = Gradients(x, t => Functional.CrossEntropy(t, target, reduction));
            AssertSameBits(composed, fused);
            (fused, composed) = Gradients(x, t => Functional.CrossEntropy(t, target, reduction, ignoreIndex: 3, weight: weight));
            AssertSameBits(composed, fused);
        }
        // Spatial: the class dimension is 1, not the last, and the NLL is nll_loss2d.
        var spatial = Logits(dtype, 2, 4, 3, 5);
        var spatialTarget = Tensor.Randint(4, [2, 3, 5]);
        var (f, c) = Gradients(spatial, t => Functional.CrossEntropy(t, spatialTarget, ignoreIndex: 1));
        AssertSameBits(c, f);
    }

    [Fact]
    public void Cross_entropy_records_log_softmax_then_nll_loss()
    {
        var loss = Functional.CrossEntropy(Logits(DType.Float32, 4, 3), Tensor.From([0L, 2, 1, 1]));
        Assert.Equal("NllLossBackward0", loss.GradFn!.Name);
        Assert.Equal("LogSoftmaxBackward0", loss.GradFn.NextFunctions.Single()!.Name);
    }
}
