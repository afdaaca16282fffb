namespace NativeGrad.Tests.Reliability;

/// <summary>
/// The bad-input catalogue: every case here has its PyTorch twin, under the same id, in
/// tests/data/reliability/bad_inputs.py. PyTorch's RuntimeError, ValueError and IndexError become
/// the .NET exception for what went wrong: ArgumentException for a bad argument (its
/// ArgumentOutOfRangeException where a dim or index lies outside the tensor),
/// InvalidOperationException for a call the tensor's or object's state forbids,
/// NotSupportedException for a dtype an op has no kernel for, DivideByZeroException for an integer
/// division by zero, InvalidDataException for a broken file.
/// </summary>
internal static partial class BadInputCatalogue
{
    private static readonly Type Argument = typeof(ArgumentException);
    private static readonly Type InvalidOperation = typeof(InvalidOperationException);
    private static readonly Type NotSupported = typeof(NotSupportedException);
    private static readonly Type OutOfRange = typeof(ArgumentOutOfRangeException);
    private static readonly Type DivideByZero = typeof(DivideByZeroException);
    private static readonly Type InvalidData = typeof(InvalidDataException);

    // The families live in the partial files beside this one (BadInputCatalogue.*.cs).
    public static IReadOnlyList<BadInput> All { get; } =
    [
        .. Creation, .. Views, .. Indexing, .. Elementwise, .. Reductions, .. LinearAlgebra, .. Windows,
        .. AutogradMisuse, .. Modules, .. Losses, .. Optimizers, .. Schedulers, .. Checkpoints, .. DataLoading,
    ];

    // The first cases: overlapping in-place writes, shapes, hooks and grads, creation values, dtypes.
    private static BadInput[] Creation =>
    [
        // ---- overlapping writes -------------------------------------------------------------
        new("inplace.expanded_add", InvalidOperation, () => Tensor.Zeros(1).Expand(3).Add_(1.0)),
        new("inplace.expanded_mul", InvalidOperation, () => Tensor.Zeros(1).Expand(3).Mul_(2.0)),
        new("inplace.expanded_copy", InvalidOperation, () => Tensor.Zeros(1).Expand(3).Copy_(Tensor.Ones(3))),
        new("inplace.expanded_sqrt", InvalidOperation, () => Tensor.Zeros(1).Expand(3).Sqrt_()),
        new("inplace.copy_from_own_transpose", InvalidOperation, () =>
        {
            var x = Tensor.Arange(9.0).Reshape(3, 3);
            x.Copy_(x.T);
        }),
        new("inplace.copy_from_shifted_slice", InvalidOperation, () =>
        {
            var y = Tensor.Arange(5.0);
            y[1..].Copy_(y[..4]);
        }),
        new("inplace.add_shifted_slice", InvalidOperation, () =>
        {
            var y = Tensor.Arange(5.0);
            y[1..].Add_(y[..4]);
        }),
        new("inplace.mul_own_transpose", InvalidOperation, () =>
        {
            var x = Tensor.Arange(4.0).Reshape(2, 2);
            x.Mul_(x.T);
        }),

        // ---- shapes -------------------------------------------------------------------------
        new("shape.expand_negative", Argument, () => Tensor.Zeros(1).Expand(-5),
            "expand(torch.FloatTensor{[1]}, size=[-5]): size -5 at dimension 0 is negative; a size is >= 0, or -1 to keep the existing one",
            "PyTorch says \"numel: integer multiplication overflow\", which does not name the size"),
        new("shape.expand_minus_one_leading", Argument, () => Tensor.Zeros(1).Expand(-1, 3)),
        new("shape.zeros_negative", Argument, () => Tensor.Zeros(-1)),
        new("shape.size_product_overflows", Argument, () => Tensor.Zeros(1L << 40, 1L << 40)),
        new("shape.randn_size_overflows", Argument, () => Tensor.Randn(1L << 62, 4)),
        new("shape.size_in_bytes_overflows", Argument, () => Tensor.Zeros(1L << 62)),

        // ---- autograd -----------------------------------------------------------------------
        new("autograd.hook_changes_size", InvalidOperation, () =>
        {
            var w = Tensor.Ones([3], requiresGrad: true);
            w.RegisterHook(g => Tensor.Ones(2));
            (w * 2).Sum().Backward();
        }),
        new("autograd.hook_changes_dtype", InvalidOperation, () =>
        {
            var w = Tensor.Ones([3], requiresGrad: true);
            var y = w * 2;
            y.RegisterHook(g => g.To(DType.Float64));
            y.Sum().Backward();
        }),
        new("autograd.grad_of_other_dtype", Argument, () => Tensor.Ones([3], requiresGrad: true).Grad = Tensor.Ones([3], DType.Float64)),
        new("autograd.grad_of_other_size", Argument, () => Tensor.Ones([3], requiresGrad: true).Grad = Tensor.Ones(2)),

        // ---- creation values ----------------------------------------------------------------
        new("creation.full_nan_int64", Argument, () => Tensor.Full([2], double.NaN, DType.Int64)),
        new("creation.full_inf_int64", Argument, () => Tensor.Full([2], double.PositiveInfinity, DType.Int64)),
        new("creation.full_1e20_int64", Argument, () => Tensor.Full([2], 1e20, DType.Int64)),
        new("creation.full_1e300_float32", Argument, () => Tensor.Full([2], 1e300)),
        new("creation.fill_nan_int64", Argument, () => Tensor.Zeros([2], DType.Int64).Fill_(double.NaN)),
        new("creation.fill_1e300_float32", Argument, () => Tensor.Zeros(2).Fill_(1e300)),
        new("creation.full_like_nan_int64", Argument, () => Tensor.FullLike(Tensor.Zeros([2], DType.Int64), double.NaN)),
        new("creation.arange_nan", Argument, () => Tensor.Arange(double.NaN)),
        new("creation.arange_inf", Argument, () => Tensor.Arange(double.PositiveInfinity)),
        new("creation.arange_nan_step", Argument, () => Tensor.Arange(0.0, 10, double.NaN)),
        new("creation.arange_huge", Argument, () => Tensor.Arange(1e30)),
        new("creation.arange_zero_step", Argument, () => Tensor.Arange(0, 10, 0)),
        new("creation.arange_wrong_sign", Argument, () => Tensor.Arange(0, 10, -1)),
        new("creation.arange_int64_longer_than_int64", Argument, () => Tensor.Arange(long.MinValue, long.MaxValue)),
        new("creation.arange_int64_longer_than_int64_descending", Argument, () => Tensor.Arange(long.MaxValue, long.MinValue, -1)),
        new("creation.linspace_negative_steps", Argument, () => Tensor.Linspace(0, 1, -1)),

        // ---- dtypes -------------------------------------------------------------------------
        new("dtype.softmax_int64", NotSupported, () => Tensor.Arange(3).Softmax(0)),
        new("dtype.log_softmax_int64", NotSupported, () => Tensor.Arange(3).LogSoftmax(0)),
        new("dtype.softmax_int64_inner_dim", NotSupported, () => Tensor.Arange(4).Reshape(2, 2).Softmax(0)),
        new("dtype.softmax_bool", NotSupported, () => Tensor.From([true]).Softmax(0)),
    ];
}
