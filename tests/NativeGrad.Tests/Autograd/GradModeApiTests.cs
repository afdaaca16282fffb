using NativeGrad.Backends;

namespace NativeGrad.Tests.Autograd;

using Autograd = NativeGrad.Autograd;

/// <summary>
/// torch.set_grad_enabled / torch.is_grad_enabled and the public version counter (torch's
/// <c>_version</c>), against PyTorch 1.13 (the Python is in the comments).
/// </summary>
public sealed class GradModeApiTests
{
    public static TheoryData<BackendKind> Kinds => new() { BackendKind.Native, BackendKind.Managed };

    [Theory]
    [MemberData(nameof(Kinds))]
    public void SetGradEnabled_as_a_plain_call_holds_until_changed_back(BackendKind kind)
    {
        using var backend = Backend.Use(kind);
        var x = Tensor.Ones([2], DType.Float32, requiresGrad: true);
        try
        {
            // torch.set_grad_enabled(False); (x * 2).grad_fn -> None; torch.is_grad_enabled() -> False
            Autograd.SetGradEnabled(false);
            Assert.False(Autograd.IsGradEnabled);
            Assert.Null((x * 2).GradFn);
            Autograd.SetGradEnabled(true);
            Assert.True(Autograd.IsGradEnabled);
            Assert.Equal("MulBackward0", (x * 2).GradFn!.Name);
        }
        finally
        {
            Autograd.SetGradEnabled(true);
        }
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void SetGradEnabled_as_a_scope_restores_the_previous_state(BackendKind kind)
    {
        using var backend = Backend.Use(kind);
        var x = Tensor.Ones([2], DType.Float32, requiresGrad: true);
        // with torch.set_grad_enabled(False): with torch.set_grad_enabled(True): (x*2).grad_fn -> MulBackward0
        using (Autograd.SetGradEnabled(false))
        {
            Assert.Null((x * 2).GradFn);
            using (Autograd.SetGradEnabled(true))
                Assert.NotNull((x * 2).GradFn);
            Assert.False(Autograd.IsGradEnabled);
            using (Autograd.SetGradEnabled(false))
                Assert.False(Autograd.IsGradEnabled);
            Assert.False(Autograd.IsGradEnabled);
        }
        Assert.True(Autograd.IsGradEnabled);
    }

    [Fact]
    public async Task SetGradEnabled_follows_the_flow_and_a_change_in_an_async_method_ends_with_it()
    {
        static async Task DisableInside()
        {
            Autograd.SetGradEnabled(false);
            await Task.Yield();
            Assert.False(Autograd.IsGradEnabled);
        }

        using (Autograd.SetGradEnabled(false))
        {
            await Task.Yield();
            Assert.False(await Task.Run(() => Autograd.IsGradEnabled));
        }
        await DisableInside();
        Assert.True(Autograd.IsGradEnabled);
        var seen = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => Task.Run(() => Autograd.IsGradEnabled)));
        Assert.All(seen, Assert.True);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Version_counts_in_place_changes_shared_with_views_and_detach(BackendKind kind)
    {
        using var backend = Backend.Use(kind);
        // x = torch.ones(3); x._version -> 0; x.add_(1); x._version -> 1
        var x = Tensor.Ones(3);
        Assert.Equal(0, x.Version);
        x.Add_(1);
        Assert.Equal(1, x.Version);
        // v = x[0:2]; v.mul_(2); x._version -> 2, v._version -> 2; d = x.detach(); d.zero_(); x._version -> 3
        var v = x[0..2];
        v.Mul_(2);
        Assert.Equal(2, x.Version);
        Assert.Equal(2, v.Version);
        var d = x.Detach();
        d.Zero_();
        Assert.Equal(3, x.Version);
        // out of place ops do not count: y = x + 1; x._version -> 3, y._version -> 0
        var y = x + 1;
        Assert.Equal(3, x.Version);
        Assert.Equal(0, y.Version);
    }
}
