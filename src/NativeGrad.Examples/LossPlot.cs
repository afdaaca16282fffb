namespace NativeGrad.Examples;

/// <summary>loss.png: the training and test loss per epoch (ScottPlot, rendered by Skia without a display).</summary>
public static class LossPlot
{
    /// <summary>Writes the curves of <paramref name="history"/> to <paramref name="path"/>.</summary>
    public static void Write(string path, IReadOnlyList<EpochResult> history)
    {
        var plot = new ScottPlot.Plot();
        double[] epochs = [.. history.Select(r => (double)r.Epoch)];
        var train = plot.Add.Scatter(epochs, history.Select(r => r.TrainLoss).ToArray());
        train.LegendText = "train loss";
        var test = plot.Add.Scatter(epochs, history.Select(r => r.TestLoss).ToArray());
        test.LegendText = "test loss";
        plot.Title("Digits: cross-entropy per epoch");
        plot.XLabel("epoch");
        plot.YLabel("loss");
        plot.ShowLegend();
        plot.SavePng(path, 800, 500);
    }
}
