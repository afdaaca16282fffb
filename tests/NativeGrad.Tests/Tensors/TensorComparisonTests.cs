using NativeGrad.Backends;

namespace NativeGrad.Tests.Tensors;

/// <summary>
/// Comparisons, torch.equal and the truth value of one-element tensors against PyTorch 1.13.
/// Where the expected values come from: <see cref="TensorApiTestBase"/>.
/// </summary>
public sealed class TensorComparisonTests : TensorApiTestBase
{
    [Theory]
    [MemberData(nameof(Kinds))]
    public void ComparisonsReturnBoolTensors(BackendKind kind)
    {
        using var scope = Backend.Use(kind);
        var x = Tensor.From(new[] { 1f, 2f, 3f });
        var y = Tensor.From(new[] { 3f, 2f, 1f });
        // x = torch.tensor([1., 2., 3.]); y = torch.tensor([3., 2., 1.]); (x == y).tolist(), ...
        AssertBools([false, true, false], x == y);
        AssertBools([true, false, true], x != y);
        AssertBools([true, false, false], x < y);
        AssertBools([true, true, false], x <= y);
        AssertBools([false, false, true], x > y);
        AssertBools([false, true, true], x >= y);
        AssertBools([false, true, false], x.Eq(y));
        AssertBools([false, true, false], x == 2);
        AssertBools([true, false, true], x != 2);
        AssertBools([false, true, true], x > 1.5);
        AssertBools([false, true, true], 1.5 < x);
        AssertBools([true, true, false], 2 >= x);
        // (x[:, None] < y).tolist()
        var table = x.Unsqueeze(1) < y;
        Assert.Equal([3L, 3L], table.Shape);
        AssertBools([true, true, false, true, false, false, false, false, false], table);
        // repr(x == y)
        Assert.Equal("tensor([False,  True, False])", (x == y).ToString());
        // Comparisons are not recorded: (torch.tensor([1.], requires_grad=True) > 0).requires_grad -> False
        Assert.False((Tensor.From(new[] { 1f }, requiresGrad: true) > 0).RequiresGrad);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void EqualComparesShapeAndValues(BackendKind kind)
    {
        using var scope = Backend.Use(kind);
        var m = Tensor.Arange(6.0).Reshape(2, 3);
        // torch.equal(m, m.clone()) True; torch.equal(m, m.T) False
        Assert.True(m.Equal(m.Clone()));
        Assert.False(m.Equal(m.T));
        // torch.equal(torch.tensor([1, 2]), torch.tensor([1., 2.])) -> True (values compared after promotion)
        Assert.True(Tensor.From(new[] { 1L, 2L }).Equal(Tensor.From(new[] { 1f, 2f })));
        // torch.equal(torch.tensor([1., 2.]), torch.tensor([[1., 2.]])) -> False; ([1., 1.], [1.]) -> False
        Assert.False(Tensor.From(new[] { 1f, 2f }).Equal(Tensor.From(new float[,] { { 1, 2 } })));
        Assert.False(Tensor.From(new[] { 1f, 1f }).Equal(Tensor.From(new[] { 1f })));
        // torch.equal(torch.tensor([1., 2.]), torch.tensor([1., 3.])) -> False; NaN is not equal to itself
        Assert.False(Tensor.From(new[] { 1f, 2f }).Equal(Tensor.From(new[] { 1f, 3f })));
        Assert.False(Tensor.From(new[] { float.NaN }).Equal(Tensor.From(new[] { float.NaN })));
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void OneElementTensorsHaveATruthValue(BackendKind kind)
    {
        using var scope = Backend.Use(kind);
        // bool(torch.tensor(0.5)) True, bool(torch.tensor([0])) False, bool(torch.tensor(False)) False,
        // bool(torch.tensor(float('nan'))) True, bool(torch.tensor([[2]])) True
        Assert.True(Truth(Tensor.From(0.5f)));
        Assert.False(Truth(Tensor.From(new[] { 0L })));
        Assert.False(Truth(Tensor.From(false)));
        Assert.True(Truth(Tensor.From(float.NaN)));
        Assert.True(Truth(Tensor.From(new long[,] { { 2 } })));
        var x = Tensor.From(new[] { 1f, 2f, 3f });
        Assert.True(Truth(x[1] == 2));

        // bool(torch.tensor([1., 2., 3.])) / bool(torch.tensor([])) -> RuntimeError
        var error = Assert.Throws<InvalidOperationException>(() => Truth(x));
        Assert.Equal("Boolean value of Tensor with more than one value is ambiguous", error.Message);
        error = Assert.Throws<InvalidOperationException>(() => Truth(Tensor.Zeros(0)));
        Assert.Equal("Boolean value of Tensor with no values is ambiguous", error.Message);

        static bool Truth(Tensor t)
        {
            if (t) return true;
            return false;
        }
    }
}
