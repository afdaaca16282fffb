namespace NativeGrad;

/// <summary>
/// A tensor a node keeps for its backward rule, with the version it had when saved, so that an
/// in-place change made since is reported instead of silently giving a wrong gradient.
/// </summary>
internal sealed class SavedTensor(Tensor tensor, bool isOutputOfOwner)
{
    private Tensor? tensor = tensor;
    private readonly int savedVersion = tensor.IsInference
        ? throw new InvalidOperationException(AutogradErrors.InferenceSaved)
        : tensor.Version;

    public Tensor Unpack(Node owner)
    {
        // Read once: another thread's pass may release it at any moment.
        var tensor = Volatile.Read(ref this.tensor);
        if (tensor is null)
            throw new InvalidOperationException(AutogradErrors.BackwardTwice);
        if (tensor.Version != savedVersion)
        {
            // PyTorch names the node a non-leaf saved tensor came from ("output 0 of MulBackward0").
            var origin = isOutputOfOwner ? owner.Name : tensor.GradFn?.Name;
            throw new InvalidOperationException(
                "one of the variables needed for gradient computation has been modified by an inplace operation: " +
                $"[{tensor.TypeName} {ShapeMath.Format(tensor.shape)}]" + (origin is null ? "" : $", which is output 0 of {origin},") +
                $" is at version {tensor.Version}; expected version {savedVersion} instead. Hint: " +
                (AnomalyMode.IsEnabled
                    ? "the backtrace further above shows the operation that failed to compute its gradient. The variable in question " +
                      "was changed in there or anywhere later. Good luck!"
                    : "enable anomaly detection to find the operation that failed to compute its gradient, with " +
                      "Autograd.SetDetectAnomaly(true) (PyTorch's torch.autograd.set_detect_anomaly(True))."));
        }
        return tensor;
    }

    public void Release() => Volatile.Write(ref tensor, null);
}

/// <summary>PyTorch's autograd error messages, word for word.</summary>
internal static class AutogradErrors
{
    public const string BackwardTwice =
        "Trying to backward through the graph a second time (or directly access saved tensors after they have already " +
        "been freed). Saved intermediate values of the graph are freed when you call .backward() or autograd.grad(). " +
        "Specify retain_graph=True if you need to backward through the graph a second time or if you need to access " +
        "saved tensors after calling backward.";

    public const string ImplicitGradForNonScalar = "grad can be implicitly created only for scalar outputs";

    public const string LeafInPlace = "a leaf Variable that requires grad is being used in an in-place operation.";
    public const string ViewOfLeafInPlace = "a view of a leaf Variable that requires grad is being used in an in-place operation.";

    public const string NonLeafGradAccess =
        "The .grad attribute of a Tensor that is not a leaf Tensor is being accessed. Its .grad attribute won't be " +
        "populated during autograd.backward(). If you indeed want the .grad field to be populated for a non-leaf Tensor, " +
        "use .retain_grad() on the non-leaf Tensor. If you access the non-leaf Tensor by mistake, make sure you access " +
        "the leaf Tensor instead. See github.com/pytorch/pytorch/pull/30531 for more informations.";

    public const string RequiresGradOnNonLeaf = "you can only change requires_grad flags of leaf variables.";

    public const string RequiresGradOffOnNonLeaf =
        RequiresGradOnNonLeaf + " If you want to use a computed variable in a subgraph that doesn't require " +
        "differentiation use var_no_grad = var.detach().";

    // requires_grad_(), the requires_grad property and the factories' requires_grad=True.
    public const string RequiresGradOnlyFloatingPoint = "only Tensors of floating point dtype can require gradients";
    public const string SetRequiresGradOnlyFloatingPoint = "only Tensors of floating point and complex dtype can require gradients";
    public const string FactoryRequiresGradOnlyFloatingPoint = "Only Tensors of floating point and complex dtype can require gradients";

    public const string CreateGraphReferenceCycle =
        "Using backward() with create_graph=True will create a reference cycle between the parameter and its gradient " +
        "which can cause a memory leak. We recommend using autograd.grad when creating the graph to avoid this. If you " +
        "have to use this function, make sure to reset the .grad fields of your parameters to None after use to break " +
        "the cycle and avoid the leak.";

    public const string InferenceSaved =
        "Inference tensors cannot be saved for backward. To work around you can make a clone to get a normal tensor and use it in autograd.";

    public const string InferenceInPlace =
        "Inplace update to inference tensor outside InferenceMode is not allowed.You can make a clone to get a normal tensor " +
        "before doing inplace update.See https://github.com/pytorch/rfcs/pull/17 for more details.";

    public const string InferenceRequiresGrad = "Setting requires_grad=True on inference tensor outside InferenceMode is not allowed.";

    public const string InferenceVersion = "Inference tensors do not track version counter.";

    public const string EmptyBackwardInputs = "'inputs' argument to backward() cannot be empty.";

    public const string UnusedInput =
        "One of the differentiated Tensors appears to not have been used in the graph. Set allow_unused=True if this is the desired behavior.";

    public const string InputDoesNotRequireGrad = "One of the differentiated Tensors does not require grad";

    public static string DoesNotRequireGrad(int index) =>
        $"element {index} of tensors does not require grad and does not have a grad_fn";
}
