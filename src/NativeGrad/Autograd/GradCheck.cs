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
    /// </summary>
    /// <param name="function">The function to check; called several times, it must be deterministic.</param>
    /// <param name="inputs">The point to check at; those that require grad are differentiated.</param>
    /// <param name="eps">The finite-difference step.</param>
    /// <param name="atol">Absolute tolerance.</param>
    /// <param name="rtol">Relative tolerance.</param>
    /// <param name="raiseException">Throw on a mismatch, describing it (the default), instead of returning false.</param>
    /// <returns>True when every gradient matches.</returns>
    /// <exception cref="GradCheckException">A gradient differs from its numeric estimate.</exception>
    public static bool GradCheck(Func<Tensor[], Tensor> function, Tensor[] inputs, double eps = 1e-6,
                                 double atol = 1e-5, double rtol = 1e-3, bool raiseException = true)
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
            var analytic = AnalyticJacobian(output, input, i, differentiable);
            for (long e = 0; e < numeric.Length; e++)
            {
                if (Math.Abs(analytic[e] - numeric[e]) <= atol + rtol * Math.Abs(numeric[e])) continue;
                if (!raiseException) return false;
                throw new GradCheckException(Describe(i, input.NumElements, outputs, numeric, analytic));
            }
        }
        return true;
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

    private static string Describe(int input, long n, long m, double[] numeric, double[] analytic)
    {
        var text = new StringBuilder($"Jacobian mismatch for output 0 with respect to input {input},\n");
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
        *(double*)element.Pointer = value;
    }
}
