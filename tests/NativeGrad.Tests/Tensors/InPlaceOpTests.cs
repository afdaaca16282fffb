using NativeGrad.Backends;

namespace NativeGrad.Tests.Tensors;

/// <summary>
/// In-place ops against PyTorch 1.13: results, dtypes, version counters, and how autograd records
/// them or refuses them. Where the expected values come from: <see cref="TensorApiTestBase"/>.
/// </summary>
public sealed class InPlaceOpTests : TensorApiTestBase
{
    [Theory]
    [MemberData(nameof(Kinds))]
    public void InPlaceArithmeticReturnsTheSameTensorAndBumpsTheVersion(BackendKind kind)
    {
        using var scope = Backend.Use(kind);
        var x = Tensor.From(new float[,] { { 1, 2, 3 }, { 4, 5, 6 } });
        var view = x[1];
        int version = x.Version;
        // The PyTorch results of the same sequence of in-place ops on torch.tensor([[1., 2., 3.], [4., 5., 6.]]):
        Step(() => x.Add_(Tensor.From(new[] { 10f, 20f, 30f })), [11, 22, 33, 14, 25, 36]);
        Step(() => x.Sub_(1), [10, 21, 32, 13, 24, 35]);
        Step(() => x.Mul_(Tensor.From(new float[,] { { 2 }, { 3 } })), [20, 42, 64, 39, 72, 105]);
        Step(() => x.Div_(4), [5, 10.5f, 16, 9.75f, 18, 26.25f]);
        Step(() => x.Sub_(Tensor.From(0.5f)), [4.5f, 10, 15.5f, 9.25f, 17.5f, 25.75f]);
        Step(() => x.Mul_(-1), [-4.5f, -10, -15.5f, -9.25f, -17.5f, -25.75f]);
        Step(() => x.Div_(Tensor.From(new[] { 1f, 2f, 4f })), [-4.5f, -5, -3.875f, -9.25f, -8.75f, -6.4375f]);
        Step(() => x.Add_(2.5), [-2, -2.5f, -1.375f, -6.75f, -6.25f, -3.9375f]);
        // A view shares the version counter with its base.
        Assert.Equal(x.Version, view.Version);
        view.Zero_();
        Assert.Equal(version + 9, x.Version);
        Assert.Equal([-2f, -2.5f, -1.375f, 0f, 0f, 0f], x.ToArray());

        void Step(Func<Tensor> op, float[] expected)
        {
            int before = x.Version;
            Assert.Same(x, op());
            Assert.Equal(expected, x.ToArray());
            Assert.Equal(before + 1, x.Version);
        }
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void InPlaceOpsKeepTheirDType(BackendKind kind)
    {
        using var scope = Backend.Use(kind);
        // i = torch.tensor([1, 2, 3]); i.add_(2) -> [3, 4, 5]; i.mul_(torch.tensor([2])) -> [6, 8, 10];
        // i.sub_(torch.tensor(1)) -> [5, 7, 9]; i.add_(torch.tensor([True, False, True])) -> [6, 7, 10]
        var i = Tensor.From(new[] { 1L, 2L, 3L });
        Assert.Equal([3L, 4L, 5L], i.Add_(2).ToArray<long>());
        Assert.Equal([6L, 8L, 10L], i.Mul_(Tensor.From(new[] { 2L })).ToArray<long>());
        Assert.Equal([5L, 7L, 9L], i.Sub_(Tensor.From(1L)).ToArray<long>());
        Assert.Equal([6L, 7L, 10L], i.Add_(Tensor.From(new[] { true, false, true })).ToArray<long>());
        Assert.Equal(DType.Int64, i.DType);
        // f = torch.tensor([1., 2.]); f.add_(torch.tensor([0.1], dtype=torch.float64)) stays float32: [1.100000023841858, 2.0999999046325684]
        var f = Tensor.From(new[] { 1f, 2f });
        f.Add_(Tensor.From(new[] { 0.1 }));
        Assert.Equal(DType.Float32, f.DType);
        Assert.Equal([1.100000023841858f, 2.0999999046325684f], f.ToArray());
        // b = torch.tensor([True, False]); b.add_(torch.tensor([True, True])) -> [True, True]; b.mul_(torch.tensor(False)) -> [False, False]
        var b = Tensor.From(new[] { true, false });
        Assert.Equal([true, true], b.Add_(Tensor.From(new[] { true, true })).ToArray<bool>());
        Assert.Equal([false, false], b.Mul_(Tensor.From(false)).ToArray<bool>());

        // A result of a higher category cannot be written back:
        // torch.tensor([1, 2]).add_(2.5) / .div_(2) / .mul_(torch.tensor([1.5])); torch.tensor([True]).add_(1)
        const string floatToLong = "result type Float can't be cast to the desired output type Long";
        Assert.Equal(floatToLong, Assert.Throws<ArgumentException>(() => Tensor.From(new[] { 1L, 2L }).Add_(2.5)).Message);
        Assert.Equal(floatToLong, Assert.Throws<ArgumentException>(() => Tensor.From(new[] { 1L, 2L }).Div_(2)).Message);
        Assert.Equal(floatToLong, Assert.Throws<ArgumentException>(() => Tensor.From(new[] { 1L, 2L }).Mul_(Tensor.From(new[] { 1.5f }))).Message);
        Assert.Equal("result type Long can't be cast to the desired output type Bool",
                     Assert.Throws<ArgumentException>(() => Tensor.From(new[] { true }).Add_(1)).Message);
        // torch.tensor([True]).sub_(1)
        Assert.Equal("Subtraction, the `-` operator, with a bool tensor is not supported. If you are trying to invert a mask, use the `~` or `logical_not()` operator instead.",
                     Assert.Throws<ArgumentException>(() => Tensor.From(new[] { true }).Sub_(1)).Message);
        // A refused in-place op leaves the tensor alone.
        var unchanged = Tensor.From(new[] { 1L, 2L });
        Assert.Throws<ArgumentException>(() => unchanged.Div_(2));
        Assert.Equal([1L, 2L], unchanged.ToArray<long>());
        Assert.Equal(0, unchanged.Version);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void FillZeroAndCopy(BackendKind kind)
    {
        using var scope = Backend.Use(kind);
        // torch.tensor([1, 2]).fill_(2.5) -> [2, 2]; torch.tensor([1., 2.]).fill_(-2.5); torch.tensor([False, True]).fill_(2.5) -> [True, True]
        var ints = Tensor.From(new[] { 1L, 2L });
        Assert.Same(ints, ints.Fill_(2.5));
        Assert.Equal([2L, 2L], ints.ToArray<long>());
        Assert.Equal([-2.5f, -2.5f], Tensor.From(new[] { 1f, 2f }).Fill_(-2.5).ToArray());
        Assert.Equal([true, true], Tensor.From(new[] { false, true }).Fill_(2.5).ToArray<bool>());
        var zeroed = Tensor.From(new[] { 1.5, 2.5 });
        Assert.Same(zeroed, zeroed.Zero_());
        Assert.Equal([0.0, 0.0], zeroed.ToArray<double>());
        // zero_ writes +0 (all bits clear) in every dtype: torch.tensor([-1.]).zero_() is tensor([0.]).
        Assert.Equal(0, BitConverter.SingleToInt32Bits(Tensor.From(new[] { -1f }).Zero_().ToArray()[0]));
        Assert.Equal([0L, 0L], Tensor.From(new[] { 3L, -4L }).Zero_().ToArray<long>());
        Assert.Equal([false, false], Tensor.From(new[] { true, true }).Zero_().ToArray<bool>());

        // torch.tensor([1, 2]).copy_(torch.tensor([1.7, -2.7])) -> [1, -2]
        var target = Tensor.From(new[] { 1L, 2L });
        int version = target.Version;
        Assert.Same(target, target.Copy_(Tensor.From(new[] { 1.7f, -2.7f })));
        Assert.Equal([1L, -2L], target.ToArray<long>());
        Assert.Equal(version + 1, target.Version);
        // torch.zeros(2, 3).copy_(torch.tensor([1., 2., 3.])) broadcasts
        Assert.Equal([1f, 2f, 3f, 1f, 2f, 3f], Tensor.Zeros(2, 3).Copy_(Tensor.From(new[] { 1f, 2f, 3f })).ToArray());
        // torch.zeros(3, dtype=torch.bool).copy_(torch.tensor([0., 2., -0.5])) -> [False, True, True]
        Assert.Equal([false, true, true], Tensor.Zeros([3], DType.Bool).Copy_(Tensor.From(new[] { 0f, 2f, -0.5f })).ToArray<bool>());
        // Copying into a transposed view writes through to the base
        var m = Tensor.Zeros(2, 3);
        m.T.Copy_(Tensor.From(new float[,] { { 1, 4 }, { 2, 5 }, { 3, 6 } }));
        Assert.Equal([1f, 2f, 3f, 4f, 5f, 6f], m.ToArray());

        // torch.zeros(2, 3).copy_(torch.tensor([1., 2.])); torch.zeros(3).copy_(torch.zeros(2, 3))
        Assert.Equal("The size of tensor a (3) must match the size of tensor b (2) at non-singleton dimension 1",
                     Assert.Throws<ArgumentException>(() => Tensor.Zeros(2, 3).Copy_(Tensor.From(new[] { 1f, 2f }))).Message);
        Assert.Equal("output with shape [3] doesn't match the broadcast shape [2, 3]",
                     Assert.Throws<ArgumentException>(() => Tensor.Zeros(3).Copy_(Tensor.Zeros(2, 3))).Message);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void InPlaceOpsCheckTheirOutput(BackendKind kind)
    {
        using var scope = Backend.Use(kind);
        // torch.arange(3.).add_(torch.zeros(2, 3)): self is not broadcast
        Assert.Equal("output with shape [3] doesn't match the broadcast shape [2, 3]",
                     Assert.Throws<ArgumentException>(() => Tensor.Arange(3.0).Add_(Tensor.Zeros(2, 3))).Message);

        // Filling a broadcast view fills what it views: torch.zeros(3).expand(2, 3).fill_(7)
        var source = Tensor.Zeros(3);
        source.Expand(2, 3).Fill_(7);
        Assert.Equal([7f, 7f, 7f], source.ToArray());
        source.Expand(2, 3).Zero_();
        Assert.Equal([0f, 0f, 0f], source.ToArray());

        // torch.zeros(2, requires_grad=True).add_(1)
        var leaf = Tensor.Zeros([2], DType.Float32, requiresGrad: true);
        Assert.Equal("a leaf Variable that requires grad is being used in an in-place operation.",
                     Assert.Throws<InvalidOperationException>(() => leaf.Add_(1)).Message);
        Assert.Throws<InvalidOperationException>(() => leaf.Fill_(1));
        // with torch.no_grad(): x.add_(1) -> tensor([1., 1.], requires_grad=True)
        using (NativeGrad.Autograd.NoGrad()) leaf.Add_(1);
        Assert.Equal("tensor([1., 1.], requires_grad=True)", leaf.ToString());
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void InPlaceChangesOfSavedTensorsAreCaughtByBackward(BackendKind kind)
    {
        using var scope = Backend.Use(kind);
        // x = torch.tensor([1., 2.], requires_grad=True); y = x * 2; z = y * y; y.add_(1); z.sum().backward() -> RuntimeError
        var x = Tensor.From(new[] { 1f, 2f }, requiresGrad: true);
        var y = x * 2;
        var z = y * y;
        y.Add_(1);
        Assert.Throws<InvalidOperationException>(() => z.Sum().Backward());

        // a = torch.tensor([1., 2.]); w = torch.tensor([3., 4.], requires_grad=True); z = a * w; a[0].fill_(5); z.sum().backward() -> RuntimeError
        var a = Tensor.From(new[] { 1f, 2f });
        var w = Tensor.From(new[] { 3f, 4f }, requiresGrad: true);
        var product = a * w;
        a[0].Fill_(5); // through a view: the version is shared
        Assert.Throws<InvalidOperationException>(() => product.Sum().Backward());
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void InPlaceOpsOnNonLeavesAreRecorded(BackendKind kind)
    {
        using var scope = Backend.Use(kind);
        // y = torch.tensor([1., 2.], requires_grad=True) * 1; then each in-place op, printing y
        var x = Tensor.From(new[] { 1f, 2f }, requiresGrad: true);
        var y = x * 1;
        Assert.Equal("tensor([2., 3.], grad_fn=<AddBackward0>)", y.Add_(1).ToString());
        Assert.Equal("tensor([4., 6.], grad_fn=<MulBackward0>)", y.Mul_(Tensor.From(2f)).ToString());
        Assert.Equal("tensor([3., 5.], grad_fn=<SubBackward0>)", y.Sub_(1).ToString());
        Assert.Equal("tensor([1.5000, 2.5000], grad_fn=<DivBackward0>)", y.Div_(2).ToString());

        // x = torch.tensor([1., 2.], requires_grad=True); y = x * 1; y.add_(1); y.mul_(torch.tensor(2.)); y.sum().backward(); x.grad -> [2., 2.]
        x = Tensor.From(new[] { 1f, 2f }, requiresGrad: true);
        y = x * 1;
        y.Add_(1);
        y.Mul_(Tensor.From(2f));
        y.Sum().Backward();
        Assert.Equal([2f, 2f], x.Grad!.ToArray());

        // The old values stay available to the rule that needs them:
        // x = torch.tensor([1., 2.], requires_grad=True); w = torch.tensor(3., requires_grad=True); y = x * 1; y.mul_(w); y.sum().backward()
        x = Tensor.From(new[] { 1f, 2f }, requiresGrad: true);
        var w = Tensor.From(3f, requiresGrad: true);
        y = x * 1;
        Assert.Equal("tensor([3., 6.], grad_fn=<MulBackward0>)", y.Mul_(w).ToString());
        y.Sum().Backward();
        Assert.Equal([3f, 3f], x.Grad!.ToArray());
        Assert.Equal(3f, w.Grad!.Item<float>());
        // ...with w = torch.tensor(2., requires_grad=True); y.div_(w) -> tensor([0.5000, 1.0000]); x.grad [0.5, 0.5]; w.grad -0.75
        x = Tensor.From(new[] { 1f, 2f }, requiresGrad: true);
        w = Tensor.From(2f, requiresGrad: true);
        y = x * 1;
        Assert.Equal("tensor([0.5000, 1.0000], grad_fn=<DivBackward0>)", y.Div_(w).ToString());
        y.Sum().Backward();
        Assert.Equal([0.5f, 0.5f], x.Grad!.ToArray());
        Assert.Equal(-0.75f, w.Grad!.Item<float>());
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void OverwritingInPlaceOpsCutTheOldHistory(BackendKind kind)
    {
        using var scope = Backend.Use(kind);
        // x = torch.tensor([1., 2.], requires_grad=True); y = x * 3; y.fill_(5); (y * y).sum().backward(); x.grad -> [0., 0.]
        var x = Tensor.From(new[] { 1f, 2f }, requiresGrad: true);
        var y = x * 3;
        Assert.Equal("tensor([5., 5.], grad_fn=<FillBackward2>)", y.Fill_(5).ToString());
        (y * y).Sum().Backward();
        Assert.Equal([0f, 0f], x.Grad!.ToArray());

        // ... y.zero_() -> tensor([0., 0.], grad_fn=<ZeroBackward0>); (y + 1).sum().backward(); x.grad -> [0., 0.]
        x = Tensor.From(new[] { 1f, 2f }, requiresGrad: true);
        y = x * 3;
        Assert.Equal("tensor([0., 0.], grad_fn=<ZeroBackward0>)", y.Zero_().ToString());
        (y + 1).Sum().Backward();
        Assert.Equal([0f, 0f], x.Grad!.ToArray());

        // s = torch.tensor([4.], dtype=torch.float64, requires_grad=True); y = x * 3; y.copy_(s) -> tensor([4., 4.], grad_fn=<CopyBackwards>);
        // (y * torch.tensor([1., 10.])).sum().backward(); x.grad -> [0., 0.]; s.grad -> [11.] (float64)
        x = Tensor.From(new[] { 1f, 2f }, requiresGrad: true);
        var s = Tensor.From(new[] { 4.0 }, requiresGrad: true);
        y = x * 3;
        Assert.Equal("tensor([4., 4.], grad_fn=<CopyBackwards>)", y.Copy_(s).ToString());
        (y * Tensor.From(new[] { 1f, 10f })).Sum().Backward();
        Assert.Equal([0f, 0f], x.Grad!.ToArray());
        Assert.Equal(DType.Float64, s.Grad!.DType);
        Assert.Equal([11.0], s.Grad.ToArray<double>());

        // t = torch.zeros(2); s = torch.tensor([4., 5.], requires_grad=True); t.copy_(s) -> tensor([4., 5.], grad_fn=<CopyBackwards>), not a leaf
        var t = Tensor.Zeros(2);
        var source = Tensor.From(new[] { 4f, 5f }, requiresGrad: true);
        Assert.Equal("tensor([4., 5.], grad_fn=<CopyBackwards>)", t.Copy_(source).ToString());
        Assert.False(t.IsLeaf);
        t.Sum().Backward();
        Assert.Equal([1f, 1f], source.Grad!.ToArray());
    }
}
