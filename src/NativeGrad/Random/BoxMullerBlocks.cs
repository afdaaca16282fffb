using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace NativeGrad;

/// <summary>
/// The 16-element Box–Muller transforms of PyTorch's <c>normal_fill</c>, which turn 16 uniforms
/// in [0, 1) into 16 normals in place: lane j (0..7) takes u1 = 1 - data[j] and u2 = data[j + 8],
/// and writes r·cos θ to data[j] and r·sin θ to data[j + 8].
/// </summary>
/// <remarks>
/// The float32 version reproduces the AVX2 kernel (<c>normal_fill_16_AVX2</c>) that PyTorch 1.13
/// x86-64 builds use: its log and sincos are the Cephes single-precision polynomials of
/// <c>avx_mathfun.h</c>, not libm, and GCC compiled them with fused multiply-adds. Each arithmetic
/// statement of the float32 code below is one instruction of that compiled kernel (read from the
/// disassembly of Debian's libtorch_cpu.so 1.13.1), so rounding happens exactly where it happens
/// there: a fused multiply-add stands where the compiler fused a multiply and an add, and must stay
/// fused. The scalar and the AVX2 forms give identical bits; the AVX2 one is only faster.
/// </remarks>
internal static class BoxMullerBlocks
{
    /// <summary>Elements per block: 8 cosine outputs followed by 8 sine outputs.</summary>
    public const int BlockSize = 16;

    private const int HalfBlock = BlockSize / 2;

    // Constants as the float bit patterns stored in libtorch_cpu.so (written from double literals
    // in the C source and rounded to float there; bit patterns avoid any re-rounding doubt).
    private static readonly float TwoPi = Bits(0x40C90FDB);              // (float)(2 * pi)
    private static readonly float MinNormalPositive = Bits(0x00800000);  // smallest normal float
    private static readonly float SqrtHalf = Bits(0x3F3504F3);           // sqrt(1/2)
    private static readonly float LogP0 = Bits(0x3D9021BB);
    private static readonly float LogP1 = Bits(0xBDEBD1B8);
    private static readonly float LogP2 = Bits(0x3DEF251A);
    private static readonly float LogP3 = Bits(0xBDFE5D4F);
    private static readonly float LogP4 = Bits(0x3E11E9BF);
    private static readonly float LogP5 = Bits(0xBE2AAE50);
    private static readonly float LogP6 = Bits(0x3E4CCEAC);
    private static readonly float LogP7 = Bits(0xBE7FFFFC);
    private static readonly float LogP8 = Bits(0x3EAAAAAA);
    private static readonly float LogQ1 = Bits(0xB95E8083);               // low part of ln 2
    private static readonly float LogQ2 = Bits(0x3F318000);               // high part of ln 2
    private static readonly float FourOverPi = Bits(0x3FA2F983);
    private static readonly float MinusDp1 = Bits(0xBF490000);            // -pi/4 split in three
    private static readonly float MinusDp2 = Bits(0xB97DA000);
    private static readonly float MinusDp3 = Bits(0xB3222169);
    private static readonly float CosP0 = Bits(0x37CCF5CE);
    private static readonly float CosP1 = Bits(0xBAB6061A);
    private static readonly float CosP2 = Bits(0x3D2AAAA5);
    private static readonly float SinP0 = Bits(0xB94CA1F9);
    private static readonly float SinP1 = Bits(0x3C08839E);
    private static readonly float SinP2 = Bits(0xBE2AAAA3);

    private const uint SignMask = 0x80000000u;
    private const uint ExponentMask = 0x7F800000u;
    private const uint HalfBits = 0x3F000000u; // 0.5f

    /// <summary>2·pi in double, as <c>2.0f * c10::pi&lt;double&gt;</c> evaluates.</summary>
    private const double TwoPiDouble = 2.0 * Math.PI;

