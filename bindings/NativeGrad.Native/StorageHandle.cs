using Microsoft.Win32.SafeHandles;

namespace NativeGrad.Native;

/// <summary>Owns one 64-byte aligned block from <c>ng_storage_alloc</c>, counted by <see cref="NativeMemoryBudget"/>.</summary>
public sealed unsafe class StorageHandle : SafeHandleZeroOrMinusOneIsInvalid
{
    private StorageHandle(void* block, long bytes) : base(ownsHandle: true)
    {
        SetHandle((IntPtr)block);
        ByteLength = bytes;
        NativeMemoryBudget.Allocated(bytes);
    }

    /// <summary>The size the block was allocated with.</summary>
    public long ByteLength { get; }

    /// <summary>The block's address; valid while this handle is alive and not disposed.</summary>
    public void* Pointer => (void*)handle;

    /// <summary>Allocates an uninitialised block of <paramref name="bytes"/> bytes.</summary>
    public static StorageHandle Allocate(long bytes)
    {
        NativeLibraryLoader.EnsureLoaded();
        void* block;
        NativeStatus.ThrowIfFailed(NativeMethods.ng_storage_alloc(bytes, &block));
        return new StorageHandle(block, bytes);
    }

    /// <inheritdoc/>
    protected override void Dispose(bool disposing)
    {
        if (!IsClosed) NativeMemoryBudget.Closing(ByteLength, disposing);
        base.Dispose(disposing);
    }

    /// <inheritdoc/>
    protected override bool ReleaseHandle()
    {
        NativeMethods.ng_storage_free((void*)handle);
        NativeMemoryBudget.Freed(ByteLength);
        return true;
    }
}
