using NativeGrad.Backends;

namespace NativeGrad.Tests.Autograd;

/// <summary>Custom differentiable functions (torch.autograd.Function); expected values and messages from torch 1.13.</summary>
public class CustomFunctionTests
{
    public static TheoryData<BackendKind> Kinds => [BackendKind.Native, BackendKind.Managed];

    private sealed class Exp : Function
    {
        protected override Tensor Forward(FunctionContext ctx, Tensor[] inputs)
        {
            var result = inputs[0].Exp();
            ctx.SaveForBackward(result);
            return result;
        }

        protected override Tensor?[] Backward(FunctionContext ctx, Tensor gradOutput) => [gradOutput * ctx.SavedTensors[0]];
    }

    // PyTorch's MulConstant example: a non-tensor argument is a constructor parameter here.
    private sealed class MulConstant(double constant) : Function
    {
        protected override Tensor Forward(FunctionContext ctx, Tensor[] inputs)
        {
            ctx["constant"] = constant;
            return inputs[0] * constant;
        }

        protected override Tensor?[] Backward(FunctionContext ctx, Tensor gradOutput) => [gradOutput * (double)ctx["constant"]!];
    }

    private sealed class Square : Function
    {
        protected override Tensor Forward(FunctionContext ctx, Tensor[] inputs)
        {
            ctx.SaveForBackward(inputs[0]);
            return inputs[0] * inputs[0];
        }

        protected override Tensor?[] Backward(FunctionContext ctx, Tensor gradOutput) => [2 * ctx.SavedTensors[0] * gradOutput];
    }

    private sealed class Identity : Function
    {
        protected override Tensor Forward(FunctionContext ctx, Tensor[] inputs) => inputs[0];
        protected override Tensor?[] Backward(FunctionContext ctx, Tensor gradOutput) => [gradOutput * 3];
    }

    private sealed class Returns(Func<Tensor, Tensor?[]> backward) : Function
    {
        public bool[]? NeedsInputGrad { get; private set; }

        protected override Tensor Forward(FunctionContext ctx, Tensor[] inputs)
        {
            NeedsInputGrad = [.. ctx.NeedsInputGrad];
            return inputs[0] * 2;
        }

        protected override Tensor?[] Backward(FunctionContext ctx, Tensor gradOutput) => backward(gradOutput);
    }

    private sealed class ArgMaxAsFloat : Function
    {
        protected override Tensor Forward(FunctionContext ctx, Tensor[] inputs)
        {
            var result = inputs[0].Max(0).Indices.To(DType.Float32);
            ctx.MarkNonDifferentiable(result);
            return result;
        }

