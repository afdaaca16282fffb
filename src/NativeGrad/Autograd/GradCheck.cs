using System.Text;

namespace NativeGrad;

public static partial class Autograd
{
    /// <summary>
    /// Checks the gradients of <paramref name="function"/> at <paramref name="inputs"/> against
    /// central finite differences (torch.autograd.gradcheck): for every output element and every
    /// element of every input that requires grad, the analytic vector-Jacobian product must satisfy
    /// |analytic - numeric| &lt;= atol + rtol * |numeric|. Inputs that require grad must be float64,
    /// since float32 differences are too coarse to tell a wrong gradient from rounding.
    /// With <paramref name="checkForwardAD"/> the Jacobian-vector products of forward-mode AD
    /// (<see cref="ForwardAD"/>, one dual pass per input element) are checked against the same
    /// differences, as torch's <c>check_forward_ad=True</c> does.
    /// </summary>
    /// <param name="function">The function to check; called several times, it must be deterministic.</param>
    /// <param name="inputs">The point to check at; those that require grad are differentiated.</param>
    /// <param name="eps">The finite-difference step.</param>
    /// <param name="atol">Absolute tolerance.</param>
    /// <param name="rtol">Relative tolerance.</param>
    /// <param name="raiseException">Throw on a mismatch, describing it (the default), instead of returning false.</param>
    /// <param name="checkForwardAD">Also check forward-mode derivatives (torch's check_forward_ad).</param>
    /// <param name="checkBackwardAD">Check the backward (reverse-mode) gradients (torch's check_backward_ad).</param>
    /// <returns>True when every gradient matches.</returns>
    /// <exception cref="GradCheckException">A gradient differs from its numeric estimate.</exception>
    public static bool GradCheck(Func<Tensor[], Tensor> function, Tensor[] inputs, double eps = 1e-6,
                                 double atol = 1e-5, double rtol = 1e-3, bool raiseException = true,
                                 bool checkForwardAD = false, bool checkBackwardAD = true)
    {
        ArgumentNullException.ThrowIfNull(function);
        ArgumentNullException.ThrowIfNull(inputs);
        var differentiable = inputs.Where(t => t.RequiresGrad).ToArray();
        if (differentiable.Length == 0)
            throw new ArgumentException("gradcheck expects at least one input tensor to require gradient");
        if (differentiable.FirstOrDefault(t => t.DType != DType.Float64) is { } single)
            throw new ArgumentException($"gradcheck needs float64 inputs, but an input that requires grad is {single.DType.TorchName()}");

        var output = function(inputs);
        long outputs = output.NumElements;
        for (int i = 0; i < differentiable.Length; i++)
        {
            var input = differentiable[i];
            var numeric = NumericJacobian(function, inputs, input, output.shape, eps);
            if (checkBackwardAD && !Matches(numeric, AnalyticJacobian(output, input, i, differentiable), "Jacobian", i, input.NumElements, outputs))
                return false;
            if (checkForwardAD && !Matches(numeric, ForwardJacobian(function, inputs, input, outputs), "Jacobian computed with forward mode", i, input.NumElements, outputs))
                return false;
        }
        return true;

        bool Matches(double[] numeric, double[] analytic, string what, int input, long n, long m)
        {
            for (long e = 0; e < numeric.Length; e++)
            {
                if (Math.Abs(analytic[e] - numeric[e]) <= atol + rtol * Math.Abs(numeric[e])) continue;
                if (!raiseException) return false;
                throw new GradCheckException(Describe(what, input, n, m, numeric, analytic));
            }
            return true;
        }
    }

    /// <summary>
    /// Checks second-order gradients (torch.autograd.gradgradcheck): GradCheck of the gradient of
    /// <paramref name="function"/>'s output weighted by <paramref name="gradOutput"/>, taken with
    /// createGraph, with respect to the inputs and to the weights themselves. The weights default to
    /// fixed pseudo-random float64 numbers in [-1, 1); given, they are used as they are.
    /// </summary>
    /// <param name="function">The function whose second derivatives are checked; called several times, it must be deterministic.</param>
    /// <param name="inputs">The point to check at; those that require grad are differentiated (float64).</param>
    /// <param name="gradOutput">The weights of the output's elements (its shape); differentiated too when it requires grad.</param>
    /// <param name="eps">The finite-difference step.</param>
    /// <param name="atol">Absolute tolerance.</param>
    /// <param name="rtol">Relative tolerance.</param>
    /// <param name="raiseException">Throw on a mismatch, describing it (the default), instead of returning false.</param>
    /// <returns>True when every second-order gradient matches.</returns>
    /// <exception cref="GradCheckException">A second-order gradient differs from its numeric estimate.</exception>
    public static bool GradGradCheck(Func<Tensor[], Tensor> function, Tensor[] inputs, Tensor? gradOutput = null, double eps = 1e-6,
                                     double atol = 1e-5, double rtol = 1e-3, bool raiseException = true)
    {
        ArgumentNullException.ThrowIfNull(function);
        ArgumentNullException.ThrowIfNull(inputs);
        var differentiable = Enumerable.Range(0, inputs.Length).Where(i => inputs[i].RequiresGrad).ToArray();
        if (differentiable.Length == 0)
            throw new ArgumentException("gradgradcheck expects at least one input tensor to require gradient");
        if (gradOutput is null)
        {
            long[] shape;
            using (NoGrad()) shape = function(inputs).shape;
            var random = new Random(0);
            var weights = Enumerable.Range(0, (int)ShapeMath.Product(shape)).Select(_ => random.NextDouble() * 2 - 1).ToArray();
            gradOutput = Tensor.FromSpan<double>(weights, shape, requiresGrad: true);
        }
        var weighting = gradOutput;
        Tensor FirstOrder(Tensor[] all)
        {
            // GradCheck computes its finite differences under NoGrad; the gradient needs the graph.
            using var enabled = EnableGrad();
            var point = all[..inputs.Length];
            var output = function(point);
            var grads = Grad([output], differentiable.Select(i => point[i]).ToArray(), [all[^1]], createGraph: true, allowUnused: true);
            return Tensor.Cat(grads.Select((g, k) => (g ?? Tensor.ZerosLike(point[differentiable[k]])).Reshape(-1)).ToArray());
        }
        return GradCheck(FirstOrder, [.. inputs, weighting], eps, atol, rtol, raiseException);
    }

