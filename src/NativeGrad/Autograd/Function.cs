namespace NativeGrad;

/// <summary>
/// A differentiable operation of your own (torch.autograd.Function): <see cref="Forward"/>
/// computes the result from the inputs (nothing inside it is recorded), <see cref="Backward"/>
/// turns the gradient of the result into one gradient per input. Call <see cref="Apply"/>; the
/// result's grad_fn is named after the class, "ExpBackward" for <c>class Exp : Function</c>, as in
/// PyTorch. Backward is written with Tensor ops, so it is itself recorded under
/// <c>createGraph</c> and can be differentiated again.
/// </summary>
/// <example>
/// <code>
/// sealed class Exp : Function
/// {
///     protected override Tensor Forward(FunctionContext ctx, Tensor[] inputs)
///     {
///         var result = inputs[0].Exp();
///         ctx.SaveForBackward(result);
///         return result;
///     }
///     protected override Tensor?[] Backward(FunctionContext ctx, Tensor gradOutput) =>
///         [gradOutput * ctx.SavedTensors[0]];
/// }
/// var y = new Exp().Apply(x);
/// </code>
/// </example>
public abstract class Function
{
    /// <summary>The result of the operation on <paramref name="inputs"/>; runs without recording.</summary>
    protected abstract Tensor Forward(FunctionContext ctx, Tensor[] inputs);

    /// <summary>One gradient per input (null for an input that gets none), from the result's gradient.</summary>
    protected abstract Tensor?[] Backward(FunctionContext ctx, Tensor gradOutput);

    /// <summary>
    /// The tangent of the result from the inputs' tangents (forward-mode AD, torch's <c>jvp</c>
    /// staticmethod), one per input, zeros for an input that has none. Override it to use the
    /// function inside <see cref="ForwardAD.DualLevel"/>; what <see cref="Forward"/> saved is in
    /// <paramref name="ctx"/>'s values.
    /// </summary>
    /// <exception cref="NotSupportedException">Not overridden: the function has no forward rule.</exception>
    protected virtual Tensor Jvp(FunctionContext ctx, Tensor[] tangents) =>
        throw new NotSupportedException("You must implement the jvp function for custom autograd.Function to use it with forward mode AD.");

    /// <summary>The node's name: the class name followed by "Backward", as PyTorch names it.</summary>
    protected virtual string Name => GetType().Name + "Backward";

    /// <summary>Runs <see cref="Forward"/> and records the result with <see cref="Backward"/> as its rule.</summary>
    public Tensor Apply(params Tensor[] inputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        for (int i = 0; i < inputs.Length; i++)
            if (inputs[i] is null) throw new ArgumentNullException(nameof(inputs), $"{GetType().Name}.Apply: input {i} is null");
        var ctx = new FunctionContext(Array.ConvertAll(inputs, input => input.RequiresGrad));
        Tensor output;
        using (GradMode.Set(false))
            output = Forward(ctx, inputs) ?? throw new InvalidOperationException($"{GetType().Name}.Forward returned null; it must return a tensor");
        // An input returned as it is becomes a view of itself, so that the input keeps its own history.
        if (Array.Exists(inputs, input => ReferenceEquals(input, output)))
            output = output.View([.. output.Shape], [.. output.Strides], output.offset);
        if (ctx.IsNonDifferentiable(output)) return output;
        string name = Name;
        var derivative = Derivative.Joint(name, (node, grad) => RunBackward(ctx, node, grad, name), f => RunJvp(ctx, f, name));
        return Node.Record(output, derivative, inputs, null, ctx.Stashed);
    }

