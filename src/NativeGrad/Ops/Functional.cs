namespace NativeGrad;

/// <summary>How a loss combines its per-element values.</summary>
public enum Reduction
{
    /// <summary>The mean over elements (PyTorch's default).</summary>
    Mean,
    /// <summary>The sum over elements.</summary>
    Sum,
    /// <summary>No reduction: one loss per element.</summary>
    None,
    /// <summary>The sum divided by the batch size (the first dimension); only <see cref="Functional.KlDiv"/> accepts it.</summary>
    BatchMean,
}

/// <summary>
/// torch.nn.functional. This file holds the activations along a dimension and what the losses
/// share; the losses, normalisation, activations and embedding are in the other Functional.*.cs files.
/// </summary>
public static partial class Functional
{
    /// <summary>exp(x) / sum(exp(x)) along <paramref name="dim"/>.</summary>
    public static Tensor Softmax(Tensor input, int dim) => input.Softmax(dim);

    /// <summary>log(softmax(x)) along <paramref name="dim"/>, computed stably.</summary>
    public static Tensor LogSoftmax(Tensor input, int dim) => input.LogSoftmax(dim);

    /// <summary>input @ weight^T + bias.</summary>
    public static Tensor Linear(Tensor input, Tensor weight, Tensor? bias = null) => Tensor.Linear(input, weight, bias);

    internal static Tensor Reduce(Tensor loss, Reduction reduction) => CheckReduction(reduction) switch
    {
        Reduction.Mean => loss.Mean(),
        Reduction.Sum => loss.Sum(),
        _ => loss,
    };

    /// <summary>Mean, Sum or None; BatchMean is a KL-divergence option, as in PyTorch's _Reduction.get_enum.</summary>
    internal static Reduction CheckReduction(Reduction reduction) => reduction switch
    {
        Reduction.Mean or Reduction.Sum or Reduction.None => reduction,
        Reduction.BatchMean => throw new ArgumentException("batchmean is not a valid value for reduction"),
        _ => throw new ArgumentOutOfRangeException(nameof(reduction), reduction, "Unknown reduction."),
    };

    /// <summary>
    /// x / s recorded as DivBackward1, the node PyTorch's C++ code makes when it divides by a
    /// Scalar (Python's <c>x / 2</c> makes DivBackward0 instead).
    /// </summary>
    internal static Tensor DivScalar(Tensor x, double s)
    {
        Tensor result;
        using (GradMode.Set(false))
            result = x / s;
        return Node.Record(result, Derivatives.DivScalar, [x], new OpArgs { Scalar = s });
    }

    internal static void ThrowUnlessFloating(Tensor input, string kernel)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (!input.DType.IsFloatingPoint())
            throw new NotSupportedException($"\"{kernel}\" not implemented for '{input.DType.ScalarTypeName()}'");
    }

    /// <summary>A double as Python's str(float) spells it in messages: 2.0, 0.5, inf.</summary>
    internal static string PythonFloat(double value) =>
        double.IsPositiveInfinity(value) ? "inf" : double.IsNegativeInfinity(value) ? "-inf" : double.IsNaN(value) ? "nan"
        : value == Math.Floor(value) && Math.Abs(value) < 1e16 ? value.ToString("0.0", System.Globalization.CultureInfo.InvariantCulture)
        : value.ToString("R", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>A double as C++'s ostream prints it in PyTorch's TORCH_CHECK messages (%g: -1, 0.5, 1e-05).</summary>
    internal static string CppFloat(double value) =>
        double.IsNaN(value) ? "nan" : double.IsInfinity(value) ? (value > 0 ? "inf" : "-inf")
        : value.ToString("G6", System.Globalization.CultureInfo.InvariantCulture).Replace("E", "e", StringComparison.Ordinal);

    /// <summary>Scales a gradient the way the loss was reduced (1/N for mean).</summary>
    internal static Tensor ScaleForReduction(Tensor grad, Tensor elementwiseShapeSource, Reduction reduction) => reduction switch
    {
        Reduction.Mean => grad / (double)elementwiseShapeSource.NumElements,
        _ => grad,
    };
}