    /// <summary>
    /// Transforms one block of 16 float32 uniforms into normals with the AVX2 kernel's arithmetic.
    /// </summary>
    /// <param name="block">Exactly 16 values in [0, 1), replaced by normals.</param>
    /// <param name="mean">The mean, already rounded to float as PyTorch does.</param>
    /// <param name="std">The standard deviation, already rounded to float.</param>
    public static void TransformFloat(Span<float> block, float mean, float std)
    {
        if (Avx2.IsSupported && Fma.IsSupported)
        {
            TransformFloatAvx2(block, mean, std);
        }
        else
        {
            TransformFloatScalar(block, mean, std);
        }
    }

    /// <summary>The lane-by-lane form of <see cref="TransformFloat"/>, for any CPU.</summary>
    /// <param name="block">Exactly 16 values in [0, 1), replaced by normals.</param>
    /// <param name="mean">The mean.</param>
    /// <param name="std">The standard deviation.</param>
    internal static void TransformFloatScalar(Span<float> block, float mean, float std)
    {
        if (block.Length != BlockSize)
        {
            throw new ArgumentException("A Box-Muller block has exactly 16 elements.", nameof(block));
        }

        for (int lane = 0; lane < HalfBlock; lane++)
        {
            float u1 = 1f - block[lane]; // (0, 1], so the log is finite
            float u2 = block[lane + HalfBlock];
            float radius = MathF.Sqrt(CephesLog(u1) * -2f);
            float theta = TwoPi * u2;
            CephesSinCos(theta, out float sin, out float cos);
            float cosineNormal = radius * cos;
            float sineNormal = radius * sin;
            block[lane] = MathF.FusedMultiplyAdd(cosineNormal, std, mean);
            block[lane + HalfBlock] = MathF.FusedMultiplyAdd(sineNormal, std, mean);
        }
    }

    /// <summary>
    /// <see cref="TransformFloatScalar"/> with 8 lanes at a time, the same instructions as the
    /// PyTorch kernel; it gives bit-identical results, only faster. Requires AVX2 and FMA.
    /// </summary>
    /// <param name="block">Exactly 16 values in [0, 1), replaced by normals.</param>
    /// <param name="mean">The mean.</param>
    /// <param name="std">The standard deviation.</param>
    internal static void TransformFloatAvx2(Span<float> block, float mean, float std)
    {
        if (block.Length != BlockSize)
        {
            throw new ArgumentException("A Box-Muller block has exactly 16 elements.", nameof(block));
        }

        Span<float> cosineHalf = block[..HalfBlock];
        Span<float> sineHalf = block[HalfBlock..];
        Vector256<float> one = Vector256.Create(1f);
        Vector256<float> u1 = Avx.Subtract(one, Vector256.Create<float>(cosineHalf));
        Vector256<float> u2 = Vector256.Create<float>(sineHalf);

        Vector256<float> radius = Avx.Sqrt(Avx.Multiply(CephesLog(u1), Vector256.Create(-2f)));
        Vector256<float> theta = Avx.Multiply(Vector256.Create(TwoPi), u2);
        CephesSinCos(theta, out Vector256<float> sin, out Vector256<float> cos);

        Vector256<float> meanVector = Vector256.Create(mean);
        Vector256<float> stdVector = Vector256.Create(std);
        Fma.MultiplyAdd(Avx.Multiply(radius, cos), stdVector, meanVector).CopyTo(cosineHalf);
        Fma.MultiplyAdd(Avx.Multiply(radius, sin), stdVector, meanVector).CopyTo(sineHalf);
    }

    /// <summary>
    /// Transforms one block of 16 float64 uniforms into normals like PyTorch's generic
    /// <c>normal_fill_16&lt;double&gt;</c>: libm's log, sin and cos, and a fused
    /// <c>r·cos θ · std + mean</c> (GCC contracted it).
    /// </summary>
    /// <param name="block">Exactly 16 values in [0, 1), replaced by normals.</param>
    /// <param name="mean">The mean.</param>
    /// <param name="std">The standard deviation.</param>
    public static void TransformDouble(Span<double> block, double mean, double std)
    {
        for (int lane = 0; lane < HalfBlock; lane++)
        {
            double u1 = 1.0 - block[lane];
            double u2 = block[lane + HalfBlock];
            double radius = Math.Sqrt(-2.0 * Math.Log(u1));
            double theta = TwoPiDouble * u2;
            (double sin, double cos) = Math.SinCos(theta);
            block[lane] = Math.FusedMultiplyAdd(radius * cos, std, mean);
            block[lane + HalfBlock] = Math.FusedMultiplyAdd(radius * sin, std, mean);
        }
    }

