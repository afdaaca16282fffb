namespace NativeGrad;

public static partial class Autograd
{
    /// <summary>
    /// torch.autograd.functional: derivatives of a whole function at a point (Jacobian, Hessian,
    /// and their products with a vector), built on the reverse-mode engine. A single-tensor
    /// overload stands for PyTorch's call with one tensor; an array overload for a tuple (one
    /// result per entry). Each call runs the function on fresh copies of the inputs, so the
    /// function must take its inputs from its arguments: a tensor it captures is a constant.
    /// </summary>
    /// <remarks>
    /// <para><c>createGraph</c>: the results are recorded, so they can be differentiated again
    /// (a derivative of a Jacobian); otherwise they are detached. <c>strict</c>: raise PyTorch's
    /// error when a result does not depend on an input, instead of returning zeros there.</para>
    /// <para>A Jacobian costs one backward pass per output element, over one recorded forward
    /// pass: PyTorch's default (<c>vectorize=False</c>). PyTorch's <c>vectorize=True</c> runs
    /// those passes as one batched pass through vmap, which needs every backward rule to carry an
    /// extra batch dimension; NativeGrad's rules do not, so it is not offered. For a function with
    /// few inputs and many outputs, forward mode (<c>Jvp</c>) needs fewer passes.</para>
    /// </remarks>
    public static partial class Functional
    {
        /// <summary>
        /// The Jacobian of <paramref name="func"/> at <paramref name="inputs"/>
        /// (torch.autograd.functional.jacobian with one tensor in and one out): its shape is the
        /// output's followed by the input's.
        /// </summary>
        /// <param name="func">The function; it must compute its output from its argument.</param>
        /// <param name="inputs">The point.</param>
        /// <param name="createGraph">Record the computation, so the Jacobian can be differentiated.</param>
        /// <param name="strict">Throw when the output does not depend on the input, instead of returning zeros.</param>
        public static Tensor Jacobian(Func<Tensor, Tensor> func, Tensor inputs, bool createGraph = false, bool strict = false)
        {
            ArgumentNullException.ThrowIfNull(func);
            return JacobianOf(Single(func, "jacobian"), [inputs], false, createGraph, strict)[0][0];
        }

        /// <summary>
        /// The Jacobian of a function of several tensors (jacobian with a tuple of inputs): block
        /// <c>[j]</c> is d output / d inputs[j], shaped as the output followed by inputs[j].
        /// </summary>
        /// <inheritdoc cref="Jacobian(Func{Tensor, Tensor}, Tensor, bool, bool)"/>
        public static Tensor[] Jacobian(Func<Tensor[], Tensor> func, Tensor[] inputs, bool createGraph = false, bool strict = false)
        {
            ArgumentNullException.ThrowIfNull(func);
            return JacobianOf(Single(func, "jacobian"), inputs, true, createGraph, strict)[0];
        }

        /// <summary>
        /// The Jacobian of a function with several outputs (jacobian returning a tuple): block
        /// <c>[i]</c> is d outputs[i] / d input, shaped as outputs[i] followed by the input.
        /// </summary>
        /// <inheritdoc cref="Jacobian(Func{Tensor, Tensor}, Tensor, bool, bool)"/>
        public static Tensor[] Jacobian(Func<Tensor, Tensor[]> func, Tensor inputs, bool createGraph = false, bool strict = false)
        {
            ArgumentNullException.ThrowIfNull(func);
            return Array.ConvertAll(JacobianOf(Several(func, "jacobian"), [inputs], false, createGraph, strict), row => row[0]);
        }

        /// <summary>
        /// The Jacobian of a function of several tensors with several outputs: block <c>[i][j]</c>
        /// is d outputs[i] / d inputs[j], shaped as outputs[i] followed by inputs[j].
        /// </summary>
        /// <inheritdoc cref="Jacobian(Func{Tensor, Tensor}, Tensor, bool, bool)"/>
        public static Tensor[][] Jacobian(Func<Tensor[], Tensor[]> func, Tensor[] inputs, bool createGraph = false, bool strict = false)
        {
            ArgumentNullException.ThrowIfNull(func);
            return JacobianOf(Several(func, "jacobian"), inputs, true, createGraph, strict);
        }

        /// <summary>
        /// The Hessian of the scalar function <paramref name="func"/> at <paramref name="inputs"/>
        /// (torch.autograd.functional.hessian): shaped as the input twice. The function's result
        /// must hold one element.
        /// </summary>
        /// <param name="func">The function; it must compute its one-element output from its argument.</param>
        /// <param name="inputs">The point.</param>
        /// <param name="createGraph">Record the computation, so the Hessian can be differentiated.</param>
        /// <param name="strict">Throw when a derivative does not depend on an input, instead of returning zeros.</param>
        public static Tensor Hessian(Func<Tensor, Tensor> func, Tensor inputs, bool createGraph = false, bool strict = false)
        {
            ArgumentNullException.ThrowIfNull(func);
            return HessianOf(xs => func(xs[0]), [inputs], false, createGraph, strict)[0][0];
        }

