using NativeGrad.Backends;
using NativeGrad.Examples;
using NativeGrad.Nn;
using NativeGrad.Optim;
using NativeGrad.Tests.Support;

namespace NativeGrad.Tests.Nn;

/// <summary>A training run interrupted, checkpointed and resumed in fresh objects gives the uninterrupted run's losses bit for bit.</summary>
[Collection(SerialCollection.Name)]
public sealed class ResumeTests
{
    public static TheoryData<BackendKind> Kinds => new() { BackendKind.Native, BackendKind.Managed };

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Resumed_training_matches_the_uninterrupted_run(BackendKind kind)
    {
        using var scope = Backend.Use(kind);
        var (images, labels) = DigitsFile.Load();
        var batches = Enumerable.Range(0, 8).Select(i => (images[(i * 32)..((i + 1) * 32)], labels[(i * 32)..((i + 1) * 32)])).ToArray();

        Tensor.ManualSeed(3);
        var (model, optimizer) = Fresh();
        var uninterrupted = batches.Select(b => Step(model, optimizer, b)).ToArray();

        Tensor.ManualSeed(3);
        (model, optimizer) = Fresh();
        var firstHalf = batches[..4].Select(b => Step(model, optimizer, b)).ToList();
        var path = Path.Combine(Path.GetTempPath(), $"nativegrad-resume-{Guid.NewGuid():N}.safetensors");
        Checkpoint.Save(path, model, optimizer, new Dictionary<string, string> { ["epoch"] = "4" });

        Tensor.ManualSeed(99); // fresh objects start elsewhere: only the checkpoint can bring them back
        var (resumedModel, resumedOptimizer) = Fresh();
        var metadata = Checkpoint.Load(path, resumedModel, resumedOptimizer);
        File.Delete(path);
        Assert.Equal("4", metadata["epoch"]);
        var resumed = firstHalf.Concat(batches[4..].Select(b => Step(resumedModel, resumedOptimizer, b))).ToArray();
        Assert.Equal(uninterrupted, resumed);
    }

    private static (Sequential, Adam) Fresh()
    {
        var model = DigitsModels.Mlp();
        return (model, new Adam(model.Parameters(), lr: 1e-2, amsgrad: true));
    }

    private static float Step(Sequential model, Adam optimizer, (Tensor Images, Tensor Labels) batch)
    {
        optimizer.ZeroGrad();
        var loss = Functional.CrossEntropy(model.Forward(batch.Images), batch.Labels);
        loss.Backward();
        optimizer.Step();
        return loss.Item<float>();
    }
}
