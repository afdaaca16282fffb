namespace NativeGrad.Optim;

/// <summary>
/// The base of every optimizer (torch.optim.Optimizer): parameter groups with their
/// hyper-parameters, per-parameter state, <see cref="ZeroGrad"/>, <see cref="Step()"/> and the
/// state dict. A step updates each parameter's storage in place under no-grad, so the parameter
/// tensors a model holds stay the same objects; parameters whose <see cref="Tensor.Grad"/> is null
/// are skipped.
/// </summary>
public abstract class Optimizer
{
    private readonly List<ParamGroup> paramGroups = [];
    private readonly Dictionary<string, double> defaults;
    // Keyed by the tensor object, as PyTorch keys self.state, so a parameter listed twice has one state.
    private readonly Dictionary<Tensor, Dictionary<string, Tensor>> state = new(ReferenceEqualityComparer.Instance);

    /// <summary>An optimizer of one group holding <paramref name="parameters"/>.</summary>
    /// <param name="parameters">The tensors to optimize: leaves (or tensors that retain their gradient).</param>
    /// <param name="defaults">Every hyper-parameter with its value for groups that do not set it.</param>
    protected Optimizer(IEnumerable<Tensor> parameters, IReadOnlyDictionary<string, double> defaults)
        : this([new ParamGroup(parameters ?? throw new ArgumentNullException(nameof(parameters)))], defaults, singleGroup: true)
    {
    }

    /// <summary>An optimizer of several groups; each group's missing hyper-parameters take <paramref name="defaults"/>.</summary>
    protected Optimizer(IEnumerable<ParamGroup> paramGroups, IReadOnlyDictionary<string, double> defaults)
        : this([.. paramGroups ?? throw new ArgumentNullException(nameof(paramGroups))], defaults, singleGroup: false)
    {
    }

    private Optimizer(List<ParamGroup> groups, IReadOnlyDictionary<string, double> defaults, bool singleGroup)
    {
        ArgumentNullException.ThrowIfNull(defaults);
        this.defaults = new Dictionary<string, double>(defaults);
        if (groups.Count == 0 || (singleGroup && groups[0].Parameters.Count == 0))
            throw new ArgumentException("optimizer got an empty parameter list");
        foreach (var group in groups)
            AddParamGroup(group);
    }

    /// <summary>The parameter groups, in order (torch's param_groups).</summary>
    public IReadOnlyList<ParamGroup> ParamGroups => paramGroups;

    /// <summary>The hyper-parameters groups get when they do not set their own (torch's defaults).</summary>
    public IReadOnlyDictionary<string, double> Defaults => defaults;

    /// <summary>How many times <see cref="Step()"/> ran since a scheduler attached (what PyTorch counts to warn about the call order).</summary>
    internal int StepCount { get; set; }

    /// <summary>
    /// Adds a group (torch's add_param_group): its parameters must be leaves (or retain their
    /// gradient) and belong to no other group; hyper-parameters it does not set take the defaults.
    /// </summary>
    public void AddParamGroup(ParamGroup group)
    {
        ArgumentNullException.ThrowIfNull(group);
        foreach (var parameter in group.Parameters)
            if (!parameter.IsLeaf && !parameter.RetainsGrad)
                throw new ArgumentException("can't optimize a non-leaf Tensor");
        foreach (var (name, value) in defaults)
            group.SetDefault(name, value);

        var inGroup = new HashSet<Tensor>(ReferenceEqualityComparer.Instance);
        if (!group.Parameters.All(inGroup.Add))
            Warnings.Warn("optimizer contains a parameter group with duplicate parameters; in future, this will cause an error; " +
                          "see github.com/pytorch/pytorch/issues/40967 for more information");
        if (paramGroups.Any(existing => ReferenceEquals(existing, group) || existing.Parameters.Any(inGroup.Contains)))
            throw new ArgumentException("some parameters appear in more than one parameter group");
        paramGroups.Add(group);
    }

