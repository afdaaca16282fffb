namespace NativeGrad.Tests.Tensors;

/// <summary>
/// The errors for bad input, with PyTorch 1.13's messages: null arguments, negative shapes, dimensions
/// and indices out of range, shape mismatches, and bool tensors under negation and subtraction.
/// Where the messages and exception types come from: <see cref="TensorApiTestBase"/>.
/// </summary>
public sealed class TensorErrorTests : TensorApiTestBase
{
    [Fact]
    public void NullArgumentsThrowArgumentNullException()
    {
        var x = Tensor.Zeros(2, 2);
        Tensor nullTensor = null!;
        Assert.Throws<ArgumentNullException>(() => Tensor.From((float[])null!));
        Assert.Throws<ArgumentNullException>(() => Tensor.From((double[])null!));
        Assert.Throws<ArgumentNullException>(() => Tensor.From((long[])null!));
        Assert.Throws<ArgumentNullException>(() => Tensor.From((bool[])null!));
        Assert.Throws<ArgumentNullException>(() => Tensor.From((Array)null!));
        Assert.Throws<ArgumentNullException>(() => Tensor.FromArray<float>(null!));
        Assert.Throws<ArgumentNullException>(() => Tensor.FromSpan<float>([1f], null!));
        Assert.Throws<ArgumentNullException>(() => Tensor.Zeros((long[])null!));
        Assert.Throws<ArgumentNullException>(() => Tensor.Ones(null!, DType.Float64));
        Assert.Throws<ArgumentNullException>(() => Tensor.Full(null!, 1));
        Assert.Throws<ArgumentNullException>(() => Tensor.ZerosLike(null!));
        Assert.Throws<ArgumentNullException>(() => Tensor.OnesLike(null!));
        Assert.Throws<ArgumentNullException>(() => Tensor.FullLike(null!, 1));
        Assert.Throws<ArgumentNullException>(() => Tensor.Randn((long[])null!));
        Assert.Throws<ArgumentNullException>(() => Tensor.Rand((long[])null!));
        Assert.Throws<ArgumentNullException>(() => Tensor.RandnLike(null!));
        Assert.Throws<ArgumentNullException>(() => Tensor.Randint(0, 5, null!));
        Assert.Throws<ArgumentNullException>(() => x.Reshape(null!));
        Assert.Throws<ArgumentNullException>(() => x.View(null!));
        Assert.Throws<ArgumentNullException>(() => x.Permute(null!));
        Assert.Throws<ArgumentNullException>(() => x.Expand(null!));
        Assert.Throws<ArgumentNullException>(() => x.ExpandAs(null!));
        Assert.Throws<ArgumentNullException>(() => x.IndexSelect(0, null!));
        Assert.Throws<ArgumentNullException>(() => x[(TensorIndex[])null!]);
        Assert.Throws<ArgumentNullException>(() => Tensor.Cat(null!));
        Assert.Throws<ArgumentNullException>(() => Tensor.Cat([x, nullTensor]));
        Assert.Throws<ArgumentNullException>(() => Tensor.Stack(null!));
        Assert.Throws<ArgumentNullException>(() => Tensor.Stack([x, nullTensor]));
        Assert.Throws<ArgumentNullException>(() => x + nullTensor);
        Assert.Throws<ArgumentNullException>(() => nullTensor * x);
        Assert.Throws<ArgumentNullException>(() => nullTensor + 2.0);
        Assert.Throws<ArgumentNullException>(() => 2 - nullTensor);
        Assert.Throws<ArgumentNullException>(() => x == nullTensor);
        Assert.Throws<ArgumentNullException>(() => nullTensor < 2.0);
        Assert.Throws<ArgumentNullException>(() => x.Equal(nullTensor));
        Assert.Throws<ArgumentNullException>(() => x.Dot(nullTensor));
        Assert.Throws<ArgumentNullException>(() => x.Mm(nullTensor));
        Assert.Throws<ArgumentNullException>(() => x.MatMul(nullTensor));
        Assert.Throws<ArgumentNullException>(() => x.Add_(nullTensor));
        Assert.Throws<ArgumentNullException>(() => x.Copy_(nullTensor));
        Assert.Throws<ArgumentNullException>(() => Tensor.Where(nullTensor, x, x));
        Assert.Throws<ArgumentNullException>(() => Tensor.Where(x > 0, nullTensor, x));
    }

