using NativeGrad.Backends;
using NativeGrad.Optim;

namespace NativeGrad.Tests.Optim;

/// <summary>
/// What an optimizer does around the update itself, against PyTorch 1.13: zero_grad, in-place
/// updates of the same parameter objects, skipped parameters, groups, momentum cycling, and the
/// fused in-place math the updates use.
/// </summary>
public class OptimizerBehaviourTests
{
    public static TheoryData<BackendKind> Kinds => new() { BackendKind.Native, BackendKind.Managed };

    private static Tensor Loss(Tensor w) => (w * Tensor.From([1f, -2f, 3f])).Pow(2).Sum();

    [Fact]
    public void ZeroGradFillsTheSameGradientWithZerosByDefault()
    {
        // 1.13: zero_grad(set_to_none=False) is the default; the gradient tensor stays and is zeroed.
        var w = Tensor.From([1f, 2f, 3f], requiresGrad: true);
        var sgd = new SGD([w], lr: 0.1);
        Loss(w).Backward();
        var grad = w.Grad!;
        sgd.ZeroGrad();
        Assert.Same(grad, w.Grad);
        Assert.Equal([0f, 0f, 0f], grad.ToArray());
        sgd.ZeroGrad(setToNone: true);
        Assert.Null(w.Grad);
        sgd.ZeroGrad(); // nothing to clear
        Assert.Null(w.Grad);
    }

