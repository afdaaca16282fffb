using NativeGrad.Backends;

namespace NativeGrad.Tests.Tensors;

/// <summary>
/// Result dtypes of arithmetic and comparisons between the four dtypes, dimensioned and 0-dim, and
/// with C# scalars (an integer literal takes the long overload, like a Python int; a double literal
/// the double one, like a Python float). Every expected dtype and value comes from PyTorch 1.13
/// (torch.result_type and the ops themselves), on both backends.
/// </summary>
public sealed class TypePromotionTests
{
    private const string BoolSubtraction =
        "Subtraction, the `-` operator, with a bool tensor is not supported. If you are trying to invert a mask, use the `~` or `logical_not()` operator instead.";

    private const string TwoBoolSubtraction =
        "Subtraction, the `-` operator, with two bool tensors is not supported. Use the `^` or `logical_xor()` operator instead.";

    public static TheoryData<BackendKind> Kinds => new() { BackendKind.Native, BackendKind.Managed };

    /// <summary>
    /// (a, a is 0-dim, b, b is 0-dim) -> a + b, a - b (null: PyTorch refuses), a * b, a / b. Made by
    /// running the four ops on torch.ones(3 or (), dtype=...) for every pair.
    /// </summary>
    private static readonly (DType A, bool AZeroDim, DType B, bool BZeroDim, DType Add, DType? Sub, DType Mul, DType Div)[] TensorTable =
    [
        (DType.Float32, false, DType.Float32, false, DType.Float32, DType.Float32, DType.Float32, DType.Float32),
        (DType.Float32, false, DType.Float32, true, DType.Float32, DType.Float32, DType.Float32, DType.Float32),
        (DType.Float32, true, DType.Float32, false, DType.Float32, DType.Float32, DType.Float32, DType.Float32),
        (DType.Float32, true, DType.Float32, true, DType.Float32, DType.Float32, DType.Float32, DType.Float32),
        (DType.Float32, false, DType.Float64, false, DType.Float64, DType.Float64, DType.Float64, DType.Float64),
        (DType.Float32, false, DType.Float64, true, DType.Float32, DType.Float32, DType.Float32, DType.Float32),
        (DType.Float32, true, DType.Float64, false, DType.Float64, DType.Float64, DType.Float64, DType.Float64),
        (DType.Float32, true, DType.Float64, true, DType.Float64, DType.Float64, DType.Float64, DType.Float64),
        (DType.Float32, false, DType.Int64, false, DType.Float32, DType.Float32, DType.Float32, DType.Float32),
        (DType.Float32, false, DType.Int64, true, DType.Float32, DType.Float32, DType.Float32, DType.Float32),
        (DType.Float32, true, DType.Int64, false, DType.Float32, DType.Float32, DType.Float32, DType.Float32),
        (DType.Float32, true, DType.Int64, true, DType.Float32, DType.Float32, DType.Float32, DType.Float32),
        (DType.Float32, false, DType.Bool, false, DType.Float32, null, DType.Float32, DType.Float32),
        (DType.Float32, false, DType.Bool, true, DType.Float32, null, DType.Float32, DType.Float32),
        (DType.Float32, true, DType.Bool, false, DType.Float32, null, DType.Float32, DType.Float32),
        (DType.Float32, true, DType.Bool, true, DType.Float32, null, DType.Float32, DType.Float32),
        (DType.Float64, false, DType.Float32, false, DType.Float64, DType.Float64, DType.Float64, DType.Float64),
        (DType.Float64, false, DType.Float32, true, DType.Float64, DType.Float64, DType.Float64, DType.Float64),
        (DType.Float64, true, DType.Float32, false, DType.Float32, DType.Float32, DType.Float32, DType.Float32),
        (DType.Float64, true, DType.Float32, true, DType.Float64, DType.Float64, DType.Float64, DType.Float64),
        (DType.Float64, false, DType.Float64, false, DType.Float64, DType.Float64, DType.Float64, DType.Float64),
        (DType.Float64, false, DType.Float64, true, DType.Float64, DType.Float64, DType.Float64, DType.Float64),
        (DType.Float64, true, DType.Float64, false, DType.Float64, DType.Float64, DType.Float64, DType.Float64),
        (DType.Float64, true, DType.Float64, true, DType.Float64, DType.Float64, DType.Float64, DType.Float64),
        (DType.Float64, false, DType.Int64, false, DType.Float64, DType.Float64, DType.Float64, DType.Float64),
        (DType.Float64, false, DType.Int64, true, DType.Float64, DType.Float64, DType.Float64, DType.Float64),
        (DType.Float64, true, DType.Int64, false, DType.Float64, DType.Float64, DType.Float64, DType.Float64),
        (DType.Float64, true, DType.Int64, true, DType.Float64, DType.Float64, DType.Float64, DType.Float64),
        (DType.Float64, false, DType.Bool, false, DType.Float64, null, DType.Float64, DType.Float64),
        (DType.Float64, false, DType.Bool, true, DType.Float64, null, DType.Float64, DType.Float64),
        (DType.Float64, true, DType.Bool, false, DType.Float64, null, DType.Float64, DType.Float64),
        (DType.Float64, true, DType.Bool, true, DType.Float64, null, DType.Float64, DType.Float64),
        (DType.Int64, false, DType.Float32, false, DType.Float32, DType.Float32, DType.Float32, DType.Float32),
        (DType.Int64, false, DType.Float32, true, DType.Float32, DType.Float32, DType.Float32, DType.Float32),
        (DType.Int64, true, DType.Float32, false, DType.Float32, DType.Float32, DType.Float32, DType.Float32),
        (DType.Int64, true, DType.Float32, true, DType.Float32, DType.Float32, DType.Float32, DType.Float32),
        (DType.Int64, false, DType.Float64, false, DType.Float64, DType.Float64, DType.Float64, DType.Float64),
        (DType.Int64, false, DType.Float64, true, DType.Float64, DType.Float64, DType.Float64, DType.Float64),
        (DType.Int64, true, DType.Float64, false, DType.Float64, DType.Float64, DType.Float64, DType.Float64),
        (DType.Int64, true, DType.Float64, true, DType.Float64, DType.Float64, DType.Float64, DType.Float64),
        (DType.Int64, false, DType.Int64, false, DType.Int64, DType.Int64, DType.Int64, DType.Float32),
        (DType.Int64, false, DType.Int64, true, DType.Int64, DType.Int64, DType.Int64, DType.Float32),
        (DType.Int64, true, DType.Int64, false, DType.Int64, DType.Int64, DType.Int64, DType.Float32),
        (DType.Int64, true, DType.Int64, true, DType.Int64, DType.Int64, DType.Int64, DType.Float32),
        (DType.Int64, false, DType.Bool, false, DType.Int64, null, DType.Int64, DType.Float32),
        (DType.Int64, false, DType.Bool, true, DType.Int64, null, DType.Int64, DType.Float32),
        (DType.Int64, true, DType.Bool, false, DType.Int64, null, DType.Int64, DType.Float32),
        (DType.Int64, true, DType.Bool, true, DType.Int64, null, DType.Int64, DType.Float32),
        (DType.Bool, false, DType.Float32, false, DType.Float32, null, DType.Float32, DType.Float32),
        (DType.Bool, false, DType.Float32, true, DType.Float32, null, DType.Float32, DType.Float32),
        (DType.Bool, true, DType.Float32, false, DType.Float32, null, DType.Float32, DType.Float32),
        (DType.Bool, true, DType.Float32, true, DType.Float32, null, DType.Float32, DType.Float32),
        (DType.Bool, false, DType.Float64, false, DType.Float64, null, DType.Float64, DType.Float64),
        (DType.Bool, false, DType.Float64, true, DType.Float64, null, DType.Float64, DType.Float64),
        (DType.Bool, true, DType.Float64, false, DType.Float64, null, DType.Float64, DType.Float64),
        (DType.Bool, true, DType.Float64, true, DType.Float64, null, DType.Float64, DType.Float64),
        (DType.Bool, false, DType.Int64, false, DType.Int64, null, DType.Int64, DType.Float32),
        (DType.Bool, false, DType.Int64, true, DType.Int64, null, DType.Int64, DType.Float32),
        (DType.Bool, true, DType.Int64, false, DType.Int64, null, DType.Int64, DType.Float32),
        (DType.Bool, true, DType.Int64, true, DType.Int64, null, DType.Int64, DType.Float32),
        (DType.Bool, false, DType.Bool, false, DType.Bool, null, DType.Bool, DType.Float32),
        (DType.Bool, false, DType.Bool, true, DType.Bool, null, DType.Bool, DType.Float32),
        (DType.Bool, true, DType.Bool, false, DType.Bool, null, DType.Bool, DType.Float32),
        (DType.Bool, true, DType.Bool, true, DType.Bool, null, DType.Bool, DType.Float32),
    ];

