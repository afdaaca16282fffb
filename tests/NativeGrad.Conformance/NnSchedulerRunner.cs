using System.Text.Json;
using NativeGrad.Optim;

namespace NativeGrad.Conformance;

public static partial class NnRunner
{
    /// <summary>
    /// nn.json `scheduler`: the learning rate after construction, then after each of the rounds of
    /// optimizer.step(); scheduler.step(), must match PyTorch's.
    /// </summary>
    public static CaseResult Run(SchedulerCase c)
    {
        var parameter = Tensor.Zeros(2).RequiresGrad_();
        var optimizerName = c.Optimizer.TryGetValue("name", out var name) ? name.GetString()! : throw new InvalidDataException("the scheduler case names no optimizer");
        var optimizer = OptimFactory.Create(optimizerName, [parameter], c.Optimizer.Where(e => e.Key != "name").ToDictionary());
        var scheduler = CreateScheduler(c.Scheduler, optimizer, c.Options);
        for (int i = 0; i < c.Lrs.Length; i++)
        {
            if (i > 0)
            {
                // A zero gradient keeps the parameter where it is; only the schedule matters here.
                parameter.Grad = Tensor.ZerosLike(parameter);
                optimizer.Step();
                scheduler.Step();
            }
            double got = scheduler.GetLastLr()[0], want = c.Lrs[i];
            if (Math.Abs(got - want) > c.Rtol * Math.Abs(want) || optimizer.ParamGroups[0].Lr != got)
                return new CaseResult(c.Id, "scheduler", ValueFailure: $"lr after {i} steps: {got:R} (group lr {optimizer.ParamGroups[0].Lr:R}), expected {want:R}");
        }
        return new CaseResult(c.Id, "scheduler");
    }

    private static LRScheduler CreateScheduler(string name, Optimizer optimizer, IReadOnlyDictionary<string, JsonElement> options)
    {
        var o = new OptimFactory.Options(name, options);
        LRScheduler scheduler = name switch
        {
            "StepLR" => new StepLR(optimizer, o.Integer("step_size"), o.Number("gamma", 0.1)),
            "MultiStepLR" => new MultiStepLR(optimizer, o.Integers("milestones"), o.Number("gamma", 0.1)),
            "ExponentialLR" => new ExponentialLR(optimizer, o.Number("gamma")),
            "CosineAnnealingLR" => new CosineAnnealingLR(optimizer, o.Integer("T_max"), o.Number("eta_min", 0)),
            "LinearLR" => new LinearLR(optimizer, o.Number("start_factor", 1.0 / 3), o.Number("end_factor", 1.0), o.Integer("total_iters")),
            "OneCycleLR" => new OneCycleLR(optimizer, o.Number("max_lr"), totalSteps: o.Integer("total_steps")),
            _ => throw new InvalidDataException($"unknown scheduler '{name}'"),
        };
        o.ThrowOnUnused();
        return scheduler;
    }
}