    [Fact]
    public void NegativeShapesThrowPyTorchsMessage()
    {
        // torch.zeros(-1, 2), torch.ones(2, -3), torch.full((-1, 2), 1.), torch.randn(-1, 2), torch.rand(-1, 2), torch.randint(0, 5, (-1, 2))
        const string message = "Trying to create tensor with negative dimension -1: [-1, 2]";
        Assert.Equal(message, Assert.Throws<ArgumentException>(() => Tensor.Zeros(-1, 2)).Message);
        Assert.Equal("Trying to create tensor with negative dimension -3: [2, -3]", Assert.Throws<ArgumentException>(() => Tensor.Ones(2, -3)).Message);
        Assert.Equal(message, Assert.Throws<ArgumentException>(() => Tensor.Full([-1, 2], 1)).Message);
        Assert.Equal(message, Assert.Throws<ArgumentException>(() => Tensor.Randn(-1, 2)).Message);
        Assert.Equal(message, Assert.Throws<ArgumentException>(() => Tensor.Rand(-1, 2)).Message);
        Assert.Equal(message, Assert.Throws<ArgumentException>(() => Tensor.Randint(0, 5, [-1, 2])).Message);
        Assert.Equal(message, Assert.Throws<ArgumentException>(() => Tensor.FromSpan<float>([], [-1, 2])).Message);
        // torch.eye(-1), torch.eye(2, -1), torch.linspace(0, 1, -1)
        Assert.Equal("n must be greater or equal to 0, got -1", Assert.Throws<ArgumentException>(() => Tensor.Eye(-1)).Message);
        Assert.Equal("m must be greater or equal to 0, got -1", Assert.Throws<ArgumentException>(() => Tensor.Eye(2, -1)).Message);
        Assert.Equal("number of steps must be non-negative", Assert.Throws<ArgumentException>(() => Tensor.Linspace(0, 1, -1)).Message);
        // torch.arange(0, 5, 0), torch.arange(0, 5, -1), torch.arange(0., 5., -1.)
        Assert.Equal("step must be nonzero", Assert.Throws<ArgumentException>(() => Tensor.Arange(0, 5, 0)).Message);
        Assert.Equal("upper bound and larger bound inconsistent with step sign", Assert.Throws<ArgumentException>(() => Tensor.Arange(0, 5, -1)).Message);
        Assert.Equal("upper bound and larger bound inconsistent with step sign", Assert.Throws<ArgumentException>(() => Tensor.Arange(0.0, 5.0, -1.0)).Message);
    }

