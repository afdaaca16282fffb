using NativeGrad.Backends;

namespace NativeGrad.Tests.Autograd;

using Autograd = NativeGrad.Autograd;

/// <summary>backward(inputs=[...]) against PyTorch 1.13 (the Python is in the comments).</summary>
public sealed class BackwardInputsTests
{
    public static TheoryData<BackendKind> Kinds => new() { BackendKind.Native, BackendKind.Managed };

    [Theory]
    [MemberData(nameof(Kinds))]
    public void OnlyTheGivenTensorsAccumulate(BackendKind kind)
    {
        using var scope = Backend.Use(kind);
        // a = torch.tensor([1., 2.], requires_grad=True); b = torch.tensor([3., 4.], requires_grad=True); y = (a * b).sum()
        // y.backward(inputs=[a], retain_graph=True); a.grad, b.grad -> tensor([3., 4.]) None
        var a = Tensor.From([1f, 2f], requiresGrad: true);
        var b = Tensor.From([3f, 4f], requiresGrad: true);
        var y = (a * b).Sum();
        y.Backward(retainGraph: true, inputs: [a]);
        Assert.Equal([3f, 4f], a.Grad!.ToArray());
        Assert.Null(b.Grad);
        // y.backward(inputs=[a, a], retain_graph=True); a.grad -> tensor([6., 8.]) (once per tensor)
        y.Backward(retainGraph: true, inputs: [a, a]);
        Assert.Equal([6f, 8f], a.Grad!.ToArray());
        // An input the output does not depend on is no error and keeps grad None:
        // e = torch.tensor([1., 2.], requires_grad=True); y.backward(inputs=[e], retain_graph=True); e.grad -> None
        var e = Tensor.From([1f, 2f], requiresGrad: true);
        y.Backward(retainGraph: true, inputs: [e]);
        Assert.Null(e.Grad);
        Assert.Equal([6f, 8f], a.Grad!.ToArray());
        // torch.autograd.backward([y], inputs=[b]) -> b.grad tensor([1., 2.])
        Autograd.Backward([y], inputs: [b]);
        Assert.Equal([1f, 2f], b.Grad!.ToArray());
        Assert.Equal([6f, 8f], a.Grad!.ToArray());
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void ANonLeafInputRetainsItsGradAndGradientsStillFlowPastIt(BackendKind kind)
    {
        using var scope = Backend.Use(kind);
        var a = Tensor.From([1f, 2f], requiresGrad: true);
        var b = Tensor.From([3f, 4f], requiresGrad: true);
        // c = a * 2; y2 = (c * b).sum(); y2.backward(inputs=[c], retain_graph=True)
        // c.grad, a.grad, b.grad -> tensor([3., 4.]) None None; c.is_leaf, c.retains_grad -> False True
        var c = a * 2;
        var y2 = (c * b).Sum();
        y2.Backward(retainGraph: true, inputs: [c]);
        Assert.True(c.RetainsGrad);
        Assert.False(c.IsLeaf);
        Assert.Equal([3f, 4f], c.Grad!.ToArray());
        Assert.Null(a.Grad);
        Assert.Null(b.Grad);
        y2.Backward(retainGraph: true, inputs: [c]);
        Assert.Equal([6f, 8f], c.Grad!.ToArray());
        // y3 = (c * c).sum(); y3.backward(inputs=[a, c]); a.grad, c.grad -> tensor([ 8., 16.]) tensor([10., 16.])
        var y3 = (c * c).Sum();
        y3.Backward(inputs: [a, c]);
        Assert.Equal([8f, 16f], a.Grad!.ToArray());
        Assert.Equal([10f, 16f], c.Grad!.ToArray());
        Assert.Null(b.Grad);
    }

    [Fact]
    public void EmptyInputsAndInputsThatDoNotRequireGradArePyTorchsErrors()
    {
        var a = Tensor.From([1f, 2f], requiresGrad: true);
        var y = (a * a).Sum();
        // y.backward(inputs=[]) -> RuntimeError: 'inputs' argument to backward() cannot be empty.
        var error = Assert.Throws<ArgumentException>(() => y.Backward(inputs: []));
        Assert.Equal("'inputs' argument to backward() cannot be empty.", error.Message);
        error = Assert.Throws<ArgumentException>(() => Autograd.Backward([y], inputs: []));
        Assert.Equal("'inputs' argument to backward() cannot be empty.", error.Message);
        // d = torch.tensor([1., 2.]); y.backward(inputs=[d]) -> RuntimeError: can't retain_grad on Tensor that has requires_grad=False
        var d = Tensor.From([1f, 2f]);
        var state = Assert.Throws<InvalidOperationException>(() => y.Backward(inputs: [d]));
        Assert.Equal("can't retain_grad on Tensor that has requires_grad=False", state.Message);
        // Nothing ran: the graph is intact and a.grad untouched.
        Assert.Null(a.Grad);
        y.Backward(inputs: [a]);
        Assert.Equal([2f, 4f], a.Grad!.ToArray());
    }
}
