using CsCheck;
using NativeGrad.Backends;

namespace NativeGrad.Tests.Autograd;

/// <summary>
/// GradCheck itself: it must fail on a gradient that is wrong; see <see cref="GradCheckTestBase"/>.
/// </summary>
public class GradCheckRejectionTests : GradCheckTestBase
{
    [Theory]
    [MemberData(nameof(Backends))]
    public void GradCheckRejectsAGradientThatMissesADetachedFactor(BackendKind backend)
    {
        using var scope = Backend.Use(backend);
        // x * x.Detach() has the value x², but autograd treats the detached factor as a constant:
        // its analytic gradient is x while finite differences (which move both factors) give 2x.
        var x = Tensor.From([0.5, -1.25, 2.0], requiresGrad: true);
        var error = Assert.Throws<GradCheckException>(() => NativeGrad.Autograd.GradCheck(XTimesDetachedX, [x]));
        Assert.StartsWith("Jacobian mismatch for output 0 with respect to input 0", error.Message);
        Assert.False(NativeGrad.Autograd.GradCheck(XTimesDetachedX, [x], raiseException: false));
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public void GradCheckRejectsTheDetachedFactorAtEveryNonZeroPoint(BackendKind backend) =>
        // Away from 0, where x and 2x coincide.
        Leaf(Shape(0, 3), AwayFromZero).Sample(input =>
        {
            using var scope = Backend.Use(backend);
            Assert.False(NativeGrad.Autograd.GradCheck(XTimesDetachedX, [input.ToTensor()], raiseException: false));
        }, iter: Iterations);

    private static Tensor XTimesDetachedX(Tensor[] t) => t[0] * t[0].Detach();
}
