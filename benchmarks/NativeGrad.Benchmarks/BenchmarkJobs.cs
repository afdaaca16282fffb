using System.Runtime.Intrinsics.X86;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Jobs;
using Perfolizer.Horology;

namespace NativeGrad.Benchmarks;

/// <summary>
/// The jobs the suite runs in, and which benchmark class runs in which. Every job pins the thread
/// counts in the benchmark process's environment, where the native thread pool and OpenBLAS read
/// them at load time: NATIVEGRAD_NUM_THREADS and OPENBLAS_NUM_THREADS, plus OPENBLAS_CORETYPE,
/// because OpenBLAS 0.3.21 misdetects newer CPUs and then runs slow generic kernels. All jobs are
/// in the one config and a filter pairs them with classes, because a class's own [Config] job
/// would inherit the environment of a default job instead of replacing it.
/// </summary>
public static class BenchmarkJobs
{
    /// <summary>Set by Program from --quick before BenchmarkDotNet reads any config.</summary>
    public static bool Quick { get; set; }

    /// <summary>OpenBLAS's name for the best kernels this CPU runs: SkylakeX with AVX-512, else Haswell.</summary>
    public static string BestCoreType => Avx512F.IsSupported ? "SkylakeX" : "Haswell";

    private const string OneThread = "1 thread", TwoThreads = "2 threads", OpenBlasPrefix = "OpenBLAS ";

    /// <summary>
    /// One thread everywhere (most classes); two threads for <see cref="TwoThreadGemmBenchmarks"/>;
    /// one job per OpenBLAS core type for <see cref="OpenBlasGemmBenchmarks"/>: SkylakeX where the
    /// CPU has AVX-512, and Haswell (AVX2) everywhere.
    /// </summary>
    public static Job[] All()
    {
        var jobs = new List<Job>
        {
            Threads(1, BestCoreType).WithId(OneThread),
            Threads(2, BestCoreType).WithId(TwoThreads),
        };
        if (Avx512F.IsSupported) jobs.Add(Threads(1, "SkylakeX").WithId(OpenBlasPrefix + "SkylakeX"));
        jobs.Add(Threads(1, "Haswell").WithId(OpenBlasPrefix + "Haswell"));
        return [.. jobs];
    }

    /// <summary>True for the job that <paramref name="benchmarkCase"/>'s class runs in.</summary>
    public static bool IsJobOfItsClass(BenchmarkCase benchmarkCase)
    {
        var type = benchmarkCase.Descriptor.Type;
        string id = benchmarkCase.Job.Id;
        if (type == typeof(TwoThreadGemmBenchmarks)) return id == TwoThreads;
        if (type == typeof(OpenBlasGemmBenchmarks)) return id.StartsWith(OpenBlasPrefix, StringComparison.Ordinal);
        return id == OneThread;
    }

    /// <summary>A job with <paramref name="threads"/> native and OpenBLAS threads and the given core type.</summary>
    public static Job Threads(int threads, string coreType)
    {
        var job = Quick
            // A first look: a handful of short iterations, the whole suite in a few minutes.
            ? Job.ShortRun.WithWarmupCount(1).WithIterationCount(3).WithLaunchCount(1)
                .WithIterationTime(TimeInterval.FromMilliseconds(150))
            : Job.Default;
        return job.WithEnvironmentVariables(
            new EnvironmentVariable("NATIVEGRAD_NUM_THREADS", threads.ToString()),
            new EnvironmentVariable("OPENBLAS_NUM_THREADS", threads.ToString()),
            new EnvironmentVariable("OPENBLAS_CORETYPE", coreType));
    }
}
