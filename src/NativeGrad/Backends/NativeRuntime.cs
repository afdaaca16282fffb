using NativeGrad.Native;

namespace NativeGrad.Backends;

/// <summary>The kernel tiers libnativegrad can run, from the portable reference up.</summary>
public enum CpuTier
{
    /// <summary>Portable C++; the reference every other tier is tested against.</summary>
    Scalar = 0,
    /// <summary>AVX2 + FMA, 256-bit vectors.</summary>
    Avx2 = 1,
    /// <summary>AVX-512 F/DQ/BW/VL, 512-bit vectors.</summary>
    Avx512 = 2,
}

/// <summary>What libnativegrad detected on this CPU and which kernels it runs.</summary>
/// <param name="Features">The instruction-set extensions found usable (CPUID and XGETBV), e.g. "avx2".</param>
/// <param name="BestTier">The best tier this CPU and operating system can run.</param>
/// <param name="ActiveTier">The tier whose kernels run.</param>
/// <param name="RequestedTier">The tier NATIVEGRAD_CPU asked for, or null when it is not set.</param>
public sealed record CpuFeatures(IReadOnlyList<string> Features, CpuTier BestTier, CpuTier ActiveTier, CpuTier? RequestedTier);

/// <summary>Facts about the loaded native library: its version, the CPU, the memory cache.</summary>
public static class NativeRuntime
{
    /// <summary>The loaded library's version, e.g. "0.1.0".</summary>
    public static string Version => NativeLibraryLoader.LibraryVersion;

    /// <summary>CPU features and kernel tiers, as <c>ng_cpu_features</c> reports them.</summary>
    public static unsafe CpuFeatures Cpu
    {
        get
        {
            NativeLibraryLoader.EnsureLoaded();
            NgCpuInfo info;
            // An unknown NATIVEGRAD_CPU value still fills the struct; it is reported, not fatal.
            var status = NativeMethods.ng_cpu_features(&info);
            if (status != NgStatus.InvalidArgument) NativeStatus.ThrowIfFailed(status);
            int found = info.Features;
            var names = Enum.GetValues<NgCpuFeature>()
                .Where(f => (found & (int)f) != 0)
                .Select(f => f.ToString().ToLowerInvariant())
                .ToArray();
            return new CpuFeatures(names, (CpuTier)info.BestTier, (CpuTier)info.ActiveTier,
                                   info.RequestedTier < 0 ? null : (CpuTier)info.RequestedTier);
        }
    }

    /// <summary>
    /// The number of threads native kernels may use, the calling thread included (PyTorch's
    /// <c>torch.get_num_threads()</c>). Starts as <c>NATIVEGRAD_NUM_THREADS</c> when set, otherwise as
    /// the number of hardware threads. Results do not depend on it.
    /// </summary>
    public static int NumThreads
    {
        get
        {
            NativeLibraryLoader.EnsureLoaded();
            return NativeMethods.ng_threads_get();
        }
    }

    /// <summary>
    /// Sets how many threads native kernels may use (PyTorch's <c>torch.set_num_threads</c>); 1 keeps
    /// every kernel on the calling thread. Large GEMMs, elementwise ops and copies split across
    /// them; small ones never do.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="threads"/> is outside [1, 1024].</exception>
    public static void SetNumThreads(int threads)
    {
        NativeLibraryLoader.EnsureLoaded();
        NativeStatus.ThrowIfFailed(NativeMethods.ng_threads_set(threads));
    }

    /// <summary>The storage allocator's counters (<c>ng_memory_stats</c>).</summary>
    public static unsafe MemoryStats Memory
    {
        get
        {
            NativeLibraryLoader.EnsureLoaded();
            NgMemoryCounters counters;
            NativeStatus.ThrowIfFailed(NativeMethods.ng_memory_stats(&counters));
            return new MemoryStats(counters.LiveBytes, counters.CachedBytes, counters.AllocCount,
                                   counters.FreeCount, counters.CacheHits, counters.CacheLimit);
        }
    }

    /// <summary>Returns every cached block to the operating system.</summary>
    public static void TrimMemoryCache()
    {
        NativeLibraryLoader.EnsureLoaded();
        NativeMethods.ng_memory_trim();
    }
}

/// <summary>Counters of the native storage allocator.</summary>
/// <param name="LiveBytes">Bytes in blocks handed out and not yet freed.</param>
/// <param name="CachedBytes">Bytes in freed blocks kept for reuse.</param>
/// <param name="AllocationCount">Successful allocations since the process started.</param>
/// <param name="FreeCount">Frees since the process started.</param>
/// <param name="CacheHits">Allocations served from the cache.</param>
/// <param name="CacheLimit">The most bytes the cache keeps.</param>
public sealed record MemoryStats(long LiveBytes, long CachedBytes, long AllocationCount, long FreeCount, long CacheHits, long CacheLimit);
