using NativeGrad.Backends;
using NativeGrad.Conformance;
using NativeGrad.Tests.Datasets;
using NativeGrad.Tests.Support;

namespace NativeGrad.Tests.Random;

/// <summary>
/// Tensor.Randperm against PyTorch 1.13: nn.json's three cases (n = 10, 1437 and 100) and the
/// randperm section of tests/data/data-extra.json (n from 0 to 1797, own generators, float
/// dtypes), each checked by its values and by the randn(3) that follows on the same generator.
/// </summary>
[Collection(SerialCollection.Name)]
public sealed class RandpermTests
{
    private static readonly Lazy<NnFile> Nn = new(() => CaseFiles.LoadNn(CaseFiles.DefaultDirectory) ?? throw new FileNotFoundException("nn.json is missing from the test data"));

    public static TheoryData<int, BackendKind> NnCases
    {
        get
        {
            var data = new TheoryData<int, BackendKind>();
            for (int i = 0; i < Nn.Value.Randperm.Length; i++)
                foreach (var kind in Enum.GetValues<BackendKind>())
                    data.Add(i, kind);
            return data;
        }
    }

    public static TheoryData<string, BackendKind> ExtraCases => DataExtraCases.Ids("randperm");

    [Theory]
    [MemberData(nameof(NnCases))]
    public void MatchesNnJson(int index, BackendKind backend)
    {
        var c = Nn.Value.Randperm[index];
        DataExtraCases.OnDefaultGenerator(backend, () =>
        {
            Tensor.ManualSeed(c.Seed);
            var permutation = Tensor.Randperm(c.N);
            var then = Tensor.Randn(3).ToArray();
            Assert.Equal(DType.Int64, permutation.DType);
            Assert.Equal([c.N], permutation.Shape);
            Assert.Equal(c.Values, permutation.ToArray<long>());
            DataExtraCases.AssertSameBits(c.ThenRandn, then, $"{c.Id}, the randn(3) after it");
        });
    }

    [Fact]
    public void NnJsonHasTheThreeCasesIncludingTheDigitsShuffle()
    {
        Assert.Equal(3, Nn.Value.Randperm.Length);
        Assert.Contains(Nn.Value.Randperm, c => c.N == 1437);
    }

    [Theory]
    [MemberData(nameof(ExtraCases))]
    public void MatchesPyTorch(string id, BackendKind backend)
    {
        var c = DataExtraCases.Case("randperm", id);
        ulong seed = c.GetProperty("seed").GetUInt64();
        long n = c.GetProperty("n").GetInt64();
        var dtype = c.GetProperty("dtype").GetString() switch
        {
            "int64" => DType.Int64,
            "float32" => DType.Float32,
            "float64" => DType.Float64,
            var other => throw new InvalidDataException($"{id}: unknown dtype {other}"),
        };
        bool own = c.GetProperty("generator").GetString() == "own";

        Tensor permutation = null!;
        float[] then = null!;
        DataExtraCases.OnDefaultGenerator(backend, () =>
        {
            if (own)
            {
                var generator = new Generator(seed);
                permutation = Tensor.Randperm(n, generator, dtype);
                then = Tensor.Randn([3], generator: generator).ToArray();
            }
            else
            {
                Tensor.ManualSeed(seed);
                permutation = Tensor.Randperm(n, dtype: dtype);
                then = Tensor.Randn(3).ToArray();
            }
        });

        Assert.Equal(dtype, permutation.DType);
        Assert.Equal([n], permutation.Shape);
        Assert.Equal(DataExtraCases.Longs(c.GetProperty("values")), permutation.ToArray<long>());
        DataExtraCases.AssertSameBits(DataExtraCases.Floats(c.GetProperty("then_randn")), then, $"{id}, the randn(3) after it");
    }

    [Fact]
    public void OwnGeneratorLeavesTheDefaultOneAlone()
    {
        lock (SharedLocks.DefaultGenerator)
        {
            Tensor.ManualSeed(3);
            Tensor.Randperm(50, new Generator(1));
            float[] after = Tensor.Randn(2).ToArray();
            Tensor.ManualSeed(3);
            Assert.Equal(Tensor.Randn(2).ToArray(), after);
        }
    }

    [Fact]
    public void RejectsNegativeN()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => Tensor.Randperm(-1, new Generator(0)));
        Assert.StartsWith("n must be non-negative, got -1", e.Message);
    }

    [Fact]
    public void RejectsBool()
    {
        var e = Assert.Throws<NotSupportedException>(() => Tensor.Randperm(3, new Generator(0), DType.Bool));
        Assert.Equal("\"randperm\" not implemented for 'Bool'", e.Message);
    }

    [Fact]
    public void RejectsFloat32PermutationsThatWouldNotBeExact()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => Tensor.Randperm((1L << 24) + 2, new Generator(0), DType.Float32));
        Assert.StartsWith("n cannot be greater than 2^24+1 for Float type.", e.Message);
    }

    [Fact]
    public void RejectsNBeyondOneBuffer()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => Tensor.Randperm(1L << 31, new Generator(0)));
        Assert.Contains("randperm supports n up to 2147483647", e.Message);
    }
}
