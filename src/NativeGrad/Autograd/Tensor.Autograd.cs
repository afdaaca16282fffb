namespace NativeGrad;

// The autograd half of Tensor: what it remembers about the graph, and how to start a backward pass.
public sealed partial class Tensor
{
    private bool requiresGrad;
    private Tensor? grad;
    private Node? gradAccumulator;
    internal Node? gradFn;

    /// <summary>
    /// Whether gradients are computed for this tensor. Only floating-point leaves can have it set;
    /// tensors computed from one that requires grad require grad too.
    /// </summary>
    public bool RequiresGrad
    {
        get => requiresGrad || gradFn is not null;
        set => SetRequiresGrad(value, AutogradErrors.SetRequiresGradOnlyFloatingPoint);
    }

    /// <summary>Sets <see cref="RequiresGrad"/> and returns this tensor (torch's requires_grad_()).</summary>
    public Tensor RequiresGrad_(bool requiresGrad = true)
    {
        if (gradFn is not null && requiresGrad) return this; // already requires grad, as in PyTorch
        SetRequiresGrad(requiresGrad, AutogradErrors.RequiresGradOnlyFloatingPoint);
        return this;
    }

    // PyTorch words the integer-dtype error differently for the property, requires_grad_() and
    // the factories' requires_grad=True; each caller passes its own.
    private void SetRequiresGrad(bool value, string notFloatingPoint)
    {
        if (gradFn is not null)
            throw new InvalidOperationException(value ? AutogradErrors.RequiresGradOnNonLeaf : AutogradErrors.RequiresGradOffOnNonLeaf);
        if (value && !DType.IsFloatingPoint())
            throw new InvalidOperationException(notFloatingPoint);
        if (value && IsInference && !GradMode.IsInference)
            throw new InvalidOperationException(AutogradErrors.InferenceRequiresGrad);
        requiresGrad = value;
    }

    /// <summary>A creation function's <c>requiresGrad</c> argument applied to its fresh result.</summary>
    internal Tensor WithRequiresGrad(bool requiresGrad)
    {
        if (requiresGrad) SetRequiresGrad(true, AutogradErrors.FactoryRequiresGradOnlyFloatingPoint);
        return this;
    }

    /// <summary>
    /// The gradient accumulated by backward passes: set on leaves that require grad, and on
    /// non-leaves after <see cref="RetainGrad"/>. Reading it on another non-leaf gives null and a
    /// warning through <see cref="Warnings"/>, as PyTorch does.
    /// </summary>
    public Tensor? Grad
    {
        get
        {
            if (!IsLeaf && !RetainsGrad)
                Warnings.Warn(AutogradErrors.NonLeafGradAccess);
            return grad;
        }
        set
        {
            if (value is not null && value.DType != DType)
                throw new ArgumentException("assigned grad has data of a different type");
            if (value is not null && !value.shape.AsSpan().SequenceEqual(shape))
                throw new ArgumentException("assigned grad has data of a different size");
            SetGradFromEngine(value);
        }
    }

    /// <summary>The node that created this tensor, or null for a leaf (torch's grad_fn).</summary>
    public Node? GradFn => History;

    /// <summary>True when no recorded operation created this tensor (torch's is_leaf).</summary>
    public bool IsLeaf => gradFn is null;

    /// <summary>True after <see cref="RetainGrad"/> on a non-leaf.</summary>
    public bool RetainsGrad { get; private set; }

    /// <summary>Makes backward passes fill <see cref="Grad"/> of this non-leaf tensor too.</summary>
    public void RetainGrad()
    {
        if (!RequiresGrad)
            throw new InvalidOperationException("can't retain_grad on Tensor that has requires_grad=False");
        if (IsLeaf || RetainsGrad) return;
        RetainsGrad = true;
        History!.RetainGradOf(this);
    }

