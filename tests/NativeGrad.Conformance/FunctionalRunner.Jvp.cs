namespace NativeGrad.Conformance;

public static partial class FunctionalRunner
{
    // ---- The jvp cases: the one place to wire when Autograd.Functional.Jvp lands ----
    // Jvp is written on the forward-AD branch. Until that branch is merged, every jvp case fails
    // with the error below (none is skipped or passed), and the xunit theory leaves them out
    // (tests/NativeGrad.Tests/Conformance/FunctionalConformanceTests.cs). When it lands, this
    // body becomes:
    //
    //     var v = c.Jvp.V.Select(t => t.ToTensor()).ToArray();
    //     var (outputs, jvp) = Autograd.Functional.Jvp(xs => [function(xs)], inputs, v);
    //     return Compare(c, "jvp", outputs[0], jvp, [c.Jvp.Result]);
    //
    // (the forward-AD branch's array overload, Func<Tensor[], Tensor[]> with Tensor[] v, returning
    // (Tensor[] Outputs, Tensor[] Jvp)), and the jvp filter in FunctionalConformanceTests goes.
    private static CaseResult RunJvp(FunctionCase c, Func<Tensor[], Tensor> function, Tensor[] inputs) =>
        throw NnRunner.NotBuiltYet("Autograd.Functional.Jvp (it comes with the forward-AD branch)");
}
