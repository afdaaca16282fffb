using NativeGrad.Backends;

namespace NativeGrad;

// Elementwise operations: unary functions, arithmetic with broadcasting and scalars on either
// side, comparisons, where. Backward rules are in Autograd/Derivatives.cs under the same names.
public sealed partial class Tensor
{
    /// <summary>-x (not for bool tensors, as in PyTorch).</summary>
    public Tensor Neg()
    {
        if (DType == DType.Bool)
            throw new ArgumentException("Negation, the `-` operator, on a bool tensor is not supported. If you are trying to invert a mask, use the `~` or `logical_not()` operator instead.");
        return Unary(UnaryOp.Neg, Derivatives.Neg, keepsIntegers: true);
    }
    /// <summary>e^x</summary>
    public Tensor Exp() => Unary(UnaryOp.Exp, Derivatives.Exp);
    /// <summary>Natural logarithm.</summary>
    public Tensor Log() => Unary(UnaryOp.Log, Derivatives.Log);
    /// <summary>Square root.</summary>
    public Tensor Sqrt() => Unary(UnaryOp.Sqrt, Derivatives.Sqrt);
    /// <summary>|x|</summary>
    public Tensor Abs() => Unary(UnaryOp.Abs, Derivatives.Abs, keepsIntegers: true);
    /// <summary>max(x, 0)</summary>
    public Tensor Relu() => Unary(UnaryOp.Relu, Derivatives.Relu);
    /// <summary>1 / (1 + e^-x)</summary>
    public Tensor Sigmoid() => Unary(UnaryOp.Sigmoid, Derivatives.Sigmoid);
    /// <summary>Hyperbolic tangent.</summary>
    public Tensor Tanh() => Unary(UnaryOp.Tanh, Derivatives.Tanh);
    /// <summary>Sine.</summary>
    public Tensor Sin() => Unary(UnaryOp.Sin, Derivatives.Sin);
    /// <summary>Cosine.</summary>
    public Tensor Cos() => Unary(UnaryOp.Cos, Derivatives.Cos);
    /// <summary>The error function.</summary>
    public Tensor Erf() => Unary(UnaryOp.Erf, Derivatives.Erf);
    /// <summary>-1, 0 or 1 by the sign of each element; not differentiable (its gradient is 0).</summary>
    public Tensor Sign() => Unary(UnaryOp.Sign, Derivatives.Sign, keepsIntegers: true);
    /// <summary>1 / x</summary>
    public Tensor Reciprocal() => Unary(UnaryOp.Reciprocal, Derivatives.Reciprocal);

    private Tensor Unary(UnaryOp op, Derivative derivative, bool keepsIntegers = false)
    {
        var computeType = keepsIntegers && DType != DType.Bool ? DType : TypePromotion.ToFloating(DType);
        return Node.Record(UnaryRaw(op, this, computeType), derivative, [this]);
    }

    /// <summary>x where x &gt; 0, else negativeSlope * x.</summary>
    public Tensor LeakyRelu(double negativeSlope = 0.01)
    {
        var x = CastRaw(TypePromotion.ToFloating(DType));
        Tensor result;
        using (GradMode.Set(false))
            result = Where(x > 0, x, x * negativeSlope);
        return Node.Record(result, Derivatives.LeakyRelu, [this], new OpArgs { Scalar = negativeSlope });
    }

    /// <summary>log(1 + e^x), computed as relu(x) + log(1 + e^-|x|) so it neither overflows nor loses small values.</summary>
    public Tensor Softplus()
    {
        Tensor result;
        using (GradMode.Set(false))
            result = Relu() + ((-Abs()).Exp() + 1.0).Log();
        return Node.Record(result, Derivatives.Softplus, [this]);
    }

