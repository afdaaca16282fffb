using System.Text;

namespace NativeGrad.Tests.Serialization;

/// <summary>
/// Every way a safetensors file can be broken is an InvalidDataException naming the file and the
/// problem, raised before any tensor is returned. Each file is built here, byte by byte.
/// </summary>
public sealed class SafetensorsCorruptFileTests
{
    private const string Name = "broken.safetensors";
    private const string Prefix = Name + ": invalid safetensors file: ";

    // The 8-byte little-endian header length, the header as given (no padding), then the data.
    private static byte[] File(string header, int dataBytes = 0, ulong? headerLength = null)
    {
        byte[] json = Encoding.UTF8.GetBytes(header);
        return [.. BitConverter.GetBytes(headerLength ?? (ulong)json.Length), .. json, .. new byte[dataBytes]];
    }

    private static string Entry(string name, string dtype, string shape, long begin, long end) =>
        $"\"{name}\":{{\"dtype\":\"{dtype}\",\"shape\":{shape},\"data_offsets\":[{begin},{end}]}}";

    private static void AssertInvalid(byte[] file, string problem)
    {
        var e = Assert.Throws<InvalidDataException>(() => Safetensors.Load(new MemoryStream(file), Name));
        Assert.Equal(Prefix + problem, e.Message);
    }

    [Fact]
    public void TheValidBaseFileLoads()
    {
        // The corrupt files below are this one with one thing changed.
        var (tensors, _) = Safetensors.Load(new MemoryStream(File("{" + Entry("a", "F32", "[2]", 0, 8) + "}", 8)), Name);
        Assert.Equal([0f, 0f], tensors["a"].ToArray());
    }

    [Fact]
    public void ShorterThanTheHeaderLength() =>
        AssertInvalid([1, 0, 0, 0, 0], "the file is truncated: it has 5 bytes, but the header length alone takes 8");

    [Fact]
    public void HeaderLengthBeyondTheFile() =>
        AssertInvalid(File("{}", headerLength: 1000), "the header length 1000 runs past the end of the file (2 bytes follow it)");

    [Fact]
    public void HeaderLengthAboveTheLimit() =>
        AssertInvalid(File("{}", headerLength: 200_000_000), "the header length 200000000 is above the 100000000-byte limit");

    [Fact]
    public void HeaderIsNotJson()
    {
        var e = Assert.Throws<InvalidDataException>(() => Safetensors.Load(new MemoryStream(File("{not json}")), Name));
        Assert.StartsWith(Prefix + "the header is not valid JSON (", e.Message);
    }

    [Fact]
    public void HeaderIsCutOff()
    {
        var e = Assert.Throws<InvalidDataException>(() => Safetensors.Load(new MemoryStream(File("{\"a\":{\"dtype\":")), Name));
        Assert.StartsWith(Prefix + "the header is not valid JSON (", e.Message);
    }

    [Fact]
    public void HeaderIsNotAnObject() => AssertInvalid(File("[1, 2]"), "the header must be a JSON object");

    [Fact]
    public void HeaderHasTrailingContent()
    {
        var e = Assert.Throws<InvalidDataException>(() => Safetensors.Load(new MemoryStream(File("{} {}")), Name));
        Assert.StartsWith(Prefix + "the header is not valid JSON (", e.Message);
    }

    [Fact]
    public void UnknownDtype() =>
        AssertInvalid(File("{" + Entry("half", "F16", "[2]", 0, 4) + "}", 4),
            "tensor 'half' has the unsupported dtype 'F16' (NativeGrad reads F32, F64, I64 and BOOL)");

    [Fact]
    public void ShapeDoesNotMatchTheByteCount() =>
        AssertInvalid(File("{" + Entry("w", "F32", "[2, 3]", 0, 20) + "}", 20),
            "tensor 'w' of dtype F32 and shape [2, 3] needs 24 bytes, but its data_offsets [0, 20] hold 20");

    [Fact]
    public void ShapeTooLargeForSixtyFourBits() =>
        AssertInvalid(File("{" + Entry("w", "F64", "[4294967296, 4294967296]", 0, 8) + "}", 8),
            "tensor 'w' has the shape [4294967296, 4294967296], whose size in bytes does not fit in 64 bits");

    [Fact]
    public void NegativeDimension() =>
        AssertInvalid(File("{" + Entry("w", "F32", "[-1]", 0, 0) + "}"),
            "the shape of tensor 'w' must hold non-negative integers, but it holds a number '-1'");

    [Fact]
    public void FractionalOffset() =>
        AssertInvalid(File("{\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4.0]}}", 4),
            "the data_offsets of tensor 'w' must hold non-negative integers, but it holds a number '4.0'");

