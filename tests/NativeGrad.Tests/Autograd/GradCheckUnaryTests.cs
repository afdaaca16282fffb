using CsCheck;
using NativeGrad.Backends;

namespace NativeGrad.Tests.Autograd;

/// <summary>
/// GradCheck over the unary ops, and a float32 round trip; see <see cref="GradCheckTestBase"/>.
/// </summary>
public class GradCheckUnaryTests : GradCheckTestBase
{
    public static TheoryData<BackendKind, string> UnaryOps => Names(UnaryCases);

    [Theory]
    [MemberData(nameof(UnaryOps))]
    public void UnaryOpGradientsMatchFiniteDifferences(BackendKind backend, string op) => Check(backend, UnaryCases[op]);

    // A float32 round trip rounds each value to 24 bits, up to 4.8e-7 for the tripled values
    // (|3x| < 6): over the default step of 1e-6 that is an error of up to 0.24 in a derivative of 3,
    // far beyond the default tolerances. A step of 1e-3 brings it down to 2.4e-4, within them, and
    // adds no truncation error since the function is linear.
    [Theory]
    [MemberData(nameof(Backends))]
    public void AFloat32RoundTripPassesTheGradientBackAsFloat64(BackendKind backend) =>
        Check(backend, Leaf(Shape(0, 3), Anywhere).Select(x => new Case([x],
            t => (t[0].To(DType.Float32) * 3.0).To(DType.Float64))), eps: 1e-3);

    // At least 0.01 from the nearest integer, where the rounding ops jump.
    private static readonly Gen<double> AwayFromIntegers = Gen.Double[-3, 3].Where(v => Math.Abs(v - Math.Round(v)) > 0.01);

    public static readonly Dictionary<string, Gen<Case>> UnaryCases = new()
    {
        ["Neg"] = Unary(Anywhere, x => x.Neg()),
        ["-x"] = Unary(Anywhere, x => -x),
        ["Exp"] = Unary(Anywhere, x => x.Exp()),
        // log and sqrt are real only for positive inputs and their slopes blow up at 0.
        ["Log"] = Unary(Positive, x => x.Log()),
        ["Sqrt"] = Unary(Positive, x => x.Sqrt()),
        ["Abs"] = Unary(AwayFromZero, x => x.Abs()),
        ["Relu"] = Unary(AwayFromZero, x => x.Relu()),
        ["LeakyRelu()"] = Unary(AwayFromZero, x => x.LeakyRelu()),
        ["LeakyRelu(0.2)"] = Unary(AwayFromZero, x => x.LeakyRelu(0.2)),
        ["Clamp(-0.5, 0.5)"] = Unary(AwayFromClampBounds, x => x.Clamp(-0.5, 0.5)),
        ["Clamp(min: -0.5)"] = Unary(AwayFromClampBounds, x => x.Clamp(min: -0.5)),
        ["Clamp(max: 0.5)"] = Unary(AwayFromClampBounds, x => x.Clamp(max: 0.5)),
        ["ClampMin(-0.5)"] = Unary(AwayFromClampBounds, x => x.ClampMin(-0.5)),
        ["ClampMax(0.5)"] = Unary(AwayFromClampBounds, x => x.ClampMax(0.5)),
        ["Sigmoid"] = Unary(Gen.Double[-4, 4], x => x.Sigmoid()),
        ["Tanh"] = Unary(Gen.Double[-3, 3], x => x.Tanh()),
        ["Sin"] = Unary(Gen.Double[-4, 4], x => x.Sin()),
        ["Cos"] = Unary(Gen.Double[-4, 4], x => x.Cos()),
        ["Erf"] = Unary(Gen.Double[-3, 3], x => x.Erf()),
        ["Gelu"] = Unary(Gen.Double[-4, 4], x => x.Gelu()),
        ["Reciprocal"] = Unary(AwayFromZero, x => x.Reciprocal()),
        // Sign is flat (gradient 0) except for its jump at 0.
        ["Sign"] = Unary(AwayFromZero, x => x.Sign()),
        // A fractional power of a negative number is not real.
        ["Pow(2.5)"] = Unary(Positive, x => x.Pow(2.5)),
        ["Pow(-1.5)"] = Unary(Positive, x => x.Pow(-1.5)),
        ["Pow(3.0)"] = Unary(Anywhere, x => x.Pow(3.0)),
        ["Pow(0.0)"] = Unary(Anywhere, x => x.Pow(0.0)),
        ["Pow(2L)"] = Unary(Anywhere, x => x.Pow(2L)),
        ["Pow(3L)"] = Unary(Anywhere, x => x.Pow(3L)),
        // x^-2 has a pole at 0.
        ["Pow(-2L)"] = Unary(AwayFromZero, x => x.Pow(-2L)),
        ["Pow(2.0, x)"] = Unary(Anywhere, x => Tensor.Pow(2.0, x)),
        ["Pow(0.5, x)"] = Unary(Anywhere, x => Tensor.Pow(0.5, x)),
        // Rounding is flat (gradient 0) between the integers it jumps at; frac's slope is 1 there.
        ["Floor"] = Unary(AwayFromIntegers, x => x.Floor()),
        ["Ceil"] = Unary(AwayFromIntegers, x => x.Ceil()),
        ["Round"] = Unary(AwayFromIntegers, x => (x + 0.5).Round()),
        ["Round(1)"] = Unary(AwayFromIntegers, x => (x * 0.1 + 0.05).Round(1)),
        ["Trunc"] = Unary(AwayFromIntegers, x => x.Trunc()),
        ["Frac"] = Unary(AwayFromIntegers, x => x.Frac()),
        ["Square"] = Unary(Anywhere, x => x.Square()),
        ["Rsqrt"] = Unary(Positive, x => x.Rsqrt()),
        ["Log1p"] = Unary(Gen.Double[-0.8, 3], x => x.Log1p()),
        ["Expm1"] = Unary(Anywhere, x => x.Expm1()),
        ["Log2"] = Unary(Positive, x => x.Log2()),
        ["Log10"] = Unary(Positive, x => x.Log10()),
        // asin and acos have infinite slopes at -1 and 1.
        ["Asin"] = Unary(Gen.Double[-0.9, 0.9], x => x.Asin()),
        ["Acos"] = Unary(Gen.Double[-0.9, 0.9], x => x.Acos()),
        ["Atan"] = Unary(Gen.Double[-4, 4], x => x.Atan()),
        ["Sinh"] = Unary(Gen.Double[-3, 3], x => x.Sinh()),
        ["Cosh"] = Unary(Gen.Double[-3, 3], x => x.Cosh()),
        ["NanToNum"] = Unary(Anywhere, x => x.NanToNum()),
    };

}
