namespace NativeGrad.Conformance;

public static partial class OpTable
{
    /// <summary>tests/data/parity/elementwise: elementwise math, rounding, logical and bitwise ops.</summary>
    private static Dictionary<string, Op> ElementwiseOps => new()
    {
    };
}
