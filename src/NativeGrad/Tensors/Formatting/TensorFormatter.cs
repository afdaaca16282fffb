using System.Globalization;
using System.Text;

namespace NativeGrad;

/// <summary>
/// Python's <c>repr(tensor)</c> as PyTorch 1.13 writes it (torch/_tensor_str.py), character for
/// character: the nested brackets, the common element width, row wrapping, summarization with "..."
/// and the suffixes <c>size=</c>, <c>dtype=</c>, <c>requires_grad=True</c> and <c>grad_fn=&lt;...&gt;</c>.
/// </summary>
internal static class TensorFormatter
{
    private const string Prefix = "tensor(";

    /// <summary>
    /// Python's <c>repr</c> of a tensor with the current <see cref="PrintOptions"/>, e.g.
    /// "tensor([0., 1., 2., 3.], requires_grad=True)".
    /// </summary>
    /// <param name="dtype">The element type.</param>
    /// <param name="shape">The dimensions; empty for a scalar.</param>
    /// <param name="data">
    /// The elements, contiguous and row-major: a <c>float[]</c>, <c>double[]</c>, <c>long[]</c> or
    /// <c>bool[]</c> matching <paramref name="dtype"/>. When the tensor is summarized (more elements
    /// than the threshold) it may instead hold only the summary's elements (see <see cref="SummaryShape"/>).
    /// </param>
    /// <param name="requiresGrad">Whether the tensor is a leaf that requires grad.</param>
    /// <param name="gradFnName">
    /// The name of the function that made a non-leaf tensor, e.g. "MulBackward0"; when given,
    /// <c>grad_fn=&lt;name&gt;</c> is printed instead of <c>requires_grad=True</c>.
    /// </param>
    public static string Repr(DType dtype, long[] shape, Array data, bool requiresGrad = false, string? gradFnName = null) =>
        Repr(dtype, shape, data, requiresGrad, gradFnName, PrintOptions.Current);

    /// <summary>Python's <c>repr</c> of a tensor with the given <paramref name="options"/>.</summary>
    /// <param name="dtype">The element type.</param>
    /// <param name="shape">The dimensions; empty for a scalar.</param>
    /// <param name="data">The elements, contiguous and row-major, in the array type of <paramref name="dtype"/>; or, when summarized, only those of the <see cref="SummaryShape"/>.</param>
    /// <param name="requiresGrad">Whether the tensor is a leaf that requires grad.</param>
    /// <param name="gradFnName">The grad_fn's name for a non-leaf tensor, or null.</param>
    /// <param name="options">The print options to use instead of <see cref="PrintOptions.Current"/>.</param>
    /// <param name="tangentRepr">The repr of a dual tensor's tangent (forward AD), printed as <c>tangent=...</c> last.</param>
    public static string Repr(DType dtype, long[] shape, Array data, bool requiresGrad, string? gradFnName, PrintOptions options,
                              string? tangentRepr = null)
    {
        ArgumentNullException.ThrowIfNull(shape);
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(options);
        long count = CheckedElementCount(shape);
        bool summarize = count > options.Threshold;
        CheckData(dtype, data, count, summarize ? SummaryShape(shape, options.EdgeItems) : null);

        var suffixes = new List<string>();
        string body;
        if (count == 0)
        {
            // NumPy-style: the shape is spelled out unless it is (0,), and so is the dtype, since no
            // element shows whether the tensor holds integers or floats.
            if (shape.Length != 1)
                suffixes.Add("size=" + PythonTuple(shape));
            if (dtype != DType.Float32)
                suffixes.Add("dtype=" + dtype.TorchName());
            body = "[]";
        }
        else
        {
            // float32 is the default dtype; int64 and bool show themselves by their elements.
            if (dtype == DType.Float64)
                suffixes.Add("dtype=" + dtype.TorchName());
            body = new Layout(dtype, shape, data, summarize, options).Format();
        }

        if (gradFnName is not null)
            suffixes.Add("grad_fn=<" + gradFnName + ">");
        else if (requiresGrad)
            suffixes.Add("requires_grad=True");
        if (tangentRepr is not null)
            suffixes.Add("tangent=" + tangentRepr);

        return AddSuffixes(Prefix + body, suffixes, Prefix.Length, options.LineWidth);
    }