    [Fact]
    public void DimensionsOutOfRangeThrowPyTorchsMessage()
    {
        var m = Tensor.Arange(6.0).Reshape(2, 3);
        const string twoD = "Dimension out of range (expected to be in range of [-2, 1], but got 2)";
        // m.sum(2), m.transpose(0, 2), m.size(2), m.squeeze(2), m.select(2, 0), m.permute(0, 2), torch.cat([m, m], 2)
        Assert.Equal(twoD, Assert.Throws<ArgumentOutOfRangeException>(() => m.Sum(2)).Message);
        Assert.Equal(twoD, Assert.Throws<ArgumentOutOfRangeException>(() => m.Transpose(0, 2)).Message);
        Assert.Equal(twoD, Assert.Throws<ArgumentOutOfRangeException>(() => m.Size(2)).Message);
        Assert.Equal(twoD, Assert.Throws<ArgumentOutOfRangeException>(() => m.Squeeze(2)).Message);
        Assert.Equal(twoD, Assert.Throws<ArgumentOutOfRangeException>(() => m.Select(2, 0)).Message);
        Assert.Equal(twoD, Assert.Throws<ArgumentOutOfRangeException>(() => m.Permute(0, 2)).Message);
        Assert.Equal(twoD, Assert.Throws<ArgumentOutOfRangeException>(() => Tensor.Cat([m, m], 2)).Message);
        // m.unsqueeze(3), m.unsqueeze(-4), torch.stack([m, m], 3)
        Assert.Equal("Dimension out of range (expected to be in range of [-3, 2], but got 3)", Assert.Throws<ArgumentOutOfRangeException>(() => m.Unsqueeze(3)).Message);
        Assert.Equal("Dimension out of range (expected to be in range of [-3, 2], but got -4)", Assert.Throws<ArgumentOutOfRangeException>(() => m.Unsqueeze(-4)).Message);
        Assert.Equal("Dimension out of range (expected to be in range of [-3, 2], but got 3)", Assert.Throws<ArgumentOutOfRangeException>(() => Tensor.Stack([m, m], 3)).Message);
        // m.narrow(1, 4, 0): the start is wrapped like a dimension
        Assert.Equal("Dimension out of range (expected to be in range of [-3, 2], but got 4)", Assert.Throws<ArgumentOutOfRangeException>(() => m.Narrow(1, 4, 0)).Message);
        Assert.Equal("Dimension out of range (expected to be in range of [-3, 2], but got -4)", Assert.Throws<ArgumentOutOfRangeException>(() => m.Narrow(1, -4, 1)).Message);

        // A 0-dim tensor accepts dims 0 and -1: torch.tensor(1.).sum(1), .squeeze(0), .squeeze(-1), .unsqueeze(0), .unsqueeze(-1), .unsqueeze(1)
        var scalar = Tensor.From(1f);
        Assert.Equal("Dimension out of range (expected to be in range of [-1, 0], but got 1)", Assert.Throws<ArgumentOutOfRangeException>(() => scalar.Sum(1)).Message);
        Assert.Empty(scalar.Squeeze(0).Shape);
        Assert.Empty(scalar.Squeeze(-1).Shape);
        Assert.Equal([1L], scalar.Unsqueeze(0).Shape);
        Assert.Equal([1L], scalar.Unsqueeze(-1).Shape);
        Assert.Equal("Dimension out of range (expected to be in range of [-1, 0], but got 1)", Assert.Throws<ArgumentOutOfRangeException>(() => scalar.Unsqueeze(1)).Message);
        // m.unsqueeze(-3).shape -> [1, 2, 3]
        Assert.Equal([1L, 2L, 3L], m.Unsqueeze(-3).Shape);
    }