    public static TheoryData<BackendKind, DType, bool, DType, bool> TensorPairs()
    {
        var data = new TheoryData<BackendKind, DType, bool, DType, bool>();
        foreach (var kind in Enum.GetValues<BackendKind>())
            foreach (var row in TensorTable)
                data.Add(kind, row.A, row.AZeroDim, row.B, row.BZeroDim);
        return data;
    }

    [Theory]
    [MemberData(nameof(TensorPairs))]
    public void TensorTensorArithmeticPromotesLikePyTorch(BackendKind kind, DType aType, bool aZeroDim, DType bType, bool bZeroDim)
    {
        using var scope = Backend.Use(kind);
        var row = TensorTable.Single(r => r.A == aType && r.AZeroDim == aZeroDim && r.B == bType && r.BZeroDim == bZeroDim);
        var a = Operand(aType, aZeroDim);
        var b = Operand(bType, bZeroDim);
        long[] shape = aZeroDim && bZeroDim ? [] : [3];

        AssertResult(row.Add, shape, a + b);
        AssertResult(row.Mul, shape, a * b);
        AssertResult(row.Div, shape, a / b);
        if (row.Sub is { } sub)
            AssertResult(sub, shape, a - b);
        else
        {
            var error = Assert.Throws<ArgumentException>(() => a - b);
            Assert.Equal(aType == DType.Bool && bType == DType.Bool ? TwoBoolSubtraction : BoolSubtraction, error.Message);
        }

        // Comparisons compute in the promoted dtype but always answer in bool.
        AssertResult(DType.Bool, shape, a < b);
        AssertResult(DType.Bool, shape, a == b);
        AssertResult(DType.Bool, shape, a >= b);
        AssertResult(DType.Bool, shape, a != b);
    }

