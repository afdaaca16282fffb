using System.Text.Json;
using NativeGrad.Tests.Support;

namespace NativeGrad.Tests.Serialization;

/// <summary>
/// Safetensors against the reference files in tests/data/safetensors (written to the
/// specification; expected.json holds the digits CNN's values), and round trips of every dtype.
/// </summary>
public sealed class SafetensorsTests
{
    private static string Reference(string name) => RepoPaths.TestData("safetensors", name);

    [Fact]
    public void LoadsTheDigitsCnnCheckpoint()
    {
        var (tensors, metadata) = Safetensors.Load(Reference("digits_cnn_seed0.safetensors"));
        Assert.Equal(new Dictionary<string, string> { ["format"] = "pt" }, metadata);

        using var expectedJson = JsonDocument.Parse(File.ReadAllBytes(Reference("expected.json")));
        var expected = expectedJson.RootElement.GetProperty("digits_cnn_seed0.safetensors");
        Assert.Equal(expected.EnumerateObject().Select(p => p.Name).Order(), tensors.Keys.Order());
        foreach (var entry in expected.EnumerateObject())
        {
            var tensor = tensors[entry.Name];
            Assert.Equal(DType.Float32, tensor.DType);
            Assert.Equal(entry.Value.GetProperty("shape").EnumerateArray().Select(v => v.GetInt64()), tensor.Shape);
            float[] values = entry.Value.GetProperty("data").EnumerateArray().Select(v => (float)v.GetDouble()).ToArray();
            Assert.Equal(values, tensor.ToArray());
        }
    }

    [Fact]
    public void SavingTheLoadedCheckpointGivesTheReferenceBytes()
    {
        var (tensors, metadata) = Safetensors.Load(Reference("digits_cnn_seed0.safetensors"));
        using var written = new MemoryStream();
        Safetensors.Save(written, tensors, metadata);
        Assert.Equal(File.ReadAllBytes(Reference("digits_cnn_seed0.safetensors")), written.ToArray());

        var (dtypes, _) = Safetensors.Load(Reference("dtypes.safetensors"));
        written.SetLength(0);
        Safetensors.Save(written, dtypes);
        Assert.Equal(File.ReadAllBytes(Reference("dtypes.safetensors")), written.ToArray());
    }

    [Fact]
    public void LoadsEveryDtypeAScalarAndAnEmptyTensor()
    {
        var (tensors, metadata) = Safetensors.Load(Reference("dtypes.safetensors"));
        Assert.Empty(metadata);
        Assert.Equal(["f64", "i64", "empty", "f32", "scalar", "bool"], tensors.Keys);
        Assert.Equal(DType.Float64, tensors["f64"].DType);
        Assert.Equal([4L], tensors["f64"].Shape);
        Assert.Equal(DType.Int64, tensors["i64"].DType);
        Assert.Equal([2L, 2], tensors["i64"].Shape);
        Assert.Equal([0L, 3], tensors["empty"].Shape);
        Assert.Equal(DType.Float32, tensors["f32"].DType);
        Assert.Equal([2L, 3], tensors["f32"].Shape);
        Assert.Empty(tensors["scalar"].Shape);
        Assert.Equal(DType.Bool, tensors["bool"].DType);
        Assert.Equal([3L], tensors["bool"].Shape);
        // The values are what the reference file's bytes hold, decoded independently here.
        byte[] file = File.ReadAllBytes(Reference("dtypes.safetensors"));
        int data = 8 + (int)BitConverter.ToUInt64(file, 0);
        Assert.Equal(Enumerable.Range(0, 4).Select(i => BitConverter.ToDouble(file, data + 8 * i)), tensors["f64"].ToArray<double>());
        Assert.Equal(Enumerable.Range(0, 4).Select(i => BitConverter.ToInt64(file, data + 32 + 8 * i)), tensors["i64"].ToArray<long>());
        Assert.Equal(Enumerable.Range(0, 6).Select(i => BitConverter.ToSingle(file, data + 64 + 4 * i)), tensors["f32"].ToArray());
        Assert.Equal(BitConverter.ToSingle(file, data + 88), tensors["scalar"].Item<float>());
        Assert.Equal(file[(data + 92)..(data + 95)].Select(b => b != 0), tensors["bool"].ToArray<bool>());
    }

