namespace NativeGrad.Tests.Autograd;

/// <summary>The engine's behaviours beyond single ops; expected values worked out by hand or with PyTorch.</summary>
public class AutogradTests
{
    [Fact]
    public void AChainOfAHundredThousandOpsBackpropagatesWithoutRecursion()
    {
        var x = Tensor.From(1f, requiresGrad: true);
        var y = x;
        for (int i = 0; i < 100_000; i++) y = y * 1.0;
        y.Backward();
        Assert.Equal(1f, x.Grad!.Item<float>());
    }

    [Fact]
    public void CreateGraphTwiceGivesTheSecondDerivativeOfXCubed()
    {
        var x = Tensor.From(2.0, requiresGrad: true);
        var y = x.Pow(3);
        var dy = NativeGrad.Autograd.Grad(y, x, createGraph: true);   // 3x^2 = 12
        var d2y = NativeGrad.Autograd.Grad(dy, x, createGraph: true); // 6x = 12
        var d3y = NativeGrad.Autograd.Grad(d2y, x);                   // 6
        Assert.Equal(12.0, dy.Item<double>());
        Assert.Equal(12.0, d2y.Item<double>());
        Assert.Equal(6.0, d3y.Item<double>());
        Assert.Equal("tensor(12., dtype=torch.float64, grad_fn=<MulBackward0>)", dy.ToString());
    }

    [Fact]
    public void BackwardWithCreateGraphAccumulatesDifferentiableGrads()
    {
        var x = Tensor.From(3.0, requiresGrad: true);
        (x * x * x).Backward(createGraph: true);
        var grad = x.Grad!;
        Assert.True(grad.RequiresGrad);
        x.Grad = null;
        grad.Backward();
        Assert.Equal(18.0, x.Grad!.Item<double>()); // d/dx 3x^2 = 6x
    }

    [Fact]
    public void GradientsAccumulateIntoLeaves()
    {
        var x = Tensor.From([1f, 2f], requiresGrad: true);
        (x * 3).Sum().Backward();
        (x * x).Sum().Backward();
        Assert.Equal([5f, 7f], x.Grad!.ToArray());
    }

    [Fact]
    public void DetachSharesStorageButNotTheGraph()
    {
        var x = Tensor.From([1f, 2f], requiresGrad: true);
        var d = x.Detach();
        Assert.False(d.RequiresGrad);
        using (NativeGrad.Autograd.NoGrad()) x.Mul_(10);
        Assert.Equal([10f, 20f], d.ToArray());
    }

    // PyTorch: w.detach() is not a view of w, so an in-place op recorded on it does not hit the
    // view-of-a-leaf check; w = [1, 2], v = [3, 4], d = w.detach(); d.mul_(v); d.sum().backward()
    // gives d = [3, 8], v.grad = [1, 2], w.grad None, and w's storage [3, 8].
    [Fact]
    public void AnInPlaceOpOnADetachedLeafIsRecordedOnTheDetachedTensorAlone()
    {
        var w = Tensor.From([1f, 2f], requiresGrad: true);
        var v = Tensor.From([3f, 4f], requiresGrad: true);
        var d = w.Detach();
        d.Mul_(v);
        d.Sum().Backward();
        Assert.Equal([3f, 8f], d.ToArray<float>());
        Assert.Equal([1f, 2f], v.Grad!.ToArray<float>());
        Assert.Null(w.Grad);
        Assert.Equal([3f, 8f], w.ToArray<float>());
    }

    [Fact]
    public void RetainGradKeepsANonLeafGradient()
    {
        var x = Tensor.From([1f, 2f], requiresGrad: true);
        var y = x * 2;
        y.RetainGrad();
        (y * y).Sum().Backward();
        Assert.Equal([4f, 8f], y.Grad!.ToArray());
        Assert.Equal([8f, 16f], x.Grad!.ToArray());
    }

    [Fact]
    public void HooksSeeAndCanReplaceGradients()
    {
        var x = Tensor.From([1f, 2f], requiresGrad: true);
        var y = x * 2;
        Tensor? seen = null;
        y.RegisterHook(g => { seen = g; return null; });
        using (x.RegisterHook(g => g * 10))
            y.Sum().Backward();
        Assert.Equal([1f, 1f], seen!.ToArray());
        Assert.Equal([20f, 20f], x.Grad!.ToArray());
    }

