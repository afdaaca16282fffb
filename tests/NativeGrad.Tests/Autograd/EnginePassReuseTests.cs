namespace NativeGrad.Tests.Autograd;

// The engine keeps one pass's tables per thread for the next pass (Engine.Pass). A pass started
// inside another (from a hook), a pass that failed half way, and a graph too large to keep must
// each leave the next pass on that thread its own, empty tables. Expected gradients are the
// closed forms, d/dw sum(w*w + w) = 2w + 1 and d/dv sum(v*v*v) = 3v^2, to a float's rounding (the
// engine sums the three contributions to w's gradient in its own order).
public class EnginePassReuseTests
{
    private static void AssertGradient(IEnumerable<float> expected, Tensor grad) =>
        Assert.Equal(expected, grad.ToArray(), (a, b) => Math.Abs(a - b) <= 1e-6f * Math.Max(1, Math.Abs(a)));

    private static void AssertTwoWPlusOne(Tensor w) => AssertGradient(w.ToArray().Select(x => 2 * x + 1), w.Grad!);

    [Fact]
    public void APassInsideAHookAndThePassAroundItBothGetTheirGradients()
    {
        var w = Tensor.Rand([16], requiresGrad: true);
        var v = Tensor.Rand([5], requiresGrad: true);
        var y = w * w;
        using var hook = y.RegisterHook(g =>
        {
            // Hooks run with grad mode off, as in PyTorch; a graph built in one needs it back on.
            using (NativeGrad.Autograd.EnableGrad())
                (v * v * v).Sum().Backward();
            return null;
        });
        (y + w).Sum().Backward();

        AssertTwoWPlusOne(w);
        AssertGradient(v.ToArray().Select(x => 3 * x * x), v.Grad!);

        // And the next pass on this thread starts clean.
        w.Grad = null;
        (w * w + w).Sum().Backward();
        AssertTwoWPlusOne(w);
    }

    [Fact]
    public void APassThatFailsHalfWayLeavesTheNextOneUnaffected()
    {
        var w = Tensor.Rand([16], requiresGrad: true);
        var y = w * w;
        using (y.RegisterHook(g => throw new InvalidOperationException("hook failed")))
        {
            var error = Assert.Throws<InvalidOperationException>(() => (y + w).Sum().Backward());
            Assert.Equal("hook failed", error.Message);
        }

        w.Grad = null;
        (w * w + w).Sum().Backward();
        AssertTwoWPlusOne(w);
    }

    [Fact]
    public void ASmallPassAfterAGraphTooLargeToKeep()
    {
        var w = Tensor.Rand([4], requiresGrad: true);
        var total = w;
        for (int i = 0; i < 2000; i++) total = total + w; // 2001 edges into w's accumulator
        total.Sum().Backward();
        AssertGradient([2001f, 2001f, 2001f, 2001f], w.Grad!);

        w.Grad = null;
        (w * w + w).Sum().Backward();
        AssertTwoWPlusOne(w);
    }
}
