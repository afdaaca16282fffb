using NativeGrad.Backends;
using NativeGrad.Nn;
using NativeGrad.Tests.Support;

namespace NativeGrad.Tests.Ops;

/// <summary>
/// The nn functions' bad-input errors, with PyTorch 1.13's messages; dropout's identity cases and
/// its stream position; clip_grad_norm_ / clip_grad_value_ against PyTorch's values.
/// (Values and gradients of every option are in tests/data/nn-extra, see NnExtraConformanceTests.)
/// </summary>
[Collection(SerialCollection.Name)]
public class NnFunctionalTests
{
    // Made afresh for each call: a static tensor would stay live and fail the allocator tests.
    private static Tensor Logits => Tensor.Randn([5, 4], DType.Float32, generator: new Generator(1));

    public static TheoryData<string, Type, string> BadInputs => new()
    {
        { "cross_entropy target 7 of 4 classes", typeof(ArgumentOutOfRangeException), "Target 7 is out of bounds." },
        { "cross_entropy target -1", typeof(ArgumentOutOfRangeException), "Target -1 is out of bounds." },
        { "cross_entropy spatial target 9", typeof(ArgumentOutOfRangeException), "Target 9 is out of bounds." },
        { "cross_entropy probabilities of another shape", typeof(ArgumentException), "0D or 1D target tensor expected, multi-target not supported" },
        { "cross_entropy long probabilities", typeof(ArgumentException), "Expected floating point type for target with class probabilities, got Long" },
        { "cross_entropy float indices", typeof(ArgumentException), "expected scalar type Long but found Float" },
        { "cross_entropy batch", typeof(ArgumentException), "Expected input batch_size (5) to match target batch_size (2)." },
        { "cross_entropy label_smoothing 1.5", typeof(ArgumentException), "label_smoothing must be between 0.0 and 1.0. Got: 1.5" },
        { "cross_entropy probabilities weight", typeof(ArgumentException), "cross_entropy: weight tensor should be defined either for all 4 classes or no classes but got weight tensor of shape: [3]" },
        { "nll_loss weight", typeof(ArgumentException), "weight tensor should be defined either for all 4 classes or no classes but got weight tensor of shape: [3]" },
        { "nll_loss 0-d input", typeof(ArgumentException), "Expected 1 or more dimensions (got 0)" },
        { "nll_loss 1-d input, 1-d target", typeof(ArgumentException), "size mismatch (got input: [4], target: [1])" },
        { "nll_loss spatial 3-d", typeof(ArgumentException), "Expected target size [2, 3], got [2, 4]" },
        { "nll_loss spatial 4-d", typeof(ArgumentException), "size mismatch (got input: [2, 4, 3, 2] , target: [2, 4, 2]" },
        { "binary_cross_entropy size", typeof(ArgumentException), "Using a target size (torch.Size([5, 3])) that is different to the input size (torch.Size([5, 4])) is deprecated. Please ensure they have the same size." },
        { "binary_cross_entropy range", typeof(ArgumentException), "all elements of input should be between 0 and 1" },
        { "binary_cross_entropy_with_logits size", typeof(ArgumentException), "Target size (torch.Size([5, 3])) must be the same as input size (torch.Size([5, 4]))" },
        { "smooth_l1_loss beta", typeof(ArgumentException), "smooth_l1_loss does not support negative values for beta." },
        { "huber_loss delta", typeof(ArgumentException), "huber_loss does not support non-positive values for delta." },
        { "mse_loss batchmean", typeof(ArgumentException), "batchmean is not a valid value for reduction" },
        { "embedding float indices", typeof(ArgumentException), "Expected tensor for argument #1 'indices' to have one of the following scalar types: Long, Int; but got torch.FloatTensor instead (while checking arguments for embedding)" },
        { "embedding index 10 of 10", typeof(ArgumentOutOfRangeException), "index out of range in self" },
        { "embedding padding_idx 10", typeof(ArgumentException), "Padding_idx must be within num_embeddings" },
        { "embedding padding_idx -11", typeof(ArgumentException), "Padding_idx must be within num_embeddings" },
        { "embedding 1-d weight", typeof(ArgumentException), "'weight' must be 2-D" },
        { "batch_norm one value per channel", typeof(ArgumentException), "Expected more than 1 value per channel when training, got input size torch.Size([1, 3])" },
        { "batch_norm eval without statistics", typeof(ArgumentException), "running_mean must be defined in evaluation mode" },
        { "batch_norm running_mean size", typeof(ArgumentException), "running_mean should contain 3 elements not 4" },
        { "batch_norm weight size", typeof(ArgumentException), "weight should contain 3 elements not 4" },
        { "batch_norm long input", typeof(NotSupportedException), "\"batch_norm\" not implemented for 'Long'" },
        { "layer_norm input", typeof(ArgumentException), "Given normalized_shape=[6], expected input with shape [*, 6], but got input of size[4, 5]" },
        { "layer_norm weight", typeof(ArgumentException), "Expected weight to be of same shape as normalized_shape, but got weight of shape [5] and normalized_shape = [6]" },
        { "layer_norm bias", typeof(ArgumentException), "Expected bias to be of same shape as normalized_shape, but got bias of shape [5] and normalized_shape = [6]" },
        { "dropout p 1.5", typeof(ArgumentException), "dropout probability has to be between 0 and 1, but got 1.5" },
        { "silu long", typeof(NotSupportedException), "\"silu_cpu\" not implemented for 'Long'" },
        { "elu long", typeof(NotSupportedException), "\"elu_cpu\" not implemented for 'Long'" },
    };

