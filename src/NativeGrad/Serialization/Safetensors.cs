using System.Buffers.Binary;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace NativeGrad;

/// <summary>
/// Reads and writes the safetensors format (Hugging Face's, also what <c>safetensors.torch</c>
/// reads): an 8-byte little-endian header length N, N bytes of JSON padded with spaces to a
/// multiple of 8, then each tensor's raw little-endian bytes at its [begin, end) data_offsets.
/// Supported dtypes are F32, F64, I64 and BOOL; the optional <c>__metadata__</c> object holds strings.
/// </summary>
/// <remarks>
/// Writing lays the tensors out as the reference writers do (largest element size first, then by
/// name), so the same tensors always give the same bytes. Reading accepts any order and checks the
/// whole header (JSON, dtypes, shapes against byte counts, offsets tiling the data section with no
/// overlap or gap, the file's length) before it allocates a tensor, and checks BOOL bytes are 0 or 1;
/// every flaw is an <see cref="InvalidDataException"/> whose message names the file and the problem.
/// </remarks>
public static class Safetensors
{
    // safetensors' own reader refuses larger headers; a hostile length cannot make us allocate more.
    private const long MaxHeaderLength = 100_000_000;
    private const int HeaderAlignment = 8;
    private const int ChunkBytes = 1 << 30;

    /// <summary>Writes <paramref name="tensors"/> (and <paramref name="metadata"/>) to the file at <paramref name="path"/>.</summary>
    /// <param name="path">The file to create or replace; it is replaced only once the whole file is written.</param>
    /// <param name="tensors">The tensors by name; non-contiguous ones are written in row-major order.</param>
    /// <param name="metadata">String pairs for the header's <c>__metadata__</c>, e.g. {"format": "pt"}; none when null or empty.</param>
    /// <exception cref="ArgumentException">A null tensor or metadata value, or a tensor named <c>__metadata__</c>.</exception>
    public static void Save(string path, IReadOnlyDictionary<string, Tensor> tensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        var plan = Plan(tensors, metadata);
        string fullPath = Path.GetFullPath(path);
        string temporary = Path.Combine(Path.GetDirectoryName(fullPath)!, $".{Path.GetFileName(fullPath)}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var file = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None))
                Write(file, plan);
            File.Move(temporary, fullPath, overwrite: true);
        }
        finally
        {
            // Gone after a successful move; a failed write leaves only the temporary file to remove.
            if (File.Exists(temporary))
                File.Delete(temporary);
        }
    }

    /// <summary>Writes <paramref name="tensors"/> (and <paramref name="metadata"/>) to <paramref name="stream"/>, which stays open.</summary>
    /// <param name="stream">A writable stream.</param>
    /// <param name="tensors">The tensors by name; non-contiguous ones are written in row-major order.</param>
    /// <param name="metadata">String pairs for the header's <c>__metadata__</c>; none when null or empty.</param>
    /// <exception cref="ArgumentException">A null tensor or metadata value, or a tensor named <c>__metadata__</c>.</exception>
    public static void Save(Stream stream, IReadOnlyDictionary<string, Tensor> tensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        Write(stream, Plan(tensors, metadata));
    }

    /// <summary>Reads every tensor and the metadata of the safetensors file at <paramref name="path"/>.</summary>
    /// <param name="path">The file.</param>
    /// <returns>The tensors by name (each contiguous, in its own storage) and the metadata (empty when the file has none).</returns>
    /// <exception cref="InvalidDataException">The file is not a valid safetensors file of supported dtypes; the message says why.</exception>
    public static (Dictionary<string, Tensor> Tensors, Dictionary<string, string> Metadata) Load(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
        return Load(file, path);
    }

