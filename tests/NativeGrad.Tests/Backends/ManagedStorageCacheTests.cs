using NativeGrad.Backends;

namespace NativeGrad.Tests.Backends;

/// <summary>The managed backend's storage cache hands out blocks that hold what was asked, aligned, also when reused.</summary>
public unsafe class ManagedStorageCacheTests
{
    // Sizes at and around the size-class edges: 64-byte steps to 256, then 5..8 steps of 2^(p-2).
    private static readonly long[] Sizes = [0, 1, 63, 64, 65, 256, 257, 319, 320, 321, 511, 512, 513, 4095, 4096, 5000, 1 << 20, (1 << 20) + 1];

    [Fact]
    public void BlocksAreAlignedAndWritableToTheirFullLengthAfterReuse()
    {
        for (int round = 0; round < 2; round++)
        {
            var handles = Sizes.Select(AlignedBlockHandle.Allocate).ToArray();
            foreach (var handle in handles)
            {
                Assert.Equal(0, (long)handle.Pointer % 64);
                new Span<byte>(handle.Pointer, (int)handle.ByteLength).Fill((byte)round);
            }
            // Live blocks never share memory, whichever came from the cache.
            var starts = handles.Select(h => (long)h.Pointer).ToArray();
            Assert.Equal(starts.Length, starts.Distinct().Count());
            foreach (var handle in handles) handle.Dispose();
        }
    }

    [Fact]
    public void AReusedBlockKeepsNoTieToItsPreviousTensor()
    {
        // 64 KiB: past the small storage that lives in the GC heap, so the block is the cache's.
        using var scope = Backend.Use(BackendKind.Managed);
        var first = Tensor.Full([16384], 1);
        first.Dispose();
        using var second = Tensor.Full([16384], 4);
        Assert.All(second.ToArray(), value => Assert.Equal(4f, value));
        Assert.ThrowsAny<ObjectDisposedException>(() => first.ToArray());
    }
}
