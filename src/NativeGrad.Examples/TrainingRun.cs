using NativeGrad.Backends;
using NativeGrad.Distributed;
using Spectre.Console;

namespace NativeGrad.Examples;

/// <summary>The main example's training part: progress, the summary, the plots and the checkpoint round trip.</summary>
public static class TrainingRun
{
    /// <summary>
    /// Trains as <paramref name="options"/> say and writes the files into its output folder. In a
    /// data-parallel <paramref name="group"/>, only rank 0 shows progress and writes files (the
    /// replicas are identical); the others train silently.
    /// </summary>
    public static void Run(TrainingOptions options, TextWriter output, ProcessGroup? group = null)
    {
        var training = new DigitsTraining(options.Model, options.Seed, group);
        string where = group is null ? "" : $", data-parallel over {group.WorldSize} ranks ({64 / group.WorldSize} samples each per step)";
        output.WriteLine($"Training the digits {options.Model.ToUpperInvariant()} on {Backend.Current} ({training.TrainCount} train / {training.TestCount} test, " +
                         $"Adam lr 1e-3, batch 64, {options.Epochs} epochs{where})");
        bool quiet = options.Quiet || (group is not null && group.Rank != 0);
        var history = quiet ? TrainQuietly(training, options.Epochs, output) : TrainWithProgress(training, options.Epochs);
        if (group is { Rank: not 0 }) return;

        Directory.CreateDirectory(options.OutputDirectory);
        string plot = Path.GetFullPath(Path.Combine(options.OutputDirectory, "loss.png"));
        LossPlot.Write(plot, history);
        string graph = Path.GetFullPath(Path.Combine(options.OutputDirectory, "graph.dot"));
        File.WriteAllText(graph, Autograd.ToDot(training.OneStepLoss(), training.Model.NamedParameters()));
        string checkpoint = Path.GetFullPath(Path.Combine(options.OutputDirectory, "model.safetensors"));
        training.Model.Save(checkpoint, new Dictionary<string, string> { ["format"] = "pt", ["model"] = options.Model });
        var reloaded = DigitsModels.Create(options.Model);
        reloaded.Load(checkpoint);
        double reloadedAccuracy = training.TestAccuracy(reloaded);

        var last = history[^1];
        var table = new Table().AddColumns("", "").HideHeaders();
        table.AddRow("test accuracy", $"{last.TestAccuracy * 100:F2}%");
        table.AddRow("reloaded from checkpoint", $"{reloadedAccuracy * 100:F2}%");
        table.AddRow("training time", $"{training.TrainingTime.TotalSeconds:F2} s ({history.Average(r => r.SamplesPerSecond):F0} samples/s)");
        table.AddRow("backend", Backend.Current.ToString());
        table.AddRow("CPU tier", Backend.IsNativeAvailable ? NativeRuntime.Cpu.ActiveTier.ToString() : "n/a (managed only)");
        table.AddRow("threads", Backend.Current == BackendKind.Native ? NativeRuntime.NumThreads.ToString() : "1 (the managed kernels run on the calling thread)");
        AnsiConsole.Write(table);
        output.WriteLine($"wrote {plot}");
        output.WriteLine($"wrote {graph}");
        output.WriteLine($"wrote {checkpoint}");
        output.WriteLine($"test accuracy {last.TestAccuracy * 100:F2}%");
    }

    private static List<EpochResult> TrainQuietly(DigitsTraining training, int epochs, TextWriter output)
    {
        var history = new List<EpochResult>();
        for (int epoch = 1; epoch <= epochs; epoch++)
        {
            var result = training.RunEpoch(epoch);
            history.Add(result);
            output.WriteLine($"epoch {epoch,3}  loss {result.TrainLoss:F4}  test loss {result.TestLoss:F4}  " +
                             $"train {result.TrainAccuracy * 100:F2}%  test {result.TestAccuracy * 100:F2}%  {result.SamplesPerSecond:F0} samples/s");
        }
        return history;
    }

    private static List<EpochResult> TrainWithProgress(DigitsTraining training, int epochs)
    {
        var history = new List<EpochResult>();
        AnsiConsole.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
            .Start(context =>
            {
                for (int epoch = 1; epoch <= epochs; epoch++)
                {
                    var task = context.AddTask($"epoch {epoch,3}", maxValue: training.BatchesPerEpoch);
                    var result = training.RunEpoch(epoch, _ => task.Increment(1));
                    history.Add(result);
                    task.Description = $"epoch {epoch,3}  loss {result.TrainLoss:F4}  test {result.TestAccuracy * 100:F2}%  {result.SamplesPerSecond:F0} samples/s";
                }
            });
        return history;
    }
}
