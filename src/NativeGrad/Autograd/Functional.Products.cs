namespace NativeGrad;

public static partial class Autograd
{
    public static partial class Functional
    {
        /// <summary>
        /// The function's output and the vector-Jacobian product vᵀ·J at <paramref name="inputs"/>
        /// (torch.autograd.functional.vjp), shaped as the input: one backward pass.
        /// </summary>
        /// <param name="func">The function; it must compute its output from its argument.</param>
        /// <param name="inputs">The point.</param>
        /// <param name="v">Shaped as the output; may be omitted when the output has one element (1 is used).</param>
        /// <param name="createGraph">Record the computation, so the output and the product can be differentiated.</param>
        /// <param name="strict">Throw when the output does not depend on the input, instead of returning zeros.</param>
        public static (Tensor Output, Tensor Vjp) Vjp(Func<Tensor, Tensor> func, Tensor inputs, Tensor? v = null,
                                                      bool createGraph = false, bool strict = false)
        {
            ArgumentNullException.ThrowIfNull(func);
            var (outputs, vjp) = VjpOf(Single(func, "vjp"), [inputs], false, v is null ? null : [v], false, createGraph, strict);
            return (outputs[0], vjp[0]);
        }

        /// <summary>vjp with a tuple of inputs: one product per input, shaped as it.</summary>
        /// <inheritdoc cref="Vjp(Func{Tensor, Tensor}, Tensor, Tensor?, bool, bool)"/>
        public static (Tensor Output, Tensor[] Vjp) Vjp(Func<Tensor[], Tensor> func, Tensor[] inputs, Tensor? v = null,
                                                        bool createGraph = false, bool strict = false)
        {
            ArgumentNullException.ThrowIfNull(func);
            var (outputs, vjp) = VjpOf(Single(func, "vjp"), inputs, true, v is null ? null : [v], false, createGraph, strict);
            return (outputs[0], vjp);
        }

        /// <summary>vjp of a function with several outputs: <paramref name="v"/> holds one tensor per output, shaped as it.</summary>
        /// <inheritdoc cref="Vjp(Func{Tensor, Tensor}, Tensor, Tensor?, bool, bool)"/>
        public static (Tensor[] Outputs, Tensor Vjp) Vjp(Func<Tensor, Tensor[]> func, Tensor inputs, Tensor[]? v = null,
                                                         bool createGraph = false, bool strict = false)
        {
            ArgumentNullException.ThrowIfNull(func);
            var (outputs, vjp) = VjpOf(Several(func, "vjp"), [inputs], false, v, true, createGraph, strict);
            return (outputs, vjp[0]);
        }

        /// <summary>vjp with several inputs and several outputs: <paramref name="v"/> holds one tensor per output, the result one per input.</summary>
        /// <inheritdoc cref="Vjp(Func{Tensor, Tensor}, Tensor, Tensor?, bool, bool)"/>
        public static (Tensor[] Outputs, Tensor[] Vjp) Vjp(Func<Tensor[], Tensor[]> func, Tensor[] inputs, Tensor[]? v = null,
                                                           bool createGraph = false, bool strict = false)
        {
            ArgumentNullException.ThrowIfNull(func);
            return VjpOf(Several(func, "vjp"), inputs, true, v, true, createGraph, strict);
        }

        /// <summary>
        /// The scalar function's output and the Hessian-vector product H·v at <paramref name="inputs"/>
        /// (torch.autograd.functional.hvp), shaped as the input. It runs the double-backward trick
        /// (three backward passes), as PyTorch's does; for a twice continuously differentiable
        /// function H is symmetric and <see cref="Vhp(Func{Tensor, Tensor}, Tensor, Tensor?, bool, bool)"/>
        /// gives the same with two.
        /// </summary>
        /// <param name="func">The function; it must compute its one-element output from its argument.</param>
        /// <param name="inputs">The point.</param>
        /// <param name="v">Shaped as the input; may be omitted when the input has one element (1 is used).</param>
        /// <param name="createGraph">Record the computation, so the output and the product can be differentiated.</param>
        /// <param name="strict">Throw when a derivative does not depend on an input, instead of returning zeros.</param>
        public static (Tensor Output, Tensor Hvp) Hvp(Func<Tensor, Tensor> func, Tensor inputs, Tensor? v = null,
                                                      bool createGraph = false, bool strict = false)
        {
            ArgumentNullException.ThrowIfNull(func);
            var (output, hvp) = HessianProduct(xs => func(xs[0]), [inputs], false, v is null ? null : [v], createGraph, strict, "hvp");
            return (output, hvp[0]);
        }

        /// <summary>hvp with a tuple of inputs: <paramref name="v"/> and the result hold one tensor per input, shaped as it.</summary>
        /// <inheritdoc cref="Hvp(Func{Tensor, Tensor}, Tensor, Tensor?, bool, bool)"/>
        public static (Tensor Output, Tensor[] Hvp) Hvp(Func<Tensor[], Tensor> func, Tensor[] inputs, Tensor[]? v = null,
                                                        bool createGraph = false, bool strict = false)
        {
            ArgumentNullException.ThrowIfNull(func);
            return HessianProduct(func, inputs, true, v, createGraph, strict, "hvp");
        }

