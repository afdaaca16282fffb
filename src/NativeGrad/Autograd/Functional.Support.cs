namespace NativeGrad;

public static partial class Autograd
{
    // The steps torch.autograd.functional shares between its functions (its _grad_preprocess,
    // _autograd_grad, _fill_in_zeros, _check_requires_grad, _validate_v), kept step for step so
    // that which error is raised first, and with which index, is PyTorch's.
    public static partial class Functional
    {
        /// <summary>
        /// Fresh tensor objects for the inputs, so the function's own arguments can be told apart
        /// from the same tensors captured by its closure (pytorch/pytorch#32576). With createGraph
        /// an input that requires grad becomes a view of itself, keeping its history; otherwise a
        /// detached copy that requires grad exactly when <paramref name="needGraph"/>.
        /// </summary>
        private static Tensor[] Preprocess(Tensor[] inputs, bool createGraph, bool needGraph) =>
            Array.ConvertAll(inputs, input =>
                createGraph && input.RequiresGrad ? input.View([.. input.Shape]) : input.Detach().RequiresGrad_(needGraph));

        /// <summary>Without createGraph the results leave the graph, as PyTorch's do.</summary>
        private static Tensor[] Postprocess(Tensor[] tensors, bool createGraph) =>
            createGraph ? tensors : Array.ConvertAll(tensors, t => t.Detach());

        /// <summary>
        /// <see cref="Grad(IReadOnlyList{Tensor}, IReadOnlyList{Tensor}, IReadOnlyList{Tensor?}?, bool?, bool, bool)"/>
        /// over the outputs that require grad only (a null output or one outside the graph adds
        /// nothing), with a null gradient for every input nothing reaches.
        /// </summary>
        private static Tensor?[] GradOfDifferentiable(Tensor?[] outputs, Tensor[] inputs, Tensor?[]? gradOutputs,
                                                      bool createGraph, bool? retainGraph = null)
        {
            var differentiable = new List<Tensor>();
            var grads = new List<Tensor?>();
            for (int i = 0; i < outputs.Length; i++)
                if (outputs[i] is { RequiresGrad: true } output)
                {
                    differentiable.Add(output);
                    grads.Add(gradOutputs?[i]);
                }
            return differentiable.Count == 0 ? new Tensor?[inputs.Length]
                : Grad(differentiable, inputs, grads, retainGraph, createGraph, allowUnused: true);
        }

        /// <summary>Which backward pass produced the gradients <see cref="FillInZeros"/> checks; it picks the strict-mode message.</summary>
        private enum Stage { Back, DoubleBack, DoubleBackTrick }

        /// <summary>Zeros (the mathematical value) where no gradient arrived, or in strict mode PyTorch's error.</summary>
        private static Tensor[] FillInZeros(Tensor?[] grads, Tensor[] refs, bool strict, bool createGraph, Stage stage)
        {
            var result = new Tensor[grads.Length];
            for (int i = 0; i < grads.Length; i++)
            {
                if (grads[i] is not { } grad)
                {
                    if (strict)
                        throw new InvalidOperationException(stage switch
                        {
                            Stage.Back => $"The output of the user-provided function is independent of input {i}. This is not allowed in strict mode.",
                            Stage.DoubleBack => $"The jacobian of the user-provided function is independent of input {i}. This is not allowed in strict mode.",
                            _ => $"The hessian of the user-provided function is independent of entry {i} in the grad_jacobian. This is not " +
                                 "allowed in strict mode as it prevents from using the double backward trick to replace forward mode AD.",
                        });
                    grad = Tensor.ZerosLike(refs[i]);
                }
                else if (strict && createGraph && !grad.RequiresGrad)
                {
                    throw new InvalidOperationException(stage == Stage.Back
                        ? $"The jacobian of the user-provided function is independent of input {i}. This is not allowed in strict mode when create_graph=True."
                        : $"The hessian of the user-provided function is independent of input {i}. This is not allowed in strict mode when create_graph=True.");
                }
                result[i] = grad;
            }
            return result;
        }

        /// <summary>What <see cref="CheckRequiresGrad"/> looks at; it picks the strict-mode message.</summary>
        private enum Checked { Outputs, Jacobian, Hessian }

        /// <summary>In strict mode, every tensor must be part of the graph (a null one was never reached).</summary>
        private static void CheckRequiresGrad(Tensor?[] tensors, Checked what, bool strict)
        {
            if (!strict) return;
            for (int i = 0; i < tensors.Length; i++)
            {
                if (tensors[i] is null)
                    throw new InvalidOperationException(
                        $"The output of the user-provided function is independent of input {i}. This is not allowed in strict mode.");
                if (tensors[i]!.RequiresGrad) continue;
                throw new InvalidOperationException(what switch
                {
                    Checked.Hessian =>
                        $"The hessian of the user-provided function with respect to input {i} is independent of the input. This is not " +
                        "allowed in strict mode. You should ensure that your function is thrice differentiable and that the hessian " +
                        "depends on the inputs.",
                    Checked.Jacobian =>
                        $"While computing the hessian, found that the jacobian of the user-provided function with respect to input {i} " +
                        "is independent of the input. This is not allowed in strict mode. You should ensure that your function is " +
                        "twice differentiable and that the jacobian depends on the inputs (this would be violated by a linear " +
                        "function for example).",
                    _ =>
                        $"Output {i} of the user-provided function does not require gradients. The outputs must be computed in a " +
                        "differentiable manner from the input when running in strict mode.",
                });
            }
        }

        /// <summary>
        /// <paramref name="v"/> must hold one tensor of the same size for each of <paramref name="other"/>;
        /// <paramref name="isTuple"/> says whether the caller passed several (it changes PyTorch's wording).
        /// </summary>
        private static void ValidateV(Tensor[] v, Tensor[] other, bool isTuple)
        {
            if (v.Length != other.Length)
                throw new ArgumentException(isTuple
                    ? $"v is a tuple of invalid length: should be {other.Length} but got {v.Length}."
                    : "The given v should contain a single Tensor.");
            for (int i = 0; i < v.Length; i++)
                if (!v[i].shape.AsSpan().SequenceEqual(other[i].shape))
                    throw new ArgumentException(
                        $"{(isTuple ? $"Entry {i} in " : "")}v has invalid size: should be {ShapeMath.FormatSize(other[i].shape)} " +
                        $"but got {ShapeMath.FormatSize(v[i].shape)}.");
        }

        /// <summary>
        /// PyTorch's _as_tuple check: every entry must be a tensor. <paramref name="isTuple"/> says
        /// whether the caller passed an array or a single tensor (it changes the wording); a null
        /// argument or input is an <see cref="ArgumentNullException"/>, a null from the function an
        /// <see cref="InvalidOperationException"/>.
        /// </summary>
        private static Tensor[] AsTensors(Tensor?[]? values, bool isTuple, string name, string function, bool fromFunction = false)
        {
            int missing = values is null ? -1 : Array.IndexOf(values, null);
            if (values is not null && missing < 0) return values!;
            var message = $"The {name} given to {function} must be either a Tensor or a tuple of Tensors but the " +
                          (isTuple && values is not null ? $"value at index {missing}" : $"given {name}") + " has type <class 'NoneType'>.";
            throw fromFunction ? new InvalidOperationException(message) : new ArgumentNullException(null, message);
        }
    }
}