    private static readonly Dictionary<string, Action> Calls = new()
    {
        ["cross_entropy target 7 of 4 classes"] = () => Functional.CrossEntropy(Logits, Tensor.From([0L, 1, 2, 3, 7])),
        ["cross_entropy target -1"] = () => Functional.CrossEntropy(Logits, Tensor.From([0L, 1, 2, 3, -1])),
        ["cross_entropy spatial target 9"] = () => Functional.CrossEntropy(Tensor.Randn(2, 4, 3), Tensor.From(new long[,] { { 0, 1, 9 }, { 0, 0, 0 } })),
        ["cross_entropy probabilities of another shape"] = () => Functional.CrossEntropy(Logits, Tensor.Rand(5, 3)),
        ["cross_entropy long probabilities"] = () => Functional.CrossEntropy(Logits, Tensor.Zeros([5, 4], DType.Int64)),
        ["cross_entropy float indices"] = () => Functional.CrossEntropy(Logits, Tensor.Zeros(5)),
        ["cross_entropy batch"] = () => Functional.CrossEntropy(Logits, Tensor.From([0L, 1])),
        ["cross_entropy label_smoothing 1.5"] = () => Functional.CrossEntropy(Logits, Tensor.From([0L, 1, 2, 3, 0]), labelSmoothing: 1.5),
        ["cross_entropy probabilities weight"] = () => Functional.CrossEntropy(Logits, Tensor.Rand(5, 4), weight: Tensor.Ones(3)),
        ["nll_loss weight"] = () => Functional.NllLoss(Logits, Tensor.From([0L, 1, 2, 3, 0]), weight: Tensor.Ones(3)),
        ["nll_loss 0-d input"] = () => Functional.NllLoss(Tensor.From(1f), Tensor.From(0L)),
        ["nll_loss 1-d input, 1-d target"] = () => Functional.NllLoss(Tensor.Randn(4), Tensor.From([2L])),
        ["nll_loss spatial 3-d"] = () => Functional.NllLoss(Tensor.Randn(2, 4, 3), Tensor.Zeros([2, 4], DType.Int64)),
        ["nll_loss spatial 4-d"] = () => Functional.NllLoss(Tensor.Randn(2, 4, 3, 2), Tensor.Zeros([2, 4, 2], DType.Int64)),
        ["binary_cross_entropy size"] = () => Functional.BinaryCrossEntropy(Tensor.Rand(5, 4), Tensor.Rand(5, 3)),
        ["binary_cross_entropy range"] = () => Functional.BinaryCrossEntropy(Tensor.Rand(5, 4) + 1, Tensor.Rand(5, 4)),
        ["binary_cross_entropy_with_logits size"] = () => Functional.BinaryCrossEntropyWithLogits(Tensor.Rand(5, 4), Tensor.Rand(5, 3)),
        ["smooth_l1_loss beta"] = () => Functional.SmoothL1Loss(Tensor.Rand(5, 4), Tensor.Rand(5, 4), beta: -1),
        ["huber_loss delta"] = () => Functional.HuberLoss(Tensor.Rand(5, 4), Tensor.Rand(5, 4), delta: 0),
        ["mse_loss batchmean"] = () => Functional.MseLoss(Tensor.Rand(5, 4), Tensor.Rand(5, 4), Reduction.BatchMean),
        ["embedding float indices"] = () => Functional.Embedding(Tensor.From([1f]), Tensor.Randn(10, 3)),
        ["embedding index 10 of 10"] = () => Functional.Embedding(Tensor.From([10L]), Tensor.Randn(10, 3)),
        ["embedding padding_idx 10"] = () => Functional.Embedding(Tensor.From([1L]), Tensor.Randn(10, 3), paddingIdx: 10),
        ["embedding padding_idx -11"] = () => Functional.Embedding(Tensor.From([1L]), Tensor.Randn(10, 3), paddingIdx: -11),
        ["embedding 1-d weight"] = () => Functional.Embedding(Tensor.From([1L]), Tensor.Randn(10)),
        ["batch_norm one value per channel"] = () => Functional.BatchNorm(Tensor.Randn(1, 3), Tensor.Zeros(3), Tensor.Ones(3), training: true),
        ["batch_norm eval without statistics"] = () => Functional.BatchNorm(Tensor.Randn(2, 3), null, null, training: false),
        ["batch_norm running_mean size"] = () => Functional.BatchNorm(Tensor.Randn(2, 3), Tensor.Zeros(4), Tensor.Ones(4), training: true),
        ["batch_norm weight size"] = () => Functional.BatchNorm(Tensor.Randn(2, 3), Tensor.Zeros(3), Tensor.Ones(3), Tensor.Ones(4), training: true),
        ["batch_norm long input"] = () => Functional.BatchNorm(Tensor.Ones([2, 3], DType.Int64), Tensor.Zeros(3), Tensor.Ones(3), training: true),
        ["layer_norm input"] = () => Functional.LayerNorm(Tensor.Randn(4, 5), [6]),
        ["layer_norm weight"] = () => Functional.LayerNorm(Tensor.Randn(4, 6), [6], weight: Tensor.Ones(5)),
        ["layer_norm bias"] = () => Functional.LayerNorm(Tensor.Randn(4, 6), [6], bias: Tensor.Ones(5)),
        ["dropout p 1.5"] = () => Functional.Dropout(Tensor.Randn(4, 6), 1.5),
        ["silu long"] = () => Functional.Silu(Tensor.Ones([2, 3], DType.Int64)),
        ["elu long"] = () => Functional.Elu(Tensor.Ones([2, 3], DType.Int64)),
    };

