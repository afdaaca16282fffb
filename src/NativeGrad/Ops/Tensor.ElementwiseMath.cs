using NativeGrad.Backends;

namespace NativeGrad;

// Elementwise math beyond Tensor.Elementwise.cs: rounding, logarithms and exponentials that keep
// small values, inverse and hyperbolic trigonometry, atan2, hypot, fmod and remainder. Backward
// rules are in Autograd/Derivatives.cs under the same names.
public sealed partial class Tensor
{
    /// <summary>Rounds toward -inf; integers stay as they are; the gradient is zero.</summary>
    public Tensor Floor() => Rounding(UnaryOp.Floor, "floor_vml_cpu", Derivatives.Floor);
    /// <summary>Rounds toward +inf; integers stay as they are; the gradient is zero.</summary>
    public Tensor Ceil() => Rounding(UnaryOp.Ceil, "ceil_vml_cpu", Derivatives.Ceil);
    /// <summary>Rounds to the nearest integer, ties to even (as torch.round); the gradient is zero.</summary>
    public Tensor Round() => Rounding(UnaryOp.Round, "round_vml_cpu", Derivatives.Round);
    /// <summary>Rounds toward zero; integers stay as they are; the gradient is zero.</summary>
    public Tensor Trunc() => Rounding(UnaryOp.Trunc, "trunc_vml_cpu", Derivatives.Trunc);

    private Tensor Rounding(UnaryOp op, string kernelName, Derivative derivative)
    {
        if (DType == DType.Bool)
            throw new NotSupportedException($"\"{kernelName}\" not implemented for 'Bool'");
        return DType == DType.Int64 ? CopyRaw(DType) : Unary(op, derivative);
    }

    /// <summary>
    /// Rounds to <paramref name="decimals"/> decimal places, ties to even, computed as PyTorch does
    /// in the tensor's dtype: round(x * 10^d) / 10^d, or round(x / 10^-d) * 10^-d for d &lt; 0.
    /// </summary>
    public Tensor Round(int decimals)
    {
        if (!DType.IsFloatingPoint())
            throw new NotSupportedException($"\"round_cpu\" not implemented for '{DType.ScalarTypeName()}'");
        var scale = WrapScalar(Math.Pow(10, Math.Abs(decimals)), this);
        Tensor result;
        using (GradMode.Set(false))
            result = decimals >= 0 ? Div(Mul(this, scale).Round(), scale) : Mul(Div(this, scale).Round(), scale);
        return Node.Record(result, Derivatives.RoundDecimals, [this]);
    }

    /// <summary>x - trunc(x), the sign of x; floating point only.</summary>
    public Tensor Frac()
    {
        if (!DType.IsFloatingPoint())
            throw new NotSupportedException($"\"frac_cpu\" not implemented for '{DType.ScalarTypeName()}'");
        return Node.Record(BinaryRaw(BinaryOp.Sub, this, UnaryRaw(UnaryOp.Trunc, this, DType), DType), Derivatives.Frac, [this]);
    }

    /// <summary>x * x, recorded as PyTorch does (pow(x, 2), PowBackward0); bool gives int64.</summary>
    public Tensor Square() => Pow(2L);

    /// <summary>1 / sqrt(x), computed as the two correctly rounded steps.</summary>
    public Tensor Rsqrt()
    {
        var computeType = TypePromotion.ToFloating(DType);
        var result = UnaryRaw(UnaryOp.Reciprocal, UnaryRaw(UnaryOp.Sqrt, this, computeType), computeType);
        return Node.Record(result, Derivatives.Rsqrt, [this]);
    }

    /// <summary>log(1 + x), accurate for small x.</summary>
    public Tensor Log1p() => Unary(UnaryOp.Log1p, Derivatives.Log1p);
    /// <summary>e^x - 1, accurate for small x.</summary>
    public Tensor Expm1() => Unary(UnaryOp.Expm1, Derivatives.Expm1);
    /// <summary>Base-2 logarithm.</summary>
    public Tensor Log2() => Unary(UnaryOp.Log2, Derivatives.Log2);
    /// <summary>Base-10 logarithm.</summary>
    public Tensor Log10() => Unary(UnaryOp.Log10, Derivatives.Log10);
    /// <summary>Arcsine (NaN outside [-1, 1]).</summary>
    public Tensor Asin() => Unary(UnaryOp.Asin, Derivatives.Asin);
    /// <summary>Arccosine (NaN outside [-1, 1]).</summary>
    public Tensor Acos() => Unary(UnaryOp.Acos, Derivatives.Acos);
    /// <summary>Arctangent.</summary>
    public Tensor Atan() => Unary(UnaryOp.Atan, Derivatives.Atan);
    /// <summary>Hyperbolic sine.</summary>
    public Tensor Sinh() => Unary(UnaryOp.Sinh, Derivatives.Sinh);
    /// <summary>Hyperbolic cosine.</summary>
    public Tensor Cosh() => Unary(UnaryOp.Cosh, Derivatives.Cosh);

