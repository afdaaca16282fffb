namespace NativeGrad.Tests.Reliability;

internal static partial class BadInputCatalogue
{
    // Elementwise ops, broadcasting and type promotion.
    private static BadInput[] Elementwise =>
    [
        new("math.add_broadcast_mismatch", Argument, () => _ = Tensor.Zeros(2, 3) + Tensor.Zeros(4)),
        new("math.mul_broadcast_mismatch", Argument, () => _ = Tensor.Zeros(2, 3) * Tensor.Zeros(2)),
        new("math.inplace_add_to_broadcast_shape", Argument, () => Tensor.Zeros(3).Add_(Tensor.Zeros(2, 3))),
        new("math.copy_broadcast_mismatch", Argument, () => Tensor.Zeros(3).Copy_(Tensor.Zeros(2))),
        new("math.bool_subtract", Argument, () => _ = Tensor.From([true]) - Tensor.From([true])),
        new("math.bool_negate", Argument, () => _ = -Tensor.From([true])),
        new("math.integer_negative_power", Argument, () => Tensor.Arange(3).Pow(-1L)),
        new("math.integer_remainder_zero", DivideByZero, () => Tensor.Arange(3).Remainder(0L)),
        new("math.integer_fmod_zero", DivideByZero, () => Tensor.Arange(3).Fmod(0L)),
        new("math.lerp_end_dtype", Argument, () => Tensor.Lerp(Tensor.Zeros(2), Tensor.Zeros([2], DType.Float64), 0.5)),
        new("math.addcdiv_integers", Argument, () => Tensor.Arange(3).Addcdiv(Tensor.Arange(3), Tensor.Arange(3))),

        new("promotion.float_into_int64_inplace", Argument, () => Tensor.Zeros([3], DType.Int64).Add_(Tensor.Ones(3))),
        new("promotion.int64_div_inplace", Argument, () => Tensor.Arange(3).Div_(2L)),
        new("promotion.int64_add_float_scalar_inplace", Argument, () => Tensor.Arange(3).Add_(1.5)),
        new("promotion.bool_mul_float_scalar_inplace", Argument, () => Tensor.From([true]).Mul_(1.5)),
        new("promotion.int64_sqrt_inplace", Argument, () => Tensor.Arange(3).Sqrt_()),
        new("promotion.mm_dtypes_differ", Argument, () => Tensor.Zeros(2, 2).Mm(Tensor.Zeros([2, 2], DType.Float64))),
        new("promotion.dot_dtypes_differ", Argument, () => Tensor.Zeros(2).Dot(Tensor.Zeros([2], DType.Float64))),
    ];

    // Reductions, scans and sorting along dims that are not there, or over nothing.
    private static BadInput[] Reductions =>
    [
        new("reduce.sum_dim_out_of_range", OutOfRange, () => Tensor.Zeros(2, 3).Sum(2)),
        new("reduce.sum_repeated_dim", Argument, () => Tensor.Zeros(2, 3).Sum([0L, 0L])),
        new("reduce.mean_of_int64", Argument, () => Tensor.Arange(3).Mean()),
        new("reduce.std_of_int64", Argument, () => Tensor.Arange(3).Std()),
        new("reduce.max_empty_along_dim", OutOfRange, () => Tensor.Zeros(0).Max(0)),
        new("reduce.max_of_empty", Argument, () => Tensor.Zeros(0).Max()),
        new("reduce.argmax_of_empty", OutOfRange, () => Tensor.Zeros(0).ArgMax()),
        new("reduce.amax_of_empty", Argument, () => Tensor.Zeros(0).Amax()),
        new("reduce.var_dim_out_of_range", OutOfRange, () => Tensor.Zeros(2).Var(1)),
        new("reduce.topk_k_too_large", Argument, () => Tensor.Zeros(3).TopK(4)),
        new("reduce.topk_negative_k", Argument, () => Tensor.Zeros(3).TopK(-1)),
        new("reduce.sort_dim_out_of_range", OutOfRange, () => Tensor.Zeros(3).Sort(1)),
        new("reduce.cumsum_dim_out_of_range", OutOfRange, () => Tensor.Zeros(3).Cumsum(1)),
        new("reduce.logsumexp_dim_out_of_range", OutOfRange, () => Tensor.Zeros(3).LogSumExp(1)),
        new("reduce.prod_dim_out_of_range", OutOfRange, () => Tensor.Zeros(3).Prod(1)),
        new("reduce.softmax_dim_out_of_range", OutOfRange, () => Tensor.Zeros(3).Softmax(1)),
        new("reduce.norm_of_int64", Argument, () => Tensor.Arange(3).Norm()),
        new("reduce.argmin_dim_out_of_range", OutOfRange, () => Tensor.Zeros(2, 2).ArgMin(-3)),
    ];

    // Matrix products whose operand shapes or dtypes do not fit together.
    private static BadInput[] LinearAlgebra =>
    [
        new("linalg.mm_inner_sizes_differ", Argument, () => Tensor.Zeros(2, 3).Mm(Tensor.Zeros(2, 3))),
        new("linalg.mm_of_vector", Argument, () => Tensor.Zeros(3).Mm(Tensor.Zeros(3, 3))),
        new("linalg.matmul_vectors_differ", Argument, () => Tensor.Zeros(3).MatMul(Tensor.Zeros(4))),
        new("linalg.matmul_of_scalar", Argument, () => Tensor.From(1f).MatMul(Tensor.Zeros(2))),
        new("linalg.matmul_batched_inner_differ", Argument, () => Tensor.Zeros(2, 2, 3).MatMul(Tensor.Zeros(2, 2, 3))),
        new("linalg.bmm_of_matrices", Argument, () => Tensor.Zeros(2, 2).Bmm(Tensor.Zeros(2, 2))),
        new("linalg.bmm_batches_differ", Argument, () => Tensor.Zeros(2, 2, 3).Bmm(Tensor.Zeros(3, 3, 2))),
        new("linalg.dot_sizes_differ", Argument, () => Tensor.Zeros(3).Dot(Tensor.Zeros(4))),
        new("linalg.dot_of_matrices", Argument, () => Tensor.Zeros(2, 2).Dot(Tensor.Zeros(2, 2))),
        new("linalg.mv_sizes_differ", Argument, () => Tensor.Zeros(2, 3).Mv(Tensor.Zeros(2))),
        new("linalg.addmm_bias_shape", Argument, () => Tensor.Addmm(Tensor.Zeros(3), Tensor.Zeros(2, 2), Tensor.Zeros(2, 2))),
        new("linalg.outer_of_matrix", Argument, () => Tensor.Zeros(2, 2).Outer(Tensor.Zeros(2))),
        new("linalg.trace_of_vector", Argument, () => Tensor.Zeros(3).Trace()),
        new("linalg.einsum_sizes_differ", Argument, () => Tensor.Einsum("ij,jk->ik", Tensor.Zeros(2, 3), Tensor.Zeros(4, 5))),
        new("linalg.einsum_too_few_operands", Argument, () => Tensor.Einsum("ij,jk->ik", Tensor.Zeros(2, 2))),
        new("linalg.linear_in_features_differ", Argument, () => Functional.Linear(Tensor.Zeros(2, 3), Tensor.Zeros(4, 5))),
    ];
}
