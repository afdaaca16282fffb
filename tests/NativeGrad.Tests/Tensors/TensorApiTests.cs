using NativeGrad.Backends;
using NativeGrad.Tests.Support;

namespace NativeGrad.Tests.Tensors;

/// <summary>
/// The public tensor API against PyTorch 1.13: creation, enumeration, comparisons, conversions,
/// in-place ops, printing and the errors for bad input. Every expected value, repr and message was
/// produced by running the same computation in PyTorch (the Python expression is in the comment
/// next to it); exception types follow NativeGrad's mapping (RuntimeError to ArgumentException for
/// bad arguments and InvalidOperationException for bad state, IndexError to
/// ArgumentOutOfRangeException, ValueError to ArgumentException). Views are in
/// <see cref="TensorViewTests"/>, dtype promotion in <see cref="TypePromotionTests"/>.
/// </summary>
public sealed class TensorApiTests
{
    public static TheoryData<BackendKind> Kinds => new() { BackendKind.Native, BackendKind.Managed };

    // ---- creation ---------------------------------------------------------------------------

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

    // ---- enumeration ------------------------------------------------------------------------

    [Theory]
    [MemberData(nameof(Kinds))]
    public void EnumeratingYieldsRowsThatAreViews(BackendKind kind)
    {
        using var scope = Backend.Use(kind);
        var x = Tensor.From(new float[,] { { 1, 2 }, { 3, 4 }, { 5, 6 } });
        var rows = new List<Tensor>();
        foreach (var row in x) rows.Add(row);
        // [r for r in x]: three rows of shape [2]
        Assert.Equal(3, rows.Count);
        Assert.All(rows, r => Assert.Equal([2L], r.Shape));
        Assert.Equal([1f, 2f], rows[0].ToArray());
        Assert.Equal([5f, 6f], rows[2].ToArray());
        // [float(r.sum()) for r in x]
        Assert.Equal([3f, 7f, 11f], x.Select(r => r.Sum().Item<float>()));
        // The elements of a 1-D tensor are 0-dim: [r.dim() for r in torch.tensor([1., 2.])] -> [0, 0]
        Assert.Equal([0, 0], Tensor.From(new[] { 1f, 2f }).Select(r => r.Dim));

        // for r in b: r.add_(torch.tensor([1., 2., 3.])) writes into b
        var b = Tensor.Zeros(2, 3);
        foreach (var row in b) row.Add_(Tensor.From(new[] { 1f, 2f, 3f }));
        Assert.Equal([1f, 2f, 3f, 1f, 2f, 3f], b.ToArray());

        // iter(torch.tensor(1.)) -> TypeError: iteration over a 0-d tensor
        var error = Assert.Throws<InvalidOperationException>(() => Tensor.From(1f).ToList());
        Assert.Equal("iteration over a 0-d tensor", error.Message);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void AggregateOverRowsIsPythonsSumIncludingTheGradient(BackendKind kind)
    {
        using var scope = Backend.Use(kind);
        // x = torch.tensor([[1., 2.], [3., 4.], [5., 6.]], requires_grad=True); s = sum(x)
        var x = Tensor.From(new float[,] { { 1, 2 }, { 3, 4 }, { 5, 6 } }, requiresGrad: true);
        var s = x.Aggregate((a, b) => a + b);
        Assert.Equal("tensor([ 9., 12.], grad_fn=<AddBackward0>)", s.ToString());
        // (s * torch.tensor([1., 10.])).sum().backward(); x.grad
        (s * Tensor.From(new[] { 1f, 10f })).Sum().Backward();
        Assert.Equal("tensor([[ 1., 10.],\n        [ 1., 10.],\n        [ 1., 10.]])", x.Grad!.ToString());
    }

    // ---- comparisons and truth ---------------------------------------------------------------

    [Theory]
    [MemberData(nameof(Kinds))]
    public void ComparisonsReturnBoolTensors(BackendKind kind)
    {
        using var scope = Backend.Use(kind);
        var x = Tensor.From(new[] { 1f, 2f, 3f });
        var y = Tensor.From(new[] { 3f, 2f, 1f });
        // x = torch.tensor([1., 2., 3.]); y = torch.tensor([3., 2., 1.]); (x == y).tolist(), ...
        AssertBools([false, true, false], x == y);
        AssertBools([true, false, true], x != y);
        AssertBools([true, false, false], x < y);
        AssertBools([true, true, false], x <= y);
        AssertBools([false, false, true], x > y);
        AssertBools([false, true, true], x >= y);
        AssertBools([false, true, false], x.Eq(y));
        AssertBools([false, true, false], x == 2);
        AssertBools([true, false, true], x != 2);
        AssertBools([false, true, true], x > 1.5);
        AssertBools([false, true, true], 1.5 < x);
        AssertBools([true, true, false], 2 >= x);
        // (x[:, None] < y).tolist()
        var table = x.Unsqueeze(1) < y;
        Assert.Equal([3L, 3L], table.Shape);
        AssertBools([true, true, false, true, false, false, false, false, false], table);
        // repr(x == y)
        Assert.Equal("tensor([False,  True, False])", (x == y).ToString());
        // Comparisons are not recorded: (torch.tensor([1.], requires_grad=True) > 0).requires_grad -> False
        Assert.False((Tensor.From(new[] { 1f }, requiresGrad: true) > 0).RequiresGrad);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void EqualComparesShapeAndValues(BackendKind kind)
    {
        using var scope = Backend.Use(kind);
        var m = Tensor.Arange(6.0).Reshape(2, 3);
        // torch.equal(m, m.clone()) True; torch.equal(m, m.T) False
        Assert.True(m.Equal(m.Clone()));
        Assert.False(m.Equal(m.T));
        // torch.equal(torch.tensor([1, 2]), torch.tensor([1., 2.])) -> True (values compared after promotion)
        Assert.True(Tensor.From(new[] { 1L, 2L }).Equal(Tensor.From(new[] { 1f, 2f })));
        // torch.equal(torch.tensor([1., 2.]), torch.tensor([[1., 2.]])) -> False; ([1., 1.], [1.]) -> False
        Assert.False(Tensor.From(new[] { 1f, 2f }).Equal(Tensor.From(new float[,] { { 1, 2 } })));
        Assert.False(Tensor.From(new[] { 1f, 1f }).Equal(Tensor.From(new[] { 1f })));
        // torch.equal(torch.tensor([1., 2.]), torch.tensor([1., 3.])) -> False; NaN is not equal to itself
        Assert.False(Tensor.From(new[] { 1f, 2f }).Equal(Tensor.From(new[] { 1f, 3f })));
        Assert.False(Tensor.From(new[] { float.NaN }).Equal(Tensor.From(new[] { float.NaN })));
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void OneElementTensorsHaveATruthValue(BackendKind kind)
    {
        using var scope = Backend.Use(kind);
        // bool(torch.tensor(0.5)) True, bool(torch.tensor([0])) False, bool(torch.tensor(False)) False,
        // bool(torch.tensor(float('nan'))) True, bool(torch.tensor([[2]])) True
        Assert.True(Truth(Tensor.From(0.5f)));
        Assert.False(Truth(Tensor.From(new[] { 0L })));
        Assert.False(Truth(Tensor.From(false)));
        Assert.True(Truth(Tensor.From(float.NaN)));
        Assert.True(Truth(Tensor.From(new long[,] { { 2 } })));
        var x = Tensor.From(new[] { 1f, 2f, 3f });
        Assert.True(Truth(x[1] == 2));

        // bool(torch.tensor([1., 2., 3.])) / bool(torch.tensor([])) -> RuntimeError
        var error = Assert.Throws<InvalidOperationException>(() => Truth(x));
        Assert.Equal("Boolean value of Tensor with more than one value is ambiguous", error.Message);
        error = Assert.Throws<InvalidOperationException>(() => Truth(Tensor.Zeros(0)));
        Assert.Equal("Boolean value of Tensor with no values is ambiguous", error.Message);

        static bool Truth(Tensor t)
        {
            if (t) return true;
            return false;
        }
    }

    // ---- conversions ------------------------------------------------------------------------

    [Theory]
    [MemberData(nameof(Kinds))]
    public void ItemConvertsLikePyTorch(BackendKind kind)
    {
        using var scope = Backend.Use(kind);
        // torch.tensor(2.7).long().item() -> 2; torch.tensor(-2.7).long().item() -> -2
        Assert.Equal(2L, Tensor.From(2.7f).Item<long>());
        Assert.Equal(-2L, Tensor.From(-2.7f).Item<long>());
        // torch.tensor(0.5).bool().item() -> True; torch.tensor(5).double().item() -> 5.0; torch.tensor(True).long().item() -> 1
        Assert.True(Tensor.From(0.5f).Item<bool>());
        Assert.Equal(5.0, Tensor.From(5L).Item<double>());
        Assert.Equal(1L, Tensor.From(true).Item<long>());
        Assert.Equal(1.5f, Tensor.From(1.5).Item<float>());
        // torch.tensor([[4.]]).item() -> 4.0 (any one-element tensor)
        Assert.Equal(4f, Tensor.From(new float[,] { { 4 } }).Item<float>());
        // torch.tensor([1., 2.]).item(), torch.tensor([]).item() -> ValueError
        Assert.Equal("only one element tensors can be converted to Python scalars",
                     Assert.Throws<InvalidOperationException>(() => Tensor.From(new[] { 1f, 2f }).Item<float>()).Message);
        Assert.Equal("only one element tensors can be converted to Python scalars",
                     Assert.Throws<InvalidOperationException>(() => Tensor.Zeros(0).Item<float>()).Message);
        // Not an element type.
        Assert.Throws<NotSupportedException>(() => Tensor.From(1f).Item<int>());
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void ToArrayConvertsLikePyTorch(BackendKind kind)
    {
        using var scope = Backend.Use(kind);
        // torch.tensor([1.5, -1.5, 2.9, -0.5]).long().tolist() -> [1, -1, 2, 0] (truncation)
        Assert.Equal([1L, -1L, 2L, 0L], Tensor.From(new[] { 1.5f, -1.5f, 2.9f, -0.5f }).ToArray<long>());
        // torch.tensor([0., 0.1, -1., float('nan')]).bool().tolist() -> [False, True, True, True]
        Assert.Equal([false, true, true, true], Tensor.From(new[] { 0f, 0.1f, -1f, float.NaN }).ToArray<bool>());
        // torch.tensor([True, False]).double().tolist(); torch.tensor([3, -4]).float().tolist(); torch.tensor([2, 0, -1]).bool().tolist()
        Assert.Equal([1.0, 0.0], Tensor.From(new[] { true, false }).ToArray<double>());
        Assert.Equal([3f, -4f], Tensor.From(new[] { 3L, -4L }).ToArray<float>());
        Assert.Equal([true, false, true], Tensor.From(new[] { 2L, 0L, -1L }).ToArray<bool>());
        // torch.tensor([1e10]).long().tolist() -> [10000000000]; torch.tensor([2**53 + 1]).double().tolist() -> [9007199254740992.0]
        Assert.Equal([10000000000L], Tensor.From(new[] { 1e10f }).ToArray<long>());
        Assert.Equal([9007199254740992.0], Tensor.From(new[] { 9007199254740993L }).ToArray<double>());
        // A non-contiguous tensor reads in logical (row-major) order: torch.arange(6.).reshape(2, 3).T.tolist()
        Assert.Equal([0f, 3f, 1f, 4f, 2f, 5f], Tensor.Arange(6.0).Reshape(2, 3).T.ToArray());
        // ToArray() without a type argument is float
        Assert.Equal([1f, 0f], Tensor.From(new[] { true, false }).ToArray());
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void AsSpanExposesTheStorageOfContiguousTensors(BackendKind kind)
    {
        using var scope = Backend.Use(kind);
        var x = Tensor.Arange(6.0).Reshape(2, 3);
        var span = x.AsSpan<float>();
        Assert.Equal([0f, 1f, 2f, 3f, 4f, 5f], span.ToArray());
        span[4] = 40;
        Assert.Equal(40f, x[1, 1].Item<float>());
        // A contiguous view starts at its offset.
        var row = x[1].AsSpan<float>();
        Assert.Equal([3f, 40f, 5f], row.ToArray());
        row[0] = 30;
        Assert.Equal([0f, 1f, 2f, 30f, 40f, 5f], x.ToArray());
        Assert.Equal([7L, 8L], Tensor.From(new[] { 7L, 8L }).AsSpan<long>().ToArray());
        Assert.Equal(0, Tensor.Zeros(0).AsSpan<float>().Length);

        Assert.Throws<InvalidOperationException>(() => x.AsSpan<double>());       // wrong dtype
        Assert.Throws<InvalidOperationException>(() => x.T.AsSpan<float>());      // not contiguous
        Assert.Throws<InvalidOperationException>(() => x[.., 1].AsSpan<float>()); // not contiguous
    }

    // ---- in-place ---------------------------------------------------------------------------

    [Theory]
    [MemberData(nameof(Kinds))]
    public void InPlaceArithmeticReturnsTheSameTensorAndBumpsTheVersion(BackendKind kind)
    {
        using var scope = Backend.Use(kind);
        var x = Tensor.From(new float[,] { { 1, 2, 3 }, { 4, 5, 6 } });
        var view = x[1];
        int version = x.Version;
        // The PyTorch results of the same sequence of in-place ops on torch.tensor([[1., 2., 3.], [4., 5., 6.]]):
        Step(() => x.Add_(Tensor.From(new[] { 10f, 20f, 30f })), [11, 22, 33, 14, 25, 36]);
        Step(() => x.Sub_(1), [10, 21, 32, 13, 24, 35]);
        Step(() => x.Mul_(Tensor.From(new float[,] { { 2 }, { 3 } })), [20, 42, 64, 39, 72, 105]);
        Step(() => x.Div_(4), [5, 10.5f, 16, 9.75f, 18, 26.25f]);
        Step(() => x.Sub_(Tensor.From(0.5f)), [4.5f, 10, 15.5f, 9.25f, 17.5f, 25.75f]);
        Step(() => x.Mul_(-1), [-4.5f, -10, -15.5f, -9.25f, -17.5f, -25.75f]);
        Step(() => x.Div_(Tensor.From(new[] { 1f, 2f, 4f })), [-4.5f, -5, -3.875f, -9.25f, -8.75f, -6.4375f]);
        Step(() => x.Add_(2.5), [-2, -2.5f, -1.375f, -6.75f, -6.25f, -3.9375f]);
        // A view shares the version counter with its base.
        Assert.Equal(x.Version, view.Version);
        view.Zero_();
        Assert.Equal(version + 9, x.Version);
        Assert.Equal([-2f, -2.5f, -1.375f, 0f, 0f, 0f], x.ToArray());

        void Step(Func<Tensor> op, float[] expected)
        {
            int before = x.Version;
            Assert.Same(x, op());
            Assert.Equal(expected, x.ToArray());
            Assert.Equal(before + 1, x.Version);
        }
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void InPlaceOpsKeepTheirDType(BackendKind kind)
    {
        using var scope = Backend.Use(kind);
        // i = torch.tensor([1, 2, 3]); i.add_(2) -> [3, 4, 5]; i.mul_(torch.tensor([2])) -> [6, 8, 10];
        // i.sub_(torch.tensor(1)) -> [5, 7, 9]; i.add_(torch.tensor([True, False, True])) -> [6, 7, 10]
        var i = Tensor.From(new[] { 1L, 2L, 3L });
        Assert.Equal([3L, 4L, 5L], i.Add_(2).ToArray<long>());
        Assert.Equal([6L, 8L, 10L], i.Mul_(Tensor.From(new[] { 2L })).ToArray<long>());
        Assert.Equal([5L, 7L, 9L], i.Sub_(Tensor.From(1L)).ToArray<long>());
        Assert.Equal([6L, 7L, 10L], i.Add_(Tensor.From(new[] { true, false, true })).ToArray<long>());
        Assert.Equal(DType.Int64, i.DType);
        // f = torch.tensor([1., 2.]); f.add_(torch.tensor([0.1], dtype=torch.float64)) stays float32: [1.100000023841858, 2.0999999046325684]
        var f = Tensor.From(new[] { 1f, 2f });
        f.Add_(Tensor.From(new[] { 0.1 }));
        Assert.Equal(DType.Float32, f.DType);
        Assert.Equal([1.100000023841858f, 2.0999999046325684f], f.ToArray());
        // b = torch.tensor([True, False]); b.add_(torch.tensor([True, True])) -> [True, True]; b.mul_(torch.tensor(False)) -> [False, False]
        var b = Tensor.From(new[] { true, false });
        Assert.Equal([true, true], b.Add_(Tensor.From(new[] { true, true })).ToArray<bool>());
        Assert.Equal([false, false], b.Mul_(Tensor.From(false)).ToArray<bool>());

        // A result of a higher category cannot be written back:
        // torch.tensor([1, 2]).add_(2.5) / .div_(2) / .mul_(torch.tensor([1.5])); torch.tensor([True]).add_(1)
        const string floatToLong = "result type Float can't be cast to the desired output type Long";
        Assert.Equal(floatToLong, Assert.Throws<ArgumentException>(() => Tensor.From(new[] { 1L, 2L }).Add_(2.5)).Message);
        Assert.Equal(floatToLong, Assert.Throws<ArgumentException>(() => Tensor.From(new[] { 1L, 2L }).Div_(2)).Message);
        Assert.Equal(floatToLong, Assert.Throws<ArgumentException>(() => Tensor.From(new[] { 1L, 2L }).Mul_(Tensor.From(new[] { 1.5f }))).Message);
        Assert.Equal("result type Long can't be cast to the desired output type Bool",
                     Assert.Throws<ArgumentException>(() => Tensor.From(new[] { true }).Add_(1)).Message);
        // torch.tensor([True]).sub_(1)
        Assert.Equal("Subtraction, the `-` operator, with a bool tensor is not supported. If you are trying to invert a mask, use the `~` or `logical_not()` operator instead.",
                     Assert.Throws<ArgumentException>(() => Tensor.From(new[] { true }).Sub_(1)).Message);
        // A refused in-place op leaves the tensor alone.
        var unchanged = Tensor.From(new[] { 1L, 2L });
        Assert.Throws<ArgumentException>(() => unchanged.Div_(2));
        Assert.Equal([1L, 2L], unchanged.ToArray<long>());
        Assert.Equal(0, unchanged.Version);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void FillZeroAndCopy(BackendKind kind)
    {
        using var scope = Backend.Use(kind);
        // torch.tensor([1, 2]).fill_(2.5) -> [2, 2]; torch.tensor([1., 2.]).fill_(-2.5); torch.tensor([False, True]).fill_(2.5) -> [True, True]
        var ints = Tensor.From(new[] { 1L, 2L });
        Assert.Same(ints, ints.Fill_(2.5));
        Assert.Equal([2L, 2L], ints.ToArray<long>());
        Assert.Equal([-2.5f, -2.5f], Tensor.From(new[] { 1f, 2f }).Fill_(-2.5).ToArray());
        Assert.Equal([true, true], Tensor.From(new[] { false, true }).Fill_(2.5).ToArray<bool>());
        var zeroed = Tensor.From(new[] { 1.5, 2.5 });
        Assert.Same(zeroed, zeroed.Zero_());
        Assert.Equal([0.0, 0.0], zeroed.ToArray<double>());

        // torch.tensor([1, 2]).copy_(torch.tensor([1.7, -2.7])) -> [1, -2]
        var target = Tensor.From(new[] { 1L, 2L });
        int version = target.Version;
        Assert.Same(target, target.Copy_(Tensor.From(new[] { 1.7f, -2.7f })));
        Assert.Equal([1L, -2L], target.ToArray<long>());
        Assert.Equal(version + 1, target.Version);
        // torch.zeros(2, 3).copy_(torch.tensor([1., 2., 3.])) broadcasts
        Assert.Equal([1f, 2f, 3f, 1f, 2f, 3f], Tensor.Zeros(2, 3).Copy_(Tensor.From(new[] { 1f, 2f, 3f })).ToArray());
        // torch.zeros(3, dtype=torch.bool).copy_(torch.tensor([0., 2., -0.5])) -> [False, True, True]
        Assert.Equal([false, true, true], Tensor.Zeros([3], DType.Bool).Copy_(Tensor.From(new[] { 0f, 2f, -0.5f })).ToArray<bool>());
        // Copying into a transposed view writes through to the base
        var m = Tensor.Zeros(2, 3);
        m.T.Copy_(Tensor.From(new float[,] { { 1, 4 }, { 2, 5 }, { 3, 6 } }));
        Assert.Equal([1f, 2f, 3f, 4f, 5f, 6f], m.ToArray());

        // torch.zeros(2, 3).copy_(torch.tensor([1., 2.])); torch.zeros(3).copy_(torch.zeros(2, 3))
        Assert.Equal("The size of tensor a (3) must match the size of tensor b (2) at non-singleton dimension 1",
                     Assert.Throws<ArgumentException>(() => Tensor.Zeros(2, 3).Copy_(Tensor.From(new[] { 1f, 2f }))).Message);
        Assert.Equal("output with shape [3] doesn't match the broadcast shape [2, 3]",
                     Assert.Throws<ArgumentException>(() => Tensor.Zeros(3).Copy_(Tensor.Zeros(2, 3))).Message);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void InPlaceOpsCheckTheirOutput(BackendKind kind)
    {
        using var scope = Backend.Use(kind);
        // torch.arange(3.).add_(torch.zeros(2, 3)): self is not broadcast
        Assert.Equal("output with shape [3] doesn't match the broadcast shape [2, 3]",
                     Assert.Throws<ArgumentException>(() => Tensor.Arange(3.0).Add_(Tensor.Zeros(2, 3))).Message);

        // Filling a broadcast view fills what it views: torch.zeros(3).expand(2, 3).fill_(7)
        var source = Tensor.Zeros(3);
        source.Expand(2, 3).Fill_(7);
        Assert.Equal([7f, 7f, 7f], source.ToArray());
        source.Expand(2, 3).Zero_();
        Assert.Equal([0f, 0f, 0f], source.ToArray());

        // torch.zeros(2, requires_grad=True).add_(1)
        var leaf = Tensor.Zeros([2], DType.Float32, requiresGrad: true);
        Assert.Equal("a leaf Variable that requires grad is being used in an in-place operation.",
                     Assert.Throws<InvalidOperationException>(() => leaf.Add_(1)).Message);
        Assert.Throws<InvalidOperationException>(() => leaf.Fill_(1));
        // with torch.no_grad(): x.add_(1) -> tensor([1., 1.], requires_grad=True)
        using (NativeGrad.Autograd.NoGrad()) leaf.Add_(1);
        Assert.Equal("tensor([1., 1.], requires_grad=True)", leaf.ToString());
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void InPlaceChangesOfSavedTensorsAreCaughtByBackward(BackendKind kind)
    {
        using var scope = Backend.Use(kind);
        // x = torch.tensor([1., 2.], requires_grad=True); y = x * 2; z = y * y; y.add_(1); z.sum().backward() -> RuntimeError
        var x = Tensor.From(new[] { 1f, 2f }, requiresGrad: true);
        var y = x * 2;
        var z = y * y;
        y.Add_(1);
        Assert.Throws<InvalidOperationException>(() => z.Sum().Backward());

        // a = torch.tensor([1., 2.]); w = torch.tensor([3., 4.], requires_grad=True); z = a * w; a[0].fill_(5); z.sum().backward() -> RuntimeError
        var a = Tensor.From(new[] { 1f, 2f });
        var w = Tensor.From(new[] { 3f, 4f }, requiresGrad: true);
        var product = a * w;
        a[0].Fill_(5); // through a view: the version is shared
        Assert.Throws<InvalidOperationException>(() => product.Sum().Backward());
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void InPlaceOpsOnNonLeavesAreRecorded(BackendKind kind)
    {
        using var scope = Backend.Use(kind);
        // y = torch.tensor([1., 2.], requires_grad=True) * 1; then each in-place op, printing y
        var x = Tensor.From(new[] { 1f, 2f }, requiresGrad: true);
        var y = x * 1;
        Assert.Equal("tensor([2., 3.], grad_fn=<AddBackward0>)", y.Add_(1).ToString());
        Assert.Equal("tensor([4., 6.], grad_fn=<MulBackward0>)", y.Mul_(Tensor.From(2f)).ToString());
        Assert.Equal("tensor([3., 5.], grad_fn=<SubBackward0>)", y.Sub_(1).ToString());
        Assert.Equal("tensor([1.5000, 2.5000], grad_fn=<DivBackward0>)", y.Div_(2).ToString());

        // x = torch.tensor([1., 2.], requires_grad=True); y = x * 1; y.add_(1); y.mul_(torch.tensor(2.)); y.sum().backward(); x.grad -> [2., 2.]
        x = Tensor.From(new[] { 1f, 2f }, requiresGrad: true);
        y = x * 1;
        y.Add_(1);
        y.Mul_(Tensor.From(2f));
        y.Sum().Backward();
        Assert.Equal([2f, 2f], x.Grad!.ToArray());

        // The old values stay available to the rule that needs them:
        // x = torch.tensor([1., 2.], requires_grad=True); w = torch.tensor(3., requires_grad=True); y = x * 1; y.mul_(w); y.sum().backward()
        x = Tensor.From(new[] { 1f, 2f }, requiresGrad: true);
        var w = Tensor.From(3f, requiresGrad: true);
        y = x * 1;
        Assert.Equal("tensor([3., 6.], grad_fn=<MulBackward0>)", y.Mul_(w).ToString());
        y.Sum().Backward();
        Assert.Equal([3f, 3f], x.Grad!.ToArray());
        Assert.Equal(3f, w.Grad!.Item<float>());
        // ...with w = torch.tensor(2., requires_grad=True); y.div_(w) -> tensor([0.5000, 1.0000]); x.grad [0.5, 0.5]; w.grad -0.75
        x = Tensor.From(new[] { 1f, 2f }, requiresGrad: true);
        w = Tensor.From(2f, requiresGrad: true);
        y = x * 1;
        Assert.Equal("tensor([0.5000, 1.0000], grad_fn=<DivBackward0>)", y.Div_(w).ToString());
        y.Sum().Backward();
        Assert.Equal([0.5f, 0.5f], x.Grad!.ToArray());
        Assert.Equal(-0.75f, w.Grad!.Item<float>());
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void OverwritingInPlaceOpsCutTheOldHistory(BackendKind kind)
    {
        using var scope = Backend.Use(kind);
        // x = torch.tensor([1., 2.], requires_grad=True); y = x * 3; y.fill_(5); (y * y).sum().backward(); x.grad -> [0., 0.]
        var x = Tensor.From(new[] { 1f, 2f }, requiresGrad: true);
        var y = x * 3;
        Assert.Equal("tensor([5., 5.], grad_fn=<FillBackward2>)", y.Fill_(5).ToString());
        (y * y).Sum().Backward();
        Assert.Equal([0f, 0f], x.Grad!.ToArray());

        // ... y.zero_() -> tensor([0., 0.], grad_fn=<ZeroBackward0>); (y + 1).sum().backward(); x.grad -> [0., 0.]
        x = Tensor.From(new[] { 1f, 2f }, requiresGrad: true);
        y = x * 3;
        Assert.Equal("tensor([0., 0.], grad_fn=<ZeroBackward0>)", y.Zero_().ToString());
        (y + 1).Sum().Backward();
        Assert.Equal([0f, 0f], x.Grad!.ToArray());

        // s = torch.tensor([4.], dtype=torch.float64, requires_grad=True); y = x * 3; y.copy_(s) -> tensor([4., 4.], grad_fn=<CopyBackwards>);
        // (y * torch.tensor([1., 10.])).sum().backward(); x.grad -> [0., 0.]; s.grad -> [11.] (float64)
        x = Tensor.From(new[] { 1f, 2f }, requiresGrad: true);
        var s = Tensor.From(new[] { 4.0 }, requiresGrad: true);
        y = x * 3;
        Assert.Equal("tensor([4., 4.], grad_fn=<CopyBackwards>)", y.Copy_(s).ToString());
        (y * Tensor.From(new[] { 1f, 10f })).Sum().Backward();
        Assert.Equal([0f, 0f], x.Grad!.ToArray());
        Assert.Equal(DType.Float64, s.Grad!.DType);
        Assert.Equal([11.0], s.Grad.ToArray<double>());

        // t = torch.zeros(2); s = torch.tensor([4., 5.], requires_grad=True); t.copy_(s) -> tensor([4., 5.], grad_fn=<CopyBackwards>), not a leaf
        var t = Tensor.Zeros(2);
        var source = Tensor.From(new[] { 4f, 5f }, requiresGrad: true);
        Assert.Equal("tensor([4., 5.], grad_fn=<CopyBackwards>)", t.Copy_(source).ToString());
        Assert.False(t.IsLeaf);
        t.Sum().Backward();
        Assert.Equal([1f, 1f], source.Grad!.ToArray());
    }

    // ---- printing ---------------------------------------------------------------------------

    [Theory]
    [MemberData(nameof(Kinds))]
    public void ToStringIsPyTorchsRepr(BackendKind kind)
    {
        using var scope = Backend.Use(kind);
        // x = torch.tensor([[1., 2., 3.], [4., 5., 6.]], dtype=torch.float64, requires_grad=True); repr(...) of each
        var x = Tensor.From(new double[,] { { 1, 2, 3 }, { 4, 5, 6 } }, requiresGrad: true);
        Assert.Equal("tensor([[1., 2., 3.],\n        [4., 5., 6.]], dtype=torch.float64, requires_grad=True)", x.ToString());
        Assert.Equal("tensor([[ 2.,  4.,  6.],\n        [ 8., 10., 12.]], dtype=torch.float64, grad_fn=<MulBackward0>)", (x * 2).ToString());
        Assert.Equal("tensor([[1., 4.],\n        [2., 5.],\n        [3., 6.]], dtype=torch.float64, grad_fn=<PermuteBackward0>)", x.T.ToString());
        Assert.Equal("tensor([4., 5., 6.], dtype=torch.float64, grad_fn=<SelectBackward0>)", x[1].ToString());
        Assert.Equal("tensor([[2., 3.],\n        [5., 6.]], dtype=torch.float64, grad_fn=<SliceBackward0>)", x[.., 1..3].ToString());
        Assert.Equal("tensor([[1., 2.],\n        [3., 4.],\n        [5., 6.]], dtype=torch.float64, grad_fn=<ReshapeAliasBackward0>)", x.Reshape(3, 2).ToString());
        Assert.Equal("tensor([1., 2., 3., 4., 5., 6.], dtype=torch.float64, grad_fn=<ViewBackward0>)", x.View(6).ToString());
        Assert.Equal("tensor([1., 4., 2., 5., 3., 6.], dtype=torch.float64,\n       grad_fn=<UnsafeViewBackward0>)", x.T.Reshape(6).ToString());
        Assert.Equal("tensor(21., dtype=torch.float64, grad_fn=<SumBackward0>)", x.Sum().ToString());
        Assert.Equal("tensor([[[1., 2., 3.],\n         [4., 5., 6.]]], dtype=torch.float64, grad_fn=<UnsqueezeBackward0>)", x.Unsqueeze(0).ToString());
        Assert.Equal("tensor([[[1., 2., 3.],\n         [4., 5., 6.]],\n\n        [[1., 2., 3.],\n         [4., 5., 6.]]], dtype=torch.float64, grad_fn=<ExpandBackward0>)", x.Expand(2, 2, 3).ToString());
        Assert.Equal("tensor([1., 2., 3., 4., 5., 6.], dtype=torch.float64,\n       grad_fn=<ReshapeAliasBackward0>)", x.Flatten().ToString());
        Assert.Equal("tensor([[1., 2., 3.],\n        [4., 5., 6.]], dtype=torch.float64, grad_fn=<SqueezeBackward0>)", x.Squeeze().ToString());
        Assert.Equal("tensor([[1., 4.],\n        [2., 5.],\n        [3., 6.]], dtype=torch.float64, grad_fn=<TransposeBackward0>)", x.Transpose(0, 1).ToString());
        Assert.Equal("tensor([[1., 2.],\n        [4., 5.]], dtype=torch.float64, grad_fn=<SliceBackward0>)", x.Narrow(1, 0, 2).ToString());
        Assert.Equal("tensor([[1., 2., 3.],\n        [4., 5., 6.]], dtype=torch.float64, grad_fn=<CloneBackward0>)", x.Clone().ToString());
        Assert.Equal("tensor([[1., 2., 3.],\n        [4., 5., 6.]], dtype=torch.float64, requires_grad=True)", x.Contiguous().ToString());
        Assert.Equal("tensor([[1., 2., 3.],\n        [4., 5., 6.],\n        [1., 2., 3.],\n        [4., 5., 6.]], dtype=torch.float64, grad_fn=<CatBackward0>)", Tensor.Cat([x, x]).ToString());
        Assert.Equal("tensor([[3., 1.],\n        [6., 4.]], dtype=torch.float64, grad_fn=<IndexSelectBackward0>)", x.IndexSelect(1, Tensor.From(new[] { 2L, 0L })).ToString());
        Assert.Equal("StackBackward0", Tensor.Stack([x, x]).GradFn!.Name);

        // repr(torch.arange(4).sum()), repr(torch.arange(4) > 1), repr(torch.tensor([1, 2]) / 2), repr(torch.tensor([True]) + torch.tensor([True]))
        Assert.Equal("tensor(6)", Tensor.Arange(4).Sum().ToString());
        Assert.Equal("tensor([False, False,  True,  True])", (Tensor.Arange(4) > 1).ToString());
        Assert.Equal("tensor([0.5000, 1.0000])", (Tensor.From(new[] { 1L, 2L }) / 2).ToString());
        Assert.Equal("tensor([True])", (Tensor.From(new[] { true }) + Tensor.From(new[] { true })).ToString());
        // repr(torch.tensor([1., 2.], requires_grad=True).double())
        Assert.Equal("tensor([1., 2.], dtype=torch.float64, grad_fn=<ToCopyBackward0>)", Tensor.From(new[] { 1f, 2f }, requiresGrad: true).To(DType.Float64).ToString());
        // Under no_grad nothing is recorded: with torch.no_grad(): repr(x * 2)
        using (NativeGrad.Autograd.NoGrad())
            Assert.Equal("tensor([[ 2.,  4.,  6.],\n        [ 8., 10., 12.]], dtype=torch.float64)", (x * 2).ToString());
    }

    // ---- bad input --------------------------------------------------------------------------

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

    private static void AssertTensor(DType dtype, long[] shape, string repr, Tensor actual)
    {
        Assert.Equal(dtype, actual.DType);
        Assert.Equal(shape, actual.Shape);
        Assert.Equal(repr, actual.ToString());
    }

    private static void AssertBools(bool[] expected, Tensor actual)
    {
        Assert.Equal(DType.Bool, actual.DType);
        Assert.Equal(expected, actual.ToArray<bool>());
    }
}
