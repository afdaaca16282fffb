using System.Text.RegularExpressions;
using NativeGrad.Examples;
using NativeGrad.Tests.Support;

namespace NativeGrad.Tests.Notebook;

/// <summary>
/// Every cell of the notebook the project grew from (tests/data/seed/autograd-notebook.txt, printed
/// by PyTorch) must print the same in C#. The randn cell draws an unseeded value, so there the
/// format is checked and the gradient is recomputed for the value drawn.
/// </summary>
[Collection(SerialCollection.Name)]
public partial class NotebookTests
{
    private const int RandomCell = 23;

    [Fact]
    public void EveryCellPrintsWhatPyTorchPrinted()
    {
        var expected = ExpectedOutputs();
        var actual = RunNotebook();
        Assert.Equal(expected.Keys.Order(), actual.Select(c => c.Number));
        foreach (var cell in actual.Where(c => c.Number != RandomCell))
            Assert.True(expected[cell.Number] == cell.Output,
                $"In [{cell.Number}]:\n{cell.Code}\n--- PyTorch printed ---\n{expected[cell.Number]}\n--- NativeGrad printed ---\n{cell.Output}");
    }

    [Fact]
    public void TheRandomCellPrintsTheDrawAndTheRightGradientForIt()
    {
        const ulong seed = 20261125;
        string output;
        float drawn;
        lock (SharedLocks.DefaultGenerator)
        {
            Tensor.ManualSeed(seed);
            output = RunNotebook().Single(c => c.Number == RandomCell).Output;
            Tensor.ManualSeed(seed);
            drawn = Tensor.Randn([]).Item<float>();
        }

        var match = RandomCellOutput().Match(output);
        Assert.True(match.Success, $"cell {RandomCell} printed:\n{output}");
        Assert.Equal(Tensor.From(drawn).ToString(), $"tensor({match.Groups["a"].Value})");
        Assert.Equal(Tensor.From(ExpectedGradient(drawn)).ToString(), $"tensor({match.Groups["grad"].Value})");
    }

    // f doubles b = 2a until its norm reaches 1000, then keeps it if positive or scales it by 100.
    private static float ExpectedGradient(float a)
    {
        float b = a * 2, slope = 2;
        while (Math.Abs(b) < 1000) { b *= 2; slope *= 2; }
        return b > 0 ? slope : 100 * slope;
    }

    [GeneratedRegex(@"^tensor\((?<a>-?\d+\.\d{4}), requires_grad=True\)\n\n\ntensor\((?<grad>-?\d+\.)\)$")]
    private static partial Regex RandomCellOutput();

    private static IReadOnlyList<global::NativeGrad.Examples.Notebook.CellResult> RunNotebook()
    {
        lock (SharedLocks.DefaultGenerator) // the notebook draws from the default generator
            return global::NativeGrad.Examples.Notebook.Run(TextWriter.Null);
    }

    /// <summary>
    /// Each "In [n]:" block of the notebook: its output is the span from the first to the last
    /// paragraph that starts with "tensor(" (code and markdown never do in this notebook).
    /// </summary>
    private static Dictionary<int, string> ExpectedOutputs()
    {
        var text = File.ReadAllText(RepoPaths.TestData("seed", "autograd-notebook.txt")).Replace("\r\n", "\n");
        var headers = CellHeader().Matches(text);
        var outputs = new Dictionary<int, string>();
        for (int i = 0; i < headers.Count; i++)
        {
            int bodyStart = headers[i].Index + headers[i].Length;
            var body = text[bodyStart..(i + 1 < headers.Count ? headers[i + 1].Index : text.Length)];
            int number = int.Parse(headers[i].Groups[1].Value);
            var paragraphs = Regex.Matches(body, @"(?<=^|\n\n)tensor\(").Select(m => m.Index).ToArray();
            if (paragraphs.Length == 0) { outputs[number] = ""; continue; }
            int start = paragraphs[0];
            int lastStart = paragraphs[^1];
            int end = body.IndexOf("\n\n", lastStart, StringComparison.Ordinal);
            outputs[number] = body[start..(end < 0 ? body.Length : end)].TrimEnd('\n');
        }
        return outputs;
    }

    [GeneratedRegex(@"(?:^|\n)In \[(\d+)\]:\n")]
    private static partial Regex CellHeader();
}
