using System.Text.Json;

namespace NativeGrad;

/// <summary>One tensor's header entry: its dtype, shape and [Begin, End) byte range in the data section.</summary>
internal sealed record SafetensorsEntry(string Name, DType DType, long[] Shape, long Begin, long End)
{
    public long ByteLength => End - Begin;
}

/// <summary>
/// Parses and validates a safetensors header. Nothing is allocated for tensor data here, so a
/// hostile header cannot make the reader allocate or read anything it does not describe.
/// </summary>
internal static class SafetensorsHeader
{
    public const string MetadataKey = "__metadata__";

    private static readonly (string Name, DType DType)[] DTypeNames =
        [("F32", DType.Float32), ("F64", DType.Float64), ("I64", DType.Int64), ("BOOL", DType.Bool)];

    public static string NameOf(DType dtype) => DTypeNames.First(pair => pair.DType == dtype).Name;

    /// <summary>
    /// The entries, sorted by their data offsets, and the metadata; throws
    /// <see cref="InvalidDataException"/> naming <paramref name="source"/> for any flaw, including
    /// offsets that do not tile [0, <paramref name="dataLength"/>) exactly.
    /// </summary>
    public static (List<SafetensorsEntry> Entries, Dictionary<string, string> Metadata) Parse(ReadOnlySpan<byte> json, long dataLength, string source)
    {
        List<SafetensorsEntry> entries;
        Dictionary<string, string> metadata;
        try
        {
            (entries, metadata) = ReadJson(json, source);
        }
        catch (JsonException e)
        {
            throw Invalid(source, $"the header is not valid JSON ({e.Message})");
        }
        catch (InvalidOperationException e)
        {
            // Utf8JsonReader reports invalid UTF-8 inside strings this way.
            throw Invalid(source, $"the header is not valid JSON ({e.Message})");
        }

        entries.Sort((a, b) => a.Begin != b.Begin ? a.Begin.CompareTo(b.Begin) : a.End.CompareTo(b.End));
        CheckCoverage(entries, dataLength, source);
        return (entries, metadata);
    }

    public static InvalidDataException Invalid(string source, string problem) => new($"{source}: invalid safetensors file: {problem}");

    private static (List<SafetensorsEntry>, Dictionary<string, string>) ReadJson(ReadOnlySpan<byte> json, string source)
    {
        var reader = new Utf8JsonReader(json, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Disallow });
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            throw Invalid(source, "the header must be a JSON object");

