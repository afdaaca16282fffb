namespace NativeGrad;

/// <summary>
/// A <see cref="Function"/> whose forward returns several tensors (a torch.autograd.Function whose
/// forward returns a tuple): <see cref="Backward"/> receives one gradient per output, zeros for an
/// output the loss did not use and for a non-differentiable one (PyTorch's default,
/// materialize_grads), and runs once per backward pass however many outputs were used. Every
/// differentiable output prints <c>grad_fn=&lt;ClassBackward&gt;</c>.
/// </summary>
/// <example>
/// <code>
/// sealed class ScaledExp : MultiOutputFunction
/// {
///     protected override Tensor[] Forward(FunctionContext ctx, Tensor[] inputs)
///     {
///         var (x, w) = (inputs[0], inputs[1]);
///         var b = x.Exp();
///         ctx.SaveForBackward(x, w, b);
///         return [x * w, b];
///     }
///     protected override Tensor?[] Backward(FunctionContext ctx, Tensor[] grads)
///     {
///         var (x, w, b) = (ctx.SavedTensors[0], ctx.SavedTensors[1], ctx.SavedTensors[2]);
///         return [grads[0] * w + grads[1] * b, (grads[0] * x).Sum()];
///     }
/// }
/// var outputs = new ScaledExp().Apply(x, w);
/// </code>
/// </example>
/// <remarks>
/// The engine gives each node one gradient, so the function is one node (its backward) fed by
/// one node per differentiable output, all named after the class: each output's node places its
/// gradient in a flat gradient of all the outputs, the engine sums them, and the function's node
/// splits the sum back into one gradient per output. <c>y1.GradFn</c> and <c>y2.GradFn</c> are
/// therefore two nodes, where PyTorch has one; their next function is the shared one.
/// </remarks>
public abstract class MultiOutputFunction
{
    /// <summary>The results of the operation on <paramref name="inputs"/>; runs without recording.</summary>
    protected abstract Tensor[] Forward(FunctionContext ctx, Tensor[] inputs);

    /// <summary>One gradient per input (null for an input that gets none), from one gradient per output.</summary>
    protected abstract Tensor?[] Backward(FunctionContext ctx, Tensor[] gradOutputs);

    /// <summary>The nodes' name: the class name followed by "Backward", as PyTorch names it.</summary>
    protected virtual string Name => GetType().Name + "Backward";

    /// <summary>Runs <see cref="Forward"/> and records its results with <see cref="Backward"/> as their joint rule.</summary>
    public Tensor[] Apply(params Tensor[] inputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        for (int i = 0; i < inputs.Length; i++)
            if (inputs[i] is null) throw new ArgumentNullException(nameof(inputs), $"{GetType().Name}.Apply: input {i} is null");
        var ctx = new FunctionContext(Array.ConvertAll(inputs, input => input.RequiresGrad));
        Tensor[] outputs;
        using (GradMode.Set(false))
            outputs = (Tensor[]?)Forward(ctx, inputs)?.Clone() ?? throw new InvalidOperationException($"{GetType().Name}.Forward returned null; it must return tensors");
        for (int k = 0; k < outputs.Length; k++)
        {
            if (outputs[k] is null) throw new InvalidOperationException($"{GetType().Name}.Forward returned null as output {k}");
            // An input (or an earlier output) returned as it is becomes a view, so that it keeps its own history.
            if (Array.Exists(inputs, input => ReferenceEquals(input, outputs[k])) || Array.FindIndex(outputs, o => ReferenceEquals(o, outputs[k])) < k)
                outputs[k] = outputs[k].View([.. outputs[k].Shape], [.. outputs[k].Strides], outputs[k].offset);
        }
        var differentiable = Array.ConvertAll(outputs, o => o.DType.IsFloatingPoint() && !ctx.IsNonDifferentiable(o));
        if (!GradMode.IsRecording || !Array.Exists(inputs, input => input.RequiresGrad) || !Array.Exists(differentiable, d => d))
            return outputs;

        var layout = new Packing(outputs, differentiable);
        string name = Name;
        var packed = Tensor.Empty([layout.Total], layout.DType); // only its shape and dtype matter: it carries gradients
        Node.Record(packed, Derivative.Joint(name, (node, grad) => RunBackward(ctx, node, layout.Unpack(grad), name)), inputs, null, ctx.Stashed);
        for (int k = 0; k < outputs.Length; k++)
        {
            int output = k;
            if (differentiable[k])
                Node.Record(outputs[k], new Derivative(name, Save.Nothing, (_, g) => layout.Pack(g, output)), [packed]);
        }
        return outputs;
    }

    private Tensor?[] RunBackward(FunctionContext ctx, Node node, Tensor[] grads, string name)
    {
        ctx.Node = node;
        return Function.CheckedGradients(Backward(ctx, grads), node, name);
    }

    /// <summary>Where each differentiable output's gradient sits in the flat gradient of all of them.</summary>
    private sealed class Packing
    {
        private readonly long[][] shapes;
        private readonly DType[] dtypes;
        private readonly long[] starts;
        private readonly bool[] differentiable;

        public Packing(Tensor[] outputs, bool[] differentiable)
        {
            this.differentiable = differentiable;
            shapes = Array.ConvertAll(outputs, o => o.Shape.ToArray());
            dtypes = Array.ConvertAll(outputs, o => o.DType);
            starts = new long[outputs.Length];
            DType = DType.Float32;
            for (int k = 0; k < outputs.Length; k++)
            {
                starts[k] = Total;
                if (!differentiable[k]) continue;
                Total += outputs[k].NumElements;
                if (outputs[k].DType == DType.Float64) DType = DType.Float64;
            }
        }

        public long Total { get; }

        public DType DType { get; }

        // Output k's gradient placed in zeros elsewhere: differentiable again, so createGraph works.
        public Tensor Pack(Tensor grad, int k)
        {
            long size = ShapeMath.Product(shapes[k]);
            return Tensor.Cat([Tensor.Zeros([starts[k]], DType), grad.Reshape(-1).To(DType), Tensor.Zeros([Total - starts[k] - size], DType)]);
        }

        public Tensor[] Unpack(Tensor grad)
        {
            var grads = new Tensor[shapes.Length];
            for (int k = 0; k < grads.Length; k++)
                grads[k] = differentiable[k]
                    ? grad.Narrow(0, starts[k], ShapeMath.Product(shapes[k])).Reshape(shapes[k]).To(dtypes[k])
                    : Tensor.Zeros(shapes[k], dtypes[k]);
            return grads;
        }
    }
}
