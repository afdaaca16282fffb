using NativeGrad.Optim;

namespace NativeGrad.Tests.Optim;

/// <summary>
/// Bad hyper-parameters and bad state dicts: PyTorch 1.13's ValueError messages (the Python call
/// that produced each is in the comment), as ArgumentException.
/// </summary>
public class OptimizerErrorTests
{
    private static Tensor Parameter() => Tensor.Zeros(2).RequiresGrad_();

    public static TheoryData<string, string> InvalidHyperParameters => new()
    {
        { "SGD(lr=-1)", "Invalid learning rate: -1" },
        { "SGD(lr=0.1, momentum=-0.5)", "Invalid momentum value: -0.5" },
        { "SGD(lr=0.1, weight_decay=-1e-05)", "Invalid weight_decay value: -1e-05" },
        { "SGD(lr=0.1, nesterov=True)", "Nesterov momentum requires a momentum and zero dampening" },
        { "SGD(lr=0.1, momentum=0.9, dampening=0.1, nesterov=True)", "Nesterov momentum requires a momentum and zero dampening" },
        { "Adam(lr=-0.001)", "Invalid learning rate: -0.001" },
        { "Adam(eps=-1e-08)", "Invalid epsilon value: -1e-08" },
        { "Adam(betas=(1, 0.999))", "Invalid beta parameter at index 0: 1" },
        { "Adam(betas=(0.9, -0.5))", "Invalid beta parameter at index 1: -0.5" },
        { "Adam(weight_decay=-0.1)", "Invalid weight_decay value: -0.1" },
        { "AdamW(weight_decay=-0.01)", "Invalid weight_decay value: -0.01" },
        { "AdamW(lr=nan)", "Invalid learning rate: NaN" },
        { "RMSprop(alpha=-0.9)", "Invalid alpha value: -0.9" },
        { "RMSprop(momentum=-1)", "Invalid momentum value: -1" },
        { "RMSprop(eps=-1)", "Invalid epsilon value: -1" },
        { "Adagrad(lr_decay=-1)", "Invalid lr_decay value: -1" },
        { "Adagrad(initial_accumulator_value=-0.1)", "Invalid initial_accumulator_value value: -0.1" },
        { "Adagrad(eps=-1e-10)", "Invalid epsilon value: -1e-10" },
    };

    [Theory]
    [MemberData(nameof(InvalidHyperParameters))]
    public void InvalidHyperParametersAreRejectedWithPyTorchsMessage(string call, string message)
    {
        Tensor[] p = [Parameter()];
        Action create = call switch
        {
            "SGD(lr=-1)" => () => _ = new SGD(p, lr: -1),
            "SGD(lr=0.1, momentum=-0.5)" => () => _ = new SGD(p, lr: 0.1, momentum: -0.5),
            "SGD(lr=0.1, weight_decay=-1e-05)" => () => _ = new SGD(p, lr: 0.1, weightDecay: -1e-5),
            "SGD(lr=0.1, nesterov=True)" => () => _ = new SGD(p, lr: 0.1, nesterov: true),
            "SGD(lr=0.1, momentum=0.9, dampening=0.1, nesterov=True)" => () => _ = new SGD(p, lr: 0.1, momentum: 0.9, dampening: 0.1, nesterov: true),
            "Adam(lr=-0.001)" => () => _ = new Adam(p, lr: -0.001),
            "Adam(eps=-1e-08)" => () => _ = new Adam(p, eps: -1e-8),
            "Adam(betas=(1, 0.999))" => () => _ = new Adam(p, betas: (1, 0.999)),
            "Adam(betas=(0.9, -0.5))" => () => _ = new Adam(p, betas: (0.9, -0.5)),
            "Adam(weight_decay=-0.1)" => () => _ = new Adam(p, weightDecay: -0.1),
            "AdamW(weight_decay=-0.01)" => () => _ = new AdamW(p, weightDecay: -0.01),
            // Python prints float('nan') as "nan"; .NET's name for it is kept.
            "AdamW(lr=nan)" => () => _ = new AdamW(p, lr: double.NaN),
            "RMSprop(alpha=-0.9)" => () => _ = new RMSprop(p, alpha: -0.9),
            "RMSprop(momentum=-1)" => () => _ = new RMSprop(p, momentum: -1),
            "RMSprop(eps=-1)" => () => _ = new RMSprop(p, eps: -1),
            "Adagrad(lr_decay=-1)" => () => _ = new Adagrad(p, lrDecay: -1),
            "Adagrad(initial_accumulator_value=-0.1)" => () => _ = new Adagrad(p, initialAccumulatorValue: -0.1),
            "Adagrad(eps=-1e-10)" => () => _ = new Adagrad(p, eps: -1e-10),
            _ => throw new ArgumentOutOfRangeException(nameof(call), call, "no such case"),
        };
        Assert.Equal(message, Assert.Throws<ArgumentException>(create).Message);
    }