    [Fact]
    public void NoGradStopsRecordingAndEnableGradResumesIt()
    {
        var x = Tensor.From([1f], requiresGrad: true);
        using (NativeGrad.Autograd.NoGrad())
        {
            Assert.False(NativeGrad.Autograd.IsGradEnabled);
            Assert.Null((x * 2).GradFn);
            using (NativeGrad.Autograd.EnableGrad())
                Assert.Equal("MulBackward0", (x * 2).GradFn!.Name);
        }
        Assert.True(NativeGrad.Autograd.IsGradEnabled);
    }

    [Fact]
    public void GradModeChangedOnAnotherThreadDoesNotAffectThisOne()
    {
        // Grad mode follows the logical flow (see Safety/FlowScopeTests): a thread started inside a
        // scope inherits it, like Task.Run, but what that thread changes stays on that thread.
        bool afterOpenScopeOnOtherThread = true, insideScopeOnOtherThread = true;
        var other = new Thread(() =>
        {
            using (NativeGrad.Autograd.NoGrad())
                insideScopeOnOtherThread = NativeGrad.Autograd.IsGradEnabled;
            NativeGrad.Autograd.NoGrad(); // left open on purpose
            afterOpenScopeOnOtherThread = NativeGrad.Autograd.IsGradEnabled;
        });
        other.Start();
        other.Join();
        Assert.False(insideScopeOnOtherThread);
        Assert.False(afterOpenScopeOnOtherThread);
        Assert.True(NativeGrad.Autograd.IsGradEnabled);
    }

    [Fact]
    public void GradOfANonLeafInputAndAllowUnused()
    {
        var x = Tensor.From([1.0, 2.0], requiresGrad: true);
        var h = x * x;
        var unused = Tensor.From([1.0], requiresGrad: true);
        var grads = NativeGrad.Autograd.Grad([(h * 3).Sum()], [h, x, unused], allowUnused: true);
        Assert.Equal([3.0, 3.0], grads[0]!.ToArray<double>());
        Assert.Equal([6.0, 12.0], grads[1]!.ToArray<double>());
        Assert.Null(grads[2]);
        Assert.Null(x.GradWithoutWarning); // autograd.grad leaves .grad alone
    }

    [Fact]
    public void DynamicControlFlowFollowsTheValues()
    {
        Tensor F(Tensor a)
        {
            var b = a * 2;
            while (b.Norm() < 1000) b = b * 2;
            return b.Sum() > 0 ? b : 100 * b;
        }
        var positive = Tensor.From(0.5f, requiresGrad: true);
        F(positive).Backward();
        Assert.Equal(2048f, positive.Grad!.Item<float>()); // 0.5 * 2^11 = 1024 >= 1000
        var negative = Tensor.From(-0.5f, requiresGrad: true);
        F(negative).Backward();
        Assert.Equal(204800f, negative.Grad!.Item<float>());
    }

    [Fact]
    public void EnumeratingATensorKeepsTheGraph()
    {
        var x = Tensor.From(new float[,] { { 1, 2 }, { 3, 4 } }, requiresGrad: true);
        var total = x.Aggregate((p, q) => p + q).Sum();
        total.Backward();
        Assert.Equal([1f, 1f, 1f, 1f], x.Grad!.ToArray());
        Assert.Equal(2, x.Count());
    }

    [Fact]
    public void GradFnNamesAndNextFunctionsFollowPyTorch()
    {
        var x = Tensor.From([1f, 2f], requiresGrad: true);
        var y = (x + 2) * x;
        Assert.Equal("MulBackward0", y.GradFn!.Name);
        Assert.Equal("AddBackward0", y.GradFn.NextFunctions[0]!.Name);
        Assert.Equal("AccumulateGrad", y.GradFn.NextFunctions[1]!.Name);
        Assert.Same(x, y.GradFn.NextFunctions[1]!.Variable);
        Assert.Null(y.GradFn.NextFunctions[0]!.NextFunctions[1]); // the wrapped scalar 2
        Assert.True(x.IsLeaf);
        Assert.False(y.IsLeaf);
    }
}
