using NativeGrad.Backends;

namespace NativeGrad;

// NaN and infinity tests, nan_to_num, the logical ops and the bool operators ~ & | ^, clamp with
// tensor bounds, and lerp: all composed from the comparison, min/max and where kernels. Backward
// rules are in Autograd/Derivatives.cs under the same names.
public sealed partial class Tensor
{
    /// <summary>Whether each element is NaN (bool; never for integers).</summary>
    public Tensor IsNan() => Compare(BinaryOp.Ne, this, this);

    /// <summary>Whether each element is +inf or -inf (bool; never for integers).</summary>
    public Tensor IsInf() => DType.IsFloatingPoint()
        ? Compare(BinaryOp.Eq, UnaryRaw(UnaryOp.Abs, this, DType), double.PositiveInfinity)
        : FullLike(this, 0, DType.Bool);

    /// <summary>Whether each element is neither NaN nor infinite (bool; always for integers).</summary>
    public Tensor IsFinite() => DType.IsFloatingPoint()
        ? Compare(BinaryOp.Eq, BinaryRaw(BinaryOp.Sub, this, this, DType), 0.0)
        : FullLike(this, 1, DType.Bool);

    /// <summary>
    /// NaN to <paramref name="nan"/>, +inf to <paramref name="posinf"/> and -inf to
    /// <paramref name="neginf"/> (by default the dtype's largest and lowest finite values);
    /// integers are copied. The gradient flows through the finite elements only.
    /// </summary>
    public Tensor NanToNum(double nan = 0, double? posinf = null, double? neginf = null)
    {
        if (!DType.IsFloatingPoint()) return CopyRaw(DType);
        double largest = DType == DType.Float32 ? float.MaxValue : double.MaxValue;
        Tensor result;
        using (GradMode.Set(false))
        {
            var replaced = Where(this == double.PositiveInfinity, posinf ?? largest, this);
            replaced = Where(this == double.NegativeInfinity, neginf ?? -largest, replaced);
            result = Where(IsNan(), nan, replaced);
        }
        return Node.Record(result, Derivatives.NanToNum, [this]);
    }

    /// <summary>Elementwise not (bool): true where the element is 0.</summary>
    public Tensor LogicalNot() => Compare(BinaryOp.Eq, this, 0L);

    /// <summary>Elementwise and of the truth values (nonzero is true), broadcasting; bool.</summary>
    public static Tensor LogicalAnd(Tensor a, Tensor b) => Logical(BinaryOp.Minimum, a, b);

    /// <summary>Elementwise or of the truth values, broadcasting; bool.</summary>
    public static Tensor LogicalOr(Tensor a, Tensor b) => Logical(BinaryOp.Maximum, a, b);

    /// <summary>Elementwise exclusive or of the truth values, broadcasting; bool.</summary>
    public static Tensor LogicalXor(Tensor a, Tensor b) => Logical(BinaryOp.Ne, a, b);

    // On bool, minimum is and, maximum is or and != is xor.
    private static Tensor Logical(BinaryOp op, Tensor a, Tensor b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        return BinaryRaw(op, Compare(BinaryOp.Ne, a, 0L), Compare(BinaryOp.Ne, b, 0L), DType.Bool);
    }

    /// <summary>~x: logical not of a bool tensor, or the bitwise complement -x - 1 of an int64 one.</summary>
    public static Tensor operator ~(Tensor x)
    {
        ArgumentNullException.ThrowIfNull(x);
        return x.DType switch
        {
            DType.Bool => x.LogicalNot(),
            DType.Int64 => BinaryRaw(BinaryOp.Sub, UnaryRaw(UnaryOp.Neg, x, DType.Int64), WrapScalar(1L, x), DType.Int64),
            _ => throw new ArgumentException("~ (operator.invert) is only implemented on integer and Boolean-type tensors"),
        };
    }

    /// <summary>a &amp; b: logical and of bool tensors, bitwise and of int64 ones (torch.bitwise_and).</summary>
    public static Tensor operator &(Tensor a, Tensor b) => Bitwise("bitwise_and_cpu", BinaryOp.BitwiseAnd, BinaryOp.Minimum, a, b);
    /// <summary>a &amp; s with an integer scalar.</summary>
    public static Tensor operator &(Tensor a, long s) => a & WrapScalar(s, a);

    /// <summary>a | b: logical or of bool tensors, bitwise or of int64 ones (torch.bitwise_or).</summary>
    public static Tensor operator |(Tensor a, Tensor b) => Bitwise("bitwise_or_cpu", BinaryOp.BitwiseOr, BinaryOp.Maximum, a, b);
    /// <summary>a | s with an integer scalar.</summary>
    public static Tensor operator |(Tensor a, long s) => a | WrapScalar(s, a);

    /// <summary>a ^ b: exclusive or of bool tensors, bitwise xor of int64 ones (torch.bitwise_xor).</summary>
    public static Tensor operator ^(Tensor a, Tensor b) => Bitwise("bitwise_xor_cpu", BinaryOp.BitwiseXor, BinaryOp.Ne, a, b);
    /// <summary>a ^ s with an integer scalar.</summary>
    public static Tensor operator ^(Tensor a, long s) => a ^ WrapScalar(s, a);