    [Fact]
    public void OffsetsEndBeforeTheyBegin() =>
        AssertInvalid(File("{" + Entry("w", "F32", "[1]", 8, 4) + "}", 8),
            "tensor 'w' has data_offsets [8, 4], which end before they begin");

    [Fact]
    public void OffsetsAreNotAPair() =>
        AssertInvalid(File("{\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4,8]}}", 8),
            "the data_offsets of tensor 'w' must be [begin, end], but it has 3 numbers");

    [Fact]
    public void OffsetsPastTheData() =>
        AssertInvalid(File("{" + Entry("a", "F32", "[1]", 0, 4) + "," + Entry("b", "F32", "[2]", 4, 12) + "}", 8),
            "tensor 'b' has data_offsets [4, 12], past the end of the 8-byte data section (the file is truncated or the offsets are wrong)");

    [Fact]
    public void OverlappingTensors() =>
        AssertInvalid(File("{" + Entry("a", "F32", "[2]", 0, 8) + "," + Entry("b", "F32", "[2]", 4, 12) + "}", 12),
            "tensors 'a' [0, 8) and 'b' [4, 12) overlap");

    [Fact]
    public void GapBetweenTensors() =>
        AssertInvalid(File("{" + Entry("a", "F32", "[1]", 0, 4) + "," + Entry("b", "F32", "[1]", 8, 12) + "}", 12),
            "bytes [4, 8) of the data section between tensors 'a' and 'b' belong to no tensor");

    [Fact]
    public void GapBeforeTheFirstTensor() =>
        AssertInvalid(File("{" + Entry("a", "F32", "[1]", 4, 8) + "}", 8),
            "bytes [0, 4) of the data section belong to no tensor");

    [Fact]
    public void BytesAfterTheLastTensor() =>
        AssertInvalid(File("{" + Entry("a", "F32", "[1]", 0, 4) + "}", 6),
            "bytes [4, 6) at the end of the data section belong to no tensor");

    [Fact]
    public void DuplicateTensorNames() =>
        AssertInvalid(File("{" + Entry("a", "F32", "[1]", 0, 4) + "," + Entry("a", "F32", "[1]", 4, 8) + "}", 8),
            "the header has the key 'a' twice");

    [Fact]
    public void DuplicateMetadataKeys() =>
        AssertInvalid(File("{\"__metadata__\":{\"k\":\"1\",\"k\":\"2\"}}"), "the metadata has the key 'k' twice");

    [Fact]
    public void NonStringMetadata() =>
        AssertInvalid(File("{\"__metadata__\":{\"format\":\"pt\",\"epoch\":3}}"), "metadata values must be strings, but 'epoch' is a number");

    [Fact]
    public void MetadataIsNotAnObject() =>
        AssertInvalid(File("{\"__metadata__\":[\"pt\"]}"), "'__metadata__' must be an object of strings, but it is an array");

    [Fact]
    public void TensorEntryIsNotAnObject() =>
        AssertInvalid(File("{\"w\":3}"), "tensor 'w' must be an object with dtype, shape and data_offsets, but it is a number");

    [Fact]
    public void MissingField() =>
        AssertInvalid(File("{\"w\":{\"dtype\":\"F32\",\"data_offsets\":[0,4]}}", 4), "tensor 'w' lacks shape");

    [Fact]
    public void UnknownField() =>
        AssertInvalid(File("{\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4],\"stride\":[1]}}", 4),
            "tensor 'w' has an unknown field 'stride' (expected dtype, shape and data_offsets)");

    [Fact]
    public void DuplicateField() =>
        AssertInvalid(File("{\"w\":{\"dtype\":\"F32\",\"dtype\":\"F64\",\"shape\":[1],\"data_offsets\":[0,4]}}", 4),
            "tensor 'w' has the field 'dtype' twice");

    [Fact]
    public void BoolBytesOtherThanZeroOrOne()
    {
        byte[] file = File("{" + Entry("mask", "BOOL", "[3]", 0, 3) + "}", 3);
        file[^2] = 7;
        AssertInvalid(file, "BOOL tensor 'mask' holds the byte 7 at element 1; BOOL bytes must be 0 or 1");
    }

    [Fact]
    public void TheMessageNamesTheFilePath()
    {
        string path = Path.Combine(Path.GetTempPath(), $"nativegrad-{Guid.NewGuid():N}.safetensors");
        try
        {
            System.IO.File.WriteAllBytes(path, [1, 2, 3]);
            var e = Assert.Throws<InvalidDataException>(() => Safetensors.Load(path));
            Assert.Equal($"{path}: invalid safetensors file: the file is truncated: it has 3 bytes, but the header length alone takes 8", e.Message);
        }
        finally
        {
            System.IO.File.Delete(path);
        }
    }
}
