using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace NativeGrad.Backends;

/// <summary>
/// The error function and gelu, which TensorPrimitives does not have. erf is computed in double
/// from two approximations fitted for NativeGrad (Chebyshev interpolants of high-precision erf,
/// converted to power series; about 2e-16 relative error, a couple of ulps):
/// <list type="bullet">
/// <item>|x| &lt; 1: erf(x) = x * P(x^2), P of degree 13, so erf keeps full relative accuracy near 0;</item>
/// <item>1 &lt;= |x|: erfc(|x|) = t * exp(-x^2 + H(t - 11/24)), t = 2 / (2 + |x|), H of degree 18,
/// with |x| clamped to 6 where erf already rounds to 1; erf = sign(x) * (1 - erfc).</item>
/// </list>
/// Both are plain multiply-add chains without branches, so a block is computed as a few vector
/// passes with one TensorPrimitives.Exp in the middle. float32 is computed through double and
/// rounded, which is correctly rounded in practice (no miss in 100,000 samples).
/// </summary>
internal static class ManagedErf
{
    // Elements per pass; the scratch blocks live on the stack.
    private const int Block = 256;

    private const double Clamp = 6.0;
    private const double Midpoint = 11.0 / 24.0;

    // P(u), u = x^2, on [0, 1]: erf(x) / x, highest degree first; the last is 2 / sqrt(pi).
    private static ReadOnlySpan<double> SmallCoefficients =>
    [
        -0.0000000000042309458242953378173,
        0.000000000087090451290531066896,
        -0.0000000012164560057283450081,
        0.000000014792401209404813002,
        -0.00000016364642158167615302,
        0.0000016462045441468418937,
        -0.000014925647567519332125,
        0.0001205533290288873541,
        -0.00085483270219348295955,
        0.0052239776254232983087,
        -0.026866170645129840806,
        0.11283791670955120236,
        -0.37612638903183752379,
        1.1283791670955125739,
    ];

    // H(s), s = t - 11/24 for t = 2 / (2 + |x|) in [1/4, 2/3] (|x| in [1, 6]): ln(erfc(|x|) / t) + x^2,
    // highest degree first.
    private static ReadOnlySpan<double> LargeCoefficients =>
    [
        -0.73331448852780586351,
        0.15076968195570120096,
        0.68892038822617403163,
        -0.44043674424727387916,
        -0.36501046866794753152,
        0.52466721395167764726,
        0.076626186166433628653,
        -0.45528269085735157628,
        0.094289888376752447668,
        0.3468605316941480188,
        -0.16963700243893934181,
        -0.26577479502264711362,
        0.19619415837900271222,
        0.24359275603924324797,
        -0.21311761636995077432,
        -0.34412908962000586014,
        0.23442498156110035024,
        1.3276012289342985274,
        -0.72749228535220418337,
    ];

    /// <summary>y = erf(x) in double; <paramref name="y"/> may be <paramref name="x"/>.</summary>
    [SkipLocalsInit]
    public static void Erf(ReadOnlySpan<double> x, Span<double> y)
    {
        Span<double> t = stackalloc double[Block];
        Span<double> tail = stackalloc double[Block];
        for (int start = 0; start < x.Length; start += Block)
        {
            int n = Math.Min(Block, x.Length - start);
            ErfBlock(x.Slice(start, n), y.Slice(start, n), t, tail);
        }
    }

    /// <summary>y = erf(x) in float32, computed in double and rounded.</summary>
    [SkipLocalsInit]
    public static void Erf(ReadOnlySpan<float> x, Span<float> y)
    {
        Span<double> wide = stackalloc double[Block];
        Span<double> t = stackalloc double[Block];
        Span<double> tail = stackalloc double[Block];
        for (int start = 0; start < x.Length; start += Block)
        {
            int n = Math.Min(Block, x.Length - start);
            TensorPrimitives.ConvertTruncating<float, double>(x.Slice(start, n), wide[..n]);
            ErfBlock(wide[..n], wide[..n], t, tail);
            TensorPrimitives.ConvertTruncating<double, float>(wide[..n], y.Slice(start, n));
        }
    }