    /// <summary>
    /// Limits every element to [min, max]; either bound may be null. As torch.clamp: with both
    /// bounds a NaN in either makes every element NaN, but a NaN bound given alone is ignored
    /// (<see cref="ClampMin"/> and <see cref="ClampMax"/> propagate it).
    /// </summary>
    public Tensor Clamp(double? min = null, double? max = null)
    {
        if (min is null && max is null)
            throw new ArgumentException("At least one of 'min' or 'max' must not be None");
        // PyTorch's clamp with one bound runs std::max(x, min) (std::min for max), which returns x
        // when the bound is NaN; with two it checks for NaN bounds first. Its gradient still
        // compares x with the NaN bound, so it is 0 everywhere, as Derivatives.Clamp gives.
        bool both = min is not null && max is not null;
        Tensor result = CastRaw(TypePromotion.WithFloatScalar(DType));
        using (GradMode.Set(false))
        {
            if (min is { } low && (both || !double.IsNaN(low))) result = Maximum(result, WrapScalar(low, this));
            if (max is { } high && (both || !double.IsNaN(high))) result = Minimum(result, WrapScalar(high, this));
        }
        if (ReferenceEquals(result, this)) result = Clone();
        return Node.Record(result, Derivatives.Clamp, [this],
            new OpArgs { Scalar = min ?? double.NegativeInfinity, Scalar2 = max ?? double.PositiveInfinity });
    }

    /// <summary>The larger of each element and <paramref name="min"/> (torch.clamp_min); a NaN min gives NaN everywhere.</summary>
    public Tensor ClampMin(double min)
    {
        Tensor result;
        using (GradMode.Set(false))
            result = Maximum(this, WrapScalar(min, this));
        return Node.Record(result, Derivatives.ClampMin, [this], new OpArgs { Scalar = min });
    }

    /// <summary>The smaller of each element and <paramref name="max"/> (torch.clamp_max); a NaN max gives NaN everywhere.</summary>
    public Tensor ClampMax(double max)
    {
        Tensor result;
        using (GradMode.Set(false))
            result = Minimum(this, WrapScalar(max, this));
        return Node.Record(result, Derivatives.ClampMax, [this], new OpArgs { Scalar = max });
    }

    // ---- binary arithmetic -------------------------------------------------------------------

    /// <summary>a + b, broadcasting.</summary>
    public static Tensor Add(Tensor a, Tensor b) => Binary(BinaryOp.Add, a, b, Derivatives.Add);
    /// <summary>a - b, broadcasting; neither may be a bool tensor, as in PyTorch.</summary>
    public static Tensor Sub(Tensor a, Tensor b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        ThrowIfBoolSubtraction(a, b);
        return Binary(BinaryOp.Sub, a, b, Derivatives.Sub);
    }

    private static void ThrowIfBoolSubtraction(Tensor a, Tensor b)
    {
        if (a.DType == DType.Bool && b.DType == DType.Bool)
            throw new ArgumentException("Subtraction, the `-` operator, with two bool tensors is not supported. Use the `^` or `logical_xor()` operator instead.");
        if (a.DType == DType.Bool || b.DType == DType.Bool)
            throw new ArgumentException("Subtraction, the `-` operator, with a bool tensor is not supported. If you are trying to invert a mask, use the `~` or `logical_not()` operator instead.");
    }
    /// <summary>a * b, broadcasting.</summary>
    public static Tensor Mul(Tensor a, Tensor b) => Binary(BinaryOp.Mul, a, b, Derivatives.Mul);
    /// <summary>a / b, broadcasting; integer inputs give float32 (true division).</summary>
    public static Tensor Div(Tensor a, Tensor b) => Binary(BinaryOp.Div, a, b, Derivatives.Div, floating: true);
    /// <summary>Elementwise maximum, broadcasting; NaN wins.</summary>
    public static Tensor Maximum(Tensor a, Tensor b) => Binary(BinaryOp.Maximum, a, b, Derivatives.Maximum);
    /// <summary>Elementwise minimum, broadcasting; NaN wins.</summary>
    public static Tensor Minimum(Tensor a, Tensor b) => Binary(BinaryOp.Minimum, a, b, Derivatives.Minimum);

    /// <summary>this ** exponent, broadcasting.</summary>
    public Tensor Pow(Tensor exponent) => Binary(BinaryOp.Pow, this, exponent, Derivatives.PowTensor);

    /// <summary>this ** exponent.</summary>
    public Tensor Pow(double exponent)
    {
        var result = BinaryRaw(BinaryOp.Pow, this, WrapScalar(exponent, this), TypePromotion.WithFloatScalar(DType));
        return Node.Record(result, Derivatives.PowScalar, [this], new OpArgs { Scalar = exponent });
    }