        var entries = new List<SafetensorsEntry>();
        var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        while (Next(ref reader) != JsonTokenType.EndObject)
        {
            string key = reader.GetString()!;
            if (!seen.Add(key))
                throw Invalid(source, $"the header has the key '{key}' twice");
            if (key == MetadataKey)
            {
                ReadMetadata(ref reader, metadata, source);
            }
            else
            {
                entries.Add(ReadEntry(ref reader, key, source));
            }
        }
        if (reader.Read())
            throw Invalid(source, "the header has content after its JSON object");
        return (entries, metadata);
    }

    private static void ReadMetadata(ref Utf8JsonReader reader, Dictionary<string, string> metadata, string source)
    {
        if (Next(ref reader) != JsonTokenType.StartObject)
            throw Invalid(source, $"'{MetadataKey}' must be an object of strings, but it is {Describe(reader.TokenType)}");
        while (Next(ref reader) != JsonTokenType.EndObject)
        {
            string key = reader.GetString()!;
            var token = Next(ref reader);
            if (token != JsonTokenType.String)
                throw Invalid(source, $"metadata values must be strings, but '{key}' is {Describe(token)}");
            if (!metadata.TryAdd(key, reader.GetString()!))
                throw Invalid(source, $"the metadata has the key '{key}' twice");
        }
    }

    private static SafetensorsEntry ReadEntry(ref Utf8JsonReader reader, string name, string source)
    {
        if (Next(ref reader) != JsonTokenType.StartObject)
            throw Invalid(source, $"tensor '{name}' must be an object with dtype, shape and data_offsets, but it is {Describe(reader.TokenType)}");
        string? dtypeName = null;
        long[]? shape = null;
        long[]? offsets = null;
        while (Next(ref reader) != JsonTokenType.EndObject)
        {
            string field = reader.GetString()!;
            bool duplicate = field switch
            {
                "dtype" => dtypeName is not null,
                "shape" => shape is not null,
                "data_offsets" => offsets is not null,
                _ => throw Invalid(source, $"tensor '{name}' has an unknown field '{field}' (expected dtype, shape and data_offsets)"),
            };
            if (duplicate)
                throw Invalid(source, $"tensor '{name}' has the field '{field}' twice");
            switch (field)
            {
                case "dtype":
                    if (Next(ref reader) != JsonTokenType.String)
                        throw Invalid(source, $"the dtype of tensor '{name}' must be a string, but it is {Describe(reader.TokenType)}");
                    dtypeName = reader.GetString()!;
                    break;
                case "shape":
                    shape = ReadIntegers(ref reader, source, $"the shape of tensor '{name}'");
                    break;
                default:
                    offsets = ReadIntegers(ref reader, source, $"the data_offsets of tensor '{name}'");
                    break;
            }
        }

        if (dtypeName is null || shape is null || offsets is null)
            throw Invalid(source, $"tensor '{name}' lacks {(dtypeName is null ? "dtype" : shape is null ? "shape" : "data_offsets")}");
        if (!TryParseDType(dtypeName, out var dtype))
            throw Invalid(source, $"tensor '{name}' has the unsupported dtype '{dtypeName}' (NativeGrad reads F32, F64, I64 and BOOL)");
        if (offsets.Length != 2)
            throw Invalid(source, $"the data_offsets of tensor '{name}' must be [begin, end], but it has {offsets.Length} numbers");
        if (offsets[0] > offsets[1])
            throw Invalid(source, $"tensor '{name}' has data_offsets [{offsets[0]}, {offsets[1]}], which end before they begin");

        long expected = ByteCount(shape, dtype, name, source);
        if (expected != offsets[1] - offsets[0])
            throw Invalid(source,
                $"tensor '{name}' of dtype {dtypeName} and shape [{string.Join(", ", shape)}] needs {expected} bytes, but its data_offsets [{offsets[0]}, {offsets[1]}] hold {offsets[1] - offsets[0]}");
        return new SafetensorsEntry(name, dtype, shape, offsets[0], offsets[1]);
    }

    private static long[] ReadIntegers(ref Utf8JsonReader reader, string source, string what)
    {
        if (Next(ref reader) != JsonTokenType.StartArray)
            throw Invalid(source, $"{what} must be an array of non-negative integers, but it is {Describe(reader.TokenType)}");
        var values = new List<long>();
        for (var token = Next(ref reader); token != JsonTokenType.EndArray; token = Next(ref reader))
        {
            if (token != JsonTokenType.Number || !reader.TryGetInt64(out long value) || value < 0)
                throw Invalid(source, $"{what} must hold non-negative integers, but it holds {Describe(token)} '{System.Text.Encoding.UTF8.GetString(reader.ValueSpan)}'");
            values.Add(value);
        }
        return [.. values];
    }

    private static long ByteCount(long[] shape, DType dtype, string name, string source)
    {
        try
        {
            long count = 1;
            foreach (long size in shape)
                count = checked(count * size);
            return checked(count * dtype.SizeOf());
        }
        catch (OverflowException)
        {
            throw Invalid(source, $"tensor '{name}' has the shape [{string.Join(", ", shape)}], whose size in bytes does not fit in 64 bits");
        }
    }

    // The tensors must tile the data section: sorted by offset, each starts where the previous
    // ended, the first at 0 and the last at its end (the specification forbids holes).
    private static void CheckCoverage(List<SafetensorsEntry> entries, long dataLength, string source)
    {
        long covered = 0;
        SafetensorsEntry? previous = null;
        foreach (var entry in entries)
        {
            if (entry.End > dataLength)
                throw Invalid(source,
                    $"tensor '{entry.Name}' has data_offsets [{entry.Begin}, {entry.End}], past the end of the {dataLength}-byte data section (the file is truncated or the offsets are wrong)");
            if (entry.Begin < covered)
                throw Invalid(source,
                    $"tensors '{previous!.Name}' [{previous.Begin}, {previous.End}) and '{entry.Name}' [{entry.Begin}, {entry.End}) overlap");
            if (entry.Begin > covered)
                throw Invalid(source,
                    $"bytes [{covered}, {entry.Begin}) of the data section{(previous is null ? "" : $" between tensors '{previous.Name}' and '{entry.Name}'")} belong to no tensor");
            covered = entry.End;
            previous = entry;
        }
        if (covered != dataLength)
            throw Invalid(source, $"bytes [{covered}, {dataLength}) at the end of the data section belong to no tensor");
    }

    private static bool TryParseDType(string name, out DType dtype)
    {
        foreach (var pair in DTypeNames)
        {
            if (pair.Name == name)
            {
                dtype = pair.DType;
                return true;
            }
        }
        dtype = default;
        return false;
    }

    // Moves to the next token; the input ending inside the header object is a JSON error.
    private static JsonTokenType Next(ref Utf8JsonReader reader)
    {
        if (!reader.Read())
            throw new JsonException("the header ends inside its JSON object");
        return reader.TokenType;
    }

    private static string Describe(JsonTokenType token) => token switch
    {
        JsonTokenType.StartObject => "an object",
        JsonTokenType.StartArray => "an array",
        JsonTokenType.String => "a string",
        JsonTokenType.Number => "a number",
        JsonTokenType.True or JsonTokenType.False => "a boolean",
        JsonTokenType.Null => "null",
        _ => token.ToString(),
    };
}
