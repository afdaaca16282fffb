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
        ["IndexFill"] = (t => t[0].IndexFill(1, Longs(2, 0, 2), -1.0), () => [Leaf(2, 3)]),
        ["IndexFill tensor"] = (t => t[0].IndexFill(0, Longs(1, -1, 1), t[1]), () => [Leaf(3, 2), Leaf()]),
        // The in-place variants on a clone (a leaf cannot be written) and on rows of a non-leaf (CopySlices).
        ["Scatter_"] = (t => t[0].Clone().Scatter_(0, Tensor.FromArray(new long[] { 1, 0, 2 }, 1, 3), t[1]), () => [Leaf(3, 3), Leaf(1, 3)]),
        ["ScatterAdd_ on rows"] = (t => RowsWritten(t[0], rows => rows.ScatterAdd_(1, Tensor.FromArray(new long[] { 0, 0, 2, 1 }, 2, 2), t[1])), () => [Leaf(3, 3), Leaf(2, 2)]),
        ["IndexAdd_"] = (t => t[0].Clone().IndexAdd_(1, Longs(0, 0), t[1], alpha: -2), () => [Leaf(2, 3), Leaf(2, 2)]),
        ["IndexFill_ on rows"] = (t => RowsWritten(t[0], rows => rows.IndexFill_(1, Longs(1), t[1])), () => [Leaf(3, 2), Leaf()]),
        ["MaskedFill_"] = (t => t[0].Clone().MaskedFill_(Mask, t[1]), () => [Leaf(2, 3), Leaf()]),
        ["MaskedFill_ on rows"] = (t => RowsWritten(t[0], rows => rows.MaskedFill_(Mask[..1], 0.5)), () => [Leaf(3, 3)]),
        ["Index mixed with a slice"] = (t => t[0][Longs(2, 0, 2), 1..], () => [Leaf(3, 3)]),
        ["Index apart"] = (t => t[0][Longs(1, 0), .., Tensor.FromArray(new long[] { 2, 0 }, 2, 1)], () => [Leaf(2, 2, 3)]),
        ["Assigned through a mixed index"] = (t => { var y = t[0] * 1L; y[Longs(2, 0), ..2] = t[1]; return y; }, () => [Leaf(3, 3), Leaf(2)]),
        ["IndexPut_ accumulate"] = (t => t[0].Clone().IndexPut_([Longs(2, 2, 0)], t[1], accumulate: true), () => [Leaf(3, 2), Leaf(3, 2)]),
    };

    // y = x * 1 with rows 1: written in place through a view: y's node is CopySlices.
    private static Tensor RowsWritten(Tensor x, Action<Tensor> write)
    {
        var y = x * 1L;
        write(y[1..]);
        return y;
    }

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

    // torch 1.13: each of these on y = x.clone() leaves y._version == 1, and on a view v of y = x * 1
    // both y._version and v._version are 1.
    [Fact]
    public void InPlaceIndexingOpsBumpTheVersionOnce()
    {
        var x = Tensor.Randn([3, 4], requiresGrad: true);
        var (index, src, mask) = (Tensor.FromArray(new long[] { 0, 1, 2, 0 }, 1, 4), Tensor.Randn([1, 4]), Tensor.From([true, false, true, false]));
        Action<Tensor>[] ops =
        [
            y => y.Scatter_(0, index, src), y => y.Scatter_(0, index, 1.0), y => y.ScatterAdd_(0, index, src),
            y => y.IndexAdd_(0, Longs(1), src), y => y.IndexFill_(1, Longs(0, 0), 2.0), y => y.MaskedFill_(mask, 1.0),
            y => y.IndexPut_([Longs(0)], Tensor.From(1f), accumulate: true),
        ];
        foreach (var op in ops)
        {
            var y = x.Clone();
            op(y);
            Assert.Equal(1, y.Version);
        }
        var z = x * 1;
        var view = z[1..];
        view.MaskedFill_(mask, 3.0);
        Assert.Equal((1, 1), (z.Version, view.Version));
    }

    [Fact]
    public void IteratingRowsRecordsUnbind()
    {
        var x = Tensor.Randn([2, 3]).RequiresGrad_();
        Assert.All(x, row => Assert.Equal("UnbindBackward0", row.GradFn!.Name));
    }
}
