using NativeGrad.Backends;

namespace NativeGrad.Tests.Ops;

/// <summary>Softplus, the op added last (see the issue note): values and printing from PyTorch 1.13, gradient by GradCheck.</summary>
public class SoftplusTests
{
    [Theory]
    [InlineData(BackendKind.Native)]
    [InlineData(BackendKind.Managed)]
    public void MatchesPyTorch(BackendKind backend)
    {
        using var scope = Backend.Use(backend);
        // x = torch.tensor([-3., -0.5, 0., 0.5, 3., 30.], requires_grad=True); y = F.softplus(x); y.sum().backward()
        var x = Tensor.From([-3f, -0.5f, 0f, 0.5f, 3f, 30f], requiresGrad: true);
        var y = x.Softplus();
        Assert.Equal("tensor([ 0.0486,  0.4741,  0.6931,  0.9741,  3.0486, 30.0000],\n       grad_fn=<SoftplusBackward0>)", y.ToString());
        y.Sum().Backward();
        Assert.Equal("tensor([0.0474, 0.3775, 0.5000, 0.6225, 0.9526, 1.0000])", x.Grad!.ToString());
        Assert.True(NativeGrad.Autograd.GradCheck(t => t[0].Softplus(), [Tensor.Randn([3, 2], DType.Float64).RequiresGrad_()]));
        Assert.Equal(1000.0, Tensor.From(1000.0).Softplus().Item<double>()); // exp(1000) would overflow
    }
}
