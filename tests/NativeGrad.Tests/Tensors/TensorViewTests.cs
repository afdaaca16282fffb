using NativeGrad.Backends;

namespace NativeGrad.Tests.Tensors;

/// <summary>
/// Views share storage with their base (a write through one is seen through the other) and have
/// PyTorch's sizes, strides and storage offsets; the copying operations do not share. Expected
/// values come from running the same operation in PyTorch 1.13 on
/// <c>torch.arange(24.).reshape(2, 3, 4).clone()</c> (.shape, .stride(), .storage_offset(), whether
/// the storage is the same, how many base elements <c>view.fill_(-1)</c> under no_grad changes, and
/// .is_contiguous()).
/// </summary>
public sealed class TensorViewTests
{
    public sealed record Layout(long[] Shape, long[] Strides, long Offset, bool SharesStorage, int WrittenThrough, bool IsContiguous);

    private static readonly Dictionary<string, Func<Tensor, Tensor>> Operations = new()
    {
        ["Reshape(6, 4)"] = x => x.Reshape(6, 4),
        ["Reshape(-1)"] = x => x.Reshape(-1),
        ["View(4, -1)"] = x => x.View(4, -1),
        ["View(2, 12)"] = x => x.View(2, 12),
        ["Transpose(0, 2)"] = x => x.Transpose(0, 2),
        ["Transpose(-1, 1)"] = x => x.Transpose(-1, 1),
        ["T"] = x => x.T,
        ["Permute(1, 2, 0)"] = x => x.Permute(1, 2, 0),
        ["Unsqueeze(1)"] = x => x.Unsqueeze(1),
        ["Unsqueeze(-1)"] = x => x.Unsqueeze(-1),
        ["Unsqueeze(0).Squeeze()"] = x => x.Unsqueeze(0).Squeeze(),
        ["Unsqueeze(2).Squeeze(2)"] = x => x.Unsqueeze(2).Squeeze(2),
        ["Squeeze(0)"] = x => x.Squeeze(0),
        ["Unsqueeze(1).Expand(2, 5, 3, 4)"] = x => x.Unsqueeze(1).Expand(2, 5, 3, 4),
        ["Select(0, 1).Unsqueeze(0).Expand(3, -1, -1)"] = x => x.Select(0, 1).Unsqueeze(0).Expand(3, -1, -1),
        ["Flatten()"] = x => x.Flatten(),
        ["Flatten(1)"] = x => x.Flatten(1),
        ["Flatten(0, 1)"] = x => x.Flatten(0, 1),
        ["Slice(2, 1, 3)"] = x => x.Slice(2, 1, 3),
        ["Slice(1, null, null, 2)"] = x => x.Slice(1, null, null, 2),
        ["Slice(2, -3, null, 2)"] = x => x.Slice(2, -3, null, 2),
        ["Select(1, 2)"] = x => x.Select(1, 2),
        ["Select(-1, -1)"] = x => x.Select(-1, -1),
        ["Narrow(2, 1, 2)"] = x => x.Narrow(2, 1, 2),
        ["Narrow(1, -2, 2)"] = x => x.Narrow(1, -2, 2),
        ["x[1]"] = x => x[1],
        ["x[.., 0]"] = x => x[.., 0],
        ["x[1..3]"] = x => x[1..3],
        ["x[0, 1..3]"] = x => x[0, 1..3],
        ["x[.., .., 1..^1]"] = x => x[.., .., 1..^1],
        ["x[Slice(0, null, 2)]"] = x => x[TensorIndex.Slice(0, null, 2)],
        ["x[.., Slice(null, null, 2), 1]"] = x => x[.., TensorIndex.Slice(null, null, 2), 1],
        ["x[Ellipsis, 0]"] = x => x[TensorIndex.Ellipsis, 0],
        ["x[0, Ellipsis]"] = x => x[0, TensorIndex.Ellipsis],
        ["x[NewAxis]"] = x => x[TensorIndex.NewAxis],
        ["x[.., NewAxis, 1]"] = x => x[.., TensorIndex.NewAxis, 1],
        ["x[Ellipsis, NewAxis]"] = x => x[TensorIndex.Ellipsis, TensorIndex.NewAxis],
        ["x[1, Ellipsis, NewAxis, 2]"] = x => x[1, TensorIndex.Ellipsis, TensorIndex.NewAxis, 2],
        ["Transpose(0, 1)[1]"] = x => x.Transpose(0, 1)[1],
        ["T.Reshape(4, 6)"] = x => x.T.Reshape(4, 6),
        ["Transpose(1, 2).Reshape(2, 12)"] = x => x.Transpose(1, 2).Reshape(2, 12),
        ["Slice(2, 0, 2).Reshape(2, 6)"] = x => x.Slice(2, 0, 2).Reshape(2, 6),
        ["Slice(2, 0, 2).Reshape(6, 2)"] = x => x.Slice(2, 0, 2).Reshape(6, 2),
        ["Contiguous() of Transpose(0, 2)"] = x => x.Transpose(0, 2).Contiguous(),
        ["Contiguous()"] = x => x.Contiguous(),
        ["Clone()"] = x => x.Clone(),
        ["IndexSelect(1, [2, 0])"] = x => x.IndexSelect(1, Tensor.From([2L, 0])),
        ["Cat([x, x], 0)"] = x => Tensor.Cat([x, x], 0),
        ["Stack([x, x], 1)"] = x => Tensor.Stack([x, x], 1),
    };