    [Fact]
    public void IndicesOutOfRangeThrowPyTorchsMessage()
    {
        var x = Tensor.Arange(3.0);
        var m = Tensor.Arange(6.0).Reshape(2, 3);
        // x[5], x[-4], m[0, 3], m[2], m[0, 0, 0]
        Assert.Equal("index 5 is out of bounds for dimension 0 with size 3", Assert.Throws<ArgumentOutOfRangeException>(() => x[5]).Message);
        Assert.Equal("index -4 is out of bounds for dimension 0 with size 3", Assert.Throws<ArgumentOutOfRangeException>(() => x[-4]).Message);
        Assert.Equal("index 3 is out of bounds for dimension 1 with size 3", Assert.Throws<ArgumentOutOfRangeException>(() => m[0, 3]).Message);
        Assert.Equal("index 2 is out of bounds for dimension 0 with size 2", Assert.Throws<ArgumentOutOfRangeException>(() => m[2]).Message);
        Assert.Equal("too many indices for tensor of dimension 2", Assert.Throws<ArgumentOutOfRangeException>(() => m[0, 0, 0]).Message);
        // PyTorch names the position in the index, not the tensor's dimension:
        // y = torch.zeros(2, 3, 4); y[:, :, 9], y[..., 9], y[0, ..., 9], y[None, None, 0, 5]
        var y = Tensor.Zeros(2, 3, 4);
        Assert.Equal("index 9 is out of bounds for dimension 2 with size 4", Assert.Throws<ArgumentOutOfRangeException>(() => y[.., .., 9]).Message);
        Assert.Equal("index 9 is out of bounds for dimension 1 with size 4", Assert.Throws<ArgumentOutOfRangeException>(() => y[TensorIndex.Ellipsis, 9]).Message);
        Assert.Equal("index 9 is out of bounds for dimension 2 with size 4", Assert.Throws<ArgumentOutOfRangeException>(() => y[0, TensorIndex.Ellipsis, 9]).Message);
        Assert.Equal("index 5 is out of bounds for dimension 3 with size 3", Assert.Throws<ArgumentOutOfRangeException>(() => y[TensorIndex.NewAxis, TensorIndex.NewAxis, 0, 5]).Message);
        // torch.tensor(1.)[0], torch.tensor(1.)[0:1], torch.tensor(1.)[None, 0]
        var scalar = Tensor.From(1f);
        Assert.Equal("invalid index of a 0-dim tensor. Use `tensor.item()` in Python or `tensor.item<T>()` in C++ to convert a 0-dim tensor to a number",
                     Assert.Throws<ArgumentOutOfRangeException>(() => scalar[0]).Message);
        Assert.Equal("slice() cannot be applied to a 0-dim tensor.", Assert.Throws<ArgumentOutOfRangeException>(() => scalar[0..1]).Message);
        Assert.Equal("too many indices for tensor of dimension 0", Assert.Throws<ArgumentOutOfRangeException>(() => scalar[TensorIndex.NewAxis, 0]).Message);
        // torch.tensor(1.)[...].shape -> [], torch.tensor(1.)[None].shape -> [1]
        Assert.Empty(scalar[TensorIndex.Ellipsis].Shape);
        Assert.Equal([1L], scalar[TensorIndex.NewAxis].Shape);

        // m.select(1, 3), m.select(0, -3)
        Assert.Equal("select(): index 3 out of range for tensor of size [2, 3] at dimension 1", Assert.Throws<ArgumentOutOfRangeException>(() => m.Select(1, 3)).Message);
        Assert.Equal("select(): index -3 out of range for tensor of size [2, 3] at dimension 0", Assert.Throws<ArgumentOutOfRangeException>(() => m.Select(0, -3)).Message);
        // torch.tensor(1.).select(0, 0) -> IndexError
        Assert.Equal("select() cannot be applied to a 0-dim tensor.", Assert.Throws<ArgumentException>(() => scalar.Select(0, 0)).Message);

        // m.index_select(0, torch.tensor([5])), m.index_select(0, torch.tensor([-1])) (negative indices are not wrapped), x.index_select(0, [0, 5])
        Assert.Equal("index out of range in self", Assert.Throws<ArgumentOutOfRangeException>(() => m.IndexSelect(0, Tensor.From(new[] { 5L }))).Message);
        Assert.Equal("index out of range in self", Assert.Throws<ArgumentOutOfRangeException>(() => m.IndexSelect(0, Tensor.From(new[] { -1L }))).Message);
        Assert.Equal("index out of range in self", Assert.Throws<ArgumentOutOfRangeException>(() => x.IndexSelect(0, Tensor.From(new[] { 0L, 5L }))).Message);
        // m.index_select(1, torch.tensor([[0]])) -> IndexError: index_select(): Index is supposed to be a vector
        Assert.Equal("index_select(): Index is supposed to be a vector", Assert.Throws<ArgumentException>(() => m.IndexSelect(1, Tensor.From(new long[,] { { 0 } }))).Message);
        Assert.Throws<ArgumentException>(() => m.IndexSelect(1, Tensor.From(new[] { 0f })));
    }

