namespace NativeGrad.Tests.Autograd;

/// <summary>PyTorch's autograd errors, with PyTorch's types (RuntimeError → InvalidOperationException) and messages.</summary>
public class AutogradErrorTests
{
    private static Tensor Leaf() => Tensor.Arange(4.0).RequiresGrad_();

    [Fact]
    public void BackwardThroughAFreedGraph()
    {
        var x = Leaf();
        var y = (x * x).Sum();
        y.Backward();
        var error = Assert.Throws<InvalidOperationException>(() => y.Backward());
        Assert.Equal(
            "Trying to backward through the graph a second time (or directly access saved tensors after they have already been freed). " +
            "Saved intermediate values of the graph are freed when you call .backward() or autograd.grad(). Specify retain_graph=True " +
            "if you need to backward through the graph a second time or if you need to access saved tensors after calling backward.",
            error.Message);
    }

    [Fact]
    public void BackwardTwiceWorksWithRetainGraphOrWithoutSavedTensors()
    {
        var x = Leaf();
        var y = (x * x).Sum();
        y.Backward(retainGraph: true);
        y.Backward();
        Assert.Equal([0f, 4f, 8f, 12f], x.Grad!.ToArray());

        var z = (x + 1).Sum(); // AddBackward0 and SumBackward0 save nothing, as in PyTorch
        z.Backward();
        z.Backward();
    }

    [Fact]
    public void ImplicitGradientNeedsAScalar()
    {
        var error = Assert.Throws<InvalidOperationException>(() => (Leaf() * 2).Backward());
        Assert.Equal("grad can be implicitly created only for scalar outputs", error.Message);
    }

    [Fact]
    public void BackwardOnATensorThatDoesNotRequireGrad()
    {
        var error = Assert.Throws<InvalidOperationException>(() => Tensor.Ones(3).Sum().Backward());
        Assert.Equal("element 0 of tensors does not require grad and does not have a grad_fn", error.Message);
    }

    [Fact]
    public void GradientOfTheWrongShape()
    {
        var error = Assert.Throws<ArgumentException>(() => (Leaf() * 2).Backward(Tensor.Ones(3)));
        Assert.Equal("Mismatch in shape: grad_output[0] has a shape of torch.Size([3]) and output[0] has a shape of torch.Size([4]).", error.Message);
    }

    [Fact]
    public void InPlaceChangeOfASavedTensor()
    {
        var a = Leaf() * 1;
        var y = a * a;
        a.Mul_(2);
        var error = Assert.Throws<InvalidOperationException>(() => y.Sum().Backward());
        Assert.Equal(
            "one of the variables needed for gradient computation has been modified by an inplace operation: [torch.FloatTensor [4]], " +
            "which is output 0 of MulBackward0, is at version 1; expected version 0 instead. Hint: enable anomaly detection to find " +
            "the operation that failed to compute its gradient, with Autograd.SetDetectAnomaly(true) (PyTorch's " +
            "torch.autograd.set_detect_anomaly(True)).", error.Message);
    }

    [Fact]
    public void InPlaceChangeOfASavedOutputThroughAView()
    {
        var a = Leaf() * 1;
        var y = a.Exp();    // ExpBackward0 saves its output
        using (NativeGrad.Autograd.NoGrad())
            y[1..].Add_(1); // a view shares the version counter
        var error = Assert.Throws<InvalidOperationException>(() => y.Sum().Backward());
        Assert.Contains("[torch.FloatTensor [4]], which is output 0 of ExpBackward0, is at version 1; expected version 0 instead.", error.Message);
    }

    [Fact]
    public void InPlaceChangeOfASavedLeafInput()
    {
        var w = Tensor.Ones(3).RequiresGrad_();
        var u = Tensor.Ones(3);
        var y = w * u;
        u.Add_(1);
        var error = Assert.Throws<InvalidOperationException>(() => y.Sum().Backward());
        Assert.StartsWith("one of the variables needed for gradient computation has been modified by an inplace operation: [torch.FloatTensor [3]] is at version 1; expected version 0 instead.", error.Message);
    }

