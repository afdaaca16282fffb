using System.Globalization;
using NativeGrad;

namespace NativeGrad.Examples;

/// <summary>
/// Newton's method on the Rosenbrock function with <see cref="Autograd.Functional"/>: each step
/// solves H(x)·d = ∇f(x) and moves to x - d (the README's worked example, <c>-- newton</c>).
/// </summary>
public static class Newton
{
    /// <summary>One iterate: the step number, the point, f there and the gradient's 2-norm.</summary>
    public sealed record Iterate(int Step, double[] X, double F, double GradientNorm);

    /// <summary>Σ 100 (x[i+1] - x[i]²)² + (1 - x[i])²: a curved valley with its minimum 0 at (1, ..., 1).</summary>
    public static Tensor Rosenbrock(Tensor x) => (100 * (x[1..] - x[..^1].Pow(2)).Pow(2) + (1 - x[..^1]).Pow(2)).Sum();

    /// <summary>
    /// From (-1.2, 1), Newton steps until the gradient's norm is below <paramref name="tolerance"/>
    /// or after <paramref name="maxSteps"/> steps, printing every iterate to <paramref name="writer"/>.
    /// </summary>
    public static IReadOnlyList<Iterate> Run(TextWriter writer, int maxSteps = 20, double tolerance = 1e-10)
    {
        writer.WriteLine("Newton's method on the Rosenbrock function 100 (y - x^2)^2 + (1 - x)^2, from (-1.2, 1):");
        var x = Tensor.From([-1.2, 1.0]);
        var iterates = new List<Iterate>();
        for (int step = 0; ; step++)
        {
            var gradient = Autograd.Functional.Jacobian(Rosenbrock, x); // a scalar's Jacobian is its gradient
            var iterate = new Iterate(step, x.ToArray<double>(), Rosenbrock(x).Item<double>(), gradient.Norm().Item<double>());
            iterates.Add(iterate);
            writer.WriteLine(Format(iterate));
            if (iterate.GradientNorm < tolerance || step == maxSteps) return iterates;
            var hessian = Autograd.Functional.Hessian(Rosenbrock, x);
            x -= Solve(hessian, gradient);
        }
    }

    /// <summary>The printed line of one iterate, every number shortest round-trip (as Python's repr).</summary>
    public static string Format(Iterate iterate) =>
        string.Create(CultureInfo.InvariantCulture,
            $"step {iterate.Step}: x = [{string.Join(", ", iterate.X.Select(v => v.ToString("R", CultureInfo.InvariantCulture)))}], " +
            $"f(x) = {iterate.F:R}, |grad f(x)| = {iterate.GradientNorm:R}");

    // NativeGrad has no linalg.solve yet: Gaussian elimination with partial pivoting (LAPACK's
    // gesv, which torch.linalg.solve calls, is the same algorithm), enough for this small system.
    private static Tensor Solve(Tensor matrix, Tensor vector)
    {
        int n = (int)vector.NumElements;
        var a = matrix.ToArray<double>();
        var b = vector.ToArray<double>();
        for (int col = 0; col < n; col++)
        {
            int pivot = Enumerable.Range(col, n - col).MaxBy(row => Math.Abs(a[row * n + col]));
            if (a[pivot * n + col] == 0) throw new InvalidOperationException("the Hessian is singular");
            for (int k = 0; k < n; k++) (a[col * n + k], a[pivot * n + k]) = (a[pivot * n + k], a[col * n + k]);
            (b[col], b[pivot]) = (b[pivot], b[col]);
            for (int row = col + 1; row < n; row++)
            {
                double factor = a[row * n + col] / a[col * n + col];
                for (int k = col; k < n; k++) a[row * n + k] -= factor * a[col * n + k];
                b[row] -= factor * b[col];
            }
        }
        var solution = new double[n];
        for (int row = n - 1; row >= 0; row--)
        {
            double sum = b[row];
            for (int k = row + 1; k < n; k++) sum -= a[row * n + k] * solution[k];
            solution[row] = sum / a[row * n + row];
        }
        return Tensor.From(solution);
    }
}