    /// <summary>
    /// (tensor dtype, 0-dim) -> x + 2, 2 + x, x * 2, x / 2, 2 / x, x - 2, 2 - x, then the same with
    /// 2.5 (null: PyTorch refuses, a bool tensor cannot be subtracted).
    /// </summary>
    private static readonly (DType X, bool ZeroDim, DType?[] WithLong, DType?[] WithDouble)[] ScalarTable =
    [
        (DType.Float32, false, [DType.Float32, DType.Float32, DType.Float32, DType.Float32, DType.Float32, DType.Float32, DType.Float32], [DType.Float32, DType.Float32, DType.Float32, DType.Float32, DType.Float32, DType.Float32, DType.Float32]),
        (DType.Float32, true, [DType.Float32, DType.Float32, DType.Float32, DType.Float32, DType.Float32, DType.Float32, DType.Float32], [DType.Float32, DType.Float32, DType.Float32, DType.Float32, DType.Float32, DType.Float32, DType.Float32]),
        (DType.Float64, false, [DType.Float64, DType.Float64, DType.Float64, DType.Float64, DType.Float64, DType.Float64, DType.Float64], [DType.Float64, DType.Float64, DType.Float64, DType.Float64, DType.Float64, DType.Float64, DType.Float64]),
        (DType.Float64, true, [DType.Float64, DType.Float64, DType.Float64, DType.Float64, DType.Float64, DType.Float64, DType.Float64], [DType.Float64, DType.Float64, DType.Float64, DType.Float64, DType.Float64, DType.Float64, DType.Float64]),
        (DType.Int64, false, [DType.Int64, DType.Int64, DType.Int64, DType.Float32, DType.Float32, DType.Int64, DType.Int64], [DType.Float32, DType.Float32, DType.Float32, DType.Float32, DType.Float32, DType.Float32, DType.Float32]),
        (DType.Int64, true, [DType.Int64, DType.Int64, DType.Int64, DType.Float32, DType.Float32, DType.Int64, DType.Int64], [DType.Float32, DType.Float32, DType.Float32, DType.Float32, DType.Float32, DType.Float32, DType.Float32]),
        (DType.Bool, false, [DType.Int64, DType.Int64, DType.Int64, DType.Float32, DType.Float32, null, null], [DType.Float32, DType.Float32, DType.Float32, DType.Float32, DType.Float32, null, null]),
        (DType.Bool, true, [DType.Int64, DType.Int64, DType.Int64, DType.Float32, DType.Float32, null, null], [DType.Float32, DType.Float32, DType.Float32, DType.Float32, DType.Float32, null, null]),
    ];

