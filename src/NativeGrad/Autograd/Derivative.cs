namespace NativeGrad;

/// <summary>
/// What a rule reads about the op it differentiates: its inputs, result and arguments. In
/// backward that is the recorded <see cref="Node"/> (its saved tensors); in forward mode, the op
/// being computed (<see cref="ForwardContext"/>).
/// </summary>
internal interface IOpRecord
{
    Tensor Input(int index);

    Tensor Output { get; }

    OpArgs Args { get; }

    InputInfo[] Inputs { get; }
}

/// <summary>d(loss)/d(input) from the node and d(loss)/d(output); written with Tensor ops so it can itself be differentiated.</summary>
internal delegate Tensor GradientFormula(IOpRecord node, Tensor grad);

/// <summary>Like <see cref="GradientFormula"/>, for operations with any number of inputs (cat, stack).</summary>
internal delegate Tensor VariadicGradientFormula(Node node, Tensor grad, int input);

/// <summary>Every input's gradient at once (null where none), for rules that compute them together: custom functions.</summary>
internal delegate Tensor?[] JointGradientFormula(Node node, Tensor grad);

/// <summary>
/// One input's share of the result's tangent in forward mode (derivatives.yaml's <c>result:</c>
/// line, term by term): the Jacobian of the result with respect to that input applied to the
/// input's tangent. The shares of the inputs that have a tangent are added; a share may have the
/// input's broadcast shape, and is expanded to the result's.
/// </summary>
internal delegate Tensor TangentFormula(ForwardContext f, Tensor tangent);

/// <summary>
/// Adds an input's gradient into <paramref name="sink"/> (of the input's shape and dtype) in place,
/// rounding each element as computing the gradient and then adding it would, or with
/// <paramref name="overwrite"/> writes it there (the sink is uninitialised); false when it cannot,
/// and then the engine computes the gradient as usual.
/// </summary>
internal delegate bool AccumulatingFormula(IOpRecord node, Tensor grad, Tensor sink, bool overwrite);

/// <summary>
/// Where the engine lets a rule add an input's gradient directly: the .grad of the leaf behind
/// <paramref name="Accumulator"/> (the AccumulateGrad node that serialises writes to it), seen
/// through a transpose when <paramref name="Transposed"/>, in the input's layout.
/// </summary>
internal readonly record struct GradientSink(Node Accumulator, bool Transposed, InputInfo Input)
{
    /// <summary>
    /// The leaf's .grad as the input sees it, if it has one a rule may add into; else, when it has
    /// none, a new uninitialised gradient (<paramref name="fresh"/>) to write and then
    /// <see cref="Adopt"/>, as PyTorch steals a first gradient instead of copying it. Read under
    /// the accumulator's lock.
    /// </summary>
    public Tensor? Target(out bool fresh)
    {
        var leaf = Accumulator.Variable!;
        var existing = leaf.GradWithoutWarning;
        fresh = existing is null;
        if (fresh && leaf.DType == Input.DType) existing = Tensor.Empty([.. leaf.Shape], leaf.DType);
        if (existing is null || !existing.IsContiguous || existing.DType != Input.DType) return null;
        var target = Transposed ? existing.PermuteRaw([1, 0]) : existing;
        return target.Shape.SequenceEqual(Input.Shape) ? target : null;
    }

    /// <summary>Makes a fresh target, now written, the leaf's .grad.</summary>
    public void Adopt(Tensor target) => Accumulator.Variable!.SetGradFromEngine(Transposed ? target.PermuteRaw([1, 0]) : target);
}

/// <summary>The result's tangent from every input's tangent at once (cat, stack, custom functions).</summary>
internal delegate Tensor JointTangentFormula(ForwardContext f);

/// <summary>Which forward values a node keeps for its backward rule.</summary>
[Flags]
internal enum Save
{
    Nothing = 0,
    Input0 = 1,
    Input1 = 2,
    Input2 = 4,
    Inputs = Input0 | Input1 | Input2,
    Output = 8,
}

/// <summary>
/// One entry of the derivative table: PyTorch's node name, what to save, and one formula per
/// differentiable input (null marks an input that is not differentiable).
/// </summary>
internal sealed class Derivative
{
    private readonly GradientFormula?[] formulas;
    private readonly VariadicGradientFormula? variadic;
    private readonly JointGradientFormula? joint;
    private readonly Save saves;

    public Derivative(string name, Save saves, params GradientFormula?[] formulas)
    {
        Name = name;
        this.saves = saves;
        this.formulas = formulas;
    }

    private Derivative(string name, Save saves, VariadicGradientFormula variadic)
    {
        Name = name;
        this.saves = saves;
        formulas = [];
        this.variadic = variadic;
    }

    private Derivative(string name, JointGradientFormula joint)
    {
        Name = name;
        formulas = [];
        this.joint = joint;
    }

