namespace NativeGrad.Nn;

/// <summary>
/// A building block of a model (torch.nn.Module): it owns parameters (tensors that train), buffers
/// (state that does not, such as running statistics) and child modules, each under a name.
/// Everything is registered explicitly in the constructor, as PyTorch does through attribute
/// assignment, so no reflection is needed and trimming and NativeAOT keep it all. Names and
/// order are PyTorch's: <see cref="StateDict"/> has the keys <c>model.state_dict()</c> has.
/// </summary>
public abstract class Module
{
    // Insertion order is the order PyTorch reports; a null entry is a registered "None" (bias=False).
    private readonly List<string> parameterNames = [];
    private readonly Dictionary<string, Tensor?> parameters = [];
    private readonly List<string> bufferNames = [];
    private readonly Dictionary<string, Tensor?> buffers = [];
    private readonly HashSet<string> nonPersistentBuffers = [];
    private readonly List<string> childNames = [];
    private readonly Dictionary<string, Module> children = [];

    /// <summary>Whether the module is in training mode (torch's <c>module.training</c>); <see cref="Train"/> and <see cref="Eval"/> set it.</summary>
    public bool Training { get; private set; } = true;

    /// <summary>The class name PyTorch prints and uses in state-dict errors, e.g. "Linear".</summary>
    public virtual string TypeName => GetType().Name;

    /// <summary>Registers <paramref name="parameter"/> (it is made to require grad), or a named absence when null.</summary>
    protected Tensor? RegisterParameter(string name, Tensor? parameter)
    {
        CheckNewName(name);
        if (parameter is not null && !parameter.IsLeaf)
            throw new ArgumentException(
                $"Cannot assign non-leaf Tensor to parameter '{name}'. Model parameters must be created explicitly. " +
                "To express '" + name + "' as a function of another Tensor, compute the value in the forward() method.");
        parameter?.RequiresGrad_();
        parameterNames.Add(name);
        parameters[name] = parameter;
        return parameter;
    }

    /// <summary>Registers a buffer; a non-persistent one is left out of <see cref="StateDict"/>.</summary>
    protected Tensor? RegisterBuffer(string name, Tensor? buffer, bool persistent = true)
    {
        CheckNewName(name);
        bufferNames.Add(name);
        buffers[name] = buffer;
        if (!persistent) nonPersistentBuffers.Add(name);
        return buffer;
    }

    /// <summary>Registers a child module under <paramref name="name"/> ("0", "features"...).</summary>
    protected T RegisterModule<T>(string name, T module) where T : Module
    {
        ArgumentNullException.ThrowIfNull(module);
        CheckNewName(name);
        childNames.Add(name);
        children[name] = module;
        return module;
    }

    /// <summary>This module's own parameter <paramref name="name"/> (null when registered as absent).</summary>
    protected Tensor? Parameter(string name) => parameters[name];

    /// <summary>This module's own buffer <paramref name="name"/>.</summary>
    protected Tensor? Buffer(string name) => buffers[name];

    /// <summary>Replaces the value of an existing buffer (e.g. a running statistic recomputed out of place).</summary>
    protected void SetBuffer(string name, Tensor? value)
    {
        if (!buffers.ContainsKey(name))
            throw new ArgumentException($"'{name}' is not a buffer of {TypeName}", nameof(name));
        buffers[name] = value;
    }

    /// <summary>The direct children, in registration order.</summary>
    public IEnumerable<(string Name, Module Module)> NamedChildren() => childNames.Select(n => (n, children[n]));

    /// <summary>The direct children, in registration order.</summary>
    public IEnumerable<Module> Children() => childNames.Select(n => children[n]);

    /// <summary>This module and every descendant, depth first, with dotted names ("" for this one).</summary>
    public IEnumerable<(string Name, Module Module)> NamedModules()
    {
        var stack = new Stack<(string, Module)>();
        stack.Push(("", this));
        var seen = new HashSet<Module>(ReferenceEqualityComparer.Instance);
        while (stack.TryPop(out var entry))
        {
            var (prefix, module) = entry;
            if (!seen.Add(module)) continue; // a module shared by two parents is reported once, as in PyTorch
            yield return entry;
            for (int i = module.childNames.Count - 1; i >= 0; i--)
            {
                var name = module.childNames[i];
                stack.Push((Join(prefix, name), module.children[name]));
            }
        }
    }