    [Theory]
    [MemberData(nameof(BadInputs))]
    public void BadInputThrowsPyTorchsMessage(string call, Type exceptionType, string message)
    {
        foreach (var backend in new[] { BackendKind.Native, BackendKind.Managed })
        {
            using var scope = Backend.Use(backend);
            var error = Assert.Throws(exceptionType, Calls[call]);
            Assert.Equal(message, error.Message);
        }
    }

    [Fact]
    public void DropoutIsTheIdentityWhenNotTrainingOrWithPZero()
    {
        var x = Tensor.Randn([3, 4], requiresGrad: true, generator: new Generator(2));
        Assert.Same(x, Functional.Dropout(x, 0.5, training: false));
        Assert.Same(x, Functional.Dropout(x, 0.0));
        var dropped = Functional.Dropout(x, 1.0);
        Assert.Equal("MulBackward0", dropped.GradFn!.Name);
        Assert.True(dropped.Equal(Tensor.Zeros(3, 4)));
    }

    [Fact]
    public void DropoutLeavesTheGeneratorWherePyTorchDoes()
    {
        // torch.manual_seed(5); F.dropout(torch.ones(6), 0.4); torch.randn(3)
        lock (SharedLocks.DefaultGenerator)
        {
            Tensor.ManualSeed(5);
            var y = Functional.Dropout(Tensor.Ones(6), 0.4);
            Assert.Equal("tensor([0.0000, 1.6667, 1.6667, 1.6667, 1.6667, 0.0000])", y.ToString());
            Assert.Equal("tensor([-1.4017, -0.7626,  0.6312])", Tensor.Randn(3).ToString());
        }
    }