    [Fact]
    public void ZeroGradDetachesAGradientThatHasHistory()
    {
        // x.backward(create_graph=True) leaves a grad with a grad_fn; zero_grad detaches it first.
        var w = Tensor.From([1f, 2f, 3f], requiresGrad: true);
        Loss(w).Backward(createGraph: true);
        Assert.NotNull(w.Grad!.GradFn);
        new SGD([w], lr: 0.1).ZeroGrad();
        Assert.Null(w.Grad!.GradFn);
        Assert.False(w.Grad.RequiresGrad);
        Assert.Equal([0f, 0f, 0f], w.Grad.ToArray());
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void StepUpdatesTheSameParameterInPlaceAndSkipsParametersWithoutGradient(BackendKind kind)
    {
        using var scope = Backend.Use(kind);
        var w = Tensor.From([1f, 2f, 3f], requiresGrad: true);
        var unused = Tensor.From([5f, 6f], requiresGrad: true);
        var adam = new Adam([w, unused], lr: 0.1);
        Loss(w).Backward();
        int version = w.Version;
        // Grad mode is on here: the step itself must switch it off, or in-place on a leaf would throw.
        adam.Step();
        Assert.True(NativeGrad.Autograd.IsGradEnabled);
        Assert.True(w.IsLeaf);
        Assert.True(w.RequiresGrad);
        Assert.True(w.Version > version);
        // torch: w.tolist() after the step (about lr against each gradient's sign)
        Assert.Equal([0.9000000357627869f, 1.899999976158142f, 2.9000000953674316f], w.ToArray());
        Assert.Equal([5f, 6f], unused.ToArray());
        Assert.Empty(adam.StateOf(unused));
        Assert.Equal(["exp_avg", "exp_avg_sq", "step"], adam.StateOf(w).Keys.Order(StringComparer.Ordinal));
        Assert.Equal([0], adam.StateDict().State.Keys);
    }

    [Fact]
    public void AZeroGradientStillCountsAsAStep()
    {
        // torch: zero_grad() (not set_to_none) then step(): Adam's state step becomes 1, SGD's
        // momentum buffer exists; a gradient of None would skip both.
        var w = Tensor.From([1f, 2f], requiresGrad: true);
        w.Grad = Tensor.Zeros(2);
        var adam = new Adam([w]);
        adam.Step();
        Assert.Equal(1f, adam.StateOf(w)["step"].Item<float>());
        Assert.Equal([1f, 2f], w.ToArray());
    }

    [Fact]
    public void GroupsTakeTheDefaultsTheyDoNotSet()
    {
        var a = Tensor.Zeros(1).RequiresGrad_();
        var b = Tensor.Zeros(1).RequiresGrad_();
        var sgd = new SGD([new ParamGroup([a]) { Lr = 0.5, ["momentum"] = 0.1 }, new ParamGroup([b])], lr: 0.1, momentum: 0.9);
        Assert.Equal(0.5, sgd.ParamGroups[0].Lr);
        Assert.Equal(0.1, sgd.ParamGroups[0]["momentum"]);
        Assert.Equal(0.1, sgd.ParamGroups[1].Lr);
        Assert.Equal(0.9, sgd.ParamGroups[1]["momentum"]);
        Assert.Equal(0, sgd.ParamGroups[1]["nesterov"]);
        a.Grad = Tensor.Ones(1);
        b.Grad = Tensor.Ones(1);
        sgd.Step();
        Assert.Equal([-0.5f], a.ToArray());
        Assert.Equal([-0.1f], b.ToArray());

        var c = Tensor.Zeros(1).RequiresGrad_();
        sgd.AddParamGroup(new ParamGroup([c]) { Lr = 1 });
        Assert.Equal(0.9, sgd.ParamGroups[2]["momentum"]);
        Assert.Throws<ArgumentException>(() => sgd.AddParamGroup(new ParamGroup([a])));
    }

    [Fact]
    public void AdagradCreatesItsStateAtConstruction()
    {
        // torch: Adagrad([w], initial_accumulator_value=0.5).state[w] == {step: tensor(0.), sum: full(0.5)}
        var w = Tensor.Zeros(3).RequiresGrad_();
        var adagrad = new Adagrad([w], initialAccumulatorValue: 0.5);
        Assert.Equal(0f, adagrad.StateOf(w)["step"].Item<float>());
        Assert.Equal([0.5f, 0.5f, 0.5f], adagrad.StateOf(w)["sum"].ToArray());
    }

    [Fact]
    public void OneCycleLRCyclesAdamsBeta1AndSGDsMomentum()
    {
        // torch: Adam([w], lr=0.1); OneCycleLR(o, max_lr=0.5, total_steps=6, anneal_strategy='linear', three_phase=True)
        var w = Tensor.Zeros(2).RequiresGrad_();
        var adam = new Adam([w], lr: 0.1);
        var oneCycle = new OneCycleLR(adam, 0.5, totalSteps: 6, annealStrategy: AnnealStrategy.Linear, threePhase: true);
        double[] lrs = [0.02, 0.3799999999999999, 0.017647294117647056, 0.011765529411764704, 0.0058837647058823505, 1.9999999999985307e-06];
        double[] beta1s = [0.95, 0.875, 0.95, 0.95, 0.95, 0.95];
        for (int i = 0; i < lrs.Length; i++)
        {
            if (i > 0) { adam.Step(); oneCycle.Step(); }
            Assert.Equal(lrs[i], oneCycle.GetLastLr()[0], 1e-15);
            Assert.Equal(beta1s[i], adam.ParamGroups[0]["beta1"], 1e-15);
            Assert.Equal(0.999, adam.ParamGroups[0]["beta2"]);
        }

        // torch: SGD([w], lr=0.1, momentum=0.9); OneCycleLR(o, max_lr=0.5, epochs=2, steps_per_epoch=3)
        var sgd = new SGD([w], lr: 0.1, momentum: 0.9);
        var cycle = new OneCycleLR(sgd, 0.5, epochs: 2, stepsPerEpoch: 3);
        double[] momenta = [0.95, 0.8505584586887436, 0.8688255099070633, 0.9037365046793212, 0.9366525935914912, 0.95];
        for (int i = 0; i < momenta.Length; i++)
        {
            if (i > 0) { sgd.Step(); cycle.Step(); }
            Assert.Equal(momenta[i], sgd.ParamGroups[0]["momentum"], 1e-15);
        }
        Assert.Equal(["base_momentum", "dampening", "initial_lr", "lr", "max_lr", "max_momentum", "maximize", "min_lr", "momentum", "nesterov", "weight_decay"],
            sgd.ParamGroups[0].Options.Keys.Order(StringComparer.Ordinal));
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void FusedInPlaceMathMatchesPyTorch(BackendKind kind)
    {
        using var scope = Backend.Use(kind);
        var a = Tensor.From([0.5f, -1f, 2f]);
        var b = Tensor.From([4f, 0.25f, -3f]);
        Tensor X() => Tensor.From([1f, 2f, 3f]);
        // x = torch.tensor([1., 2., 3.]); a = torch.tensor([0.5, -1., 2.]); b = torch.tensor([4., 0.25, -3.])
        Assert.Equal([1.149999976158142f, 1.7000000476837158f, 3.5999999046325684f], X().Add_(a, 0.3).ToArray()); // x.add_(a, alpha=0.3)
        Assert.Equal([0f, 4f, -1f], X().Sub_(a, 2).ToArray()); // x.sub_(a, alpha=2)
        Assert.Equal([1.2000000476837158f, 1.975000023841858f, 2.4000000953674316f], X().Addcmul_(a, b, 0.1).ToArray()); // x.addcmul_(a, b, value=0.1)
        Assert.Equal([0.75f, 10f, 4.333333492279053f], X().Addcdiv_(a, b, -2).ToArray()); // x.addcdiv_(a, b, value=-2)
        Assert.Equal([1.75f, 1.5625f, 1.5f], X().Lerp_(b, 0.25).ToArray()); // x.lerp_(b, 0.25)
        Assert.Equal([3.25f, 0.6875f, -1.5f], X().Lerp_(b, 0.75).ToArray()); // x.lerp_(b, 0.75)
        Assert.Equal(b.ToArray(), X().Lerp_(b, 1).ToArray()); // x.lerp_(b, 1.0)
        Assert.Equal([1f, 1.4142135381698608f, 1.7320507764816284f], X().Sqrt_().ToArray()); // x.sqrt_()
        Assert.Equal([4f, 5f, -2f], Tensor.From([1f, 5f, -2f]).Maximum_(b).ToArray()); // torch.maximum(m, b, out=m)
        var x = X();
        Assert.Same(x, x.Addcdiv_(a, b));
    }

    [Fact]
    public void FusedInPlaceMathIsRecordedForAutograd()
    {
        // x = torch.tensor([1., 2.], requires_grad=True); y = x * 1; y.addcmul_(x, x, value=0.5)
        // y.sum().backward() -> x.grad = 1 + x = [2., 3.] (PyTorch's node is AddcmulBackward0; here
        // the op is a composition, so its node is that of its last primitive)
        var x = Tensor.From([1f, 2f], requiresGrad: true);
        var y = x * 1;
        y.Addcmul_(x, x, 0.5);
        Assert.NotNull(y.GradFn);
        y.Sum().Backward();
        Assert.Equal([2f, 3f], x.Grad!.ToArray());
        Assert.Throws<InvalidOperationException>(() => x.Addcdiv_(x, x));
    }
}
