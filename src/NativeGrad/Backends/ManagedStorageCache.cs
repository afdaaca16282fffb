using System.Numerics;
using System.Runtime.InteropServices;

namespace NativeGrad.Backends;

/// <summary>
/// The managed backend's counterpart of libnativegrad's storage cache (native/src/allocator.cpp):
/// freed 64-byte aligned blocks are kept per size class, up to a limit, and handed out again. Fresh
/// blocks from the system are page-faulted in on first touch (a 64 MiB tensor costs more to fault
/// in than to add), so without the cache every op that allocates its result runs several times
/// slower than on the native backend, and "managed against native" would compare allocators.
/// The size classes are the native ones: 64-byte steps up to 256 bytes, then 5, 6, 7, 8 steps of
/// 2^(p-2) between 2^p and 2^(p+1), so a block is at most 25% larger than asked. The limit is 1
/// GiB, or NATIVEGRAD_CACHE_LIMIT bytes as for the native cache (0 returns every block at once).
/// Thread-safe: blocks come back from whichever thread disposes or finalizes their tensor.
/// </summary>
internal static unsafe class ManagedStorageCache
{
    private const int Alignment = 64;
    // Larger requests are not rounded to a class (the rounding could overflow) and never cached.
    private const long LargestClassBytes = 1L << 48;
    private const int ClassCount = 4 + (47 - 8 + 1) * 4;

    private static readonly object Gate = new();
    private static readonly Stack<nint>?[] FreeLists = new Stack<nint>?[ClassCount];
    private static readonly long Limit = LimitFromEnvironment();
    private static long cachedBytes;

    /// <summary>A block of at least <paramref name="bytes"/> (at least 1), 64-byte aligned, uninitialised.</summary>
    public static void* Rent(long bytes)
    {
        int sizeClass = ClassOf(bytes);
        if (sizeClass >= 0)
        {
            lock (Gate)
            {
                if (FreeLists[sizeClass] is { Count: > 0 } free)
                {
                    cachedBytes -= BytesOf(sizeClass);
                    return (void*)free.Pop();
                }
            }
        }
        long size = sizeClass >= 0 ? BytesOf(sizeClass) : Math.Max(bytes, 1);
        return NativeMemory.AlignedAlloc((nuint)size, Alignment);
    }

    /// <summary>Takes back a block from <see cref="Rent"/> that was asked for <paramref name="bytes"/>.</summary>
    public static void Return(void* block, long bytes)
    {
        int sizeClass = ClassOf(bytes);
        if (sizeClass >= 0)
        {
            long classBytes = BytesOf(sizeClass);
            lock (Gate)
            {
                if (classBytes <= Limit - cachedBytes)
                {
                    (FreeLists[sizeClass] ??= new Stack<nint>()).Push((nint)block);
                    cachedBytes += classBytes;
                    return;
                }
            }
        }
        NativeMemory.AlignedFree(block);
    }

    private static int ClassOf(long bytes)
    {
        if (bytes <= 64) return 0;
        if (bytes <= 256) return (int)((bytes + 63) / 64) - 1;
        if (bytes > LargestClassBytes) return -1;
        // 2^p < bytes <= 2^(p+1); the classes in that range are 5, 6, 7, 8 steps of 2^(p-2).
        int p = 63 - BitOperations.LeadingZeroCount((ulong)(bytes - 1));
        long steps = (bytes + (1L << (p - 2)) - 1) >> (p - 2);
        return 4 + (p - 8) * 4 + (int)(steps - 5);
    }

    private static long BytesOf(int sizeClass)
    {
        if (sizeClass < 4) return (sizeClass + 1) * 64L;
        int p = 8 + (sizeClass - 4) / 4;
        long steps = 5 + (sizeClass - 4) % 4;
        return steps << (p - 2);
    }

    // An unparsable value is ignored, as in the native allocator: the default is always safe.
    private static long LimitFromEnvironment() =>
        long.TryParse(Environment.GetEnvironmentVariable("NATIVEGRAD_CACHE_LIMIT"), out long bytes) && bytes >= 0 ? bytes : 1L << 30;
}
