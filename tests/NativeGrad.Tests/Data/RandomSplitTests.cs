using NativeGrad.Tests.Support;
using NativeGrad.Backends;

namespace NativeGrad.Tests.Datasets;

/// <summary>Data.RandomSplit against torch.utils.data.random_split (tests/data/data-extra.json `splits`).</summary>
[Collection(SerialCollection.Name)]
public sealed class RandomSplitTests
{
    public static TheoryData<string, BackendKind> Cases => DataExtraCases.Ids("splits");

    [Theory]
    [MemberData(nameof(Cases))]
    public void MatchesPyTorch(string id, BackendKind backend)
    {
        var c = DataExtraCases.Case("splits", id);
        long n = c.GetProperty("n").GetInt64();
        ulong seed = c.GetProperty("seed").GetUInt64();
        var lengths = c.GetProperty("lengths").EnumerateArray().ToArray();
        bool own = c.GetProperty("generator").GetString() == "own";
        var expected = c.GetProperty("subsets").EnumerateArray().Select(DataExtraCases.Longs).ToArray();

        Subset[] subsets = null!;
        float[] then = null!;
        DataExtraCases.OnDefaultGenerator(backend, () =>
        {
            var dataset = new TensorDataset(Tensor.Arange(n));
            Tensor.ManualSeed(seed);
            var generator = own ? new Generator(seed) : null;
            subsets = lengths.All(v => v.TryGetInt64(out _))
                ? Data.RandomSplit(dataset, lengths.Select(v => v.GetInt64()).ToArray(), generator)
                : Data.RandomSplit(dataset, lengths.Select(v => v.GetDouble()).ToArray(), generator);
            then = Tensor.Randn([3], generator: generator).ToArray();
        });

        Assert.Equal(expected, subsets.Select(s => s.Indices.ToArray()).ToArray());
        Assert.All(subsets, s => Assert.Equal(s.Indices.ToArray(), Enumerable.Range(0, (int)s.Count).Select(i => s[i][0].Item<long>()).ToArray()));
        DataExtraCases.AssertSameBits(DataExtraCases.Floats(c.GetProperty("then_randn")), then, $"{id}, the randn(3) after it");
    }

    [Fact]
    public void IntegerLengthsChooseTheLengthsOverload()
    {
        var subsets = Data.RandomSplit(new TensorDataset(Tensor.Arange(5)), [2, 3], new Generator(0));
        Assert.Equal([2L, 3], subsets.Select(s => s.Count));
    }

    [Fact]
    public void RejectsLengthsThatDoNotSumToTheCount()
    {
        var e = Assert.Throws<ArgumentException>(() => Data.RandomSplit(new TensorDataset(Tensor.Arange(5)), [2, 2], new Generator(0)));
        Assert.StartsWith("Sum of input lengths does not equal the length of the input dataset! (lengths sum to 4, the data set has 5 samples)", e.Message);
    }

    [Fact]
    public void RejectsNegativeLengths()
    {
        var e = Assert.Throws<ArgumentException>(() => Data.RandomSplit(new TensorDataset(Tensor.Arange(5)), [6, -1], new Generator(0)));
        Assert.StartsWith("random_split lengths must not be negative, but length 1 is -1", e.Message);
    }

    [Fact]
    public void RejectsFractionsThatDoNotSumToOne()
    {
        var e = Assert.Throws<ArgumentException>(() => Data.RandomSplit(new TensorDataset(Tensor.Arange(5)), [0.5, 0.25], new Generator(0)));
        Assert.StartsWith("random_split fractions must sum to 1, but they sum to 0.75", e.Message);
    }

    [Fact]
    public void RejectsFractionsOutsideZeroToOne()
    {
        var e = Assert.Throws<ArgumentException>(() => Data.RandomSplit(new TensorDataset(Tensor.Arange(5)), [1.5, -0.5], new Generator(0)));
        Assert.StartsWith("Fraction at index 0 is not between 0 and 1", e.Message);
    }

    [Fact]
    public void WarnsAboutAnEmptySplitLikePyTorch()
    {
        var warnings = new List<string>();
        Action<string> listener = warnings.Add;
        Warnings.Warned += listener;
        try
        {
            Data.RandomSplit(new TensorDataset(Tensor.Arange(2)), [0.0, 1.0], new Generator(0));
        }
        finally
        {
            Warnings.Warned -= listener;
        }
        Assert.Contains("Length of split at index 0 is 0. This might result in an empty dataset.", warnings);
    }
}
