using NativeGrad.Backends;

namespace NativeGrad.Tests.Tensors;

/// <summary>
/// <c>requiresGrad:</c> on every creation function, against PyTorch 1.13's reprs (the integer-dtype
/// errors are in AutogradErrorTests). Where the expected values come from: <see cref="TensorApiTestBase"/>.
/// </summary>
public sealed class CreationRequiresGradTests : TensorApiTestBase
{
    [Theory]
    [MemberData(nameof(Kinds))]
    public void EveryFloatingPointCreationFunctionTakesRequiresGrad(BackendKind kind)
    {
        using var scope = Backend.Use(kind);
        // repr(torch.eye(2, requires_grad=True))
        AssertTensor(DType.Float32, [2, 2], "tensor([[1., 0.],\n        [0., 1.]], requires_grad=True)", Tensor.Eye(2, requiresGrad: true));
        // repr(torch.arange(3., requires_grad=True))
        AssertTensor(DType.Float32, [3], "tensor([0., 1., 2.], requires_grad=True)", Tensor.Arange(3.0, requiresGrad: true));
        // repr(torch.arange(0., 1., 0.5, dtype=torch.float64, requires_grad=True))
        AssertTensor(DType.Float64, [2], "tensor([0.0000, 0.5000], dtype=torch.float64, requires_grad=True)",
                     Tensor.Arange(0.0, 1.0, 0.5, DType.Float64, requiresGrad: true));
        // repr(torch.linspace(0, 1, 3, requires_grad=True))
        AssertTensor(DType.Float32, [3], "tensor([0.0000, 0.5000, 1.0000], requires_grad=True)", Tensor.Linspace(0, 1, 3, requiresGrad: true));
        // repr(torch.zeros(2, requires_grad=True)); repr(torch.ones(2, dtype=torch.float64, requires_grad=True))
        AssertTensor(DType.Float32, [2], "tensor([0., 0.], requires_grad=True)", Tensor.Zeros([2], requiresGrad: true));
        AssertTensor(DType.Float64, [2], "tensor([1., 1.], dtype=torch.float64, requires_grad=True)",
                     Tensor.Ones([2], DType.Float64, requiresGrad: true));
        // repr(torch.zeros_like(torch.ones(2), requires_grad=True)); repr(torch.full_like(torch.ones(2), 3, requires_grad=True))
        AssertTensor(DType.Float32, [2], "tensor([0., 0.], requires_grad=True)", Tensor.ZerosLike(Tensor.Ones(2), requiresGrad: true));
        AssertTensor(DType.Float32, [2], "tensor([3., 3.], requires_grad=True)", Tensor.FullLike(Tensor.Ones(2), 3, requiresGrad: true));
        AssertTensor(DType.Float32, [2], "tensor([1., 1.], requires_grad=True)", Tensor.OnesLike(Tensor.Ones(2), requiresGrad: true));
        // repr(torch.ones_like(torch.ones(2, requires_grad=True))) -> tensor([1., 1.]): a *_like never inherits requires_grad
        AssertTensor(DType.Float32, [2], "tensor([1., 1.])", Tensor.OnesLike(Tensor.Ones([2], requiresGrad: true)));
        // torch.randperm(3, dtype=torch.float32, requires_grad=True).requires_grad -> True
        Assert.True(Tensor.Randperm(3, dtype: DType.Float32, requiresGrad: true).RequiresGrad);
        Assert.True(Tensor.RandnLike(Tensor.Ones(2), requiresGrad: true).RequiresGrad);
        Assert.True(Tensor.RandLike(Tensor.Ones(2), DType.Float64, requiresGrad: true).RequiresGrad);
        Assert.Equal(DType.Float64, Tensor.RandLike(Tensor.Ones(2), DType.Float64).DType);
        Assert.True(Tensor.From(new[,] { { 1.0, 2.0 } }, requiresGrad: true).RequiresGrad);
        // The params-array overloads have no requiresGrad: argument; the chained form is the same tensor.
        AssertTensor(DType.Float32, [2], "tensor([0., 0.], requires_grad=True)", Tensor.Zeros(2).RequiresGrad_());
        AssertTensor(DType.Float32, [2], "tensor([1., 2.], requires_grad=True)", Tensor.FromArray([1f, 2f], 2).RequiresGrad_());
        // And without the argument nothing requires grad.
        Assert.False(Tensor.Eye(2).RequiresGrad);
        Assert.False(Tensor.Arange(3.0).RequiresGrad);
    }
}
