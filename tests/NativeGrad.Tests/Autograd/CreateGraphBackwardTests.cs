using NativeGrad.Backends;
using NativeGrad.Tests.Support;

namespace NativeGrad.Tests.Autograd;

using Autograd = NativeGrad.Autograd;

/// <summary>
/// backward(create_graph=True) against PyTorch 1.13: its reference-cycle warning and the grad_fn
/// of the accumulated .grad. In the serial collection, so no other test's warning lands in the list.
/// </summary>
[Collection(SerialCollection.Name)]
public sealed class CreateGraphBackwardTests
{
    public static TheoryData<BackendKind> Kinds => new() { BackendKind.Native, BackendKind.Managed };

    private const string ReferenceCycle =
        "Using backward() with create_graph=True will create a reference cycle between the parameter and its gradient " +
        "which can cause a memory leak. We recommend using autograd.grad when creating the graph to avoid this. If you " +
        "have to use this function, make sure to reset the .grad fields of your parameters to None after use to break " +
        "the cycle and avoid the leak.";

    [Fact]
    public void BackwardWithCreateGraphWarnsAboutTheReferenceCycleAndAutogradGradDoesNot()
    {
        var x = Tensor.From([1f, 2f], requiresGrad: true);
        // (x * x).sum().backward(create_graph=True) -> UserWarning: Using backward() with create_graph=True ...
        Assert.Equal([ReferenceCycle], WarningCapture.Collect(() => (x * x).Sum().Backward(createGraph: true)));
        Assert.Equal([ReferenceCycle], WarningCapture.Collect(() => Autograd.Backward([(x * x).Sum()], createGraph: true)));
        // torch.autograd.grad(..., create_graph=True) and backward() without it do not warn.
        Assert.Empty(WarningCapture.Collect(() => Autograd.Grad((x * x).Sum(), x, createGraph: true)));
        Assert.Empty(WarningCapture.Collect(() => (x * x).Sum().Backward()));
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void TheAccumulatedGradHasPyTorchsGradFn(BackendKind kind)
    {
        using var scope = Backend.Use(kind);
        WarningCapture.Collect(() =>
        {
            // x = torch.tensor([1., 2.], requires_grad=True); (x * x).sum().backward(create_graph=True)
            // repr(x.grad) -> tensor([2., 4.], grad_fn=<CopyBackwards>)
            var x = Tensor.From([1f, 2f], requiresGrad: true);
            (x * x).Sum().Backward(createGraph: true);
            Assert.Equal("tensor([2., 4.], grad_fn=<CopyBackwards>)", x.Grad!.ToString());
            Assert.False(x.Grad.IsLeaf);
            // x.grad.grad_fn.next_functions -> ((None, 0), (<AddBackward0>, 0))
            Assert.Null(x.Grad.GradFn!.NextFunctions[0]);
            Assert.Equal("AddBackward0", x.Grad.GradFn.NextFunctions[1]!.Name);
            // again: tensor([4., 8.], grad_fn=<AddBackward0>); then without create_graph: tensor([ 6., 12.], grad_fn=<AddBackward0>)
            (x * x).Sum().Backward(createGraph: true);
            Assert.Equal("tensor([4., 8.], grad_fn=<AddBackward0>)", x.Grad!.ToString());
            // That last pass adds in place, keeping the grad_fn: g = x.grad before it; g is x.grad -> True, g._version -> 1
            var second = x.Grad;
            (x * x).Sum().Backward();
            Assert.Equal("tensor([ 6., 12.], grad_fn=<AddBackward0>)", x.Grad!.ToString());
            Assert.Same(second, x.Grad);
            Assert.Equal(1, second.Version);

            // A gradient that does not depend on x stays a plain tensor:
            // x2 = torch.tensor([1., 2.], requires_grad=True); (x2 * 3).sum().backward(create_graph=True); repr(x2.grad) -> tensor([3., 3.])
            var x2 = Tensor.From([1f, 2f], requiresGrad: true);
            (x2 * 3).Sum().Backward(createGraph: true);
            Assert.Equal("tensor([3., 3.])", x2.Grad!.ToString());
            // x3: a plain backward first, then create_graph: tensor([4., 8.], grad_fn=<AddBackward0>)
            var x3 = Tensor.From([1f, 2f], requiresGrad: true);
            (x3 * x3).Sum().Backward();
            (x3 * x3).Sum().Backward(createGraph: true);
            Assert.Equal("tensor([4., 8.], grad_fn=<AddBackward0>)", x3.Grad!.ToString());

            // The copy is differentiable: x = torch.tensor(3., dtype=torch.float64, requires_grad=True);
            // (x * x * x).backward(create_graph=True); g = x.grad; x.grad = None; g.backward(); x.grad -> 18
            var x4 = Tensor.From(3.0, requiresGrad: true);
            (x4 * x4 * x4).Backward(createGraph: true);
            var g = x4.Grad!;
            Assert.Equal("CopyBackwards", g.GradFn!.Name);
            x4.Grad = null;
            g.Backward();
            Assert.Equal(18.0, x4.Grad!.Item<double>());
        });
    }
}
