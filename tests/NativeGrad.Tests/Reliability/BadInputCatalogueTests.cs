using System.Text.Json;
using NativeGrad.Backends;
using NativeGrad.Tests.Conformance;
using NativeGrad.Tests.Support;

namespace NativeGrad.Tests.Reliability;

/// <summary>
/// Each bad input of <see cref="BadInputCatalogue"/> on each backend: exactly the expected
/// exception type, PyTorch's message (or the case's own, where it says why), and a library that
/// still computes correctly afterwards.
/// </summary>
public class BadInputCatalogueTests
{
    private static readonly Lazy<Dictionary<string, (string TorchType, string Message)>> Torch = new(() =>
    {
        using var json = JsonDocument.Parse(File.ReadAllText(RepoPaths.TestData("reliability", "bad_inputs.json")));
        return json.RootElement.GetProperty("cases").EnumerateObject().ToDictionary(
            c => c.Name, c => (c.Value.GetProperty("torch_type").GetString()!, c.Value.GetProperty("message").GetString()!));
    });

    private static readonly Dictionary<string, BadInput> Cases = BadInputCatalogue.All.ToDictionary(c => c.Id);

    public static TheoryData<string, BackendKind> CaseIds => ConformanceTests.Cases(Cases.Keys);

    [Fact]
    public void EveryCaseHasItsPyTorchTwinAndNoneIsMissing()
    {
        Assert.Equal(Torch.Value.Keys.Order(), Cases.Keys.Order());
        foreach (var c in BadInputCatalogue.All)
            Assert.True(c.OwnMessage is null == c.Why is null, $"{c.Id}: an own message needs its reason, and only then");
    }

    [Theory]
    [MemberData(nameof(CaseIds))]
    public void RaisesTheExpectedErrorAndKeepsWorking(string id, BackendKind backend)
    {
        var c = Cases[id];
        using (Backend.Use(backend))
        {
            var error = Record.Exception(c.Run);
            Assert.NotNull(error);
            Assert.Equal(c.Expected, error.GetType());
            Assert.Equal(c.OwnMessage ?? Torch.Value[id].Message, MessageOf(error).Split('\n')[0]);
            AssertStillComputesCorrectly();
        }
    }

    // .NET appends " (Parameter 'name')" to an ArgumentException's message; the words before it are the message.
    private static string MessageOf(Exception error) =>
        error is ArgumentException { ParamName: { } name } ? error.Message.Replace($" (Parameter '{name}')", "") : error.Message;

    // A small forward and backward pass right after the failure: nothing was left half-done.
    private static void AssertStillComputesCorrectly()
    {
        var w = Tensor.From([1.0, -2.0, 3.0], requiresGrad: true);
        var loss = (w * w).Sum() + w.Exp().Mean();
        loss.Backward();
        Assert.Equal(14 + (Math.E + Math.Exp(-2) + Math.Exp(3)) / 3, loss.Item<double>(), 12);
        var expected = new[] { 2 + Math.E / 3, -4 + Math.Exp(-2) / 3, 6 + Math.Exp(3) / 3 };
        var grad = w.Grad!.ToArray<double>();
        for (int i = 0; i < 3; i++) Assert.Equal(expected[i], grad[i], 12);
    }
}