    /// <summary>
    /// Cephes <c>logf</c> as <c>log256_ps</c> computes it for one lane, for x in (0, 1]:
    /// split x = m·2^e with m in [sqrt(1/2), sqrt 2), evaluate a degree-9 polynomial in m - 1
    /// and add e·ln 2 in two parts.
    /// </summary>
    private static float CephesLog(float x)
    {
        bool invalid = x <= 0f;
        x = MathF.Max(x, MinNormalPositive);

        uint bits = BitConverter.SingleToUInt32Bits(x);
        int biasedExponent = (int)(bits >> 23);
        float mantissa = BitConverter.UInt32BitsToSingle((bits & ~ExponentMask) | HalfBits); // [0.5, 1)
        float exponent = (float)(biasedExponent - 127) + 1f;

        // Below sqrt(1/2) use 2m - 1 and one less in the exponent, so the argument stays small.
        bool belowSqrtHalf = mantissa < SqrtHalf;
        float doubledPart = belowSqrtHalf ? mantissa : 0f;
        float t = mantissa + -1f;
        exponent -= belowSqrtHalf ? 1f : 0f;
        t = doubledPart + t;

        float tSquared = t * t;
        float poly = LogP0;
        poly = FusedMultiplyAdd(poly, t, LogP1);
        poly = FusedMultiplyAdd(poly, t, LogP2);
        poly = FusedMultiplyAdd(poly, t, LogP3);
        poly = FusedMultiplyAdd(poly, t, LogP4);
        poly = FusedMultiplyAdd(poly, t, LogP5);
        poly = FusedMultiplyAdd(poly, t, LogP6);
        poly = FusedMultiplyAdd(poly, t, LogP7);
        poly = FusedMultiplyAdd(poly, t, LogP8);
        float exponentLow = exponent * LogQ1;
        poly *= t;
        poly = FusedMultiplyAdd(poly, tSquared, exponentLow);
        poly = FusedMultiplyAdd(-tSquared, 0.5f, poly);
        float result = t + poly;
        result = FusedMultiplyAdd(exponent, LogQ2, result);
        return invalid ? float.NaN : result;
    }

    /// <summary>
    /// Cephes <c>sinf</c>/<c>cosf</c> as <c>sincos256_ps</c> computes them for one lane: reduce by
    /// multiples of pi/4 in three parts, evaluate both minimax polynomials and pick per octant.
    /// </summary>
    private static void CephesSinCos(float x, out float sin, out float cos)
    {
        uint sinSign = BitConverter.SingleToUInt32Bits(x) & SignMask;
        x = MathF.Abs(x);

        // Octant index j, rounded up to even (cvttps2dq truncates; x is small and non-negative).
        int octant = (int)(x * FourOverPi);
        octant = (octant + 1) & ~1;
        float octantFloat = octant;

        sinSign ^= (uint)(octant & 4) << 29;
        bool useSinePolyForSine = (octant & 2) == 0;
        uint cosSign = (uint)(~(octant - 2) & 4) << 29;

        // x - octant * pi/4 with pi/4 split into three floats, each step fused by the compiler.
        x = FusedMultiplyAdd(octantFloat, MinusDp1, x);
        x = FusedMultiplyAdd(octantFloat, MinusDp2, x);
        x = FusedMultiplyAdd(octantFloat, MinusDp3, x);

        float z = x * x;
        float halfZ = z * 0.5f;

        float cosPoly = CosP0;
        cosPoly = FusedMultiplyAdd(cosPoly, z, CosP1);
        cosPoly = FusedMultiplyAdd(cosPoly, z, CosP2);
        cosPoly = z * cosPoly;
        cosPoly = FusedMultiplySubtract(cosPoly, z, halfZ);
        cosPoly += 1f;

        float sinPoly = SinP0;
        sinPoly = FusedMultiplyAdd(sinPoly, z, SinP1);
        sinPoly = FusedMultiplyAdd(sinPoly, z, SinP2);
        sinPoly = z * sinPoly;
        sinPoly = FusedMultiplyAdd(sinPoly, x, x);

        // The kernel selects with bit masks and additions; keep the same arithmetic so that
        // signed zeros come out identical too.
        float sineFromSinPoly = useSinePolyForSine ? sinPoly : 0f;
        float sineFromCosPoly = useSinePolyForSine ? 0f : cosPoly;
        float cosineFromSinPoly = sinPoly - sineFromSinPoly;
        float cosineFromCosPoly = cosPoly - sineFromCosPoly;
        float sine = sineFromCosPoly + sineFromSinPoly;
        float cosine = cosineFromSinPoly + cosineFromCosPoly;

        sin = FlipSign(sine, sinSign);
        cos = FlipSign(cosine, cosSign);
    }

