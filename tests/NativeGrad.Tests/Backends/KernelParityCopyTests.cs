using NativeGrad.Backends;

namespace NativeGrad.Tests.Backends;

/// <summary>
/// The Copy kernel between every pair of dtypes on both backends, and against C++ casts;
/// see <see cref="KernelParityTestBase"/>.
/// </summary>
public unsafe class KernelParityCopyTests : KernelParityTestBase
{
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
}