    /// <summary>
    /// Clears the gradients of every parameter (torch's zero_grad). With
    /// <paramref name="setToNone"/> false (PyTorch 1.13's default) each gradient is detached and
    /// filled with zeros in place; with true it is set to null, which makes the next step skip
    /// parameters that get no gradient.
    /// </summary>
    public void ZeroGrad(bool setToNone = false)
    {
        foreach (var group in paramGroups)
            foreach (var parameter in group.Parameters)
            {
                if (parameter.Grad is not { } grad) continue;
                if (setToNone)
                {
                    parameter.Grad = null;
                    continue;
                }
                if (grad.GradFn is not null) grad.Detach_();
                else grad.RequiresGrad_(false);
                grad.Zero_();
            }
    }

    /// <summary>One optimization step over every parameter that has a gradient (torch's step()).</summary>
    public void Step()
    {
        using (Autograd.NoGrad())
            foreach (var group in paramGroups)
                foreach (var parameter in group.Parameters)
                    if (parameter.Grad is { } grad)
                    {
                        var state = StateFor(parameter);
                        Update(group, parameter, grad, state);
                        // The state outlives the step, and any TensorScope around it.
                        foreach (var value in state.Values) TensorScope.Release(value);
                    }
        StepCount++;
    }

    /// <summary>
    /// Evaluates <paramref name="closure"/> with gradient recording on (it typically zeroes the
    /// gradients, computes the loss and calls backward), then steps; returns the closure's loss.
    /// </summary>
    public Tensor Step(Func<Tensor> closure)
    {
        ArgumentNullException.ThrowIfNull(closure);
        Tensor loss;
        using (Autograd.EnableGrad())
            loss = closure();
        Step();
        return loss;
    }

    /// <summary>
    /// Updates one parameter in place from its gradient. Runs under no-grad; <paramref name="state"/>
    /// is the parameter's own state, empty before its first step.
    /// </summary>
    protected abstract void Update(ParamGroup group, Tensor parameter, Tensor grad, Dictionary<string, Tensor> state);

    /// <summary>The state of <paramref name="parameter"/> (empty before its first step); the tensors are the live ones.</summary>
    public IReadOnlyDictionary<string, Tensor> StateOf(Tensor parameter)
    {
        ArgumentNullException.ThrowIfNull(parameter);
        return state.TryGetValue(parameter, out var entries) ? entries : new Dictionary<string, Tensor>();
    }

    /// <summary>The parameter's state, created empty on first use.</summary>
    protected Dictionary<string, Tensor> StateFor(Tensor parameter)
    {
        if (!state.TryGetValue(parameter, out var entries))
            state[parameter] = entries = [];
        return entries;
    }

    /// <summary>
    /// A snapshot of the state (torch's state_dict()): parameters are numbered across the groups in
    /// order, and the tensors are copies, so later steps do not change a saved dict.
    /// </summary>
    public OptimizerStateDict StateDict()
    {
        var result = new OptimizerStateDict();
        var indices = ParameterIndices();
        foreach (var group in paramGroups)
            result.ParamGroups.Add(new ParamGroupState(
                [.. group.Parameters.Select(p => indices[p])],
                new Dictionary<string, double>(group.Options)));
        using (Autograd.NoGrad())
            foreach (var (parameter, entries) in state)
                if (entries.Count > 0 && indices.TryGetValue(parameter, out int index))
                    result.State[index] = entries.ToDictionary(e => e.Key, e => e.Value.Clone());
        return result;
    }