    /// <summary>8-lane <see cref="CephesLog(float)"/>, instruction for instruction.</summary>
    private static Vector256<float> CephesLog(Vector256<float> x)
    {
        Vector256<float> one = Vector256.Create(1f);
        Vector256<float> invalid = Avx.CompareLessThanOrEqual(x, Vector256<float>.Zero);
        x = Avx.Max(x, Vector256.Create(MinNormalPositive));

        Vector256<int> biasedExponent = Avx2.ShiftRightLogical(x.AsInt32(), 23);
        Vector256<float> mantissa = Avx.Or(
            Avx.And(x, Vector256.Create(~ExponentMask).AsSingle()),
            Vector256.Create(HalfBits).AsSingle());
        Vector256<float> exponent = Avx.Add(
            Avx.ConvertToVector256Single(Avx2.Add(biasedExponent, Vector256.Create(-127))), one);

        Vector256<float> belowSqrtHalf = Avx.CompareLessThan(mantissa, Vector256.Create(SqrtHalf));
        Vector256<float> doubledPart = Avx.And(mantissa, belowSqrtHalf);
        Vector256<float> t = Avx.Add(mantissa, Vector256.Create(-1f));
        exponent = Avx.Subtract(exponent, Avx.And(one, belowSqrtHalf));
        t = Avx.Add(doubledPart, t);

        Vector256<float> tSquared = Avx.Multiply(t, t);
        Vector256<float> poly = Vector256.Create(LogP0);
        poly = Fma.MultiplyAdd(poly, t, Vector256.Create(LogP1));
        poly = Fma.MultiplyAdd(poly, t, Vector256.Create(LogP2));
        poly = Fma.MultiplyAdd(poly, t, Vector256.Create(LogP3));
        poly = Fma.MultiplyAdd(poly, t, Vector256.Create(LogP4));
        poly = Fma.MultiplyAdd(poly, t, Vector256.Create(LogP5));
        poly = Fma.MultiplyAdd(poly, t, Vector256.Create(LogP6));
        poly = Fma.MultiplyAdd(poly, t, Vector256.Create(LogP7));
        poly = Fma.MultiplyAdd(poly, t, Vector256.Create(LogP8));
        Vector256<float> exponentLow = Avx.Multiply(exponent, Vector256.Create(LogQ1));
        poly = Avx.Multiply(poly, t);
        poly = Fma.MultiplyAdd(poly, tSquared, exponentLow);
        poly = Fma.MultiplyAddNegated(tSquared, Vector256.Create(0.5f), poly);
        Vector256<float> result = Avx.Add(t, poly);
        result = Fma.MultiplyAdd(exponent, Vector256.Create(LogQ2), result);
        return Avx.Or(result, invalid);
    }

