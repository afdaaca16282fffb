namespace NativeGrad;

/// <summary>
/// Forward-mode automatic differentiation (torch.autograd.forward_ad): inside a
/// <see cref="DualLevel"/> scope a tensor made dual by <see cref="MakeDual"/> carries a tangent,
/// and every op on it computes its result's tangent (the Jacobian-vector product) along with
/// the result, by the op's forward rule in the derivative table. One pass gives J v for one v,
/// where reverse mode would need one backward per output element.
/// </summary>
/// <example>
/// <code>
/// using (ForwardAD.DualLevel())
/// {
///     var d = ForwardAD.MakeDual(x, v);
///     var (primal, tangent) = ForwardAD.UnpackDual(d.Sin() * d);
/// }
/// </code>
/// </example>
/// <remarks>
/// As in PyTorch, <see cref="Autograd.NoGrad"/> does not stop forward AD, inference mode does,
/// and levels do not nest. The level follows the logical flow like the grad mode does (PyTorch's
/// is process-wide): flows that do not share the scope neither see nor disturb it.
/// </remarks>
public static class ForwardAD
{
    private static readonly AsyncLocal<Level?> Current = new();
    // Levels open in any flow: while none is, an op's only forward-AD cost is reading this.
    private static int openLevels;

    internal const string NestedLevel = "Nested forward mode AD is not supported at the moment";
    internal const string NoLevel = "Trying to create a dual Tensor for forward AD but no level exists, make sure to enter_dual_level() first.";
    internal const string AlreadyDual = "Making a dual Tensor based on a Tensor that already has a forward gradient at the same level 0 is not supported.";

    /// <summary>
    /// Opens a dual level until disposed (torch.autograd.forward_ad.dual_level()); every tangent
    /// made or computed inside it is dropped when it closes.
    /// </summary>
    /// <exception cref="InvalidOperationException">A level is already open in this flow.</exception>
    public static IDisposable DualLevel()
    {
        if (Open is not null) throw new InvalidOperationException(NestedLevel);
        var level = new Level();
        Interlocked.Increment(ref openLevels);
        Current.Value = level;
        return level;
    }

    /// <summary>
    /// A view of <paramref name="primal"/> that carries <paramref name="tangent"/> as its forward
    /// gradient (torch.autograd.forward_ad.make_dual). The view keeps the primal's autograd history.
    /// </summary>
    /// <exception cref="InvalidOperationException">No level is open, the shapes differ, or the primal already has a tangent.</exception>
    /// <exception cref="ArgumentException">The primal or tangent is not floating point.</exception>
    public static Tensor MakeDual(Tensor primal, Tensor tangent)
    {
        ArgumentNullException.ThrowIfNull(primal);
        ArgumentNullException.ThrowIfNull(tangent);
        var level = Open ?? throw new InvalidOperationException(NoLevel);
        if (!primal.DType.IsFloatingPoint())
            throw new ArgumentException($"Expected primal to be floating point or complex, but got: {primal.DType.TorchName()}");
        if (!tangent.DType.IsFloatingPoint())
            throw new ArgumentException($"Expected tangent to be floating point or complex, but got: {tangent.DType.TorchName()}");
        if (primal.TangentAt(level) is not null) throw new InvalidOperationException(AlreadyDual);
        if (!primal.shape.AsSpan().SequenceEqual(tangent.shape))
            throw new InvalidOperationException(
                "Trying to set a forward gradient that has a different size than that of the original Tensor, this is not supported. " +
                $"Tensor is of size {ShapeMath.Format(primal.shape)} while the given forward gradient is of size {ShapeMath.Format(tangent.shape)}.");
        Tensor dual;
        using (GradMode.PauseForward())
            dual = Node.Record(primal.View(primal.shape, primal.strides, primal.offset), Derivatives.View, [primal]);
        level.Attach(dual, tangent);
        return dual;
    }

