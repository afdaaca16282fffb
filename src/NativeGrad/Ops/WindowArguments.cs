namespace NativeGrad;

/// <summary>
/// A per-axis size for 2-D windows (kernel size, stride, padding, dilation, output size): one int
/// for both axes or an (h, w) pair, as PyTorch's <c>_size_2_t</c> takes <c>2</c> or <c>(2, 1)</c>.
/// </summary>
public readonly record struct Size2(int H, int W)
{
    /// <summary>The same size along both axes.</summary>
    public static implicit operator Size2(int size) => new(size, size);

    /// <summary>Sizes (h, w).</summary>
    public static implicit operator Size2((int H, int W) sizes) => new(sizes.H, sizes.W);

    /// <summary>PyTorch's list form, e.g. "[2, 1]".</summary>
    public override string ToString() => $"[{H}, {W}]";
}

/// <summary>
/// Convolution padding: explicit sizes (an int or an (h, w) pair) or PyTorch's string forms
/// <c>"valid"</c> (none) and <c>"same"</c> (the output keeps the input's size; stride must be 1).
/// </summary>
public readonly record struct Padding
{
    private Padding(Size2 size, bool same)
    {
        Size = size;
        IsSame = same;
    }

    /// <summary>The explicit padding per axis (zero for "valid" and "same").</summary>
    public Size2 Size { get; }

    /// <summary>Whether this is <c>padding="same"</c>.</summary>
    public bool IsSame { get; }

    /// <summary><c>padding="valid"</c>: no padding.</summary>
    public static Padding Valid => new(0, false);

    /// <summary><c>padding="same"</c>: as much padding as keeps the output the input's size.</summary>
    public static Padding Same => new(0, true);

    /// <summary>The same padding on both axes.</summary>
    public static implicit operator Padding(int size) => new(size, false);

    /// <summary>Padding (h, w).</summary>
    public static implicit operator Padding((int H, int W) sizes) => new(sizes, false);

    /// <summary>Explicit padding per axis.</summary>
    public static implicit operator Padding(Size2 size) => new(size, false);

    /// <summary>"valid" or "same", as in PyTorch; anything else throws PyTorch's message.</summary>
    public static implicit operator Padding(string mode) => mode switch
    {
        "valid" => Valid,
        "same" => Same,
        _ => throw new ArgumentException($"Invalid padding string: '{mode}'"),
    };
}