    /// <summary>Every parameter of this module and its descendants with PyTorch's dotted names ("0.weight", "features.1.bias").</summary>
    public IEnumerable<(string Name, Tensor Parameter)> NamedParameters()
    {
        var seen = new HashSet<Tensor>(ReferenceEqualityComparer.Instance);
        foreach (var (prefix, module) in NamedModules())
            foreach (var name in module.parameterNames)
                if (module.parameters[name] is { } parameter && seen.Add(parameter))
                    yield return (Join(prefix, name), parameter);
    }

    /// <summary>Every parameter, in <see cref="NamedParameters"/> order; what an optimizer takes.</summary>
    public IEnumerable<Tensor> Parameters() => NamedParameters().Select(p => p.Parameter);

    /// <summary>Every buffer of this module and its descendants, with dotted names.</summary>
    public IEnumerable<(string Name, Tensor Buffer)> NamedBuffers()
    {
        foreach (var (prefix, module) in NamedModules())
            foreach (var name in module.bufferNames)
                if (module.buffers[name] is { } buffer)
                    yield return (Join(prefix, name), buffer);
    }

    /// <summary>Sets training mode here and in every descendant (dropout drops, batch norm uses batch statistics).</summary>
    public Module Train(bool training = true)
    {
        foreach (var (_, module) in NamedModules())
            module.Training = training;
        return this;
    }

    /// <summary>Sets evaluation mode (<c>Train(false)</c>).</summary>
    public Module Eval() => Train(false);

    /// <summary>
    /// Clears every parameter's gradient: zeros in place by default (PyTorch 1.13's default), or
    /// null with <paramref name="setToNone"/> (PyTorch 2's default; saves the memory and the fill).
    /// </summary>
    public void ZeroGrad(bool setToNone = false)
    {
        foreach (var parameter in Parameters())
        {
            if (parameter.Grad is not { } grad) continue;
            if (setToNone) parameter.Grad = null;
            else if (grad.GradFn is not null) parameter.Grad = Tensor.ZerosLike(grad);
            else grad.Zero_();
        }
    }

    /// <summary>
    /// Converts every floating-point parameter and buffer to <paramref name="dtype"/> (integer
    /// buffers such as counters stay as they are). The parameters become new tensors, so build
    /// optimizers after this call.
    /// </summary>
    public Module To(DType dtype)
    {
        if (!dtype.IsFloatingPoint())
            throw new ArgumentException($"nn.Module.to only accepts floating point dtypes, but got desired dtype={dtype.TorchName()}", nameof(dtype));
        foreach (var (_, module) in NamedModules())
        {
            foreach (var name in module.parameterNames)
                if (module.parameters[name] is { } p && p.DType.IsFloatingPoint() && p.DType != dtype)
                {
                    Tensor converted;
                    using (Autograd.NoGrad()) converted = p.To(dtype);
                    module.parameters[name] = converted.RequiresGrad_(p.RequiresGrad);
                }
            foreach (var name in module.bufferNames)
                if (module.buffers[name] is { } b && b.DType.IsFloatingPoint() && b.DType != dtype)
                    using (Autograd.NoGrad()) module.buffers[name] = b.To(dtype);
        }
        return this;
    }

    /// <summary>
    /// The parameters and persistent buffers by dotted name, in PyTorch's order (each module's
    /// parameters, then its buffers, then its children). The tensors are detached views of the
    /// module's own storage, as in PyTorch.
    /// </summary>
    public StateDict StateDict()
    {
        var state = new StateDict();
        foreach (var (prefix, module) in NamedModules())
        {
            foreach (var name in module.parameterNames)
                if (module.parameters[name] is { } p) state.Add(Join(prefix, name), p.Detach());
            foreach (var name in module.bufferNames)
                if (module.buffers[name] is { } b && !module.nonPersistentBuffers.Contains(name)) state.Add(Join(prefix, name), b.Detach());
        }
        return state;
    }

