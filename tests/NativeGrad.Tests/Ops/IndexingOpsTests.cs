using NativeGrad.Backends;

namespace NativeGrad.Tests.Ops;

/// <summary>
/// The indexing and shape ops of issue 10 (values and errors against PyTorch live in
/// tests/data/parity/shape): float64 GradCheck of every backward rule, and gradgradcheck of each
/// op's output squared, so that the rule's own graph (createGraph) is differentiated too.
/// </summary>
public class IndexingOpsTests
{
    private static Tensor Leaf(params long[] shape) => Tensor.Randn(shape, DType.Float64).RequiresGrad_();

    private static Tensor Longs(params long[] values) => Tensor.From(values);

    private static readonly Tensor Mask = Tensor.FromArray(new[] { true, false, true, false, false, true }, 2, 3);

    // Each op as a function of float64 leaves, with the leaves to check it at (made on the backend under test).
    internal static readonly Dictionary<string, (Func<Tensor[], Tensor> Op, Func<Tensor[]> Inputs)> Ops = new()
    {
        ["Gather"] = (t => t[0].Gather(1, Tensor.FromArray(new long[] { 2, 0, 0, 1, 1, 1 }, 2, 3)), () => [Leaf(2, 3)]),
        ["Scatter"] = (t => t[0].Scatter(0, Tensor.FromArray(new long[] { 1, 0, 2 }, 1, 3), t[1]), () => [Leaf(3, 3), Leaf(1, 3)]),
        ["Scatter value"] = (t => t[0].Scatter(-1, Tensor.FromArray(new long[] { 1, 0 }, 2, 1), 4.0), () => [Leaf(2, 3)]),
        ["ScatterAdd"] = (t => t[0].ScatterAdd(0, Tensor.FromArray(new long[] { 1, 1, 0, 1 }, 2, 2), t[1]), () => [Leaf(2, 2), Leaf(3, 2)]),
        ["IndexAdd"] = (t => t[0].IndexAdd(0, Longs(2, 0, 2), t[1], alpha: 1.5), () => [Leaf(3, 2), Leaf(3, 2)]),
        ["IndexPut"] = (t => t[0].IndexPut([Longs(1, 0)], t[1]), () => [Leaf(3, 2), Leaf(2)]),
        ["IndexPut accumulate"] = (t => t[0].IndexPut([Longs(1, 1), Longs(0, -1)], t[1], accumulate: true), () => [Leaf(3, 2), Leaf(2)]),
        ["Index"] = (t => t[0][Longs(2, 0, 2)], () => [Leaf(3, 2)]),
        ["Index by mask"] = (t => t[0][Mask], () => [Leaf(2, 3)]),
        ["MaskedFill"] = (t => t[0].MaskedFill(Mask, 2.0), () => [Leaf(2, 3)]),
        ["MaskedFill tensor"] = (t => t[0].MaskedFill(Mask, t[1]), () => [Leaf(2, 3), Leaf()]),
        ["MaskedSelect"] = (t => t[0].MaskedSelect(Mask), () => [Leaf(1, 3)]),
        ["Take"] = (t => t[0].T.Take(Longs(0, 5, -1, 0)), () => [Leaf(2, 3)]),
        ["Chunk"] = (t => t[0].Chunk(2, 1)[1], () => [Leaf(2, 3)]),
        ["Split"] = (t => t[0].Split(2)[0] * t[0].Split([1, 2])[1][..2], () => [Leaf(3, 2)]),
        ["Unbind"] = (t => t[0].Unbind(-1)[1], () => [Leaf(2, 3)]),
        ["Repeat"] = (t => t[0].Repeat(2, 1, 3), () => [Leaf(2, 2)]),
        ["Tile"] = (t => t[0].Tile(2), () => [Leaf(2, 2)]),
        ["Flip"] = (t => t[0].Flip(0, -1), () => [Leaf(2, 3)]),
        ["Roll"] = (t => t[0].Roll([1, -2], 1, 0), () => [Leaf(3, 2)]),
        ["Roll flat"] = (t => t[0].Roll([4]), () => [Leaf(3, 2)]),
        ["Tril"] = (t => t[0].Tril(-1), () => [Leaf(3, 3)]),
        ["Triu"] = (t => t[0].Triu(1), () => [Leaf(2, 3, 3)]),
        ["Diag of a vector"] = (t => t[0].Diag(1), () => [Leaf(3)]),
        ["Diag of a matrix"] = (t => t[0].Diag(-1), () => [Leaf(3, 3)]),
        ["Diagonal"] = (t => t[0].Diagonal(1, 0, -1), () => [Leaf(3, 2, 4)]),
        ["Movedim"] = (t => t[0].Movedim([0, 1], [2, 0]), () => [Leaf(2, 3, 1)]),
    };

    public static TheoryData<BackendKind, string> Cases()
    {
        var data = new TheoryData<BackendKind, string>();
        foreach (var backend in new[] { BackendKind.Native, BackendKind.Managed })
            foreach (var name in Ops.Keys) data.Add(backend, name);
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void GradientMatchesFiniteDifferences(BackendKind backend, string op)
    {
        using var scope = Backend.Use(backend);
        Tensor.ManualSeed(10);
        Assert.True(NativeGrad.Autograd.GradCheck(Ops[op].Op, Ops[op].Inputs()));
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void SecondOrderGradientMatchesFiniteDifferences(BackendKind backend, string op)
    {
        using var scope = Backend.Use(backend);
        Tensor.ManualSeed(11);
        var inputs = Ops[op].Inputs();
        Assert.True(NativeGrad.Autograd.GradCheck(t =>
        {
            using var enabled = NativeGrad.Autograd.EnableGrad();
            var output = Ops[op].Op(t).Pow(2L);
            var grads = NativeGrad.Autograd.Grad([output.Sum()], t, createGraph: true);
            return Tensor.Cat(grads.Select(g => g!.Reshape(-1)).ToArray());
        }, inputs));
    }

    [Theory]
    [InlineData(BackendKind.Native)]
    [InlineData(BackendKind.Managed)]
    public void ViewsShareStorageAndCopiesDoNot(BackendKind backend)
    {
        using var scope = Backend.Use(backend);
        var x = Tensor.Arange(6L).Reshape(2, 3);
        var diagonal = x.Diagonal();
        var piece = x.Chunk(3, 1)[1];
        var row = x.Unbind()[1];
        var moved = x.Movedim(0, 1);
        var flipped = x.Flip(0);
        x.Fill_(7);
        Assert.Equal(new long[] { 7, 7 }, diagonal.ToArray<long>());
        Assert.Equal(new long[] { 7, 7 }, piece.ToArray<long>());
        Assert.Equal(new long[] { 7, 7, 7 }, row.ToArray<long>());
        Assert.Equal(7, moved[0, 1].Item<long>());
        Assert.Equal(new long[] { 3, 4, 5, 0, 1, 2 }, flipped.ToArray<long>());
    }

    [Fact]
    public void IteratingRowsRecordsUnbind()
    {
        var x = Tensor.Randn([2, 3]).RequiresGrad_();
        Assert.All(x, row => Assert.Equal("UnbindBackward0", row.GradFn!.Name));
    }
}
