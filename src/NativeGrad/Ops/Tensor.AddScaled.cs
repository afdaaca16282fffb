using NativeGrad.Backends;

namespace NativeGrad;

/// <summary>
/// torch's alpha argument of add and sub: a number that is either an integer (all 64 bits kept,
/// so int64 tensors stay exact) or a float (which an integral result refuses, as in PyTorch).
/// </summary>
internal readonly record struct Alpha(double Value, long? Integer)
{
    public static Alpha Of(double value) => new(value, null);

    public static Alpha Of(long value) => new(value, value);

    public Alpha Negated => new(-Value, Integer is { } i ? unchecked(-i) : null);

    public float ToSingle() => Integer is { } i ? i : (float)Value;

    public double ToDouble() => Integer is { } i ? i : Value;

    public long ToInt64() => Integer ?? (long)Value;

    /// <summary>PyTorch's alpha_check for a result of <paramref name="dtype"/>.</summary>
    public void Check(DType dtype)
    {
        if (Integer is null && !dtype.IsFloatingPoint())
            throw new ArgumentException("For integral input tensors, argument alpha must not be a floating point number.");
    }
}

// add and sub with alpha: this + alpha * other, computed by one AddScaled kernel that rounds
// once, as PyTorch's CPU kernel does (its vector loop is an fma). The node is PyTorch's
// AddBackward0 / SubBackward0 with the gradient of other scaled by alpha. (One known difference:
// torch 1.13's scalar tail after its 16-float blocks, when other is one element broadcast along
// the row, rounds alpha * other first, a compiler hoisting; here every element rounds once.)
public sealed partial class Tensor
{
    /// <summary>this + alpha * other (torch's add(other, alpha=alpha)), broadcasting, rounded once.</summary>
    public Tensor Add(Tensor other, double alpha) => AddScaled(this, other, Alpha.Of(alpha), subtract: false);

    /// <summary>this + alpha * other with an integer alpha (int64 tensors stay exact).</summary>
    public Tensor Add(Tensor other, long alpha) => AddScaled(this, other, Alpha.Of(alpha), subtract: false);

    /// <summary>this - alpha * other (torch's sub(other, alpha=alpha)), broadcasting, rounded once.</summary>
    public Tensor Sub(Tensor other, double alpha) => AddScaled(this, other, Alpha.Of(alpha), subtract: true);

    /// <summary>this - alpha * other with an integer alpha (int64 tensors stay exact).</summary>
    public Tensor Sub(Tensor other, long alpha) => AddScaled(this, other, Alpha.Of(alpha), subtract: true);

    /// <summary>this += alpha * other in place (torch's add_(other, alpha=alpha)); returns this tensor.</summary>
    public Tensor Add_(Tensor other, double alpha) => AddScaled_(other, Alpha.Of(alpha), subtract: false);

    /// <summary>this += alpha * other in place with an integer alpha; returns this tensor.</summary>
    public Tensor Add_(Tensor other, long alpha) => AddScaled_(other, Alpha.Of(alpha), subtract: false);

    /// <summary>this -= alpha * other in place (torch's sub_(other, alpha=alpha)); returns this tensor.</summary>
    public Tensor Sub_(Tensor other, double alpha) => AddScaled_(other, Alpha.Of(alpha), subtract: true);

    /// <summary>this -= alpha * other in place with an integer alpha; returns this tensor.</summary>
    public Tensor Sub_(Tensor other, long alpha) => AddScaled_(other, Alpha.Of(alpha), subtract: true);

    private static Tensor AddScaled(Tensor a, Tensor b, Alpha alpha, bool subtract)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        if (subtract) ThrowIfBoolSubtraction(a, b);
        var computeType = TypePromotion.ResultType(a, b);
        alpha.Check(computeType);
        Tensor result;
        if (computeType == DType.Bool)
            // a + bool(alpha) * b in bool: a or b, or a alone for alpha 0 (b still broadcasts a).
            result = BinaryRaw(BinaryOp.Add, a, alpha.Value != 0 ? b : ZerosLike(b), DType.Bool);
        else
            result = AddScaledRaw(a, b, subtract ? alpha.Negated : alpha, computeType);
        return Node.Record(result, subtract ? Derivatives.SubScaled : Derivatives.AddScaled, [a, b],
                           new OpArgs { Scalar = alpha.ToDouble() });
    }

    // Written straight into this storage when nothing records and the result has this tensor's
    // dtype (see CanComputeInto); otherwise out of place and copied in, which also raises
    // PyTorch's errors (a float result into an int64 tensor, a shape this tensor cannot hold).
    private Tensor AddScaled_(Tensor other, Alpha alpha, bool subtract)
    {
        ArgumentNullException.ThrowIfNull(other);
        ThrowIfInferenceOutsideInferenceMode();
        if (!CanComputeInto(other))
            return InPlace(self => AddScaled(self, other, alpha, subtract), other);
        AddScaledRaw(this, other, subtract ? alpha.Negated : alpha, DType, into: this);
        storage.BumpVersion();
        return this;
    }
}