    /// <summary>
    /// Restores a state saved by <see cref="StateDict"/> (torch's load_state_dict): the groups must
    /// have the same sizes, every state tensor must belong to a parameter and be the step count
    /// or shaped like its parameter. Hyper-parameters are replaced by the saved ones; state
    /// tensors are copied, and converted to a floating-point parameter's dtype (the step count keeps its own).
    /// </summary>
    /// <exception cref="ArgumentException">The dict does not fit this optimizer; nothing has changed then.</exception>
    public void LoadStateDict(OptimizerStateDict stateDict)
    {
        ArgumentNullException.ThrowIfNull(stateDict);
        if (stateDict.ParamGroups.Count != paramGroups.Count)
            throw new ArgumentException("loaded state dict has a different number of parameter groups");
        for (int g = 0; g < paramGroups.Count; g++)
        {
            if (stateDict.ParamGroups[g].Params.Count != paramGroups[g].Parameters.Count)
                throw new ArgumentException("loaded state dict contains a parameter group that doesn't match the size of optimizer's group");
            foreach (var name in defaults.Keys)
                if (!stateDict.ParamGroups[g].Options.ContainsKey(name))
                    throw new ArgumentException($"loaded state dict's parameter group {g} has no value for the hyper-parameter '{name}' that {GetType().Name} needs");
            foreach (var name in stateDict.ParamGroups[g].Options.Keys)
                ParamGroup.ValidateName(name);
        }

        // PyTorch pairs the saved indices with the current parameters in group order.
        var byIndex = new Dictionary<int, Tensor>();
        for (int g = 0; g < paramGroups.Count; g++)
            for (int k = 0; k < paramGroups[g].Parameters.Count; k++)
                byIndex[stateDict.ParamGroups[g].Params[k]] = paramGroups[g].Parameters[k];

        var loaded = new Dictionary<Tensor, Dictionary<string, Tensor>>(ReferenceEqualityComparer.Instance);
        using (Autograd.NoGrad())
            foreach (var (index, entries) in stateDict.State)
            {
                if (!byIndex.TryGetValue(index, out var parameter))
                    throw new ArgumentException($"loaded state dict has state for parameter {index}, which none of its parameter groups lists");
                loaded[parameter] = entries.ToDictionary(e => e.Key, e => CastState(parameter, index, e.Key, e.Value));
            }

        for (int g = 0; g < paramGroups.Count; g++)
            paramGroups[g].ReplaceOptions(stateDict.ParamGroups[g].Options);
        state.Clear();
        foreach (var (parameter, entries) in loaded)
            state[parameter] = entries;
    }

    private static Tensor CastState(Tensor parameter, int index, string name, Tensor value)
    {
        ArgumentNullException.ThrowIfNull(value, name);
        if (name == "step")
        {
            if (value.NumElements != 1)
                throw new ArgumentException($"loaded state dict's step count for parameter {index} has {value.NumElements} elements; expected one");
            return value.Clone();
        }
        if (!value.Shape.SequenceEqual(parameter.Shape))
            throw new ArgumentException(
                $"loaded state dict's '{name}' for parameter {index} has shape [{string.Join(", ", value.Shape)}], " +
                $"but the parameter has shape [{string.Join(", ", parameter.Shape)}]");
        return parameter.DType.IsFloatingPoint() ? value.To(parameter.DType).Clone() : value.Clone();
    }

    /// <summary>PyTorch's numbering: running positions across the groups; a repeated parameter keeps its first.</summary>
    private Dictionary<Tensor, int> ParameterIndices()
    {
        var indices = new Dictionary<Tensor, int>(ReferenceEqualityComparer.Instance);
        int start = 0;
        foreach (var group in paramGroups)
        {
            for (int k = 0; k < group.Parameters.Count; k++)
                indices.TryAdd(group.Parameters[k], start + k);
            start += group.Parameters.Count;
        }
        return indices;
    }

    /// <summary>Throws PyTorch's ValueError message when <paramref name="value"/> is negative.</summary>
    private protected static void RequireNonNegative(double value, string what)
    {
        if (!(value >= 0))
            throw new ArgumentException($"Invalid {what}: {ParamGroup.Format(value)}");
    }
}
