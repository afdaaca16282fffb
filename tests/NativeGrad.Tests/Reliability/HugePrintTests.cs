using System.Text.Json;
using NativeGrad.Backends;
using NativeGrad.Tests.Conformance;
using NativeGrad.Tests.Support;

namespace NativeGrad.Tests.Reliability;

/// <summary>
/// ToString of tensors with more than 2^31 elements, which no .NET array holds: PyTorch's summary
/// (tests/data/reliability/huge_prints.py, the twin of each case under the same id), made from
/// the few elements it shows, on each backend. Serial: one case holds 2 GB.
/// </summary>
[Collection(SerialCollection.Name)]
public class HugePrintTests
{
    private sealed record Expected(long NumElements, string Printed);

    private static readonly Lazy<Dictionary<string, Expected>> Torch = new(() =>
    {
        var json = JsonDocument.Parse(File.ReadAllText(RepoPaths.TestData("reliability", "huge_prints.json")));
        return json.RootElement.GetProperty("cases").EnumerateObject().ToDictionary(c => c.Name, c => new Expected(
            c.Value.GetProperty("numel").GetInt64(), c.Value.GetProperty("printed").GetString()!));
    });

    // Views of a few elements (their storage is tiny), except the one that really holds 2^31 + 10 bools.
    private static readonly Dictionary<string, Func<Tensor>> Cases = new()
    {
        ["zeros_expanded"] = () => Tensor.Zeros(1).Expand(3_000_000_000),
        ["rows_expanded"] = () => Tensor.Arange(10.0).Expand(300_000_000, 10),
        ["columns_expanded_int64"] = () => Tensor.Arange(7L).Reshape(7, 1).Expand(7, 400_000_000),
        ["float64_3d_expanded"] = () => Tensor.From([-1.5, 2.25]).Expand(1000, 2_000_000, 2),
        ["expanded_with_grad_fn"] = () => Tensor.Zeros([1], requiresGrad: true).Expand(3_000_000_000),
        ["bool_beyond_int32"] = () =>
        {
            var x = Tensor.Zeros([(1L << 31) + 10], DType.Bool);
            x[1] = true;
            x[-2] = true;
            return x;
        },
    };

    public static TheoryData<string, BackendKind> CaseIds => ConformanceTests.Cases(Cases.Keys);

    [Fact]
    public void EveryCaseHasItsPyTorchTwinAndNoneIsMissing() =>
        Assert.Equal(Torch.Value.Keys.Order(), Cases.Keys.Order());

    [Theory]
    [MemberData(nameof(CaseIds))]
    public void PrintsPyTorchsSummaryCopyingOutOnlyWhatItShows(string id, BackendKind backend)
    {
        var expected = Torch.Value[id];
        using (Backend.Use(backend))
        {
            using var tensor = Cases[id]();
            Assert.Equal(expected.NumElements, tensor.NumElements);
            Assert.True(tensor.NumElements > int.MaxValue);
            // A whole copy would be gigabytes of managed array (or of storage, for a copy of all
            // but the cut dimension); the summary is a few hundred elements. Nothing else runs
            // beside this class, and ToString's temporaries are still live when it returns.
            long allocatedBefore = GC.GetAllocatedBytesForCurrentThread(), liveBefore = MemoryDiagnostics.LiveBytes;
            string printed = tensor.ToString();
            long allocated = GC.GetAllocatedBytesForCurrentThread() - allocatedBefore, stored = MemoryDiagnostics.LiveBytes - liveBefore;
            Assert.Equal(expected.Printed, printed);
            Assert.True(allocated < 1 << 20, $"ToString allocated {allocated} bytes of managed memory");
            Assert.True(stored < 1 << 20, $"ToString made {stored} bytes of storage");
        }
    }
}
