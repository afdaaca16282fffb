using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using NativeGrad.Backends;

namespace NativeGrad;

// Creating tensors: from C# values and arrays (torch.tensor), ranges, constants and random draws.
// float and float[] give float32, double gives float64, long gives int64, bool gives bool.
public sealed unsafe partial class Tensor
{
    /// <summary>A 0-dim float32 tensor (torch.tensor(1.)).</summary>
    public static Tensor From(float value, bool requiresGrad = false) => FromSpan([value], [], requiresGrad);
    /// <summary>A 0-dim float64 tensor.</summary>
    public static Tensor From(double value, bool requiresGrad = false) => FromSpan([value], [], requiresGrad);
    /// <summary>A 0-dim int64 tensor (<paramref name="requiresGrad"/> throws, as for every integer tensor).</summary>
    public static Tensor From(long value, bool requiresGrad = false) => FromSpan([value], [], requiresGrad);
    /// <summary>A 0-dim bool tensor (<paramref name="requiresGrad"/> throws, as for every bool tensor).</summary>
    public static Tensor From(bool value, bool requiresGrad = false) => FromSpan([value], [], requiresGrad);

    // Scalars convert to 0-dim tensors, so that Python's y[0] = 7 and y[mask] = 0.5 read the same
    // in C# (the indexers' setters cast the value to the indexed tensor's dtype, as PyTorch's
    // __setitem__ does). Every operator and method that takes a scalar has its own double or long
    // overload, which C# prefers to a user-defined conversion, so these change no existing call;
    // they make new calls compile where only a tensor is taken (Tensor.Maximum(x, 0.5)), with the
    // dtype of Tensor.From: a 0-dim tensor, which does not raise a dimensioned tensor's dtype.
    /// <summary>A 0-dim float64 tensor holding <paramref name="value"/> (<see cref="From(double, bool)"/>).</summary>
    public static implicit operator Tensor(double value) => From(value);
    /// <summary>A 0-dim float32 tensor holding <paramref name="value"/> (<see cref="From(float, bool)"/>).</summary>
    public static implicit operator Tensor(float value) => From(value);
    /// <summary>A 0-dim int64 tensor holding <paramref name="value"/>; C#'s int literals convert through this one.</summary>
    public static implicit operator Tensor(long value) => From(value);
    /// <summary>A 0-dim bool tensor holding <paramref name="value"/> (<see cref="From(bool, bool)"/>).</summary>
    public static implicit operator Tensor(bool value) => From(value);

    /// <summary>A 1-D float32 tensor holding a copy of <paramref name="data"/>.</summary>
    public static Tensor From(float[] data, bool requiresGrad = false) => FromSpan<float>(data, VectorShape(data), requiresGrad);
    /// <summary>A 1-D float64 tensor holding a copy of <paramref name="data"/>.</summary>
    public static Tensor From(double[] data, bool requiresGrad = false) => FromSpan<double>(data, VectorShape(data), requiresGrad);
    /// <summary>A 1-D int64 tensor holding a copy of <paramref name="data"/>.</summary>
    public static Tensor From(long[] data, bool requiresGrad = false) => FromSpan<long>(data, VectorShape(data), requiresGrad);
    /// <summary>A 1-D int64 tensor holding a copy of <paramref name="data"/> (C#'s int literals, PyTorch's integer dtype).</summary>
    public static Tensor From(int[] data, bool requiresGrad = false) => From((Array)data, requiresGrad);
    /// <summary>A 1-D bool tensor holding a copy of <paramref name="data"/>.</summary>
    public static Tensor From(bool[] data, bool requiresGrad = false) => FromSpan<bool>(data, VectorShape(data), requiresGrad);

    private static long[] VectorShape(Array data)
    {
        ArgumentNullException.ThrowIfNull(data);
        return [data.Length];
    }

