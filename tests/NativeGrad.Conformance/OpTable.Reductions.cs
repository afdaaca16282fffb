namespace NativeGrad.Conformance;

public static partial class OpTable
{
    /// <summary>tests/data/parity/reductions: reductions, sorting and selection.</summary>
    private static Dictionary<string, Op> ReductionOps => new()
    {
    };
}