    [Fact]
    public void RecordedInPlaceOnAnElementViewRewritesTheBase()
    {
        var x = Leaf();
        var y = x * 1;
        y[0].Mul_(2);
        Assert.Equal("tensor([0., 1., 2., 3.], grad_fn=<CopySlices>)", y.ToString());
        y.Sum().Backward();
        Assert.Equal("tensor([2., 1., 1., 1.])", x.Grad!.ToString());
    }

    [Fact]
    public void InPlaceOnALeafThatRequiresGrad()
    {
        var error = Assert.Throws<InvalidOperationException>(() => Leaf().Add_(1));
        Assert.Equal("a leaf Variable that requires grad is being used in an in-place operation.", error.Message);
        using (NativeGrad.Autograd.NoGrad())
            Leaf().Add_(1); // allowed without grad mode, as optimizers do
    }

    [Fact]
    public void GradOfANonLeafIsNullAndWarns()
    {
        var warnings = new List<string>();
        void Collect(string message) => warnings.Add(message);
        Warnings.Warned += Collect;
        try
        {
            var y = Leaf() * 2;
            Assert.Null(y.Grad);
        }
        finally
        {
            Warnings.Warned -= Collect;
        }
        var warning = Assert.Single(warnings);
        Assert.StartsWith("The .grad attribute of a Tensor that is not a leaf Tensor is being accessed. Its .grad attribute won't be populated during autograd.backward().", warning);
    }

    [Fact]
    public void RequiresGradChangedOnANonLeaf()
    {
        var y = Leaf() * 2;
        var off = Assert.Throws<InvalidOperationException>(() => y.RequiresGrad = false);
        Assert.Equal("you can only change requires_grad flags of leaf variables. If you want to use a computed variable in a subgraph that doesn't require differentiation use var_no_grad = var.detach().", off.Message);
        var on = Assert.Throws<InvalidOperationException>(() => y.RequiresGrad = true);
        Assert.Equal("you can only change requires_grad flags of leaf variables.", on.Message);
    }

    [Fact]
    public void OnlyFloatingPointTensorsCanRequireGrad()
    {
        // torch.arange(3).requires_grad_() -> RuntimeError: only Tensors of floating point dtype can require gradients
        var error = Assert.Throws<InvalidOperationException>(() => Tensor.Arange(3).RequiresGrad_());
        Assert.Equal("only Tensors of floating point dtype can require gradients", error.Message);
        error = Assert.Throws<InvalidOperationException>(() => Tensor.From([true]).RequiresGrad_());
        Assert.Equal("only Tensors of floating point dtype can require gradients", error.Message);
        // t = torch.tensor([1, 2]); t.requires_grad = True -> ... floating point and complex dtype ... (lower case)
        var t = Tensor.From([1L, 2L]);
        error = Assert.Throws<InvalidOperationException>(() => t.RequiresGrad = true);
        Assert.Equal("only Tensors of floating point and complex dtype can require gradients", error.Message);
        // torch.tensor([1, 2]).requires_grad_(False) is fine
        Assert.False(t.RequiresGrad_(false).RequiresGrad);
        t.RequiresGrad = false;
    }

