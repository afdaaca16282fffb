namespace NativeGrad;

/// <summary>Element types, as PyTorch names them: float32 (the default), float64, int64 and bool.</summary>
public enum DType
{
    /// <summary>torch.float32: 32-bit IEEE float, the default dtype.</summary>
    Float32,
    /// <summary>torch.float64: 64-bit IEEE float, for gradient checks.</summary>
    Float64,
    /// <summary>torch.int64: 64-bit signed integer, for indices and class targets.</summary>
    Int64,
    /// <summary>torch.bool: one byte per element, for masks.</summary>
    Bool,
}

/// <summary>Facts about each <see cref="DType"/>.</summary>
public static class DTypeInfo
{
    /// <summary>Bytes per element.</summary>
    public static int SizeOf(this DType dtype) => dtype switch
    {
        DType.Float32 => 4,
        DType.Float64 => 8,
        DType.Int64 => 8,
        DType.Bool => 1,
        _ => throw new ArgumentOutOfRangeException(nameof(dtype), dtype, "Unknown dtype."),
    };

    /// <summary>PyTorch's name, e.g. "torch.float32".</summary>
    public static string TorchName(this DType dtype) => dtype switch
    {
        DType.Float32 => "torch.float32",
        DType.Float64 => "torch.float64",
        DType.Int64 => "torch.int64",
        DType.Bool => "torch.bool",
        _ => throw new ArgumentOutOfRangeException(nameof(dtype), dtype, "Unknown dtype."),
    };

    /// <summary>The C++ scalar type name PyTorch uses in some messages, e.g. "Float".</summary>
    public static string ScalarTypeName(this DType dtype) => dtype switch
    {
        DType.Float32 => "Float",
        DType.Float64 => "Double",
        DType.Int64 => "Long",
        DType.Bool => "Bool",
        _ => throw new ArgumentOutOfRangeException(nameof(dtype), dtype, "Unknown dtype."),
    };

    /// <summary>True for float32 and float64, the dtypes that can require grad.</summary>
    public static bool IsFloatingPoint(this DType dtype) => dtype is DType.Float32 or DType.Float64;
}
