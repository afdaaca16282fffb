using System.Diagnostics;
using NativeGrad.Distributed;
using NativeGrad.Nn;
using NativeGrad.Optim;

namespace NativeGrad.Examples;

/// <summary>What one epoch gave: the mean training loss, the test loss and both accuracies.</summary>
public sealed record EpochResult(int Epoch, double TrainLoss, double TestLoss, double TrainAccuracy, double TestAccuracy,
                                 double SamplesPerSecond);

/// <summary>
/// Trains a digits classifier as a PyTorch script would: PyTorch's split (1437 train / 360 test
/// from a seeded permutation), ManualSeed, the model, Adam(lr 1e-3) and cross-entropy over a
/// shuffled DataLoader with batches of 64.
/// </summary>
public sealed class DigitsTraining
{
    private readonly Tensor trainImages, trainLabels, testImages, testLabels;
    private readonly DataLoader loader;
    private readonly Adam optimizer;
    private readonly Layer trained;
    private readonly DistributedSampler? sampler;

    /// <summary>
    /// Loads and splits the data, seeds the generator, builds the model and its optimizer. With a
    /// <paramref name="group"/>, the model trains data-parallel: each rank takes its share of every
    /// shuffled epoch (DistributedSampler) in batches of 64 / world size, and DDP averages the
    /// gradients, so a step sees a global batch of 64 as one process does.
    /// </summary>
    public DigitsTraining(string model, ulong seed, ProcessGroup? group = null)
    {
        var (images, labels) = DigitsFile.Load();
        (trainImages, trainLabels, testImages, testLabels) = Data.Digits.Split(images, labels, seed);
        Tensor.ManualSeed(seed);
        Model = DigitsModels.Create(model);
        optimizer = new Adam(Model.Parameters(), lr: 1e-3);
        var dataset = new TensorDataset(trainImages, trainLabels);
        if (group is null)
        {
            trained = Model;
            loader = new DataLoader(dataset, batchSize: 64, shuffle: true);
            return;
        }
        trained = new DistributedDataParallel(Model, group);
        sampler = new DistributedSampler(dataset, group, seed: seed);
        loader = new DataLoader(dataset, batchSize: Math.Max(1, 64 / group.WorldSize), sampler: sampler);
    }

    /// <summary>The model being trained.</summary>
    public Sequential Model { get; }

    /// <summary>Training samples.</summary>
    public long TrainCount => trainImages.Size(0);

    /// <summary>Test samples.</summary>
    public long TestCount => testImages.Size(0);

    /// <summary>Batches per epoch.</summary>
    public int BatchesPerEpoch => (int)loader.Count;

    /// <summary>Time spent in <see cref="RunEpoch"/>'s training steps, evaluation excluded.</summary>
    public TimeSpan TrainingTime { get; private set; }

    /// <summary>One pass over the shuffled training set, then an evaluation; <paramref name="afterBatch"/> sees each step.</summary>
    public EpochResult RunEpoch(int epoch, Action<int>? afterBatch = null)
    {
        Model.Train();
        sampler?.SetEpoch(epoch);
        double lossSum = 0;
        int batches = 0;
        var clock = Stopwatch.StartNew();
        foreach (var batch in loader)
        {
            optimizer.ZeroGrad();
            var loss = Functional.CrossEntropy(trained.Forward(batch[0]), batch[1]);
            loss.Backward();
            optimizer.Step();
            lossSum += loss.Item<double>();
            batches++;
            afterBatch?.Invoke(batches);
        }
        clock.Stop();
        TrainingTime += clock.Elapsed;
        double trainAccuracy = Evaluate(Model, trainImages, trainLabels).Accuracy;
        var (testLoss, testAccuracy) = Evaluate(Model, testImages, testLabels);
        // Samples per second of the whole job: each rank saw its share in the same time.
        return new EpochResult(epoch, lossSum / batches, testLoss, trainAccuracy, testAccuracy, TrainCount / clock.Elapsed.TotalSeconds);
    }

    /// <summary>The test-set accuracy of <paramref name="model"/> (for a model reloaded from a checkpoint).</summary>
    public double TestAccuracy(Layer model) => Evaluate(model, testImages, testLabels).Accuracy;

    /// <summary>One forward and backward pass on the first training batch, for drawing the graph.</summary>
    public Tensor OneStepLoss() => Functional.CrossEntropy(Model.Forward(trainImages[..64]), trainLabels[..64]);

    private static (double Loss, double Accuracy) Evaluate(Layer model, Tensor images, Tensor labels)
    {
        model.Eval();
        using (Autograd.NoGrad())
        {
            var logits = model.Forward(images);
            double loss = Functional.CrossEntropy(logits, labels).Item<double>();
            var (_, predicted) = logits.Max(1);
            double correct = (predicted == labels).Sum().Item<double>();
            return (loss, correct / labels.Size(0));
        }
    }
}