    /// <summary>
    /// The primal and tangent of <paramref name="tensor"/> at the open level
    /// (torch.autograd.forward_ad.unpack_dual); the tangent is null when there is none or no level
    /// is open. The primal is a view that keeps the autograd history and has no tangent.
    /// </summary>
    public static UnpackedDual UnpackDual(Tensor tensor)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        var tangent = Open is { } level ? tensor.TangentAt(level) : null;
        Tensor primal;
        using (GradMode.PauseForward())
            primal = Node.Record(tensor.View(tensor.shape, tensor.strides, tensor.offset), Derivatives.Identity, [tensor]);
        return new UnpackedDual(primal, tangent);
    }

    /// <summary>PyTorch's error for an op without a forward rule, naming the op after its node.</summary>
    internal static string NotSupportedMessage(string nodeName)
    {
        int backward = nodeName.IndexOf("Backward", StringComparison.Ordinal);
        string op = backward > 0 ? nodeName[..backward] : nodeName;
        return $"Trying to use forward AD with {op} that does not support it because it has not been implemented yet.";
    }

    /// <summary>This flow's open level, paused or not, or null.</summary>
    internal static Level? Open => Current.Value is { IsOpen: true } level ? level : null;

    /// <summary>The open level when ops propagate tangents now (not paused, not in inference mode), else null.</summary>
    internal static Level? Active =>
        Volatile.Read(ref openLevels) == 0 || !GradMode.IsForwardRunning ? null : Open;

    /// <summary>
    /// Gives <paramref name="result"/> of <paramref name="derivative"/> applied to
    /// <paramref name="inputs"/> its tangent, when an input has one: the one place every op's
    /// tangent is computed (Node.Record calls it for every op, recording or not).
    /// </summary>
    internal static void Propagate(Tensor result, Derivative derivative, ReadOnlySpan<Tensor> inputs, OpArgs? args)
    {
        if (Active is not { } level) return;
        if (TangentOf(level, result, derivative, inputs, args) is { } tangent)
            level.Attach(result, Unaliased(tangent, result, inputs, level));
    }

    /// <summary>The tangent <paramref name="derivative"/>'s forward rule gives <paramref name="result"/>, or null when no input has one.</summary>
    internal static Tensor? TangentOf(Level level, Tensor result, Derivative derivative, ReadOnlySpan<Tensor> inputs, OpArgs? args)
    {
        Tensor?[]? tangents = null;
        for (int i = 0; i < inputs.Length; i++)
            if (inputs[i].TangentAt(level) is { } t)
            {
                tangents ??= new Tensor?[inputs.Length];
                tangents[i] = t;
            }
        if (tangents is null) return null;
        // The rule's own ops see the duals' primals only; grad mode stays, so the tangent is
        // itself recorded for reverse mode when its inputs require grad.
        using (GradMode.PauseForward())
        {
            var tangent = derivative.Tangent(new ForwardContext(inputs.ToArray(), tangents, result, args ?? OpArgs.None));
            if (tangent is null) return null;
            if (!tangent.shape.AsSpan().SequenceEqual(result.shape))
                tangent = tangent.Expand(result.shape).Contiguous();
            return tangent;
        }
    }

    // A result that is not a view gets a tangent of its own: one that shared an input's tangent
    // (add's tangent is the input's) would let an in-place op on the result change the input's.
    private static Tensor Unaliased(Tensor tangent, Tensor result, ReadOnlySpan<Tensor> inputs, Level level)
    {
        foreach (var input in inputs)
            if (input.TangentAt(level) is { } t && t.storage == tangent.storage && input.storage != result.storage)
            {
                using (GradMode.PauseForward()) return tangent.Clone();
            }
        return tangent;
    }

    /// <summary>
    /// After an in-place op wrote its values into <paramref name="target"/>: writes
    /// <paramref name="tangent"/> into the target's tangent, which is a view of its base's when
    /// the target is a view, so the base's tangent changes with it, as in PyTorch. A target
    /// without a tangent gets one; a view whose base has none gives the base a zero tangent first.
    /// </summary>
    internal static void WriteInPlace(Level level, Tensor target, Tensor tangent)
    {
        using var pause = GradMode.PauseForward();
        if (target.TangentAt(level) is { } existing && !HasInternalOverlap(existing))
        {
            existing.CopyFromRaw(tangent.To(existing.DType));
            return;
        }
        if (target.ViewBase is { IsContiguous: true } root)
        {
            var rootTangent = root.TangentAt(level);
            if (rootTangent is null || !rootTangent.IsContiguous)
            {
                var fresh = Tensor.Zeros([.. root.shape], tangent.DType);
                if (rootTangent is not null) fresh.CopyFromRaw(rootTangent.To(fresh.DType));
                level.Attach(root, rootTangent = fresh);
            }
            var view = rootTangent.View(target.shape, target.strides, rootTangent.offset + target.offset - root.offset);
            view.CopyFromRaw(tangent.To(view.DType));
            level.Attach(target, view);
            return;
        }
        level.Attach(target, tangent.CopyRaw(tangent.DType));
    }

    private static bool HasInternalOverlap(Tensor t)
    {
        for (int d = 0; d < t.Dim; d++)
            if (t.strides[d] == 0 && t.shape[d] > 1) return true;
        return false;
    }

    /// <summary>One dual level: it remembers the tensors given tangents, to drop them when it closes.</summary>
    internal sealed class Level : IDisposable
    {
        private readonly List<Tensor> duals = [];
        private bool open = true;

        public bool IsOpen => Volatile.Read(ref open);

        public void Attach(Tensor tensor, Tensor tangent)
        {
            lock (duals)
            {
                tensor.forwardGrad = new ForwardGrad(this, tangent);
                duals.Add(tensor);
            }
        }

        public void Dispose()
        {
            lock (duals)
            {
                if (!open) return;
                open = false;
                foreach (var tensor in duals)
                    if (tensor.forwardGrad?.Level == this) tensor.forwardGrad = null;
                duals.Clear();
            }
            if (Current.Value == this) Current.Value = null;
            Interlocked.Decrement(ref openLevels);
        }
    }
}