    [Fact]
    public void ParameterListsArePyTorchsShape()
    {
        var w = Parameter();
        // optim.SGD([], lr=0.1)
        Assert.Equal("optimizer got an empty parameter list", Assert.Throws<ArgumentException>(() => new SGD(Array.Empty<Tensor>(), lr: 0.1)).Message);
        Assert.Equal("optimizer got an empty parameter list", Assert.Throws<ArgumentException>(() => new SGD(Array.Empty<ParamGroup>(), lr: 0.1)).Message);
        // optim.SGD([w * 2], lr=0.1)
        Assert.Equal("can't optimize a non-leaf Tensor", Assert.Throws<ArgumentException>(() => new SGD([w * 2], lr: 0.1)).Message);
        // optim.SGD([{'params': [w]}, {'params': [w]}], lr=0.1)
        Assert.Equal("some parameters appear in more than one parameter group",
            Assert.Throws<ArgumentException>(() => new SGD([new ParamGroup([w]), new ParamGroup([w])], lr: 0.1)).Message);
        Assert.Throws<ArgumentException>(() => new ParamGroup([w, null!]));
    }

    [Fact]
    public void AStateDictThatDoesNotFitIsRejectedBeforeAnythingChanges()
    {
        var w = Parameter();
        var one = new SGD([w], lr: 0.1);
        // o1.load_state_dict(optim.SGD([w, v], lr=0.1).state_dict())
        Assert.Equal("loaded state dict contains a parameter group that doesn't match the size of optimizer's group",
            Assert.Throws<ArgumentException>(() => one.LoadStateDict(new SGD([w, Parameter()], lr: 0.1).StateDict())).Message);
        // o1.load_state_dict(optim.SGD([{'params': [w]}, {'params': [v]}], lr=0.1).state_dict())
        Assert.Equal("loaded state dict has a different number of parameter groups",
            Assert.Throws<ArgumentException>(() => one.LoadStateDict(new SGD([new ParamGroup([w]), new ParamGroup([Parameter()])], lr: 0.2).StateDict())).Message);

        var adam = new Adam([w], lr: 0.5);
        Assert.Contains("'beta1'", Assert.Throws<ArgumentException>(() => adam.LoadStateDict(one.StateDict())).Message);

        var wrongShape = new OptimizerStateDict();
        wrongShape.ParamGroups.Add(new ParamGroupState([0], adam.StateDict().ParamGroups[0].Options));
        wrongShape.State[0] = new() { ["exp_avg"] = Tensor.Zeros(3), ["exp_avg_sq"] = Tensor.Zeros(2), ["step"] = Tensor.From(1f) };
        Assert.Equal("loaded state dict's 'exp_avg' for parameter 0 has shape [3], but the parameter has shape [2]",
            Assert.Throws<ArgumentException>(() => adam.LoadStateDict(wrongShape)).Message);
        wrongShape.State.Clear();
        wrongShape.State[5] = new() { ["step"] = Tensor.From(1f) };
        Assert.Equal("loaded state dict has state for parameter 5, which none of its parameter groups lists",
            Assert.Throws<ArgumentException>(() => adam.LoadStateDict(wrongShape)).Message);
        Assert.Equal(0.5, adam.ParamGroups[0].Lr);
        Assert.Empty(adam.StateOf(w));
    }