    /// <summary>Reads a safetensors file from <paramref name="stream"/>, which is read to its end and stays open.</summary>
    /// <param name="stream">The file's bytes from its first byte; a non-seekable stream is buffered in memory first.</param>
    /// <param name="name">What to call the file in error messages.</param>
    /// <returns>The tensors by name and the metadata.</returns>
    /// <exception cref="InvalidDataException">The bytes are not a valid safetensors file of supported dtypes; the message says why.</exception>
    public static (Dictionary<string, Tensor> Tensors, Dictionary<string, string> Metadata) Load(Stream stream, string name = "safetensors stream")
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(name);
        CheckLittleEndian();
        if (!stream.CanSeek)
        {
            // Only a known length lets the header be checked against the file before allocating.
            var buffered = new MemoryStream();
            stream.CopyTo(buffered);
            buffered.Position = 0;
            stream = buffered;
        }

        long available = stream.Length - stream.Position;
        Span<byte> lengthBytes = stackalloc byte[sizeof(ulong)];
        if (available < lengthBytes.Length)
            throw SafetensorsHeader.Invalid(name, $"the file is truncated: it has {available} bytes, but the header length alone takes 8");
        stream.ReadExactly(lengthBytes);
        ulong headerLength = BinaryPrimitives.ReadUInt64LittleEndian(lengthBytes);
        if (headerLength > MaxHeaderLength)
            throw SafetensorsHeader.Invalid(name, $"the header length {headerLength} is above the {MaxHeaderLength}-byte limit");
        if (headerLength > (ulong)(available - lengthBytes.Length))
            throw SafetensorsHeader.Invalid(name, $"the header length {headerLength} runs past the end of the file ({available - lengthBytes.Length} bytes follow it)");

        var header = new byte[headerLength];
        stream.ReadExactly(header);
        long dataLength = available - lengthBytes.Length - (long)headerLength;
        var (entries, metadata) = SafetensorsHeader.Parse(header, dataLength, name);

        var tensors = new Dictionary<string, Tensor>(entries.Count, StringComparer.Ordinal);
        try
        {
            // Sorted by offset and tiling the data, so the entries are read back to back.
            foreach (var entry in entries)
            {
                var tensor = Tensor.Empty(entry.Shape, entry.DType);
                tensors.Add(entry.Name, tensor);
                ReadData(stream, tensor, entry, name);
            }
        }
        catch
        {
            foreach (var tensor in tensors.Values)
                tensor.Dispose();
            throw;
        }

