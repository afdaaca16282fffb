using NativeGrad.Backends;

namespace NativeGrad;

/// <summary>
/// One recorded operation in the autograd graph (PyTorch's grad_fn): which backward rule to run,
/// the nodes its inputs came from, and the tensors its rule needs.
/// </summary>
public sealed class Node : IOpRecord
{
    private static long nextSequenceNumber;

    private readonly Derivative? derivative;
    private readonly SavedTensor?[] saved;
    private readonly bool hasSavedTensors;
    private List<Func<Tensor, Tensor?>?>? preHooks;
    private Tensor? retainedGradOwner;
    private int releaseClaimed;

    private Node(string name, Derivative? derivative, Node?[] next, InputInfo[] inputs, SavedTensor?[] saved,
                 OpArgs args, Tensor? variable)
    {
        Name = name;
        this.derivative = derivative;
        Next = next;
        Inputs = inputs;
        this.saved = saved;
        hasSavedTensors = Array.Exists(saved, slot => slot is not null);
        Args = args;
        Variable = variable;
        SequenceNumber = Interlocked.Increment(ref nextSequenceNumber);
        if (variable is null) ForwardTrace = AnomalyMode.CaptureForwardTrace();
    }

    /// <summary>Where the forward op that created this node was called, recorded only in anomaly mode.</summary>
    internal System.Diagnostics.StackTrace? ForwardTrace { get; }

    /// <summary>PyTorch's name for the node, e.g. "MulBackward0" or "AccumulateGrad".</summary>
    public string Name { get; }

    /// <summary>The nodes that receive this node's input gradients, one per input (null where none is needed).</summary>
    public IReadOnlyList<Node?> NextFunctions => Next;

    /// <summary>For an AccumulateGrad node, the leaf whose gradient it accumulates.</summary>
    public Tensor? Variable { get; }

    internal Node?[] Next { get; }

    internal InputInfo[] Inputs { get; }

    internal OpArgs Args { get; }

    /// <summary>Creation order; the engine runs later nodes first when several are ready.</summary>
    internal long SequenceNumber { get; }

    internal bool IsAccumulateGrad => Variable is not null;

    /// <inheritdoc/>
    public override string ToString() => $"<{Name}>";

    internal static Node AccumulateGrad(Tensor leaf) =>
        new("AccumulateGrad", null, [], [], [], OpArgs.None, leaf);

    /// <summary>
    /// Records <paramref name="result"/> as the output of <paramref name="derivative"/> applied to
    /// <paramref name="inputs"/>, when grad mode is on and an input requires grad. Inside a dual
    /// level it also gives the result its tangent (forward AD), whether recording or not.
    /// </summary>
    internal static Tensor Record(Tensor result, Derivative derivative, ReadOnlySpan<Tensor> inputs, OpArgs? args = null) =>
        Record(result, derivative, inputs, args, []);

    /// <summary>
    /// <see cref="Record(Tensor, Derivative, ReadOnlySpan{Tensor}, OpArgs?)"/> that also saves
    /// <paramref name="extraSaved"/> (a custom function's ctx.save_for_backward), read back with
    /// <see cref="SavedExtras"/> under the same in-place and backward-twice checks.
    /// </summary>
    internal static Tensor Record(Tensor result, Derivative derivative, ReadOnlySpan<Tensor> inputs, OpArgs? args,
                                  IReadOnlyList<Tensor> extraSaved)
    {
        RecordNode(result, derivative, inputs, args, extraSaved);
        // After the node: a tangent rule that reads the result then records through its history.
        ForwardAD.Propagate(result, derivative, inputs, args);
        return result;
    }

    private static void RecordNode(Tensor result, Derivative derivative, ReadOnlySpan<Tensor> inputs, OpArgs? args,
                                   IReadOnlyList<Tensor> extraSaved)
    {
        if (!GradMode.IsRecording) return;
        bool anyRequiresGrad = false;
        foreach (var input in inputs) anyRequiresGrad |= input.RequiresGrad;
        if (!anyRequiresGrad) return;

        var next = new Node?[inputs.Length];
        var info = new InputInfo[inputs.Length];
        var saved = new SavedTensor?[inputs.Length + 1 + extraSaved.Count];
        for (int i = 0; i < inputs.Length; i++)
        {
            var input = inputs[i];
            next[i] = !input.RequiresGrad ? null : input.History ?? input.GradAccumulator;
            info[i] = new InputInfo(input.shape, input.DType);
            if (derivative.SavesInput(i)) saved[i] = new SavedTensor(input, isOutputOfOwner: false);
        }
        if (derivative.SavesOutput) saved[inputs.Length] = new SavedTensor(result, isOutputOfOwner: true);
        for (int j = 0; j < extraSaved.Count; j++)
            saved[inputs.Length + 1 + j] = new SavedTensor(extraSaved[j], isOutputOfOwner: ReferenceEquals(extraSaved[j], result));
        var node = new Node(derivative.Name, derivative, next, info, saved, args ?? OpArgs.None, null);
        result.SetHistory(node);
    }

    /// <summary>Input <paramref name="index"/> as saved at forward time, checked for in-place changes.</summary>
    internal Tensor Input(int index) =>
        (saved[index] ?? throw new InvalidOperationException($"{Name} did not save input {index}; add it to the derivative's Save flags."))
        .Unpack(this);

    /// <summary>The forward result as saved at forward time.</summary>
    internal Tensor Output =>
        (saved[Inputs.Length] ?? throw new InvalidOperationException($"{Name} did not save its output; add Save.Output to the derivative."))
        .Unpack(this);

    Tensor IOpRecord.Input(int index) => Input(index);

