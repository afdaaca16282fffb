using NativeGrad.Backends;

namespace NativeGrad.Tests.Autograd;

using Autograd = NativeGrad.Autograd;

/// <summary>torch.inference_mode and inference tensors against PyTorch 1.13 (the Python is in the comments).</summary>
public sealed class InferenceModeTests
{
    public static TheoryData<BackendKind> Kinds => new() { BackendKind.Native, BackendKind.Managed };

    private const string CannotBeSaved =
        "Inference tensors cannot be saved for backward. To work around you can make a clone to get a normal tensor and use it in autograd.";

    private const string InPlaceOutside =
        "Inplace update to inference tensor outside InferenceMode is not allowed.You can make a clone to get a normal tensor " +
        "before doing inplace update.See https://github.com/pytorch/rfcs/pull/17 for more details.";

    [Theory]
    [MemberData(nameof(Kinds))]
    public void InsideInferenceModeNothingRecordsAndNewTensorsAreInferenceTensors(BackendKind kind)
    {
        using var scope = Backend.Use(kind);
        var x = Tensor.Ones(2);
        Tensor a, b, c;
        using (Autograd.InferenceMode())
        {
            // with torch.inference_mode(): a = torch.ones(2); b = a * 2; a.is_inference(), b.is_inference() -> True True
            a = Tensor.Ones(2);
            b = a * 2;
            Assert.True(a.IsInference);
            Assert.True(b.IsInference);
            // w = torch.ones(2, requires_grad=True); c = w * 2; c.requires_grad, c.is_inference(), c.grad_fn,
            // torch.is_grad_enabled(), torch.is_inference_mode_enabled() -> False True None False True; repr(c) -> tensor([2., 2.])
            var w = Tensor.Ones([2], requiresGrad: true);
            Assert.True(w.IsInference);
            c = w * 2;
            Assert.False(c.RequiresGrad);
            Assert.Null(c.GradFn);
            Assert.False(Autograd.IsGradEnabled);
            Assert.True(Autograd.IsInferenceModeEnabled);
            Assert.Equal("tensor([2., 2.])", c.ToString());
            // with torch.enable_grad(): (w2 * 2).grad_fn -> None, torch.is_grad_enabled() -> True
            using (Autograd.EnableGrad())
            {
                Assert.True(Autograd.IsGradEnabled);
                Assert.Null((Tensor.Ones([2], requiresGrad: true) * 2).GradFn);
            }
            // A view of a normal tensor is normal: x[0:1].is_inference() -> False; in-place on it is allowed
            Assert.False(x[0..1].IsInference);
            x.Add_(1);
            Assert.Equal([2f, 2f], x.ToArray());
            // In-place on an inference tensor is allowed inside: a.add_(1)
            a.Add_(1);
            // with torch.inference_mode(False): torch.is_grad_enabled(), torch.ones(1).is_inference() -> True False
            using (Autograd.InferenceMode(false))
            {
                Assert.True(Autograd.IsGradEnabled);
                Assert.False(Autograd.IsInferenceModeEnabled);
                Assert.False(Tensor.Ones(1).IsInference);
            }
            Assert.False(Autograd.IsGradEnabled);
        }
        // torch.is_grad_enabled(), torch.is_inference_mode_enabled() -> True False; torch.ones(2).is_inference() -> False
        Assert.True(Autograd.IsGradEnabled);
        Assert.False(Autograd.IsInferenceModeEnabled);
        Assert.False(Tensor.Ones(2).IsInference);
        // Views and detach of inference tensors are inference tensors; a clone is not:
        // a.view(2).is_inference(), a.detach().is_inference(), a.clone().is_inference() -> True True False
        Assert.True(a.View(2).IsInference);
        Assert.True(a.Detach().IsInference);
        Assert.False(a.Clone().IsInference);
        // with torch.no_grad(): torch.ones(1).is_inference() -> False
        using (Autograd.NoGrad())
            Assert.False(Tensor.Ones(1).IsInference);
        Assert.Equal([2f, 2f], a.ToArray());
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void InferenceTensorsOutsideInferenceModeGivePyTorchsErrors(BackendKind kind)
    {
        using var scope = Backend.Use(kind);
        Tensor a;
        using (Autograd.InferenceMode())
            a = Tensor.Ones(2);
        var w = Tensor.Ones([2], requiresGrad: true);
        // (w * a).sum() -> RuntimeError: Inference tensors cannot be saved for backward. ...
        var error = Assert.Throws<InvalidOperationException>(() => w * a);
        Assert.Equal(CannotBeSaved, error.Message);
        error = Assert.Throws<InvalidOperationException>(() => w.Exp() * a);
        Assert.Equal(CannotBeSaved, error.Message);
        // (w + a).sum() saves nothing: no error, tensor(4., grad_fn=<SumBackward0>); (a.clone() * w).sum() is fine too
        Assert.Equal("tensor(4., grad_fn=<SumBackward0>)", (w + a).Sum().ToString());
        (a.Clone() * w).Sum().Backward();
        Assert.Equal([1f, 1f], w.Grad!.ToArray());
        // a.add_(1), a.zero_() -> RuntimeError: Inplace update to inference tensor outside InferenceMode is not allowed. ...
        error = Assert.Throws<InvalidOperationException>(() => a.Add_(1));
        Assert.Equal(InPlaceOutside, error.Message);
        error = Assert.Throws<InvalidOperationException>(() => a.Zero_());
        Assert.Equal(InPlaceOutside, error.Message);
        error = Assert.Throws<InvalidOperationException>(() => a.Add_(Tensor.Ones(2), 2));
        Assert.Equal(InPlaceOutside, error.Message);
        error = Assert.Throws<InvalidOperationException>(() => a.Uniform_());
        Assert.Equal(InPlaceOutside, error.Message);
        error = Assert.Throws<InvalidOperationException>(() => { a += 1; });
        Assert.Equal(InPlaceOutside, error.Message);
        using (Autograd.NoGrad())
        {
            error = Assert.Throws<InvalidOperationException>(() => a.Mul_(2));
            Assert.Equal(InPlaceOutside, error.Message);
        }
        Assert.Equal([1f, 1f], a.ToArray()); // refused before writing
        // a.requires_grad_() -> RuntimeError: Setting requires_grad=True on inference tensor outside InferenceMode is not allowed.
        error = Assert.Throws<InvalidOperationException>(() => a.RequiresGrad_());
        Assert.Equal("Setting requires_grad=True on inference tensor outside InferenceMode is not allowed.", error.Message);
        // a._version -> RuntimeError: Inference tensors do not track version counter.
        error = Assert.Throws<InvalidOperationException>(() => a.Version);
        Assert.Equal("Inference tensors do not track version counter.", error.Message);
        // Inside inference mode requires_grad_ is allowed: with torch.inference_mode(): a.requires_grad_(); a.requires_grad -> True
        using (Autograd.InferenceMode())
            Assert.True(a.RequiresGrad_().RequiresGrad);
    }

    [Fact]
    public async Task InferenceModeFollowsTheFlow()
    {
        using (Autograd.InferenceMode())
        {
            await Task.Yield();
            Assert.True(Autograd.IsInferenceModeEnabled);
            Assert.True(await Task.Run(() => Tensor.Ones(1).IsInference));
        }
        Assert.False(Autograd.IsInferenceModeEnabled);
        Assert.True(Autograd.IsGradEnabled);
        var seen = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => Task.Run(() => Autograd.IsInferenceModeEnabled)));
        Assert.All(seen, Assert.False);
    }
}
