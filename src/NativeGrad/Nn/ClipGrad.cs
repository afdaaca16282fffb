namespace NativeGrad.Nn;

/// <summary>torch.nn.utils: helpers that act on parameters' gradients.</summary>
public static partial class Utils
{
    /// <summary>
    /// Scales the gradients of <paramref name="parameters"/> in place so that their total norm (the
    /// norm of the vector of every gradient's norm) is at most <paramref name="maxNorm"/>, as
    /// torch.nn.utils.clip_grad_norm_: each is multiplied by min(1, maxNorm / (total + 1e-6)).
    /// Parameters without a gradient are skipped.
    /// </summary>
    /// <param name="parameters">The parameters whose gradients to clip.</param>
    /// <param name="maxNorm">The largest total norm allowed.</param>
    /// <param name="normType">The order p of the norms; <see cref="double.PositiveInfinity"/> for the largest magnitude.</param>
    /// <param name="errorIfNonfinite">Throw instead of scaling when the total norm is NaN or infinite.</param>
    /// <returns>The total norm before clipping, a 0-dim tensor (0 when no parameter has a gradient).</returns>
    public static Tensor ClipGradNorm_(IEnumerable<Tensor> parameters, double maxNorm, double normType = 2, bool errorIfNonfinite = false)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        var grads = parameters.Select(p => p.Grad).OfType<Tensor>().ToArray();
        if (grads.Length == 0) return Tensor.From(0f);
        using (Autograd.NoGrad())
        {
            Tensor total;
            if (double.IsPositiveInfinity(normType))
            {
                var largest = grads.Select(g => g.Abs().Max()).ToArray();
                total = largest.Length == 1 ? largest[0] : Tensor.Stack(SameDType(largest)).Max();
            }
            else
            {
                total = Norm(Tensor.Stack(SameDType(grads.Select(g => Norm(g, normType)).ToArray())), normType);
            }
            double value = total.Item<double>();
            if (errorIfNonfinite && !double.IsFinite(value))
                throw new InvalidOperationException(
                    $"The total norm of order {Functional.PythonFloat(normType)} for gradients from `parameters` is non-finite, so it cannot be clipped. " +
                    "To disable this error and scale the gradients by the non-finite norm anyway, set `error_if_nonfinite=False`");
            // Computed in the norm's dtype, as PyTorch does: max_norm / (total + 1e-6), then at most 1.
            var coefficient = (maxNorm / (total + 1e-6)).Clamp(max: 1.0);
            foreach (var grad in grads) grad.Mul_(coefficient);
            return total;
        }
    }

    /// <summary><see cref="ClipGradNorm_(IEnumerable{Tensor}, double, double, bool)"/> for one parameter.</summary>
    public static Tensor ClipGradNorm_(Tensor parameter, double maxNorm, double normType = 2, bool errorIfNonfinite = false) =>
        ClipGradNorm_([parameter], maxNorm, normType, errorIfNonfinite);

    /// <summary>
    /// Limits every gradient element of <paramref name="parameters"/> to [-clipValue, clipValue] in
    /// place (torch.nn.utils.clip_grad_value_); parameters without a gradient are skipped.
    /// </summary>
    public static void ClipGradValue_(IEnumerable<Tensor> parameters, double clipValue)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        using (Autograd.NoGrad())
            foreach (var grad in parameters.Select(p => p.Grad).OfType<Tensor>())
                grad.Copy_(grad.Clamp(-clipValue, clipValue));
    }

    /// <summary><see cref="ClipGradValue_(IEnumerable{Tensor}, double)"/> for one parameter.</summary>
    public static void ClipGradValue_(Tensor parameter, double clipValue) => ClipGradValue_([parameter], clipValue);

    // A single Tensor is itself an IEnumerable<Tensor> of its rows; the one-parameter overloads
    // above keep such a call from clipping the rows' (absent) gradients instead.

    /// <summary>The p-norm of all elements (torch.norm(x, p)).</summary>
    private static Tensor Norm(Tensor x, double p) => p switch
    {
        2 => x.Norm(),
        double.PositiveInfinity => x.Abs().Max(),
        0 => (x != 0.0).To(x.DType).Sum(),
        1 => x.Abs().Sum(),
        _ => x.Abs().Pow(p).Sum().Pow(1 / p),
    };

    private static Tensor[] SameDType(Tensor[] tensors)
    {
        var dtype = tensors.Any(t => t.DType == DType.Float64) ? DType.Float64 : tensors[0].DType;
        return tensors.Select(t => t.To(dtype)).ToArray();
    }
}