    /// <summary>
    /// Registers a function called with this tensor's gradient during backward; it may return a
    /// replacement gradient, or null to keep it. Dispose the result to remove the hook.
    /// </summary>
    public IDisposable RegisterHook(Func<Tensor, Tensor?> hook)
    {
        ArgumentNullException.ThrowIfNull(hook);
        if (!RequiresGrad)
            throw new InvalidOperationException("cannot register a hook on a tensor that doesn't require gradient");
        return (History ?? GradAccumulator).AddPreHook(hook);
    }

    /// <summary>
    /// Registers a function called with this leaf after each backward pass has accumulated into
    /// its <see cref="Grad"/> (torch's register_post_accumulate_grad_hook): the point where the
    /// gradient is final, which distributed training uses to start communicating it. Dispose the
    /// result to remove the hook.
    /// </summary>
    public IDisposable RegisterPostAccumulateGradHook(Action<Tensor> hook)
    {
        ArgumentNullException.ThrowIfNull(hook);
        if (!RequiresGrad)
            throw new InvalidOperationException("cannot register a hook on a tensor that doesn't require gradient");
        if (!IsLeaf)
            throw new InvalidOperationException("post accumulate grad hooks cannot be registered on non-leaf tensors");
        return GradAccumulator.AddPostAccumulateHook(hook);
    }

    /// <summary>The node that sums gradients into this leaf's <see cref="Grad"/> (PyTorch's AccumulateGrad).</summary>
    /// <remarks>Created once even when threads race to it, so all of them lock the same node.</remarks>
    internal Node GradAccumulator =>
        Volatile.Read(ref gradAccumulator) ?? Interlocked.CompareExchange(ref gradAccumulator, Node.AccumulateGrad(this), null) ?? gradAccumulator!;

    /// <summary>Sets the gradient the engine computed (the engine, not users, writes leaves), or the setter's.</summary>
    internal void SetGradFromEngine(Tensor? value)
    {
        TensorScope.Release(value);  // a gradient outlives the step (and the scope) that computed it
        grad = value;
    }

    internal Tensor? GradWithoutWarning => grad;

    /// <summary>
    /// Computes the gradient of this tensor with respect to the graph leaves and adds it to their
    /// <see cref="Grad"/> (torch's backward()).
    /// </summary>
    /// <param name="gradient">d(something)/d(this); may be omitted for a one-element tensor (1 is used).</param>
    /// <param name="retainGraph">Keep the saved tensors so that another backward pass can run.</param>
    /// <param name="createGraph">Record the backward pass itself, for higher-order derivatives.</param>
    /// <param name="inputs">
    /// When given, accumulate only into these tensors' <see cref="Grad"/> (the rest of the graph's
    /// leaves are left alone); a non-leaf among them starts retaining its grad. Must not be empty.
    /// </param>
    public void Backward(Tensor? gradient = null, bool retainGraph = false, bool createGraph = false, IReadOnlyList<Tensor>? inputs = null) =>
        Engine.Backward([this], gradient is null ? [null] : [gradient], retainGraph || createGraph, createGraph, inputs?.ToArray());

    /// <summary>A tensor sharing this one's storage but outside the graph (torch's detach()).</summary>
    public Tensor Detach() => new(storage, shape, strides, offset, DType) { isInference = isInference };

    /// <summary>Detaches this tensor from the graph in place and returns it (torch's detach_()).</summary>
    public Tensor Detach_()
    {
        if (viewBase is not null)
            throw new InvalidOperationException(
                "Can't detach views in-place. Use detach() instead. If you are using DistributedDataParallel (DDP) for training, " +
                "and gradient_as_bucket_view is set as True, gradients are views of DDP buckets, and hence detach_() cannot be " +
                "called on these gradients. To fix this error, please refer to the Optimizer.zero_grad() function in " +
                "torch/optim/optimizer.py as the solution.");
        gradFn = null;
        requiresGrad = false;
        return this;
    }
}
