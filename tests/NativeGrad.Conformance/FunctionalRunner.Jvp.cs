namespace NativeGrad.Conformance;

public static partial class FunctionalRunner
{
    // Forward mode (Autograd.Functional.Jvp's array overload: Func<Tensor[], Tensor[]> with
    // Tensor[] v, returning (Tensor[] Outputs, Tensor[] Jvp)).
    private static CaseResult RunJvp(FunctionCase c, Func<Tensor[], Tensor> function, Tensor[] inputs)
    {
        var v = c.Jvp!.V.Select(t => t.ToTensor()).ToArray();
        var (outputs, jvp) = Autograd.Functional.Jvp(xs => [function(xs)], inputs, v);
        return Compare(c, "jvp", outputs[0], jvp, [c.Jvp.Result]);
    }
}