    [Fact]
    public void RoundTripsEveryDtypeScalarsEmptyAndNonContiguousTensors()
    {
        var transposed = Tensor.Arange(6.0).Reshape(2, 3).T;
        var strided = Tensor.Arange(10)[TensorIndex.Slice(null, null, 3)];
        var original = new Dictionary<string, Tensor>
        {
            ["f32"] = Tensor.From(new[,] { { 1.5f, -2f }, { float.NaN, float.NegativeInfinity } }),
            ["f64"] = Tensor.From([Math.PI, -0.0, double.Epsilon]),
            ["i64"] = Tensor.From([long.MinValue, 0, long.MaxValue]),
            ["bool"] = Tensor.From([true, false, true]),
            ["scalar"] = Tensor.From(3.25),
            ["empty"] = Tensor.Zeros([0, 3], DType.Int64),
            ["transposed"] = transposed,
            ["strided"] = strided,
            ["ünïcode name"] = Tensor.Ones(1),
        };
        Assert.False(transposed.IsContiguous);
        Assert.False(strided.IsContiguous);
        var metadata = new Dictionary<string, string> { ["format"] = "pt", ["note"] = "quotes \" and \\ and ünïcode" };

        string path = Path.Combine(Path.GetTempPath(), $"nativegrad-{Guid.NewGuid():N}.safetensors");
        try
        {
            Safetensors.Save(path, original, metadata);
            var (loaded, loadedMetadata) = Safetensors.Load(path);
            Assert.Equal(metadata, loadedMetadata);
            Assert.Equal(original.Keys.Order(), loaded.Keys.Order());
            foreach (var (name, tensor) in original)
            {
                Assert.Equal(tensor.DType, loaded[name].DType);
                Assert.Equal(tensor.Shape, loaded[name].Shape);
                Assert.True(loaded[name].IsContiguous);
                Assert.Equal(tensor.ToArray<double>(), loaded[name].ToArray<double>());
            }
            Assert.Equal([0f, 3f, 1f, 4f, 2f, 5f], loaded["transposed"].ToArray());
            Assert.Equal([0L, 3, 6, 9], loaded["strided"].ToArray<long>());
        }
        finally
        {
            File.Delete(path);
        }
        Assert.Empty(Directory.GetFiles(Path.GetTempPath(), ".nativegrad-*.tmp"));
    }

    [Fact]
    public void WritesLargestElementsFirstThenByNameAndPadsTheHeader()
    {
        using var stream = new MemoryStream();
        Safetensors.Save(stream, new Dictionary<string, Tensor>
        {
            ["b"] = Tensor.From([true]),
            ["a"] = Tensor.From([1f]),
            ["z"] = Tensor.From([1.0]),
            ["c"] = Tensor.From([1L]),
        });
        byte[] bytes = stream.ToArray();
        ulong headerLength = BitConverter.ToUInt64(bytes, 0);
        Assert.Equal(0UL, headerLength % 8);
        string header = System.Text.Encoding.UTF8.GetString(bytes, 8, (int)headerLength);
        Assert.Equal(
            "{\"c\":{\"dtype\":\"I64\",\"shape\":[1],\"data_offsets\":[0,8]},\"z\":{\"dtype\":\"F64\",\"shape\":[1],\"data_offsets\":[8,16]}," +
            "\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[16,20]},\"b\":{\"dtype\":\"BOOL\",\"shape\":[1],\"data_offsets\":[20,21]}}",
            header.TrimEnd(' '));
        Assert.Equal(8 + (int)headerLength + 21, bytes.Length);
    }

    [Fact]
    public void LoadsFromANonSeekableStream()
    {
        using var file = File.OpenRead(Reference("dtypes.safetensors"));
        var (tensors, _) = Safetensors.Load(new ForwardOnlyStream(file), "pipe");
        Assert.Equal(6, tensors.Count);
    }

    [Fact]
    public void SaveRejectsTheMetadataKeyAsATensorName()
    {
        var e = Assert.Throws<ArgumentException>(() => Safetensors.Save(new MemoryStream(), new Dictionary<string, Tensor> { ["__metadata__"] = Tensor.Ones(1) }));
        Assert.StartsWith("a tensor cannot be named '__metadata__'", e.Message);
    }

    [Fact]
    public void SaveRejectsNullTensorsAndMetadataValues()
    {
        var stream = new MemoryStream();
        var e = Assert.Throws<ArgumentException>(() => Safetensors.Save(stream, new Dictionary<string, Tensor> { ["w"] = null! }));
        Assert.StartsWith("tensor 'w' is null", e.Message);
        e = Assert.Throws<ArgumentException>(() => Safetensors.Save(stream, new Dictionary<string, Tensor>(), new Dictionary<string, string> { ["k"] = null! }));
        Assert.StartsWith("metadata value 'k' is null", e.Message);
        Assert.Equal(0, stream.Length);
    }

    [Fact]
    public void AFailedSaveLeavesTheExistingFileAlone()
    {
        string path = Path.Combine(Path.GetTempPath(), $"nativegrad-{Guid.NewGuid():N}.safetensors");
        try
        {
            Safetensors.Save(path, new Dictionary<string, Tensor> { ["w"] = Tensor.Ones(2) });
            byte[] before = File.ReadAllBytes(path);
            var disposed = Tensor.Ones(3);
            disposed.Dispose();
            Assert.Throws<ObjectDisposedException>(() => Safetensors.Save(path, new Dictionary<string, Tensor> { ["w"] = disposed }));
            Assert.Equal(before, File.ReadAllBytes(path));
        }
        finally
        {
            File.Delete(path);
        }
    }

    private sealed class ForwardOnlyStream(Stream inner) : Stream
    {
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, Math.Min(count, 7));
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
