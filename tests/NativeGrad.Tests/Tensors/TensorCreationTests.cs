using NativeGrad.Backends;
using NativeGrad.Tests.Support;

namespace NativeGrad.Tests.Tensors;

/// <summary>
/// Creating tensors against PyTorch 1.13: from C# scalars and arrays, arange, zeros, ones, full, eye,
/// the *_like functions, linspace, the random functions after a manual seed, and cat and stack of
/// mixed dtypes. Where the expected values come from: <see cref="TensorApiTestBase"/>.
/// </summary>
[Collection(SerialCollection.Name)]
public sealed class TensorCreationTests : TensorApiTestBase
{
    [Theory]
    [MemberData(nameof(Kinds))]
    public void FromAScalarOfEachCSharpType(BackendKind kind)
    {
        using var scope = Backend.Use(kind);
        // torch.tensor(1.5) / torch.tensor(1.5, dtype=torch.float64) / torch.tensor(2) / torch.tensor(True)
        AssertTensor(DType.Float32, [], "tensor(1.5000)", Tensor.From(1.5f));
        AssertTensor(DType.Float64, [], "tensor(1.5000, dtype=torch.float64)", Tensor.From(1.5));
        AssertTensor(DType.Int64, [], "tensor(2)", Tensor.From(2L));
        AssertTensor(DType.Int64, [], "tensor(2)", Tensor.From(2)); // an int literal is a Python int: int64
        AssertTensor(DType.Bool, [], "tensor(True)", Tensor.From(true));
        // torch.tensor(1.5, requires_grad=True)
        AssertTensor(DType.Float32, [], "tensor(1.5000, requires_grad=True)", Tensor.From(1.5f, requiresGrad: true));
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void FromOneDimensionalArrays(BackendKind kind)
    {
        using var scope = Backend.Use(kind);
        // torch.tensor([1.5, 2.]), with dtype=torch.float64, torch.tensor([1, -2]), torch.tensor([True, False])
        AssertTensor(DType.Float32, [2], "tensor([1.5000, 2.0000])", Tensor.From(new[] { 1.5f, 2f }));
        AssertTensor(DType.Float64, [2], "tensor([1.5000, 2.0000], dtype=torch.float64)", Tensor.From(new[] { 1.5, 2.0 }));
        AssertTensor(DType.Int64, [2], "tensor([ 1, -2])", Tensor.From(new[] { 1L, -2L }));
        AssertTensor(DType.Bool, [2], "tensor([ True, False])", Tensor.From(new[] { true, false }));
        // torch.tensor([1.5, -2.25], requires_grad=True)
        AssertTensor(DType.Float32, [2], "tensor([ 1.5000, -2.2500], requires_grad=True)", Tensor.From(new[] { 1.5f, -2.25f }, requiresGrad: true));
        // torch.tensor([]) -> tensor([]), shape [0]
        AssertTensor(DType.Float32, [0], "tensor([])", Tensor.From(Array.Empty<float>()));

        // Like torch.tensor(list), the data is copied.
        var data = new[] { 1f, 2f };
        var tensor = Tensor.From(data);
        data[0] = 100;
        Assert.Equal([1f, 2f], tensor.ToArray());
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void FromRectangularAndJaggedArrays(BackendKind kind)
    {
        using var scope = Backend.Use(kind);
        // torch.tensor([[1., 2., 3.], [4., 5., 6.]])
        const string matrix = "tensor([[1., 2., 3.],\n        [4., 5., 6.]])";
        AssertTensor(DType.Float32, [2, 3], matrix, Tensor.From(new float[,] { { 1, 2, 3 }, { 4, 5, 6 } }));
        AssertTensor(DType.Float32, [2, 3], matrix, Tensor.From(new float[][] { [1, 2, 3], [4, 5, 6] }));
        // torch.tensor([[[1., 2.], [3., 4.]], [[5., 6.], [7., 8.]]])
        const string cube = "tensor([[[1., 2.],\n         [3., 4.]],\n\n        [[5., 6.],\n         [7., 8.]]])";
        AssertTensor(DType.Float32, [2, 2, 2], cube, Tensor.From(new float[,,] { { { 1, 2 }, { 3, 4 } }, { { 5, 6 }, { 7, 8 } } }));
        AssertTensor(DType.Float32, [2, 2, 2], cube, Tensor.From(new float[][][] { [[1, 2], [3, 4]], [[5, 6], [7, 8]] }));
        // torch.tensor([[1, 2], [3, 4]])
        AssertTensor(DType.Int64, [2, 2], "tensor([[1, 2],\n        [3, 4]])", Tensor.From(new long[,] { { 1, 2 }, { 3, 4 } }));
        // torch.tensor([[1., 2.], [3., 4.]], dtype=torch.float64)
        AssertTensor(DType.Float64, [2, 2], "tensor([[1., 2.],\n        [3., 4.]], dtype=torch.float64)", Tensor.From(new double[][] { [1, 2], [3, 4] }));
        // torch.tensor([[True], [False]])
        AssertTensor(DType.Bool, [2, 1], "tensor([[ True],\n        [False]])", Tensor.From(new bool[,] { { true }, { false } }));
        // torch.tensor([[], []]) -> tensor([], size=(2, 0))
        AssertTensor(DType.Float32, [2, 0], "tensor([], size=(2, 0))", Tensor.From(new float[][] { [], [] }));
        // requires_grad through the Array overload
        Assert.True(Tensor.From(new float[,] { { 1 } }, requiresGrad: true).RequiresGrad);
    }

    [Fact]
    public void RaggedJaggedArraysThrowPyTorchsMessage()
    {
        // torch.tensor([[1., 2.], [3., 4., 5.]]) -> ValueError
        var error = Assert.Throws<ArgumentException>(() => Tensor.From(new float[][] { [1, 2], [3, 4, 5] }));
        Assert.Equal("expected sequence of length 2 at dim 1 (got 3)", error.Message);
        // torch.tensor([[1., 2.], [3.]])
        error = Assert.Throws<ArgumentException>(() => Tensor.From(new float[][] { [1, 2], [3] }));
        Assert.Equal("expected sequence of length 2 at dim 1 (got 1)", error.Message);
        // torch.tensor([[[1., 2.], [3., 4.]], [[1., 2.], [3.]]])
        error = Assert.Throws<ArgumentException>(() => Tensor.From(new float[][][] { [[1, 2], [3, 4]], [[1, 2], [3]] }));
        Assert.Equal("expected sequence of length 2 at dim 2 (got 1)", error.Message);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void ArangeDTypesAndForms(BackendKind kind)
    {
        using var scope = Backend.Use(kind);
        // torch.arange(4.) is float32, torch.arange(4) int64
        AssertTensor(DType.Float32, [4], "tensor([0., 1., 2., 3.])", Tensor.Arange(4.0));
        AssertTensor(DType.Int64, [4], "tensor([0, 1, 2, 3])", Tensor.Arange(4));
        // torch.arange(5, 0, -1), torch.arange(1, 10, 3), torch.arange(10, 1, -3), torch.arange(-3, 3, 2), torch.arange(0, 0)
        AssertTensor(DType.Int64, [5], "tensor([5, 4, 3, 2, 1])", Tensor.Arange(5, 0, -1));
        AssertTensor(DType.Int64, [3], "tensor([1, 4, 7])", Tensor.Arange(1, 10, 3));
        AssertTensor(DType.Int64, [3], "tensor([10,  7,  4])", Tensor.Arange(10, 1, -3));
        AssertTensor(DType.Int64, [3], "tensor([-3, -1,  1])", Tensor.Arange(-3, 3, 2));
        AssertTensor(DType.Int64, [0], "tensor([], dtype=torch.int64)", Tensor.Arange(0, 0));
        // torch.arange(5., 0., -1.5), torch.arange(1., 2.5, 0.5), torch.arange(0., -1., -0.25), torch.arange(0., 1., 0.3)
        AssertTensor(DType.Float32, [4], "tensor([5.0000, 3.5000, 2.0000, 0.5000])", Tensor.Arange(5.0, 0.0, -1.5));
        AssertTensor(DType.Float32, [3], "tensor([1.0000, 1.5000, 2.0000])", Tensor.Arange(1, 2.5, 0.5));
        AssertTensor(DType.Float32, [4], "tensor([ 0.0000, -0.2500, -0.5000, -0.7500])", Tensor.Arange(0.0, -1.0, -0.25));
        AssertTensor(DType.Float32, [4], "tensor([0.0000, 0.3000, 0.6000, 0.9000])", Tensor.Arange(0, 1, 0.3));
        // torch.arange(0, 5, 1, dtype=torch.float64)
        AssertTensor(DType.Float64, [5], "tensor([0., 1., 2., 3., 4.], dtype=torch.float64)", Tensor.Arange(0, 5, 1, DType.Float64));
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void ArangeWithAFractionalStepHasPyTorchsLengthAndValues(BackendKind kind)
    {
        using var scope = Backend.Use(kind);
        // torch.arange(0, 1, 0.1).tolist(): ten elements, 1 excluded
        var x = Tensor.Arange(0, 1, 0.1);
        Assert.Equal(DType.Float32, x.DType);
        Assert.Equal([10L], x.Shape);
        Assert.Equal(
            [0f, 0.10000000149011612f, 0.20000000298023224f, 0.30000001192092896f, 0.4000000059604645f,
             0.5f, 0.6000000238418579f, 0.699999988079071f, 0.800000011920929f, 0.8999999761581421f],
            x.ToArray());
        Assert.Equal("tensor([0.0000, 0.1000, 0.2000, 0.3000, 0.4000, 0.5000, 0.6000, 0.7000, 0.8000,\n        0.9000])", x.ToString());
        // len(torch.arange(0., 2.0, 0.2)) == 10
        Assert.Equal([10L], Tensor.Arange(0.0, 2.0, 0.2).Shape);
        // torch.arange(0.3, 5, 0.7, dtype=torch.float64).tolist(), bit for bit
        Assert.Equal([0.3, 1.0, 1.7, 2.4, 3.0999999999999996, 3.8, 4.5], Tensor.Arange(0.3, 5, 0.7, DType.Float64).ToArray<double>());
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void ZerosOnesAndFull(BackendKind kind)
    {
        using var scope = Backend.Use(kind);
        // torch.zeros(2, 3), torch.zeros(2, dtype=torch.int64), torch.ones(2, 2, dtype=torch.float64), torch.ones(3, dtype=torch.bool), torch.zeros(2, dtype=torch.bool)
        AssertTensor(DType.Float32, [2, 3], "tensor([[0., 0., 0.],\n        [0., 0., 0.]])", Tensor.Zeros(2, 3));
        AssertTensor(DType.Int64, [2], "tensor([0, 0])", Tensor.Zeros([2], DType.Int64));
        AssertTensor(DType.Float64, [2, 2], "tensor([[1., 1.],\n        [1., 1.]], dtype=torch.float64)", Tensor.Ones([2, 2], DType.Float64));
        AssertTensor(DType.Bool, [3], "tensor([True, True, True])", Tensor.Ones([3], DType.Bool));
        AssertTensor(DType.Bool, [2], "tensor([False, False])", Tensor.Zeros([2], DType.Bool));
        // torch.full((2, 2), 2.5), torch.full((3,), 2.7, dtype=torch.int64), torch.full((3,), -2.7, dtype=torch.int64),
        // torch.full((2,), 0.5, dtype=torch.bool), torch.full((), 3., dtype=torch.float64)
        AssertTensor(DType.Float32, [2, 2], "tensor([[2.5000, 2.5000],\n        [2.5000, 2.5000]])", Tensor.Full([2, 2], 2.5));
        AssertTensor(DType.Int64, [3], "tensor([2, 2, 2])", Tensor.Full([3], 2.7, DType.Int64));
        AssertTensor(DType.Int64, [3], "tensor([-2, -2, -2])", Tensor.Full([3], -2.7, DType.Int64));
        AssertTensor(DType.Bool, [2], "tensor([True, True])", Tensor.Full([2], 0.5, DType.Bool));
        AssertTensor(DType.Float64, [], "tensor(3., dtype=torch.float64)", Tensor.Full([], 3, DType.Float64));
        // torch.zeros(2, requires_grad=True)
        AssertTensor(DType.Float32, [2], "tensor([0., 0.], requires_grad=True)", Tensor.Zeros([2], DType.Float32, requiresGrad: true));
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void EyeAndLikeFunctions(BackendKind kind)
    {
        using var scope = Backend.Use(kind);
        // torch.eye(3), torch.eye(2, 4), torch.eye(3, 2)
        AssertTensor(DType.Float32, [3, 3], "tensor([[1., 0., 0.],\n        [0., 1., 0.],\n        [0., 0., 1.]])", Tensor.Eye(3));
        AssertTensor(DType.Float32, [2, 4], "tensor([[1., 0., 0., 0.],\n        [0., 1., 0., 0.]])", Tensor.Eye(2, 4));
        AssertTensor(DType.Float32, [3, 2], "tensor([[1., 0.],\n        [0., 1.],\n        [0., 0.]])", Tensor.Eye(3, 2));
        // torch.eye(2, dtype=torch.int64)
        AssertTensor(DType.Int64, [2, 2], "tensor([[1, 0],\n        [0, 1]])", Tensor.Eye(2, dtype: DType.Int64));

        var t = Tensor.From(new long[,] { { 1, 2, 3 } });
        // torch.zeros_like(t), torch.ones_like(t, dtype=torch.float64), torch.full_like(t, 2.5), torch.full_like(t.float(), 2.5), torch.full_like(t, 7, dtype=torch.bool)
        AssertTensor(DType.Int64, [1, 3], "tensor([[0, 0, 0]])", Tensor.ZerosLike(t));
        AssertTensor(DType.Float64, [1, 3], "tensor([[1., 1., 1.]], dtype=torch.float64)", Tensor.OnesLike(t, DType.Float64));
        AssertTensor(DType.Int64, [1, 3], "tensor([[2, 2, 2]])", Tensor.FullLike(t, 2.5));
        AssertTensor(DType.Float32, [1, 3], "tensor([[2.5000, 2.5000, 2.5000]])", Tensor.FullLike(t.To(DType.Float32), 2.5));
        AssertTensor(DType.Bool, [1, 3], "tensor([[True, True, True]])", Tensor.FullLike(t, 7, DType.Bool));
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void LinspacePrintsLikePyTorch(BackendKind kind)
    {
        using var scope = Backend.Use(kind);
        // repr(torch.linspace(...)) for each
        Assert.Equal("tensor([0.0000, 0.2500, 0.5000, 0.7500, 1.0000])", Tensor.Linspace(0, 1, 5).ToString());
        Assert.Equal("tensor([0.0000, 0.1111, 0.2222, 0.3333, 0.4444, 0.5556, 0.6667, 0.7778, 0.8889,\n        1.0000])",
                     Tensor.Linspace(0, 1, 10).ToString());
        Assert.Equal("tensor([0.0000, 0.1111, 0.2222, 0.3333, 0.4444, 0.5556, 0.6667, 0.7778, 0.8889,\n        1.0000], dtype=torch.float64)",
                     Tensor.Linspace(0, 1, 10, DType.Float64).ToString());
        // The middle element is not exactly 0: PyTorch counts the second half down from the end.
        Assert.Equal("tensor([-1.0000e+00, -6.6667e-01, -3.3333e-01, -2.9802e-08,  3.3333e-01,\n         6.6667e-01,  1.0000e+00])",
                     Tensor.Linspace(-1, 1, 7).ToString());
        Assert.Equal("tensor([-1.0000e+00, -6.6667e-01, -3.3333e-01,  5.5511e-17,  3.3333e-01,\n         6.6667e-01,  1.0000e+00], dtype=torch.float64)",
                     Tensor.Linspace(-1, 1, 7, DType.Float64).ToString());
        Assert.Equal("tensor([ 2.,  1.,  0., -1.])", Tensor.Linspace(2, -1, 4).ToString());
        Assert.Equal("tensor([3.])", Tensor.Linspace(3, 3, 1).ToString());
        Assert.Equal("tensor([0.])", Tensor.Linspace(0, 1, 1).ToString()); // one step is the start
        Assert.Equal("tensor([-2])", Tensor.Linspace(-2.5, 7, 1, DType.Int64).ToString());
        Assert.Equal("tensor([])", Tensor.Linspace(0, 10, 0).ToString());
        Assert.Equal("tensor([ 0,  3,  6, 10])", Tensor.Linspace(0, 10, 4, DType.Int64).ToString());
        Assert.Equal("tensor([0, 0, 1])", Tensor.Linspace(0, 1, 3, DType.Int64).ToString());
        // torch.linspace(0, 1, 3, dtype=torch.bool) -> RuntimeError
        Assert.Equal("\"linspace_cpu\" not implemented for 'Bool'", Assert.Throws<NotSupportedException>(() => Tensor.Linspace(0, 1, 3, DType.Bool)).Message);
        // torch.linspace(-1, 1, 7).tolist(), bit for bit
        Assert.Equal([-1f, -0.6666666269302368f, -0.3333333134651184f, -2.9802322387695312e-08f, 0.3333333134651184f, 0.6666666269302368f, 1f],
                     Tensor.Linspace(-1, 1, 7).ToArray());
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void RandomTensorsMatchPyTorchAfterManualSeed(BackendKind kind)
    {
        using var scope = Backend.Use(kind);
        lock (SharedLocks.DefaultGenerator)
        {
            // torch.manual_seed(3); torch.randint(0, 10, (5,)) -> tensor([6, 8, 7, 7, 0])
            Tensor.ManualSeed(3);
            AssertTensor(DType.Int64, [5], "tensor([6, 8, 7, 7, 0])", Tensor.Randint(0, 10, [5]));
            // torch.manual_seed(3); torch.randint(10, (2, 3))
            Tensor.ManualSeed(3);
            AssertTensor(DType.Int64, [2, 3], "tensor([[6, 8, 7],\n        [7, 0, 0]])", Tensor.Randint(10, [2, 3]));

            // torch.manual_seed(3); torch.randn(2, 3, dtype=torch.float64).tolist()
            Tensor.ManualSeed(3);
            var normal64 = Tensor.Randn([2, 3], DType.Float64);
            Assert.Equal(DType.Float64, normal64.DType);
            Assert.Equal([2L, 3L], normal64.Shape);
            Assert.Equal([0.8032760780963506, 0.17483339327910355, 0.08897809502587893, -0.6137180077293578, 0.04618245168476013, -1.3682591776659838],
                         normal64.ToArray<double>());
            Assert.Equal("tensor([[ 0.8033,  0.1748,  0.0890],\n        [-0.6137,  0.0462, -1.3683]], dtype=torch.float64)", normal64.ToString());

            // torch.manual_seed(3); torch.randn(2, 3).tolist()
            Tensor.ManualSeed(3);
            var normal = Tensor.Randn(2, 3);
            Assert.Equal(DType.Float32, normal.DType);
            Assert.Equal([0.8032760620117188f, 0.17483338713645935f, 0.08897809684276581f, -0.6137180328369141f, 0.04618244990706444f, -1.3682591915130615f],
                         normal.ToArray());

            // torch.manual_seed(3); torch.rand(2, 3).tolist(); torch.rand(4, dtype=torch.float64).tolist()
            Tensor.ManualSeed(3);
            Assert.Equal([0.004263520240783691f, 0.10556936264038086f, 0.2858424782752991f, 0.026954829692840576f, 0.47161436080932617f, 0.06011629104614258f],
                         Tensor.Rand(2, 3).ToArray());
            Tensor.ManualSeed(3);
            var uniform64 = Tensor.Rand([4], DType.Float64);
            Assert.Equal(DType.Float64, uniform64.DType);
            Assert.Equal([0.03410819565052048, 0.28674022672130695, 0.7729149443285843, 0.17492702928129467], uniform64.ToArray<double>());

            // torch.manual_seed(3); torch.randn(()) -> tensor(0.8033), 0-dim
            Tensor.ManualSeed(3);
            var scalar = Tensor.Randn([]);
            Assert.Equal(0, scalar.Dim);
            Assert.Empty(scalar.Shape);
            Assert.Equal(0.8032760620117188f, scalar.Item<float>());
            Assert.Equal("tensor(0.8033)", scalar.ToString());

            // torch.manual_seed(3); torch.randn(2, requires_grad=True)
            Tensor.ManualSeed(3);
            Assert.Equal("tensor([0.8033, 0.1748], requires_grad=True)", Tensor.Randn([2], requiresGrad: true).ToString());

            // One stream across calls: torch.manual_seed(3); a = torch.randn(2); b = torch.rand(2); c = torch.randint(-5, 5, (3,))
            Tensor.ManualSeed(3);
            Assert.Equal([0.8032760620117188f, 0.17483338713645935f], Tensor.Randn(2).ToArray());
            Assert.Equal([0.47161436080932617f, 0.06011629104614258f], Tensor.Rand(2).ToArray());
            Assert.Equal([-5L, 0L, -4L], Tensor.Randint(-5, 5, [3]).ToArray<long>());

            // torch.manual_seed(0); torch.randn_like(torch.zeros(2, dtype=torch.float64)).tolist()
            Tensor.ManualSeed(0);
            var like = Tensor.RandnLike(Tensor.Zeros([2], DType.Float64));
            Assert.Equal(DType.Float64, like.DType);
            Assert.Equal([1.5409961082440433, -0.2934289057609464], like.ToArray<double>());
        }
    }

    [Fact]
    public void RandomTensorsOfUnsupportedDTypesThrowPyTorchsMessage()
    {
        // torch.rand(2, dtype=torch.int64), torch.randn(2, dtype=torch.int64), torch.rand(2, dtype=torch.bool)
        Assert.Equal("\"check_uniform_bounds\" not implemented for 'Long'",
                     Assert.Throws<NotSupportedException>(() => Tensor.Rand([2], DType.Int64)).Message);
        Assert.Equal("\"normal_kernel_cpu\" not implemented for 'Long'",
                     Assert.Throws<NotSupportedException>(() => Tensor.Randn([2], DType.Int64)).Message);
        Assert.Equal("\"check_uniform_bounds\" not implemented for 'Bool'",
                     Assert.Throws<NotSupportedException>(() => Tensor.Rand([2], DType.Bool)).Message);
        // torch.randint(5, 5, (2,))
        Assert.Equal("random_ expects 'from' to be less than 'to', but got from=5 >= to=5",
                     Assert.Throws<ArgumentException>(() => Tensor.Randint(5, 5, [2])).Message);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void CatAndStackPromoteMixedDTypes(BackendKind kind)
    {
        using var scope = Backend.Use(kind);
        // torch.cat([torch.tensor([1]), torch.tensor([1.5])]) -> tensor([1.0000, 1.5000]); with bool and int64 -> tensor([1, 2])
        AssertTensor(DType.Float32, [2], "tensor([1.0000, 1.5000])", Tensor.Cat([Tensor.From(new[] { 1L }), Tensor.From(new[] { 1.5f })]));
        AssertTensor(DType.Int64, [2], "tensor([1, 2])", Tensor.Cat([Tensor.From(new[] { true }), Tensor.From(new[] { 2L })]));
        // torch.stack([torch.tensor([1]), torch.tensor([1.5])])
        AssertTensor(DType.Float32, [2, 1], "tensor([[1.0000],\n        [1.5000]])", Tensor.Stack([Tensor.From(new[] { 1L }), Tensor.From(new[] { 1.5f })]));
        // torch.stack([x, x], -1).shape -> [3, 2]
        Assert.Equal([3L, 2L], Tensor.Stack([Tensor.Arange(3.0), Tensor.Arange(3.0)], -1).Shape);
    }
}
