using NativeGrad.Tests.Support;
using NativeGrad.Backends;

namespace NativeGrad.Tests.Datasets;

/// <summary>
/// DataLoader against torch.utils.data.DataLoader (tests/data/data-extra.json `loaders`): the
/// batches of two passes, in order or shuffled, and the global generator's state afterwards, which
/// shows the loader drew from it exactly as PyTorch 1.13 does.
/// </summary>
[Collection(SerialCollection.Name)]
public sealed class DataLoaderTests
{
    public static TheoryData<string, BackendKind> Cases => DataExtraCases.Ids("loaders");

    [Theory]
    [MemberData(nameof(Cases))]
    public void MatchesPyTorch(string id, BackendKind backend)
    {
        var c = DataExtraCases.Case("loaders", id);
        long n = c.GetProperty("n").GetInt64();
        var seedProperty = c.GetProperty("generator_seed");
        var expectedEpochs = c.GetProperty("epochs").EnumerateArray()
            .Select(epoch => epoch.EnumerateArray().Select(DataExtraCases.Longs).ToArray()).ToArray();

        var actualEpochs = new List<long[][]>();
        float[] then = null!;
        DataExtraCases.OnDefaultGenerator(backend, () =>
        {
            var dataset = new TensorDataset(Tensor.Arange(n), Tensor.Arange(n) * 0.5);
            Tensor.ManualSeed(c.GetProperty("seed").GetUInt64());
            var generator = seedProperty.ValueKind == System.Text.Json.JsonValueKind.Null ? null : new Generator(seedProperty.GetUInt64());
            var loader = new DataLoader(dataset, c.GetProperty("batch_size").GetInt32(), c.GetProperty("shuffle").GetBoolean(),
                c.GetProperty("drop_last").GetBoolean(), generator);
            for (int epoch = 0; epoch < 2; epoch++)
            {
                var batches = new List<long[]>();
                foreach (var batch in loader)
                {
                    Assert.Equal(2, batch.Length);
                    Assert.Equal(DType.Int64, batch[0].DType);
                    Assert.Equal(DType.Float32, batch[1].DType);
                    Assert.Equal(batch[0].ToArray<long>().Select(v => v * 0.5f), batch[1].ToArray());
                    batches.Add(batch[0].ToArray<long>());
                }
                Assert.Equal(loader.Count, batches.Count);
                actualEpochs.Add([.. batches]);
            }
            then = Tensor.Randn(3).ToArray();
        });

        Assert.Equal(expectedEpochs, actualEpochs.ToArray());
        DataExtraCases.AssertSameBits(DataExtraCases.Floats(c.GetProperty("then_randn")), then, $"{id}, the global randn(3) after two passes");
    }

    [Fact]
    public void BatchesOfAGeneralDatasetAreStackedSamples()
    {
        var dataset = new SquaresDataset(5);
        // Every enumeration draws a base seed: an own generator keeps the default one out of it.
        var batches = new DataLoader(dataset, batchSize: 2, generator: new Generator(0)).ToArray();
        Assert.Equal(3, batches.Length);
        Assert.Equal([2, 2], batches[0][0].Shape);
        Assert.Equal([0f, 0f, 1f, 1f], batches[0][0].ToArray());
        Assert.Equal([2L], batches[0][1].Shape);
        Assert.Equal([16f, 16f], batches[2][0].ToArray());
        Assert.Equal([4L], batches[2][1].ToArray<long>());
    }

    [Fact]
    public void ShuffledSubsetsOfATensorDatasetGatherTheUnderlyingRows()
    {
        var dataset = new TensorDataset(Tensor.Arange(10) * 10);
        var subset = new Subset(dataset, [9, 3, 4]);
        var batch = new DataLoader(subset, batchSize: 3, generator: new Generator(0)).Single();
        Assert.Equal([90L, 30, 40], batch[0].ToArray<long>());
    }

    [Fact]
    public void RejectsBatchSizeBelowOne()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new DataLoader(new SquaresDataset(3), batchSize: 0));
        Assert.StartsWith("batch_size should be a positive integer value, but got batch_size=0", e.Message);
    }

    [Fact]
    public void RejectsShufflingAnEmptyDataset()
    {
        var e = Assert.Throws<ArgumentException>(() => new DataLoader(new SquaresDataset(0), shuffle: true));
        Assert.StartsWith("num_samples should be a positive integer value, but got num_samples=0", e.Message);
    }

    [Fact]
    public void AnEmptyDatasetWithoutShuffleHasNoBatches()
    {
        var loader = new DataLoader(new SquaresDataset(0), batchSize: 4, generator: new Generator(0));
        Assert.Empty(loader);
        Assert.Equal(0, loader.Count);
    }

    [Fact]
    public void SamplesWithDifferentFieldCountsCannotBeCollated()
    {
        var e = Assert.Throws<ArgumentException>(() => ((IDataset)new RaggedDataset()).GetBatch([0, 1]));
        Assert.StartsWith("cannot collate a batch: sample 1 has 1 tensors but sample 0 has 2", e.Message);
    }

    // sample i = ([i, i] as float32, i as int64)
    private sealed class SquaresDataset(long count) : IDataset
    {
        public long Count => count;

        public Tensor[] this[long index] => [Tensor.Full([2], index * index), Tensor.From(index)];
    }

    private sealed class RaggedDataset : IDataset
    {
        public long Count => 2;

        public Tensor[] this[long index] => index == 0 ? [Tensor.From(1f), Tensor.From(2f)] : [Tensor.From(3f)];
    }
}
