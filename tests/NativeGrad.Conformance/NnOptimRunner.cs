namespace NativeGrad.Conformance;

public static partial class NnRunner
{
    /// <summary>
    /// nn.json `optim`: from the problem's w and b, rounds of zero_grad, loss =
    /// mean((A @ w + b - y)^2), backward, step; each round's loss and the parameters after its step
    /// must match PyTorch's.
    /// </summary>
    public static CaseResult Run(OptimCase c, OptimProblem problem)
    {
        var a = problem.A.ToTensor();
        var y = problem.Y.ToTensor();
        var w = problem.W.ToTensor().RequiresGrad_();
        var b = problem.B.ToTensor().RequiresGrad_();
        var optimizer = OptimFactory.Create(c.Optimizer, [w, b], c.Options);
        for (int i = 0; i < c.Steps.Length; i++)
        {
            var expected = c.Steps[i];
            optimizer.ZeroGrad();
            var loss = (a.MatMul(w) + b - y).Pow(2).Mean();
            double got = loss.Item<float>();
            if (Math.Abs(got - expected.LossBefore) > c.Atol + c.Rtol * Math.Abs(expected.LossBefore))
                return new CaseResult(c.Id, "optim", ValueFailure: $"step {i}: loss {got:R}, expected {expected.LossBefore:R}");
            loss.Backward();
            optimizer.Step();
            if (CaseRunner.Compare(w, expected.W, c.Rtol, c.Atol) is { } wFailure)
                return new CaseResult(c.Id, "optim", ValueFailure: $"step {i}: w {wFailure}");
            if (CaseRunner.Compare(b, expected.B, c.Rtol, c.Atol) is { } bFailure)
                return new CaseResult(c.Id, "optim", ValueFailure: $"step {i}: b {bFailure}");
        }
        return new CaseResult(c.Id, "optim");
    }
}
