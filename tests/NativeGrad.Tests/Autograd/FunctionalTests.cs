using NativeGrad.Backends;
using NativeGrad.Conformance;
using NativeGrad.Tests.Conformance;

namespace NativeGrad.Tests.Autograd;

/// <summary>
/// <see cref="NativeGrad.Autograd.Functional"/> against PyTorch on what functional.json leaves out
/// (tests/data/functional/cases.json): every nesting of inputs and outputs, results independent
/// of an input, strict-mode errors and bad vectors word for word, and createGraph (a derivative of
/// each result), on both backends.
/// </summary>
public class FunctionalTests
{
    private const double Rtol = 1e-9, Atol = 1e-12;

    public static TheoryData<string, BackendKind> CaseIds => ConformanceTests.Cases(FunctionalCase.All.Value.Keys);

    [Fact]
    public void EveryCaseWasRead()
    {
        var cases = FunctionalCase.All.Value.Values;
        Assert.Equal(74, cases.Count);
        Assert.Equal(28, cases.Count(c => c.Error is not null));
        Assert.Equal(8, cases.Count(c => c.Second is not null));
    }

    [Theory]
    [MemberData(nameof(CaseIds))]
    public void MatchesPyTorch(string id, BackendKind backend)
    {
        var c = FunctionalCase.All.Value[id];
        using var scope = Backend.Use(backend);
        var inputs = c.Inputs.Select(t => t.ToTensor().RequiresGrad_(c.InputsRequireGrad)).ToArray();
        if (c.Error is { } error)
        {
            var e = Assert.ThrowsAny<Exception>(() => c.Invoke(inputs));
            Assert.True(e is ArgumentException or InvalidOperationException, $"{e.GetType().Name}: {e.Message}");
            Assert.Equal(error, e.Message);
            return;
        }

        var (outputs, results) = c.Invoke(inputs);
        var expected = c.Blocks ?? [c.Result!];
        Assert.Equal(expected.Length, results.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.Equal(expected[i].Length, results[i].Length);
            for (int j = 0; j < expected[i].Length; j++)
                AssertClose(results[i][j], expected[i][j], $"block [{i}][{j}]");
        }
        if (c.Output is { } expectedOutputs)
        {
            Assert.Equal(expectedOutputs.Length, outputs!.Length);
            for (int i = 0; i < outputs.Length; i++)
                AssertClose(outputs[i], expectedOutputs[i], $"output {i}");
            Assert.Equal(c.OutputRequiresGrad, outputs.Select(t => t.RequiresGrad).ToArray());
        }

        var flat = results.SelectMany(row => row).ToArray();
        Assert.Equal(c.ResultRequiresGrad, flat.Select(t => t.RequiresGrad).ToArray());
        Assert.Equal(c.ResultRepr, flat.Select(t => t.ToString()).ToArray());
        if (c.Second is { } second)
        {
            // A derivative of the results: they were recorded, back to the inputs themselves.
            var sum = flat.Where(t => t.RequiresGrad).Select(t => (t * t).Sum()).Aggregate((a, b) => a + b);
            var grads = NativeGrad.Autograd.Grad([sum], inputs, allowUnused: true);
            for (int i = 0; i < inputs.Length; i++)
                AssertClose(grads[i] ?? Tensor.ZerosLike(inputs[i]), second[i], $"second derivative for input {i}");
        }
    }

    private static void AssertClose(Tensor actual, TensorData expected, string what) =>
        Assert.True(CaseRunner.Compare(actual, expected, Rtol, Atol) is not { } failure, $"{what}: {CaseRunner.Compare(actual, expected, Rtol, Atol)}");
}