    /// <summary>
    /// Copies <paramref name="state"/> into the parameters and buffers. With <paramref name="strict"/>
    /// (the default) the keys must match exactly; shapes must always match. Everything is checked
    /// before anything is copied, so on error the module is unchanged and the exception names every
    /// missing key, unexpected key and shape mismatch, in PyTorch's words.
    /// </summary>
    /// <returns>The missing and unexpected keys (empty when <paramref name="strict"/>).</returns>
    public (IReadOnlyList<string> MissingKeys, IReadOnlyList<string> UnexpectedKeys) LoadStateDict(
        IReadOnlyDictionary<string, Tensor> state, bool strict = true)
    {
        ArgumentNullException.ThrowIfNull(state);
        var own = StateDict();
        var missing = own.Keys.Where(k => !state.ContainsKey(k)).ToList();
        var unexpected = state.Keys.Where(k => !own.ContainsKey(k)).ToList();
        var errors = new List<string>();
        if (strict)
        {
            if (missing.Count > 0) errors.Add($"Missing key(s) in state_dict: {QuotedList(missing)}. ");
            if (unexpected.Count > 0) errors.Add($"Unexpected key(s) in state_dict: {QuotedList(unexpected)}. ");
        }
        foreach (var (key, target) in own)
        {
            if (!state.TryGetValue(key, out var source)) continue;
            if (!source.Shape.SequenceEqual(target.Shape))
                errors.Add($"size mismatch for {key}: copying a param with shape {ShapeMath.FormatSize([.. source.Shape])} from checkpoint, " +
                           $"the shape in current model is {ShapeMath.FormatSize([.. target.Shape])}.");
        }
        if (errors.Count > 0)
            throw new ArgumentException($"Error(s) in loading state_dict for {TypeName}:\n\t" + string.Join("\n\t", errors));

        using (Autograd.NoGrad())
            foreach (var (key, target) in own)
                if (state.TryGetValue(key, out var source))
                    target.Copy_(source);
        return strict ? ([], []) : (missing, unexpected);
    }

    /// <summary>
    /// Writes <see cref="StateDict"/> to a safetensors file (what <c>safetensors.torch.save_file</c>
    /// writes for <c>model.state_dict()</c>), with optional string <paramref name="metadata"/>.
    /// </summary>
    public void Save(string path, IReadOnlyDictionary<string, string>? metadata = null) =>
        Safetensors.Save(path, StateDict(), metadata);

    /// <summary>
    /// Loads a safetensors checkpoint into the parameters and buffers (<see cref="LoadStateDict"/>).
    /// The file is read and checked completely first: a corrupt file or a mismatching model leaves
    /// the module unchanged, and the message names the file.
    /// </summary>
    /// <returns>The checkpoint's metadata.</returns>
    public IReadOnlyDictionary<string, string> Load(string path, bool strict = true)
    {
        var (tensors, metadata) = Safetensors.Load(path);
        try
        {
            LoadStateDict(tensors, strict);
        }
        catch (ArgumentException e)
        {
            throw new ArgumentException($"{path}: {e.Message}", e);
        }
        return metadata;
    }

    private void CheckNewName(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        if (name.Contains('.'))
            throw new ArgumentException($"module name can't contain \".\", got: {name}", nameof(name));
        if (parameters.ContainsKey(name) || buffers.ContainsKey(name) || children.ContainsKey(name))
            throw new ArgumentException($"attribute '{name}' already exists", nameof(name));
    }

    private static string Join(string prefix, string name) => prefix.Length == 0 ? name : $"{prefix}.{name}";

    private static string QuotedList(IEnumerable<string> keys) => string.Join(", ", keys.Select(k => $"\"{k}\""));
}

/// <summary>A module that maps one tensor to another, the shape of nearly every layer.</summary>
public abstract class Layer : Module
{
    /// <summary>Computes the layer's output (torch's <c>forward</c>).</summary>
    public abstract Tensor Forward(Tensor input);

    /// <summary>Runs <see cref="Forward"/>, like calling a PyTorch module.</summary>
    public Tensor Call(Tensor input) => Forward(input);
}
