using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace NativeGrad.Benchmarks;

/// <summary>
/// The measured single-core FMA peak of this machine, 256- and 512-bit, which the GEMM rows are
/// reported against. Measured in the host process before the benchmarks start (the columns are
/// computed there): a loop of independent fused multiply-adds, the best of many short rounds of
/// the two widths in turn. Rounds are timed in the thread's CPU time where the OS has it (Linux),
/// so time spent descheduled on a shared machine does not count against the core's peak. Twelve accumulators cover the FMA latency times the FMA ports of
/// current x86 cores (4 cycles x 2 ports), so the loop is bound by throughput, not by latency.
/// </summary>
public static class FmaPeak
{
    private const int MinimumRounds = 30;
    private static readonly TimeSpan MinimumTime = TimeSpan.FromSeconds(2);
    private const long Iterations = 5_000_000;  // about 10 ms a round at 256 bits
    private const int Accumulators = 12;

    /// <summary>GFLOP/s of one core with 256-bit FMA, or null without FMA.</summary>
    public static double? Gflops256 { get; private set; }

    /// <summary>GFLOP/s of one core with 512-bit FMA, or null without AVX-512F.</summary>
    public static double? Gflops512 { get; private set; }

    public static void Measure()
    {
        if (Fma.IsSupported) Loop256(1000);
        if (Avx512F.IsSupported) Loop512(1000);
        var clock = Stopwatch.StartNew();
        for (int round = 0; round < MinimumRounds || clock.Elapsed < MinimumTime; round++)
        {
            if (Fma.IsSupported) Gflops256 = Math.Max(Gflops256 ?? 0, Round(Loop256, Vector256<float>.Count));
            if (Avx512F.IsSupported) Gflops512 = Math.Max(Gflops512 ?? 0, Round(Loop512, Vector512<float>.Count));
        }
    }

    public static string Describe() =>
        $"FMA peak, one core: 256-bit {Format(Gflops256)}, 512-bit {Format(Gflops512)}";

    private static string Format(double? gflops) => gflops is { } value ? $"{value:F1} GFLOP/s" : "not supported";

    private static double Round(Func<long, float> loop, int lanes)
    {
        double start = ThreadSeconds();
        float sink = loop(Iterations);
        double seconds = ThreadSeconds() - start;
        GC.KeepAlive(sink);
        return 2.0 * lanes * Accumulators * Iterations / seconds / 1e9;
    }

    private const int ThreadCpuClock = 3;  // CLOCK_THREAD_CPUTIME_ID

    private static unsafe double ThreadSeconds()
    {
        if (OperatingSystem.IsLinux())
        {
            long* time = stackalloc long[2];  // struct timespec: seconds, nanoseconds
            if (clock_gettime(ThreadCpuClock, time) == 0) return time[0] + time[1] * 1e-9;
        }
        return Stopwatch.GetTimestamp() / (double)Stopwatch.Frequency;
    }

    [DllImport("libc", EntryPoint = "clock_gettime")]
    private static extern unsafe int clock_gettime(int clock, long* time);

    // The factors stay near 1 so the accumulators neither overflow nor go denormal.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static float Loop256(long iterations)
    {
        var x = Vector256.Create(0.999999f);
        var y = Vector256.Create(1e-7f);
        Vector256<float> a0 = Vector256<float>.One, a1 = a0, a2 = a0, a3 = a0, a4 = a0, a5 = a0;
        Vector256<float> a6 = a0, a7 = a0, a8 = a0, a9 = a0, a10 = a0, a11 = a0;
        for (long i = 0; i < iterations; i++)
        {
            a0 = Fma.MultiplyAdd(a0, x, y); a1 = Fma.MultiplyAdd(a1, x, y);
            a2 = Fma.MultiplyAdd(a2, x, y); a3 = Fma.MultiplyAdd(a3, x, y);
            a4 = Fma.MultiplyAdd(a4, x, y); a5 = Fma.MultiplyAdd(a5, x, y);
            a6 = Fma.MultiplyAdd(a6, x, y); a7 = Fma.MultiplyAdd(a7, x, y);
            a8 = Fma.MultiplyAdd(a8, x, y); a9 = Fma.MultiplyAdd(a9, x, y);
            a10 = Fma.MultiplyAdd(a10, x, y); a11 = Fma.MultiplyAdd(a11, x, y);
        }
        return Vector256.Sum(a0 + a1 + a2 + a3 + a4 + a5 + a6 + a7 + a8 + a9 + a10 + a11);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static float Loop512(long iterations)
    {
        var x = Vector512.Create(0.999999f);
        var y = Vector512.Create(1e-7f);
        Vector512<float> a0 = Vector512<float>.One, a1 = a0, a2 = a0, a3 = a0, a4 = a0, a5 = a0;
        Vector512<float> a6 = a0, a7 = a0, a8 = a0, a9 = a0, a10 = a0, a11 = a0;
        for (long i = 0; i < iterations; i++)
        {
            a0 = Avx512F.FusedMultiplyAdd(a0, x, y); a1 = Avx512F.FusedMultiplyAdd(a1, x, y);
            a2 = Avx512F.FusedMultiplyAdd(a2, x, y); a3 = Avx512F.FusedMultiplyAdd(a3, x, y);
            a4 = Avx512F.FusedMultiplyAdd(a4, x, y); a5 = Avx512F.FusedMultiplyAdd(a5, x, y);
            a6 = Avx512F.FusedMultiplyAdd(a6, x, y); a7 = Avx512F.FusedMultiplyAdd(a7, x, y);
            a8 = Avx512F.FusedMultiplyAdd(a8, x, y); a9 = Avx512F.FusedMultiplyAdd(a9, x, y);
            a10 = Avx512F.FusedMultiplyAdd(a10, x, y); a11 = Avx512F.FusedMultiplyAdd(a11, x, y);
        }
        return Vector512.Sum(a0 + a1 + a2 + a3 + a4 + a5 + a6 + a7 + a8 + a9 + a10 + a11);
    }
}
