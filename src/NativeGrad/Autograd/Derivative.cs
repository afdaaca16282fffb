namespace NativeGrad;

/// <summary>d(loss)/d(input) from the node and d(loss)/d(output); written with Tensor ops so it can itself be differentiated.</summary>
internal delegate Tensor GradientFormula(Node node, Tensor grad);

/// <summary>Like <see cref="GradientFormula"/>, for operations with any number of inputs (cat, stack).</summary>
internal delegate Tensor VariadicGradientFormula(Node node, Tensor grad, int input);

/// <summary>Every input's gradient at once (null where none), for rules that compute them together: custom functions.</summary>
internal delegate Tensor?[] JointGradientFormula(Node node, Tensor grad);

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
    public static Derivative Joint(string name, JointGradientFormula formula) => new(name, formula);

    /// <summary>An entry whose inputs all share one formula, told which input it is computing.</summary>
    public static Derivative Variadic(string name, Save saves, VariadicGradientFormula formula) => new(name, saves, formula);

    public string Name { get; }

    public bool SavesInput(int index) => index < 3 && (saves & (Save)(1 << index)) != 0;

    public bool SavesOutput => (saves & Save.Output) != 0;

    /// <summary>The gradient of every input that needs one (null elsewhere).</summary>
    public Tensor?[] AllGradients(Node node, Tensor grad)
    {
        if (joint is not null) return joint(node, grad);
        var result = new Tensor?[node.Next.Length];
        for (int i = 0; i < result.Length; i++)
            if (node.Next[i] is not null)
                result[i] = Gradient(i, node, grad);
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