    /// <summary>An entry whose formula returns every input's gradient in one call.</summary>
    public static Derivative Joint(string name, JointGradientFormula formula, JointTangentFormula? forward = null) =>
        new(name, formula) { ForwardJoint = forward };

    /// <summary>An entry whose inputs all share one formula, told which input it is computing.</summary>
    public static Derivative Variadic(string name, Save saves, VariadicGradientFormula formula, JointTangentFormula forward) =>
        new(name, saves, formula) { ForwardJoint = forward };

    public string Name { get; }

    /// <summary>The forward-mode rule, one share per input (null for an input that is not differentiable).</summary>
    public TangentFormula?[]? Forward { get; init; }

    /// <summary>
    /// Per input, a formula that adds the gradient straight into a leaf's existing .grad (see
    /// Engine.SinkFor), sparing the gradient's own tensor and the pass that would add it.
    /// </summary>
    public AccumulatingFormula?[]? Accumulating { get; init; }

    /// <summary>The forward-mode rule for all inputs together, instead of <see cref="Forward"/>.</summary>
    public JointTangentFormula? ForwardJoint { get; init; }

    /// <summary>
    /// The forward rule is the backward formulas applied to the tangent instead of the gradient:
    /// true of elementwise ops, whose Jacobian is diagonal (up to broadcasting, which the engine
    /// undoes in backward and the expression itself does in forward), and of linear maps that are
    /// their own adjoint (transpose, flip, tril, softmax's symmetric Jacobian).
    /// </summary>
    public bool ForwardAsBackward { get; init; }

    /// <summary>Whether the entry has a forward-mode rule.</summary>
    public bool HasForwardRule => Forward is not null || ForwardJoint is not null || ForwardAsBackward;

    /// <summary>The result's tangent from the inputs' tangents in <paramref name="f"/>; null when only non-differentiable inputs have one.</summary>
    public Tensor? Tangent(ForwardContext f)
    {
        if (ForwardJoint is not null) return ForwardJoint(f);
        if (Forward is null && !ForwardAsBackward) throw new NotSupportedException(ForwardAD.NotSupportedMessage(Name));
        Tensor? sum = null;
        for (int i = 0; i < f.InputCount; i++)
        {
            if (f.Tangent(i) is not { } tangent) continue;
            TangentFormula? rule = ForwardAsBackward
                ? (i < formulas.Length && formulas[i] is { } backward ? (context, t) => backward(context, t) : null)
                : i < Forward!.Length ? Forward[i] : null;
            if (rule is null)
            {
                // An input the backward marks not differentiable contributes nothing, as in PyTorch.
                if (variadic is null && (i >= formulas.Length || formulas[i] is null)) continue;
                throw new NotSupportedException(ForwardAD.NotSupportedMessage(Name));
            }
            var share = rule(f, tangent);
            sum = sum is null ? share : sum + share;
        }
        return sum;
    }

    public bool SavesInput(int index) => index < 3 && (saves & (Save)(1 << index)) != 0;

    public bool SavesOutput => (saves & Save.Output) != 0;

    private static long gradientsAddedInPlace;

    /// <summary>How many gradients rules have added straight into a sink, process-wide (for tests).</summary>
    internal static long GradientsAddedInPlace => Interlocked.Read(ref gradientsAddedInPlace);

    /// <summary>
    /// The gradient of every input that needs one (null elsewhere, and where a rule added it into
    /// the sink <paramref name="sinkFor"/> gave for that input).
    /// </summary>
    public Tensor?[] AllGradients(Node node, Tensor grad, Func<int, GradientSink?>? sinkFor = null)
    {
        if (joint is not null) return joint(node, grad);
        var result = new Tensor?[node.Next.Length];
        for (int i = 0; i < result.Length; i++)
        {
            if (node.Next[i] is null) continue;
            // A gradient added into its sink reaches the leaf already: nothing flows on that edge.
            if (Accumulating is { } accumulating && i < accumulating.Length && accumulating[i] is { } into
                && sinkFor?.Invoke(i) is { } sink)
                lock (sink.Accumulator)
                    if (sink.Target(out bool fresh) is { } target && into(node, grad, target, overwrite: fresh))
                    {
                        if (fresh) sink.Adopt(target);
                        Interlocked.Increment(ref gradientsAddedInPlace);
                        continue;
                    }
            result[i] = Gradient(i, node, grad);
        }
        return result;
    }

    public Tensor Gradient(int input, Node node, Tensor grad)
    {
        if (variadic is not null) return variadic(node, grad, input);
        var formula = input < formulas.Length ? formulas[input] : null;
        return formula is null
            ? throw new InvalidOperationException($"the derivative for input {input} of {Name} is not implemented")
            : formula(node, grad);
    }
}