    /// <summary>
    /// A tensor from a rectangular (<c>float[,]</c>) or jagged (<c>float[][]</c>) array of float,
    /// double, long, int (stored as int64) or bool, with the array's nesting as its shape.
    /// </summary>
    public static Tensor From(Array data, bool requiresGrad = false)
    {
        ArgumentNullException.ThrowIfNull(data);
        var (elementType, shape) = NestedShape(data);
        return elementType switch
        {
            _ when elementType == typeof(float) => FromSpan<float>(Flatten<float>(data, shape), shape, requiresGrad),
            _ when elementType == typeof(double) => FromSpan<double>(Flatten<double>(data, shape), shape, requiresGrad),
            _ when elementType == typeof(long) => FromSpan<long>(Flatten<long>(data, shape), shape, requiresGrad),
            _ when elementType == typeof(bool) => FromSpan<bool>(Flatten<bool>(data, shape), shape, requiresGrad),
            // C# integer literals are int; PyTorch's integer dtype is int64.
            _ when elementType == typeof(int) => FromSpan<long>(Array.ConvertAll(Flatten<int>(data, shape), v => (long)v), shape, requiresGrad),
            _ => throw new ArgumentException($"cannot make a tensor of {elementType.Name}; use float, double, long, int or bool", nameof(data)),
        };
    }