    [Fact]
    public void ShapeMismatchesThrowPyTorchsMessage()
    {
        var x = Tensor.Arange(3.0);
        var m = Tensor.Arange(6.0).Reshape(2, 3);

        // m.expand(3, 3), m.expand(3), m.expand(-1, 2, 3), torch.tensor([[1], [2]]).expand(2, 3, 4), torch.tensor([[1], [2]]).expand(3)
        Assert.Equal("The expanded size of the tensor (3) must match the existing size (2) at non-singleton dimension 0.  Target sizes: [3, 3].  Tensor sizes: [2, 3]",
                     Assert.Throws<ArgumentException>(() => m.Expand(3, 3)).Message);
        Assert.Equal("expand(torch.FloatTensor{[2, 3]}, size=[3]): the number of sizes provided (1) must be greater or equal to the number of dimensions in the tensor (2)",
                     Assert.Throws<ArgumentException>(() => m.Expand(3)).Message);
        Assert.Equal("The expanded size of the tensor (-1) isn't allowed in a leading, non-existing dimension 0",
                     Assert.Throws<ArgumentException>(() => m.Expand(-1, 2, 3)).Message);
        var column = Tensor.From(new long[,] { { 1 }, { 2 } });
        Assert.Equal("The expanded size of the tensor (3) must match the existing size (2) at non-singleton dimension 1.  Target sizes: [2, 3, 4].  Tensor sizes: [2, 1]",
                     Assert.Throws<ArgumentException>(() => column.Expand(2, 3, 4)).Message);
        Assert.Equal("expand(torch.LongTensor{[2, 1]}, size=[3]): the number of sizes provided (1) must be greater or equal to the number of dimensions in the tensor (2)",
                     Assert.Throws<ArgumentException>(() => column.Expand(3)).Message);
        // torch.zeros(2, 1, dtype=torch.float64).expand(3), torch.zeros(2, 1, dtype=torch.bool).expand(3)
        Assert.Equal("expand(torch.DoubleTensor{[2, 1]}, size=[3]): the number of sizes provided (1) must be greater or equal to the number of dimensions in the tensor (2)",
                     Assert.Throws<ArgumentException>(() => Tensor.Zeros([2, 1], DType.Float64).Expand(3)).Message);
        Assert.Equal("expand(CPUBoolType{[2, 1]}, size=[3]): the number of sizes provided (1) must be greater or equal to the number of dimensions in the tensor (2)",
                     Assert.Throws<ArgumentException>(() => Tensor.Zeros([2, 1], DType.Bool).Expand(3)).Message);

        // m.permute(0, 0), m.permute(0)
        Assert.Equal("permute(): duplicate dims are not allowed.", Assert.Throws<ArgumentException>(() => m.Permute(0, 0)).Message);
        Assert.Equal("permute(): duplicate dims are not allowed.", Assert.Throws<ArgumentException>(() => m.Permute(1, -1)).Message);
        Assert.Equal("permute(sparse_coo): number of dimensions in the tensor input does not match the length of the desired ordering of dimensions i.e. input.dim() = 2 is not equal to len(dims) = 1",
                     Assert.Throws<ArgumentException>(() => m.Permute(0)).Message);

        // torch.cat([m, x]), torch.cat([x, m]), torch.cat([m, torch.zeros(2, 2)], 0), torch.cat([]), torch.cat([torch.tensor(1.), torch.tensor(2.)])
        Assert.Equal("Tensors must have same number of dimensions: got 2 and 1", Assert.Throws<ArgumentException>(() => Tensor.Cat([m, x])).Message);
        Assert.Equal("Tensors must have same number of dimensions: got 1 and 2", Assert.Throws<ArgumentException>(() => Tensor.Cat([x, m])).Message);
        Assert.Equal("Sizes of tensors must match except in dimension 0. Expected size 3 but got size 2 for tensor number 1 in the list.",
                     Assert.Throws<ArgumentException>(() => Tensor.Cat([m, Tensor.Zeros(2, 2)], 0)).Message);
        Assert.Equal("torch.cat(): expected a non-empty list of Tensors", Assert.Throws<ArgumentException>(() => Tensor.Cat([])).Message);
        Assert.Equal("zero-dimensional tensor (at position 0) cannot be concatenated",
                     Assert.Throws<ArgumentException>(() => Tensor.Cat([Tensor.From(1f), Tensor.From(2f)])).Message);
        // torch.stack([m, m.t()]), torch.stack([])
        Assert.Equal("stack expects each tensor to be equal size, but got [2, 3] at entry 0 and [3, 2] at entry 1",
                     Assert.Throws<ArgumentException>(() => Tensor.Stack([m, m.T])).Message);
        Assert.Equal("stack expects a non-empty TensorList", Assert.Throws<ArgumentException>(() => Tensor.Stack([])).Message);

        // x + torch.arange(4.)
        Assert.Equal("The size of tensor a (3) must match the size of tensor b (4) at non-singleton dimension 0",
                     Assert.Throws<ArgumentException>(() => x + Tensor.Arange(4.0)).Message);

        // m.view(-1, -1), m.view(4), m.view(-2, 3), m.reshape(-3, 2), torch.zeros(0, 3).reshape(0, -1)
        Assert.Equal("only one dimension can be inferred", Assert.Throws<ArgumentException>(() => m.View(-1, -1)).Message);
        Assert.Equal("shape '[4]' is invalid for input of size 6", Assert.Throws<ArgumentException>(() => m.View(4)).Message);
        Assert.Equal("invalid shape dimension -2", Assert.Throws<ArgumentException>(() => m.View(-2, 3)).Message);
        Assert.Equal("invalid shape dimension -3", Assert.Throws<ArgumentException>(() => m.Reshape(-3, 2)).Message);
        Assert.Equal("cannot reshape tensor of 0 elements into shape [0, -1] because the unspecified dimension size -1 can be any value and is ambiguous",
                     Assert.Throws<ArgumentException>(() => Tensor.Zeros(0, 3).Reshape(0, -1)).Message);

        // m.narrow(1, 2, 2), m.narrow(1, 0, -1), torch.tensor(1.).narrow(0, 0, 1); m.narrow(1, -1, 1).tolist() -> [[2.0], [5.0]]
        Assert.Equal("start (2) + length (2) exceeds dimension size (3).", Assert.Throws<ArgumentException>(() => m.Narrow(1, 2, 2)).Message);
        Assert.Equal("start (0) + length (-1) exceeds dimension size (3).", Assert.Throws<ArgumentException>(() => m.Narrow(1, 0, -1)).Message);
        Assert.Equal("narrow() cannot be applied to a 0-dim tensor.", Assert.Throws<ArgumentException>(() => Tensor.From(1f).Narrow(0, 0, 1)).Message);
        Assert.Equal([2f, 5f], m.Narrow(1, -1, 1).ToArray());
        Assert.Equal([2L, 0L], m.Narrow(1, 3, 0).Shape); // m.narrow(1, 3, 0).shape -> [2, 0]

        // torch.zeros(2, 3, 4).flatten(2, 1); x[::0]; x[::-1]
        Assert.Equal("flatten() has invalid args: start_dim cannot come after end_dim", Assert.Throws<ArgumentException>(() => Tensor.Zeros(2, 3, 4).Flatten(2, 1)).Message);
        Assert.Equal("slice step cannot be zero", Assert.Throws<ArgumentException>(() => x[TensorIndex.Slice(null, null, 0)]).Message);
        Assert.Equal("step must be greater than zero", Assert.Throws<ArgumentException>(() => x[TensorIndex.Slice(null, null, -1)]).Message);

        // torch.where(m, m, m)
        Assert.Equal("where expected condition to be a boolean tensor, but got a tensor with dtype Float", Assert.Throws<ArgumentException>(() => Tensor.Where(m, m, m)).Message);
    }

