using System.Text.Json;
using System.Text.Json.Serialization;

namespace NativeGrad.Conformance;

/// <summary>nn.json: torch.nn functions, module initialisation, optimizers, schedulers, randperm and training runs.</summary>
public sealed record NnFile(
    [property: JsonPropertyName("functional")] OpCase[] Functional,
    [property: JsonPropertyName("init")] InitCase[] Init,
    [property: JsonPropertyName("optim_problem")] OptimProblem OptimProblem,
    [property: JsonPropertyName("optim")] OptimCase[] Optim,
    [property: JsonPropertyName("schedulers")] SchedulerCase[] Schedulers,
    [property: JsonPropertyName("randperm")] RandpermCase[] Randperm,
    [property: JsonPropertyName("training")] TrainingCase[] Training);

/// <summary>After ManualSeed(seed), constructing <see cref="Module"/> with <see cref="Args"/> gives these tensors.</summary>
public sealed record InitCase(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("module")] string Module,
    [property: JsonPropertyName("args")] Dictionary<string, JsonElement> Args,
    [property: JsonPropertyName("seed")] ulong Seed,
    [property: JsonPropertyName("parameters")] Dictionary<string, TensorData>? Parameters,
    [property: JsonPropertyName("buffers")] Dictionary<string, TensorData>? Buffers,
    [property: JsonPropertyName("state_dict")] Dictionary<string, TensorData>? StateDict);

/// <summary>The least-squares problem every optimizer case starts from: loss = mean((A @ w + b - y)^2).</summary>
public sealed record OptimProblem(
    [property: JsonPropertyName("A")] TensorData A,
    [property: JsonPropertyName("y")] TensorData Y,
    [property: JsonPropertyName("w")] TensorData W,
    [property: JsonPropertyName("b")] TensorData B);

/// <summary>Five optimizer steps on <see cref="OptimProblem"/>.</summary>
public sealed record OptimCase(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("optimizer")] string Optimizer,
    [property: JsonPropertyName("options")] Dictionary<string, JsonElement> Options,
    [property: JsonPropertyName("steps")] OptimStep[] Steps,
    [property: JsonPropertyName("rtol")] double Rtol,
    [property: JsonPropertyName("atol")] double Atol);

/// <summary>One round: the loss before the step, and the parameters after it.</summary>
public sealed record OptimStep(
    [property: JsonPropertyName("loss_before")] double LossBefore,
    [property: JsonPropertyName("w")] TensorData W,
    [property: JsonPropertyName("b")] TensorData B);

/// <summary>The learning rate before any step, then after each of 12 rounds of optimizer.step(); scheduler.step().</summary>
public sealed record SchedulerCase(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("scheduler")] string Scheduler,
    [property: JsonPropertyName("options")] Dictionary<string, JsonElement> Options,
    [property: JsonPropertyName("optimizer")] Dictionary<string, JsonElement> Optimizer,
    [property: JsonPropertyName("lrs")] double[] Lrs,
    [property: JsonPropertyName("rtol")] double Rtol);

/// <summary>After ManualSeed(seed), randperm(n) gives <see cref="Values"/> and a following randn(3) gives <see cref="ThenRandn"/>.</summary>
public sealed record RandpermCase(
    [property: JsonPropertyName("seed")] ulong Seed,
    [property: JsonPropertyName("n")] long N,
    [property: JsonPropertyName("values")] long[] Values,
    [property: JsonPropertyName("then_randn")] float[] ThenRandn)
{
    public string Id => $"randperm/{Seed}/{N}";
}

/// <summary>The first losses of a digits model trained with PyTorch's split, init, shuffle and optimizer.</summary>
public sealed record TrainingCase(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("model")] string Model,
    [property: JsonPropertyName("split_generator_seed")] ulong SplitGeneratorSeed,
    [property: JsonPropertyName("manual_seed")] ulong ManualSeed,
    [property: JsonPropertyName("batch_size")] int BatchSize,
    [property: JsonPropertyName("optimizer")] Dictionary<string, JsonElement> Optimizer,
    [property: JsonPropertyName("losses")] double[] Losses,
    [property: JsonPropertyName("rtol")] double Rtol);
