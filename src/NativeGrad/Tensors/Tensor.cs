using System.Collections;
using System.Runtime.CompilerServices;
using NativeGrad.Backends;

namespace NativeGrad;

/// <summary>
/// An n-dimensional array in native memory that can record the operations applied to it and
/// differentiate through them, like torch.Tensor. Views (reshape, transpose, slicing...) share
/// storage with their base. Storage is released by <see cref="Dispose"/> or, when nobody calls
/// it, by the garbage collector.
/// </summary>
public sealed unsafe partial class Tensor : IDisposable, IEnumerable<Tensor>
{
    internal readonly Storage storage;
    internal readonly long[] shape;
    internal readonly long[] strides;
    internal readonly long offset;

    internal Tensor(Storage storage, long[] shape, long[] strides, long offset, DType dtype)
    {
        ShapeMath.ThrowIfTooManyDims(shape.Length);
        this.storage = storage;
        this.shape = shape;
        this.strides = strides;
        this.offset = offset;
        DType = dtype;
        isInference = GradMode.IsInference;
    }

    /// <summary>Frees the large tensors made until the returned scope is disposed (see <see cref="TensorScope"/>).</summary>
    public static TensorScope Scope() => new();

    internal Storage StorageForScope => storage;

    /// <summary>A new contiguous tensor with uninitialised data.</summary>
    internal static Tensor Empty(long[] shape, DType dtype) =>
        new(Storage.Allocate(dtype, shape), shape, ShapeMath.ContiguousStrides(shape), 0, dtype);

    /// <summary>
    /// A new contiguous tensor in native memory whatever its size, for data that native code
    /// keeps using after the call that received its address returns (a non-blocking MPI
    /// collective): a small block would be a GC array, which the GC may move.
    /// </summary>
    internal static Tensor EmptyUnmoving(long[] shape, DType dtype) =>
        new(Storage.Allocate(dtype, shape, unmoving: true), shape, ShapeMath.ContiguousStrides(shape), 0, dtype);

    /// <summary>A view of this tensor's storage with another shape, strides and offset.</summary>
    internal Tensor View(long[] newShape, long[] newStrides, long newOffset) =>
        new(storage, newShape, newStrides, newOffset, DType) { viewBase = viewBase ?? this, isInference = isInference };

    /// <summary>The tensor whose storage this view shares, or null when it owns its storage.</summary>
    private Tensor? viewBase;

    /// <summary>The element type.</summary>
    public DType DType { get; }

    /// <summary>The size of each dimension (torch.Size); empty for a scalar (0-dimensional) tensor.</summary>
    public IReadOnlyList<long> Shape => shape;

    /// <summary>The size of dimension <paramref name="dim"/> (negative counts from the end).</summary>
    public long Size(int dim) => shape[ShapeMath.WrapDim(dim, Dim)];

    /// <summary>The step, in elements, between neighbours along each dimension.</summary>
    public IReadOnlyList<long> Strides => strides;

    /// <summary>The number of dimensions.</summary>
    public int Dim => shape.Length;

    /// <summary>The number of elements (1 for a scalar).</summary>
    public long NumElements => ShapeMath.Product(shape);

    /// <summary>True when the elements are laid out row-major without gaps.</summary>
    public bool IsContiguous => ShapeMath.IsContiguous(shape, strides);

    /// <summary>
    /// How many in-place changes this tensor's storage has seen (torch's <c>_version</c>): shared
    /// with its views and with <see cref="Detach"/>, bumped by every in-place op, and what the
    /// engine compares a saved tensor against to report an in-place change before backward.
    /// </summary>
    /// <exception cref="InvalidOperationException">This is an inference tensor: PyTorch's "Inference tensors do not track version counter."</exception>
    public int Version => isInference ? throw new InvalidOperationException(AutogradErrors.InferenceVersion) : storage.Version;

    /// <summary>
    /// True for a tensor created inside <see cref="Autograd.InferenceMode"/>, or a view of one
    /// (torch's is_inference()). Such a tensor cannot be saved for backward, changed in place
    /// outside inference mode, or made to require grad there; <see cref="Clone"/> gives a normal one.
    /// </summary>
    public bool IsInference => isInference;

    private bool isInference;

    internal void ThrowIfInferenceOutsideInferenceMode()
    {
        if (isInference && !GradMode.IsInference)
            throw new InvalidOperationException(AutogradErrors.InferenceInPlace);
    }

    /// <summary>
    /// PyTorch's type name used in error messages (Tensor::toString()), e.g. "torch.FloatTensor";
    /// bool has no legacy tensor type, so PyTorch says "CPUBoolType".
    /// </summary>
    internal string TypeName => DType switch
    {
        DType.Float32 => "torch.FloatTensor",
        DType.Float64 => "torch.DoubleTensor",
        DType.Int64 => "torch.LongTensor",
        _ => "CPUBoolType",
    };

    /// <summary>
    /// This tensor's first element for the length of a <c>using</c> scope; the storage cannot be
    /// freed (by the GC or by <see cref="Dispose"/> on any thread) until the lease ends.
    /// </summary>
    internal StorageLease Lease() => storage.Lease(offset * DType.SizeOf());

    /// <summary>
    /// Frees the storage now, for this tensor and every view of it; later use throws
    /// <see cref="ObjectDisposedException"/>. A kernel already running on the storage (on another
    /// thread) finishes first: the memory is released when it ends.
    /// </summary>
    public void Dispose() => storage.Dispose();

