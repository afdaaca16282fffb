using NativeGrad.Backends;
using AutogradFunctional = NativeGrad.Autograd.Functional;

namespace NativeGrad.Tests.Autograd;

/// <summary>
/// Lambdas pick the overload that matches PyTorch's single-tensor or tuple call, and null
/// arguments or results get PyTorch's messages for None. Shapes, values and messages are torch
/// 1.13's for the same calls (run with /usr/bin/python3).
/// </summary>
public class FunctionalOverloadTests
{
    private static readonly Tensor X = Tensor.From([0.5, -1.0, 2.0]);
    private static readonly Tensor Y = Tensor.From([1.5, 0.25]);

    [Fact]
    public void OneTensorInAndOutGivesOneBlock()
    {
        Tensor jacobian = AutogradFunctional.Jacobian(x => x.Exp(), X);
        Assert.Equal([3L, 3L], jacobian.Shape);
        Tensor hessian = AutogradFunctional.Hessian(x => x.Pow(3).Sum(), X);
        Assert.Equal([3L, 3L], hessian.Shape);
        (Tensor output, Tensor vjp) = AutogradFunctional.Vjp(x => x.Pow(2).Sum(), X);
        Assert.Equal(X.Pow(2).Sum().Item<double>(), output.Item<double>());
        Assert.Equal(new[] { 1.0, -2.0, 4.0 }, vjp.ToArray<double>());
    }

    [Fact]
    public void ArraysInAndOutGiveOneBlockPerOutputAndInput()
    {
        Tensor[] perInput = AutogradFunctional.Jacobian(xs => xs[0].Sum() * xs[1], [X, Y]);
        Assert.Equal([[2L, 3L], [2L, 2L]], perInput.Select(b => b.Shape.ToArray()));
        Tensor[] perOutput = AutogradFunctional.Jacobian(x => [x.Sin(), x.Sum()], X);
        Assert.Equal([[3L, 3L], [3L]], perOutput.Select(b => b.Shape.ToArray()));
        Tensor[][] blocks = AutogradFunctional.Jacobian(xs => [xs[0].Sum() * xs[1], xs[1].Sum()], [X, Y]);
        Assert.Equal([2L, 3L], blocks[0][0].Shape);
        Assert.Equal([2L], blocks[1][1].Shape);
        Tensor[][] hessian = AutogradFunctional.Hessian(xs => xs[0].Sum() * xs[1].Sum(), [X, Y]);
        Assert.Equal([3L, 2L], hessian[0][1].Shape);
        (Tensor[] outputs, Tensor[] vjp) = AutogradFunctional.Vjp(xs => [xs[0] * 2, xs[1].Sum()], [X, Y], [Tensor.OnesLike(X), Tensor.From(1.0)]);
        Assert.Equal(2, outputs.Length);
        Assert.Equal(new[] { 2.0, 2.0, 2.0 }, vjp[0].ToArray<double>());
        (Tensor output, Tensor[] hvp) = AutogradFunctional.Hvp(xs => (xs[0] * xs[0]).Sum() + xs[1].Sum(), [X, Y], [Tensor.OnesLike(X), Tensor.OnesLike(Y)]);
        Assert.Empty(output.Shape);
        Assert.Equal(new[] { 2.0, 2.0, 2.0 }, hvp[0].ToArray<double>());
        Assert.Equal(new[] { 0.0, 0.0 }, hvp[1].ToArray<double>());
    }

    [Theory]
    [InlineData(BackendKind.Native)]
    [InlineData(BackendKind.Managed)]
    public void NullInputsAndResultsAreRefusedWithPyTorchsNoneMessages(BackendKind backend)
    {
        using var scope = Backend.Use(backend);
        var input = Assert.Throws<ArgumentNullException>(() => AutogradFunctional.Jacobian(x => x, (Tensor)null!));
        Assert.Equal("The inputs given to jacobian must be either a Tensor or a tuple of Tensors but the given inputs has type <class 'NoneType'>.",
                     input.Message);
        var output = Assert.Throws<InvalidOperationException>(() => AutogradFunctional.Jacobian((Func<Tensor, Tensor>)(x => null!), X));
        Assert.Equal("The outputs of the user-provided function given to jacobian must be either a Tensor or a tuple of Tensors but the " +
                     "given outputs of the user-provided function has type <class 'NoneType'>.", output.Message);
        var entry = Assert.Throws<InvalidOperationException>(() => AutogradFunctional.Jacobian(x => [x, null!], X));
        Assert.Equal("The outputs of the user-provided function given to jacobian must be either a Tensor or a tuple of Tensors but the " +
                     "value at index 1 has type <class 'NoneType'>.", entry.Message);
        var hvp = Assert.Throws<InvalidOperationException>(() => AutogradFunctional.Hvp(x => null!, X, X));
        Assert.Equal("The outputs of the user-provided function given to hvp must be either a Tensor or a tuple of Tensors but the " +
                     "given outputs of the user-provided function has type <class 'NoneType'>.", hvp.Message);
    }
}
