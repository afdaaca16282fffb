namespace NativeGrad.Conformance;

public static partial class OpTable
{
    /// <summary>tests/data/parity/elementwise: elementwise math, rounding, logical and bitwise ops.</summary>
    private static Dictionary<string, Op> ElementwiseOps => new()
    {
        ["floor"] = (x, _) => x[0].Floor(),
        ["ceil"] = (x, _) => x[0].Ceil(),
        // "decimals": torch.round(x, decimals=d).
        ["round"] = (x, a) => a.Has("decimals") ? x[0].Round(a.Int("decimals")) : x[0].Round(),
        ["trunc"] = (x, _) => x[0].Trunc(),
        ["frac"] = (x, _) => x[0].Frac(),
        ["square"] = (x, _) => x[0].Square(),
        ["rsqrt"] = (x, _) => x[0].Rsqrt(),
        ["log1p"] = (x, _) => x[0].Log1p(),
        ["expm1"] = (x, _) => x[0].Expm1(),
        ["log2"] = (x, _) => x[0].Log2(),
        ["log10"] = (x, _) => x[0].Log10(),
        ["asin"] = (x, _) => x[0].Asin(),
        ["acos"] = (x, _) => x[0].Acos(),
        ["atan"] = (x, _) => x[0].Atan(),
        ["sinh"] = (x, _) => x[0].Sinh(),
        ["cosh"] = (x, _) => x[0].Cosh(),
        ["atan2"] = (x, _) => Tensor.Atan2(x[0], x[1]),
        ["hypot"] = (x, _) => Tensor.Hypot(x[0], x[1]),
        // "divisor" / "int_divisor": a Python float / int divisor in place of the second tensor.
        ["fmod"] = (x, a) => a.Has("divisor") ? x[0].Fmod(a.Double("divisor"))
            : a.Has("int_divisor") ? x[0].Fmod(a.Long("int_divisor")) : Tensor.Fmod(x[0], x[1]),
        ["remainder"] = (x, a) => a.Has("divisor") ? x[0].Remainder(a.Double("divisor"))
            : a.Has("int_divisor") ? x[0].Remainder(a.Long("int_divisor")) : x[0] % x[1],
        ["isnan"] = (x, _) => x[0].IsNan(),
        ["isinf"] = (x, _) => x[0].IsInf(),
        ["isfinite"] = (x, _) => x[0].IsFinite(),
        ["nan_to_num"] = (x, a) => x[0].NanToNum(a.Double("nan", 0), a.OptionalDouble("posinf"), a.OptionalDouble("neginf")),
        ["logical_not"] = (x, _) => x[0].LogicalNot(),
        ["logical_and"] = (x, _) => Tensor.LogicalAnd(x[0], x[1]),
        ["logical_or"] = (x, _) => Tensor.LogicalOr(x[0], x[1]),
        ["logical_xor"] = (x, _) => Tensor.LogicalXor(x[0], x[1]),
        ["invert"] = (x, _) => ~x[0],
        // "int_operand": a Python int in place of the second tensor.
        ["bitwise_and"] = (x, a) => a.Has("int_operand") ? x[0] & a.Long("int_operand") : x[0] & x[1],
        ["bitwise_or"] = (x, a) => a.Has("int_operand") ? x[0] | a.Long("int_operand") : x[0] | x[1],
        ["bitwise_xor"] = (x, a) => a.Has("int_operand") ? x[0] ^ a.Long("int_operand") : x[0] ^ x[1],
        // "bounds": which of min and max the inputs after x are (default both).
        ["clamp_tensor"] = (x, a) => (a.Has("bounds") ? a.String("bounds") : "both") switch
        {
            "min" => x[0].Clamp(x[1], null),
            "max" => x[0].Clamp(null, x[1]),
            "none" => x[0].Clamp((Tensor?)null, null),
            _ => x[0].Clamp(x[1], x[2]),
        },
        // "weight": a Python float weight in place of the third tensor.
        ["lerp"] = (x, a) => a.Has("weight") ? Tensor.Lerp(x[0], x[1], a.Double("weight")) : Tensor.Lerp(x[0], x[1], x[2]),
        ["addcmul"] = (x, a) => x[0].Addcmul(x[1], x[2], a.Double("value", 1)),
        ["addcdiv"] = (x, a) => x[0].Addcdiv(x[1], x[2], a.Double("value", 1)),
    };
}
