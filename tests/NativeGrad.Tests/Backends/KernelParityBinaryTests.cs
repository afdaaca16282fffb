using System.Runtime.InteropServices;
using NativeGrad.Backends;

namespace NativeGrad.Tests.Backends;

/// <summary>
/// The Binary and Where kernels on both backends over broadcast and strided layouts, and against
/// hand-written loops; see <see cref="KernelParityTestBase"/>.
/// </summary>
public unsafe class KernelParityBinaryTests : KernelParityTestBase
{
    // ---- Binary ----

    public static TheoryData<string, DType> BinaryCases()
    {
        var data = new TheoryData<string, DType>();
        foreach (var op in Enum.GetValues<BinaryOp>())
            foreach (var dtype in Enum.GetValues<DType>())
                if (Supports(op, dtype))
                    data.Add(op.ToString(), dtype);
        return data;
    }

    // Comparisons take every dtype, bitwise ops int64 only, atan2 and hypot floats only.
    private static bool Supports(BinaryOp op, DType dtype) =>
        op.IsComparison() || dtype switch
        {
            DType.Float32 or DType.Float64 => !op.IsBitwise(),
            DType.Int64 => op is not (BinaryOp.Div or BinaryOp.Atan2 or BinaryOp.Hypot),
            _ => false,
        };

    [Theory]
    [MemberData(nameof(BinaryCases))]
    public void BinaryMatches(string name, DType dtype)
    {
        var op = Enum.Parse<BinaryOp>(name);
        var random = new System.Random(2000 + (int)op * 10 + (int)dtype);
        DType resultType = op.IsComparison() ? DType.Bool : dtype;
        // pow, and hypot (the managed float64 one is .NET's, not the C library's), may differ by an ulp.
        double tolerance = op is BinaryOp.Pow or BinaryOp.Hypot && dtype != DType.Int64 ? Tolerance(dtype) : 0;
        foreach (var (shape, la, lb) in BinaryLayouts())
        {
            byte[] a = Values(dtype, la.Size, random, 10, specials: op != BinaryOp.Pow || dtype != DType.Int64, forPow: op == BinaryOp.Pow);
            byte[] b = Values(dtype, lb.Size, random, 10, specials: op != BinaryOp.Pow || dtype != DType.Int64, forPow: op == BinaryOp.Pow, exponent: true);
            if (op.IsComparison()) CopySome(a, b, dtype, random); // equal pairs, so Eq and Le see true
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
            foreach (var op in Enum.GetValues<BinaryOp>().Where(op => !op.IsBitwise()))
            {
                double[] got = op.IsComparison()
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
                        BinaryOp.Le => p <= q ? 1 : 0, BinaryOp.Gt => p > q ? 1 : 0, BinaryOp.Ge => p >= q ? 1 : 0,
                        BinaryOp.Atan2 => Math.Atan2(p, q), BinaryOp.Hypot => double.Hypot(p, q), BinaryOp.Fmod => p % q,
                        BinaryOp.Remainder => p % q is var m && m != 0 && (q < 0) != (m < 0) ? m + q : p % q,
                        _ => throw new InvalidOperationException($"no hand-written loop for {op}"),
                    };
                    double actual = got[i++];
                    bool same = double.IsNaN(expected) ? double.IsNaN(actual)
                        : op is BinaryOp.Pow or BinaryOp.Hypot ? Math.Abs(actual - expected) <= 1e-15 * Math.Abs(expected) || actual == expected
                        : actual == expected;
                    Assert.True(same, $"{kind} {op}({p:R}, {q:R}) = {actual:R}, expected {expected:R} [{string.Join(",", shape)}]");
                }
            }
        }
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Int64PowSquaresAndTruncatesNegativeExponents(BackendKind kind)
    {
        var kernels = Backend.KernelsFor(kind);
        long[] x = [3, -2, 0, 0, 7, 2, 10], y = [4, 5, 0, 3, 1, 62, 19], result = new long[x.Length];
        long[] shape = [x.Length], strides = [1];
        fixed (long* px = x, py = y, pr = result)
            kernels.Binary(BinaryOp.Pow, DType.Int64, shape, px, strides, py, strides, pr);
        long wrapped = 1;
        for (int i = 0; i < 19; i++) wrapped = unchecked(wrapped * 10);
        Assert.Equal([81L, -32, 1, 0, 7, 1L << 62, wrapped], result);
        // torch.tensor([1, -1, -1, 2, 0, -3]) ** torch.tensor([-5, -5, -4, -1, -1, -2**63]) in PyTorch 1.13.
        long[] bases = [1, -1, -1, 2, 0, -3], exponents = [-5, -5, -4, -1, -1, long.MinValue], truncated = new long[bases.Length];
        fixed (long* pa = bases, pb = exponents, pr = truncated)
            kernels.Binary(BinaryOp.Pow, DType.Int64, [bases.Length], pa, strides, pb, strides, pr);
        Assert.Equal([1L, -1, 1, 0, 0, 0], truncated);
    }

    // ---- Where ----

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

    // ---- Layouts and runners ----

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

    // Copies some elements of a into b so that comparisons see equal pairs.
    private static void CopySome(byte[] a, byte[] b, DType dtype, System.Random random)
    {
        int size = dtype.SizeOf(), count = Math.Min(a.Length, b.Length) / size;
        for (int i = 0; i < count; i++)
            if (random.Next(3) == 0) a.AsSpan(i * size, size).CopyTo(b.AsSpan(i * size, size));
    }

    private static byte[] RunBinary(IKernels kernels, BinaryOp op, DType dtype, long[] shape, byte[] a, Layout la, byte[] b, Layout lb)
    {
        int size = dtype.SizeOf();
        long count = shape.Aggregate(1L, (p, n) => p * n);
        var result = new byte[count * (op.IsComparison() ? 1 : size)];
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
}
