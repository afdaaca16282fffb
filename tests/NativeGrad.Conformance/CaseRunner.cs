namespace NativeGrad.Conformance;

/// <summary>What went wrong in one case; all null means it passed.</summary>
public sealed record CaseResult(string Id, string Op, string? ValueFailure = null, string? GradFailure = null,
                                string? ReprFailure = null, string? Error = null)
{
    public bool Passed => ValueFailure is null && GradFailure is null && ReprFailure is null && Error is null;

    public string Describe() => string.Join("\n", new[]
    {
        Error is null ? null : $"error: {Error}",
        ValueFailure is null ? null : $"value: {ValueFailure}",
        GradFailure is null ? null : $"gradient: {GradFailure}",
        ReprFailure is null ? null : $"repr: {ReprFailure}",
    }.Where(line => line is not null));
}

/// <summary>Runs conformance cases against the current backend.</summary>
public static class CaseRunner
{
    /// <summary>Forward value and printed form, then the gradient of every input after backward(grad_output).</summary>
    public static CaseResult Run(OpCase c)
    {
        if (c.ExpectedError is not null) return RunFailing(c);
        try
        {
            var inputs = c.Inputs.Select(i => i.RequiresGrad ? i.ToTensor().RequiresGrad_() : i.ToTensor()).ToArray();
            var side = new OpTable.SideEffects();
            var output = OpTable.Apply(c.Op, inputs, c.Attrs, side);
            var valueFailure = Compare(output, c.Output, c.Rtol, c.Atol)
                ?? CompareState("running_mean", side.RunningMean, c.RunningMeanAfter, c)
                ?? CompareState("running_var", side.RunningVar, c.RunningVarAfter, c);
            var repr = output.ToString();
            var reprFailure = repr == c.OutputRepr ? null : $"expected {c.OutputRepr}\n       got      {repr}";

            string? gradFailure = null;
            // PyTorch computed gradients exactly when its output was differentiable (bool results are not).
            if (c.Grads.Any(g => g is not null))
            {
                output.Backward(c.GradOutput?.ToTensor());
                for (int i = 0; i < inputs.Length && gradFailure is null; i++)
                {
                    if (c.Grads[i] is not { } expected) continue;
                    gradFailure = inputs[i].Grad is { } grad
                        ? Compare(grad, expected, c.Rtol, c.Atol) is { } failure ? $"input {i}: {failure}" : null
                        : $"input {i}: no gradient was computed";
                }
            }
            return new CaseResult(c.Id, c.Op, valueFailure, gradFailure, reprFailure);
        }
        catch (Exception e)
        {
            return new CaseResult(c.Id, c.Op, Error: $"{e.GetType().Name}: {e.Message}");
        }
    }

    /// <summary>A case PyTorch rejects: the op must throw with PyTorch's message, and only that.</summary>
    private static CaseResult RunFailing(OpCase c)
    {
        var inputs = c.Inputs.Select(i => i.RequiresGrad ? i.ToTensor().RequiresGrad_() : i.ToTensor()).ToArray();
        try
        {
            var output = OpTable.Apply(c.Op, inputs, c.Attrs);
            return new CaseResult(c.Id, c.Op, ValueFailure: $"expected the error \"{c.ExpectedError}\", got {output}");
        }
        catch (NotSupportedException e) when (!OpTable.Knows(c.Op))
        {
            return new CaseResult(c.Id, c.Op, Error: e.Message);
        }
        catch (Exception e)
        {
            return new CaseResult(c.Id, c.Op, ValueFailure: e.Message == c.ExpectedError ? null
                : $"expected the error \"{c.ExpectedError}\"\n       got {e.GetType().Name}: {e.Message}");
        }
    }

    /// <summary>A running statistic the case expects after the call (batch_norm in training).</summary>
    private static string? CompareState(string name, Tensor? actual, TensorData? expected, OpCase c) =>
        expected is null ? null
        : actual is null ? $"{name}: the op did not report it"
        : Compare(actual, expected, c.Rtol, c.Atol) is { } failure ? $"{name} after the call: {failure}" : null;

    /// <summary>The tensor must print exactly as PyTorch printed it.</summary>
    public static CaseResult Run(ReprCase c)
    {
        try
        {
            var tensor = c.Tensor.ToTensor();
            if (c.Tensor.RequiresGrad) tensor.RequiresGrad_();
            var repr = tensor.ToString();
            return new CaseResult(c.Id, "repr", ReprFailure: repr == c.Repr ? null : $"expected {c.Repr}\n       got      {repr}");
        }
        catch (Exception e)
        {
            return new CaseResult(c.Id, "repr", Error: $"{e.GetType().Name}: {e.Message}");
        }
    }

    /// <summary>After ManualSeed(seed), one Randn/Rand call must give PyTorch's exact values.</summary>
    public static CaseResult Run(RngCase c)
    {
        try
        {
            Tensor.ManualSeed(c.Seed);
            var tensor = c.Function switch
            {
                "randn" => Tensor.Randn(c.Shape, DType.Float32),
                "rand" => Tensor.Rand(c.Shape, DType.Float32),
                _ => throw new InvalidDataException($"unknown random function '{c.Function}'"),
            };
            var values = tensor.ToArray();
            int mismatch = Enumerable.Range(0, values.Length).FirstOrDefault(i => BitConverter.SingleToInt32Bits(values[i]) != BitConverter.SingleToInt32Bits(c.Data[i]), -1);
            string? failure = !tensor.Shape.SequenceEqual(c.Shape) ? $"shape {string.Join("x", tensor.Shape)}"
                : mismatch >= 0 ? $"element {mismatch}: expected {c.Data[mismatch]:R}, got {values[mismatch]:R}" : null;
            return new CaseResult(c.Id, c.Function, ValueFailure: failure);
        }
        catch (Exception e)
        {
            return new CaseResult(c.Id, c.Function, Error: $"{e.GetType().Name}: {e.Message}");
        }
    }

    /// <summary>abs(actual - expected) &lt;= atol + rtol * abs(expected) everywhere, with matching dtype and shape; NaN matches NaN.</summary>
    public static string? Compare(Tensor actual, TensorData expected, double rtol, double atol)
    {
        if (actual.DType != expected.ParsedDType)
            return $"dtype {actual.DType.TorchName()}, expected {expected.ParsedDType.TorchName()}";
        if (!actual.Shape.SequenceEqual(expected.Shape))
            return $"shape [{string.Join(", ", actual.Shape)}], expected [{string.Join(", ", expected.Shape)}]";
        var got = actual.ToArray<double>();
        var want = expected.Values;
        for (int i = 0; i < want.Length; i++)
        {
            bool same = double.IsNaN(want[i]) ? double.IsNaN(got[i])
                : double.IsInfinity(want[i]) ? got[i] == want[i]
                : Math.Abs(got[i] - want[i]) <= atol + rtol * Math.Abs(want[i]);
            if (!same) return $"element {i}: expected {want[i]:R}, got {got[i]:R}";
        }
        return null;
    }
}