    [Fact]
    public void FlattenedNamesThatAreNotAStateDictAreRejected()
    {
        var none = new Dictionary<string, double>();
        var noTensors = new Dictionary<string, Tensor>();
        Assert.Contains("'state.<parameter index>.<name>'",
            Assert.Throws<ArgumentException>(() => OptimizerStateDict.FromEntries(new Dictionary<string, Tensor> { ["state.x.exp_avg"] = Tensor.Zeros(1) }, none)).Message);
        Assert.Contains("'param_groups.0.params.0' = 1.5",
            Assert.Throws<ArgumentException>(() => OptimizerStateDict.FromEntries(noTensors, new Dictionary<string, double> { ["param_groups.0.params.0"] = 1.5 })).Message);
        Assert.Contains("gaps",
            Assert.Throws<ArgumentException>(() => OptimizerStateDict.FromEntries(noTensors, new Dictionary<string, double> { ["param_groups.0.params.1"] = 0 })).Message);
        Assert.Contains("'lr.max'", Assert.Throws<ArgumentException>(() => new ParamGroup([Parameter()])["lr.max"] = 1).Message);
        Assert.Contains("no hyper-parameter 'momentum'", Assert.Throws<KeyNotFoundException>(() => new ParamGroup([Parameter()])["momentum"]).Message);
    }

    [Fact]
    public void SchedulerArgumentsArePyTorchsShape()
    {
        Optimizer Sgd() => new SGD([Parameter()], lr: 0.1, momentum: 0.9);
        // lr_scheduler.LinearLR(o, start_factor=2) / end_factor=-1
        Assert.Equal("Starting multiplicative factor expected to be between 0 and 1. (Parameter 'startFactor')",
            Assert.Throws<ArgumentException>(() => new LinearLR(Sgd(), startFactor: 2)).Message);
        Assert.StartsWith("Ending multiplicative factor expected to be between 0 and 1.",
            Assert.Throws<ArgumentException>(() => new LinearLR(Sgd(), endFactor: -1)).Message);
        // lr_scheduler.OneCycleLR(o, max_lr=1, ...)
        Assert.StartsWith("Expected positive integer total_steps, but got 0",
            Assert.Throws<ArgumentException>(() => new OneCycleLR(Sgd(), 1, totalSteps: 0)).Message);
        Assert.Equal("You must define either total_steps OR (epochs AND steps_per_epoch)",
            Assert.Throws<ArgumentException>(() => new OneCycleLR(Sgd(), 1)).Message);
        Assert.StartsWith("Expected positive integer epochs, but got 0",
            Assert.Throws<ArgumentException>(() => new OneCycleLR(Sgd(), 1, epochs: 0, stepsPerEpoch: 2)).Message);
        Assert.StartsWith("Expected float between 0 and 1 pct_start, but got 1.5",
            Assert.Throws<ArgumentException>(() => new OneCycleLR(Sgd(), 1, totalSteps: 5, pctStart: 1.5)).Message);
        Assert.StartsWith("optimizer must support momentum with `cycle_momentum` option enabled",
            Assert.Throws<ArgumentException>(() => new OneCycleLR(new Adagrad([Parameter()]), 1, totalSteps: 5)).Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => new StepLR(Sgd(), stepSize: 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new CosineAnnealingLR(Sgd(), tMax: 0));
        // Resuming (last_epoch != -1) needs initial_lr in every group.
        Assert.Equal("param 'initial_lr' is not specified in param_groups[0] when resuming an optimizer",
            Assert.Throws<KeyNotFoundException>(() => new ExponentialLR(Sgd(), 0.9, lastEpoch: 3)).Message);
    }

    [Fact]
    public void OneCycleLRStopsAfterItsLastStep()
    {
        // o = SGD([w], lr=0.1, momentum=0.9); s = OneCycleLR(o, max_lr=1, total_steps=2): the rate is
        // 0.811745653949763 (momentum 0.8688255099070633), then 4e-06 (0.95), then 0.811745653949763
        // again (PyTorch allows step number == total_steps), then the next step raises.
        var w = Parameter();
        var sgd = new SGD([w], lr: 0.1, momentum: 0.9);
        var scheduler = new OneCycleLR(sgd, 1, totalSteps: 2);
        Assert.Equal(0.811745653949763, scheduler.GetLastLr()[0], 1e-12);
        Assert.Equal(0.8688255099070633, sgd.ParamGroups[0]["momentum"], 1e-12);
        sgd.Step();
        scheduler.Step();
        Assert.Equal(4e-06, scheduler.GetLastLr()[0], 1e-15);
        Assert.Equal(0.95, sgd.ParamGroups[0]["momentum"], 1e-12);
        sgd.Step();
        scheduler.Step();
        Assert.Equal(0.811745653949763, scheduler.GetLastLr()[0], 1e-12);
        sgd.Step();
        Assert.Equal("Tried to step 4 times. The specified number of total steps is 2",
            Assert.Throws<InvalidOperationException>(scheduler.Step).Message);
    }
}