    // From PyTorch: y = op(x); (list(y.shape), list(y.stride()), y.storage_offset(), same storage, (x == -1).sum() after y.fill_(-1), y.is_contiguous()).
    private static readonly Dictionary<string, Layout> Expected = new()
    {
        ["Reshape(6, 4)"] = new([6, 4], [4, 1], 0, true, 24, true),
        ["Reshape(-1)"] = new([24], [1], 0, true, 24, true),
        ["View(4, -1)"] = new([4, 6], [6, 1], 0, true, 24, true),
        ["View(2, 12)"] = new([2, 12], [12, 1], 0, true, 24, true),
        ["Transpose(0, 2)"] = new([4, 3, 2], [1, 4, 12], 0, true, 24, false),
        ["Transpose(-1, 1)"] = new([2, 4, 3], [12, 1, 4], 0, true, 24, false),
        ["T"] = new([4, 3, 2], [1, 4, 12], 0, true, 24, false),
        ["Permute(1, 2, 0)"] = new([3, 4, 2], [4, 1, 12], 0, true, 24, false),
        ["Unsqueeze(1)"] = new([2, 1, 3, 4], [12, 12, 4, 1], 0, true, 24, true),
        ["Unsqueeze(-1)"] = new([2, 3, 4, 1], [12, 4, 1, 1], 0, true, 24, true),
        ["Unsqueeze(0).Squeeze()"] = new([2, 3, 4], [12, 4, 1], 0, true, 24, true),
        ["Unsqueeze(2).Squeeze(2)"] = new([2, 3, 4], [12, 4, 1], 0, true, 24, true),
        ["Squeeze(0)"] = new([2, 3, 4], [12, 4, 1], 0, true, 24, true),
        ["Unsqueeze(1).Expand(2, 5, 3, 4)"] = new([2, 5, 3, 4], [12, 0, 4, 1], 0, true, 24, false),
        ["Select(0, 1).Unsqueeze(0).Expand(3, -1, -1)"] = new([3, 3, 4], [0, 4, 1], 12, true, 12, false),
        ["Flatten()"] = new([24], [1], 0, true, 24, true),
        ["Flatten(1)"] = new([2, 12], [12, 1], 0, true, 24, true),
        ["Flatten(0, 1)"] = new([6, 4], [4, 1], 0, true, 24, true),
        ["Slice(2, 1, 3)"] = new([2, 3, 2], [12, 4, 1], 1, true, 12, false),
        ["Slice(1, null, null, 2)"] = new([2, 2, 4], [12, 8, 1], 0, true, 16, false),
        ["Slice(2, -3, null, 2)"] = new([2, 3, 2], [12, 4, 2], 1, true, 12, false),
        ["Select(1, 2)"] = new([2, 4], [12, 1], 8, true, 8, false),
        ["Select(-1, -1)"] = new([2, 3], [12, 4], 3, true, 6, false),
        ["Narrow(2, 1, 2)"] = new([2, 3, 2], [12, 4, 1], 1, true, 12, false),
        ["Narrow(1, -2, 2)"] = new([2, 2, 4], [12, 4, 1], 4, true, 16, false),
        ["x[1]"] = new([3, 4], [4, 1], 12, true, 12, true),
        ["x[.., 0]"] = new([2, 4], [12, 1], 0, true, 8, false),
        ["x[1..3]"] = new([1, 3, 4], [12, 4, 1], 12, true, 12, true),
        ["x[0, 1..3]"] = new([2, 4], [4, 1], 4, true, 8, true),
        ["x[.., .., 1..^1]"] = new([2, 3, 2], [12, 4, 1], 1, true, 12, false),
        ["x[Slice(0, null, 2)]"] = new([1, 3, 4], [24, 4, 1], 0, true, 12, true),
        ["x[.., Slice(null, null, 2), 1]"] = new([2, 2], [12, 8], 1, true, 4, false),
        ["x[Ellipsis, 0]"] = new([2, 3], [12, 4], 0, true, 6, false),
        ["x[0, Ellipsis]"] = new([3, 4], [4, 1], 0, true, 12, true),
        ["x[NewAxis]"] = new([1, 2, 3, 4], [24, 12, 4, 1], 0, true, 24, true),
        ["x[.., NewAxis, 1]"] = new([2, 1, 4], [12, 12, 1], 4, true, 8, false),
        ["x[Ellipsis, NewAxis]"] = new([2, 3, 4, 1], [12, 4, 1, 1], 0, true, 24, true),
        ["x[1, Ellipsis, NewAxis, 2]"] = new([3, 1], [4, 4], 14, true, 3, false),
        ["Transpose(0, 1)[1]"] = new([2, 4], [12, 1], 4, true, 8, false),
        ["T.Reshape(4, 6)"] = new([4, 6], [6, 1], 0, false, 0, true),
        ["Transpose(1, 2).Reshape(2, 12)"] = new([2, 12], [12, 1], 0, false, 0, true),
        ["Slice(2, 0, 2).Reshape(2, 6)"] = new([2, 6], [6, 1], 0, false, 0, true),
        ["Slice(2, 0, 2).Reshape(6, 2)"] = new([6, 2], [4, 1], 0, true, 12, false),
        ["Contiguous() of Transpose(0, 2)"] = new([4, 3, 2], [6, 2, 1], 0, false, 0, true),
        ["Contiguous()"] = new([2, 3, 4], [12, 4, 1], 0, true, 24, true),
        ["Clone()"] = new([2, 3, 4], [12, 4, 1], 0, false, 0, true),
        ["IndexSelect(1, [2, 0])"] = new([2, 2, 4], [8, 4, 1], 0, false, 0, true),
        ["Cat([x, x], 0)"] = new([4, 3, 4], [12, 4, 1], 0, false, 0, true),
        ["Stack([x, x], 1)"] = new([2, 2, 3, 4], [24, 12, 4, 1], 0, false, 0, true),
    };

