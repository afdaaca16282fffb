using System.Runtime.CompilerServices;
using NativeGrad.Backends;
using NativeGrad.Native;
using NativeGrad.Tests.Support;
using static NativeGrad.Native.NativeMethods;

namespace NativeGrad.Tests.Native;

[Collection(SerialCollection.Name)]
public unsafe class StorageAllocatorTests
{
    public StorageAllocatorTests() => NativeLibraryLoader.EnsureLoaded();

    private static MemoryStats SettledStats()
    {
        // Tensors other tests dropped are freed by finalizers; let them run so counters are still.
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        return NativeRuntime.Memory;
    }

    [Fact]
    public void AMillionAllocFreePairsLeaveNothingLive()
    {
        var before = SettledStats();
        long[] sizes = [0, 1, 63, 64, 100, 4096, 5000, 1 << 20];
        for (int i = 0; i < 1_000_000; i++)
        {
            void* block;
            NativeStatus.ThrowIfFailed(ng_storage_alloc(sizes[i % sizes.Length], &block));
            Assert.True((nuint)block % 64 == 0);
            ng_storage_free(block);
        }
        var after = SettledStats();

        Assert.Equal(0, after.LiveBytes);
        Assert.Equal(1_000_000, after.AllocationCount - before.AllocationCount);
        Assert.Equal(1_000_000, after.FreeCount - before.FreeCount);
        // Repeating sizes is what the cache is for: nearly every allocation reuses a block.
        Assert.True(after.CacheHits - before.CacheHits > 999_000, $"only {after.CacheHits - before.CacheHits} cache hits");
    }

    [Fact]
    public void HandlesAndTensorsReleaseTheirBlocks()
    {
        SettledStats();
        AllocateAndDropTensors();
        Assert.Equal(0, SettledStats().LiveBytes);
    }

    // A separate frame, so no stack slot (Debug builds keep them) still holds the last tensors.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void AllocateAndDropTensors()
    {
        for (int i = 0; i < 10_000; i++)
            StorageHandle.Allocate(1000).Dispose();
        using (Backend.Use(BackendKind.Native))
        {
            for (int i = 0; i < 1_000; i++)
            {
                using var t = Tensor.FromArray([1f, 2f, 3f]);
                using var u = t + t;
            }
            for (int i = 0; i < 1_000; i++)
                _ = Tensor.FromArray(new float[256]) * Tensor.FromArray(new float[256]); // never disposed
        }
    }

    [Fact]
    public void TrimEmptiesTheCache()
    {
        StorageHandle.Allocate(1 << 16).Dispose();
        Assert.True(NativeRuntime.Memory.CachedBytes > 0);
        NativeRuntime.TrimMemoryCache();
        Assert.Equal(0, NativeRuntime.Memory.CachedBytes);
    }
}
