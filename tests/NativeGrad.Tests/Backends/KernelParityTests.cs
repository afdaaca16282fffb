using System.Runtime.InteropServices;
using NativeGrad.Backends;

namespace NativeGrad.Tests.Backends;

/// <summary>
/// Every kernel, for every dtype it supports, on both backends with the same inputs: random values
/// with negatives, zeros, NaN and infinities, lengths 0..40 and beyond a vector block, broadcasts,
/// transposed, stepped and reversed strides, 0-d and empty shapes. Results must agree exactly,
/// except for the math-library functions (relative 1e-6 for float32, 1e-14 for float64) and sums
/// (within rounding). The reference tests check a few values against System.Math and hand-written
/// loops, so that a bug both backends share is caught too.
/// </summary>
public unsafe class KernelParityTests
{
    private static IKernels Native => Backend.KernelsFor(BackendKind.Native);

    private static IKernels Managed => Backend.KernelsFor(BackendKind.Managed);

    public static TheoryData<BackendKind> Kinds => new() { BackendKind.Native, BackendKind.Managed };

    // ---- Unary ----

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
        // Math-library functions may differ by an ulp or so; the rest are exact in IEEE arithmetic.
        bool approximate = op is UnaryOp.Exp or UnaryOp.Log or UnaryOp.Sigmoid or UnaryOp.Tanh or UnaryOp.Sin
            or UnaryOp.Cos or UnaryOp.Erf or UnaryOp.Gelu;
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
        Assert.True(double.IsNaN(UnaryScalar(kernels, UnaryOp.Sign, double.NaN)));
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

    // ---- Binary ----

    public static TheoryData<string, DType> BinaryCases()
    {
        var data = new TheoryData<string, DType>();
        foreach (var op in Enum.GetValues<BinaryOp>())
            foreach (var dtype in Enum.GetValues<DType>())
                if (op >= BinaryOp.Eq || dtype is DType.Float32 or DType.Float64 || (dtype == DType.Int64 && op != BinaryOp.Div))
                    data.Add(op.ToString(), dtype);
        return data;
    }

