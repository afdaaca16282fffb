using NativeGrad.Native;
using static NativeGrad.Native.NativeMethods;

namespace NativeGrad.Tests.Native;

/// <summary>Bad arguments across the ABI come back as a status and message, and as typed .NET exceptions.</summary>
public unsafe class AbiErrorTests
{
    public AbiErrorTests() => NativeLibraryLoader.EnsureLoaded();

    private static TException Fails<TException>(NgStatus status, NgStatus expected, params string[] messageParts)
        where TException : Exception
    {
        Assert.Equal(expected, status);
        var error = Assert.Throws<TException>(() => NativeStatus.ThrowIfFailed(status));
        Assert.Contains(NativeStatus.StatusName(expected), error.Message);
        foreach (var part in messageParts) Assert.Contains(part, error.Message);
        return error;
    }

    [Fact]
    public void NegativeAllocationIsAnOutOfRangeArgument()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => StorageHandle.Allocate(-5));
        Assert.Contains("bytes", error.Message);
        Assert.Contains("-5", error.Message);
    }

    [Theory]
    [InlineData(long.MaxValue)]
    [InlineData(long.MaxValue / 2)]
    [InlineData(1L << 56)]
    public void ImpossibleAllocationIsOutOfMemory(long bytes)
    {
        var error = Assert.Throws<OutOfMemoryException>(() => StorageHandle.Allocate(bytes));
        Assert.Contains("NG_STATUS_OUT_OF_MEMORY", error.Message);
    }

    [Fact]
    public void AllocationWithoutOutPointerIsANullArgument() =>
        Fails<ArgumentNullException>(ng_storage_alloc(16, null), NgStatus.NullPointer, "out_ptr");

    [Fact]
    public void FreeingNullIsANoOp() => ng_storage_free(null);

    [Fact]
    public void NegativeCacheLimitIsRejected() =>
        Fails<ArgumentOutOfRangeException>(ng_memory_set_cache_limit(-1), NgStatus.InvalidSize, "bytes");

    [Fact]
    public void StatsAndCpuFeaturesNeedAnOutPointer()
    {
        Fails<ArgumentNullException>(ng_memory_stats(null), NgStatus.NullPointer, "out");
        Fails<ArgumentNullException>(ng_cpu_features(null), NgStatus.NullPointer, "out");
    }

    [Fact]
    public void BinaryRejectsNullNegativeUnknownAndUnsupported()
    {
        float a = 1, b = 2, c;
        long[] shape = [1], strides = [1];
        fixed (long* s = shape, st = strides)
        {
            Fails<ArgumentNullException>(ng_binary(NgBinaryOp.Add, NgDtype.F32, 1, s, null, st, &b, st, &c), NgStatus.NullPointer, "a");
            Fails<ArgumentNullException>(ng_binary(NgBinaryOp.Add, NgDtype.F32, 1, s, &a, null, &b, st, &c), NgStatus.NullPointer, "a_strides");
            Fails<ArgumentException>(ng_binary(NgBinaryOp.Add, NgDtype.F32, 65, s, &a, st, &b, st, &c), NgStatus.InvalidArgument, "ndim");
            Fails<ArgumentException>(ng_binary((NgBinaryOp)99, NgDtype.F32, 1, s, &a, st, &b, st, &c), NgStatus.InvalidArgument, "99");
            Fails<ArgumentException>(ng_binary(NgBinaryOp.Add, (NgDtype)99, 1, s, &a, st, &b, st, &c), NgStatus.InvalidArgument, "99");
            Fails<NotSupportedException>(ng_binary(NgBinaryOp.Div, NgDtype.I64, 1, s, &a, st, &b, st, &c), NgStatus.UnsupportedDtype);
            long negative = -1;
            Fails<ArgumentOutOfRangeException>(ng_binary(NgBinaryOp.Add, NgDtype.F32, 1, &negative, &a, st, &b, st, &c), NgStatus.InvalidSize);
            Assert.Equal(NgStatus.Ok, ng_binary(NgBinaryOp.Add, NgDtype.F32, 0, null, &a, null, &b, null, &c));
            Assert.Equal(3f, c);
        }
    }

    [Fact]
    public void UnaryCopyWhereAndReduceRejectBadArguments()
    {
        double x = 1, y;
        long index;
        long[] shape = [1], strides = [1];
        fixed (long* s = shape, st = strides)
        {
            Fails<ArgumentOutOfRangeException>(ng_unary(NgUnaryOp.Exp, NgDtype.F64, &x, &y, -1), NgStatus.InvalidSize, "count");
            Fails<ArgumentException>(ng_unary((NgUnaryOp)99, NgDtype.F64, &x, &y, 1), NgStatus.InvalidArgument, "99");
            Fails<NotSupportedException>(ng_unary(NgUnaryOp.Exp, NgDtype.I64, &x, &y, 1), NgStatus.UnsupportedDtype);
            Fails<ArgumentNullException>(ng_unary(NgUnaryOp.Exp, NgDtype.F64, null, &y, 1), NgStatus.NullPointer, "x");
            Fails<ArgumentNullException>(ng_copy(1, s, NgDtype.F64, &x, st, NgDtype.F32, null, st), NgStatus.NullPointer, "dst");
            Fails<ArgumentException>(ng_copy(-1, s, NgDtype.F64, &x, st, NgDtype.F32, &y, st), NgStatus.InvalidArgument, "ndim");
            Fails<ArgumentNullException>(ng_where(NgDtype.F64, 1, s, null, st, &x, st, &x, st, &y), NgStatus.NullPointer, "cond");
            Fails<ArgumentException>(ng_reduce(NgReduceOp.Max, NgDtype.F64, &x, 1, 0, &y, &index), NgStatus.InvalidArgument, "length");
            Fails<ArgumentOutOfRangeException>(ng_reduce(NgReduceOp.Sum, NgDtype.F64, &x, -1, 1, &y, null), NgStatus.InvalidSize, "rows");
            Fails<NotSupportedException>(ng_reduce(NgReduceOp.Sum, NgDtype.Bool, &x, 1, 1, &y, null), NgStatus.UnsupportedDtype);
        }
    }

    [Fact]
    public void GemmRejectsBadFlagsSizesLeadingDimensionsAndNulls()
    {
        var a = new float[6];
        var b = new float[6];
        var c = new float[4];
        fixed (float* pa = a, pb = b, pc = c)
        {
            Fails<ArgumentException>(ng_gemm(NgDtype.F32, 2, 0, 2, 2, 3, 1, pa, 3, pb, 2, 0, pc, 2), NgStatus.InvalidArgument, "trans_a");
            Fails<ArgumentOutOfRangeException>(ng_gemm(NgDtype.F32, 0, 0, -2, 2, 3, 1, pa, 3, pb, 2, 0, pc, 2), NgStatus.InvalidSize, "m");
            Fails<ArgumentException>(ng_gemm(NgDtype.F32, 0, 0, 2, 2, 3, 1, pa, 2, pb, 2, 0, pc, 2), NgStatus.ShapeMismatch, "lda");
            Fails<ArgumentNullException>(ng_gemm(NgDtype.F32, 0, 0, 2, 2, 3, 1, null, 3, pb, 2, 0, pc, 2), NgStatus.NullPointer);
            Fails<NotSupportedException>(ng_gemm(NgDtype.Bool, 0, 0, 2, 2, 3, 1, pa, 3, pb, 2, 0, pc, 2), NgStatus.UnsupportedDtype);
        }
    }

    [Fact]
    public void EveryStatusHasANameAndAnExceptionType()
    {
        var expected = new Dictionary<NgStatus, Type>
        {
            [NgStatus.NullPointer] = typeof(ArgumentNullException),
            [NgStatus.InvalidArgument] = typeof(ArgumentException),
            [NgStatus.InvalidSize] = typeof(ArgumentOutOfRangeException),
            [NgStatus.ShapeMismatch] = typeof(ArgumentException),
            [NgStatus.UnsupportedDtype] = typeof(NotSupportedException),
            [NgStatus.OutOfMemory] = typeof(OutOfMemoryException),
            [NgStatus.Internal] = typeof(NativeGradInternalException),
        };
        Assert.Equal(Enum.GetValues<NgStatus>().Where(s => s != NgStatus.Ok).Order(), expected.Keys.Order());
        foreach (var (status, type) in expected)
        {
            Assert.StartsWith("NG_STATUS_", NativeStatus.StatusName(status));
            var error = Assert.ThrowsAny<Exception>(() => NativeStatus.ThrowIfFailed(status));
            Assert.IsType(type, error);
        }
        NativeStatus.ThrowIfFailed(NgStatus.Ok);
    }

    [Fact]
    public void VersionMismatchNamesBothVersions()
    {
        const int bindings = NG_VERSION_MAJOR * 10000 + NG_VERSION_MINOR * 100 + NG_VERSION_PATCH;
        var error = Assert.IsType<NativeVersionMismatchException>(NativeLibraryLoader.CheckVersion(bindings + 100));
        Assert.Contains(NativeLibraryLoader.BindingsVersion, error.Message);
        Assert.Contains($"{NG_VERSION_MAJOR}.{NG_VERSION_MINOR + 1}.{NG_VERSION_PATCH}", error.Message);
        Assert.Null(NativeLibraryLoader.CheckVersion(bindings + 1)); // a newer patch is compatible
        Assert.Equal(NativeLibraryLoader.BindingsVersion, NativeLibraryLoader.LibraryVersion);
    }

    [Fact]
    public void PackageAssembliesAndNativeLibraryShareOneVersion()
    {
        // Directory.Build.props <Version>, CMakeLists.txt project(... VERSION) and nativegrad.h's macros.
        var assembly = typeof(Tensor).Assembly.GetName().Version!;
        Assert.Equal(NativeLibraryLoader.BindingsVersion, $"{assembly.Major}.{assembly.Minor}.{assembly.Build}");
        var cmake = File.ReadAllText(Path.Combine(Support.RepoPaths.Root, "CMakeLists.txt"));
        Assert.Contains($"project(nativegrad VERSION {NativeLibraryLoader.BindingsVersion} ", cmake);
    }
}