    // PyTorch's bitwise ops take integer and bool operands only; on bool, minimum is and, maximum
    // is or and != is xor.
    private static Tensor Bitwise(string kernelName, BinaryOp integerOp, BinaryOp boolOp, Tensor a, Tensor b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        var dtype = TypePromotion.ResultType(a, b);
        if (dtype.IsFloatingPoint())
            throw new NotSupportedException($"\"{kernelName}\" not implemented for '{dtype.ScalarTypeName()}'");
        return BinaryRaw(dtype == DType.Bool ? boolOp : integerOp, a, b, dtype);
    }

    /// <summary>
    /// Limits every element to [min, max] with tensor bounds, broadcasting all three; either may be
    /// null. Computed as min(max(x, min), max), so where min &gt; max the result is max.
    /// </summary>
    public Tensor Clamp(Tensor? min, Tensor? max)
    {
        if (min is null && max is null)
            throw new ArgumentException("torch.clamp: At least one of 'min' or 'max' must not be None");
        var dtype = ResultTypeOf([this, min, max]);
        Tensor result = CastRaw(dtype);
        if (min is not null) result = BinaryRaw(BinaryOp.Maximum, result, min, dtype);
        if (max is not null) result = BinaryRaw(BinaryOp.Minimum, result, max, dtype);
        return (min, max) switch
        {
            ({ } low, { } high) => Node.Record(result, Derivatives.ClampTensor, [this, low, high]),
            ({ } low, null) => Node.Record(result, Derivatives.ClampTensorMin, [this, low]),
            _ => Node.Record(result, Derivatives.ClampTensorMax, [this, max!]),
        };
    }

    // torch.result_type over several tensors (nulls skipped): the dimensioned ones decide, and the
    // 0-dim ones only when of a higher category, as for two.
    private static DType ResultTypeOf(Tensor?[] tensors)
    {
        DType? dimensioned = null, scalar = null;
        foreach (var t in tensors)
        {
            if (t is null) continue;
            if (t.Dim == 0) scalar = scalar is { } s ? TypePromotion.Promote(s, t.DType) : t.DType;
            else dimensioned = dimensioned is { } d ? TypePromotion.Promote(d, t.DType) : t.DType;
        }
        if (dimensioned is not { } dims) return scalar!.Value;
        if (scalar is not { } zero) return dims;
        return TypePromotion.ResultType(Empty([1], dims), Empty([], zero));
    }

    /// <summary>
    /// start + weight * (end - start), broadcasting, in PyTorch's form: from start when
    /// |weight| &lt; 0.5, else end - (end - start) * (1 - weight), so weight 1 gives end exactly.
    /// </summary>
    public static Tensor Lerp(Tensor start, Tensor end, Tensor weight)
    {
        ArgumentNullException.ThrowIfNull(start);
        ArgumentNullException.ThrowIfNull(end);
        ArgumentNullException.ThrowIfNull(weight);
        ThrowIfNotFloatingLerp(start, end, "lerp_kernel_tensor");
        if (weight.DType != start.DType)
            throw new ArgumentException($"expected dtype {CTypeName(start.DType)} for `weight` but got dtype {CTypeName(weight.DType)}");
        Tensor result;
        using (GradMode.Set(false))
        {
            var difference = end - start;
            result = Where(weight.Abs() < 0.5, start + weight * difference, end - difference * (1.0 - weight));
        }
        return Node.Record(result, Derivatives.LerpTensor, [start, end, weight]);
    }

    /// <summary>start + weight * (end - start) with a scalar weight (PyTorch's form, as above).</summary>
    public static Tensor Lerp(Tensor start, Tensor end, double weight)
    {
        ArgumentNullException.ThrowIfNull(start);
        ArgumentNullException.ThrowIfNull(end);
        ThrowIfNotFloatingLerp(start, end, "lerp_kernel_scalar");
        Tensor result;
        using (GradMode.Set(false))
        {
            var difference = end - start;
            result = Math.Abs(weight) < 0.5 ? start + difference * weight : end - difference * (1 - weight);
        }
        return Node.Record(result, Derivatives.LerpScalar, [start, end], new OpArgs { Scalar = weight });
    }

    private static void ThrowIfNotFloatingLerp(Tensor start, Tensor end, string kernelName)
    {
        if (end.DType != start.DType)
            throw new ArgumentException($"expected dtype {CTypeName(start.DType)} for `end` but got dtype {CTypeName(end.DType)}");
        if (!start.DType.IsFloatingPoint())
            throw new NotSupportedException($"\"{kernelName}\" not implemented for '{start.DType.ScalarTypeName()}'");
    }

    // The C++ type names PyTorch's dtype checks print.
    private static string CTypeName(DType dtype) => dtype switch
    {
        DType.Float32 => "float",
        DType.Float64 => "double",
        DType.Int64 => "long int",
        _ => "bool",
    };
}