    // At most Block elements: the exponents of the large-|x| form, one vectorised exp, then the result.
    private static void ErfBlock(ReadOnlySpan<double> x, Span<double> y, Span<double> t, Span<double> tail)
    {
        int n = x.Length;
        TailExponents(x, t[..n], tail[..n]);
        TensorPrimitives.Exp(tail[..n], tail[..n]);
        Combine(x, t[..n], tail[..n], y);
    }

    /// <summary>y = x * 0.5 * (1 + erf(x / sqrt(2))), every step in double.</summary>
    [SkipLocalsInit]
    public static void Gelu(ReadOnlySpan<double> x, Span<double> y)
    {
        Span<double> phi = stackalloc double[Block];
        for (int start = 0; start < x.Length; start += Block)
        {
            int n = Math.Min(Block, x.Length - start);
            GeluBlock(x.Slice(start, n), phi[..n], y.Slice(start, n), 0.70710678118654752440);
        }
    }

    /// <summary>
    /// y = h + h * erf(x / sqrt(2)) with h = x * 0.5, one fused multiply-add, every step rounded
    /// to float32 (only erf itself is computed wider): the form of oneDNN's gelu_erf, which PyTorch
    /// runs for contiguous float32 tensors, and of the native kernel. It is h * (1 + erf) to the
    /// ulp, except that an exact cancellation (x = -0, or erf rounding to -1) gives +0, not -0.
    /// </summary>
    [SkipLocalsInit]
    public static void Gelu(ReadOnlySpan<float> x, Span<float> y)
    {
        Span<float> phi = stackalloc float[Block];
        for (int start = 0; start < x.Length; start += Block)
        {
            int n = Math.Min(Block, x.Length - start);
            GeluBlock(x.Slice(start, n), phi[..n], y.Slice(start, n), 0.70710678118654752440f);
        }
    }

