using NativeGrad.Backends;

namespace NativeGrad;

// Whole-tensor comparisons: equal, isclose, allclose (never differentiable).
public sealed partial class Tensor
{
    /// <summary>True when both tensors have the same shape and elements, compared after type promotion (torch.equal).</summary>
    public bool Equal(Tensor other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return shape.AsSpan().SequenceEqual(other.shape) && !(this != other).AnyRaw();
    }

    private bool AnyRaw() =>
        NumElements > 0 && ReduceRaw(ReduceOp.Max, this, Enumerable.Range(0, Dim).ToArray(), false, false, DType.Int64).Values.Item<long>() != 0;

    /// <summary>
    /// Elementwise |this - other| &lt;= atol + rtol * |other|, or equal (infinities of one sign
    /// included), broadcasting; NaNs count as close only with <paramref name="equalNan"/> (torch.isclose).
    /// </summary>
    public Tensor IsClose(Tensor other, double rtol = 1e-05, double atol = 1e-08, bool equalNan = false)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (DType != other.DType) throw new ArgumentException($"{DType.ScalarTypeName()} did not match {other.DType.ScalarTypeName()}");
        if (!(rtol >= 0)) throw new ArgumentException($"rtol must be greater than or equal to zero, but got {Functional.CppFloat(rtol)}");
        if (!(atol >= 0)) throw new ArgumentException($"atol must be greater than or equal to zero, but got {Functional.CppFloat(atol)}");
        using var noGrad = GradMode.Set(false);
        var close = this == other;
        if (equalNan && DType.IsFloatingPoint()) close |= IsNan() & other.IsNan();
        if (rtol == 0 && atol == 0) return close;
        // As PyTorch computes it: the errors in the operands' dtype (bool in the default float).
        var self = DType == DType.Bool ? To(DType.Float32) : this;
        var reference = other.DType == DType.Bool ? other.To(DType.Float32) : other;
        var allowed = atol + (rtol * reference).Abs();
        var actual = (self - reference).Abs();
        return close | (actual.IsFinite() & (actual <= allowed));
    }

    /// <summary>torch.isclose.</summary>
    public static Tensor IsClose(Tensor input, Tensor other, double rtol = 1e-05, double atol = 1e-08, bool equalNan = false) =>
        (input ?? throw new ArgumentNullException(nameof(input))).IsClose(other, rtol, atol, equalNan);

    /// <summary>True when every element of <see cref="IsClose(Tensor, double, double, bool)"/> is (torch.allclose).</summary>
    public bool AllClose(Tensor other, double rtol = 1e-05, double atol = 1e-08, bool equalNan = false) =>
        !IsClose(other, rtol, atol, equalNan).LogicalNot().AnyRaw();

    /// <summary>torch.allclose.</summary>
    public static bool AllClose(Tensor input, Tensor other, double rtol = 1e-05, double atol = 1e-08, bool equalNan = false) =>
        (input ?? throw new ArgumentNullException(nameof(input))).AllClose(other, rtol, atol, equalNan);
}