        protected override Tensor?[] Backward(FunctionContext ctx, Tensor gradOutput) => [null];
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Exp_matches_pytorch_with_its_node_name(BackendKind kind)
    {
        using var scope = Backend.Use(kind);
        var x = Tensor.From([0.5f, 1.0f], requiresGrad: true);
        var y = new Exp().Apply(x);
        Assert.Equal("tensor([1.6487, 2.7183], grad_fn=<ExpBackward>)", y.ToString());
        y.Sum().Backward();
        Assert.Equal("tensor([1.6487, 2.7183])", x.Grad!.ToString());
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Backward_is_recorded_under_create_graph(BackendKind kind)
    {
        using var scope = Backend.Use(kind);
        var x = Tensor.From([0.5f, 1.0f], requiresGrad: true);
        var g = NativeGrad.Autograd.Grad([new Exp().Apply(x).Sum()], [x], createGraph: true)[0]!;
        Assert.Equal("tensor([1.6487, 2.7183], grad_fn=<MulBackward0>)", g.ToString());
        g.Sum().Backward();
        Assert.Equal("tensor([1.6487, 2.7183])", x.Grad!.ToString());
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void A_constant_from_the_context(BackendKind kind)
    {
        using var scope = Backend.Use(kind);
        var x = Tensor.From([1f, 2f, 3f], requiresGrad: true);
        var y = new MulConstant(2.5).Apply(x);
        Assert.Equal("tensor([2.5000, 5.0000, 7.5000], grad_fn=<MulConstantBackward>)", y.ToString());
        y.Sum().Backward();
        Assert.Equal("tensor([2.5000, 2.5000, 2.5000])", x.Grad!.ToString());
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Passes_gradcheck_and_frees_its_saved_tensors(BackendKind kind)
    {
        using var scope = Backend.Use(kind);
        var w = Tensor.From([1.5, -2.0], requiresGrad: true);
        Assert.True(NativeGrad.Autograd.GradCheck(t => new Square().Apply(t[0]), [w]));
        var output = new Square().Apply(w);
        output.Sum().Backward();
        var second = Assert.Throws<InvalidOperationException>(() => output.Sum().Backward());
        Assert.StartsWith("Trying to backward through the graph a second time", second.Message);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void A_saved_input_changed_in_place_is_reported(BackendKind kind)
    {
        using var scope = Backend.Use(kind);
        var x = Tensor.From([1f, 2f], requiresGrad: true);
        var a = x.Clone();
        var output = new Square().Apply(a);
        a.Mul_(2);
        var error = Assert.Throws<InvalidOperationException>(() => output.Sum().Backward());
        Assert.StartsWith("one of the variables needed for gradient computation has been modified by an inplace operation: [torch.FloatTensor [2]], which is output 0 of MulBackward0, is at version 1; expected version 0 instead.", error.Message);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void An_input_returned_as_is_keeps_its_own_history(BackendKind kind)
    {
        using var scope = Backend.Use(kind);
        var x = Tensor.From([1f, 2f, 3f], requiresGrad: true);
        var z = new Identity().Apply(x);
        Assert.Equal("tensor([1., 2., 3.], grad_fn=<IdentityBackward>)", z.ToString());
        Assert.True(x.IsLeaf);
        Assert.Null(x.GradFn);
        z.Sum().Backward();
        Assert.Equal("tensor([3., 3., 3.])", x.Grad!.ToString());
    }

    [Fact]
    public void Needs_input_grad_and_ignored_gradients()
    {
        var x = Tensor.From([1f, 2f], requiresGrad: true);
        var f = new Returns(g => [g]);
        f.Apply(x).Sum().Backward();
        Assert.Equal([true], f.NeedsInputGrad!);
        var constant = Tensor.From([1f, 2f]);
        var g = new Returns(g => [g]);
        Assert.False(g.Apply(constant).RequiresGrad);
        Assert.Equal([false], g.NeedsInputGrad!);
    }

    [Fact]
    public void Wrong_gradient_count_and_shape_raise_pytorchs_errors()
    {
        var x = Tensor.From([1f, 2f], requiresGrad: true);
        var count = Assert.Throws<InvalidOperationException>(() => new Returns(g => [g, g]).Apply(x).Sum().Backward());
        Assert.Equal("function ReturnsBackward returned an incorrect number of gradients (expected 1, got 2)", count.Message);
        var shape = Assert.Throws<InvalidOperationException>(() => new Returns(_ => [Tensor.Ones(3)]).Apply(x).Sum().Backward());
        Assert.Equal("Function ReturnsBackward returned an invalid gradient at index 0 - got [3] but expected shape compatible with [2]", shape.Message);
        // A broadcastable gradient is summed to the input's shape, as in PyTorch.
        var y = Tensor.From([1f, 2f], requiresGrad: true);
        new Returns(_ => [Tensor.Ones(3, 2)]).Apply(y).Sum().Backward();
        Assert.Equal("tensor([3., 3.])", y.Grad!.ToString());
    }

    [Fact]
    public void A_result_marked_non_differentiable_does_not_require_grad()
    {
        var x = Tensor.From([1f, 3f, 2f], requiresGrad: true);
        var r = new ArgMaxAsFloat().Apply(x);
        Assert.False(r.RequiresGrad);
        Assert.Equal("tensor(1.)", r.ToString());
    }
}
