using NativeGrad.Backends;
using NativeGrad.Optim;

namespace NativeGrad.Tests.Optim;

/// <summary>
/// Resuming from a state dict: 3 steps, save, 3 more steps in a fresh optimizer over fresh copies of
/// the parameters, must give bit for bit what 6 uninterrupted steps give; with a scheduler beside
/// the optimizer too, and through the flattened names a checkpoint stores.
/// </summary>
public class OptimizerStateTests
{
    public static TheoryData<string, bool, BackendKind> Configurations()
    {
        var data = new TheoryData<string, bool, BackendKind>();
        string[] configurations =
        [
            "SGD nesterov", "SGD dampening", "Adam amsgrad", "AdamW", "RMSprop centered momentum", "Adagrad",
            "Adam + OneCycleLR", "SGD + CosineAnnealingLR", "SGD + MultiStepLR", "SGD + LinearLR",
        ];
        foreach (var configuration in configurations)
            foreach (var flattened in new[] { false, true })
                foreach (var kind in Enum.GetValues<BackendKind>())
                    data.Add(configuration, flattened, kind);
        return data;
    }

    private static (Optimizer Optimizer, LRScheduler? Scheduler) Create(string configuration, Tensor w, Tensor b)
    {
        Tensor[] parameters = [w, b];
        switch (configuration)
        {
            case "SGD nesterov": return (new SGD(parameters, lr: 0.05, momentum: 0.9, weightDecay: 0.01, nesterov: true), null);
            case "SGD dampening": return (new SGD(parameters, lr: 0.05, momentum: 0.5, dampening: 0.2, maximize: true), null);
            case "Adam amsgrad": return (new Adam(parameters, lr: 0.1, betas: (0.8, 0.99), weightDecay: 0.1, amsgrad: true), null);
            case "AdamW": return (new AdamW(parameters, lr: 0.05, weightDecay: 0.2), null);
            case "RMSprop centered momentum": return (new RMSprop(parameters, lr: 0.01, momentum: 0.9, centered: true, weightDecay: 0.01), null);
            case "Adagrad": return (new Adagrad(parameters, lr: 0.1, lrDecay: 0.1, initialAccumulatorValue: 0.1), null);
            case "Adam + OneCycleLR":
                var adam = new Adam(parameters, lr: 0.1);
                return (adam, new OneCycleLR(adam, maxLr: 0.5, totalSteps: 6));
            case "SGD + CosineAnnealingLR":
                var cosine = new SGD(parameters, lr: 0.1, momentum: 0.9);
                return (cosine, new CosineAnnealingLR(cosine, tMax: 4, etaMin: 0.01));
            case "SGD + MultiStepLR":
                var multiStep = new SGD(parameters, lr: 0.1, momentum: 0.9);
                return (multiStep, new MultiStepLR(multiStep, [2, 4, 4], gamma: 0.5));
            default:
                var linear = new SGD(parameters, lr: 0.1);
                return (linear, new LinearLR(linear, startFactor: 0.25, totalIters: 4));
        }
    }

    private static readonly float[,] A = { { 1.5f, -0.5f, 0.25f }, { -1, 2, 0.5f }, { 0.75f, 0.1f, -2 }, { 2, 1, 1 } };
    private static readonly float[] Y = [1, -2, 0.5f, 3];

    private static (Tensor W, Tensor B) FreshParameters() =>
        (Tensor.From([0.3f, -0.2f, 0.1f], requiresGrad: true), Tensor.From([0.05f], requiresGrad: true));

    private static void Train(Optimizer optimizer, LRScheduler? scheduler, Tensor w, Tensor b, int steps)
    {
        var a = Tensor.From(A);
        var y = Tensor.From(Y);
        for (int i = 0; i < steps; i++)
        {
            optimizer.ZeroGrad();
            (a.MatMul(w) + b - y).Pow(2).Mean().Backward();
            optimizer.Step();
            scheduler?.Step();
        }
    }

