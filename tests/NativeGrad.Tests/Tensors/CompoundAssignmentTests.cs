using NativeGrad.Backends;

namespace NativeGrad.Tests.Tensors;

using Autograd = NativeGrad.Autograd;

/// <summary>
/// C# 14 compound assignment on tensors is in place, as Python's is: `x += y` is x.add_(y).
/// Against PyTorch 1.13; where the expected values come from: <see cref="TensorApiTestBase"/>.
/// </summary>
public sealed class CompoundAssignmentTests : TensorApiTestBase
{
    [Theory]
    [MemberData(nameof(Kinds))]
    public void SgdStepWithMinusEqualsUpdatesTheParameterInPlace(BackendKind kind)
    {
        using var scope = Backend.Use(kind);
        // W = torch.tensor([1., 2.], requires_grad=True); (W * W).sum().backward(); alias = W
        // with torch.no_grad(): W -= 0.1 * W.grad
        // repr(W), W is alias, W._version -> tensor([0.8000, 1.6000], requires_grad=True) True 1
        var w = Tensor.From([1f, 2f], requiresGrad: true);
        (w * w).Sum().Backward();
        var alias = w;
        using (Autograd.NoGrad())
            w -= 0.1 * w.Grad!;
        Assert.Same(alias, w);
        AssertTensor(DType.Float32, [2], "tensor([0.8000, 1.6000], requires_grad=True)", alias);
        Assert.Equal(1, w.Version);
        Assert.True(w.IsLeaf);
    }

    [Fact]
    public void CompoundAssignmentOnALeafThatRequiresGradOutsideNoGradIsPyTorchsError()
    {
        var w = Tensor.From([1f, 2f], requiresGrad: true);
        // W -= 1 -> RuntimeError: a leaf Variable that requires grad is being used in an in-place operation.
        var error = Assert.Throws<InvalidOperationException>(() => { w -= 1; });
        Assert.Equal("a leaf Variable that requires grad is being used in an in-place operation.", error.Message);
        error = Assert.Throws<InvalidOperationException>(() => { w += w; });
        Assert.Equal("a leaf Variable that requires grad is being used in an in-place operation.", error.Message);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void OnANonLeafTheInPlaceOpsAreRecorded(BackendKind kind)
    {
        using var scope = Backend.Use(kind);
        // x = torch.tensor([1., 2.], requires_grad=True); a = x * 2; a += 1; a *= 3
        // repr(a), a._version -> tensor([ 9., 15.], grad_fn=<MulBackward0>) 2; a.sum().backward(); x.grad -> tensor([6., 6.])
        var x = Tensor.From([1f, 2f], requiresGrad: true);
        var a = x * 2;
        var before = a;
        a += 1;
        Assert.Equal("AddBackward0", a.GradFn!.Name);
        a *= 3;
        Assert.Same(before, a);
        AssertTensor(DType.Float32, [2], "tensor([ 9., 15.], grad_fn=<MulBackward0>)", a);
        Assert.Equal(2, a.Version);
        a.Sum().Backward();
        Assert.Equal([6f, 6f], x.Grad!.ToArray());
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void EveryOperatorWithTensorsAndScalars(BackendKind kind)
    {
        using var scope = Backend.Use(kind);
        // f = torch.tensor([1., 2.]); f += 1; f -= torch.tensor([0.5]); f *= 2; f /= 4; repr(f) -> tensor([0.7500, 1.2500])
        var f = Tensor.From([1f, 2f]);
        var alias = f;
        f += 1;
        f -= Tensor.From([0.5f]);
        f *= 2;
        f /= 4;
        AssertTensor(DType.Float32, [2], "tensor([0.7500, 1.2500])", alias);
        Assert.Equal(4, alias.Version);
        // g = torch.tensor([1., 2.]); g += torch.ones(2); g -= 0.5; g *= torch.tensor(2.); g /= torch.tensor([4., 2.]) -> tensor([0.7500, 2.5000])
        var g = Tensor.From([1f, 2f]);
        g += Tensor.Ones(2);
        g -= 0.5;
        g *= Tensor.From(2f);
        g /= Tensor.From([4f, 2f]);
        AssertTensor(DType.Float32, [2], "tensor([0.7500, 2.5000])", g);
        // i = torch.tensor([1, 2]); i *= 3; i += 1; i -= 2 -> tensor([2, 5])
        var i = Tensor.From([1L, 2L]);
        i *= 3;
        i += 1;
        i -= 2;
        AssertTensor(DType.Int64, [2], "tensor([2, 5])", i);
        // An element of an array is a variable: t = [torch.ones(1)]; t[0] += 1 -> t[0] is the same tensor, tensor([2.])
        Tensor[] parameters = [Tensor.Ones(1)];
        var first = parameters[0];
        parameters[0] += 1;
        Assert.Same(first, parameters[0]);
        AssertTensor(DType.Float32, [1], "tensor([2.])", first);
    }

    [Fact]
    public void CompoundAssignmentErrorsAreTheInPlaceOnes()
    {
        // i = torch.tensor([1, 2]); i /= 2 -> RuntimeError: result type Float can't be cast to the desired output type Long
        var i = Tensor.From([1L, 2L]);
        var error = Assert.Throws<ArgumentException>(() => { i /= 2; });
        Assert.Equal("result type Float can't be cast to the desired output type Long", error.Message);
        error = Assert.Throws<ArgumentException>(() => { i += 1.5; });
        Assert.Equal("result type Float can't be cast to the desired output type Long", error.Message);
        // s = torch.tensor([1.]); s += torch.tensor([1., 2.]) -> RuntimeError: output with shape [1] doesn't match the broadcast shape [2]
        var s = Tensor.From([1f]);
        error = Assert.Throws<ArgumentException>(() => { s += Tensor.From([1f, 2f]); });
        Assert.Equal("output with shape [1] doesn't match the broadcast shape [2]", error.Message);
        Assert.Equal([1f], s.ToArray());
    }
}