    /// <summary>atan2(a, b): the angle of the point (b, a), broadcasting; integers give float32.</summary>
    public static Tensor Atan2(Tensor a, Tensor b) => Binary(BinaryOp.Atan2, a, b, Derivatives.Atan2, floating: true);

    /// <summary>sqrt(a^2 + b^2) without intermediate overflow, broadcasting; floating point only.</summary>
    public static Tensor Hypot(Tensor a, Tensor b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        var dtype = TypePromotion.ResultType(a, b);
        if (!dtype.IsFloatingPoint())
            throw new NotSupportedException($"\"hypot_cpu\" not implemented for '{dtype.ScalarTypeName()}'");
        return Binary(BinaryOp.Hypot, a, b, Derivatives.Hypot);
    }

    /// <summary>C's fmod, a - trunc(a / b) * b with the sign of a, broadcasting (torch.fmod).</summary>
    public static Tensor Fmod(Tensor a, Tensor b) => Modulo(BinaryOp.Fmod, "fmod_cpu", a, b, Derivatives.Fmod);
    /// <summary>fmod with a scalar divisor.</summary>
    public Tensor Fmod(double divisor) => ModuloScalar(BinaryOp.Fmod, "fmod_cpu", WrapScalar(divisor, this), Derivatives.FmodScalar);
    /// <summary>fmod with an integer divisor (integer tensors stay integers).</summary>
    public Tensor Fmod(long divisor) => ModuloScalar(BinaryOp.Fmod, "fmod_cpu", WrapScalar(divisor, this), Derivatives.FmodScalar);

    /// <summary>Python's %, a - floor(a / b) * b with the sign of b, broadcasting (torch.remainder).</summary>
    public static Tensor Remainder(Tensor a, Tensor b) => Modulo(BinaryOp.Remainder, "remainder_cpu", a, b, Derivatives.Remainder);
    /// <summary>remainder with a scalar divisor.</summary>
    public Tensor Remainder(double divisor) => ModuloScalar(BinaryOp.Remainder, "remainder_cpu", WrapScalar(divisor, this), Derivatives.RemainderScalar);
    /// <summary>remainder with an integer divisor (integer tensors stay integers).</summary>
    public Tensor Remainder(long divisor) => ModuloScalar(BinaryOp.Remainder, "remainder_cpu", WrapScalar(divisor, this), Derivatives.RemainderScalar);

    /// <summary>a % b, Python's remainder (torch's % operator).</summary>
    public static Tensor operator %(Tensor a, Tensor b) => Remainder(a, b);
    /// <summary>a % s, Python's remainder.</summary>
    public static Tensor operator %(Tensor a, double s) => (a ?? throw new ArgumentNullException(nameof(a))).Remainder(s);
    /// <summary>a % s, Python's remainder.</summary>
    public static Tensor operator %(Tensor a, long s) => (a ?? throw new ArgumentNullException(nameof(a))).Remainder(s);

    private static Tensor Modulo(BinaryOp op, string kernelName, Tensor a, Tensor b, Derivative derivative)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        ThrowIfUnsupportedModulo(kernelName, TypePromotion.ResultType(a, b), b);
        return Binary(op, a, b, derivative);
    }

    private Tensor ModuloScalar(BinaryOp op, string kernelName, Tensor divisor, Derivative derivative)
    {
        ThrowIfUnsupportedModulo(kernelName, divisor.DType, divisor);
        return Node.Record(BinaryRaw(op, this, divisor, divisor.DType), derivative, [this]);
    }

    // Bool has no modulo; an integer division by zero is PyTorch's ZeroDivisionError.
    private static void ThrowIfUnsupportedModulo(string kernelName, DType dtype, Tensor divisor)
    {
        if (dtype == DType.Bool)
            throw new NotSupportedException($"\"{kernelName}\" not implemented for 'Bool'");
        if (dtype == DType.Int64)
        {
            bool anyZero;
            using (GradMode.Set(false))
                anyZero = (divisor == 0L).To(DType.Int64).Sum().Item<long>() != 0;
            if (anyZero) throw new DivideByZeroException("ZeroDivisionError");
        }
    }
}
