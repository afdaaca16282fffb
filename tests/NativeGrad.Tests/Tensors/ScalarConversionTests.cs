namespace NativeGrad.Tests.Tensors;

/// <summary>
/// The implicit scalar -> 0-dim tensor conversions behind <c>y[0] = 7</c> (their values against
/// PyTorch are the setitem_* cases of tests/data/parity/shape): the dtypes they give, that the
/// scalar overloads still win, and that an index may mix tensors with integers and slices.
/// </summary>
public class ScalarConversionTests
{
    [Fact]
    public void ScalarsConvertToZeroDimTensorsOfTensorFromsDtype()
    {
        Tensor fromDouble = 0.1, fromFloat = 2.5f, fromInt = 7, fromBool = true;
        Assert.Equal((DType.Float64, 0.1), (fromDouble.DType, fromDouble.Item<double>()));
        Assert.Equal((DType.Float32, 2.5f), (fromFloat.DType, fromFloat.Item<float>()));
        Assert.Equal((DType.Int64, 7L), (fromInt.DType, fromInt.Item<long>()));
        Assert.Equal((DType.Bool, true), (fromBool.DType, fromBool.Item<bool>()));
        Assert.All(new[] { fromDouble, fromFloat, fromInt, fromBool }, t => Assert.Equal(0, t.Dim));
    }

    [Fact]
    public void OverloadsTakingScalarsKeepTheirMeaning()
    {
        var x = Tensor.Randn([3], requiresGrad: true);
        Assert.Equal("ClampBackward1", x.Clamp(-0.5, 0.5).GradFn!.Name);   // not the tensor-bounds ClampBackward0
        Assert.Equal("AddBackward0", (x + 2).GradFn!.Name);
        Assert.Equal(DType.Int64, (Tensor.Arange(3) * 2).DType);
        Assert.Equal(DType.Int64, Tensor.Arange(3)[1].DType);               // x[1] still selects (a view)
        Assert.Equal("SelectBackward0", x[1].GradFn!.Name);
    }

    [Fact]
    public void AnIndexMayMixTensorsWithIntegersAndSlices()
    {
        // The values against PyTorch are the index_mixed_* cases; here, that x[0] and x[rows] still mean what they did.
        var x = Tensor.Arange(12.0).Reshape(3, 4);
        var rows = Tensor.From([2L, 0L]);
        Assert.Equal([2, 3], x[rows, 1..].Shape);
        Assert.Equal([4], x[0].Shape);
        Assert.Equal([2, 4], x[rows].Shape);
        x[rows, ..2] = 1;
        Assert.Equal(new double[] { 1, 1, 2, 3, 4, 5, 6, 7, 1, 1, 10, 11 }, x.ToArray<double>());
    }
}