    /// <summary>this ** exponent with an integer exponent (integer tensors stay integers).</summary>
    public Tensor Pow(long exponent)
    {
        var dtype = TypePromotion.WithIntegerScalar(DType);
        if (exponent < 0 && !dtype.IsFloatingPoint())
            throw new ArgumentException("Integers to negative integer powers are not allowed.");
        var result = BinaryRaw(BinaryOp.Pow, this, WrapScalar(exponent, this), dtype);
        return Node.Record(result, Derivatives.PowScalar, [this], new OpArgs { Scalar = exponent });
    }

    /// <summary>baseValue ** exponent (torch.pow(scalar, tensor)).</summary>
    public static Tensor Pow(double baseValue, Tensor exponent)
    {
        var result = BinaryRaw(BinaryOp.Pow, WrapScalar(baseValue, exponent), exponent, TypePromotion.WithFloatScalar(exponent.DType));
        return Node.Record(result, Derivatives.PowScalarBase, [exponent], new OpArgs { Scalar = baseValue });
    }

    private static Tensor Binary(BinaryOp op, Tensor a, Tensor b, Derivative derivative, bool floating = false)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        var computeType = TypePromotion.ResultType(a, b);
        if (floating) computeType = TypePromotion.ToFloating(computeType);
        return Node.Record(BinaryRaw(op, a, b, computeType), derivative, [a, b]);
    }

    /// <summary>A scalar as a 0-dim tensor of the dtype PyTorch would compute <paramref name="like"/> op scalar in.</summary>
    internal static Tensor WrapScalar(double value, Tensor like)
    {
        ArgumentNullException.ThrowIfNull(like);
        return Scalar(value, TypePromotion.WithFloatScalar(like.DType));
    }

    /// <summary>An integer scalar as a 0-dim tensor; for an integer tensor it keeps all 64 bits (no trip through double).</summary>
    internal static Tensor WrapScalar(long value, Tensor like)
    {
        ArgumentNullException.ThrowIfNull(like);
        var dtype = TypePromotion.WithIntegerScalar(like.DType);
        return dtype == DType.Int64 ? FromSpan<long>([value], []) : Scalar(value, dtype);
    }

    /// <summary>scalar - x (PyTorch's rsub, used for <c>1 - x</c>).</summary>
    private static Tensor ReverseSub(Tensor scalar, Tensor x)
    {
        ThrowIfBoolSubtraction(scalar, x);
        var result = BinaryRaw(BinaryOp.Sub, scalar, x, TypePromotion.ResultType(x, scalar));
        return Node.Record(result, Derivatives.ReverseSub, [x]);
    }

    /// <summary>a + b</summary>
    public static Tensor operator +(Tensor a, Tensor b) => Add(a, b);
    /// <summary>a + s</summary>
    public static Tensor operator +(Tensor a, double s) => Add(a, WrapScalar(s, a));
    /// <summary>a + s</summary>
    public static Tensor operator +(Tensor a, long s) => Add(a, WrapScalar(s, a));
    /// <summary>s + a</summary>
    public static Tensor operator +(double s, Tensor a) => Add(a, WrapScalar(s, a));
    /// <summary>s + a</summary>
    public static Tensor operator +(long s, Tensor a) => Add(a, WrapScalar(s, a));
    /// <summary>a - b</summary>
    public static Tensor operator -(Tensor a, Tensor b) => Sub(a, b);
    /// <summary>a - s</summary>
    public static Tensor operator -(Tensor a, double s) => Sub(a, WrapScalar(s, a));
    /// <summary>a - s</summary>
    public static Tensor operator -(Tensor a, long s) => Sub(a, WrapScalar(s, a));
    /// <summary>s - a</summary>
    public static Tensor operator -(double s, Tensor a) => ReverseSub(WrapScalar(s, a), a);
    /// <summary>s - a</summary>
    public static Tensor operator -(long s, Tensor a) => ReverseSub(WrapScalar(s, a), a);
    /// <summary>a * b</summary>
    public static Tensor operator *(Tensor a, Tensor b) => Mul(a, b);
    /// <summary>a * s</summary>
    public static Tensor operator *(Tensor a, double s) => Mul(a, WrapScalar(s, a));
    /// <summary>a * s</summary>
    public static Tensor operator *(Tensor a, long s) => Mul(a, WrapScalar(s, a));
    /// <summary>s * a</summary>
    public static Tensor operator *(double s, Tensor a) => Mul(a, WrapScalar(s, a));
    /// <summary>s * a</summary>
    public static Tensor operator *(long s, Tensor a) => Mul(a, WrapScalar(s, a));
    /// <summary>a / b</summary>
    public static Tensor operator /(Tensor a, Tensor b) => Div(a, b);
    /// <summary>a / s</summary>
    public static Tensor operator /(Tensor a, double s) => Div(a, WrapScalar(s, a));
    /// <summary>a / s</summary>
    public static Tensor operator /(Tensor a, long s) => Div(a, WrapScalar(s, a));
    /// <summary>s / a, computed as PyTorch does: reciprocal(a) * s.</summary>
    public static Tensor operator /(double s, Tensor a) => (a ?? throw new ArgumentNullException(nameof(a))).Reciprocal() * s;
    /// <summary>s / a, computed as PyTorch does: reciprocal(a) * s.</summary>
    public static Tensor operator /(long s, Tensor a) => (a ?? throw new ArgumentNullException(nameof(a))).Reciprocal() * (double)s;
    /// <summary>-a</summary>
    public static Tensor operator -(Tensor a) => a.Neg();

    // ---- comparisons (bool results, never differentiable) -------------------------------------

    private static Tensor Compare(BinaryOp op, Tensor a, Tensor b)
    {
        ArgumentNullException.ThrowIfNull(a, "left operand (use 'is null' to test a tensor reference for null)");
        ArgumentNullException.ThrowIfNull(b, "right operand (use 'is null' to test a tensor reference for null)");
        return BinaryRaw(op, a, b, TypePromotion.ResultType(a, b));
    }

    private static Tensor Compare(BinaryOp op, Tensor a, double s) => Compare(op, a, WrapScalar(s, a));

    // An integer scalar compares like a Python int: exactly against an int64 tensor.
    private static Tensor Compare(BinaryOp op, Tensor a, long s) => Compare(op, a, WrapScalar(s, a));

    /// <summary>Elementwise a == b (bool); use <c>is</c> or <see cref="object.ReferenceEquals"/> for identity.</summary>
    public static Tensor operator ==(Tensor a, Tensor b) => Compare(BinaryOp.Eq, a, b);
    /// <summary>Elementwise a != b (bool).</summary>
    public static Tensor operator !=(Tensor a, Tensor b) => Compare(BinaryOp.Ne, a, b);
    /// <summary>Elementwise a == s (bool).</summary>
    public static Tensor operator ==(Tensor a, double s) => Compare(BinaryOp.Eq, a, s);
    /// <summary>Elementwise a != s (bool).</summary>
    public static Tensor operator !=(Tensor a, double s) => Compare(BinaryOp.Ne, a, s);
    /// <summary>Elementwise a &lt; b (bool).</summary>
    public static Tensor operator <(Tensor a, Tensor b) => Compare(BinaryOp.Lt, a, b);
    /// <summary>Elementwise a &gt; b (bool).</summary>
    public static Tensor operator >(Tensor a, Tensor b) => Compare(BinaryOp.Gt, a, b);
    /// <summary>Elementwise a &lt;= b (bool).</summary>
    public static Tensor operator <=(Tensor a, Tensor b) => Compare(BinaryOp.Le, a, b);
    /// <summary>Elementwise a &gt;= b (bool).</summary>
    public static Tensor operator >=(Tensor a, Tensor b) => Compare(BinaryOp.Ge, a, b);
    /// <summary>Elementwise a &lt; s (bool).</summary>
    public static Tensor operator <(Tensor a, double s) => Compare(BinaryOp.Lt, a, s);
    /// <summary>Elementwise a &gt; s (bool).</summary>
    public static Tensor operator >(Tensor a, double s) => Compare(BinaryOp.Gt, a, s);
    /// <summary>Elementwise a &lt;= s (bool).</summary>
    public static Tensor operator <=(Tensor a, double s) => Compare(BinaryOp.Le, a, s);
    /// <summary>Elementwise a &gt;= s (bool).</summary>
    public static Tensor operator >=(Tensor a, double s) => Compare(BinaryOp.Ge, a, s);
    /// <summary>Elementwise s &lt; a (bool).</summary>
    public static Tensor operator <(double s, Tensor a) => Compare(BinaryOp.Gt, a, s);
    /// <summary>Elementwise s &gt; a (bool).</summary>
    public static Tensor operator >(double s, Tensor a) => Compare(BinaryOp.Lt, a, s);
    /// <summary>Elementwise s &lt;= a (bool).</summary>
    public static Tensor operator <=(double s, Tensor a) => Compare(BinaryOp.Ge, a, s);
    /// <summary>Elementwise s &gt;= a (bool).</summary>
    public static Tensor operator >=(double s, Tensor a) => Compare(BinaryOp.Le, a, s);
    /// <summary>Elementwise a == s (bool), with an integer scalar.</summary>
    public static Tensor operator ==(Tensor a, long s) => Compare(BinaryOp.Eq, a, s);
    /// <summary>Elementwise a != s (bool), with an integer scalar.</summary>
    public static Tensor operator !=(Tensor a, long s) => Compare(BinaryOp.Ne, a, s);
    /// <summary>Elementwise a &lt; s (bool), with an integer scalar.</summary>
    public static Tensor operator <(Tensor a, long s) => Compare(BinaryOp.Lt, a, s);
    /// <summary>Elementwise a &gt; s (bool), with an integer scalar.</summary>
    public static Tensor operator >(Tensor a, long s) => Compare(BinaryOp.Gt, a, s);
    /// <summary>Elementwise a &lt;= s (bool), with an integer scalar.</summary>
    public static Tensor operator <=(Tensor a, long s) => Compare(BinaryOp.Le, a, s);
    /// <summary>Elementwise a &gt;= s (bool), with an integer scalar.</summary>
    public static Tensor operator >=(Tensor a, long s) => Compare(BinaryOp.Ge, a, s);
    /// <summary>Elementwise s &lt; a (bool), with an integer scalar.</summary>
    public static Tensor operator <(long s, Tensor a) => Compare(BinaryOp.Gt, a, s);
    /// <summary>Elementwise s &gt; a (bool), with an integer scalar.</summary>
    public static Tensor operator >(long s, Tensor a) => Compare(BinaryOp.Lt, a, s);
    /// <summary>Elementwise s &lt;= a (bool), with an integer scalar.</summary>
    public static Tensor operator <=(long s, Tensor a) => Compare(BinaryOp.Ge, a, s);
    /// <summary>Elementwise s &gt;= a (bool), with an integer scalar.</summary>
    public static Tensor operator >=(long s, Tensor a) => Compare(BinaryOp.Le, a, s);

    /// <summary>Elementwise this == other (bool), like torch.eq.</summary>
    public Tensor Eq(Tensor other) => Compare(BinaryOp.Eq, this, other);

    /// <summary>condition ? a : b elementwise, broadcasting all three (torch.where).</summary>
    public static Tensor Where(Tensor condition, Tensor a, Tensor b)
    {
        ArgumentNullException.ThrowIfNull(condition);
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        if (condition.DType != DType.Bool)
            throw new ArgumentException($"where expected condition to be a boolean tensor, but got a tensor with dtype {condition.DType.ScalarTypeName()}");
        var result = WhereRaw(condition, a, b, TypePromotion.ResultType(a, b));
        return Node.Record(result, Derivatives.Where, [a, b], new OpArgs { Index = condition });
    }

    /// <summary>condition ? a : s elementwise.</summary>
    public static Tensor Where(Tensor condition, Tensor a, double s) => Where(condition, a, WrapScalar(s, a));

    /// <summary>condition ? s : b elementwise.</summary>
    public static Tensor Where(Tensor condition, double s, Tensor b) => Where(condition, WrapScalar(s, b), b);
}