        /// <summary>
        /// The scalar function's output and the vector-Hessian product vᵀ·H at <paramref name="inputs"/>
        /// (torch.autograd.functional.vhp), shaped as the input: two backward passes.
        /// </summary>
        /// <inheritdoc cref="Hvp(Func{Tensor, Tensor}, Tensor, Tensor?, bool, bool)"/>
        public static (Tensor Output, Tensor Vhp) Vhp(Func<Tensor, Tensor> func, Tensor inputs, Tensor? v = null,
                                                      bool createGraph = false, bool strict = false)
        {
            ArgumentNullException.ThrowIfNull(func);
            var (output, vhp) = HessianProduct(xs => func(xs[0]), [inputs], false, v is null ? null : [v], createGraph, strict, "vhp");
            return (output, vhp[0]);
        }

        /// <summary>vhp with a tuple of inputs: <paramref name="v"/> and the result hold one tensor per input, shaped as it.</summary>
        /// <inheritdoc cref="Vhp(Func{Tensor, Tensor}, Tensor, Tensor?, bool, bool)"/>
        public static (Tensor Output, Tensor[] Vhp) Vhp(Func<Tensor[], Tensor> func, Tensor[] inputs, Tensor[]? v = null,
                                                        bool createGraph = false, bool strict = false)
        {
            ArgumentNullException.ThrowIfNull(func);
            return HessianProduct(func, inputs, true, v, createGraph, strict, "vhp");
        }

        private static (Tensor[] Outputs, Tensor[] Vjp) VjpOf(Func<Tensor[], Tensor[]> func, Tensor?[]? inputs, bool inputsAreTuple,
                                                              Tensor?[]? v, bool outputsAreTuple, bool createGraph, bool strict)
        {
            Tensor[] points, outputs, vectors;
            using (EnableGrad())
            {
                points = Preprocess(AsTensors(inputs, inputsAreTuple, "inputs", "vjp"), createGraph, needGraph: true);
                outputs = func(points);
                CheckRequiresGrad(outputs, Checked.Outputs, strict);
                if (v is not null)
                {
                    vectors = Preprocess(AsTensors(v, outputsAreTuple, "v", "vjp"), createGraph, needGraph: false);
                    ValidateV(vectors, outputs, outputsAreTuple);
                }
                else if (outputs.Length != 1 || outputs[0].NumElements != 1)
                    throw new ArgumentException(
                        "The vector v can only be None if the user-provided function returns a single Tensor with a single element.");
                else vectors = [];
            }
            var grads = GradOfDifferentiable(outputs, points, v is null ? null : vectors, createGraph);
            var vjp = FillInZeros(grads, points, strict, createGraph, Stage.Back);
            return (Postprocess(outputs, createGraph), Postprocess(vjp, createGraph));
        }

        // hvp and vhp: the gradient g of the function (recorded), then vhp = vᵀ·dg (one more
        // backward pass), or hvp through the double-backward trick: the backward of g's backward
        // taken at a zero grad_output u is linear in u, and its own backward at v gives H·v.
        private static (Tensor Output, Tensor[] Product) HessianProduct(Func<Tensor[], Tensor> func, Tensor?[]? inputs, bool inputsAreTuple,
                                                                        Tensor?[]? v, bool createGraph, bool strict, string function)
        {
            Tensor[] points, vectors = [], differentiatedFor;
            Tensor output;
            Tensor?[] differentiated;
            using (EnableGrad())
            {
                points = Preprocess(AsTensors(inputs, inputsAreTuple, "inputs", function), createGraph, needGraph: true);
                if (v is not null)
                {
                    vectors = Preprocess(AsTensors(v, inputsAreTuple, "v", function), createGraph, needGraph: false);
                    ValidateV(vectors, points, inputsAreTuple);
                }
                else if (points.Length != 1 || points[0].NumElements != 1)
                    throw new ArgumentException(
                        "The vector v can only be None if the input to the user-provided function is a single Tensor with a single element.");

                output = AsTensors([func(points)], false, "outputs of the user-provided function", function, fromFunction: true)[0];
                CheckRequiresGrad([output], Checked.Outputs, strict);
                if (output.NumElements != 1)
                    throw new InvalidOperationException($"The Tensor returned by the function given to {function} should contain a single element");

                var gradient = GradOfDifferentiable([output], points, null, createGraph: true);
                CheckRequiresGrad(gradient, Checked.Jacobian, strict);
                if (function == "vhp")
                {
                    differentiated = gradient;
                    differentiatedFor = points;
                }
                else
                {
                    differentiatedFor = Array.ConvertAll(points, p => Tensor.ZerosLike(p, requiresGrad: true));
                    differentiated = GradOfDifferentiable(gradient, points, differentiatedFor, createGraph: true);
                    // PyTorch checks the gradient again here, not the double backward.
                    CheckRequiresGrad(gradient, Checked.Hessian, strict);
                }
            }
            var grads = GradOfDifferentiable(differentiated, differentiatedFor, v is null ? null : vectors, createGraph);
            var product = FillInZeros(grads, points, strict, createGraph, function == "vhp" ? Stage.DoubleBack : Stage.DoubleBackTrick);
            return (Postprocess([output], createGraph)[0], Postprocess(product, createGraph));
        }
    }
}