    [Fact]
    public void ClipGradNormMatchesPyTorch()
    {
        var (a, b, c) = Parameters();
        var total = Utils.ClipGradNorm_([a, b, c], 1.0);
        Assert.Equal("tensor(6.8007)", total.ToString());
        Assert.Equal("tensor([ 0.1470, -0.2941,  0.4411])", a.Grad!.ToString());
        Assert.Equal("tensor([[0.5882, 0.0735],\n        [0.0000, 0.5882]])", b.Grad!.ToString());

        (a, b, c) = Parameters();
        Assert.Equal("tensor(4.)", Utils.ClipGradNorm_([a, b, c], 2.0, double.PositiveInfinity).ToString());
        Assert.Equal("tensor([ 0.5000, -1.0000,  1.5000])", a.Grad!.ToString());

        (a, b, c) = Parameters();
        Assert.Equal("tensor(14.5000)", Utils.ClipGradNorm_([a, b, c], 100.0, 1.0).ToString());
        Assert.Equal("tensor([ 1., -2.,  3.])", a.Grad!.ToString()); // below the limit: unchanged

        Assert.Equal("tensor(0.)", Utils.ClipGradNorm_([c], 1.0).ToString());
    }

    [Fact]
    public void ClipGradNormRejectsANonfiniteNormWhenAsked()
    {
        var a = Tensor.From([1f, 2f], requiresGrad: true);
        (a * Tensor.From([1f, float.PositiveInfinity])).Sum().Backward();
        var error = Assert.Throws<InvalidOperationException>(() => Utils.ClipGradNorm_(a, 1.0, errorIfNonfinite: true));
        Assert.Equal("The total norm of order 2.0 for gradients from `parameters` is non-finite, so it cannot be clipped. To disable this error and scale the gradients by the non-finite norm anyway, set `error_if_nonfinite=False`", error.Message);
    }

    [Fact]
    public void ClipGradValueClampsEachElement()
    {
        var (a, b, _) = Parameters();
        Utils.ClipGradValue_([a, b], 2.5);
        Assert.Equal("tensor([ 1.0000, -2.0000,  2.5000])", a.Grad!.ToString());
        Assert.Equal("tensor([[2.5000, 0.5000],\n        [0.0000, 2.5000]])", b.Grad!.ToString());
    }

    /// <summary>Gradients [1, -2, 3] and [[4, 0.5], [0, 4]], and a parameter without one.</summary>
    private static (Tensor, Tensor, Tensor) Parameters()
    {
        var a = Tensor.From([0f, 0f, 0f], requiresGrad: true);
        var b = Tensor.Zeros([2, 2], DType.Float32, requiresGrad: true);
        var c = Tensor.Zeros([2], DType.Float32, requiresGrad: true);
        (a * Tensor.From([1f, -2f, 3f])).Sum().Backward();
        (b * Tensor.From(new float[,] { { 4f, 0.5f }, { 0f, 4f } })).Sum().Backward();
        return (a, b, c);
    }
}