    // float32: h + h * erf(x * sqrt(1/2)); float64: h * (1 + erf(...)), ATen's form and its -0;
    // h = x * 0.5. phi is computed from x before y (which may be x) is written.
    private static void GeluBlock<T>(ReadOnlySpan<T> x, Span<T> phi, Span<T> y, T rsqrt2)
        where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        TensorPrimitives.Multiply(x, rsqrt2, phi);
        if (typeof(T) == typeof(float))
            Erf(MemoryMarshal.Cast<T, float>(phi), MemoryMarshal.Cast<T, float>(phi));
        else
            Erf(MemoryMarshal.Cast<T, double>(phi), MemoryMarshal.Cast<T, double>(phi));
        TensorPrimitives.Multiply(x, T.CreateTruncating(0.5), y);
        if (typeof(T) == typeof(float))
        {
            TensorPrimitives.FusedMultiplyAdd(y, phi, y, y);
            return;
        }
        TensorPrimitives.Add(phi, T.One, phi);
        TensorPrimitives.Multiply(y, phi, y);
    }

    // Pass 1: t = 2 / (2 + a) and the exponent -a^2 + H(t - 11/24), a = min(|x|, 6). NaN becomes 6
    // here (the comparison is false) and is put back in Combine.
    private static void TailExponents(ReadOnlySpan<double> x, Span<double> t, Span<double> exponent)
    {
        int i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            ref double source = ref MemoryMarshal.GetReference(x);
            ref double tOut = ref MemoryMarshal.GetReference(t);
            ref double eOut = ref MemoryMarshal.GetReference(exponent);
            var clamp = Vector256.Create(Clamp);
            var two = Vector256.Create(2.0);
            for (; i <= x.Length - Vector256<double>.Count; i += Vector256<double>.Count)
            {
                var a = Vector256.Abs(Vector256.LoadUnsafe(ref source, (nuint)i));
                a = Vector256.ConditionalSelect(Vector256.LessThan(a, clamp), a, clamp);
                var tv = two / (two + a);
                tv.StoreUnsafe(ref tOut, (nuint)i);
                (LargePolynomial(tv - Vector256.Create(Midpoint)) - a * a).StoreUnsafe(ref eOut, (nuint)i);
            }
        }
        for (; i < x.Length; i++)
        {
            double a = Math.Abs(x[i]);
            a = a < Clamp ? a : Clamp;
            double tv = 2.0 / (2.0 + a);
            t[i] = tv;
            exponent[i] = LargePolynomial(tv - Midpoint) - a * a;
        }
    }

    // Pass 2: the small-|x| polynomial or 1 - t * exp(...) with x's sign; NaN passes through.
    private static void Combine(ReadOnlySpan<double> x, ReadOnlySpan<double> t, ReadOnlySpan<double> expTail, Span<double> y)
    {
        int i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            ref double source = ref MemoryMarshal.GetReference(x);
            ref double tIn = ref MemoryMarshal.GetReference(t);
            ref double eIn = ref MemoryMarshal.GetReference(expTail);
            ref double destination = ref MemoryMarshal.GetReference(y);
            var one = Vector256.Create(1.0);
            var signBit = Vector256.Create(-0.0);
            for (; i <= x.Length - Vector256<double>.Count; i += Vector256<double>.Count)
            {
                var v = Vector256.LoadUnsafe(ref source, (nuint)i);
                var small = v * SmallPolynomial(v * v);
                var large = (one - Vector256.LoadUnsafe(ref tIn, (nuint)i) * Vector256.LoadUnsafe(ref eIn, (nuint)i)) | (v & signBit);
                var result = Vector256.ConditionalSelect(Vector256.LessThan(Vector256.Abs(v), one), small, large);
                Vector256.ConditionalSelect(Vector256.Equals(v, v), result, v).StoreUnsafe(ref destination, (nuint)i);
            }
        }
        for (; i < x.Length; i++)
        {
            double v = x[i];
            if (double.IsNaN(v)) y[i] = v;
            else if (Math.Abs(v) < 1.0) y[i] = v * SmallPolynomial(v * v);
            else y[i] = Math.CopySign(1.0 - t[i] * expTail[i], v);
        }
    }

    // The polynomials are written out (Horner) in both forms, so the JIT keeps the coefficients as
    // constants; both forms fuse the multiply-adds exactly when the CPU has FMA, so vector and
    // scalar lanes agree bit for bit.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<double> MultiplyAdd(Vector256<double> a, Vector256<double> b, Vector256<double> c) =>
        Fma.IsSupported ? Fma.MultiplyAdd(a, b, c) : a * b + c;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static double MultiplyAdd(double a, double b, double c) =>
        Fma.IsSupported ? Math.FusedMultiplyAdd(a, b, c) : a * b + c;

    private static Vector256<double> SmallPolynomial(Vector256<double> u) => Horner(SmallCoefficients, u);
    private static double SmallPolynomial(double u) => Horner(SmallCoefficients, u);
    private static Vector256<double> LargePolynomial(Vector256<double> s) => Horner(LargeCoefficients, s);
    private static double LargePolynomial(double s) => Horner(LargeCoefficients, s);

    // The scalar and vector forms evaluate in the same order, so a value's result does not
    // depend on whether it landed in a vector or in the tail.
    private static Vector256<double> Horner(ReadOnlySpan<double> coefficients, Vector256<double> x)
    {
        var p = Vector256.Create(coefficients[0]);
        for (int i = 1; i < coefficients.Length; i++)
            p = MultiplyAdd(p, x, Vector256.Create(coefficients[i]));
        return p;
    }

    private static double Horner(ReadOnlySpan<double> coefficients, double x)
    {
        double p = coefficients[0];
        for (int i = 1; i < coefficients.Length; i++)
            p = MultiplyAdd(p, x, coefficients[i]);
        return p;
    }
}