    [Fact]
    public void CreationFunctionsRejectRequiresGradOnIntegerAndBoolDtypesWithTheFactoryMessage()
    {
        // torch.tensor([1, 2], requires_grad=True), torch.tensor(3, requires_grad=True), torch.tensor(True, ...),
        // torch.arange(3, requires_grad=True), torch.arange(0, 3, ...), torch.zeros(2, dtype=torch.long, ...),
        // torch.ones_like(torch.tensor([1, 2]), requires_grad=True), torch.randint(0, 3, (2,), ...),
        // torch.randperm(3, requires_grad=True), torch.eye(2, dtype=torch.long, ...), torch.linspace(0, 1, 3, dtype=torch.long, ...)
        // -> RuntimeError: Only Tensors of floating point and complex dtype can require gradients
        Action[] creations =
        [
            () => Tensor.From([1L, 2L], requiresGrad: true),
            () => Tensor.From([1, 2], requiresGrad: true),
            () => Tensor.From(new[,] { { 1, 2 } }, requiresGrad: true),
            () => Tensor.From(3L, requiresGrad: true),
            () => Tensor.From(true, requiresGrad: true),
            () => Tensor.From([true], requiresGrad: true),
            () => Tensor.FromSpan<long>([1, 2], [2], requiresGrad: true),
            () => Tensor.Arange(3, requiresGrad: true),
            () => Tensor.Arange(0, 3, requiresGrad: true),
            () => Tensor.Zeros([2], DType.Int64, requiresGrad: true),
            () => Tensor.Full([2], 1, DType.Bool, requiresGrad: true),
            () => Tensor.OnesLike(Tensor.From([1L, 2L]), requiresGrad: true),
            () => Tensor.ZerosLike(Tensor.Ones(2), DType.Int64, requiresGrad: true),
            () => Tensor.Randint(0, 3, [2], requiresGrad: true),
            () => Tensor.Randperm(3, requiresGrad: true),
            () => Tensor.Eye(2, dtype: DType.Int64, requiresGrad: true),
            () => Tensor.Linspace(0, 1, 3, DType.Int64, requiresGrad: true),
        ];
        foreach (var create in creations)
        {
            var error = Assert.Throws<InvalidOperationException>(create);
            Assert.Equal("Only Tensors of floating point and complex dtype can require gradients", error.Message);
        }
    }

    [Fact]
    public void TruthOfAManyElementTensorIsAmbiguous()
    {
        var error = Assert.Throws<InvalidOperationException>(() => { if (Tensor.Ones(2)) { } });
        Assert.Equal("Boolean value of Tensor with more than one value is ambiguous", error.Message);
    }

    [Fact]
    public void GradOfUnusedOrNonDifferentiableInputs()
    {
        var x = Leaf();
        var unused = Assert.Throws<InvalidOperationException>(() => NativeGrad.Autograd.Grad([(x * 2).Sum()], [x, Tensor.Ones(2).RequiresGrad_()]));
        Assert.Equal("One of the differentiated Tensors appears to not have been used in the graph. Set allow_unused=True if this is the desired behavior.", unused.Message);
        var constant = Assert.Throws<InvalidOperationException>(() => NativeGrad.Autograd.Grad([(x * 2).Sum()], [Tensor.Ones(2)]));
        Assert.Equal("One of the differentiated Tensors does not require grad", constant.Message);
    }

    [Fact]
    public void ShapeErrorsUsePyTorchsMessages()
    {
        Assert.Equal("The size of tensor a (3) must match the size of tensor b (4) at non-singleton dimension 0",
            Assert.Throws<ArgumentException>(() => Tensor.Ones(3) + Tensor.Ones(4)).Message);
        Assert.Equal("mat1 and mat2 shapes cannot be multiplied (2x3 and 2x3)",
            Assert.Throws<ArgumentException>(() => Tensor.Ones(2, 3).MatMul(Tensor.Ones(2, 3))).Message);
        Assert.Equal("shape '[4, 2]' is invalid for input of size 6",
            Assert.Throws<ArgumentException>(() => Tensor.Ones(6).Reshape(4, 2)).Message);
        Assert.Equal("view size is not compatible with input tensor's size and stride (at least one dimension spans across two contiguous subspaces). Use .reshape(...) instead.",
            Assert.Throws<InvalidOperationException>(() => Tensor.Ones(2, 3).T.View(6)).Message);
        Assert.Equal("Dimension out of range (expected to be in range of [-2, 1], but got 2)",
            Assert.Throws<ArgumentOutOfRangeException>(() => Tensor.Ones(2, 3).Sum(2)).Message);
        Assert.Equal("Sizes of tensors must match except in dimension 0. Expected size 3 but got size 4 for tensor number 1 in the list.",
            Assert.Throws<ArgumentException>(() => Tensor.Cat([Tensor.Ones(2, 3), Tensor.Ones(2, 4)])).Message);
        Assert.Equal("only one element tensors can be converted to Python scalars",
            Assert.Throws<InvalidOperationException>(() => Tensor.Ones(2).Item<float>()).Message);
        Assert.Equal("\"normal_kernel_cpu\" not implemented for 'Long'",
            Assert.Throws<NotSupportedException>(() => Tensor.Randn([2], DType.Int64)).Message);
    }
}
