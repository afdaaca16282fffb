using NativeGrad.Backends;

namespace NativeGrad.Tests.Autograd;

/// <summary>
/// Custom functions with several outputs (a torch.autograd.Function whose forward returns a tuple).
/// Expected values from torch 1.13, running the same two functions:
/// <code>
/// class ScaledExp(torch.autograd.Function):
///     @staticmethod
///     def forward(ctx, x, w):
///         a, b = x * w, x.exp(); ctx.save_for_backward(x, w, b); return a, b
///     @staticmethod
///     def backward(ctx, ga, gb):
///         x, w, b = ctx.saved_tensors; print("grads", ga, gb); return ga * w + gb * b, (ga * x).sum()
/// class SortWithIndex(torch.autograd.Function):
///     @staticmethod
///     def forward(ctx, x):
///         v, i = x.sort(); ctx.mark_non_differentiable(i); ctx.save_for_backward(i); return v, i
///     @staticmethod
///     def backward(ctx, gv, gi):
///         i, = ctx.saved_tensors; print("gi", gi); return torch.zeros_like(gv).scatter(0, i, gv)
/// x = torch.tensor([0.5, -1.0, 2.0], requires_grad=True); w = torch.tensor(3.0, requires_grad=True)
/// </code>
/// </summary>
public class MultiOutputFunctionTests
{
    public static TheoryData<BackendKind> Kinds => [BackendKind.Native, BackendKind.Managed];

    private sealed class ScaledExp : MultiOutputFunction
    {
        public List<Tensor[]> Received { get; } = [];

        protected override Tensor[] Forward(FunctionContext ctx, Tensor[] inputs)
        {
            var (x, w) = (inputs[0], inputs[1]);
            var b = x.Exp();
            ctx.SaveForBackward(x, w, b);
            return [x * w, b];
        }

        protected override Tensor?[] Backward(FunctionContext ctx, Tensor[] grads)
        {
            Received.Add(grads);
            var (x, w, b) = (ctx.SavedTensors[0], ctx.SavedTensors[1], ctx.SavedTensors[2]);
            return [grads[0] * w + grads[1] * b, (grads[0] * x).Sum()];
        }
    }

    private sealed class SortWithIndex : MultiOutputFunction
    {
        public Tensor? IndexGrad { get; private set; }

        protected override Tensor[] Forward(FunctionContext ctx, Tensor[] inputs)
        {
            var (values, indices) = inputs[0].Sort();
            ctx.MarkNonDifferentiable(indices);
            ctx.SaveForBackward(indices);
            return [values, indices];
        }

        protected override Tensor?[] Backward(FunctionContext ctx, Tensor[] grads)
        {
            IndexGrad = grads[1];
            return [Tensor.ZerosLike(grads[0]).Scatter(0, ctx.SavedTensors[0], grads[0])];
        }
    }

    private static (Tensor X, Tensor W) Inputs() => (Tensor.From([0.5f, -1f, 2f], requiresGrad: true), Tensor.From(3f, requiresGrad: true));

    // a, b = ScaledExp.apply(x, w); (a.sum() + (b * b).sum()).backward()
    [Theory]
    [MemberData(nameof(Kinds))]
    public void Backward_gets_one_gradient_per_output_and_runs_once(BackendKind kind)
    {
        using var scope = Backend.Use(kind);
        var (x, w) = Inputs();
        var f = new ScaledExp();
        var outputs = f.Apply(x, w);
        Assert.Equal("tensor([ 1.5000, -3.0000,  6.0000], grad_fn=<ScaledExpBackward>)", outputs[0].ToString());
        Assert.Equal("tensor([1.6487, 0.3679, 7.3891], grad_fn=<ScaledExpBackward>)", outputs[1].ToString());
        Assert.Same(outputs[0].GradFn!.NextFunctions[0], outputs[1].GradFn!.NextFunctions[0]);
        (outputs[0].Sum() + (outputs[1] * outputs[1]).Sum()).Backward();
        var received = Assert.Single(f.Received);
        Assert.Equal("tensor([1., 1., 1.])", received[0].ToString());
        Assert.Equal("tensor([ 3.2974,  0.7358, 14.7781])", received[1].ToString());
        Assert.Equal("tensor([  8.4366,   3.2707, 112.1963])", x.Grad!.ToString());
        Assert.Equal("tensor(1.5000)", w.Grad!.ToString());
    }