    public static TheoryData<BackendKind, string> Cases()
    {
        var data = new TheoryData<BackendKind, string>();
        foreach (var kind in Enum.GetValues<BackendKind>())
            foreach (var name in Operations.Keys)
                data.Add(kind, name);
        return data;
    }

    public static TheoryData<BackendKind> Kinds => new() { BackendKind.Native, BackendKind.Managed };

    private static Tensor Base() => Tensor.Arange(24.0).Reshape(2, 3, 4).Clone();

    [Fact]
    public void EveryOperationHasAnExpectedLayout() => Assert.Equal(Operations.Keys.Order(), Expected.Keys.Order());

    [Theory]
    [MemberData(nameof(Cases))]
    public void ShapeStridesOffsetAndSharingMatchPyTorch(BackendKind kind, string name)
    {
        using var scope = Backend.Use(kind);
        var x = Base();
        var y = Operations[name](x);
        var expected = Expected[name];
        Assert.Equal(expected.Shape, y.Shape);
        Assert.Equal(expected.Strides, y.Strides);
        Assert.Equal(expected.Offset, y.offset);
        Assert.Equal(expected.SharesStorage, ReferenceEquals(x.storage, y.storage));
        Assert.Equal(expected.IsContiguous, y.IsContiguous);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void AWriteThroughTheResultReachesTheBaseExactlyWhenItIsAView(BackendKind kind, string name)
    {
        using var scope = Backend.Use(kind);
        var x = Base();
        var before = x.ToArray();
        var y = Operations[name](x);
        using (NativeGrad.Autograd.NoGrad())
            Assert.Same(y, y.Fill_(-1));
        Assert.All(y.ToArray(), v => Assert.Equal(-1f, v));
        var after = x.ToArray();
        Assert.Equal(Expected[name].WrittenThrough, after.Count(v => v == -1f));
        // Whatever was not written keeps its value.
        for (int i = 0; i < after.Length; i++)
            if (after[i] != -1f) Assert.Equal(before[i], after[i]);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void AddThroughViewsAndIndexersUpdatesTheBase(BackendKind kind)
    {
        using var scope = Backend.Use(kind);
        var x = Tensor.Arange(6.0).Reshape(2, 3).Clone();
        x[1].Add_(10);                                  // x[1] += 10
        x[.., 0].Mul_(-1);                              // x[:, 0] *= -1
        x.T[2].Sub_(Tensor.From([100f, 200f]));         // x.T[2] -= tensor([100., 200.])
        x[TensorIndex.Ellipsis, 1].Add_(Tensor.From(0.5f)); // x[..., 1] += tensor(0.5)
        x.Reshape(6).Narrow(0, 1, 1).Div_(2);           // x.reshape(6).narrow(0, 1, 1) /= 2
        // PyTorch, the same five steps: [[-0.0, 0.75, -98.0], [-13.0, 14.5, -185.0]]
        Assert.Equal([-0f, 0.75f, -98f, -13f, 14.5f, -185f], x.ToArray());
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void AWriteToTheBaseIsSeenThroughAnExpandedView(BackendKind kind)
    {
        using var scope = Backend.Use(kind);
        var column = Tensor.From([1f, 2f]).Reshape(2, 1);
        var expanded = column.Expand(2, 3);
        column.Mul_(10);
        Assert.Equal([10f, 10f, 10f, 20f, 20f, 20f], expanded.ToArray());
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void CopiesDoNotShareWrites(BackendKind kind)
    {
        using var scope = Backend.Use(kind);
        var x = Tensor.Arange(6.0).Reshape(2, 3).Clone();
        Tensor[] copies =
        [
            x.T.Contiguous(),
            x.Clone(),
            x.IndexSelect(0, Tensor.From([1L, 0])),
            Tensor.Cat([x, x]),
            Tensor.Stack([x, x]),
            x.T.Reshape(6),
        ];
        foreach (var copy in copies) copy.Fill_(-1);
        Assert.Equal([0f, 1f, 2f, 3f, 4f, 5f], x.ToArray());
        // Nor do writes to the base reach the copies.
        var clone = x.Clone();
        x.Zero_();
        Assert.Equal([0f, 1f, 2f, 3f, 4f, 5f], clone.ToArray());
    }

    [Fact]
    public void ContiguousOfAContiguousTensorIsTheTensorItself()
    {
        // torch: x.contiguous() is x -> True; x.t().contiguous() is x.t() -> False (a copy)
        var x = Tensor.Zeros(2, 3);
        Assert.Same(x, x.Contiguous());
        var t = x.T;
        Assert.False(t.IsContiguous);
        var copy = t.Contiguous();
        Assert.NotSame(t, copy);
        Assert.True(copy.IsContiguous);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void ViewOfANonViewableTensorThrowsAndReshapeCopies(BackendKind kind)
    {
        using var scope = Backend.Use(kind);
        var x = Tensor.Arange(6.0).Reshape(2, 3).Clone();
        // torch: x.t().view(6) -> RuntimeError
        var error = Assert.Throws<InvalidOperationException>(() => x.T.View(6));
        Assert.Equal("view size is not compatible with input tensor's size and stride (at least one dimension spans across two contiguous subspaces). Use .reshape(...) instead.", error.Message);
        // x.t().reshape(6) -> tensor([0., 3., 1., 4., 2., 5.]), a copy with strides (1,)
        var reshaped = x.T.Reshape(6);
        Assert.Equal([0f, 3f, 1f, 4f, 2f, 5f], reshaped.ToArray());
        Assert.Equal([1L], reshaped.Strides);
        Assert.False(ReferenceEquals(x.storage, reshaped.storage));
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void ViewsReadTheRightElements(BackendKind kind)
    {
        using var scope = Backend.Use(kind);
        var x = Base();
        // PyTorch's .tolist() of the same views of torch.arange(24.).reshape(2, 3, 4)
        Assert.Equal([1f, 5f, 9f, 13f, 17f, 21f], x[.., .., 1].Reshape(6).ToArray());
        Assert.Equal([0f, 12f, 4f, 16f, 8f, 20f], x.Select(2, 0).T.Reshape(6).ToArray());
        Assert.Equal([18f, 22f], x[1, 1..3, 2].ToArray());
        Assert.Equal([3f, 7f], x[0, 0..2, TensorIndex.Slice(-1)].ToArray());
        Assert.Equal([15f, 19f, 23f], x.Permute(2, 1, 0)[3, .., 1].ToArray());
        Assert.Equal([1f, 3f, 9f, 11f, 13f, 15f, 21f, 23f], x[.., TensorIndex.Slice(null, null, 2), TensorIndex.Slice(1, 4, 2)].ToArray());
        Assert.Equal([2f, 14f, 6f, 18f, 10f, 22f], x.Transpose(0, 1)[TensorIndex.Ellipsis, TensorIndex.NewAxis, 2].ToArray());
    }
}