    [Fact]
    public void ProductShapeErrorsThrowPyTorchsMessage()
    {
        var x = Tensor.Arange(3.0);
        var m = Tensor.Arange(6.0).Reshape(2, 3);
        // torch.dot(m, m), torch.dot(x, torch.arange(4.)), torch.dot(x, x.double())
        Assert.Equal("1D tensors expected, but got 2D and 2D tensors", Assert.Throws<ArgumentException>(() => m.Dot(m)).Message);
        Assert.Equal("inconsistent tensor size, expected tensor [3] and src [4] to have the same number of elements, but got 3 and 4 elements respectively",
                     Assert.Throws<ArgumentException>(() => x.Dot(Tensor.Arange(4.0))).Message);
        Assert.Equal("dot : expected both vectors to have same dtype, but found Float and Double",
                     Assert.Throws<ArgumentException>(() => x.Dot(x.To(DType.Float64))).Message);
        // torch.mm(m, m), torch.mm(x, m), torch.mm(m, x), torch.mm(m, m.t().double())
        Assert.Equal("mat1 and mat2 shapes cannot be multiplied (2x3 and 2x3)", Assert.Throws<ArgumentException>(() => m.Mm(m)).Message);
        Assert.Equal("self must be a matrix", Assert.Throws<ArgumentException>(() => x.Mm(m)).Message);
        Assert.Equal("mat2 must be a matrix", Assert.Throws<ArgumentException>(() => m.Mm(x)).Message);
        Assert.Equal("expected scalar type Float but found Double", Assert.Throws<ArgumentException>(() => m.Mm(m.T.To(DType.Float64))).Message);
        // torch.mv(m, torch.arange(2.)), torch.mv(x, x)
        Assert.Equal("size mismatch, got 2, 2x3,2", Assert.Throws<ArgumentException>(() => m.Mv(Tensor.Arange(2.0))).Message);
        Assert.Equal("vector + matrix @ vector expected, got 1, 1, 1", Assert.Throws<ArgumentException>(() => x.Mv(x)).Message);
        // torch.matmul: (2x3 @ 2x3), (2x3 @ [2]), ([3] @ 2x3), (0-d @ 2x3), batched, 3-d @ 2-d, 3-d @ 1-d, batch broadcast
        Assert.Equal("mat1 and mat2 shapes cannot be multiplied (2x3 and 2x3)", Assert.Throws<ArgumentException>(() => m.MatMul(m)).Message);
        Assert.Equal("size mismatch, got 2, 2x3,2", Assert.Throws<ArgumentException>(() => m.MatMul(Tensor.Arange(2.0))).Message);
        Assert.Equal("mat1 and mat2 shapes cannot be multiplied (1x3 and 2x3)", Assert.Throws<ArgumentException>(() => x.MatMul(m)).Message);
        Assert.Equal("both arguments to matmul need to be at least 1D, but they are 0D and 2D", Assert.Throws<ArgumentException>(() => Tensor.From(1f).MatMul(m)).Message);
        Assert.Equal("Expected size for first two dimensions of batch2 tensor to be: [2, 3] but got: [2, 2].",
                     Assert.Throws<ArgumentException>(() => Tensor.Zeros(2, 2, 3).MatMul(Tensor.Zeros(2, 2, 3))).Message);
        Assert.Equal("mat1 and mat2 shapes cannot be multiplied (4x3 and 2x3)", Assert.Throws<ArgumentException>(() => Tensor.Zeros(2, 2, 3).MatMul(Tensor.Zeros(2, 3))).Message);
        Assert.Equal("size mismatch, got 4, 4x3,2", Assert.Throws<ArgumentException>(() => Tensor.Zeros(2, 2, 3).MatMul(Tensor.Zeros(2))).Message);
        Assert.Equal("The size of tensor a (2) must match the size of tensor b (3) at non-singleton dimension 0",
                     Assert.Throws<ArgumentException>(() => Tensor.Zeros(2, 2, 3).MatMul(Tensor.Zeros(3, 3, 2))).Message);
    }

    [Fact]
    public void BoolTensorsCannotBeNegatedOrSubtracted()
    {
        // -torch.tensor([True]); torch.tensor([True]) - torch.tensor([True]); torch.tensor([True]) - 1; 1 - torch.tensor([True])
        var mask = Tensor.From(new[] { true });
        Assert.Equal("Negation, the `-` operator, on a bool tensor is not supported. If you are trying to invert a mask, use the `~` or `logical_not()` operator instead.",
                     Assert.Throws<ArgumentException>(() => -mask).Message);
        Assert.Equal("Subtraction, the `-` operator, with two bool tensors is not supported. Use the `^` or `logical_xor()` operator instead.",
                     Assert.Throws<ArgumentException>(() => mask - mask).Message);
        const string withBool = "Subtraction, the `-` operator, with a bool tensor is not supported. If you are trying to invert a mask, use the `~` or `logical_not()` operator instead.";
        Assert.Equal(withBool, Assert.Throws<ArgumentException>(() => mask - 1).Message);
        Assert.Equal(withBool, Assert.Throws<ArgumentException>(() => 1 - mask).Message);
        Assert.Equal(withBool, Assert.Throws<ArgumentException>(() => Tensor.From(new[] { 1f }) - mask).Message);
    }
}
