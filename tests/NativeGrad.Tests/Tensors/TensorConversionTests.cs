using NativeGrad.Backends;

namespace NativeGrad.Tests.Tensors;

/// <summary>
/// Getting values out of tensors against PyTorch 1.13: enumerating rows, item, ToArray, AsSpan and
/// ToString (the repr). Where the expected values come from: <see cref="TensorApiTestBase"/>.
/// </summary>
public sealed class TensorConversionTests : TensorApiTestBase
{
    // ---- enumeration ------------------------------------------------------------------------

    [Theory]
    [MemberData(nameof(Kinds))]
    public void EnumeratingYieldsRowsThatAreViews(BackendKind kind)
    {
        using var scope = Backend.Use(kind);
        var x = Tensor.From(new float[,] { { 1, 2 }, { 3, 4 }, { 5, 6 } });
        var rows = new List<Tensor>();
        foreach (var row in x) rows.Add(row);
        // [r for r in x]: three rows of shape [2]
        Assert.Equal(3, rows.Count);
        Assert.All(rows, r => Assert.Equal([2L], r.Shape));
        Assert.Equal([1f, 2f], rows[0].ToArray());
        Assert.Equal([5f, 6f], rows[2].ToArray());
        // [float(r.sum()) for r in x]
        Assert.Equal([3f, 7f, 11f], x.Select(r => r.Sum().Item<float>()));
        // The elements of a 1-D tensor are 0-dim: [r.dim() for r in torch.tensor([1., 2.])] -> [0, 0]
        Assert.Equal([0, 0], Tensor.From(new[] { 1f, 2f }).Select(r => r.Dim));

        // for r in b: r.add_(torch.tensor([1., 2., 3.])) writes into b
        var b = Tensor.Zeros(2, 3);
        foreach (var row in b) row.Add_(Tensor.From(new[] { 1f, 2f, 3f }));
        Assert.Equal([1f, 2f, 3f, 1f, 2f, 3f], b.ToArray());

        // iter(torch.tensor(1.)) -> TypeError: iteration over a 0-d tensor
        var error = Assert.Throws<InvalidOperationException>(() => Tensor.From(1f).ToList());
        Assert.Equal("iteration over a 0-d tensor", error.Message);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void AggregateOverRowsIsPythonsSumIncludingTheGradient(BackendKind kind)
    {
        using var scope = Backend.Use(kind);
        // x = torch.tensor([[1., 2.], [3., 4.], [5., 6.]], requires_grad=True); s = sum(x)
        var x = Tensor.From(new float[,] { { 1, 2 }, { 3, 4 }, { 5, 6 } }, requiresGrad: true);
        var s = x.Aggregate((a, b) => a + b);
        Assert.Equal("tensor([ 9., 12.], grad_fn=<AddBackward0>)", s.ToString());
        // (s * torch.tensor([1., 10.])).sum().backward(); x.grad
        (s * Tensor.From(new[] { 1f, 10f })).Sum().Backward();
        Assert.Equal("tensor([[ 1., 10.],\n        [ 1., 10.],\n        [ 1., 10.]])", x.Grad!.ToString());
    }

    // ---- conversions ------------------------------------------------------------------------

    [Theory]
    [MemberData(nameof(Kinds))]
    public void ItemConvertsLikePyTorch(BackendKind kind)
    {
        using var scope = Backend.Use(kind);
        // torch.tensor(2.7).long().item() -> 2; torch.tensor(-2.7).long().item() -> -2
        Assert.Equal(2L, Tensor.From(2.7f).Item<long>());
        Assert.Equal(-2L, Tensor.From(-2.7f).Item<long>());
        // torch.tensor(0.5).bool().item() -> True; torch.tensor(5).double().item() -> 5.0; torch.tensor(True).long().item() -> 1
        Assert.True(Tensor.From(0.5f).Item<bool>());
        Assert.Equal(5.0, Tensor.From(5L).Item<double>());
        Assert.Equal(1L, Tensor.From(true).Item<long>());
        Assert.Equal(1.5f, Tensor.From(1.5).Item<float>());
        // torch.tensor([[4.]]).item() -> 4.0 (any one-element tensor)
        Assert.Equal(4f, Tensor.From(new float[,] { { 4 } }).Item<float>());
        // torch.tensor([1., 2.]).item(), torch.tensor([]).item() -> ValueError
        Assert.Equal("only one element tensors can be converted to Python scalars",
                     Assert.Throws<InvalidOperationException>(() => Tensor.From(new[] { 1f, 2f }).Item<float>()).Message);
        Assert.Equal("only one element tensors can be converted to Python scalars",
                     Assert.Throws<InvalidOperationException>(() => Tensor.Zeros(0).Item<float>()).Message);
        // Not an element type.
        Assert.Throws<NotSupportedException>(() => Tensor.From(1f).Item<int>());
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void ToArrayConvertsLikePyTorch(BackendKind kind)
    {
        using var scope = Backend.Use(kind);
        // torch.tensor([1.5, -1.5, 2.9, -0.5]).long().tolist() -> [1, -1, 2, 0] (truncation)
        Assert.Equal([1L, -1L, 2L, 0L], Tensor.From(new[] { 1.5f, -1.5f, 2.9f, -0.5f }).ToArray<long>());
        // torch.tensor([0., 0.1, -1., float('nan')]).bool().tolist() -> [False, True, True, True]
        Assert.Equal([false, true, true, true], Tensor.From(new[] { 0f, 0.1f, -1f, float.NaN }).ToArray<bool>());
        // torch.tensor([True, False]).double().tolist(); torch.tensor([3, -4]).float().tolist(); torch.tensor([2, 0, -1]).bool().tolist()
        Assert.Equal([1.0, 0.0], Tensor.From(new[] { true, false }).ToArray<double>());
        Assert.Equal([3f, -4f], Tensor.From(new[] { 3L, -4L }).ToArray<float>());
        Assert.Equal([true, false, true], Tensor.From(new[] { 2L, 0L, -1L }).ToArray<bool>());
        // torch.tensor([1e10]).long().tolist() -> [10000000000]; torch.tensor([2**53 + 1]).double().tolist() -> [9007199254740992.0]
        Assert.Equal([10000000000L], Tensor.From(new[] { 1e10f }).ToArray<long>());
        Assert.Equal([9007199254740992.0], Tensor.From(new[] { 9007199254740993L }).ToArray<double>());
        // A non-contiguous tensor reads in logical (row-major) order: torch.arange(6.).reshape(2, 3).T.tolist()
        Assert.Equal([0f, 3f, 1f, 4f, 2f, 5f], Tensor.Arange(6.0).Reshape(2, 3).T.ToArray());
        // ToArray() without a type argument is float
        Assert.Equal([1f, 0f], Tensor.From(new[] { true, false }).ToArray());
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void AsSpanExposesTheStorageOfContiguousTensors(BackendKind kind)
    {
        using var scope = Backend.Use(kind);
        var x = Tensor.Arange(6.0).Reshape(2, 3);
        var span = x.AsSpan<float>();
        Assert.Equal([0f, 1f, 2f, 3f, 4f, 5f], span.ToArray());
        span[4] = 40;
        Assert.Equal(40f, x[1, 1].Item<float>());
        // A contiguous view starts at its offset.
        var row = x[1].AsSpan<float>();
        Assert.Equal([3f, 40f, 5f], row.ToArray());
        row[0] = 30;
        Assert.Equal([0f, 1f, 2f, 30f, 40f, 5f], x.ToArray());
        Assert.Equal([7L, 8L], Tensor.From(new[] { 7L, 8L }).AsSpan<long>().ToArray());
        Assert.Equal(0, Tensor.Zeros(0).AsSpan<float>().Length);

        Assert.Throws<InvalidOperationException>(() => x.AsSpan<double>());       // wrong dtype
        Assert.Throws<InvalidOperationException>(() => x.T.AsSpan<float>());      // not contiguous
        Assert.Throws<InvalidOperationException>(() => x[.., 1].AsSpan<float>()); // not contiguous
    }

    // ---- printing ---------------------------------------------------------------------------

    [Theory]
    [MemberData(nameof(Kinds))]
    public void ToStringIsPyTorchsRepr(BackendKind kind)
    {
        using var scope = Backend.Use(kind);
        // x = torch.tensor([[1., 2., 3.], [4., 5., 6.]], dtype=torch.float64, requires_grad=True); repr(...) of each
        var x = Tensor.From(new double[,] { { 1, 2, 3 }, { 4, 5, 6 } }, requiresGrad: true);
        Assert.Equal("tensor([[1., 2., 3.],\n        [4., 5., 6.]], dtype=torch.float64, requires_grad=True)", x.ToString());
        Assert.Equal("tensor([[ 2.,  4.,  6.],\n        [ 8., 10., 12.]], dtype=torch.float64, grad_fn=<MulBackward0>)", (x * 2).ToString());
        Assert.Equal("tensor([[1., 4.],\n        [2., 5.],\n        [3., 6.]], dtype=torch.float64, grad_fn=<PermuteBackward0>)", x.T.ToString());
        Assert.Equal("tensor([4., 5., 6.], dtype=torch.float64, grad_fn=<SelectBackward0>)", x[1].ToString());
        Assert.Equal("tensor([[2., 3.],\n        [5., 6.]], dtype=torch.float64, grad_fn=<SliceBackward0>)", x[.., 1..3].ToString());
        Assert.Equal("tensor([[1., 2.],\n        [3., 4.],\n        [5., 6.]], dtype=torch.float64, grad_fn=<ReshapeAliasBackward0>)", x.Reshape(3, 2).ToString());
        Assert.Equal("tensor([1., 2., 3., 4., 5., 6.], dtype=torch.float64, grad_fn=<ViewBackward0>)", x.View(6).ToString());
        Assert.Equal("tensor([1., 4., 2., 5., 3., 6.], dtype=torch.float64,\n       grad_fn=<UnsafeViewBackward0>)", x.T.Reshape(6).ToString());
        Assert.Equal("tensor(21., dtype=torch.float64, grad_fn=<SumBackward0>)", x.Sum().ToString());
        Assert.Equal("tensor([[[1., 2., 3.],\n         [4., 5., 6.]]], dtype=torch.float64, grad_fn=<UnsqueezeBackward0>)", x.Unsqueeze(0).ToString());
        Assert.Equal("tensor([[[1., 2., 3.],\n         [4., 5., 6.]],\n\n        [[1., 2., 3.],\n         [4., 5., 6.]]], dtype=torch.float64, grad_fn=<ExpandBackward0>)", x.Expand(2, 2, 3).ToString());
        Assert.Equal("tensor([1., 2., 3., 4., 5., 6.], dtype=torch.float64,\n       grad_fn=<ReshapeAliasBackward0>)", x.Flatten().ToString());
        Assert.Equal("tensor([[1., 2., 3.],\n        [4., 5., 6.]], dtype=torch.float64, grad_fn=<SqueezeBackward0>)", x.Squeeze().ToString());
        Assert.Equal("tensor([[1., 4.],\n        [2., 5.],\n        [3., 6.]], dtype=torch.float64, grad_fn=<TransposeBackward0>)", x.Transpose(0, 1).ToString());
        Assert.Equal("tensor([[1., 2.],\n        [4., 5.]], dtype=torch.float64, grad_fn=<SliceBackward0>)", x.Narrow(1, 0, 2).ToString());
        Assert.Equal("tensor([[1., 2., 3.],\n        [4., 5., 6.]], dtype=torch.float64, grad_fn=<CloneBackward0>)", x.Clone().ToString());
        Assert.Equal("tensor([[1., 2., 3.],\n        [4., 5., 6.]], dtype=torch.float64, requires_grad=True)", x.Contiguous().ToString());
        Assert.Equal("tensor([[1., 2., 3.],\n        [4., 5., 6.],\n        [1., 2., 3.],\n        [4., 5., 6.]], dtype=torch.float64, grad_fn=<CatBackward0>)", Tensor.Cat([x, x]).ToString());
        Assert.Equal("tensor([[3., 1.],\n        [6., 4.]], dtype=torch.float64, grad_fn=<IndexSelectBackward0>)", x.IndexSelect(1, Tensor.From(new[] { 2L, 0L })).ToString());
        Assert.Equal("StackBackward0", Tensor.Stack([x, x]).GradFn!.Name);

        // repr(torch.arange(4).sum()), repr(torch.arange(4) > 1), repr(torch.tensor([1, 2]) / 2), repr(torch.tensor([True]) + torch.tensor([True]))
        Assert.Equal("tensor(6)", Tensor.Arange(4).Sum().ToString());
        Assert.Equal("tensor([False, False,  True,  True])", (Tensor.Arange(4) > 1).ToString());
        Assert.Equal("tensor([0.5000, 1.0000])", (Tensor.From(new[] { 1L, 2L }) / 2).ToString());
        Assert.Equal("tensor([True])", (Tensor.From(new[] { true }) + Tensor.From(new[] { true })).ToString());
        // repr(torch.tensor([1., 2.], requires_grad=True).double())
        Assert.Equal("tensor([1., 2.], dtype=torch.float64, grad_fn=<ToCopyBackward0>)", Tensor.From(new[] { 1f, 2f }, requiresGrad: true).To(DType.Float64).ToString());
        // Under no_grad nothing is recorded: with torch.no_grad(): repr(x * 2)
        using (NativeGrad.Autograd.NoGrad())
            Assert.Equal("tensor([[ 2.,  4.,  6.],\n        [ 8., 10., 12.]], dtype=torch.float64)", (x * 2).ToString());
    }
}
