namespace NativeGrad;

/// <summary>Checks and arithmetic on shapes and strides, with PyTorch's error messages.</summary>
internal static class ShapeMath
{
    /// <summary>The most dimensions a tensor may have: the native kernels' limit, and most of PyTorch's.</summary>
    public const int MaxDims = 64;

    public static long Product(ReadOnlySpan<long> shape)
    {
        long product = 1;
        try
        {
            foreach (var dim in shape) product = checked(product * dim);
        }
        catch (OverflowException)
        {
            throw StorageSizeOverflow(shape);
        }
        return product;
    }

    /// <summary>PyTorch's error (computeStorageNbytes) for a shape whose element count, or byte count, overflows int64.</summary>
    public static ArgumentException StorageSizeOverflow(ReadOnlySpan<long> shape) =>
        new($"Storage size calculation overflowed with sizes={Format(shape)}");

    public static void ThrowIfTooManyDims(int rank)
    {
        if (rank > MaxDims)
            throw new ArgumentException($"a tensor has at most {MaxDims} dimensions, but this one would have {rank}");
    }

    // Shape and stride arrays are never written once a tensor holds them, so tensors share these.
    private static readonly long[] ScalarStrides = [];
    private static readonly long[] VectorStrides = [1];

    /// <summary>Row-major strides (in elements) of a contiguous tensor of this shape.</summary>
    public static long[] ContiguousStrides(ReadOnlySpan<long> shape)
    {
        if (shape.Length == 0) return ScalarStrides;
        if (shape.Length == 1) return VectorStrides;
        var strides = new long[shape.Length];
        long stride = 1;
        for (int i = shape.Length - 1; i >= 0; i--)
        {
            strides[i] = stride;
            stride *= Math.Max(shape[i], 1);
        }
        return strides;
    }

    public static bool IsContiguous(ReadOnlySpan<long> shape, ReadOnlySpan<long> strides)
    {
        long expected = 1;
        for (int i = shape.Length - 1; i >= 0; i--)
        {
            if (shape[i] == 0) return true;
            if (shape[i] != 1 && strides[i] != expected) return false;
            expected *= shape[i];
        }
        return true;
    }

    public static void Validate(ReadOnlySpan<long> shape)
    {
        for (int i = 0; i < shape.Length; i++)
            if (shape[i] < 0)
                throw new ArgumentException($"Trying to create tensor with negative dimension {shape[i]}: {Format(shape)}");
    }

    /// <summary>Wraps a possibly negative dimension index into [0, rank).</summary>
    public static int WrapDim(long dim, int rank)
    {
        int effectiveRank = Math.Max(rank, 1); // a scalar accepts dims 0 and -1, like PyTorch
        if (dim < -effectiveRank || dim >= effectiveRank)
            throw new ArgumentOutOfRangeException(null,
                $"Dimension out of range (expected to be in range of [{-effectiveRank}, {effectiveRank - 1}], but got {dim})");
        return (int)(dim < 0 ? dim + effectiveRank : dim);
    }

    /// <summary>The shape two operands broadcast to, or PyTorch's error when they do not.</summary>
    public static long[] Broadcast(long[] a, long[] b)
    {
        // The common case, equal shapes, shares the operand's (immutable) shape array.
        if (a.AsSpan().SequenceEqual(b)) return a;
        return Broadcast(a.AsSpan(), b.AsSpan());
    }

    /// <inheritdoc cref="Broadcast(long[], long[])"/>
    public static long[] Broadcast(ReadOnlySpan<long> a, ReadOnlySpan<long> b)
    {
        int rank = Math.Max(a.Length, b.Length);
        var result = new long[rank];
        for (int i = 1; i <= rank; i++)
        {
            long da = i <= a.Length ? a[^i] : 1, db = i <= b.Length ? b[^i] : 1;
            if (da != db && da != 1 && db != 1)
                throw new ArgumentException(
                    $"The size of tensor a ({da}) must match the size of tensor b ({db}) at non-singleton dimension {rank - i}");
            result[^i] = da == 1 ? db : da;
        }
        return result;
    }

    /// <summary>Whether <paramref name="source"/> broadcasts to exactly <paramref name="target"/>.</summary>
    public static bool BroadcastsInto(ReadOnlySpan<long> source, ReadOnlySpan<long> target)
    {
        if (source.Length > target.Length) return false;
        for (int i = 1; i <= source.Length; i++)
            if (source[^i] != target[^i] && source[^i] != 1)
                return false;
        return true;
    }

    /// <summary>Strides that read a tensor of <paramref name="shape"/> as if expanded to <paramref name="target"/> (0 where broadcast).</summary>
    public static long[] BroadcastStrides(long[] shape, long[] strides, ReadOnlySpan<long> target)
    {
        if (shape.AsSpan().SequenceEqual(target)) return strides;
        var result = new long[target.Length];
        for (int i = 1; i <= shape.Length; i++)
            result[^i] = shape[^i] == 1 && target[^i] != 1 ? 0 : strides[^i];
        return result;
    }

    /// <summary>PyTorch's list text, e.g. "[2, 3]".</summary>
    public static string Format(ReadOnlySpan<long> shape) => "[" + string.Join(", ", shape.ToArray()) + "]";

    /// <summary>PyTorch's torch.Size text, e.g. "torch.Size([2, 3])".</summary>
    public static string FormatSize(ReadOnlySpan<long> shape) => $"torch.Size({Format(shape)})";
}
