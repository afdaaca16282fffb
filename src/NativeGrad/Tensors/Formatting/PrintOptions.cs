namespace NativeGrad;

/// <summary>
/// How tensors print, mirroring the options of <c>torch.set_printoptions</c> (PyTorch 1.13). The values
/// are immutable; <see cref="Current"/> holds the set in force, which a future setter replaces whole so
/// that a repr running on another thread always sees one consistent set.
/// </summary>
internal sealed record PrintOptions
{
    private static PrintOptions current = new();

    private readonly int precision = 4;

    /// <summary>PyTorch's <c>profile="default"</c>: precision 4, threshold 1000, 3 edge items, 80 columns.</summary>
    public static PrintOptions Default { get; } = new();

    /// <summary>PyTorch's <c>profile="short"</c>: precision 2 and 2 edge items.</summary>
    public static PrintOptions Short { get; } = new() { Precision = 2, EdgeItems = 2 };

    /// <summary>PyTorch's <c>profile="full"</c>: never summarize.</summary>
    public static PrintOptions Full { get; } = new() { Threshold = double.PositiveInfinity };

    /// <summary>The options used by <see cref="TensorFormatter.Repr(DType, long[], Array, bool, string?)"/>.</summary>
    public static PrintOptions Current
    {
        get => Volatile.Read(ref current);
        set => Volatile.Write(ref current, value ?? throw new ArgumentNullException(nameof(value)));
    }

    /// <summary>Digits after the decimal point (in scientific mode, after the first digit).</summary>
    public int Precision
    {
        get => precision;
        init => precision = value >= 0
            ? value
            : throw new ArgumentOutOfRangeException(nameof(Precision), value, "Precision must not be negative.");
    }

    /// <summary>Tensors with more elements than this are summarized with "..."; may be infinite.</summary>
    public double Threshold { get; init; } = 1000;

    /// <summary>How many items a summarized dimension shows at each end.</summary>
    public int EdgeItems { get; init; } = 3;

    /// <summary>The column at which rows of elements wrap.</summary>
    public int LineWidth { get; init; } = 80;

    /// <summary>True or false forces scientific notation on or off for floating-point tensors; null lets the values decide.</summary>
    public bool? SciMode { get; init; }
}