    [Theory]
    [MemberData(nameof(Configurations))]
    public void ResumingFromAStateDictContinuesBitForBit(string configuration, bool flattened, BackendKind backend)
    {
        using var scope = Backend.Use(backend);
        var (w1, b1) = FreshParameters();
        var (uninterrupted, uninterruptedScheduler) = Create(configuration, w1, b1);
        Train(uninterrupted, uninterruptedScheduler, w1, b1, 6);

        var (w2, b2) = FreshParameters();
        var (first, firstScheduler) = Create(configuration, w2, b2);
        Train(first, firstScheduler, w2, b2, 3);
        var saved = first.StateDict();
        var savedScheduler = firstScheduler?.StateDict();
        var (w3, b3) = (w2.Detach().Clone().RequiresGrad_(), b2.Detach().Clone().RequiresGrad_());
        // The saved dict is a snapshot: the run that saved it goes on first, and must not change it.
        Train(first, firstScheduler, w2, b2, 3);

        var (resumed, resumedScheduler) = Create(configuration, w3, b3);
        resumed.LoadStateDict(flattened ? OptimizerStateDict.FromEntries(saved.TensorEntries(), saved.NumberEntries()) : saved);
        if (savedScheduler is not null) resumedScheduler!.LoadStateDict(savedScheduler);
        Train(resumed, resumedScheduler, w3, b3, 3);

        Assert.Equal(w1.ToArray(), w3.ToArray());
        Assert.Equal(b1.ToArray(), b3.ToArray());
        Assert.Equal(w1.ToArray(), w2.ToArray());
        AssertSameState(uninterrupted.StateDict(), resumed.StateDict());
        Assert.Equal(uninterruptedScheduler?.GetLastLr(), resumedScheduler?.GetLastLr());
    }

    private static void AssertSameState(OptimizerStateDict expected, OptimizerStateDict actual)
    {
        Assert.Equal(expected.NumberEntries().OrderBy(e => e.Key), actual.NumberEntries().OrderBy(e => e.Key));
        var expectedTensors = expected.TensorEntries();
        var actualTensors = actual.TensorEntries();
        Assert.Equal(expectedTensors.Keys.Order(), actualTensors.Keys.Order());
        foreach (var (name, tensor) in expectedTensors)
        {
            Assert.Equal(tensor.DType, actualTensors[name].DType);
            Assert.Equal(tensor.ToArray<double>(), actualTensors[name].ToArray<double>());
        }
    }

    [Fact]
    public void StateDictNamesFollowPyTorchsNesting()
    {
        // PyTorch: Adam([w, b]) after one step has state {0: {step, exp_avg, exp_avg_sq}, 1: {...}}
        // and param_groups [{lr, betas, eps, weight_decay, amsgrad, maximize, ..., params: [0, 1]}].
        var (w, b) = FreshParameters();
        var adam = new Adam([w, b], lr: 0.1);
        Train(adam, null, w, b, 1);
        var dict = adam.StateDict();
        Assert.Equal(
            ["state.0.exp_avg", "state.0.exp_avg_sq", "state.0.step", "state.1.exp_avg", "state.1.exp_avg_sq", "state.1.step"],
            dict.TensorEntries().Keys.Order(StringComparer.Ordinal));
        var numbers = dict.NumberEntries();
        Assert.Equal(0.1, numbers["param_groups.0.lr"]);
        Assert.Equal(0.9, numbers["param_groups.0.beta1"]);
        Assert.Equal(0.999, numbers["param_groups.0.beta2"]);
        Assert.Equal(0, numbers["param_groups.0.params.0"]);
        Assert.Equal(1, numbers["param_groups.0.params.1"]);
        Assert.Equal(1f, dict.State[0]["step"].Item<float>());
        Assert.Equal(DType.Float32, dict.State[0]["step"].DType);
        Assert.Empty(dict.State[0]["step"].Shape);
    }

    [Fact]
    public void ParametersAreNumberedAcrossGroups()
    {
        var (w, b) = FreshParameters();
        var sgd = new SGD([new ParamGroup([w]), new ParamGroup([b]) { Lr = 0.01 }], lr: 0.1, momentum: 0.9);
        Train(sgd, null, w, b, 1);
        var dict = sgd.StateDict();
        Assert.Equal([0], dict.ParamGroups[0].Params);
        Assert.Equal([1], dict.ParamGroups[1].Params);
        Assert.Equal(0.1, dict.ParamGroups[0].Options["lr"]);
        Assert.Equal(0.01, dict.ParamGroups[1].Options["lr"]);
        Assert.Equal(0.9, dict.ParamGroups[1].Options["momentum"]);
        Assert.Equal(b.Shape, dict.State[1]["momentum_buffer"].Shape);
    }

    [Fact]
    public void LoadingConvertsStateToTheParametersDType()
    {
        var (w, b) = FreshParameters();
        var adam = new Adam([w, b]);
        Train(adam, null, w, b, 2);
        var wide = new Adam([w.Detach().To(DType.Float64).RequiresGrad_(), b.Detach().To(DType.Float64).RequiresGrad_()]);
        wide.LoadStateDict(adam.StateDict());
        var state = wide.StateDict().State[0];
        Assert.Equal(DType.Float64, state["exp_avg"].DType);
        // PyTorch's cast() leaves the step count alone.
        Assert.Equal(DType.Float32, state["step"].DType);
    }
}
