namespace NativeGrad;

/// <summary>
/// Turns one element into its padded text, like PyTorch 1.13's <c>_Formatter</c>: it looks at every
/// element that will be shown once, picks a mode (integer-valued, fixed or scientific for floating
/// point) and a common width, and then right-aligns each element to that width.
/// </summary>
internal sealed class ElementFormatter
{
    private readonly bool isFloating;
    private readonly bool intMode;
    private readonly bool sciMode;
    private readonly int precision;

    private ElementFormatter(bool isFloating, bool intMode, bool sciMode, int width, int precision)
    {
        this.isFloating = isFloating;
        this.intMode = intMode;
        this.sciMode = sciMode;
        this.precision = precision;
        Width = width;
    }

    /// <summary>The width every element is padded to; rows wrap by it.</summary>
    public int Width { get; }

    /// <summary>A formatter for float32 or float64 elements.</summary>
    /// <param name="shownValues">The elements that will be printed (after summarization), widened to double exactly.</param>
    /// <param name="options">Precision and the sci-mode override.</param>
    public static ElementFormatter ForFloating(IEnumerable<double> shownValues, PrintOptions options)
    {
        ArgumentNullException.ThrowIfNull(shownValues);
        ArgumentNullException.ThrowIfNull(options);
        int precision = options.Precision;

        // Zeros, NaNs and infinities have a fixed look; only the other values choose the mode.
        var nonzeroFinite = shownValues.Where(v => double.IsFinite(v) && v != 0).ToList();
        if (nonzeroFinite.Count == 0)
        {
            // PyTorch returns early here, before applying the sci_mode option: integer mode, width 1.
            return new ElementFormatter(isFloating: true, intMode: true, sciMode: false, width: 1, precision);
        }

        double smallest = nonzeroFinite.Min(Math.Abs);
        double largest = nonzeroFinite.Max(Math.Abs);
        bool spreadTooWide = largest / smallest > 1000.0 || largest > 1.0e8;
        bool intMode = nonzeroFinite.All(v => v == Math.Ceiling(v));

        bool sciMode;
        int width;
        if (intMode)
        {
            sciMode = spreadTooWide;
            // The trailing "." that marks a floating-point tensor counts towards the width.
            width = sciMode
                ? MaxLength(nonzeroFinite, v => PythonFloatFormat.FormatScientific(v, precision).Length)
                : MaxLength(nonzeroFinite, v => PythonFloatFormat.FormatFixed(v, 0).Length + 1);
        }
        else
        {
            sciMode = spreadTooWide || smallest < 1.0e-4;
            width = sciMode
                ? MaxLength(nonzeroFinite, v => PythonFloatFormat.FormatScientific(v, precision).Length)
                : MaxLength(nonzeroFinite, v => PythonFloatFormat.FormatFixed(v, precision).Length);
        }

        // The option overrides the mode but not the width measured for the automatic mode.
        if (options.SciMode is bool forced)
            sciMode = forced;
        return new ElementFormatter(isFloating: true, intMode, sciMode, width, precision);
    }

    /// <summary>
    /// A formatter for int64 and bool elements, whose text is Python's <c>str</c> of the value
    /// ("-12", "True").
    /// </summary>
    /// <param name="shownTexts">The text of every element that will be printed.</param>
    public static ElementFormatter ForText(IEnumerable<string> shownTexts)
    {
        ArgumentNullException.ThrowIfNull(shownTexts);
        return new ElementFormatter(isFloating: false, intMode: false, sciMode: false,
            MaxLength(shownTexts, text => text.Length), precision: 0);
    }

    /// <summary>A floating-point element as PyTorch prints it, right-aligned to <see cref="Width"/>.</summary>
    /// <param name="value">The element, widened to double exactly (as Python's float does).</param>
    public string Format(double value)
    {
        if (!isFloating)
            throw new InvalidOperationException("This formatter is for int64 or bool elements; use Pad.");

        string text;
        if (sciMode)
        {
            text = PythonFloatFormat.FormatScientific(value, precision);
        }
        else if (intMode)
        {
            text = PythonFloatFormat.FormatFixed(value, 0);
            if (double.IsFinite(value))
                text += ".";
        }
        else
        {
            text = PythonFloatFormat.FormatFixed(value, precision);
        }
        return Pad(text);
    }

    /// <summary>Right-aligns <paramref name="text"/> to <see cref="Width"/>; longer text stays as it is.</summary>
    /// <param name="text">An element's text.</param>
    public string Pad(string text) => text.Length >= Width ? text : text.PadLeft(Width);

    /// <summary>The longest length among the values, and at least 1 (PyTorch's starting width).</summary>
    private static int MaxLength<T>(IEnumerable<T> values, Func<T, int> length)
    {
        int width = 1;
        foreach (var value in values)
            width = Math.Max(width, length(value));
        return width;
    }
}