    /// <summary>
    /// Appends ", suffix" to the text, or ",\n" plus the indent and the suffix when it would pass the line
    /// width, then the closing parenthesis (PyTorch's <c>_add_suffixes</c>).
    /// </summary>
    private static string AddSuffixes(string text, List<string> suffixes, int indent, int lineWidth)
    {
        var result = new StringBuilder(text);
        // PyTorch's measure of the last line: len - rfind("\n") + 1, two more than the line's length,
        // which also holds when there is no newline (rfind gives -1).
        int lastLineLength = text.Length - text.LastIndexOf('\n') + 1;
        foreach (string suffix in suffixes)
        {
            if (lastLineLength + suffix.Length + 2 > lineWidth)
            {
                result.Append(",\n").Append(' ', indent).Append(suffix);
                lastLineLength = indent + suffix.Length;
            }
            else
            {
                result.Append(", ").Append(suffix);
                lastLineLength += suffix.Length + 2;
            }
        }
        return result.Append(')').ToString();
    }

    /// <summary>Python's <c>str(tuple(shape))</c>: "(0, 3)", and "(0,)" for one dimension.</summary>
    private static string PythonTuple(long[] shape) => shape.Length == 1
        ? "(" + shape[0].ToString(CultureInfo.InvariantCulture) + ",)"
        : "(" + string.Join(", ", shape.Select(d => d.ToString(CultureInfo.InvariantCulture))) + ")";

    private static long CheckedElementCount(long[] shape)
    {
        long count = 1;
        foreach (long size in shape)
        {
            if (size < 0)
                throw new ArgumentException($"Negative dimension {size} in shape {PythonTuple(shape)}.", nameof(shape));
            count = checked(count * size);
        }
        return count;
    }

    /// <summary>
    /// The shape of the elements a summarized print shows (PyTorch's get_summarized_data): each
    /// dimension longer than 2 * <paramref name="edgeItems"/> cut to its first and last edge items.
    /// </summary>
    public static long[] SummaryShape(long[] shape, int edgeItems) => [.. shape.Select(d => Math.Min(d, 2L * edgeItems))];

    private static void CheckData(DType dtype, Array data, long count, long[]? summaryShape)
    {
        bool matches = dtype switch
        {
            DType.Float32 => data is float[],
            DType.Float64 => data is double[],
            DType.Int64 => data is long[],
            DType.Bool => data is bool[],
            _ => throw new ArgumentOutOfRangeException(nameof(dtype), dtype, "Unknown dtype."),
        };
        if (!matches)
            throw new ArgumentException($"A {dtype.TorchName()} tensor needs its data as a {ElementTypeName(dtype)}[], not {data.GetType().Name}.", nameof(data));
        if (data.LongLength != count && (summaryShape is null || data.LongLength != ShapeMath.Product(summaryShape)))
            throw new ArgumentException($"The shape has {count} elements but the data holds {data.LongLength}.", nameof(data));
    }

    private static string ElementTypeName(DType dtype) => dtype switch
    {
        DType.Float32 => "float",
        DType.Float64 => "double",
        DType.Int64 => "long",
        _ => "bool",
    };

    /// <summary>
    /// The bracketed contents of a non-empty tensor (PyTorch's <c>_tensor_str</c>): picks the elements to
    /// show, builds one <see cref="ElementFormatter"/> from them, and lays them out.
    /// </summary>
    private sealed class Layout
    {
        /// <summary>Marks the place of "..." among the shown indices of a summarized dimension.</summary>
        private const long Ellipsis = -1;

        private readonly DType dtype;
        private readonly long[] shape;
        private readonly Array data;
        private readonly PrintOptions options;
        private readonly bool summarize;
        // The shape data is laid out in (shape itself, or the summary's) and its row-major strides.
        private readonly long[] dataShape;
        private readonly long[] strides;
        private readonly ElementFormatter formatter;

        public Layout(DType dtype, long[] shape, Array data, bool summarize, PrintOptions options)
        {
            this.dtype = dtype;
            this.shape = shape;
            this.data = data;
            this.options = options;
            this.summarize = summarize;
            dataShape = summarize && data.LongLength != ShapeMath.Product(shape) ? SummaryShape(shape, options.EdgeItems) : shape;
            strides = RowMajorStrides(dataShape);

            // Like PyTorch, the width and the mode come only from the elements that will be printed.
            var shown = ShownOffsets(0, 0);
            formatter = dtype switch
            {
                DType.Float32 or DType.Float64 => ElementFormatter.ForFloating(shown.Select(ReadFloating), options),
                _ => ElementFormatter.ForText(shown.Select(PlainText)),
            };
        }

