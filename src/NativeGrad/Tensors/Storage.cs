using System.Runtime.InteropServices;
using NativeGrad.Backends;

namespace NativeGrad;

/// <summary>
/// A block of native memory that one or more tensors view. The SafeHandle owns it, so the block
/// is freed by <see cref="Dispose"/> or, failing that, by the finalizer. The version counter lives
/// here because PyTorch shares it between a tensor and all its views.
/// </summary>
internal sealed unsafe class Storage : IDisposable
{
    private readonly SafeHandle owner;

    private Storage(SafeHandle owner, void* pointer, long byteLength)
    {
        this.owner = owner;
        Pointer = pointer;
        ByteLength = byteLength;
    }

    /// <summary>The first byte; valid while this storage is not disposed.</summary>
    public void* Pointer { get; }

    public long ByteLength { get; }

    /// <summary>Bumped by every in-place write, so saved tensors can tell they were modified.</summary>
    public int Version { get; private set; }

    public bool IsDisposed => owner.IsClosed;

    /// <summary>Allocates uninitialised storage for <paramref name="count"/> elements of <paramref name="dtype"/>.</summary>
    public static Storage Allocate(DType dtype, long count)
    {
        long bytes = checked(count * dtype.SizeOf());
        var owner = Backend.Kernels.Allocate(bytes, out var pointer);
        return new Storage(owner, pointer, bytes);
    }

    public void BumpVersion() => Version++;

    public void Dispose() => owner.Dispose();
}
