using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using NativeGrad.Backends;

namespace NativeGrad;

/// <summary>
/// A block of memory that one or more tensors view. A large block is native memory owned by a
/// SafeHandle, freed by <see cref="Dispose"/> or, failing that, by the finalizer. A small block
/// (see <see cref="SmallBlocks"/>) is a byte array in the GC heap: a finalizer per tensor costs
/// far more than the kernel on a few elements, while the GC reclaims a dead array for nothing.
/// The version counter lives here because PyTorch shares it between a tensor and all its views.
/// </summary>
/// <remarks>
/// The block's address is only handed out inside a <see cref="StorageLease"/>. For a native block
/// the lease adds a reference to the SafeHandle, so neither the finalizer nor a
/// <see cref="Dispose"/> on another thread can free the block while a kernel reads or writes it
/// (the release is deferred to the lease's end). For a small block the lease holds a reference
/// into the array, which keeps it reachable, and the caller pins it with <c>fixed</c> for the
/// kernel call. This is what keeps a raw pointer from outliving its memory.
/// </remarks>
internal sealed unsafe class Storage : IDisposable
{
    private readonly SafeHandle? owner;
    private readonly void* pointer;
    private byte[]? smallBlock;
    private int version;

    private Storage(SafeHandle owner, void* pointer, long byteLength)
    {
        this.owner = owner;
        this.pointer = pointer;
        ByteLength = byteLength;
        TensorScope.Adopt(this);
    }

    /// <summary>The <see cref="TensorScope"/> that frees this block when it ends, if any.</summary>
    internal TensorScope? Scope { get; set; }

    private Storage(byte[] smallBlock)
    {
        this.smallBlock = smallBlock;
        ByteLength = smallBlock.Length;
    }

    public long ByteLength { get; }

    /// <summary>Bumped by every in-place write, so saved tensors can tell they were modified.</summary>
    public int Version => Volatile.Read(ref version);

    public bool IsDisposed => owner?.IsClosed ?? Volatile.Read(ref smallBlock) is null;

    /// <summary>
    /// Allocates uninitialised storage for a contiguous tensor of <paramref name="shape"/> and
    /// <paramref name="dtype"/>; <paramref name="unmoving"/> asks for native memory even when small.
    /// </summary>
    public static Storage Allocate(DType dtype, long[] shape, bool unmoving = false)
    {
        long count = ShapeMath.Product(shape);
        if (count > long.MaxValue / dtype.SizeOf())
            throw ShapeMath.StorageSizeOverflow(shape);
        long bytes = count * dtype.SizeOf();
        if (!unmoving && SmallBlocks.Fits(bytes))
            return new Storage(GC.AllocateUninitializedArray<byte>((int)bytes));
        try
        {
            var owner = Backend.Kernels.Allocate(bytes, out var pointer);
            return new Storage(owner, pointer, bytes);
        }
        catch (OutOfMemoryException e)
        {
            // PyTorch's allocator names the size; the runtime's message does not.
            throw new OutOfMemoryException($"can't allocate memory: you tried to allocate {bytes} bytes ({count} elements of {dtype.TorchName()})", e);
        }
    }

    /// <summary>
    /// The block from <paramref name="byteOffset"/>, valid until the lease is disposed; throws
    /// <see cref="ObjectDisposedException"/> when the storage was already disposed.
    /// </summary>
    public StorageLease Lease(long byteOffset)
    {
        if (owner is null)
        {
            // Read once: a Dispose on another thread only drops the field; the lease's reference
            // keeps the array alive.
            var block = Volatile.Read(ref smallBlock) ?? throw Disposed();
            return new StorageLease(null, ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(block), (nint)byteOffset));
        }
        bool added = false;
        try
        {
            owner.DangerousAddRef(ref added);
        }
        catch (ObjectDisposedException)
        {
            throw Disposed();
        }
        return new StorageLease(owner, ref Unsafe.AsRef<byte>((byte*)pointer + byteOffset));
    }

    /// <summary>
    /// <paramref name="length"/> elements from <paramref name="byteOffset"/>, for a caller that
    /// keeps the storage reachable. A small block's span tracks its array (the GC may move it);
    /// a native block's span is its address.
    /// </summary>
    public Span<T> AsSpan<T>(long byteOffset, int length) where T : unmanaged
    {
        if (owner is null)
        {
            var block = Volatile.Read(ref smallBlock) ?? throw Disposed();
            return MemoryMarshal.Cast<byte, T>(block.AsSpan((int)byteOffset, checked(length * sizeof(T))));
        }
        using var lease = Lease(byteOffset);
        return lease.AsSpan<T>(length);
    }

    public void BumpVersion() => Interlocked.Increment(ref version);

    public void Dispose()
    {
        if (owner is null) Volatile.Write(ref smallBlock, null);
        else owner.Dispose();
    }

    private static ObjectDisposedException Disposed() =>
        new(nameof(Tensor), "The tensor's storage has been disposed (by Dispose() on it or on a view that shares it).");
}

/// <summary>
/// A tensor's data for a <c>using</c> scope: the storage cannot be freed until
/// <see cref="Dispose"/>. Kernel calls take their pointers from leases and from nothing else, with
/// <c>fixed (byte* data = lease)</c> around the call: a small block is a GC array that may move,
/// and <c>fixed</c> pins it for the call at no cost (a GCHandle per lease cost 40-50 ns, the
/// larger part of a 16-element op). A native block's reference is its address, which
/// <c>fixed</c> leaves alone.
/// </summary>
internal readonly unsafe ref struct StorageLease
{
    private readonly SafeHandle? owner;
    private readonly ref byte start;

    internal StorageLease(SafeHandle? owner, ref byte start)
    {
        this.owner = owner;
        this.start = ref start;
    }

    /// <summary>The first byte of the tensor the lease was taken for, for <c>fixed</c>.</summary>
    public ref byte GetPinnableReference() => ref start;

    /// <summary><paramref name="length"/> elements from the tensor's first: a span follows the array if the GC moves it.</summary>
    public Span<T> AsSpan<T>(int length) where T : unmanaged => MemoryMarshal.CreateSpan(ref Unsafe.As<byte, T>(ref start), length);

    /// <summary><paramref name="length"/> bytes from <paramref name="byteOffset"/> past the tensor's first.</summary>
    public Span<byte> AsSpan(long byteOffset, int length) => MemoryMarshal.CreateSpan(ref Unsafe.Add(ref start, (nint)byteOffset), length);

    public void Dispose() => owner?.DangerousRelease();
}

/// <summary>
/// Which storage lives in the GC heap instead of native memory: blocks up to
/// <see cref="MaxBytes"/>, small enough that the GC's nursery handles them well (the large
/// object heap starts at 85,000 bytes). Off when <c>NATIVEGRAD_CACHE_LIMIT=0</c>: the sanitizer
/// run sets it so that every block comes from the native allocator, where AddressSanitizer sees
/// a kernel that touches memory it should not.
/// </summary>
internal static class SmallBlocks
{
    public const long MaxBytes = 16 * 1024;

    private static readonly bool Enabled = Environment.GetEnvironmentVariable("NATIVEGRAD_CACHE_LIMIT") != "0";

    public static bool Fits(long bytes) => bytes <= MaxBytes && Enabled;
}
