using System.Runtime.InteropServices;
using NativeGrad.Backends;

namespace NativeGrad;

/// <summary>
/// A block of native memory that one or more tensors view. The SafeHandle owns it, so the block
/// is freed by <see cref="Dispose"/> or, failing that, by the finalizer. The version counter lives
/// here because PyTorch shares it between a tensor and all its views.
/// </summary>
/// <remarks>
/// The block's address is only handed out inside a <see cref="StorageLease"/>: the lease adds a
/// reference to the SafeHandle, so neither the finalizer nor a <see cref="Dispose"/> on another
/// thread can free the block while a kernel reads or writes it (the release is deferred to the
/// lease's end). This is what keeps a raw pointer from outliving its memory.
/// </remarks>
internal sealed unsafe class Storage : IDisposable
{
    private readonly SafeHandle owner;
    private readonly void* pointer;
    private int version;

    private Storage(SafeHandle owner, void* pointer, long byteLength)
    {
        this.owner = owner;
        this.pointer = pointer;
        ByteLength = byteLength;
    }

    public long ByteLength { get; }

    /// <summary>Bumped by every in-place write, so saved tensors can tell they were modified.</summary>
    public int Version => Volatile.Read(ref version);

    public bool IsDisposed => owner.IsClosed;

    /// <summary>Allocates uninitialised storage for <paramref name="count"/> elements of <paramref name="dtype"/>.</summary>
    public static Storage Allocate(DType dtype, long count)
    {
        long bytes = checked(count * dtype.SizeOf());
        var owner = Backend.Kernels.Allocate(bytes, out var pointer);
        return new Storage(owner, pointer, bytes);
    }

    /// <summary>
    /// The block's address at <paramref name="byteOffset"/>, valid until the lease is disposed;
    /// throws <see cref="ObjectDisposedException"/> when the storage was already disposed.
    /// </summary>
    public StorageLease Lease(long byteOffset)
    {
        bool added = false;
        try
        {
            owner.DangerousAddRef(ref added);
        }
        catch (ObjectDisposedException)
        {
            throw new ObjectDisposedException(nameof(Tensor), "The tensor's storage has been disposed (by Dispose() on it or on a view that shares it).");
        }
        return new StorageLease(owner, (byte*)pointer + byteOffset);
    }

    public void BumpVersion() => Interlocked.Increment(ref version);

    public void Dispose() => owner.Dispose();
}

/// <summary>
/// A tensor's data address, kept valid for a <c>using</c> scope: the storage cannot be freed
/// until <see cref="Dispose"/>. Kernel calls take their pointers from leases and from nothing else.
/// </summary>
internal readonly unsafe ref struct StorageLease
{
    private readonly SafeHandle owner;

    internal StorageLease(SafeHandle owner, void* pointer)
    {
        this.owner = owner;
        Pointer = pointer;
    }

    /// <summary>The first element of the tensor the lease was taken for.</summary>
    public void* Pointer { get; }

    public void Dispose() => owner.DangerousRelease();
}
