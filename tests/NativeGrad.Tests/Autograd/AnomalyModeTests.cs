using NativeGrad.Backends;
using NativeGrad.Tests.Support;

namespace NativeGrad.Tests.Autograd;

using Autograd = NativeGrad.Autograd;

/// <summary>
/// torch.autograd.detect_anomaly / set_detect_anomaly against PyTorch 1.13 (the Python is in the
/// comments). Anomaly mode is process-wide, as PyTorch's is, so these run alone.
/// </summary>
[Collection(SerialCollection.Name)]
public sealed class AnomalyModeTests
{
    public static TheoryData<BackendKind> Kinds => new() { BackendKind.Native, BackendKind.Managed };

    // A named method, so the forward trace has a frame to look for.
    private static Tensor SqrtInUserCode(Tensor x) => x.Sqrt();

    [Theory]
    [MemberData(nameof(Kinds))]
    public void ANanGradientNamesTheNodeAndTheForwardCallThatMadeIt(BackendKind kind)
    {
        using var scope = Backend.Use(kind);
        InvalidOperationException? error = null;
        var warnings = WarningCapture.Collect(() =>
        {
            // torch.is_anomaly_enabled() -> False; with torch.autograd.detect_anomaly(): torch.is_anomaly_enabled() -> True
            Assert.False(Autograd.IsAnomalyEnabled);
            using (Autograd.DetectAnomaly())
            {
                Assert.True(Autograd.IsAnomalyEnabled);
                // x = torch.tensor([0., 1.], requires_grad=True); y = x.sqrt(); (y * 0).sum().backward()
                // -> RuntimeError: Function 'SqrtBackward0' returned nan values in its 0th output.
                var x = Tensor.From([0f, 1f], requiresGrad: true);
                var y = SqrtInUserCode(x);
                error = Assert.Throws<InvalidOperationException>(() => (y * 0).Sum().Backward());
            }
            Assert.False(Autograd.IsAnomalyEnabled);
        });
        Assert.Equal("Function 'SqrtBackward0' returned nan values in its 0th output.", error!.Message);
        // UserWarning: Anomaly Detection has been enabled. This mode will increase the runtime and should only be enabled for debugging.
        // UserWarning: Error detected in SqrtBackward0. Traceback of forward call that caused the error: ... y = x.sqrt()
        Assert.Equal(2, warnings.Count);
        Assert.Equal("Anomaly Detection has been enabled. This mode will increase the runtime and should only be enabled for debugging.", warnings[0]);
        Assert.StartsWith("Error detected in SqrtBackward0. Traceback of forward call that caused the error:\n   at ", warnings[1]);
        var firstFrame = warnings[1].Split('\n')[1];
        Assert.Contains($"{typeof(AnomalyModeTests).FullName}.{nameof(SqrtInUserCode)}", firstFrame);
        Assert.Contains("AnomalyModeTests.cs:line ", firstFrame);
        Assert.Equal(warnings[1][(warnings[1].IndexOf('\n') + 1)..], error.Data["NativeGrad.ForwardTrace"]);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void TheNanCheckReportsTheNodeThatProducedIt(BackendKind kind)
    {
        using var scope = Backend.Use(kind);
        var warnings = WarningCapture.Collect(() =>
        {
            using (Autograd.SetDetectAnomaly(true))
            {
                // z = (x * 0).sqrt(); z.sum().backward() -> RuntimeError: Function 'MulBackward0' returned nan values in its 0th output.
                var x = Tensor.From([0f, 1f], requiresGrad: true);
                var z = (x * 0).Sqrt();
                var error = Assert.Throws<InvalidOperationException>(() => z.Sum().Backward());
                Assert.Equal("Function 'MulBackward0' returned nan values in its 0th output.", error.Message);
                // Without NaN, nothing is reported: (x * 2).sum().backward()
                (x * 2).Sum().Backward();
                Assert.Equal([2f, 2f], x.Grad!.ToArray());
            }
        });
        // set_detect_anomaly does not warn that it is on; the failure does.
        Assert.StartsWith("Error detected in MulBackward0. Traceback of forward call that caused the error:\n", Assert.Single(warnings));
        Assert.False(Autograd.IsAnomalyEnabled);
    }

    [Fact]
    public void AnInPlaceErrorInAnomalyModeUsesPyTorchsOtherHint()
    {
        var warnings = WarningCapture.Collect(() =>
        {
            // with torch.autograd.detect_anomaly(): a = x * 1; b = a.sin(); a.add_(1); b.sum().backward()
            var x = Tensor.Ones([2], requiresGrad: true);
            using (Autograd.DetectAnomaly())
            {
                var a = x * 1;
                var b = a.Sin();
                a.Add_(1);
                var error = Assert.Throws<InvalidOperationException>(() => b.Sum().Backward());
                Assert.Equal(
                    "one of the variables needed for gradient computation has been modified by an inplace operation: [torch.FloatTensor [2]], " +
                    "which is output 0 of AddBackward0, is at version 1; expected version 0 instead. Hint: the backtrace further above " +
                    "shows the operation that failed to compute its gradient. The variable in question was changed in there or anywhere " +
                    "later. Good luck!", error.Message);
            }
        });
        Assert.StartsWith("Error detected in SinBackward0. Traceback of forward call that caused the error:\n", warnings[^1]);
    }

    [Fact]
    public void SetDetectAnomalyAsAPlainCall()
    {
        try
        {
            // torch.autograd.set_detect_anomaly(True); torch.is_anomaly_enabled() -> True
            Autograd.SetDetectAnomaly(true);
            Assert.True(Autograd.IsAnomalyEnabled);
            Autograd.SetDetectAnomaly(false);
            Assert.False(Autograd.IsAnomalyEnabled);
        }
        finally
        {
            Autograd.SetDetectAnomaly(false);
        }
    }
}