        /// <summary>
        /// The Hessian of a scalar function of several tensors: block <c>[i][j]</c> is
        /// d2 f / d inputs[i] d inputs[j], shaped as inputs[i] followed by inputs[j].
        /// </summary>
        /// <inheritdoc cref="Hessian(Func{Tensor, Tensor}, Tensor, bool, bool)"/>
        public static Tensor[][] Hessian(Func<Tensor[], Tensor> func, Tensor[] inputs, bool createGraph = false, bool strict = false)
        {
            ArgumentNullException.ThrowIfNull(func);
            return HessianOf(func, inputs, true, createGraph, strict);
        }

        // The general case: outputs[i] by inputs[j], one backward pass per element of each output
        // (see the class remarks for why not batched).
        private static Tensor[][] JacobianOf(Func<Tensor[], Tensor[]> func, Tensor?[]? inputs, bool inputsAreTuple,
                                             bool createGraph, bool strict)
        {
            var jacobian = new List<Tensor[]>();
            using (EnableGrad())
            {
                var points = Preprocess(AsTensors(inputs, inputsAreTuple, "inputs", "jacobian"), createGraph, needGraph: true);
                var outputs = func(points);
                CheckRequiresGrad(outputs, Checked.Outputs, strict);

                for (int i = 0; i < outputs.Length; i++)
                {
                    var output = outputs[i];
                    var rows = Array.ConvertAll(points, _ => new List<Tensor>());
                    for (long e = 0; e < output.NumElements; e++)
                    {
                        var gradients = GradOfDifferentiable([output.Reshape(-1)[e]], points, null, createGraph, retainGraph: true);
                        for (int j = 0; j < points.Length; j++)
                        {
                            if (gradients[j] is { } gradient)
                            {
                                // PyTorch formats this message with the output's index, not the input's.
                                if (strict && createGraph && !gradient.RequiresGrad)
                                    throw new InvalidOperationException(
                                        $"The jacobian of the user-provided function is independent of input {i}. This is not allowed in " +
                                        "strict mode when create_graph=True.");
                                rows[j].Add(gradient);
                            }
                            else
                            {
                                if (strict)
                                    throw new InvalidOperationException(
                                        $"Output {i} of the user-provided function is independent of input {j}. This is not allowed in strict mode.");
                                rows[j].Add(Tensor.ZerosLike(points[j]));
                            }
                        }
                    }
                    jacobian.Add(Enumerable.Range(0, points.Length)
                        .Select(j => Tensor.Stack(rows[j]).View([.. output.Shape, .. points[j].Shape])).ToArray());
                }
            }
            return jacobian.Select(row => Postprocess(row, createGraph)).ToArray();
        }

        // PyTorch's hessian: the Jacobian of the (recorded) Jacobian, so every check and message
        // of the two nested calls is PyTorch's too.
        private static Tensor[][] HessianOf(Func<Tensor[], Tensor> func, Tensor?[]? inputs, bool inputsAreTuple,
                                            bool createGraph, bool strict)
        {
            var points = AsTensors(inputs, inputsAreTuple, "inputs", "hessian");
            Tensor SingleOutput(Tensor[] xs)
            {
                var output = AsTensors([func(xs)], false, "outputs of the user-provided function", "hessian", fromFunction: true)[0];
                CheckRequiresGrad([output], Checked.Outputs, strict);
                if (output.NumElements != 1)
                    throw new InvalidOperationException("The Tensor returned by the function given to hessian should contain a single element");
                return output.Squeeze();
            }
            Tensor[] Gradient(Tensor[] xs)
            {
                var gradient = JacobianOf(xs2 => [SingleOutput(xs2)], xs, true, createGraph: true, strict: false)[0];
                CheckRequiresGrad(gradient, Checked.Jacobian, strict);
                return gradient;
            }
            return JacobianOf(Gradient, points, true, createGraph, strict);
        }

        // The single-output and several-output functions as the general case sees them.
        private static Func<Tensor[], Tensor[]> Single(Func<Tensor, Tensor> func, string function) =>
            xs => AsTensors([func(xs[0])], false, "outputs of the user-provided function", function, fromFunction: true);

        private static Func<Tensor[], Tensor[]> Single(Func<Tensor[], Tensor> func, string function) =>
            xs => AsTensors([func(xs)], false, "outputs of the user-provided function", function, fromFunction: true);

        private static Func<Tensor[], Tensor[]> Several(Func<Tensor, Tensor[]> func, string function) =>
            xs => AsTensors(func(xs[0]), true, "outputs of the user-provided function", function, fromFunction: true);

        private static Func<Tensor[], Tensor[]> Several(Func<Tensor[], Tensor[]> func, string function) =>
            xs => AsTensors(func(xs), true, "outputs of the user-provided function", function, fromFunction: true);
    }
}