    Tensor IOpRecord.Output => Output;

    OpArgs IOpRecord.Args => Args;

    InputInfo[] IOpRecord.Inputs => Inputs;

    /// <summary>The extra tensors given to Record, in order.</summary>
    internal Tensor[] SavedExtras()
    {
        var extras = new Tensor[saved.Length - Inputs.Length - 1];
        for (int j = 0; j < extras.Length; j++) extras[j] = saved[Inputs.Length + 1 + j]!.Unpack(this);
        return extras;
    }

    /// <summary>The backward rule (null for AccumulateGrad).</summary>
    internal Derivative? Rule => derivative;

    /// <summary>No tensor hook, retained grad or post-accumulate hook looks at the gradient arriving here.</summary>
    internal bool IsUnobserved =>
        (preHooks is null || preHooks.TrueForAll(hook => hook is null)) && retainedGradOwner is null
        && (postAccumulateHooks is null || postAccumulateHooks.TrueForAll(hook => hook is null));

    /// <summary>
    /// Runs the backward rule: one gradient per input (null where not needed). With
    /// <paramref name="releaseSavedTensors"/> (no retainGraph) the saved tensors are dropped
    /// afterwards; the right to do so is claimed atomically first, so of two passes racing
    /// through the same node without retainGraph exactly one runs it and the other gets
    /// PyTorch's "backward through the graph a second time" error. Inputs for which
    /// <paramref name="sinkFor"/> gives a sink may be added there by the rule instead (null then).
    /// </summary>
    internal Tensor?[] Apply(Tensor grad, bool releaseSavedTensors, Func<int, GradientSink?>? sinkFor = null)
    {
        bool claimed = releaseSavedTensors && hasSavedTensors;
        if (claimed && Interlocked.Exchange(ref releaseClaimed, 1) != 0)
            throw new InvalidOperationException(AutogradErrors.BackwardTwice);
        try
        {
            var result = derivative!.AllGradients(this, grad, sinkFor);
            if (claimed)
                foreach (var slot in saved) slot?.Release();
            return result;
        }
        catch when (claimed)
        {
            // The rule failed and released nothing: a later pass may try again.
            Volatile.Write(ref releaseClaimed, 0);
            throw;
        }
    }

    internal IDisposable AddPreHook(Func<Tensor, Tensor?> hook)
    {
        preHooks ??= [];
        preHooks.Add(hook);
        int index = preHooks.Count - 1;
        return new HookHandle(() => preHooks[index] = null);
    }

    internal void RetainGradOf(Tensor tensor) => retainedGradOwner = tensor;

    private List<Action<Tensor>?>? postAccumulateHooks;

    internal IDisposable AddPostAccumulateHook(Action<Tensor> hook)
    {
        lock (this)
        {
            postAccumulateHooks ??= [];
            postAccumulateHooks.Add(hook);
            int index = postAccumulateHooks.Count - 1;
            return new HookHandle(() => postAccumulateHooks[index] = null);
        }
    }

    /// <summary>After the engine has accumulated into this AccumulateGrad node's leaf: its hooks, with the leaf.</summary>
    internal void RunPostAccumulateHooks()
    {
        if (postAccumulateHooks is null) return;
        foreach (var hook in postAccumulateHooks.ToArray())
            hook?.Invoke(Variable!);
    }

    /// <summary>Runs the tensor hooks on the gradient arriving here, then stores a retained grad.</summary>
    internal Tensor RunPreHooks(Tensor grad)
    {
        if (preHooks is not null)
            foreach (var hook in preHooks)
                if (hook?.Invoke(grad) is { } replaced)
                    grad = CheckHookResult(hook, grad, replaced);
        if (retainedGradOwner is { } owner)
            lock (this)
            {
                var previous = owner.GradWithoutWarning;
                owner.SetGradFromEngine(previous is null ? grad.Detach().Clone() : (previous + grad).Detach());
            }
        return grad;
    }

    // PyTorch's check_variable_result: a hook may replace a gradient, not change what it is.
    private static Tensor CheckHookResult(Func<Tensor, Tensor?> hook, Tensor original, Tensor result)
    {
        // A lambda's method has a compiler-made name (<Main>b__0_1); Python says <lambda>.
        string name = hook.Method.Name.Contains('<', StringComparison.Ordinal) ? "<lambda>" : hook.Method.Name;
        if (result.DType != original.DType)
            throw new InvalidOperationException(
                $"hook '{name}' has changed the type of value (was {original.TypeName} got {result.TypeName})");
        if (!result.Shape.SequenceEqual(original.Shape))
            throw new InvalidOperationException($"hook '{name}' has changed the size of value");
        return result;
    }

    private sealed class HookHandle(Action remove) : IDisposable
    {
        private Action? remove = remove;

        public void Dispose()
        {
            remove?.Invoke();
            remove = null;
        }
    }
}

/// <summary>What the engine needs to know about an input to hand it a gradient of the right shape.</summary>
internal readonly record struct InputInfo(long[] Shape, DType DType);

/// <summary>The non-tensor arguments of a recorded operation that its backward rule reads.</summary>
internal sealed record OpArgs
{
    public static readonly OpArgs None = new();

    public long[]? Dims { get; init; }
    public bool KeepDim { get; init; }
    public double Scalar { get; init; }
    public double Scalar2 { get; init; }
    public long[]? Shape { get; init; }
    public Tensor? Index { get; init; }
    // Tensors a rule reads that are not inputs of the node and get no gradient (class weights,
    // running statistics); entries may be null where an optional argument was not given.
    public Tensor?[]? Constants { get; init; }
    public long[]? Sizes { get; init; }
}
