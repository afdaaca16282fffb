using NativeGrad.Backends;

namespace NativeGrad.Tests.Ops;

/// <summary>
/// torch.maximum/minimum keep the first operand on ties and propagate NaN (PyTorch 1.13 output).
/// PyTorch's own AVX2 path returns the second operand on ties inside each 16-element chunk, so it
/// is only consistent for short tensors; both NativeGrad backends keep the first everywhere.
/// </summary>
public class MaximumMinimumTests
{
    [Theory]
    [InlineData(BackendKind.Native, 1)]
    [InlineData(BackendKind.Managed, 1)]
    [InlineData(BackendKind.Native, 2)]
    [InlineData(BackendKind.Managed, 2)]
    public void TiesKeepTheFirstOperandAndNaNWins(BackendKind backend, int repeat)
    {
        using var scope = Backend.Use(backend);
        // a = torch.tensor([-0., 0., nan, 1.]); b = torch.tensor([0., -0., 1., nan])
        var a = Tensor.From([-0f, 0f, float.NaN, 1f]).Unsqueeze(0).Expand(repeat, 4).Contiguous();
        var b = Tensor.From([0f, -0f, 1f, float.NaN]).Unsqueeze(0).Expand(repeat, 4).Contiguous();
        // torch.maximum(a, b) -> tensor([-0., 0., nan, nan]); torch.minimum(a, b) -> the same
        Assert.Equal("tensor([-0., 0., nan, nan])", Tensor.Maximum(a, b)[0].ToString());
        Assert.Equal("tensor([-0., 0., nan, nan])", Tensor.Minimum(a, b)[0].ToString());
    }
}
