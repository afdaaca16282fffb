using System.Runtime.CompilerServices;
using System.Text;
using NativeGrad;

namespace NativeGrad.Examples;

/// <summary>
/// The autograd notebook this project grew from (shared/seed/autograd-notebook.txt), cell by cell
/// in C#. Each cell's code is captured from the lambda that runs it, so what is printed is exactly
/// what ran; a cell's last expression is displayed the way Jupyter (and .NET Interactive) do.
/// </summary>
public static class Notebook
{
    /// <summary>One cell: its number, the C# shown, and what it printed and displayed.</summary>
    public sealed record CellResult(int Number, string Code, string Output);

    private sealed record Cell(int Number, string Code, Func<(string Printed, object? Shown)>? Run, string? MarkdownAfter = null);

    /// <summary>Runs every cell, writing the notebook to <paramref name="writer"/>; returns each cell's result.</summary>
    public static IReadOnlyList<CellResult> Run(TextWriter writer)
    {
        var results = new List<CellResult>();
        foreach (var cell in Cells())
        {
            var (printed, shown) = cell.Run?.Invoke() ?? ("", null);
            string output = Format(printed, shown);
            results.Add(new CellResult(cell.Number, cell.Code, output));
            writer.Write($"In [{cell.Number}]:\n{cell.Code}\n\n");
            if (output.Length > 0) writer.Write(output + "\n\n");
            if (cell.MarkdownAfter is { } markdown) writer.Write(markdown + "\n\n");
        }
        return results;
    }

    // stdout, then (after a blank line, as Jupyter separates them) the displayed value.
    private static string Format(string printed, object? shown) =>
        shown is null ? printed.TrimEnd('\n') : printed.Length > 0 ? $"{printed}\n\n{shown}" : $"{shown}";

    private static List<Cell> Cells()
    {
        Tensor x = null!, y = null!, v = null!, u = null!, z = null!, a = null!, d = null!;
        Func<Tensor, Tensor> f = null!;
        var printed = new StringBuilder();
        void print(object value) => printed.Append(value).Append('\n');

        var cells = new List<Cell>
        {
            new(1, "using NativeGrad;", null),
            Code(2, () =>
            {
                x = Tensor.Arange(4.0);
                return x;
            }),
            Code(3, () =>
            {
                x.RequiresGrad_(true);
                return x;
            }),
            Code(4, () => x.Grad),
            Code(5, () =>
            {
                y = 2 * x.Dot(x);
                return y;
            }),
            Code(6, () =>
            {
                y = (2 * x).MatMul(x);  // Python's 2 * x@x is (2 * x) @ x
                return y;
            }),
            Code(7, () =>
            {
                y.Backward();
                return null;
            }),
            Code(8, () =>
            {
                return x.Grad;  // should be 4x
            }),
            Code(9, () =>
            {
                x.Grad!.Zero_();
                y = x.Sum();
                y.Backward();
                return x.Grad;
            }),
            new(10, """
                // J_ij = dy_i/dx_j. PyTorch never builds J itself:
                // backward computes v^T J for a given v, the "gradient" argument.
                // x: (n), y: (m), J: (m, n), v: (m)
                """, null),
            Code(11, () => x.Grad!.Zero_()),
            Code(12, () =>
            {
                y = x * x;  // elementwise
                return y;
            }),
            new(13, """
                // y = (x_1^2, x_2^2, x_3^2, x_4^2), so J = 2 * diag(x_1, x_2, x_3, x_4)
                // v = [1, 1, 1, 1]^T
                // v^T J = 2 * [x_1, x_2, x_3, x_4]
                """, null),
            Code(14, () =>
            {
                v = Tensor.Ones(y.Size(0));
                y.Backward(gradient: v);
                return x.Grad;
            }),
            Code(15, () =>
            {
                x.Grad!.Zero_();
                return x;
            }),
            Code(16, () =>
            {
                y = x * x;
                return y;
            }),
            Code(17, () =>
            {
                u = y.Detach();
                return u;
            }),
            Code(18, () =>
            {
                z = u * x;
                return z;
            }),
            Code(19, () =>
            {
                z.Sum().Backward();  // only x is differentiated: to z, u is a constant
                return null;
            }),
            Code(20, () => u == x.Grad!),
            Code(21, () =>
            {
                x.Grad!.Zero_();
                y.Sum().Backward();
                return x.Grad;
            }),
            Code(22, () =>
            {
                f = a =>
                {
                    var b = a * 2;
                    while (b.Norm() < 1000)
                        b = b * 2;
                    Tensor c;
                    if (b.Sum() > 0)
                        c = b;
                    else
                        c = 100 * b;
                    return c;
                };
                return null;
            }),
            Code(23, () =>
            {
                a = Tensor.Randn([], requiresGrad: true);  // one draw from N(0, 1)
                print(a);                                  // a requires grad: we can differentiate with respect to it

                d = f(a);
                d.Backward();  // differentiate d with respect to a
                return a.Grad; // dd/da
            }, markdownAfter: "https://zhang-yang.medium.com/the-gradient-argument-in-pytorchs-backward-function-explained-by-examples-68f266950c29"),
            Code(24, () =>
            {
                x = Tensor.From(1f, requiresGrad: true);  // we will differentiate with respect to x
                return x;
            }),
            Code(25, () =>
            {
                y = x.Pow(2);
                return y;
            }),
            Code(26, () =>
            {
                y.Backward();  // the same as gradient: 1
                return null;
            }),
            Code(27, () =>
            {
                return x.Grad;  // should be 2x
            }),
            Code(28, () =>
            {
                x = Tensor.From(1f, requiresGrad: true);
                y = x.Pow(2);
                y.Backward(gradient: Tensor.From(100f));
                return null;
            }),
            Code(29, () => x.Grad),
            Code(30, () =>
            {
                x = Tensor.From([1f, 2f], requiresGrad: true);
                y = x.Aggregate((p, q) => p + q);  // Python's sum(x), over the rows of x
                y.Backward();
                return x.Grad;  // should be [1, 1]
            }),
            Code(31, () =>
            {
                x = Tensor.From([1f, 2f], requiresGrad: true);
                y = x.Aggregate((p, q) => p + q);
                y.Backward(gradient: Tensor.From(100f));
                return x.Grad;  // should be [100, 100]
            }),
            Code(32, () =>
            {
                x = Tensor.From([1f, 2f], requiresGrad: true);
                y = 3 * x.Pow(2);
                // y = [3 x_1^2, 3 x_2^2], J = diag(6 x_1, 6 x_2)
                y.Backward(Tensor.From([1f, 1f]));
                return x.Grad;  // should be [6, 12]
            }),
        };
        return cells;

        Cell Code(int number, Func<object?> run, string? markdownAfter = null, [CallerArgumentExpression(nameof(run))] string source = "") =>
            new(number, CellSource.FromLambda(source), () =>
            {
                printed.Clear();
                var shown = run();
                return (printed.ToString(), shown);
            }, markdownAfter);
    }
}
