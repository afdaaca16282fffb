using NativeGrad.Optim;
using NativeGrad.Tests.Support;

namespace NativeGrad.Tests.Optim;

/// <summary>PyTorch's UserWarnings from optimizers and schedulers; alone, so no other test's warning lands in the list.</summary>
[Collection(SerialCollection.Name)]
public class OptimizerWarningTests
{
    [Fact]
    public void SteppingTheSchedulerBeforeTheOptimizerWarns()
    {
        var w = Tensor.Zeros(2).RequiresGrad_();
        var sgd = new SGD([w], lr: 0.1);
        var scheduler = new StepLR(sgd, stepSize: 2);
        var warning = Assert.Single(WarningCapture.Collect(scheduler.Step));
        Assert.StartsWith("Detected call of `lr_scheduler.step()` before `optimizer.step()`.", warning);

        var inOrder = new StepLR(new SGD([w], lr: 0.1), stepSize: 2);
        Assert.Empty(WarningCapture.Collect(() => { inOrder.Optimizer.Step(); inOrder.Step(); inOrder.Step(); }));
    }

    [Fact]
    public void ADuplicateParameterInAGroupWarns()
    {
        // optim.SGD([w, w], lr=0.1) warns and keeps one state for w
        var w = Tensor.Zeros(2).RequiresGrad_();
        var warning = Assert.Single(WarningCapture.Collect(() => _ = new SGD([w, w], lr: 0.1, momentum: 0.9)));
        Assert.StartsWith("optimizer contains a parameter group with duplicate parameters", warning);
    }
}
