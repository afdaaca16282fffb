namespace NativeGrad.Conformance;

public static partial class OpTable
{
    /// <summary>tests/data/parity/shape: indexing and shape ops.</summary>
    private static Dictionary<string, Op> ShapeOps => new()
    {
    };
}
