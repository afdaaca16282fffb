namespace NativeGrad.Conformance;

public static partial class OpTable
{
    /// <summary>tests/data/parity/linalg: linear algebra and comparison helpers.</summary>
    private static Dictionary<string, Op> LinalgOps => new()
    {
    };
}