        public string Format() => shape.Length == 0 ? FormatElement(0) : FormatBlock(0, 0, Prefix.Length);

        /// <summary>Dimension <paramref name="dim"/> and those inside it, starting at a flat offset.</summary>
        private string FormatBlock(int dim, long offset, int indent)
        {
            if (dim == shape.Length - 1)
                return FormatRow(offset, indent);

            var slices = ShownIndices(shape[dim])
                .Select(i => i == Ellipsis ? "..." : FormatBlock(dim + 1, offset + DataIndex(dim, i) * strides[dim], indent + 1));
            // Sub-blocks of k dimensions are separated by k newlines: rows by one, matrices by a blank line.
            string separator = "," + new string('\n', shape.Length - dim - 1) + new string(' ', indent + 1);
            return "[" + string.Join(separator, slices) + "]";
        }

        /// <summary>The innermost dimension, wrapped so that a line holds as many whole elements as fit.</summary>
        private string FormatRow(long offset, int indent)
        {
            int elementLength = formatter.Width + 2; // the element, a comma and a space
            int perLine = Math.Max(1, (int)Math.Floor((double)(options.LineWidth - indent) / elementLength));

            var items = ShownIndices(shape[^1])
                .Select(i => i == Ellipsis ? " ..." : FormatElement(offset + DataIndex(shape.Length - 1, i)))
                .ToList();
            var lines = items.Chunk(perLine).Select(line => string.Join(", ", line));
            return "[" + string.Join(",\n" + new string(' ', indent + 1), lines) + "]";
        }

        private string FormatElement(long offset) => dtype is DType.Float32 or DType.Float64
            ? formatter.Format(ReadFloating(offset))
            : formatter.Pad(PlainText(offset));

        /// <summary>
        /// Indices along a dimension of this size in print order: all of them, or when summarizing a long
        /// dimension the first and last edge items around <see cref="Ellipsis"/>.
        /// </summary>
        private IEnumerable<long> ShownIndices(long size)
        {
            long edge = options.EdgeItems;
            if (!summarize || size <= 2 * edge)
            {
                for (long i = 0; i < size; i++)
                    yield return i;
                yield break;
            }
            for (long i = 0; i < edge; i++)
                yield return i;
            yield return Ellipsis;
            for (long i = size - edge; i < size; i++)
                yield return i;
        }

        /// <summary>Flat offsets of every element that will be printed (PyTorch's get_summarized_data).</summary>
        private IEnumerable<long> ShownOffsets(int dim, long offset)
        {
            if (dim == shape.Length)
            {
                yield return offset;
                yield break;
            }
            foreach (long i in ShownIndices(shape[dim]))
            {
                if (i == Ellipsis)
                    continue;
                foreach (long inner in ShownOffsets(dim + 1, offset + DataIndex(dim, i) * strides[dim]))
                    yield return inner;
            }
        }

        /// <summary>Where index <paramref name="i"/> of dimension <paramref name="dim"/> is in the data: the last edge items follow the first in a summary.</summary>
        private long DataIndex(int dim, long i) => i < options.EdgeItems ? i : i - (shape[dim] - dataShape[dim]);

        /// <summary>A float32 or float64 element as the exact double Python's float would hold.</summary>
        private double ReadFloating(long offset) => data is float[] singles ? singles[offset] : ((double[])data)[offset];

        /// <summary>Python's <c>str</c> of an int64 or bool element.</summary>
        private string PlainText(long offset) => data is long[] longs
            ? longs[offset].ToString(CultureInfo.InvariantCulture)
            : ((bool[])data)[offset] ? "True" : "False";

        private static long[] RowMajorStrides(long[] shape)
        {
            var strides = new long[shape.Length];
            long stride = 1;
            for (int d = shape.Length - 1; d >= 0; d--)
            {
                strides[d] = stride;
                stride *= shape[d];
            }
            return strides;
        }
    }
}