    /// <summary>8-lane <see cref="CephesSinCos(float, out float, out float)"/>, instruction for instruction.</summary>
    private static void CephesSinCos(Vector256<float> x, out Vector256<float> sin, out Vector256<float> cos)
    {
        Vector256<float> sinSign = Avx.And(x, Vector256.Create(SignMask).AsSingle());
        x = Avx.And(x, Vector256.Create(~SignMask).AsSingle());

        Vector256<int> octant = Avx.ConvertToVector256Int32WithTruncation(Avx.Multiply(x, Vector256.Create(FourOverPi)));
        octant = Avx2.And(Avx2.Add(octant, Vector256.Create(1)), Vector256.Create(~1));
        Vector256<float> octantFloat = Avx.ConvertToVector256Single(octant);

        Vector256<int> four = Vector256.Create(4);
        sinSign = Avx.Xor(sinSign, Avx2.ShiftLeftLogical(Avx2.And(octant, four), 29).AsSingle());
        Vector256<float> useSinePolyForSine =
            Avx2.CompareEqual(Avx2.And(octant, Vector256.Create(2)), Vector256<int>.Zero).AsSingle();
        Vector256<float> cosSign =
            Avx2.ShiftLeftLogical(Avx2.AndNot(Avx2.Subtract(octant, Vector256.Create(2)), four), 29).AsSingle();

        x = Fma.MultiplyAdd(octantFloat, Vector256.Create(MinusDp1), x);
        x = Fma.MultiplyAdd(octantFloat, Vector256.Create(MinusDp2), x);
        x = Fma.MultiplyAdd(octantFloat, Vector256.Create(MinusDp3), x);

        Vector256<float> z = Avx.Multiply(x, x);
        Vector256<float> halfZ = Avx.Multiply(z, Vector256.Create(0.5f));

        Vector256<float> cosPoly = Vector256.Create(CosP0);
        cosPoly = Fma.MultiplyAdd(cosPoly, z, Vector256.Create(CosP1));
        cosPoly = Fma.MultiplyAdd(cosPoly, z, Vector256.Create(CosP2));
        cosPoly = Avx.Multiply(z, cosPoly);
        cosPoly = Fma.MultiplySubtract(cosPoly, z, halfZ);
        cosPoly = Avx.Add(cosPoly, Vector256.Create(1f));

        Vector256<float> sinPoly = Vector256.Create(SinP0);
        sinPoly = Fma.MultiplyAdd(sinPoly, z, Vector256.Create(SinP1));
        sinPoly = Fma.MultiplyAdd(sinPoly, z, Vector256.Create(SinP2));
        sinPoly = Avx.Multiply(z, sinPoly);
        sinPoly = Fma.MultiplyAdd(sinPoly, x, x);

        Vector256<float> sineFromSinPoly = Avx.And(useSinePolyForSine, sinPoly);
        Vector256<float> sineFromCosPoly = Avx.AndNot(useSinePolyForSine, cosPoly);
        Vector256<float> cosineFromSinPoly = Avx.Subtract(sinPoly, sineFromSinPoly);
        Vector256<float> cosineFromCosPoly = Avx.Subtract(cosPoly, sineFromCosPoly);
        sin = Avx.Xor(Avx.Add(sineFromCosPoly, sineFromSinPoly), sinSign);
        cos = Avx.Xor(Avx.Add(cosineFromSinPoly, cosineFromCosPoly), cosSign);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float FusedMultiplyAdd(float a, float b, float c) => MathF.FusedMultiplyAdd(a, b, c);

    // a·b - c with one rounding (vfmsub).
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float FusedMultiplySubtract(float a, float b, float c) => MathF.FusedMultiplyAdd(a, b, -c);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float FlipSign(float value, uint signBit) =>
        BitConverter.UInt32BitsToSingle(BitConverter.SingleToUInt32Bits(value) ^ signBit);

    private static float Bits(uint bits) => BitConverter.UInt32BitsToSingle(bits);
}