    /// <summary>The elements in row-major order, converted to <typeparamref name="T"/> (float, double, long or bool).</summary>
    public T[] ToArray<T>() where T : unmanaged
    {
        var target = DTypeOf<T>();
        if (NumElements > Array.MaxLength)
            throw new InvalidOperationException(
                $"ToArray: this tensor has {NumElements} elements, more than a .NET array holds ({Array.MaxLength}); copy it out in slices");
        var result = new T[NumElements];
        using var source = Lease();
        fixed (T* destination = result)
            fixed (byte* sourcePtr = source)
                Backend.Kernels.Copy(shape, DType, sourcePtr, strides, target, destination, ShapeMath.ContiguousStrides(shape));
        return result;
    }

    /// <summary>The elements of a float32 tensor in row-major order.</summary>
    public float[] ToArray() => ToArray<float>();

    /// <summary>The value of a one-element tensor (torch's item()), converted to <typeparamref name="T"/>.</summary>
    public T Item<T>() where T : unmanaged
    {
        if (NumElements != 1)
            throw new InvalidOperationException("only one element tensors can be converted to Python scalars");
        return ToArray<T>()[0];
    }

    /// <summary>
    /// The elements of a contiguous tensor of element type <typeparamref name="T"/>, without copying.
    /// The span points into native memory that the tensor owns: it is valid only while the tensor
    /// is reachable and not disposed, so keep a reference to the tensor (or call
    /// <see cref="GC.KeepAlive"/> on it) until the span's last use.
    /// </summary>
    public Span<T> AsSpan<T>() where T : unmanaged
    {
        if (DTypeOf<T>() != DType)
            throw new InvalidOperationException($"AsSpan<{typeof(T).Name}> needs a tensor of dtype {DTypeOf<T>().TorchName()}, but this one is {DType.TorchName()}");
        if (!IsContiguous)
            throw new InvalidOperationException("AsSpan needs a contiguous tensor; call Contiguous() first");
        return storage.AsSpan<T>(offset * DType.SizeOf(), checked((int)NumElements));
    }

    internal static DType DTypeOf<T>() where T : unmanaged =>
        typeof(T) == typeof(float) ? DType.Float32
        : typeof(T) == typeof(double) ? DType.Float64
        : typeof(T) == typeof(long) ? DType.Int64
        : typeof(T) == typeof(bool) ? DType.Bool
        : throw new NotSupportedException($"{typeof(T).Name} is not a tensor element type; use float, double, long or bool.");

    /// <summary>Python's bool(tensor): true when the only element is non-zero.</summary>
    public static bool operator true(Tensor tensor) => tensor.ToBoolean();

    /// <summary>Python's not bool(tensor).</summary>
    public static bool operator false(Tensor tensor) => !tensor.ToBoolean();

    private bool ToBoolean()
    {
        if (NumElements != 1)
            throw new InvalidOperationException(
                $"Boolean value of Tensor with {(NumElements == 0 ? "no values" : "more than one value")} is ambiguous");
        return Item<bool>();
    }

    /// <summary>
    /// PyTorch's repr, character for character, e.g. "tensor([0., 1.], requires_grad=True)". Past
    /// the print threshold only the summary's elements are copied out, so any tensor prints, one
    /// bigger than a .NET array or an expanded view of a single element included.
    /// </summary>
    public override string ToString()
    {
        var options = PrintOptions.Current;
        var shown = NumElements > options.Threshold ? SummaryElements(options.EdgeItems) : this;
        Array data = DType switch
        {
            DType.Float32 => shown.ToArray<float>(),
            DType.Float64 => shown.ToArray<double>(),
            DType.Int64 => shown.ToArray<long>(),
            _ => shown.ToArray<bool>(),
        };
        var tangent = ForwardAD.Open is { } level ? TangentAt(level) : null;
        return TensorFormatter.Repr(DType, shape, data, IsLeaf && RequiresGrad, GradFn?.Name, options, tangent?.ToString());
    }

    // PyTorch's get_summarized_data: every dimension longer than 2 * edgeItems cut to its first and
    // last edgeItems, of TensorFormatter.SummaryShape. Outside any graph.
    private Tensor SummaryElements(int edgeItems)
    {
        using (GradMode.Set(false))
            return SummaryElements(this, 0, edgeItems);
    }

    // Narrowed down to its corners before anything is copied: cutting one dimension at a time with
    // Cat would first copy the others whole (6 x 4e8 int64 elements, 19 GB, for a [7, 4e8] view).
    private static Tensor SummaryElements(Tensor t, int dim, int edgeItems)
    {
        if (dim == t.Dim) return t;
        long size = t.shape[dim];
        if (size <= 2L * edgeItems) return SummaryElements(t, dim + 1, edgeItems);
        return Cat([SummaryElements(t.Narrow(dim, 0, edgeItems), dim + 1, edgeItems),
                    SummaryElements(t.Narrow(dim, size - edgeItems, edgeItems), dim + 1, edgeItems)], dim);
    }

    /// <summary>The sub-tensors along the first dimension (Unbind(0)), like iterating a torch.Tensor; each keeps the graph.</summary>
    public IEnumerator<Tensor> GetEnumerator()
    {
        if (Dim == 0)
            throw new InvalidOperationException("iteration over a 0-d tensor");
        foreach (var row in Unbind(0))
            yield return row;
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>Reference equality: <c>==</c> compares elements, so use this or <c>is</c> for identity.</summary>
    public override bool Equals(object? obj) => ReferenceEquals(this, obj);

    /// <inheritdoc/>
    public override int GetHashCode() => RuntimeHelpers.GetHashCode(this);
}
