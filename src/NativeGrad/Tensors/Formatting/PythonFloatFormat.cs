using System.Globalization;
using System.Numerics;
using System.Text;

namespace NativeGrad;

/// <summary>
/// Python's <c>'{:.Nf}'</c> and <c>'{:.Ne}'</c> formatting of a double. Python rounds the exact binary
/// value, half to even, so an exact tie such as 0.03125 to four places gives "0.0312". .NET's "E4"
/// writes exponents as "E-005", and its rounding of exact ties is not specified to match Python's on
/// every runtime, so the digits are computed here from the exact value with big integers.
/// </summary>
internal static class PythonFloatFormat
{
    private const int MantissaBits = 52;
    private const int ExponentBias = 1075; // 1023 plus the 52 fraction bits: value = mantissa * 2^(e - 1075)
    private const int CachedPowers = 400;

    private static readonly BigInteger[] PowersOfTen = BuildPowersOfTen();

    /// <summary>Python's <c>format(value, f".{precision}f")</c>, e.g. "-0.0312", "12" (precision 0), "nan", "-inf".</summary>
    /// <param name="value">The number; negative zero keeps its sign, as in Python.</param>
    /// <param name="precision">Digits after the point; 0 writes no point at all.</param>
    public static string FormatFixed(double value, int precision)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(precision);
        if (!double.IsFinite(value))
            return NonFinite(value);

        var (mantissa, binaryExponent) = Decompose(value);
        // round(|value| * 10^precision), exactly, half to even.
        BigInteger scaled = RoundedQuotient(
            WholePart(mantissa, binaryExponent) * PowerOfTen(precision),
            FractionDenominator(binaryExponent));

        string digits = scaled.ToString(CultureInfo.InvariantCulture)
            .PadLeft(precision + 1, '0');
        var text = new StringBuilder(digits.Length + 2);
        if (double.IsNegative(value))
            text.Append('-');
        text.Append(digits, 0, digits.Length - precision);
        if (precision > 0)
            text.Append('.').Append(digits, digits.Length - precision, precision);
        return text.ToString();
    }

    /// <summary>Python's <c>format(value, f".{precision}e")</c>, e.g. "1.0000e-05", "-2.5000e+100".</summary>
    /// <param name="value">The number; negative zero keeps its sign, as in Python.</param>
    /// <param name="precision">Digits after the first one; 0 writes no point at all.</param>
    public static string FormatScientific(double value, int precision)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(precision);
        if (!double.IsFinite(value))
            return NonFinite(value);

        BigInteger significand;
        int decimalExponent;
        if (value == 0)
        {
            significand = BigInteger.Zero;
            decimalExponent = 0;
        }
        else
        {
            (significand, decimalExponent) = RoundToSignificantDigits(value, precision + 1);
        }

        string digits = significand.ToString(CultureInfo.InvariantCulture)
            .PadLeft(precision + 1, '0');
        var text = new StringBuilder(digits.Length + 8);
        if (double.IsNegative(value))
            text.Append('-');
        text.Append(digits[0]);
        if (precision > 0)
            text.Append('.').Append(digits, 1, precision);
        // Python writes the exponent's sign always and at least two of its digits.
        text.Append('e').Append(decimalExponent < 0 ? '-' : '+');
        text.Append(Math.Abs(decimalExponent).ToString("00", CultureInfo.InvariantCulture));
        return text.ToString();
    }

    /// <summary>Python writes every NaN as "nan", whatever its sign bit.</summary>
    private static string NonFinite(double value) =>
        double.IsNaN(value) ? "nan" : value > 0 ? "inf" : "-inf";

    /// <summary>
    /// The nonzero finite |value| rounded to <paramref name="digitCount"/> significant digits, half to
    /// even: returns N with digitCount digits and E such that the rounded value is N * 10^(E - digitCount + 1).
    /// </summary>
    private static (BigInteger Significand, int Exponent) RoundToSignificantDigits(double value, int digitCount)
    {
        var (mantissa, binaryExponent) = Decompose(value);
        BigInteger lowest = PowerOfTen(digitCount - 1);
        BigInteger highest = PowerOfTen(digitCount);

        // The logarithm is only a first guess of the exponent; the exact comparisons below correct it.
        int exponent = (int)Math.Floor(Math.Log10(Math.Abs(value)));
        while (true)
        {
            // |value| / 10^shift as the fraction numerator / denominator.
            int shift = exponent - digitCount + 1;
            BigInteger numerator = WholePart(mantissa, binaryExponent) * PowerOfTen(Math.Max(0, -shift));
            BigInteger denominator = FractionDenominator(binaryExponent) * PowerOfTen(Math.Max(0, shift));
            BigInteger whole = BigInteger.Divide(numerator, denominator);
            if (whole < lowest)
            {
                exponent--;
                continue;
            }
            if (whole >= highest)
            {
                exponent++;
                continue;
            }

            BigInteger rounded = RoundedQuotient(numerator, denominator);
            // 9.99995 rounds up to 10.0000: one more digit than asked, so move the point.
            return rounded == highest ? (lowest, exponent + 1) : (rounded, exponent);
        }
    }

    /// <summary>|value| as mantissa * 2^binaryExponent with an integer mantissa.</summary>
    private static (long Mantissa, int BinaryExponent) Decompose(double value)
    {
        long bits = BitConverter.DoubleToInt64Bits(Math.Abs(value));
        int exponentField = (int)(bits >> MantissaBits);
        long fraction = bits & ((1L << MantissaBits) - 1);
        return exponentField == 0
            ? (fraction, 1 - ExponentBias) // subnormal: no implicit leading bit
            : (fraction | (1L << MantissaBits), exponentField - ExponentBias);
    }

    /// <summary>The numerator of mantissa * 2^binaryExponent written as a fraction over <see cref="FractionDenominator"/>.</summary>
    private static BigInteger WholePart(long mantissa, int binaryExponent) =>
        new BigInteger(mantissa) << Math.Max(0, binaryExponent);

    /// <summary>2^-binaryExponent for values with a binary fraction, else 1.</summary>
    private static BigInteger FractionDenominator(int binaryExponent) =>
        BigInteger.One << Math.Max(0, -binaryExponent);

    /// <summary>numerator / denominator rounded to the nearest integer, ties to even (Python's rule).</summary>
    private static BigInteger RoundedQuotient(BigInteger numerator, BigInteger denominator)
    {
        BigInteger quotient = BigInteger.DivRem(numerator, denominator, out BigInteger remainder);
        int comparison = (remainder << 1).CompareTo(denominator);
        if (comparison > 0 || (comparison == 0 && !quotient.IsEven))
            quotient += 1;
        return quotient;
    }

    private static BigInteger PowerOfTen(int exponent) =>
        exponent < CachedPowers ? PowersOfTen[exponent] : BigInteger.Pow(10, exponent);

    private static BigInteger[] BuildPowersOfTen()
    {
        var powers = new BigInteger[CachedPowers];
        powers[0] = BigInteger.One;
        for (int i = 1; i < powers.Length; i++)
            powers[i] = powers[i - 1] * 10;
        return powers;
    }
}
