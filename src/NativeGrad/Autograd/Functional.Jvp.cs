namespace NativeGrad;

public static partial class Autograd
{
    /// <summary>torch.autograd.functional: derivatives of whole functions (Jacobian, Hessian, vector products).</summary>
    public static partial class Functional
    {
        /// <summary>
        /// The Jacobian of <paramref name="func"/> at <paramref name="inputs"/> times
        /// <paramref name="v"/> (torch.autograd.functional.jvp), computed in forward mode: one
        /// pass of the function on dual tensors (<see cref="ForwardAD"/>) instead of PyTorch's
        /// double-backward trick, so an op with no backward-of-backward costs nothing extra.
        /// </summary>
        /// <param name="func">The function; called once (once per input when <paramref name="strict"/>).</param>
        /// <param name="inputs">The point at which to differentiate.</param>
        /// <param name="v">The vector, shaped like <paramref name="inputs"/>; may be null only when the input has one element (then 1).</param>
        /// <param name="createGraph">Make the results differentiable (reverse mode) with respect to the inputs and <paramref name="v"/>.</param>
        /// <param name="strict">Throw PyTorch's error when the output does not depend on the input, instead of returning zeros.</param>
        /// <returns>The function's output and J v, shaped like it; both detached unless <paramref name="createGraph"/>.</returns>
        /// <exception cref="ArgumentException"><paramref name="v"/> is missing or does not match the input.</exception>
        /// <exception cref="InvalidOperationException">In strict mode, the output does not depend on the input.</exception>
        public static (Tensor Outputs, Tensor Jvp) Jvp(Func<Tensor, Tensor> func, Tensor inputs, Tensor? v = null,
                                                      bool createGraph = false, bool strict = false)
        {
            ArgumentNullException.ThrowIfNull(func);
            ArgumentNullException.ThrowIfNull(inputs);
            var (outputs, jvp) = Jvp(t => [func(t[0])], [inputs], v is null ? null : [v], createGraph, strict);
            return (outputs[0], jvp[0]);
        }

        /// <summary>
        /// <see cref="Jvp(Func{Tensor, Tensor}, Tensor, Tensor?, bool, bool)"/> for a function of
        /// several tensors returning several (PyTorch's tuples): J v summed over the inputs, one
        /// result per output.
        /// </summary>
        /// <param name="func">The function; called once (once per input when <paramref name="strict"/>).</param>
        /// <param name="inputs">The point at which to differentiate.</param>
        /// <param name="v">One vector per input, shaped like it; may be null only for one input of one element.</param>
        /// <param name="createGraph">Make the results differentiable (reverse mode) with respect to the inputs and <paramref name="v"/>.</param>
        /// <param name="strict">Throw PyTorch's error when an output, or all of them together, does not depend on an input.</param>
        /// <returns>The function's outputs and one J v per output; detached unless <paramref name="createGraph"/>.</returns>
        /// <exception cref="ArgumentException"><paramref name="v"/> is missing or does not match the inputs.</exception>
        /// <exception cref="InvalidOperationException">In strict mode, an output does not depend on the inputs, or the outputs on an input.</exception>
        public static (Tensor[] Outputs, Tensor[] Jvp) Jvp(Func<Tensor[], Tensor[]> func, Tensor[] inputs, Tensor[]? v = null,
                                                          bool createGraph = false, bool strict = false)
        {
            ArgumentNullException.ThrowIfNull(func);
            ArgumentNullException.ThrowIfNull(inputs);
            var tangents = CheckedVectors(inputs, v);
            // As PyTorch prepares them: without createGraph nothing is recorded; with it, inputs
            // that do not require grad are made to, so that the results are differentiable.
            var point = Array.ConvertAll(inputs, x => createGraph ? (x.RequiresGrad ? x : x.Detach().RequiresGrad_()) : x.Detach());
            if (!createGraph) tangents = Array.ConvertAll(tangents, t => t.Detach());

            // Strict mode runs one pass per input, to tell which inputs the outputs depend on; the
            // tangent is linear in v, so the passes' tangents add up to the joint one.
            var passes = strict ? Enumerable.Range(0, inputs.Length).Select(i => new[] { i }).ToArray() : [Enumerable.Range(0, inputs.Length).ToArray()];
            Tensor[]? outputs = null;
            Tensor?[]? sums = null;
            int independent = -1;
            foreach (var pass in passes)
            {
                using var level = ForwardAD.DualLevel();
                var duals = (Tensor[])point.Clone();
                foreach (int i in pass) duals[i] = ForwardAD.MakeDual(point[i], tangents[i]);
                var results = func(duals) ?? throw new InvalidOperationException("the function given to Jvp returned null; it must return tensors");
                sums ??= new Tensor?[results.Length];
                outputs ??= new Tensor[results.Length];
                bool contributes = false;
                for (int j = 0; j < results.Length; j++)
                {
                    var (primal, tangent) = ForwardAD.UnpackDual(results[j]
                        ?? throw new InvalidOperationException($"the function given to Jvp returned null at index {j}; it must return tensors"));
                    outputs[j] ??= primal;
                    if (tangent is null) continue;
                    contributes = true;
                    sums[j] = sums[j] is { } sum ? sum + tangent : tangent;
                }
                if (strict && !contributes && independent < 0) independent = pass[0];
            }
            if (strict)
            {
                int unreached = Array.FindIndex(sums!, s => s is null);
                if (unreached >= 0)
                    throw new InvalidOperationException($"Output {unreached} of the user-provided function does not require gradients. The outputs must be computed in a differentiable manner from the input when running in strict mode.");
                if (independent >= 0)
                    throw new InvalidOperationException($"The output of the user-provided function is independent of input {independent}. This is not allowed in strict mode.");
            }
            var jvp = new Tensor[outputs!.Length];
            for (int j = 0; j < jvp.Length; j++)
                jvp[j] = sums![j] ?? Tensor.ZerosLike(outputs[j]);
            return createGraph ? (outputs, jvp) : (Array.ConvertAll(outputs, o => o.Detach()), Array.ConvertAll(jvp, t => t.Detach()));
        }

        // PyTorch's _validate_v and v=None for a single one-element input; an integer vector is
        // converted to the input's dtype, as PyTorch's arithmetic would.
        private static Tensor[] CheckedVectors(Tensor[] inputs, Tensor[]? v)
        {
            if (v is null)
            {
                if (inputs.Length != 1 || inputs[0].NumElements != 1)
                    throw new ArgumentException("The vector v can only be None if the input to the user-provided function is a single Tensor with a single element.");
                return [Tensor.OnesLike(inputs[0])];
            }
            if (v.Length != inputs.Length)
                throw new ArgumentException($"v is a tuple of invalid length: should be {inputs.Length} but got {v.Length}.");
            var checkedVectors = new Tensor[v.Length];
            for (int i = 0; i < v.Length; i++)
            {
                var vector = v[i] ?? throw new ArgumentNullException(nameof(v), $"v[{i}] is null");
                if (!vector.shape.AsSpan().SequenceEqual(inputs[i].shape))
                    throw new ArgumentException($"v has invalid size: should be {ShapeMath.FormatSize(inputs[i].shape)} but got {ShapeMath.FormatSize(vector.shape)}.");
                checkedVectors[i] = vector.DType.IsFloatingPoint() ? vector : vector.To(inputs[i].DType);
            }
            return checkedVectors;
        }
    }
}
