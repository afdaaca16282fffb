namespace NativeGrad;

/// <summary>PyTorch's type promotion for the four dtypes (torch.result_type).</summary>
internal static class TypePromotion
{
    // bool < int64 < float32 < float64; the category (bool, integer, float) decides scalar rules.
    private static int Rank(DType dtype) => dtype switch
    {
        DType.Bool => 0,
        DType.Int64 => 1,
        DType.Float32 => 2,
        _ => 3,
    };

    private static int Category(DType dtype) => Math.Min(Rank(dtype), 2);

    public static DType Promote(DType a, DType b) => Rank(a) >= Rank(b) ? a : b;

    /// <summary>
    /// The dtype of an operation between two tensors: dimensioned tensors decide, and a 0-dim
    /// tensor only wins when it is of a higher category (bool, integer, float).
    /// </summary>
    public static DType ResultType(Tensor a, Tensor b)
    {
        if ((a.Dim == 0) == (b.Dim == 0)) return Promote(a.DType, b.DType);
        var (dimensioned, scalar) = a.Dim == 0 ? (b, a) : (a, b);
        return Category(scalar.DType) > Category(dimensioned.DType) ? scalar.DType : dimensioned.DType;
    }

    /// <summary>The dtype of an operation between a tensor and a Python-style float scalar.</summary>
    public static DType WithFloatScalar(DType tensor) => tensor.IsFloatingPoint() ? tensor : DType.Float32;

    /// <summary>The dtype of an operation between a tensor and a Python-style integer scalar.</summary>
    public static DType WithIntegerScalar(DType tensor) => tensor == DType.Bool ? DType.Int64 : tensor;

    /// <summary>
    /// PyTorch's canCast: whether an in-place op may write a result of <paramref name="from"/> into
    /// a tensor of <paramref name="to"/>. A value may not move to a lower category (float to
    /// integer or bool, integer to bool).
    /// </summary>
    public static bool CanCast(DType from, DType to) => Category(from) <= Category(to);

    /// <summary>The float dtype a function like exp or division computes in (integers become float32).</summary>
    public static DType ToFloating(DType dtype) => dtype.IsFloatingPoint() ? dtype : DType.Float32;
}