public sealed partial class Tensor
{
    /// <summary>exp(x) / sum(exp(x)) along <paramref name="dim"/>.</summary>
    public Tensor Softmax(int dim)
    {
        int d = ShapeMath.WrapDim(dim, Dim);
        Functional.ThrowUnlessFloating(this, d == Dim - 1 || Dim == 0 ? "softmax_lastdim_kernel_impl" : "softmax_kernel_impl");
        Tensor result;
        using (GradMode.Set(false))
        {
            var x = this;
            if (d == Dim - 1 || Dim == 0)
            {
                result = SoftmaxLastDimRaw(x, log: false);
            }
            else
            {
                var shifted = (x - ReduceRaw(Backends.ReduceOp.Max, x, [d], true, false, x.DType).Values).Exp();
                result = shifted / shifted.Sum([d], keepDim: true);
            }
        }
        return Node.Record(result, Derivatives.Softmax, [this], new OpArgs { Dims = [d] });
    }

    /// <summary>log(softmax(x)) along <paramref name="dim"/>, computed stably.</summary>
    public Tensor LogSoftmax(int dim)
    {
        int d = ShapeMath.WrapDim(dim, Dim);
        Functional.ThrowUnlessFloating(this, d == Dim - 1 || Dim == 0 ? "log_softmax_lastdim_kernel_impl" : "softmax_kernel_impl");
        Tensor result;
        using (GradMode.Set(false))
        {
            var x = this;
            if (d == Dim - 1 || Dim == 0)
            {
                result = SoftmaxLastDimRaw(x, log: true);
            }
            else
            {
                var shifted = x - ReduceRaw(Backends.ReduceOp.Max, x, [d], true, false, x.DType).Values;
                result = shifted - shifted.Exp().Sum([d], keepDim: true).Log();
            }
        }
        return Node.Record(result, Derivatives.LogSoftmax, [this], new OpArgs { Dims = [d] });
    }

    /// <summary>
    /// The gradient of softmax (log-softmax when <paramref name="log"/>) over the last dimension in
    /// one fused kernel, or null where the derivative table's composed rule must run: when the
    /// backward is itself recorded (createGraph, so the rule stays differentiable), or for another
    /// dimension. The kernel takes the composed rule's steps, so both give the same bits.
    /// </summary>
    internal static unsafe Tensor? SoftmaxBackwardFused(Tensor grad, Tensor output, int dim, bool log)
    {
        if (GradMode.IsEnabled || (dim != output.Dim - 1 && output.Dim != 0) || grad.DType != output.DType
            || !grad.shape.AsSpan().SequenceEqual(output.shape))
            return null;
        var g = grad.ContiguousRaw();
        var o = output.ContiguousRaw();
        var (result, rows, length) = EmptyRowsLike(output);
        if (rows == 0) return result;
        using var pGrad = g.Lease();
        using var pOutput = o.Lease();
        using var pResult = result.Lease();
        fixed (byte* pGradPtr = pGrad, pOutputPtr = pOutput, pResultPtr = pResult)
            Backends.Backend.Kernels.SoftmaxBackward(log, output.DType, pGradPtr, pOutputPtr, rows, length, pResultPtr);
        return result;
    }

    // A new tensor shaped like x, and x as rows along its last dimension (a 0-d x is one row of one).
    private static (Tensor Result, long Rows, long Length) EmptyRowsLike(Tensor x)
    {
        long length = x.Dim == 0 ? 1 : x.shape[^1];
        return (Empty((long[])x.shape.Clone(), x.DType), length == 0 ? 0 : x.NumElements / length, length);
    }

    // The fused kernel over the last dimension: the same arithmetic as the compositions above
    // (max, exp of the difference, double-accumulated sum, divide or subtract the log) in one
    // kernel call with no intermediate tensors.
    private static unsafe Tensor SoftmaxLastDimRaw(Tensor x, bool log)
    {
        var source = x.ContiguousRaw();
        var (result, rows, length) = EmptyRowsLike(x);
        if (rows == 0) return result;
        using var pSource = source.Lease();
        using var pResult = result.Lease();
        fixed (byte* pSourcePtr = pSource, pResultPtr = pResult)
            Backends.Backend.Kernels.Softmax(log, x.DType, pSourcePtr, rows, length, pResultPtr);
        return result;
    }
}
