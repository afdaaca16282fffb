using CsCheck;
using NativeGrad.Backends;

namespace NativeGrad.Tests.Autograd;

/// <summary>
/// GradCheck over binary and scalar arithmetic under broadcasting, where, and the in-place arithmetic;
/// see <see cref="GradCheckTestBase"/>.
/// </summary>
public class GradCheckBinaryTests : GradCheckTestBase
{
    public static TheoryData<BackendKind, string> BinaryOps => Names(BinaryCases);
    public static TheoryData<BackendKind, string> InPlaceOps => Names(InPlaceCases);

    [Theory]
    [MemberData(nameof(BinaryOps))]
    public void BinaryOpGradientsMatchFiniteDifferencesUnderBroadcasting(BackendKind backend, string op) => Check(backend, BinaryCases[op]);

    [Theory]
    [MemberData(nameof(InPlaceOps))]
    public void InPlaceOpGradientsMatchFiniteDifferences(BackendKind backend, string op) => Check(backend, InPlaceCases[op]);

    // ---- binary and scalar arithmetic -----------------------------------------------------------

    // x broadcast against a and b, the last drawn from thirdDomain.
    private static Gen<Case> Ternary(Gen<double> thirdDomain, Func<Tensor, Tensor, Tensor, Tensor> op) =>
        from shapes in BroadcastPair()
        from x in Leaf(shapes[0], Anywhere)
        from a in Leaf(shapes[1], Anywhere)
        from b in Leaf(shapes[1], thirdDomain)
        select new Case([x, a, b], t => op(t[0], t[1], t[2]));

    private static readonly Gen<double> SmallDividend = Gen.Select(Gen.Double[0.2, 1.4], Gen.Bool, (m, negative) => negative ? -m : m);

    public static readonly Dictionary<string, Gen<Case>> BinaryCases = new()
    {
        ["a + b"] = Binary(Anywhere, Anywhere, (a, b) => a + b),
        ["a - b"] = Binary(Anywhere, Anywhere, (a, b) => a - b),
        ["a.Add(b, alpha: -0.7)"] = Binary(Anywhere, Anywhere, (a, b) => a.Add(b, alpha: -0.7)),
        ["a.Sub(b, alpha: 3L)"] = Binary(Anywhere, Anywhere, (a, b) => a.Sub(b, alpha: 3L)),
        ["a * b"] = Binary(Anywhere, Anywhere, (a, b) => a * b),
        // The quotient has a pole where the denominator is 0.
        ["a / b"] = Binary(Anywhere, AwayFromZero, (a, b) => a / b),
        ["Maximum"] = BinaryWithoutTies(Tensor.Maximum),
        ["Minimum"] = BinaryWithoutTies(Tensor.Minimum),
        // A positive base keeps a^b real and d/db = a^b log a finite.
        ["a.Pow(b)"] = Binary(Positive, Anywhere, (a, b) => a.Pow(b)),
        // An int64 exponent (never requiring grad) with a negative value: only the base's gradient flows.
        ["x.Pow(int64 -2)"] = Unary(Positive, x => x.Pow(Tensor.From(-2L))),
        ["Atan2"] = Binary(AwayFromZero, AwayFromZero, Tensor.Atan2),
        ["Hypot"] = Binary(AwayFromZero, AwayFromZero, Tensor.Hypot),
        // fmod and remainder jump where a / b is an integer (0 included): here 0.08 < |a / b| < 0.94.
        ["Fmod"] = Binary(SmallDividend, Gen.Double[1.5, 2.5], Tensor.Fmod),
        ["a % b"] = Binary(SmallDividend, Gen.Double[-2.5, -1.5], (a, b) => a % b),
        ["x.Fmod(1.75)"] = Unary(SmallDividend, x => x.Fmod(1.75)),
        ["x % 1.75"] = Unary(SmallDividend, x => x % 1.75),
        // Distinct values keep x off the bounds, where clamp's slope jumps; min > max happens too.
        ["x.Clamp(min, max) tensors"] =
            from shape in Shape(0, 3)
            from leaves in DistinctLeaves(shape, shape, shape)
            select new Case(leaves, t => t[0].Clamp(t[1], t[2])),
        ["x.Clamp(min, null)"] = BinaryWithoutTies((x, low) => x.Clamp(low, null)),
        ["x.Clamp(null, max)"] = BinaryWithoutTies((x, high) => x.Clamp(null, high)),
        ["Lerp(a, b, 0.3)"] = Binary(Anywhere, Anywhere, (a, b) => Tensor.Lerp(a, b, 0.3)),
        ["Lerp(a, b, 0.8)"] = Binary(Anywhere, Anywhere, (a, b) => Tensor.Lerp(a, b, 0.8)),
        ["Lerp(a, b, w)"] = Ternary(Gen.Double[-0.3, 1.3], Tensor.Lerp),
        ["x.Addcmul(a, b, 0.5)"] = Ternary(Anywhere, (x, a, b) => x.Addcmul(a, b, 0.5)),
        ["x.Addcdiv(a, b, -2)"] = Ternary(Positive, (x, a, b) => x.Addcdiv(a, b, -2)),
        ["Where(condition, a, b)"] =
            from full in Shape(0, 3)
            from shapes in Gen.Select(BroadcastOperand(full), BroadcastOperand(full), BroadcastOperand(full))
            from condition in Gen.Bool.Array[(int)Count(shapes.Item1)]
            from a in Leaf(shapes.Item2, Anywhere)
            from b in Leaf(shapes.Item3, Anywhere)
            select new Case([a, b], t => Tensor.Where(Condition(shapes.Item1, condition), t[0], t[1]),
                            $"condition [{string.Join(", ", shapes.Item1)}] {{{string.Join(", ", condition)}}}"),
        ["Where(condition, a, 0.5)"] =
            from x in Leaf(Shape(0, 3), Anywhere)
            from condition in Gen.Bool.Array[(int)Count(x.Shape)]
            select new Case([x], t => Tensor.Where(Condition(x.Shape, condition), t[0], 0.5), $"condition {{{string.Join(", ", condition)}}}"),
        ["Where(condition, 0.5, b)"] =
            from x in Leaf(Shape(0, 3), Anywhere)
            from condition in Gen.Bool.Array[(int)Count(x.Shape)]
            select new Case([x], t => Tensor.Where(Condition(x.Shape, condition), 0.5, t[0]), $"condition {{{string.Join(", ", condition)}}}"),
        ["x + 1.5"] = Unary(Anywhere, x => x + 1.5),
        ["1.5 + x"] = Unary(Anywhere, x => 1.5 + x),
        ["x + 2L"] = Unary(Anywhere, x => x + 2L),
        ["x - 1.5"] = Unary(Anywhere, x => x - 1.5),
        ["1 - x"] = Unary(Anywhere, x => 1.0 - x),
        ["1L - x"] = Unary(Anywhere, x => 1L - x),
        ["2 * x"] = Unary(Anywhere, x => 2.0 * x),
        ["x * 2"] = Unary(Anywhere, x => x * 2.0),
        ["3L * x"] = Unary(Anywhere, x => 3L * x),
        ["x / 3"] = Unary(Anywhere, x => x / 3.0),
        ["x / 3L"] = Unary(Anywhere, x => x / 3L),
        // s / x has a pole at 0.
        ["2 / x"] = Unary(AwayFromZero, x => 2.0 / x),
        ["2L / x"] = Unary(AwayFromZero, x => 2L / x),
    };

