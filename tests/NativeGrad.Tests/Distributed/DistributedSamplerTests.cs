using System.Text.Json;
using NativeGrad.Distributed;
using NativeGrad.Tests.Support;

namespace NativeGrad.Tests.Distributed;

/// <summary>DistributedSampler against PyTorch's indices (tests/data/distributed/sampler.py), and with the DataLoader.</summary>
public class DistributedSamplerTests
{
    private sealed record Case(int N, int World, int Rank, bool Shuffle, ulong Seed, long Epoch, bool Drop_last, long[] Indices);

    public static TheoryData<int> CaseIndices()
    {
        var data = new TheoryData<int>();
        for (int i = 0; i < Cases.Value.Length; i++) data.Add(i);
        return data;
    }

    private static readonly Lazy<Case[]> Cases = new(() => JsonSerializer.Deserialize<Case[]>(
        File.ReadAllText(RepoPaths.TestData("distributed", "sampler.json")), new JsonSerializerOptions { PropertyNameCaseInsensitive = true })!);

    [Theory]
    [MemberData(nameof(CaseIndices))]
    public void GivesPyTorchsIndices(int index)
    {
        var c = Cases.Value[index];
        var sampler = new DistributedSampler(c.N, c.World, c.Rank, c.Shuffle, c.Seed, c.Drop_last);
        sampler.SetEpoch(c.Epoch);
        Assert.Equal(c.Indices, sampler.ToArray());
        Assert.Equal(c.Indices.Length, sampler.Count);
    }

    [Fact]
    public void FeedsTheDataLoaderAndRefusesShuffleBesideIt()
    {
        var dataset = new TensorDataset(Tensor.Arange(10).Reshape(10, 1));
        var sampler = new DistributedSampler(dataset.Count, worldSize: 3, rank: 1, shuffle: false);
        var loader = new DataLoader(dataset, batchSize: 2, sampler: sampler);
        Assert.Equal(2, loader.Count);
        var seen = loader.SelectMany(batch => batch[0].ToArray<long>()).ToArray();
        Assert.Equal([1L, 4, 7, 0], seen);  // every third from 1, padded with the start
        var error = Assert.Throws<ArgumentException>(() => new DataLoader(dataset, shuffle: true, sampler: sampler));
        Assert.StartsWith("sampler option is mutually exclusive with shuffle", error.Message);
        Assert.Throws<ArgumentException>(() => new DistributedSampler(10, 2, 2));
    }
}