    // Column-major by input element: J[inputElement * outputs + outputElement].
    private static double[] NumericJacobian(Func<Tensor[], Tensor> function, Tensor[] inputs, Tensor input, long[] outputShape, double eps)
    {
        long n = input.NumElements, m = ShapeMath.Product(outputShape);
        var jacobian = new double[n * m];
        using var noGrad = NoGrad();
        for (long k = 0; k < n; k++)
        {
            double original = input.ElementView(k).Item<double>();
            input.SetElementUnversioned(k, original + eps);
            var plus = function(inputs).ToArray<double>();
            input.SetElementUnversioned(k, original - eps);
            var minus = function(inputs).ToArray<double>();
            input.SetElementUnversioned(k, original);
            for (long j = 0; j < m; j++)
                jacobian[k * m + j] = (plus[j] - minus[j]) / (2 * eps);
        }
        return jacobian;
    }

    private static double[] AnalyticJacobian(Tensor output, Tensor input, int inputIndex, Tensor[] differentiable)
    {
        long n = input.NumElements, m = output.NumElements;
        var jacobian = new double[n * m];
        for (long j = 0; j < m; j++)
        {
            var selector = Tensor.ZerosLike(output);
            selector.ElementView(j).CopyFromRaw(Tensor.Scalar(1, output.DType));
            var grads = Grad([output], differentiable, [selector], retainGraph: true, allowUnused: true);
            if (grads[inputIndex] is not { } grad) continue;
            var row = grad.ToArray<double>();
            for (long k = 0; k < n; k++)
                jacobian[k * m + j] = row[k];
        }
        return jacobian;
    }

    // Column by column: a dual pass per element of the input, its tangent that element's unit
    // vector, gives J e_k. Grad mode stays as it is: a function that differentiates its inputs
    // (a gradient checked forward over reverse) needs the dual inputs to keep their history.
    private static double[] ForwardJacobian(Func<Tensor[], Tensor> function, Tensor[] inputs, Tensor input, long m)
    {
        long n = input.NumElements;
        var jacobian = new double[n * m];
        int position = Array.IndexOf(inputs, input);
        for (long k = 0; k < n; k++)
        {
            var tangent = Tensor.Zeros([.. input.shape], input.DType);
            tangent.SetElementUnversioned(k, 1);
            using var level = ForwardAD.DualLevel();
            var duals = (Tensor[])inputs.Clone();
            duals[position] = ForwardAD.MakeDual(input, tangent);
            var column = ForwardAD.UnpackDual(function(duals)).Tangent;
            if (column is null) continue; // the output does not depend on this input: a zero column
            var values = column.To(DType.Float64).Contiguous().ToArray<double>();
            for (long j = 0; j < m; j++) jacobian[k * m + j] = values[j];
        }
        return jacobian;
    }

    private static string Describe(string what, int input, long n, long m, double[] numeric, double[] analytic)
    {
        var text = new StringBuilder($"{what} mismatch for output 0 with respect to input {input},\n");
        text.Append("numerical:").Append(FormatMatrix(numeric, n, m)).Append("\nanalytical:").Append(FormatMatrix(analytic, n, m));
        return text.ToString();
    }

    private static string FormatMatrix(double[] values, long rows, long cols) =>
        Tensor.FromSpan<double>(values, [rows, cols]).ToString();
}

/// <summary>An analytic gradient differs from its finite-difference estimate (torch's GradcheckError).</summary>
public sealed class GradCheckException(string message) : Exception(message);

public sealed partial class Tensor
{
    /// <summary>A 0-dim view of the element at row-major position <paramref name="flatIndex"/>.</summary>
    internal Tensor ElementView(long flatIndex)
    {
        long position = offset;
        for (int d = Dim - 1; d >= 0; d--)
        {
            position += flatIndex % shape[d] * strides[d];
            flatIndex /= shape[d];
        }
        return View([], [], position);
    }

    /// <summary>
    /// Overwrites one float64 element without bumping the version counter, as PyTorch's gradcheck
    /// perturbs through .data: the element is restored afterwards, so the tensors that a graph
    /// recorded before the perturbation saved are still valid, and must not be reported as modified.
    /// </summary>
    internal unsafe void SetElementUnversioned(long flatIndex, double value)
    {
        using var element = ElementView(flatIndex).Lease();
        fixed (byte* elementPtr = element)
            *(double*)elementPtr = value;
    }
}
