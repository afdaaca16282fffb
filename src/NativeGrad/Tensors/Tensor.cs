using NativeGrad.Backends;

namespace NativeGrad;

/// <summary>
/// An n-dimensional array in native memory. float32 is the default dtype. Storage is released by
/// <see cref="Dispose"/> or, when nobody calls it, by the garbage collector.
/// </summary>
public sealed unsafe partial class Tensor : IDisposable
{
    private readonly Storage storage;
    private readonly long[] shape;

    private Tensor(Storage storage, long[] shape, DType dtype)
    {
        this.storage = storage;
        this.shape = shape;
        DType = dtype;
    }

    /// <summary>The element type.</summary>
    public DType DType { get; }

    /// <summary>The size of each dimension; empty for a scalar (0-dimensional) tensor.</summary>
    public IReadOnlyList<long> Shape => shape;

    /// <summary>The number of dimensions.</summary>
    public int Dim => shape.Length;

    /// <summary>The number of elements (the product of <see cref="Shape"/>; 1 for a scalar).</summary>
    public long NumElements => ShapeMath.Product(shape);

    /// <summary>A float32 tensor holding a copy of <paramref name="data"/>, viewed with <paramref name="shape"/>.</summary>
    /// <param name="data">Elements in row-major order.</param>
    /// <param name="shape">The dimensions; omitted means one dimension of <c>data.Length</c>.</param>
    public static Tensor FromArray(float[] data, params long[] shape)
    {
        ArgumentNullException.ThrowIfNull(data);
        long[] dims = shape.Length == 0 ? [data.Length] : (long[])shape.Clone();
        ShapeMath.Validate(dims, nameof(shape));
        if (ShapeMath.Product(dims) != data.Length)
            throw new ArgumentException(
                $"shape {ShapeMath.Format(dims)} is invalid for input of size {data.Length}", nameof(shape));
        var result = Empty(dims, DType.Float32);
        data.AsSpan().CopyTo(new Span<float>(result.storage.Pointer, data.Length));
        return result;
    }

    /// <summary>A copy of the elements in row-major order.</summary>
    public float[] ToArray()
    {
        RequireDType(DType.Float32, nameof(ToArray));
        return new ReadOnlySpan<float>(DataPointer, checked((int)NumElements)).ToArray();
    }

    /// <summary>Elementwise sum; both tensors must have the same shape and dtype.</summary>
    public static Tensor operator +(Tensor a, Tensor b) => Binary(BinaryOp.Add, a, b);

    /// <summary>Elementwise product; both tensors must have the same shape and dtype.</summary>
    public static Tensor operator *(Tensor a, Tensor b) => Binary(BinaryOp.Mul, a, b);

    /// <summary>Frees the storage now instead of when the garbage collector finds it.</summary>
    public void Dispose() => storage.Dispose();

    internal void* DataPointer
    {
        get
        {
            ObjectDisposedException.ThrowIf(storage.IsDisposed, this);
            return storage.Pointer;
        }
    }

    internal static Tensor Empty(long[] shape, DType dtype) =>
        new(Storage.Allocate(dtype, ShapeMath.Product(shape)), shape, dtype);

    private static Tensor Binary(BinaryOp op, Tensor a, Tensor b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        ShapeMath.RequireSameShape(a.shape, b.shape);
        if (a.DType != b.DType)
            throw new ArgumentException($"expected both tensors to have the same dtype, but got {a.DType.TorchName()} and {b.DType.TorchName()}");
        var result = Empty((long[])a.shape.Clone(), a.DType);
        Backend.Kernels.Binary(op, a.DType, a.DataPointer, b.DataPointer, result.DataPointer, a.NumElements);
        return result;
    }

    private void RequireDType(DType expected, string operation)
    {
        if (DType != expected)
            throw new InvalidOperationException($"{operation} expected a tensor of dtype {expected.TorchName()}, but got {DType.TorchName()}");
    }
}
