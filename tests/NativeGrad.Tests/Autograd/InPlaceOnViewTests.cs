using NativeGrad.Backends;

namespace NativeGrad.Tests.Autograd;

/// <summary>In-place ops on views and index assignment, recorded as PyTorch records them (expected values from torch 1.13).</summary>
public class InPlaceOnViewTests
{
    public static TheoryData<BackendKind> Kinds => [BackendKind.Native, BackendKind.Managed];

    [Theory]
    [MemberData(nameof(Kinds))]
    public void An_in_place_op_on_a_slice_rewrites_the_base_history(BackendKind kind)
    {
        using var scope = Backend.Use(kind);
        var x = Tensor.From([1f, 2f, 3f], requiresGrad: true);
        var y = x * 1;
        var v = y[..2];
        v.Mul_(2);
        Assert.Equal("tensor([2., 4.], grad_fn=<AsStridedBackward0>)", v.ToString());
        Assert.Equal("tensor([2., 4., 3.], grad_fn=<CopySlices>)", y.ToString());
        y.Sum().Backward();
        Assert.Equal("tensor([2., 2., 1.])", x.Grad!.ToString());
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void A_column_updated_from_another_tensor(BackendKind kind)
    {
        using var scope = Backend.Use(kind);
        var x = Tensor.From(new[,] { { 1f, 2f }, { 3f, 4f } }, requiresGrad: true);
        var y = x * 2;
        y[.., 1].Add_(x[.., 0]);
        (y * y).Sum().Backward();
        Assert.Equal("tensor([[ 2.,  5.],\n        [ 6., 11.]], grad_fn=<CopySlices>)", y.ToString());
        Assert.Equal("tensor([[18., 20.],\n        [46., 44.]])", x.Grad!.ToString());
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void An_in_place_op_on_a_transposed_view(BackendKind kind)
    {
        using var scope = Backend.Use(kind);
        var x = Tensor.From(new[,] { { 1f, 2f, 3f }, { 4f, 5f, 6f } }, requiresGrad: true);
        var y = x * 1;
        y.T[0].Mul_(10);
        (y * y).Sum().Backward();
        Assert.Equal("tensor([[10.,  2.,  3.],\n        [40.,  5.,  6.]], grad_fn=<CopySlices>)", y.ToString());
        Assert.Equal("tensor([[200.,   4.,   6.],\n        [800.,  10.,  12.]])", x.Grad!.ToString());
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Assigning_a_slice_records_copy_slices(BackendKind kind)
    {
        using var scope = Backend.Use(kind);
        var w = Tensor.From([5f, 6f], requiresGrad: true);
        var z = Tensor.Zeros(3);
        z[1..] = w;
        Assert.Equal("tensor([0., 5., 6.], grad_fn=<CopySlices>)", z.ToString());
        (z * Tensor.From([1f, 2f, 3f])).Sum().Backward();
        Assert.Equal("tensor([2., 3.])", w.Grad!.ToString());

        var leaf = Tensor.From(new[,] { { 1f, 2f }, { 3f, 4f } }, requiresGrad: true);
        var y = leaf * 1;
        y[0] = Tensor.From(7f);
        Assert.Equal("tensor([[7., 7.],\n        [3., 4.]], grad_fn=<CopySlices>)", y.ToString());
        y.Sum().Backward();
        Assert.Equal("tensor([[0., 0.],\n        [1., 1.]])", leaf.Grad!.ToString());
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Assigning_through_a_mask_is_index_put(BackendKind kind)
    {
        using var scope = Backend.Use(kind);
        var m0 = Tensor.From([1f, -2f, 3f], requiresGrad: true);
        var m = m0 * 2;
        m[m < 0] = Tensor.From(0f);
        Assert.Equal("tensor([2., 0., 6.], grad_fn=<IndexPutBackward0>)", m.ToString());
        m.Sum().Backward();
        Assert.Equal("tensor([2., 0., 2.])", m0.Grad!.ToString());

        var t = Tensor.Zeros(2, 3);
        t[.., 1] = Tensor.From([1f, 2f]);
        Assert.Equal("tensor([[0., 1., 0.],\n        [0., 2., 0.]])", t.ToString());
    }

    // torch 1.13: x = torch.tensor([1., 2., 3., 4.], requires_grad=True); y = x * 1; a = y[:2]; b = y[2:]
    // a.mul_(3); print(b, b.grad_fn.next_functions[0][0], y); (a * b).sum().backward(); print(x.grad)
    [Theory]
    [MemberData(nameof(Kinds))]
    public void A_view_taken_before_another_view_was_written_regenerates_its_grad_fn(BackendKind kind)
    {
        using var scope = Backend.Use(kind);
        var x = Tensor.From([1f, 2f, 3f, 4f], requiresGrad: true);
        var y = x * 1;
        var (a, b) = (y[..2], y[2..]);
        a.Mul_(3);
        Assert.Equal("tensor([3., 4.], grad_fn=<AsStridedBackward0>)", b.ToString());
        Assert.Equal("CopySlices", b.GradFn!.NextFunctions[0]!.Name);
        Assert.Equal("tensor([3., 6., 3., 4.], grad_fn=<CopySlices>)", y.ToString());
        (a * b).Sum().Backward();
        Assert.Equal("tensor([ 9., 12.,  3.,  6.])", x.Grad!.ToString());
    }

    // torch 1.13: x = torch.tensor([1., 2., 3.], requires_grad=True); v = x[:2]
    // with torch.no_grad(): x.mul_(2);  print(v, v.grad_fn.next_functions[0][0]); (v * v).sum().backward()
    [Theory]
    [MemberData(nameof(Kinds))]
    public void A_view_of_a_leaf_changed_under_no_grad_regenerates_its_grad_fn(BackendKind kind)
    {
        using var scope = Backend.Use(kind);
        var x = Tensor.From([1f, 2f, 3f], requiresGrad: true);
        var v = x[..2];
        Assert.Equal("SliceBackward0", v.GradFn!.Name);
        using (NativeGrad.Autograd.NoGrad()) x.Mul_(2);
        Assert.Equal("tensor([2., 4.], grad_fn=<AsStridedBackward0>)", v.ToString());
        Assert.Equal("AccumulateGrad", v.GradFn!.NextFunctions[0]!.Name);
        (v * v).Sum().Backward();
        Assert.Equal("tensor([4., 8., 0.])", x.Grad!.ToString());
    }

    // The regenerated AsStridedBackward0 of the views taken before the write, to second order.
    [Theory]
    [MemberData(nameof(Kinds))]
    public void Regenerated_view_histories_match_finite_differences(BackendKind kind)
    {
        using var scope = Backend.Use(kind);
        Tensor.ManualSeed(6);
        static Tensor F(Tensor[] t)
        {
            var y = t[0] * 1;
            var (first, last) = (y[0], y[2..]);
            y[1..].Mul_(t[1]);
            return first * last.Sum(0) + y.Pow(2L).Sum(0);
        }
        Tensor[] inputs = [Tensor.Randn([3, 2], DType.Float64).RequiresGrad_(), Tensor.Randn([2], DType.Float64).RequiresGrad_()];
        Assert.True(NativeGrad.Autograd.GradCheck(F, inputs));
        Assert.True(NativeGrad.Autograd.GradCheck(t =>
        {
            using var enabled = NativeGrad.Autograd.EnableGrad();
            var grads = NativeGrad.Autograd.Grad([F(t).Pow(2L).Sum()], t, createGraph: true);
            return Tensor.Cat(grads.Select(g => g!.Reshape(-1)).ToArray());
        }, inputs));
    }

    [Fact]
    public void A_view_of_a_leaf_that_requires_grad_is_refused()
    {
        var x = Tensor.From([1f, 2f, 3f], requiresGrad: true);
        var error = Assert.Throws<InvalidOperationException>(() => x[..2].Mul_(2));
        Assert.Equal("a view of a leaf Variable that requires grad is being used in an in-place operation.", error.Message);
        Assert.Equal([1f, 2f, 3f], x.ToArray());
    }

    [Fact]
    public void Writing_into_an_expanded_view_is_refused()
    {
        var error = Assert.Throws<InvalidOperationException>(() => Tensor.Zeros(1).Expand(3).Add_(1));
        Assert.Equal("unsupported operation: more than one element of the written-to tensor refers to a single memory location. Please clone() the tensor before performing the operation.", error.Message);
    }
}