/// <summary>A tensor's primal and its tangent (torch's UnpackedDualTensor); <see cref="Tangent"/> is null when it has none.</summary>
/// <param name="Primal">The values, as a view without the tangent.</param>
/// <param name="Tangent">The forward gradient, or null.</param>
public readonly record struct UnpackedDual(Tensor Primal, Tensor? Tangent);

/// <summary>A tangent and the level it belongs to.</summary>
internal sealed record ForwardGrad(ForwardAD.Level Level, Tensor Tangent);

/// <summary>What a forward (tangent) rule reads: the op's inputs, their tangents, its result and arguments.</summary>
internal sealed class ForwardContext(Tensor[] inputs, Tensor?[] tangents, Tensor output, OpArgs args) : IOpRecord
{
    private InputInfo[]? info;

    public int InputCount => inputs.Length;

    /// <summary>Input <paramref name="index"/>; its own tangent is not propagated while the rule runs.</summary>
    public Tensor Input(int index) => inputs[index];

    public Tensor Output => output;

    public OpArgs Args => args;

    public InputInfo[] Inputs => info ??= Array.ConvertAll(inputs, input => new InputInfo(input.shape, input.DType));

    /// <summary>Input <paramref name="index"/>'s tangent, or null when it has none.</summary>
    public Tensor? Tangent(int index) => tangents[index];

    /// <summary>Input <paramref name="index"/>'s tangent, zeros of its shape when it has none (rules that need every input's).</summary>
    public Tensor TangentOrZeros(int index) => tangents[index] ?? Tensor.Zeros([.. inputs[index].shape], inputs[index].DType);
}

public sealed partial class Tensor
{
    internal ForwardGrad? forwardGrad;

    /// <summary>This tensor's tangent at <paramref name="level"/>, or null.</summary>
    internal Tensor? TangentAt(ForwardAD.Level level) => forwardGrad is { } fw && fw.Level == level ? fw.Tangent : null;

    internal Tensor? ViewBase => viewBase;
}