    // a, b = ScaledExp.apply(x, w); a.sum().backward(): b's gradient is materialized as zeros
    [Theory]
    [MemberData(nameof(Kinds))]
    public void An_unused_output_gets_zeros(BackendKind kind)
    {
        using var scope = Backend.Use(kind);
        var (x, w) = Inputs();
        var f = new ScaledExp();
        f.Apply(x, w)[0].Sum().Backward();
        Assert.Equal("tensor([0., 0., 0.])", Assert.Single(f.Received)[1].ToString());
        Assert.Equal("tensor([3., 3., 3.])", x.Grad!.ToString());
        Assert.Equal("tensor(1.5000)", w.Grad!.ToString());
    }

    // v, i = SortWithIndex.apply(x); (v * torch.tensor([1., 2., 3.])).sum().backward()
    [Theory]
    [MemberData(nameof(Kinds))]
    public void A_non_differentiable_output_gets_zeros_of_its_dtype(BackendKind kind)
    {
        using var scope = Backend.Use(kind);
        var (x, _) = Inputs();
        var f = new SortWithIndex();
        var outputs = f.Apply(x);
        Assert.Equal("tensor([-1.0000,  0.5000,  2.0000], grad_fn=<SortWithIndexBackward>)", outputs[0].ToString());
        Assert.Equal("tensor([1, 0, 2])", outputs[1].ToString());
        Assert.False(outputs[1].RequiresGrad);
        (outputs[0] * Tensor.From([1f, 2f, 3f])).Sum().Backward();
        Assert.Equal("tensor([0, 0, 0])", f.IndexGrad!.ToString());
        Assert.Equal("tensor([2., 1., 3.])", x.Grad!.ToString());
    }

    // a, b = ScaledExp.apply(x, w); g, = torch.autograd.grad((a * b).sum(), x, create_graph=True); g.sum().backward()
    [Theory]
    [MemberData(nameof(Kinds))]
    public void Backward_is_differentiable_again(BackendKind kind)
    {
        using var scope = Backend.Use(kind);
        var (x, w) = Inputs();
        var outputs = new ScaledExp().Apply(x, w);
        var g = NativeGrad.Autograd.Grad([(outputs[0] * outputs[1]).Sum()], [x], createGraph: true)[0]!;
        Assert.Equal("tensor([ 7.4192,  0.0000, 66.5015], grad_fn=<AddBackward0>)", g.ToString());
        g.Sum().Backward();
        Assert.Equal("tensor([12.3654,  1.1036, 88.6687])", x.Grad!.ToString());
        Assert.Equal("tensor(24.6403)", w.Grad!.ToString());
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Gradients_match_finite_differences_to_second_order(BackendKind kind)
    {
        using var scope = Backend.Use(kind);
        Tensor.ManualSeed(4);
        Tensor[] inputs = [Tensor.Randn([3, 2], DType.Float64).RequiresGrad_(), Tensor.Randn([], DType.Float64).RequiresGrad_()];
        Tensor F(Tensor[] t)
        {
            var o = new ScaledExp().Apply(t[0], t[1]);
            return (o[0] * o[1]).Sum(0) + o[1].Pow(2L).Sum(1).Sum();
        }
        Assert.True(NativeGrad.Autograd.GradCheck(F, inputs));
        Assert.True(NativeGrad.Autograd.GradCheck(t =>
        {
            using var enabled = NativeGrad.Autograd.EnableGrad();
            var grads = NativeGrad.Autograd.Grad([F(t).Pow(2L).Sum()], t, createGraph: true);
            return Tensor.Cat(grads.Select(gr => gr!.Reshape(-1)).ToArray());
        }, inputs));
    }
}
