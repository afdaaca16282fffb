using NativeGrad.Examples;
using NativeGrad.Optim;

namespace NativeGrad.Conformance;

public static partial class NnRunner
{
    /// <summary>
    /// nn.json `training`: PyTorch's split of the digits, ManualSeed, the model, one randperm of
    /// the training rows, then one Adam step per batch of 64 in that order. Batches past the end
    /// are empty, so PyTorch's loss there is NaN; the same steps must give the same NaN.
    /// </summary>
    public static CaseResult Run(TrainingCase c)
    {
        var (images, labels) = DigitsFile.Load();
        var (trainImages, trainLabels, _, _) = Data.Digits.Split(images, labels, c.SplitGeneratorSeed);
        Tensor.ManualSeed(c.ManualSeed);
        var model = DigitsModels.Create(c.Model);
        var optimizer = new Adam(model.Parameters(), lr: c.Optimizer["lr"].GetDouble());
        var order = Tensor.Randperm(trainImages.Shape[0]);
        for (int step = 0; step < c.Losses.Length; step++)
        {
            long start = Math.Min((long)step * c.BatchSize, order.Shape[0]);
            long end = Math.Min(start + c.BatchSize, order.Shape[0]);
            var batch = order[(int)start..(int)end];
            optimizer.ZeroGrad();
            var loss = Functional.CrossEntropy(model.Forward(trainImages.IndexSelect(0, batch)), trainLabels.IndexSelect(0, batch));
            loss.Backward();
            optimizer.Step();
            double value = loss.Item<double>(), expected = c.Losses[step];
            bool same = double.IsNaN(expected) ? double.IsNaN(value) : Math.Abs(value - expected) <= c.Rtol * Math.Abs(expected);
            if (!same)
                return new CaseResult(c.Id, "training", ValueFailure: $"step {step}: loss {value:R}, expected {expected:R}");
        }
        return new CaseResult(c.Id, "training");
    }
}
