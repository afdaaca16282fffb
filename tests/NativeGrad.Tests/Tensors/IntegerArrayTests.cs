namespace NativeGrad.Tests.Tensors;

/// <summary>C# int arrays become int64 tensors, as Python ints do in torch.tensor.</summary>
public class IntegerArrayTests
{
    [Fact]
    public void IntArraysBecomeInt64Tensors()
    {
        // torch.tensor([1, 2, 3]) and torch.tensor([[1, 2], [3, 4]])
        var vector = Tensor.From([1, 2, 3]);
        Assert.Equal(DType.Int64, vector.DType);
        Assert.Equal("tensor([1, 2, 3])", vector.ToString());
        Assert.Equal("tensor([[1, 2],\n        [3, 4]])", Tensor.From(new[,] { { 1, 2 }, { 3, 4 } }).ToString());
        Assert.Equal("tensor(5)", Tensor.From(5).ToString());
    }
}
