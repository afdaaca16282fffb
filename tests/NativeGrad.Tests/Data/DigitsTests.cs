using System.Reflection;
using System.Text;
using NativeGrad.Tests.Support;

namespace NativeGrad.Tests.Datasets;

/// <summary>Data.Digits: loading digits.csv.gz and the nn.json training split, against PyTorch (data-extra.json `digits`).</summary>
public sealed class DigitsTests
{
    private static readonly string DigitsPath = RepoPaths.TestData("digits", "digits.csv.gz");

    [Fact]
    public void LoadsImagesOverSixteenAndLabels()
    {
        var expected = DataExtraCases.Section("digits");
        var (images, labels) = Data.Digits.Load(DigitsPath);
        Assert.Equal(DType.Float32, images.DType);
        Assert.Equal([1797L, 64], images.Shape);
        Assert.Equal(DType.Int64, labels.DType);
        Assert.Equal([1797L], labels.Shape);
        Assert.Equal(DataExtraCases.Floats(expected.GetProperty("first_image")), images[0].ToArray());
        Assert.Equal(DataExtraCases.Longs(expected.GetProperty("first_labels")), labels[..10].ToArray<long>());
        Assert.Equal(expected.GetProperty("image_sum").GetDouble(), images.ToArray().Sum(v => (double)v), 6);
        Assert.Equal(expected.GetProperty("label_sum").GetInt64(), labels.ToArray<long>().Sum());
    }

    [Fact]
    public void SplitIsTheRandpermOfAGeneratorSeededZero()
    {
        var expected = DataExtraCases.Section("digits");
        long[] permutation = DataExtraCases.Longs(expected.GetProperty("permutation"));
        Assert.Equal(permutation, Tensor.Randperm(1797, new Generator(0)).ToArray<long>());

        var (images, labels) = Data.Digits.Load(DigitsPath);
        var (trainImages, trainLabels, testImages, testLabels) = Data.Digits.Split(images, labels);
        Assert.Equal([1437L, 64], trainImages.Shape);
        Assert.Equal([360L, 64], testImages.Shape);
        Assert.Equal(labels.ToArray<long>().Where((_, i) => permutation.AsSpan(0, 1437).Contains(i)).Order(), trainLabels.ToArray<long>().Order());
        Assert.Equal(images[permutation[1437]].ToArray(), testImages[0].ToArray());
        Assert.Equal(labels[permutation[1796]].Item<long>(), testLabels[359].Item<long>());
        var counts = new long[10];
        foreach (long label in trainLabels.ToArray<long>())
            counts[label]++;
        Assert.Equal(DataExtraCases.Longs(expected.GetProperty("train_label_counts")), counts);
    }

    [Fact]
    public void ReadsPlainCsvToo()
    {
        using var plain = new MemoryStream(Encoding.ASCII.GetBytes(string.Join(",", Enumerable.Repeat("16", 64)) + ",3\n"));
        var (images, labels) = Data.Digits.Load(plain);
        Assert.Equal([1L, 64], images.Shape);
        Assert.All(images.ToArray(), v => Assert.Equal(1f, v));
        Assert.Equal(3L, labels.Item<long>());
    }

    [Theory]
    [InlineData("1,2,3\n", "digits data, line 1: expected 65 comma-separated integers (64 pixels, then the label), got 3 fields")]
    [InlineData("PIXEL17\n", "digits data, line 1, field 1: expected a pixel value 0..16, got '17'")]
    [InlineData("LABEL10\n", "digits data, line 1, field 65: expected a label 0..9, got '10'")]
    [InlineData("NEGATIVE\n", "digits data, line 1, field 1: expected a pixel value 0..16, got '-1'")]
    [InlineData("", "digits data: no rows; expected 1797 rows of 64 pixels and a label")]
    public void RejectsMalformedRows(string text, string message)
    {
        string zeros = string.Join(",", Enumerable.Repeat("0", 64));
        text = text switch
        {
            "PIXEL17\n" => "17," + string.Join(",", Enumerable.Repeat("0", 63)) + ",1\n",
            "LABEL10\n" => zeros + ",10\n",
            "NEGATIVE\n" => "-1," + string.Join(",", Enumerable.Repeat("0", 63)) + ",1\n",
            _ => text,
        };
        var e = Assert.Throws<InvalidDataException>(() => Data.Digits.Load(new MemoryStream(Encoding.ASCII.GetBytes(text))));
        Assert.Equal(message, e.Message);
    }

    [Fact]
    public void RejectsACorruptGzipFile()
    {
        byte[] bytes = File.ReadAllBytes(DigitsPath)[..200];
        var e = Assert.Throws<InvalidDataException>(() => Data.Digits.Load(new MemoryStream(bytes), "cut.csv.gz"));
        Assert.StartsWith("cut.csv.gz", e.Message);
    }

    [Fact]
    public void SplitNeedsAllRows()
    {
        var e = Assert.Throws<ArgumentException>(() => Data.Digits.Split(Tensor.Zeros(10, 64), Tensor.Zeros([10], DType.Int64)));
        Assert.StartsWith("the digits split needs the 1797 rows of digits.csv.gz, but got images of shape [10, 64] and labels of shape [10]", e.Message);
    }

    [Fact]
    public void TheExampleAppShipsTheDigitsFile()
    {
        // The example's own output folder, where `dotnet run` starts it from.
        string examplesAssembly = typeof(DigitsTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .Single(a => a.Key == "ExamplesAssembly").Value!;
        string shipped = Path.Combine(Path.GetDirectoryName(examplesAssembly)!, "data", "digits.csv.gz");
        Assert.True(File.Exists(shipped), $"{shipped} is missing: the example project must copy digits.csv.gz to its output");
        Assert.Equal(File.ReadAllBytes(DigitsPath), File.ReadAllBytes(shipped));
        Assert.Equal(Path.Combine(AppContext.BaseDirectory, "data", "digits.csv.gz"), NativeGrad.Examples.DigitsFile.Path);
        Assert.Equal(1797, NativeGrad.Examples.DigitsFile.Load().Labels.Size(0));
    }
}