    private static Tensor Condition(long[] shape, bool[] values) => Tensor.From(values).Reshape(shape);

    // ---- in-place arithmetic (on a clone: a leaf that requires grad cannot be modified) ----------

    public static readonly Dictionary<string, Gen<Case>> InPlaceCases = new()
    {
        ["a.Add_(b)"] = InPlace(Anywhere, (a, b) => a.Add_(b)),
        ["a.Sub_(b)"] = InPlace(Anywhere, (a, b) => a.Sub_(b)),
        ["a.Add_(b, alpha: 2.5)"] = InPlace(Anywhere, (a, b) => a.Add_(b, alpha: 2.5)),
        ["a.Sub_(b, alpha: -0.3)"] = InPlace(Anywhere, (a, b) => a.Sub_(b, alpha: -0.3)),
        ["a.Mul_(b)"] = InPlace(Anywhere, (a, b) => a.Mul_(b)),
        // The quotient has a pole where the denominator is 0.
        ["a.Div_(b)"] = InPlace(AwayFromZero, (a, b) => a.Div_(b)),
        ["a.Copy_(b)"] = InPlace(Anywhere, (a, b) => a.Copy_(b)),
        ["a.Add_(1.5)"] = Unary(Anywhere, x => x.Clone().Add_(1.5)),
        ["a.Sub_(1.5)"] = Unary(Anywhere, x => x.Clone().Sub_(1.5)),
        ["a.Mul_(1.5)"] = Unary(Anywhere, x => x.Clone().Mul_(1.5)),
        ["a.Div_(1.5)"] = Unary(Anywhere, x => x.Clone().Div_(1.5)),
    };

    /// <summary>An in-place op on a clone of a, with b broadcast to a's shape.</summary>
    private static Gen<Case> InPlace(Gen<double> right, Func<Tensor, Tensor, Tensor> op) =>
        from shape in Shape(0, 3)
        from otherShape in BroadcastOperand(shape)
        from a in Leaf(shape, Anywhere)
        from b in Leaf(otherShape, right)
        select new Case([a, b], t => op(t[0].Clone(), t[1]));
}
