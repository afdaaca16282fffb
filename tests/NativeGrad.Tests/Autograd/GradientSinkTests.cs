using NativeGrad.Backends;
using NativeGrad.Nn;
using NativeGrad.Optim;
using NativeGrad.Tests.Support;

namespace NativeGrad.Tests.Autograd;

// A matrix product's weight gradient is added straight into the weight's existing .grad when the
// engine can prove nothing else sees it (Engine.SinkFor). That must change no bit of any gradient
// or parameter, on either backend, whether or not the add happens in place: a hook on the weight
// keeps the ordinary path, and depths past 256 are never added in place.
[Collection(SerialCollection.Name)] // counts process-wide in-place adds
public class GradientSinkTests
{
    public static TheoryData<BackendKind, DType, int> Cases => new()
    {
        { BackendKind.Native, DType.Float32, 64 }, { BackendKind.Native, DType.Float64, 64 },
        { BackendKind.Managed, DType.Float32, 64 }, { BackendKind.Managed, DType.Float64, 64 },
        { BackendKind.Native, DType.Float32, 256 }, { BackendKind.Managed, DType.Float32, 256 },
        { BackendKind.Native, DType.Float32, 300 }, { BackendKind.Managed, DType.Float32, 300 },
    };

    // Three SGD steps of Linear-ReLU-Linear (weights behind weight.T, so through a transpose, at a
    // depth of the batch) plus a plain product with a leaf on the right (depth 3); the tensors
    // they end with, and how many gradients went in place.
    private static (Tensor[] Results, long InPlace) Train(BackendKind kind, DType dtype, int batch, bool observed, bool setToNone)
    {
        using var scope = Backend.Use(kind);
        Tensor.ManualSeed(3);
        var model = new Sequential(new Linear(37, 20, dtype: dtype), new ReLU(), new Linear(20, 5, dtype: dtype));
        var matrix = Tensor.Randn([batch, 7]).To(dtype).RequiresGrad_(true);
        var parameters = model.Parameters().Append(matrix).ToArray();
        var hooks = observed ? parameters.Select(p => p.RegisterHook(g => null)).ToArray() : [];
        var optimizer = new SGD(parameters, lr: 0.1, momentum: 0.5);
        var images = Tensor.Randn([batch, 37]).To(dtype);
        var labels = Tensor.Randint(5, [batch]);
        var left = Tensor.Randn([3, batch]).To(dtype);
        long before = Derivative.GradientsAddedInPlace;
        for (int step = 0; step < 3; step++)
        {
            optimizer.ZeroGrad(setToNone);
            var loss = Functional.CrossEntropy(model.Forward(images), labels) + left.Mm(matrix).Square().Sum();
            loss.Backward();
            optimizer.Step();
        }
        long inPlace = Derivative.GradientsAddedInPlace - before;
        foreach (var hook in hooks) hook.Dispose();
        return ([.. parameters.Select(p => p.Detach().Clone()), .. parameters.Select(p => p.Grad!.Clone())], inPlace);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Adding_a_weight_gradient_in_place_changes_no_bit(BackendKind kind, DType dtype, int batch)
    {
        // zero_grad() keeps the gradients to add into; set_to_none=True (and the first step) leaves
        // none, and then the product is written as the new .grad instead of being copied there.
        foreach (bool setToNone in new[] { false, true })
        {
            var (ordinary, ordinaryInPlace) = Train(kind, dtype, batch, observed: true, setToNone);
            var (direct, directInPlace) = Train(kind, dtype, batch, observed: false, setToNone);

            Assert.Equal(0, ordinaryInPlace);
            // Every step: both Linear weights while the batch is at most 256 deep, and the plain
            // product's leaf.
            Assert.Equal(batch <= 256 ? 9 : 3, directInPlace);
            Assert.Equal(ordinary.Length, direct.Length);
            for (int i = 0; i < ordinary.Length; i++)
                FusedBackwardTests.AssertSameBits(ordinary[i], direct[i]);
        }
    }

    [Fact]
    public void A_weight_reached_by_two_edges_is_not_added_in_place()
    {
        var weight = Tensor.Randn([4, 3], requiresGrad: true);
        var x = Tensor.Randn(5, 3);
        (Functional.Linear(x, weight) + Functional.Linear(x * 2, weight)).Sum().Backward();
        long before = Derivative.GradientsAddedInPlace;
        (Functional.Linear(x, weight) + Functional.Linear(x * 2, weight)).Sum().Backward();
        Assert.Equal(before, Derivative.GradientsAddedInPlace);
        var expected = (Tensor.Ones(5, 4).T.Mm(x * 3)) * 2;
        Assert.True(weight.Grad!.AllClose(expected, 1e-5, 1e-5));
    }
}