    public static TheoryData<BackendKind, DType, bool> ScalarCases()
    {
        var data = new TheoryData<BackendKind, DType, bool>();
        foreach (var kind in Enum.GetValues<BackendKind>())
            foreach (var row in ScalarTable)
                data.Add(kind, row.X, row.ZeroDim);
        return data;
    }

    [Theory]
    [MemberData(nameof(ScalarCases))]
    public void TensorScalarArithmeticPromotesLikePyTorch(BackendKind kind, DType dtype, bool zeroDim)
    {
        using var scope = Backend.Use(kind);
        var row = ScalarTable.Single(r => r.X == dtype && r.ZeroDim == zeroDim);
        var x = Operand(dtype, zeroDim);
        long[] shape = zeroDim ? [] : [3];

        // An integer literal binds to the long overloads, like a Python int.
        Func<Tensor>[] withLong = [() => x + 2, () => 2 + x, () => x * 2, () => x / 2, () => 2 / x, () => x - 2, () => 2 - x];
        // A double literal binds to the double overloads, like a Python float.
        Func<Tensor>[] withDouble = [() => x + 2.5, () => 2.5 + x, () => x * 2.5, () => x / 2.5, () => 2.5 / x, () => x - 2.5, () => 2.5 - x];
        string[] names = ["x + s", "s + x", "x * s", "x / s", "s / x", "x - s", "s - x"];

        for (int i = 0; i < names.Length; i++)
        {
            Check(row.WithLong[i], withLong[i], names[i].Replace("s", "2"));
            Check(row.WithDouble[i], withDouble[i], names[i].Replace("s", "2.5"));
        }

        void Check(DType? expected, Func<Tensor> op, string name)
        {
            if (expected is { } dtype)
            {
                var result = op();
                Assert.True(dtype == result.DType, $"{name}: expected {dtype}, got {result.DType}");
                Assert.Equal(shape, result.Shape);
            }
            else
            {
                var error = Assert.Throws<ArgumentException>(op);
                Assert.Equal(BoolSubtraction, error.Message);
            }
        }
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void PromotedValuesMatchPyTorch(BackendKind kind)
    {
        using var scope = Backend.Use(kind);
        var ints = Tensor.From([1L, 2, 3]);
        var bools = Tensor.From([true, false]);

        // torch.tensor([1,2,3]) / 2 -> tensor([0.5000, 1.0000, 1.5000])
        AssertValues(DType.Float32, [0.5f, 1f, 1.5f], ints / 2);
        // torch.tensor([1,2,3]) + 2.5 -> float32 [3.5, 4.5, 5.5]
        AssertValues(DType.Float32, [3.5f, 4.5f, 5.5f], ints + 2.5);
        // torch.tensor([7,-7]) / torch.tensor([2]) -> true division, float32 [3.5, -3.5]
        AssertValues(DType.Float32, [3.5f, -3.5f], Tensor.From([7L, -7]) / Tensor.From([2L]));
        // bool + bool is logical or, bool * bool logical and, bool / bool float32
        AssertValues(DType.Bool, [true, true], bools + Tensor.From([true, true]));
        AssertValues(DType.Bool, [true, false], bools * Tensor.From([true, true]));
        AssertValues(DType.Float32, [1f, 0f], bools / Tensor.From([true, true]));
        // torch.tensor([True,False]) + 2 -> int64 [3, 2]; * 2.5 -> float32 [2.5, 0.0]
        AssertValues(DType.Int64, [3L, 2L], bools + 2);
        AssertValues(DType.Float32, [2.5f, 0f], bools * 2.5);
        // 2 / torch.tensor([1,4]) -> float32 [2.0, 0.5]; 2 - torch.tensor([1,4]) -> int64 [1, -2]
        AssertValues(DType.Float32, [2f, 0.5f], 2 / Tensor.From([1L, 4]));
        AssertValues(DType.Int64, [1L, -2L], 2 - Tensor.From([1L, 4]));
        // torch.tensor(3) * 2.5 -> tensor(7.5000), float32 and 0-dim
        var product = Tensor.From(3L) * 2.5;
        Assert.Equal(DType.Float32, product.DType);
        Assert.Empty(product.Shape);
        Assert.Equal(7.5f, product.Item<float>());
        // A 0-dim float64 does not widen a float32 tensor: the sum is computed in float32.
        // torch.tensor([1.1]) + torch.tensor(2.2, dtype=torch.float64) -> [3.3000001907348633]
        AssertValues(DType.Float32, [3.3000001907348633f], Tensor.From([1.1f]) + Tensor.From(2.2));
        // ...but a 0-dim float32 is converted into a float64 tensor's dtype.
        // torch.tensor([1.1], dtype=torch.float64) + torch.tensor(2.2) -> [3.300000047683716]
        AssertValues(DType.Float64, [3.300000047683716], Tensor.From([1.1]) + Tensor.From(2.2f));
        // A 0-dim float64 of a higher category does win over int64 [3]:
        // torch.tensor([1,2,3]) + torch.tensor(0.5, dtype=torch.float64) -> float64 [1.5, 2.5, 3.5]
        AssertValues(DType.Float64, [1.5, 2.5, 3.5], ints + Tensor.From(0.5));
        // torch.tensor([1,2]) * torch.tensor(1.5) -> float32 [1.5, 3.0]
        AssertValues(DType.Float32, [1.5f, 3f], Tensor.From([1L, 2]) * Tensor.From(1.5f));
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void IntegerScalarsKeepEveryBitOfAnInt64(BackendKind kind)
    {
        using var scope = Backend.Use(kind);
        var zero = Tensor.From([0L]);
        const long big = 9007199254740993; // 2^53 + 1: not a double
        // (torch.tensor([0]) + 9007199254740993).tolist() -> [9007199254740993], and so on
        AssertValues(DType.Int64, [big], zero + big);
        AssertValues(DType.Int64, [-big], zero - big);
        AssertValues(DType.Int64, [big], Tensor.From([1L]) * big);
        AssertValues(DType.Int64, [big], big - zero);
        // torch.tensor([0]) == 9007199254740993 -> tensor([False])
        AssertValues(DType.Bool, [false], zero == big);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void ComparisonsComputeInThePromotedDType(BackendKind kind)
    {
        using var scope = Backend.Use(kind);
        // torch.tensor([0.1]) == torch.tensor(0.1, dtype=torch.float64) -> tensor([True]) (compared in float32)
        AssertValues(DType.Bool, [true], Tensor.From([0.1f]) == Tensor.From(0.1));
        // torch.tensor([0.1]) == 0.1 -> tensor([True])
        AssertValues(DType.Bool, [true], Tensor.From([0.1f]) == 0.1);
        // torch.tensor([0.1], dtype=torch.float64) == torch.tensor([0.1]) -> tensor([False]) (compared in float64)
        AssertValues(DType.Bool, [false], Tensor.From([0.1]) == Tensor.From([0.1f]));
        // torch.tensor([2,3]) == 2.5 -> [False, False]; < 2.5 -> [True, False] (the int64 tensor is not truncating 2.5)
        AssertValues(DType.Bool, [false, false], Tensor.From([2L, 3]) == 2.5);
        AssertValues(DType.Bool, [true, false], Tensor.From([2L, 3]) < 2.5);
        // An integer scalar compares an int64 tensor as int64, a float one as float32:
        // x = torch.tensor([16777217]); x == 16777216 -> [False]; x == 16777216.0 -> [True]; x > 16777216 -> [True]
        var x = Tensor.From([16777217L]);
        AssertValues(DType.Bool, [false], x == 16777216);
        AssertValues(DType.Bool, [true], x == 16777216.0);
        AssertValues(DType.Bool, [true], x > 16777216);
    }

    private static Tensor Operand(DType dtype, bool zeroDim) => Tensor.Ones(zeroDim ? [] : [3], dtype);

    private static void AssertResult(DType expected, long[] shape, Tensor result)
    {
        Assert.Equal(expected, result.DType);
        Assert.Equal(shape, result.Shape);
    }

    private static void AssertValues<T>(DType dtype, T[] expected, Tensor actual) where T : unmanaged
    {
        Assert.Equal(dtype, actual.DType);
        Assert.Equal(expected, actual.ToArray<T>());
    }
}