    private Tensor RunJvp(FunctionContext ctx, ForwardContext f, string name)
    {
        var tangents = new Tensor[f.InputCount];
        for (int i = 0; i < tangents.Length; i++) tangents[i] = f.TangentOrZeros(i);
        var tangent = Jvp(ctx, tangents) ?? throw new InvalidOperationException($"function {name} returned null from Jvp; it must return the result's tangent");
        if (!tangent.shape.AsSpan().SequenceEqual(f.Output.shape))
            throw new InvalidOperationException($"Function {name} returned an invalid tangent of shape {ShapeMath.Format(tangent.shape)}, expected the result's {ShapeMath.Format(f.Output.shape)}");
        return tangent;
    }

    private Tensor?[] RunBackward(FunctionContext ctx, Node node, Tensor grad, string name)
    {
        ctx.Node = node;
        return CheckedGradients(Backward(ctx, grad), node, name);
    }

    /// <summary>A custom backward's gradients, after PyTorch's checks of their number and shapes; null for inputs that need none.</summary>
    internal static Tensor?[] CheckedGradients(Tensor?[]? grads, Node node, string name)
    {
        if (grads is null) throw new InvalidOperationException($"function {name} returned null instead of its gradients");
        if (grads.Length != node.Next.Length)
            throw new InvalidOperationException($"function {name} returned an incorrect number of gradients (expected {node.Next.Length}, got {grads.Length})");
        var result = new Tensor?[grads.Length];
        for (int i = 0; i < grads.Length; i++)
        {
            if (grads[i] is not { } g || node.Next[i] is null) continue; // an input that needs no gradient ignores one
            if (!ShapeMath.BroadcastsInto(node.Inputs[i].Shape, g.shape))
                throw new InvalidOperationException($"Function {name} returned an invalid gradient at index {i} - got {ShapeMath.Format(g.shape)} but expected shape compatible with {ShapeMath.Format(node.Inputs[i].Shape)}");
            result[i] = g;
        }
        return result;
    }
}

/// <summary>What a <see cref="Function"/>'s forward leaves for its backward (PyTorch's ctx).</summary>
public sealed class FunctionContext
{
    private readonly bool[] needsInputGrad;
    private readonly Dictionary<string, object?> values = [];
    private List<Tensor>? nonDifferentiable;

    internal FunctionContext(bool[] needsInputGrad) => this.needsInputGrad = needsInputGrad;

    internal Tensor[] Stashed { get; private set; } = [];

    internal Node? Node { get; set; }

    /// <summary>Whether each input required grad when the function was applied (ctx.needs_input_grad).</summary>
    public IReadOnlyList<bool> NeedsInputGrad => needsInputGrad;

    /// <summary>
    /// Keeps inputs or the result for backward (ctx.save_for_backward); an in-place change to one
    /// of them before backward is reported as PyTorch reports it.
    /// </summary>
    public void SaveForBackward(params Tensor[] tensors)
    {
        ArgumentNullException.ThrowIfNull(tensors);
        Stashed = (Tensor[])tensors.Clone();
    }

    /// <summary>The tensors given to <see cref="SaveForBackward"/>, read in backward (ctx.saved_tensors).</summary>
    public IReadOnlyList<Tensor> SavedTensors => Node is { } node ? node.SavedExtras()
        : throw new InvalidOperationException("SavedTensors can be read in Backward only; Forward has the tensors it saved at hand");

    /// <summary>Marks the result as not differentiable (ctx.mark_non_differentiable): it will not require grad.</summary>
    public void MarkNonDifferentiable(params Tensor[] outputs)
    {
        ArgumentNullException.ThrowIfNull(outputs);
        (nonDifferentiable ??= []).AddRange(outputs);
    }

    internal bool IsNonDifferentiable(Tensor output) => nonDifferentiable?.Exists(t => ReferenceEquals(t, output)) == true;

    /// <summary>Any other value forward wants backward to have (PyTorch's <c>ctx.constant = ...</c>).</summary>
    public object? this[string key]
    {
        get => values.TryGetValue(key, out var value) ? value : throw new KeyNotFoundException($"the context has no value '{key}'; set ctx[\"{key}\"] in Forward");
        set => values[key] = value;
    }
}