    /// <summary>
    /// A tensor of <paramref name="shape"/> holding a copy of <paramref name="data"/> (row-major).
    /// The shape is a params array, so there is no <c>requiresGrad:</c> argument: chain
    /// <see cref="RequiresGrad_"/>, or use <see cref="FromSpan{T}"/>.
    /// </summary>
    public static Tensor FromArray<T>(T[] data, params long[] shape) where T : unmanaged
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(shape);
        return FromSpan<T>(data, shape.Length == 0 ? [data.Length] : shape, false);
    }

    /// <summary>A tensor of <paramref name="shape"/> holding a copy of <paramref name="data"/> (row-major).</summary>
    public static Tensor FromSpan<T>(ReadOnlySpan<T> data, long[] shape, bool requiresGrad = false) where T : unmanaged
    {
        ArgumentNullException.ThrowIfNull(shape);
        ShapeMath.Validate(shape);
        if (ShapeMath.Product(shape) != data.Length)
            throw new ArgumentException($"shape '{ShapeMath.Format(shape)}' is invalid for input of size {data.Length}");
        var result = Empty((long[])shape.Clone(), DTypeOf<T>());
        using (var destination = result.Lease())
            data.CopyTo(destination.AsSpan<T>(data.Length));
        return result.WithRequiresGrad(requiresGrad);
    }

    private static (Type ElementType, long[] Shape) NestedShape(Array data)
    {
        var shape = new List<long>();
        Array current = data;
        while (true)
        {
            for (int d = 0; d < current.Rank; d++) shape.Add(current.GetLength(d));
            var elementType = current.GetType().GetElementType()!;
            if (!elementType.IsArray) return (elementType, [.. shape]);
            if (current.Length == 0) throw new ArgumentException("cannot infer the shape of an empty jagged array");
            current = current.GetValue(new long[current.Rank]) as Array
                ?? throw new ArgumentException($"the first row at dim {shape.Count - 1} of the jagged array is null; every row must be an array");
        }
    }

    private static T[] Flatten<T>(Array data, long[] shape) where T : unmanaged
    {
        if (data is T[] vector) return vector;
        if (data.GetType().GetElementType() == typeof(T))
            return MemoryMarshal.CreateReadOnlySpan(ref Unsafe.As<byte, T>(ref MemoryMarshal.GetArrayDataReference(data)), data.Length).ToArray();
        var result = new List<T>((int)ShapeMath.Product(shape));
        FlattenJagged(data, shape, data.Rank, result);
        return [.. result];
    }

    private static void FlattenJagged<T>(Array data, long[] shape, int depth, List<T> result)
    {
        foreach (var item in data)
        {
            if (item is null)
                throw new ArgumentException($"a row at dim {depth - 1} of the jagged array is null; every row must be an array of length {shape[depth]}");
            if (item is Array inner)
            {
                var expected = shape.AsSpan(depth, inner.Rank);
                for (int d = 0; d < inner.Rank; d++)
                    if (inner.GetLength(d) != expected[d])
                        throw new ArgumentException($"expected sequence of length {expected[d]} at dim {depth + d} (got {inner.GetLength(d)})");
                FlattenJagged(inner, shape, depth + inner.Rank, result);
            }
            else result.Add((T)item!);
        }
    }

    /// <summary>A 0-dim tensor of <paramref name="dtype"/>, converted as arithmetic converts scalars (1e300 is inf in float32).</summary>
    internal static Tensor Scalar(double value, DType dtype) => Filled([], value, dtype);

    /// <summary>A tensor of <paramref name="shape"/> with every element <paramref name="value"/>.</summary>
    /// <exception cref="ArgumentException"><paramref name="value"/> does not fit <paramref name="dtype"/> (NaN or 1e20 in int64, 1e300 in float32), as in PyTorch.</exception>
    public static Tensor Full(long[] shape, double value, DType dtype = DType.Float32, bool requiresGrad = false)
    {
        ArgumentNullException.ThrowIfNull(shape);
        ThrowIfValueOverflows(value, dtype);
        return Filled((long[])shape.Clone(), value, dtype).WithRequiresGrad(requiresGrad);
    }

    private static Tensor Filled(long[] shape, double value, DType dtype)
    {
        ShapeMath.Validate(shape);
        var result = Empty(shape, dtype);
        double source = value;
        using (var destination = result.Lease())
            fixed (byte* destinationPtr = destination)
                Backend.Kernels.Copy(shape, DType.Float64, &source, new long[shape.Length], dtype, destinationPtr, result.strides);
        return result;
    }

    /// <summary>
    /// PyTorch's checked_convert for fill values: a finite value beyond float32's range, or a
    /// NaN, infinite or out-of-range value for int64, is an error (infinities and NaN are floats' own).
    /// </summary>
    internal static void ThrowIfValueOverflows(double value, DType dtype)
    {
        const double Int64Bound = 9.2233720368547758E18; // 2^63, which PyTorch lets through (as long.MinValue)
        bool overflows = dtype switch
        {
            DType.Float32 => double.IsFinite(value) && Math.Abs(value) > float.MaxValue,
            DType.Int64 => double.IsNaN(value) || value < -Int64Bound || value > Int64Bound,
            _ => false,
        };
        if (overflows)
            throw new ArgumentException($"value cannot be converted to type {(dtype == DType.Float32 ? "float" : "int64_t")} without overflow");
    }

    /// <summary>
    /// Ranges and linspace build their values in a managed array first, so their length is
    /// bounded by the runtime's array limit; past it (or past memory) they say how much was asked.
    /// </summary>
    private static void ThrowIfBeyondArrayLimit(long count, int elementSize)
    {
        if (count > Array.MaxLength)
            throw new OutOfMemoryException(
                $"can't allocate memory: you tried to allocate {count} elements ({(double)count * elementSize:0} bytes); at most {Array.MaxLength} fit in a range's buffer");
    }

    /// <summary>Zeros of <paramref name="shape"/> (a params array: for <c>requiresGrad:</c> pass the shape as <c>[2, 3]</c>).</summary>
    public static Tensor Zeros(params long[] shape) => Full(shape, 0);
    /// <summary>Zeros of <paramref name="shape"/> and <paramref name="dtype"/>.</summary>
    public static Tensor Zeros(long[] shape, DType dtype = DType.Float32, bool requiresGrad = false) => Full(shape, 0, dtype, requiresGrad);
    /// <summary>Ones of <paramref name="shape"/> (a params array: for <c>requiresGrad:</c> pass the shape as <c>[2, 3]</c>).</summary>
    public static Tensor Ones(params long[] shape) => Full(shape, 1);
    /// <summary>Ones of <paramref name="shape"/> and <paramref name="dtype"/>.</summary>
    public static Tensor Ones(long[] shape, DType dtype = DType.Float32, bool requiresGrad = false) => Full(shape, 1, dtype, requiresGrad);
    /// <summary>Zeros shaped like <paramref name="other"/>, of its dtype unless given; never part of its graph.</summary>
    public static Tensor ZerosLike(Tensor other, DType? dtype = null, bool requiresGrad = false) =>
        Full(ShapeOf(other), 0, dtype ?? other.DType, requiresGrad);
    /// <summary>Ones shaped like <paramref name="other"/>, of its dtype unless given; never part of its graph.</summary>
    public static Tensor OnesLike(Tensor other, DType? dtype = null, bool requiresGrad = false) =>
        Full(ShapeOf(other), 1, dtype ?? other.DType, requiresGrad);
    /// <summary><paramref name="value"/> everywhere, shaped like <paramref name="other"/>.</summary>
    public static Tensor FullLike(Tensor other, double value, DType? dtype = null, bool requiresGrad = false) =>
        Full(ShapeOf(other), value, dtype ?? other.DType, requiresGrad);

    private static long[] ShapeOf(Tensor other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return [.. other.shape];
    }

    /// <summary>The n x m identity matrix (m defaults to n).</summary>
    public static Tensor Eye(long n, long? m = null, DType dtype = DType.Float32, bool requiresGrad = false)
    {
        if (n < 0) throw new ArgumentException($"n must be greater or equal to 0, got {n}");
        if (m < 0) throw new ArgumentException($"m must be greater or equal to 0, got {m}");
        var result = Zeros([n, m ?? n], dtype);
        long diagonal = Math.Min(n, m ?? n);
        var one = Scalar(1, dtype);
        using (var source = one.Lease())
        using (var destination = result.Lease())
            fixed (byte* sourcePtr = source, destinationPtr = destination)
                Backend.Kernels.Copy([diagonal], dtype, sourcePtr, [0], dtype, destinationPtr, [(m ?? n) + 1]);
        return result.WithRequiresGrad(requiresGrad);
    }

    /// <summary>0, 1, ..., end-1 as float32 unless <paramref name="dtype"/> says otherwise (torch.arange(4.0)).</summary>
    public static Tensor Arange(double end, DType dtype = DType.Float32, bool requiresGrad = false) =>
        Arange(0.0, end, 1, dtype, requiresGrad);

    /// <summary>start, start+step, ... before end, as float32 unless <paramref name="dtype"/> says otherwise.</summary>
    public static Tensor Arange(double start, double end, double step = 1, DType dtype = DType.Float32, bool requiresGrad = false)
    {
        if (!(step > 0 || step < 0)) throw new ArgumentException("step must be nonzero");
        if (!double.IsFinite(start) || !double.IsFinite(end))
            throw new ArgumentException($"unsupported range: {Functional.CppFloat(start)} -> {Functional.CppFloat(end)}");
        if ((end - start) / step < 0) throw new ArgumentException("upper bound and larger bound inconsistent with step sign");
        double size = Math.Ceiling((end - start) / step);
        if (!(size <= long.MaxValue)) throw new ArgumentException("invalid size, possible overflow?");
        long count = (long)size;
        ThrowIfBeyondArrayLimit(count, sizeof(double));
        var values = new double[count];
        // In double, each element one fused multiply-add, as PyTorch's CPU kernel computes it.
        for (long i = 0; i < count; i++) values[i] = Math.FusedMultiplyAdd(step, i, start);
        return FromSpan<double>(values, [count]).To(dtype).WithRequiresGrad(requiresGrad);
    }

    /// <summary>0, 1, ..., end-1 as int64 (torch.arange(4); <paramref name="requiresGrad"/> throws, as for every integer tensor).</summary>
    public static Tensor Arange(long end, bool requiresGrad = false) => Arange(0, end, 1, requiresGrad);

    /// <summary>start, start+step, ... before end, as int64.</summary>
    public static Tensor Arange(long start, long end, long step = 1, bool requiresGrad = false)
    {
        if (step == 0) throw new ArgumentException("step must be nonzero");
        if (!(step > 0 ? end >= start : end <= start))
            throw new ArgumentException("upper bound and larger bound inconsistent with step sign");
        // PyTorch's int64 length, (end - start + step - sign) / step, wrapping as its C++ does: a
        // range longer than int64 comes out negative. Its one trap, long.MinValue / -1 (PyTorch dies
        // of SIGFPE), is such a range too.
        long numerator = unchecked(end - start + step - Math.Sign(step));
        long count = numerator == long.MinValue && step == -1 ? -1 : numerator / step;
        if (count < 0) throw new ArgumentException("invalid size, possible overflow?");
        ThrowIfBeyondArrayLimit(count, sizeof(long));
        var values = new long[count];
        for (long i = 0; i < count; i++) values[i] = start + i * step;
        return FromSpan<long>(values, [count], requiresGrad);
    }

    /// <summary>
    /// <paramref name="steps"/> evenly spaced values from start to end inclusive. Computed as
    /// PyTorch's CPU kernel does: in <paramref name="dtype"/> (the step in double for int64), the
    /// first half counting up from start and the second half down from end, each element one fused
    /// multiply-add.
    /// </summary>
    public static Tensor Linspace(double start, double end, long steps, DType dtype = DType.Float32, bool requiresGrad = false) =>
        LinspaceValues(start, end, steps, dtype).WithRequiresGrad(requiresGrad);

    private static Tensor LinspaceValues(double start, double end, long steps, DType dtype)
    {
        if (steps < 0) throw new ArgumentException("number of steps must be non-negative");
        ThrowIfBeyondArrayLimit(steps, dtype.SizeOf());
        long half = steps / 2;
        switch (dtype)
        {
            case DType.Float32:
            {
                float first = (float)start, last = (float)end, step = (last - first) / (steps - 1);
                var values = new float[steps];
                for (long i = 0; i < steps; i++)
                    values[i] = steps == 1 ? first
                        : i < half ? MathF.FusedMultiplyAdd(step, i, first) : MathF.FusedMultiplyAdd(-step, steps - 1 - i, last);
                return FromSpan<float>(values, [steps]);
            }
            case DType.Float64:
            {
                double step = (end - start) / (steps - 1);
                var values = new double[steps];
                for (long i = 0; i < steps; i++)
                    values[i] = steps == 1 ? start
                        : i < half ? Math.FusedMultiplyAdd(step, i, start) : Math.FusedMultiplyAdd(-step, steps - 1 - i, end);
                return FromSpan<double>(values, [steps]);
            }
            case DType.Int64:
            {
                double first = (long)start, last = (long)end, step = (last - first) / (steps - 1);
                var values = new long[steps];
                for (long i = 0; i < steps; i++)
                    values[i] = (long)(steps == 1 ? first
                        : i < half ? Math.FusedMultiplyAdd(step, i, first) : Math.FusedMultiplyAdd(-step, steps - 1 - i, last));
                return FromSpan<long>(values, [steps]);
            }
            default:
                throw new NotSupportedException($"\"linspace_cpu\" not implemented for '{dtype.ScalarTypeName()}'");
        }
    }

    /// <summary>Seeds the default generator (torch.manual_seed).</summary>
    public static void ManualSeed(ulong seed) => Generator.ManualSeedDefault(seed);

    /// <summary>Standard normal samples (torch.randn) from <paramref name="generator"/> or the default one.</summary>
    public static Tensor Randn(long[] shape, DType dtype = DType.Float32, bool requiresGrad = false, Generator? generator = null) =>
        Random(shape, dtype, requiresGrad, generator, Distribution.Normal);

    /// <summary>Standard normal samples of <paramref name="shape"/>, float32.</summary>
    public static Tensor Randn(params long[] shape) => Randn(shape, DType.Float32);

    /// <summary>Uniform samples in [0, 1) (torch.rand).</summary>
    public static Tensor Rand(long[] shape, DType dtype = DType.Float32, bool requiresGrad = false, Generator? generator = null) =>
        Random(shape, dtype, requiresGrad, generator, Distribution.Uniform);

    /// <summary>Uniform samples in [0, 1) of <paramref name="shape"/>, float32.</summary>
    public static Tensor Rand(params long[] shape) => Rand(shape, DType.Float32);

    /// <summary>Standard normal samples shaped like <paramref name="other"/>, of its dtype unless given.</summary>
    public static Tensor RandnLike(Tensor other, DType? dtype = null, bool requiresGrad = false) =>
        Randn(ShapeOf(other), dtype ?? other.DType, requiresGrad);

    /// <summary>Uniform samples shaped like <paramref name="other"/>, of its dtype unless given.</summary>
    public static Tensor RandLike(Tensor other, DType? dtype = null, bool requiresGrad = false) =>
        Rand(ShapeOf(other), dtype ?? other.DType, requiresGrad);

    /// <summary>Integers uniform in [low, high) as int64 (torch.randint).</summary>
    /// <remarks><paramref name="requiresGrad"/> throws, as for every integer tensor.</remarks>
    public static Tensor Randint(long low, long high, long[] shape, Generator? generator = null, bool requiresGrad = false)
    {
        ArgumentNullException.ThrowIfNull(shape);
        if (low >= high) throw new ArgumentException($"random_ expects 'from' to be less than 'to', but got from={low} >= to={high}");
        ShapeMath.Validate(shape);
        var values = new long[ShapeMath.Product(shape)];
        (generator ?? Generator.Default).FillRandint(values, low, high);
        return FromSpan<long>(values, shape, requiresGrad);
    }

    /// <summary>Integers uniform in [0, high) as int64.</summary>
    public static Tensor Randint(long high, long[] shape, Generator? generator = null, bool requiresGrad = false) =>
        Randint(0, high, shape, generator, requiresGrad);

    private enum Distribution { Normal, Uniform }

    private static Tensor Random(long[] shape, DType dtype, bool requiresGrad, Generator? generator, Distribution distribution)
    {
        ArgumentNullException.ThrowIfNull(shape);
        ShapeMath.Validate(shape);
        generator ??= Generator.Default;
        long elements = ShapeMath.Product(shape);
        if (elements > int.MaxValue)
            throw new NotSupportedException($"random tensors hold at most {int.MaxValue} elements (one span of the generator); {ShapeMath.Format(shape)} has {elements}");
        var result = Empty((long[])shape.Clone(), dtype);
        int count = (int)elements;
        using var data = result.Lease();
        switch (dtype, distribution)
        {
            case (DType.Float32, Distribution.Normal): generator.FillNormal(data.AsSpan<float>(count)); break;
            case (DType.Float64, Distribution.Normal): generator.FillNormal(data.AsSpan<double>(count)); break;
            case (DType.Float32, Distribution.Uniform): generator.FillUniform(data.AsSpan<float>(count)); break;
            case (DType.Float64, Distribution.Uniform): generator.FillUniform(data.AsSpan<double>(count)); break;
            default:
                var kernel = distribution == Distribution.Normal ? "normal_kernel_cpu" : "check_uniform_bounds";
                throw new NotSupportedException($"\"{kernel}\" not implemented for '{dtype.ScalarTypeName()}'");
        }
        return result.WithRequiresGrad(requiresGrad);
    }

    /// <summary>This tensor converted to <paramref name="dtype"/>; itself when it already is (differentiable).</summary>
    public Tensor To(DType dtype) =>
        dtype == DType ? this : Node.Record(CopyRaw(dtype), Derivatives.ToCopy, [this]);
}
