using NativeGrad.Backends;

namespace NativeGrad.Tests.Tensors;

/// <summary>
/// The public tensor API against PyTorch 1.13: creation, enumeration, comparisons, conversions,
/// in-place ops, printing and the errors for bad input. Every expected value, repr and message was
/// produced by running the same computation in PyTorch (the Python expression is in the comment
/// next to it); exception types follow NativeGrad's mapping (RuntimeError to ArgumentException for
/// bad arguments and InvalidOperationException for bad state, IndexError to
/// ArgumentOutOfRangeException, ValueError to ArgumentException). Views are in
/// <see cref="TensorViewTests"/>, dtype promotion in <see cref="TypePromotionTests"/>.
/// The tests are split by topic: <see cref="TensorCreationTests"/>, <see cref="TensorConversionTests"/>,
/// <see cref="TensorComparisonTests"/>, <see cref="InPlaceOpTests"/> and <see cref="TensorErrorTests"/>;
/// this class holds what they share.
/// </summary>
public abstract class TensorApiTestBase
{
    public static TheoryData<BackendKind> Kinds => new() { BackendKind.Native, BackendKind.Managed };

    protected static void AssertTensor(DType dtype, long[] shape, string repr, Tensor actual)
    {
        Assert.Equal(dtype, actual.DType);
        Assert.Equal(shape, actual.Shape);
        Assert.Equal(repr, actual.ToString());
    }

    protected static void AssertBools(bool[] expected, Tensor actual)
    {
        Assert.Equal(DType.Bool, actual.DType);
        Assert.Equal(expected, actual.ToArray<bool>());
    }
}
