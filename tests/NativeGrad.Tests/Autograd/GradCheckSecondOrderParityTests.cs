using CsCheck;
using NativeGrad.Backends;

namespace NativeGrad.Tests.Autograd;

/// <summary>
/// Gradgradcheck of the elementwise and linear-algebra rules that issue 10 added (the first-order
/// cases of <see cref="GradCheckUnaryTests"/>, <see cref="GradCheckBinaryTests"/> and
/// <see cref="GradCheckLinearAlgebraTests"/>, differentiated twice on both backends); the
/// reductions' and indexing ops' second-order checks are in Ops/ReductionOpsTests.cs and
/// Ops/IndexingOpsTests.cs. An op whose first derivative does not depend on its input (a linear
/// or piecewise-linear one) is checked squared, so that its rule's own graph is differentiated;
/// a rounding op, whose gradient is 0 and records nothing, is checked multiplied by its input.
/// </summary>
public class GradCheckSecondOrderParityTests : GradCheckTestBase
{
    public static TheoryData<BackendKind, string> SecondOrderOps => Names(SecondOrderCases);

    [Theory]
    [MemberData(nameof(SecondOrderOps))]
    public void SecondOrderGradientsMatchFiniteDifferencesOfTheFirst(BackendKind backend, string op) => Check(backend, SecondOrderCases[op]);

    private static Gen<Case> Squared(Gen<Case> cases) =>
        cases.Select(c => c with { Function = t => c.Function(t).Pow(2L) });

    private static Gen<Case> TimesInput(Gen<Case> cases) =>
        cases.Select(c => c with { Function = t => c.Function(t) * t[0] });

    private static Gen<Case> Twice(Gen<Case> cases) => GradCheckSecondOrderTests.SecondOrder(cases);

    private static Gen<Case> Unary(string op) => GradCheckUnaryTests.UnaryCases[op];

    private static Gen<Case> Binary(string op) => GradCheckBinaryTests.BinaryCases[op];

    private static Gen<Case> LinearAlgebra(string op) => GradCheckLinearAlgebraTests.LinearAlgebraCases[op];

    public static readonly Dictionary<string, Gen<Case>> SecondOrderCases = new()
    {
        ["Floor times x"] = Twice(TimesInput(Unary("Floor"))),
        ["Ceil times x"] = Twice(TimesInput(Unary("Ceil"))),
        ["Round times x"] = Twice(TimesInput(Unary("Round"))),
        ["Round(1) times x"] = Twice(TimesInput(Unary("Round(1)"))),
        ["Trunc times x"] = Twice(TimesInput(Unary("Trunc"))),
        ["Frac then square"] = Twice(Squared(Unary("Frac"))),
        ["Square"] = Twice(Unary("Square")),
        ["Rsqrt"] = Twice(Unary("Rsqrt")),
        ["Log1p"] = Twice(Unary("Log1p")),
        ["Expm1"] = Twice(Unary("Expm1")),
        ["Log2"] = Twice(Unary("Log2")),
        ["Log10"] = Twice(Unary("Log10")),
        ["Asin"] = Twice(Unary("Asin")),
        ["Acos"] = Twice(Unary("Acos")),
        ["Atan"] = Twice(Unary("Atan")),
        ["Sinh"] = Twice(Unary("Sinh")),
        ["Cosh"] = Twice(Unary("Cosh")),
        ["NanToNum then square"] = Twice(Squared(Unary("NanToNum"))),
        ["Atan2"] = Twice(Binary("Atan2")),
        ["Hypot"] = Twice(Binary("Hypot")),
        ["Fmod then square"] = Twice(Squared(Binary("Fmod"))),
        ["a % b then square"] = Twice(Squared(Binary("a % b"))),
        ["x.Fmod(1.75) then square"] = Twice(Squared(Binary("x.Fmod(1.75)"))),
        ["x % 1.75 then square"] = Twice(Squared(Binary("x % 1.75"))),
        ["x.Clamp(min, max) tensors then square"] = Twice(Squared(Binary("x.Clamp(min, max) tensors"))),
        ["x.Clamp(min, null) then square"] = Twice(Squared(Binary("x.Clamp(min, null)"))),
        ["x.Clamp(null, max) then square"] = Twice(Squared(Binary("x.Clamp(null, max)"))),
        ["Lerp(a, b, 0.3) then square"] = Twice(Squared(Binary("Lerp(a, b, 0.3)"))),
        ["Lerp(a, b, 0.8) then square"] = Twice(Squared(Binary("Lerp(a, b, 0.8)"))),
        ["Lerp(a, b, w)"] = Twice(Binary("Lerp(a, b, w)")),
        ["x.Addcmul(a, b, 0.5)"] = Twice(Binary("x.Addcmul(a, b, 0.5)")),
        ["x.Addcdiv(a, b, -2)"] = Twice(Binary("x.Addcdiv(a, b, -2)")),
        ["Outer"] = Twice(LinearAlgebra("Outer")),
        ["Kron"] = Twice(LinearAlgebra("Kron")),
        ["Trace then square"] = Twice(Squared(LinearAlgebra("Trace"))),
    };
}