    [Theory]
    [MemberData(nameof(BinaryCases))]
    public void BinaryMatches(string name, DType dtype)
    {
        var op = Enum.Parse<BinaryOp>(name);
        var random = new System.Random(2000 + (int)op * 10 + (int)dtype);
        DType resultType = op >= BinaryOp.Eq ? DType.Bool : dtype;
        double tolerance = op == BinaryOp.Pow && dtype != DType.Int64 ? Tolerance(dtype) : 0;
        foreach (var (shape, la, lb) in BinaryLayouts())
        {
            byte[] a = Values(dtype, la.Size, random, 10, specials: op != BinaryOp.Pow || dtype != DType.Int64, forPow: op == BinaryOp.Pow);
            byte[] b = Values(dtype, lb.Size, random, 10, specials: op != BinaryOp.Pow || dtype != DType.Int64, forPow: op == BinaryOp.Pow, exponent: true);
            if (op >= BinaryOp.Eq) CopySome(a, b, dtype, random); // equal pairs, so Eq and Le see true
            byte[] expected = RunBinary(Native, op, dtype, shape, a, la, b, lb);
            byte[] actual = RunBinary(Managed, op, dtype, shape, a, la, b, lb);
            // ±0 order (which zero maximum(+0, -0) returns) is not part of the contract.
            AssertSame(resultType, expected, actual, tolerance, $"{op} {dtype} [{string.Join(",", shape)}]",
                       zerosEqual: op is BinaryOp.Maximum or BinaryOp.Minimum);
        }
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void BinaryMatchesHandWrittenLoops(BackendKind kind)
    {
        var kernels = Backend.KernelsFor(kind);
        var random = new System.Random(3);
        foreach (var (shape, la, lb) in BinaryLayouts())
        {
            byte[] a = Values(DType.Float64, la.Size, random, 10, specials: true);
            byte[] b = Values(DType.Float64, lb.Size, random, 10, specials: true);
            foreach (var op in Enum.GetValues<BinaryOp>())
            {
                double[] got = op >= BinaryOp.Eq
                    ? RunBinary(kernels, op, DType.Float64, shape, a, la, b, lb).Select(v => (double)v).ToArray()
                    : MemoryMarshal.Cast<byte, double>(RunBinary(kernels, op, DType.Float64, shape, a, la, b, lb)).ToArray();
                var x = MemoryMarshal.Cast<byte, double>(a);
                var y = MemoryMarshal.Cast<byte, double>(b);
                long i = 0;
                foreach (var index in Indices(shape))
                {
                    double p = x[(int)la.At(index)], q = y[(int)lb.At(index)];
                    double expected = op switch
                    {
                        BinaryOp.Add => p + q, BinaryOp.Mul => p * q, BinaryOp.Sub => p - q, BinaryOp.Div => p / q,
                        BinaryOp.Pow => Math.Pow(p, q), BinaryOp.Maximum => Math.Max(p, q), BinaryOp.Minimum => Math.Min(p, q),
                        BinaryOp.Eq => p == q ? 1 : 0, BinaryOp.Ne => p != q ? 1 : 0, BinaryOp.Lt => p < q ? 1 : 0,
                        BinaryOp.Le => p <= q ? 1 : 0, BinaryOp.Gt => p > q ? 1 : 0, _ => p >= q ? 1 : 0,
                    };
                    double actual = got[i++];
                    bool same = double.IsNaN(expected) ? double.IsNaN(actual)
                        : op == BinaryOp.Pow ? Math.Abs(actual - expected) <= 1e-15 * Math.Abs(expected) || actual == expected
                        : actual == expected;
                    Assert.True(same, $"{kind} {op}({p:R}, {q:R}) = {actual:R}, expected {expected:R} [{string.Join(",", shape)}]");
                }
            }
        }
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Int64PowSquaresAndRejectsNegativeExponents(BackendKind kind)
    {
        var kernels = Backend.KernelsFor(kind);
        long[] x = [3, -2, 0, 0, 7, 2, 10], y = [4, 5, 0, 3, 1, 62, 19], result = new long[x.Length];
        long[] shape = [x.Length], strides = [1];
        fixed (long* px = x, py = y, pr = result)
            kernels.Binary(BinaryOp.Pow, DType.Int64, shape, px, strides, py, strides, pr);
        long wrapped = 1;
        for (int i = 0; i < 19; i++) wrapped = unchecked(wrapped * 10);
        Assert.Equal([81L, -32, 1, 0, 7, 1L << 62, wrapped], result);
        y[3] = -1;
        Assert.Throws<ArgumentException>(() =>
        {
            fixed (long* px = x, py = y, pr = result)
                kernels.Binary(BinaryOp.Pow, DType.Int64, shape, px, strides, py, strides, pr);
        });
    }

    // ---- Where and Copy ----

    public static TheoryData<DType> AllTypes() => new() { DType.Float32, DType.Float64, DType.Int64, DType.Bool };

    [Theory]
    [MemberData(nameof(AllTypes))]
    public void WhereMatches(DType dtype)
    {
        var random = new System.Random(4000 + (int)dtype);
        foreach (var (shape, la, lb) in BinaryLayouts())
        {
            foreach (var lc in new[] { la, lb, Layout.Contiguous(shape) })
            {
                byte[] condition = Values(DType.Bool, lc.Size, random, 1, specials: false);
                byte[] a = Values(dtype, la.Size, random, 10, specials: true);
                byte[] b = Values(dtype, lb.Size, random, 10, specials: true);
                byte[] expected = RunWhere(Native, dtype, shape, condition, lc, a, la, b, lb);
                byte[] actual = RunWhere(Managed, dtype, shape, condition, lc, a, la, b, lb);
                AssertSame(dtype, expected, actual, 0, $"where {dtype} [{string.Join(",", shape)}]");
                // Against the definition: the bits of a where the condition is set, else of b.
                int size = dtype.SizeOf();
                long i = 0;
                foreach (var index in Indices(shape))
                {
                    bool pick = condition[lc.At(index)] != 0;
                    long source = (pick ? la : lb).At(index) * size;
                    Assert.True((pick ? a : b).AsSpan((int)source, size).SequenceEqual(actual.AsSpan((int)(i++ * size), size)));
                }
            }
        }
    }

    public static TheoryData<DType, DType> CopyCases()
    {
        var data = new TheoryData<DType, DType>();
        foreach (var from in Enum.GetValues<DType>())
            foreach (var to in Enum.GetValues<DType>())
                data.Add(from, to);
        return data;
    }

    [Theory]
    [MemberData(nameof(CopyCases))]
    public void CopyMatches(DType from, DType to)
    {
        var random = new System.Random(5000 + (int)from * 10 + (int)to);
        foreach (var (shape, source, destination) in CopyLayouts())
        {
            // Wide enough that some float values are out of int64's range (then both give INT64_MIN, as x86 does).
            byte[] x = Values(from, source.Size, random, from.IsFloatingPoint() && to == DType.Int64 ? 2e19 : 1e6, specials: true);
            byte[] initial = Values(to, destination.Size, random, 10, specials: false);
            byte[] expected = RunCopy(Native, shape, from, x, source, to, initial, destination);
            byte[] actual = RunCopy(Managed, shape, from, x, source, to, initial, destination);
            AssertSame(to, expected, actual, 0, $"copy {from}->{to} [{string.Join(",", shape)}]");
        }
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void CopyConvertsLikeCppCasts(BackendKind kind)
    {
        var kernels = Backend.KernelsFor(kind);
        double[] x = [-2.7, -0.0, 0.0, 0.4, 2.5, double.NaN, 1e300, -1e-300];
        Assert.Equal([-2L, 0, 0, 0, 2], Convert<double, long>(kernels, x[..5], DType.Float64, DType.Int64));
        Assert.Equal([1, 0, 0, 1, 1, 1, 1, 1], Convert<double, byte>(kernels, x, DType.Float64, DType.Bool));
        Assert.Equal([1, 0, 0, 1, 1, 1, 1, 0], Convert<double, float>(kernels, x, DType.Float64, DType.Float32)
            .Select(v => v != 0 ? (byte)1 : (byte)0).ToArray());
        // int64 -> float32 rounds once, to nearest (not through double).
        long[] big = [(1L << 53) + 1, (1L << 60) + (1L << 36) + 1, long.MaxValue, long.MinValue, -((1L << 40) + 3), 16777217];
        Assert.Equal(big.Select(v => (float)v), Convert<long, float>(kernels, big, DType.Int64, DType.Float32));
        Assert.Equal(big.Select(v => (double)v), Convert<long, double>(kernels, big, DType.Int64, DType.Float64));
        Assert.Equal([1L, 0, 1], Convert<byte, long>(kernels, [1, 0, 1], DType.Bool, DType.Int64));
        Assert.Equal([1f, 0, 1], Convert<byte, float>(kernels, [2, 0, 255], DType.Bool, DType.Float32)); // bool to anything is 0 or 1
        Assert.Equal(new byte[] { 1, 0, 1, 1 }, Convert<long, byte>(kernels, [5, 0, -1, long.MinValue], DType.Int64, DType.Bool));
    }

    // ---- Reduce ----

    public static TheoryData<string, DType> ReduceCases()
    {
        var data = new TheoryData<string, DType>();
        foreach (var op in Enum.GetValues<ReduceOp>())
            foreach (var dtype in new[] { DType.Float32, DType.Float64, DType.Int64 })
                data.Add(op.ToString(), dtype);
        return data;
    }

    [Theory]
    [MemberData(nameof(ReduceCases))]
    public void ReduceMatches(string name, DType dtype)
    {
        var op = Enum.Parse<ReduceOp>(name);
        var random = new System.Random(6000 + (int)op * 10 + (int)dtype);
        int minimum = op == ReduceOp.Sum ? 0 : 1;
        foreach (int length in Lengths().Where(n => n >= minimum))
        {
            foreach (int rows in new[] { 0, 1, 3 })
            {
                // Small integers make ties, so "first extreme" is exercised.
                byte[] x = random.Next(2) == 0 ? Values(dtype, rows * length, random, 1e3, specials: random.Next(3) == 0)
                                               : Values(dtype, rows * length, random, 3, specials: random.Next(3) == 0, integers: true);
                var (expected, expectedIndices) = RunReduce(Native, op, dtype, x, rows, length);
                var (actual, actualIndices) = RunReduce(Managed, op, dtype, x, rows, length);
                string context = $"{op} {dtype} {rows}x{length}";
                Assert.Equal(expectedIndices, actualIndices);
                if (op != ReduceOp.Sum)
                {
                    AssertSame(dtype, expected, actual, 0, context);
                    // Without indices the values are the same (down to the sign of a zero).
                    AssertSame(dtype, actual, RunReduce(Managed, op, dtype, x, rows, length, withIndices: false).Values, 0, context);
                    continue;
                }
                for (int r = 0; r < rows; r++)
                {
                    double magnitude = Enumerable.Range(r * length, length).Sum(i => Math.Abs(Read(dtype, x, i)));
                    double e = Read(dtype, expected, r), a = Read(dtype, actual, r);
                    double slack = dtype == DType.Float32 ? 2e-7 * Math.Max(Math.Abs(e), magnitude * 1e-7) + 1e-12 * magnitude
                                                           : 1e-15 * magnitude;
                    Assert.True(e == a || (double.IsNaN(e) && double.IsNaN(a)) || Math.Abs(e - a) <= slack, $"{context}: {e:R} vs {a:R}");
                }
            }
        }
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void ReduceFollowsPyTorch(BackendKind kind)
    {
        var kernels = Backend.KernelsFor(kind);
        double nan = double.NaN;
        double[] x = [1, 5, 5, -2, /**/ 3, nan, 7, nan, /**/ -0.0, 0.0, -1, 0.0, /**/ 1e308, 1e308, -4, 2];
        var (values, indices) = RunReduce(kernels, ReduceOp.Max, DType.Float64, MemoryMarshal.AsBytes(x.AsSpan()).ToArray(), 4, 4);
        var max = MemoryMarshal.Cast<byte, double>(values).ToArray();
        Assert.Equal([1L, 1, 0, 0], indices);
        Assert.Equal(5.0, max[0]);
        Assert.True(double.IsNaN(max[1]));
        Assert.True(max[2] == 0 && double.IsNegative(max[2]), "max of [-0, 0, ...] is the first zero");
        (values, indices) = RunReduce(kernels, ReduceOp.Min, DType.Float64, MemoryMarshal.AsBytes(x.AsSpan()).ToArray(), 4, 4);
        Assert.Equal([3L, 1, 2, 2], indices);
        (values, _) = RunReduce(kernels, ReduceOp.Sum, DType.Float64, MemoryMarshal.AsBytes(x.AsSpan()).ToArray(), 4, 4);
        Assert.Equal(9.0, MemoryMarshal.Cast<byte, double>(values)[0]);
        Assert.Equal(double.PositiveInfinity, MemoryMarshal.Cast<byte, double>(values)[3]);
        // float32 sums accumulate in double: 2^24 + 1 + 1 + ... is exact there.
        float[] f = [16777216f, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1];
        (values, _) = RunReduce(kernels, ReduceOp.Sum, DType.Float32, MemoryMarshal.AsBytes(f.AsSpan()).ToArray(), 1, f.Length);
        Assert.Equal(16777235f, MemoryMarshal.Cast<byte, float>(values)[0]);
        Assert.Throws<ArgumentException>(() => RunReduce(kernels, ReduceOp.Max, DType.Float32, new byte[4], 1, 0));
    }

    // ---- Gemm and unsupported combinations ----

    [Theory]
    [InlineData(DType.Float32, false, false)]
    [InlineData(DType.Float32, true, true)]
    [InlineData(DType.Float64, true, false)]
    [InlineData(DType.Float64, false, true)]
    public void GemmMatches(DType dtype, bool transA, bool transB)
    {
        var random = new System.Random(7);
        foreach (var (m, n, k) in new[] { (0, 3, 2), (1, 1, 1), (3, 5, 0), (7, 33, 9), (17, 18, 19), (2, 70, 3), (70, 41, 520), (5, 1100, 300) })
        {
            foreach (double beta in new[] { 0.0, 0.5 })
            {
                long lda = (transA ? m : k) + 2, ldb = (transB ? k : n) + 1, ldc = n + 3;
                byte[] a = Values(dtype, (int)((transA ? k : m) * lda), random, 2, specials: false);
                byte[] b = Values(dtype, (int)((transB ? n : k) * ldb), random, 2, specials: false);
                byte[] c = Values(dtype, (int)(m * ldc), random, 2, specials: false);
                if (beta == 0 && c.Length > 0) Write(dtype, c, 0, double.NaN); // beta == 0 must not read C
                byte[] expected = RunGemm(Native, dtype, transA, transB, m, n, k, a, lda, b, ldb, beta, c, ldc);
                byte[] actual = RunGemm(Managed, dtype, transA, transB, m, n, k, a, lda, b, ldb, beta, c, ldc);
                double slack = (dtype == DType.Float32 ? 1e-6 : 1e-14) * 4 * (k + 2);
                for (int i = 0; i < m * ldc; i++)
                {
                    // Against native, and against the definition (summed in double) where C is defined.
                    double e = Read(dtype, expected, i), g = Read(dtype, actual, i), reference = Read(dtype, c, i);
                    if (i % ldc < n)
                    {
                        long row = i / ldc, column = i % ldc;
                        double sum = 0;
                        for (long p = 0; p < k; p++)
                            sum += Read(dtype, a, (int)(transA ? p * lda + row : row * lda + p)) * Read(dtype, b, (int)(transB ? column * ldb + p : p * ldb + column));
                        reference = 1.5 * sum + (beta == 0 ? 0 : beta * reference);
                    }
                    Assert.True(e == g || Math.Abs(e - g) <= slack, $"gemm {dtype} {m}x{n}x{k} [{i}]: {e:R} vs {g:R}");
                    Assert.True(Math.Abs(reference - g) <= slack, $"gemm {dtype} {m}x{n}x{k} [{i}]: {g:R}, expected {reference:R}");
                }
            }
        }
    }

    public static TheoryData<BackendKind, string> UnsupportedCases()
    {
        var data = new TheoryData<BackendKind, string>();
        foreach (var kind in new[] { BackendKind.Native, BackendKind.Managed })
            foreach (var name in new[] { "exp int64", "neg bool", "div int64", "add bool", "sum bool", "gemm int64" })
                data.Add(kind, name);
        return data;
    }

    [Theory]
    [MemberData(nameof(UnsupportedCases))]
    public void UnsupportedCombinationsThrow(BackendKind kind, string name)
    {
        var kernels = Backend.KernelsFor(kind);
        var buffer = new byte[64];
        long[] shape = [2], strides = [1];
        var error = Assert.Throws<NotSupportedException>(() =>
        {
            fixed (byte* p = buffer)
            {
                switch (name)
                {
                    case "exp int64": kernels.Unary(UnaryOp.Exp, DType.Int64, p, p, 2); break;
                    case "neg bool": kernels.Unary(UnaryOp.Neg, DType.Bool, p, p, 2); break;
                    case "div int64": kernels.Binary(BinaryOp.Div, DType.Int64, shape, p, strides, p, strides, p + 32); break;
                    case "add bool": kernels.Binary(BinaryOp.Add, DType.Bool, shape, p, strides, p, strides, p + 32); break;
                    case "sum bool": kernels.Reduce(ReduceOp.Sum, DType.Bool, p, 1, 2, p + 32, null); break;
                    default: kernels.Gemm(DType.Int64, false, false, 1, 1, 1, 1, p, 1, p + 8, 1, 0, p + 16, 1); break;
                }
            }
        });
        if (kind == BackendKind.Managed)
        {
            string[] parts = name.Split(' ');
            Assert.Contains(parts[0], error.Message, StringComparison.OrdinalIgnoreCase);
            Assert.Contains(parts[1], error.Message, StringComparison.OrdinalIgnoreCase);
        }
    }

    // ---- Data, layouts and runners ----

    // erf to double precision, from a 40-digit reference.
    private static readonly (double X, double Erf)[] ErfValues =
    [
        (1e-10, 1.1283791670955126e-10), (0.001, 0.0011283787909692365), (0.1, 0.1124629160182849),
        (0.5, 0.5204998778130465), (-0.75, -0.7111556336535151), (0.99, 0.8385080695553698),
        (1.0, 0.8427007929497149), (1.5, 0.9661051464753108), (-2.0, -0.9953222650189527),
        (2.5, 0.999593047982555), (3.0, 0.9999779095030014), (-4.0, -0.9999999845827421),
        (5.5, 0.9999999999999927), (5.9, 0.9999999999999999), (7.0, 1.0),
    ];

    private static double Tolerance(DType dtype) => dtype == DType.Float32 ? 1e-6 : 1e-14;

    // 0..40 element by element, then around the 256-element blocks and a long odd run.
    private static IEnumerable<int> Lengths() => Enumerable.Range(0, 41).Concat([255, 256, 257, 1031]);

    /// <summary>Where an operand's elements are: element index -> offset + sum(index[d] * stride[d]); Size is the buffer length.</summary>
    private sealed record Layout(long[] Strides, long Offset, int Size)
    {
        public long At(long[] index)
        {
            long position = Offset;
            for (int d = 0; d < index.Length; d++) position += index[d] * Strides[d];
            return position;
        }

        public static Layout Contiguous(long[] shape)
        {
            var strides = new long[shape.Length];
            long size = 1;
            for (int d = shape.Length - 1; d >= 0; d--)
            {
                strides[d] = size;
                size *= shape[d];
            }
            return new Layout(strides, 0, (int)size);
        }
    }

    // (shape, layout of a, layout of b): broadcasting, transposes, steps, reversal, 0-d, empty.
    private static IEnumerable<(long[] Shape, Layout A, Layout B)> BinaryLayouts()
    {
        foreach (int n in Lengths())
            yield return ([n], Layout.Contiguous([n]), Layout.Contiguous([n]));
        yield return ([], Layout.Contiguous([]), Layout.Contiguous([]));
        yield return ([37], Layout.Contiguous([37]), new Layout([0], 0, 1));
        yield return ([37], new Layout([0], 0, 1), Layout.Contiguous([37]));
        yield return ([3, 4], new Layout([1, 0], 0, 3), new Layout([0, 1], 0, 4));
        yield return ([2, 3, 5], Layout.Contiguous([2, 3, 5]), new Layout([0, 0, 1], 0, 5));
        yield return ([5, 33], Layout.Contiguous([5, 33]), new Layout([1, 0], 0, 5));
        yield return ([5, 33], new Layout([0, 0], 0, 1), new Layout([0, 1], 0, 33));
        yield return ([4, 6], new Layout([1, 4], 0, 24), Layout.Contiguous([4, 6]));
        yield return ([6, 4, 3], new Layout([1, 6, 24], 0, 72), new Layout([3, 0, 1], 0, 18));
        yield return ([7], new Layout([2], 0, 13), Layout.Contiguous([7]));
        yield return ([9], new Layout([-1], 8, 9), new Layout([3], 1, 26));
        yield return ([2, 1, 3, 1], Layout.Contiguous([2, 1, 3, 1]), new Layout([3, 7, 1, 9], 0, 6));
        yield return ([3, 0], Layout.Contiguous([3, 0]), Layout.Contiguous([3, 0]));
        // Long rows with a broadcast operand, and a transposed operand whose rows are walked in tiles.
        yield return ([600], Layout.Contiguous([600]), new Layout([0], 0, 1));
        yield return ([600], new Layout([0], 0, 1), Layout.Contiguous([600]));
        yield return ([20, 130], new Layout([1, 20], 0, 2600), Layout.Contiguous([20, 130]));
    }

    // (shape, source layout, destination layout): contiguous(), fills, writes into views.
    private static IEnumerable<(long[] Shape, Layout Source, Layout Destination)> CopyLayouts()
    {
        foreach (int n in Lengths())
            yield return ([n], Layout.Contiguous([n]), Layout.Contiguous([n]));
        yield return ([], Layout.Contiguous([]), Layout.Contiguous([]));
        yield return ([4, 6], new Layout([1, 4], 0, 24), Layout.Contiguous([4, 6]));
        yield return ([3, 40], new Layout([0, 0], 0, 1), Layout.Contiguous([3, 40]));
        yield return ([3, 40], new Layout([1, 0], 0, 3), Layout.Contiguous([3, 40]));
        yield return ([5, 3], Layout.Contiguous([5, 3]), new Layout([8, 2], 1, 40));
        yield return ([9], new Layout([-2], 17, 18), new Layout([-1], 8, 9));
        yield return ([2, 3, 4], new Layout([1, 2, 6], 0, 24), new Layout([12, 1, 3], 0, 24));
        yield return ([0, 5], Layout.Contiguous([0, 5]), Layout.Contiguous([0, 5]));
        yield return ([70, 100], new Layout([1, 70], 0, 7000), Layout.Contiguous([70, 100]));
    }

    private static IEnumerable<long[]> Indices(long[] shape)
    {
        if (shape.Any(size => size == 0)) yield break;
        var index = new long[shape.Length];
        while (true)
        {
            yield return (long[])index.Clone();
            int d = shape.Length - 1;
            for (; d >= 0; d--)
            {
                if (++index[d] < shape[d]) break;
                index[d] = 0;
            }
            if (d < 0) yield break;
        }
    }

    /// <summary>Random elements of <paramref name="dtype"/>: uniform in ±range, with zeros (both signs), NaN and infinities when asked.</summary>
    private static byte[] Values(DType dtype, int count, System.Random random, double range, bool specials,
                                 bool forPow = false, bool exponent = false, bool integers = false)
    {
        var bytes = new byte[count * dtype.SizeOf()];
        for (int i = 0; i < count; i++)
        {
            double v = random.NextDouble() * 2 * range - range;
            if (integers || random.Next(5) == 0) v = Math.Round(v);
            if (forPow) v = dtype == DType.Int64 ? random.Next(exponent ? 0 : -5, exponent ? 14 : 6) : random.NextDouble() * 6 - 3;
            if (specials)
            {
                int roll = random.Next(24);
                if (roll == 0) v = double.NaN;
                else if (roll == 1) v = double.PositiveInfinity;
                else if (roll == 2) v = double.NegativeInfinity;
                else if (roll == 3) v = -0.0;
                else if (roll == 4) v = 0;
            }
            switch (dtype)
            {
                case DType.Int64:
                    long integer = double.IsFinite(v) ? (long)v : v > 0 ? long.MaxValue : long.MinValue;
                    MemoryMarshal.Write(bytes.AsSpan(i * 8), in integer);
                    break;
                case DType.Bool:
                    bytes[i] = (byte)random.Next(2);
                    break;
                default:
                    Write(dtype, bytes, i, v);
                    break;
            }
        }
        return bytes;
    }

    // Copies some elements of a into b so that comparisons see equal pairs.
    private static void CopySome(byte[] a, byte[] b, DType dtype, System.Random random)
    {
        int size = dtype.SizeOf(), count = Math.Min(a.Length, b.Length) / size;
        for (int i = 0; i < count; i++)
            if (random.Next(3) == 0) a.AsSpan(i * size, size).CopyTo(b.AsSpan(i * size, size));
    }

    private static double Read(DType dtype, byte[] bytes, int i) => dtype switch
    {
        DType.Float32 => MemoryMarshal.Read<float>(bytes.AsSpan(i * 4)),
        DType.Float64 => MemoryMarshal.Read<double>(bytes.AsSpan(i * 8)),
        DType.Int64 => MemoryMarshal.Read<long>(bytes.AsSpan(i * 8)),
        _ => bytes[i],
    };

    private static void Write(DType dtype, byte[] bytes, int i, double value)
    {
        if (dtype == DType.Float32)
        {
            float single = (float)value;
            MemoryMarshal.Write(bytes.AsSpan(i * 4), in single);
        }
        else MemoryMarshal.Write(bytes.AsSpan(i * 8), in value);
    }

    /// <summary>
    /// Element by element: bit-identical (any NaN matches any NaN), or within a relative
    /// <paramref name="tolerance"/> with an absolute floor of the same size.
    /// </summary>
    private static void AssertSame(DType dtype, byte[] expected, byte[] actual, double tolerance, string context, bool zerosEqual = false)
    {
        Assert.Equal(expected.Length, actual.Length);
        int size = dtype.SizeOf();
        for (int i = 0; i < expected.Length / size; i++)
        {
            if (expected.AsSpan(i * size, size).SequenceEqual(actual.AsSpan(i * size, size))) continue;
            double e = Read(dtype, expected, i), a = Read(dtype, actual, i);
            bool same = (double.IsNaN(e) && double.IsNaN(a) && dtype.IsFloatingPoint())
                || (zerosEqual && e == 0 && a == 0)
                || (tolerance > 0 && Math.Abs(e - a) <= tolerance * Math.Max(1, Math.Max(Math.Abs(e), Math.Abs(a))));
            Assert.True(same, $"{context}: element {i} is {a:R} (managed) but {e:R} (native)");
        }
    }

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

    private static byte[] RunBinary(IKernels kernels, BinaryOp op, DType dtype, long[] shape, byte[] a, Layout la, byte[] b, Layout lb)
    {
        int size = dtype.SizeOf();
        long count = shape.Aggregate(1L, (p, n) => p * n);
        var result = new byte[count * (op >= BinaryOp.Eq ? 1 : size)];
        fixed (byte* pa = a, pb = b, pr = result)
            kernels.Binary(op, dtype, shape, pa + la.Offset * size, la.Strides, pb + lb.Offset * size, lb.Strides, pr);
        return result;
    }

    private static byte[] RunWhere(IKernels kernels, DType dtype, long[] shape, byte[] c, Layout lc, byte[] a, Layout la, byte[] b, Layout lb)
    {
        int size = dtype.SizeOf();
        var result = new byte[shape.Aggregate(1L, (p, n) => p * n) * size];
        fixed (byte* pc = c, pa = a, pb = b, pr = result)
            kernels.Where(dtype, shape, pc + lc.Offset, lc.Strides, pa + la.Offset * size, la.Strides, pb + lb.Offset * size, lb.Strides, pr);
        return result;
    }

    private static byte[] RunCopy(IKernels kernels, long[] shape, DType from, byte[] x, Layout source, DType to, byte[] initial, Layout destination)
    {
        byte[] result = (byte[])initial.Clone();
        fixed (byte* px = x, pr = result)
            kernels.Copy(shape, from, px + source.Offset * from.SizeOf(), source.Strides, to, pr + destination.Offset * to.SizeOf(), destination.Strides);
        return result;
    }

    private static TTo[] Convert<TFrom, TTo>(IKernels kernels, TFrom[] x, DType from, DType to) where TFrom : unmanaged where TTo : unmanaged
    {
        var result = new TTo[x.Length];
        long[] shape = [x.Length], strides = [1];
        fixed (TFrom* px = x)
        fixed (TTo* pr = result)
            kernels.Copy(shape, from, px, strides, to, pr, strides);
        return result;
    }

    private static (byte[] Values, long[] Indices) RunReduce(IKernels kernels, ReduceOp op, DType dtype, byte[] x, int rows, int length,
                                                            bool withIndices = true)
    {
        withIndices &= op != ReduceOp.Sum;
        var values = new byte[rows * dtype.SizeOf()];
        var indices = new long[withIndices ? rows : 0];
        fixed (byte* px = x, pv = values)
        fixed (long* pi = indices)
            kernels.Reduce(op, dtype, px, rows, length, pv, withIndices ? pi : null);
        return (values, indices);
    }

    private static byte[] RunGemm(IKernels kernels, DType dtype, bool transA, bool transB, long m, long n, long k,
                                  byte[] a, long lda, byte[] b, long ldb, double beta, byte[] c, long ldc)
    {
        byte[] result = (byte[])c.Clone();
        fixed (byte* pa = a, pb = b, pc = result)
            kernels.Gemm(dtype, transA, transB, m, n, k, 1.5, pa, lda, pb, ldb, beta, pc, ldc);
        return result;
    }
}
