using System.Runtime.InteropServices;
using NativeGrad.Backends;

namespace NativeGrad.Tests.Backends;

/// <summary>
/// The Unary kernel on both backends, and against System.Math; see <see cref="KernelParityTestBase"/>.
/// </summary>
public unsafe class KernelParityUnaryTests : KernelParityTestBase
{
    public static TheoryData<string, DType> UnaryCases()
    {
        var data = new TheoryData<string, DType>();
        foreach (var op in Enum.GetValues<UnaryOp>())
        {
            data.Add(op.ToString(), DType.Float32);
            data.Add(op.ToString(), DType.Float64);
            if (op is UnaryOp.Neg or UnaryOp.Abs or UnaryOp.Sign) data.Add(op.ToString(), DType.Int64);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(UnaryCases))]
    public void UnaryMatches(string name, DType dtype)
    {
        var op = Enum.Parse<UnaryOp>(name);
        var random = new System.Random(1000 + (int)op * 10 + (int)dtype);
        // Math-library functions may differ by an ulp or so (log1p and expm1: .NET has none, and the
        // managed backend's corrected formulas are not the C library's); the rest are exact in IEEE
        // arithmetic, or the same C library function on both backends.
        bool approximate = op is UnaryOp.Exp or UnaryOp.Log or UnaryOp.Sigmoid or UnaryOp.Tanh or UnaryOp.Sin
            or UnaryOp.Cos or UnaryOp.Erf or UnaryOp.Gelu or UnaryOp.Log1p or UnaryOp.Expm1;
        double range = op == UnaryOp.Exp ? 60 : 10;
        foreach (int count in Lengths())
        {
            byte[] x = Values(dtype, count, random, range, specials: true);
            byte[] expected = RunUnary(Native, op, dtype, x, inPlace: false);
            byte[] actual = RunUnary(Managed, op, dtype, x, inPlace: false);
            AssertSame(dtype, expected, actual, approximate ? Tolerance(dtype) : 0, $"{op} {dtype} n={count}");
            // out may alias x exactly. (TensorPrimitives' vector math falls back to the C library for
            // a whole vector when one lane is out of its fast range, so groupings, which follow the
            // output's alignment, can move a result by an ulp.)
            AssertSame(dtype, actual, RunUnary(Managed, op, dtype, x, inPlace: true), approximate ? Tolerance(dtype) : 0, $"{op} {dtype} in place n={count}");
        }
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void UnaryMatchesSystemMath(BackendKind kind)
    {
        var kernels = Backend.KernelsFor(kind);
        double[] x = [-3.5, -1, -0.25, 0, 0.5, 1, 2.75, 7];
        Check(UnaryOp.Exp, Math.Exp);
        Check(UnaryOp.Sqrt, Math.Sqrt, Math.Abs);
        Check(UnaryOp.Log, Math.Log, v => Math.Abs(v) + 0.5);
        Check(UnaryOp.Tanh, Math.Tanh);
        Check(UnaryOp.Sin, Math.Sin);
        Check(UnaryOp.Cos, Math.Cos);
        Check(UnaryOp.Sigmoid, v => 1 / (1 + Math.Exp(-v)));
        Check(UnaryOp.Reciprocal, v => 1 / v);
        Check(UnaryOp.Relu, v => Math.Max(v, 0));
        Check(UnaryOp.Sign, v => Math.Sign(v));
        foreach (var (v, erf) in ErfValues)
        {
            double gelu = v * Math.Sqrt(2) * 0.5 * (1 + erf), got64 = UnaryScalar(kernels, UnaryOp.Gelu, v * Math.Sqrt(2));
            Assert.True(Math.Abs(got64 - gelu) <= 1e-15 * Math.Max(1, Math.Abs(gelu)), $"gelu({v * Math.Sqrt(2)}) = {got64:R}, expected {gelu:R}");

            double got = UnaryScalar(kernels, UnaryOp.Erf, v);
            Assert.True(Math.Abs(got - erf) <= 4e-16 * Math.Abs(erf), $"erf({v}) = {got:R}, expected {erf:R}");
            float single = (float)UnaryScalar(kernels, UnaryOp.Erf, (float)v, DType.Float32);
            Assert.True(Math.Abs(single - (float)erf) <= 1e-7 * Math.Abs(erf), $"erf((float){v}) = {single:R}");
        }
        Assert.True(double.IsNaN(UnaryScalar(kernels, UnaryOp.Relu, double.NaN)));
        Assert.Equal(0.0, UnaryScalar(kernels, UnaryOp.Sign, double.NaN));  // PyTorch 1.13's (x > 0) - (x < 0)
        Assert.True(double.IsNaN(UnaryScalar(kernels, UnaryOp.Erf, double.NaN)));
        Assert.Equal(1.0, UnaryScalar(kernels, UnaryOp.Erf, double.PositiveInfinity));
        Assert.Equal(-1.0, UnaryScalar(kernels, UnaryOp.Erf, double.NegativeInfinity));

        void Check(UnaryOp op, Func<double, double> reference, Func<double, double>? input = null)
        {
            foreach (double raw in x)
            {
                double v = input?.Invoke(raw) ?? raw, expected = reference(v);
                double got = UnaryScalar(kernels, op, v);
                Assert.True(got == expected || Math.Abs(got - expected) <= 1e-15 * Math.Max(1, Math.Abs(expected)), $"{op}({v}) = {got:R}, expected {expected:R}");
                float single = (float)UnaryScalar(kernels, op, (float)v, DType.Float32);
                Assert.True(single == expected || Math.Abs(single - expected) <= 3e-7 * Math.Max(1, Math.Abs(expected)), $"{op}((float){v}) = {single:R}, expected {expected:R}");
            }
        }
    }

    [Theory]
    [InlineData("Exp")]
    [InlineData("Log")]
    [InlineData("Sin")]
    [InlineData("Cos")]
    [InlineData("Sigmoid")]
    public void ManagedFloat32MathIsCorrectlyRounded(string name)
    {
        // What PyTorch prints to 4 digits depends on the last bit: the managed float32 functions
        // must give the correctly rounded result, here the double result rounded once.
        var op = Enum.Parse<UnaryOp>(name);
        var random = new System.Random(8);
        var x = Enumerable.Range(0, 3000).Select(_ => (float)(random.NextDouble() * 40 - 20)).ToArray();
        if (op == UnaryOp.Log) x = x.Select(Math.Abs).ToArray();
        var bytes = MemoryMarshal.AsBytes(x.AsSpan()).ToArray();
        var result = MemoryMarshal.Cast<byte, float>(RunUnary(Managed, op, DType.Float32, bytes, inPlace: false)).ToArray();
        for (int i = 0; i < x.Length; i++)
        {
            double v = x[i];
            float expected = op switch
            {
                UnaryOp.Exp => (float)Math.Exp(v), UnaryOp.Log => (float)Math.Log(v), UnaryOp.Sin => (float)Math.Sin(v),
                UnaryOp.Cos => (float)Math.Cos(v), _ => 1f / (1f + (float)Math.Exp(-v)),
            };
            Assert.True(expected.Equals(result[i]), $"{op}({x[i]:R}) = {result[i]:R}, expected {expected:R}");
        }
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Int64UnaryWrapsLikeCpp(BackendKind kind)
    {
        var kernels = Backend.KernelsFor(kind);
        long[] x = [long.MinValue, -7, -1, 0, 1, 9, long.MaxValue, -3, 4];
        var result = new long[x.Length];
        fixed (long* px = x, pr = result)
        {
            kernels.Unary(UnaryOp.Abs, DType.Int64, px, pr, x.Length);
            Assert.Equal([long.MinValue, 7, 1, 0, 1, 9, long.MaxValue, 3, 4], result);
            kernels.Unary(UnaryOp.Sign, DType.Int64, px, pr, x.Length);
            Assert.Equal([-1L, -1, -1, 0, 1, 1, 1, -1, 1], result);
            kernels.Unary(UnaryOp.Neg, DType.Int64, px, pr, x.Length);
            Assert.Equal([long.MinValue, 7, 1, 0, -1, -9, -long.MaxValue, 3, -4], result);
        }
    }

    // erf to double precision, from a 40-digit reference.
    private static readonly (double X, double Erf)[] ErfValues =
    [
        (1e-10, 1.1283791670955126e-10), (0.001, 0.0011283787909692365), (0.1, 0.1124629160182849),
        (0.5, 0.5204998778130465), (-0.75, -0.7111556336535151), (0.99, 0.8385080695553698),
        (1.0, 0.8427007929497149), (1.5, 0.9661051464753108), (-2.0, -0.9953222650189527),
        (2.5, 0.999593047982555), (3.0, 0.9999779095030014), (-4.0, -0.9999999845827421),
        (5.5, 0.9999999999999927), (5.9, 0.9999999999999999), (7.0, 1.0),
    ];

    private static byte[] RunUnary(IKernels kernels, UnaryOp op, DType dtype, byte[] x, bool inPlace)
    {
        byte[] result = inPlace ? (byte[])x.Clone() : new byte[x.Length];
        fixed (byte* px = x, pr = result)
            kernels.Unary(op, dtype, inPlace ? pr : px, pr, x.Length / dtype.SizeOf());
        return result;
    }

    private static double UnaryScalar(IKernels kernels, UnaryOp op, double v, DType dtype = DType.Float64)
    {
        var x = new byte[8];
        Write(dtype, x, 0, v);
        return Read(dtype, RunUnary(kernels, op, dtype, x[..dtype.SizeOf()], inPlace: false), 0);
    }
}
