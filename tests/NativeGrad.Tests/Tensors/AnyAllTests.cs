using NativeGrad.Backends;

namespace NativeGrad.Tests.Tensors;

/// <summary>
/// torch's any() and all(), over everything and along a dimension, against PyTorch 1.13; and that
/// <c>x.Any()</c> is the tensor method, never LINQ's Enumerable.Any.
/// Where the expected values come from: <see cref="TensorApiTestBase"/>.
/// </summary>
public sealed class AnyAllTests : TensorApiTestBase
{
    [Theory]
    [MemberData(nameof(Kinds))]
    public void AnyAndAllOfEveryElementAre0DimBoolTensors(BackendKind kind)
    {
        using var scope = Backend.Use(kind);
        // a = torch.tensor([False, False]); repr(a.any()), repr(a.all()) -> tensor(False) tensor(False)
        var none = Tensor.From([false, false]);
        AssertTensor(DType.Bool, [], "tensor(False)", none.Any());
        AssertTensor(DType.Bool, [], "tensor(False)", none.All());
        Assert.True(none.AsEnumerable().Any()); // LINQ's answer, which x.Any() must not give
        // x = torch.tensor([[1., 0.], [2., 3.]]); repr(x.any()) -> tensor(True); repr(x.all()) -> tensor(False)
        var x = Tensor.From(new float[,] { { 1, 0 }, { 2, 3 } });
        AssertTensor(DType.Bool, [], "tensor(True)", x.Any());
        AssertTensor(DType.Bool, [], "tensor(False)", x.All());
        // torch.tensor([1, 0]).all() -> tensor(False); torch.tensor([]).all() -> tensor(True); .any() -> tensor(False)
        AssertTensor(DType.Bool, [], "tensor(False)", Tensor.From([1L, 0L]).All());
        AssertTensor(DType.Bool, [], "tensor(True)", Tensor.From(Array.Empty<float>()).All());
        AssertTensor(DType.Bool, [], "tensor(False)", Tensor.From(Array.Empty<float>()).Any());
        // torch.tensor([float('nan')]).any() -> tensor(True), .all() -> tensor(True)
        Assert.True(Tensor.From([float.NaN]).Any().Item<bool>());
        Assert.True(Tensor.From([float.NaN]).All().Item<bool>());
        // Usable as a condition, like Python's `if mask.any():`
        bool branch = false;
        if (x.Any()) branch = true;
        Assert.True(branch);
        // Not recorded: torch.tensor([1.], requires_grad=True).any().requires_grad -> False
        Assert.False(Tensor.From([1f], requiresGrad: true).Any().RequiresGrad);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void AnyAndAllAlongADimension(BackendKind kind)
    {
        using var scope = Backend.Use(kind);
        var x = Tensor.From(new float[,] { { 1, 0 }, { 2, 3 } });
        // repr(x.all(dim=1)) -> tensor([False,  True]); repr(x.all(-1)) the same
        AssertTensor(DType.Bool, [2], "tensor([False,  True])", x.All(1));
        AssertTensor(DType.Bool, [2], "tensor([False,  True])", x.All(-1));
        // repr(x.any(1, keepdim=True)) -> tensor([[True],\n        [True]])
        AssertTensor(DType.Bool, [2, 1], "tensor([[True],\n        [True]])", x.Any(1, keepDim: true));
        // repr(x.any(0)) -> tensor([True, True]); repr(x.all(0, keepdim=True)) -> tensor([[ True, False]])
        AssertTensor(DType.Bool, [2], "tensor([True, True])", x.Any(0));
        AssertTensor(DType.Bool, [1, 2], "tensor([[ True, False]])", x.All(0, keepDim: true));
        // repr(torch.zeros(2, 0).all(1)) -> tensor([True, True]); repr(torch.zeros(0, 2).any(1)) -> tensor([], dtype=torch.bool)
        AssertTensor(DType.Bool, [2], "tensor([True, True])", Tensor.Zeros(2, 0).All(1));
        AssertTensor(DType.Bool, [0], "tensor([], dtype=torch.bool)", Tensor.Zeros(0, 2).Any(1));
        // repr(torch.tensor(3.).any(0)) -> tensor(True)
        AssertTensor(DType.Bool, [], "tensor(True)", Tensor.From(3f).Any(0));
    }

    [Fact]
    public void ADimensionOutOfRangeIsPyTorchsIndexError()
    {
        var x = Tensor.Zeros(2, 2);
        // x.any(2) -> IndexError: Dimension out of range (expected to be in range of [-2, 1], but got 2)
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => x.Any(2));
        Assert.Equal("Dimension out of range (expected to be in range of [-2, 1], but got 2)", error.Message);
        error = Assert.Throws<ArgumentOutOfRangeException>(() => x.All(-3));
        Assert.Equal("Dimension out of range (expected to be in range of [-2, 1], but got -3)", error.Message);
    }
}
