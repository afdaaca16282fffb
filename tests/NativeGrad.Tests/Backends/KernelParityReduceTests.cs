using System.Runtime.InteropServices;
using NativeGrad.Backends;

namespace NativeGrad.Tests.Backends;

/// <summary>
/// The Reduce kernel on both backends, and against PyTorch's NaN, tie and zero rules;
/// see <see cref="KernelParityTestBase"/>.
/// </summary>
public unsafe class KernelParityReduceTests : KernelParityTestBase
{
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
}