        // Callers see the tensors in the header's order, whatever order the data is in.
        return (OrderAsInHeader(tensors, header), metadata);
    }

    private sealed record SavePlan(byte[] Header, (Tensor Tensor, long Bytes)[] Tensors);

    // Everything is checked and the header built before the first byte is written.
    private static SavePlan Plan(IReadOnlyDictionary<string, Tensor> tensors, IReadOnlyDictionary<string, string>? metadata)
    {
        ArgumentNullException.ThrowIfNull(tensors);
        CheckLittleEndian();
        foreach (var (name, tensor) in tensors)
        {
            if (name == SafetensorsHeader.MetadataKey)
                throw new ArgumentException($"a tensor cannot be named '{SafetensorsHeader.MetadataKey}': safetensors reserves that key for the metadata", nameof(tensors));
            if (tensor is null)
                throw new ArgumentException($"tensor '{name}' is null", nameof(tensors));
        }
        foreach (var (key, value) in metadata ?? new Dictionary<string, string>())
            if (value is null)
                throw new ArgumentException($"metadata value '{key}' is null; safetensors metadata values are strings", nameof(metadata));

        var ordered = tensors
            .OrderByDescending(pair => pair.Value.DType.SizeOf())
            .ThenBy(pair => pair.Key, StringComparer.Ordinal)
            .ToArray();

        using var json = new MemoryStream();
        using (var writer = new Utf8JsonWriter(json, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            writer.WriteStartObject();
            if (metadata is { Count: > 0 })
            {
                writer.WriteStartObject(SafetensorsHeader.MetadataKey);
                foreach (var (key, value) in metadata.OrderBy(pair => pair.Key, StringComparer.Ordinal))
                    writer.WriteString(key, value);
                writer.WriteEndObject();
            }
            long offset = 0;
            foreach (var (name, tensor) in ordered)
            {
                long bytes = checked(tensor.NumElements * tensor.DType.SizeOf());
                writer.WriteStartObject(name);
                writer.WriteString("dtype", SafetensorsHeader.NameOf(tensor.DType));
                writer.WriteStartArray("shape");
                foreach (long size in tensor.Shape)
                    writer.WriteNumberValue(size);
                writer.WriteEndArray();
                writer.WriteStartArray("data_offsets");
                writer.WriteNumberValue(offset);
                writer.WriteNumberValue(offset + bytes);
                writer.WriteEndArray();
                writer.WriteEndObject();
                offset += bytes;
            }
            writer.WriteEndObject();
        }

        int padding = (int)((HeaderAlignment - json.Length % HeaderAlignment) % HeaderAlignment);
        for (int i = 0; i < padding; i++)
            json.WriteByte((byte)' ');
        return new SavePlan(json.ToArray(), ordered.Select(pair => (pair.Value, checked(pair.Value.NumElements * pair.Value.DType.SizeOf()))).ToArray());
    }

    private static unsafe void Write(Stream stream, SavePlan plan)
    {
        Span<byte> length = stackalloc byte[sizeof(ulong)];
        BinaryPrimitives.WriteUInt64LittleEndian(length, (ulong)plan.Header.Length);
        stream.Write(length);
        stream.Write(plan.Header);
        foreach (var (tensor, bytes) in plan.Tensors)
        {
            // A non-contiguous tensor is written through a row-major copy; no graph is recorded.
            var contiguous = tensor.IsContiguous ? tensor : tensor.CopyRaw(tensor.DType);
            using (var data = contiguous.Lease())
                for (long done = 0; done < bytes; done += ChunkBytes)
                    stream.Write(data.AsSpan(done, (int)Math.Min(ChunkBytes, bytes - done)));
            if (!ReferenceEquals(contiguous, tensor))
                contiguous.Dispose();
        }
        stream.Flush();
    }

    private static unsafe void ReadData(Stream stream, Tensor tensor, SafetensorsEntry entry, string name)
    {
        using var data = tensor.Lease();
        for (long done = 0; done < entry.ByteLength; done += ChunkBytes)
        {
            var chunk = data.AsSpan(done, (int)Math.Min(ChunkBytes, entry.ByteLength - done));
            try
            {
                stream.ReadExactly(chunk);
            }
            catch (EndOfStreamException)
            {
                throw SafetensorsHeader.Invalid(name, $"the file ended while reading tensor '{entry.Name}' (it was truncated while being read)");
            }
            if (entry.DType == DType.Bool)
            {
                int bad = chunk.IndexOfAnyExcept((byte)0, (byte)1);
                if (bad >= 0)
                    throw SafetensorsHeader.Invalid(name, $"BOOL tensor '{entry.Name}' holds the byte {chunk[bad]} at element {done + bad}; BOOL bytes must be 0 or 1");
            }
        }
    }

    private static Dictionary<string, Tensor> OrderAsInHeader(Dictionary<string, Tensor> tensors, byte[] header)
    {
        var reader = new Utf8JsonReader(header);
        var ordered = new Dictionary<string, Tensor>(tensors.Count, StringComparer.Ordinal);
        reader.Read();
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            string key = reader.GetString()!;
            if (tensors.TryGetValue(key, out var tensor))
                ordered.Add(key, tensor);
            reader.Skip();
        }
        return ordered;
    }

    private static void CheckLittleEndian()
    {
        if (!BitConverter.IsLittleEndian)
            throw new PlatformNotSupportedException("safetensors data is little-endian; NativeGrad reads and writes it only on little-endian machines");
    }
}
