namespace NativeGrad.Tests.Reliability;

/// <summary>
/// The numerical edge cases: every case here has its PyTorch twin, under the same id, in
/// tests/data/reliability/edge_values.py, whose results (dtype, shape, elements, printed form) are
/// in edge_values.json.
/// </summary>
internal static class EdgeValueCases
{
    private const float Nan = float.NaN, Inf = float.PositiveInfinity;

    private static Tensor T(params float[] values) => Tensor.From(values);

    private static Tensor L(params long[] values) => Tensor.From(values);

    public static IReadOnlyDictionary<string, Func<Tensor>> All { get; } = new Dictionary<string, Func<Tensor>>
    {
        // ---- NaN and infinity through comparisons, sorting and clamps -----------------------
        ["nan.max_all"] = () => T(1, Nan, 3).Max(),
        ["nan.min_all"] = () => T(1, Nan, 3).Min(),
        ["nan.max_dim_values"] = () => Tensor.From(new float[,] { { 1, Nan, 3 }, { 4, 5, 6 } }).Max(1).Values,
        ["nan.max_dim_indices"] = () => Tensor.From(new float[,] { { 1, Nan, 3 }, { 4, 5, 6 } }).Max(1).Indices,
        ["nan.min_dim_indices"] = () => Tensor.From(new float[,] { { 1, Nan, -3 }, { 4, 5, 6 } }).Min(1).Indices,
        ["nan.amax"] = () => T(1, Nan, 3).Amax(),
        ["nan.amin_dim"] = () => Tensor.From(new float[,] { { 1, Nan }, { 2, 3 } }).Amin(0),
        ["nan.argmax"] = () => T(1, Nan, 3).ArgMax(),
        ["nan.argmin"] = () => T(1, Nan, -3).ArgMin(),
        ["nan.sort_values"] = () => T(3, Nan, 1, -Inf, Inf, Nan).Sort().Values,
        ["nan.sort_indices"] = () => T(3, Nan, 1, -Inf, Inf).Sort().Indices,
        ["nan.sort_descending_values"] = () => T(3, Nan, 1, -Inf, Inf).Sort(descending: true).Values,
        ["nan.topk_values"] = () => T(3, Nan, 1, Inf).TopK(2).Values,
        ["nan.topk_indices"] = () => T(3, Nan, 1, Inf).TopK(2).Indices,
        ["nan.topk_smallest_values"] = () => T(3, Nan, 1, -Inf).TopK(2, largest: false).Values,
        ["nan.maximum"] = () => Tensor.Maximum(T(1, Nan, 3, -Inf), T(Nan, 2, 1, Inf)),
        ["nan.minimum"] = () => Tensor.Minimum(T(1, Nan, 3, -Inf), T(Nan, 2, 1, Inf)),
        ["nan.clamp"] = () => T(Nan, -2, 2, 0.5f).Clamp(-1, 1),
        ["nan.clamp_infinities"] = () => T(-Inf, Inf).Clamp(-1, 1),
        ["nan.clamp_min_only"] = () => T(Nan, -Inf, 3).Clamp(min: 0),
        ["nan.relu"] = () => T(Nan, -Inf, Inf, -1, 0).Relu(),
        ["nan.sum"] = () => T(1, Nan, Inf).Sum(),
        ["nan.mean_with_inf"] = () => T(1, Inf, 2).Mean(),
        ["nan.sum_of_opposite_infinities"] = () => T(Inf, -Inf).Sum(),

        // ---- softmax family -----------------------------------------------------------------
        ["softmax.nan"] = () => T(1, Nan, 2).Softmax(0),
        ["softmax.inf"] = () => T(1, Inf, 2).Softmax(0),
        ["softmax.minus_inf"] = () => T(-Inf, 0, 1).Softmax(0),
        ["softmax.all_minus_inf"] = () => T(-Inf, -Inf).Softmax(0),
        ["softmax.large"] = () => T(1000, 1001, 1002).Softmax(0),
        ["softmax.large_negative"] = () => T(-1000, -1001, -1002).Softmax(0),
        ["softmax.large_spread_float64"] = () => Tensor.From([1e300, 0, -1e300]).Softmax(0),
        ["log_softmax.large"] = () => T(1000, 1001, 1002).LogSoftmax(0),
        ["log_softmax.large_spread"] = () => T(-1000, 0).LogSoftmax(0),
        ["log_softmax.minus_inf"] = () => T(-Inf, 0, 1).LogSoftmax(0),
        ["log_softmax.rows"] = () => Tensor.From(new float[,] { { 1e4f, 0 }, { 0, -1e4f } }).LogSoftmax(1),
        ["logsumexp.large"] = () => T(1000, 1000).LogSumExp(0),
        ["logsumexp.all_minus_inf"] = () => T(-Inf, -Inf).LogSumExp(0),
        ["logsumexp.inf"] = () => T(Inf, 1).LogSumExp(0),

        // ---- elementwise at the edges -------------------------------------------------------
        ["elementwise.log_of_zero"] = () => T(0, -0f, -1, Inf).Log(),
        ["elementwise.zero_times_inf"] = () => T(0, -0f, 1) * T(Inf, Inf, -Inf),
        ["elementwise.inf_minus_inf"] = () => T(Inf, -Inf) - T(Inf, -Inf),
        ["elementwise.div_by_zero"] = () => T(1, -1, 0) / T(0, 0, 0),
        ["elementwise.exp_overflow"] = () => T(100, -200, Inf, -Inf).Exp(),
        ["elementwise.sigmoid_large"] = () => T(-1000, 1000, Nan).Sigmoid(),
        ["elementwise.tanh_large"] = () => T(-1000, 1000, Inf).Tanh(),
        ["elementwise.sqrt_negative"] = () => T(-1, -0f, Inf).Sqrt(),
        ["elementwise.pow_edges"] = () => T(0, 0, Nan, 1).Pow(T(0, -1, 0, Nan)),

        // ---- reductions over nothing --------------------------------------------------------
        ["empty.sum"] = () => Tensor.Zeros(0).Sum(),
        ["empty.prod"] = () => Tensor.Zeros(0).Prod(),
        ["empty.mean"] = () => Tensor.Zeros(0).Mean(),
        ["empty.var"] = () => Tensor.Zeros(0).Var(),
        ["empty.std"] = () => Tensor.Zeros(0).Std(),
        ["empty.sum_dim"] = () => Tensor.Zeros(0, 3).Sum(0),
        ["empty.prod_dim"] = () => Tensor.Zeros(0, 3).Prod(0),
        ["empty.mean_dim"] = () => Tensor.Zeros(0, 3).Mean(0),
        ["empty.var_dim"] = () => Tensor.Zeros(0, 2).Var(0),
        ["empty.std_dim"] = () => Tensor.Zeros(0, 2).Std(0),
        ["empty.amax_of_nonempty_dim"] = () => Tensor.Zeros(3, 0).Amax(0),
        ["empty.max_dim_values"] = () => Tensor.Zeros(3, 0).Max(0).Values,
        ["empty.sum_keepdim"] = () => Tensor.Zeros(2, 0).Sum(1, keepDim: true),
        ["empty.logsumexp"] = () => Tensor.Zeros(0).LogSumExp(0),
        ["empty.cumsum"] = () => Tensor.Zeros(0).Cumsum(0),
        ["empty.sum_int64"] = () => Tensor.Zeros([0], DType.Int64).Sum(),
        ["empty.var_one_element"] = () => T(1).Var(),
        ["empty.std_one_element_biased"] = () => T(1).Std(unbiased: false),

        // ---- int64 wraps around -------------------------------------------------------------
        ["int64.add_wraps"] = () => L(long.MaxValue) + 1L,
        ["int64.sub_wraps"] = () => L(long.MinValue) - 1L,
        ["int64.mul_wraps"] = () => L(1L << 62, 3037000500) * L(4, 3037000500),
        ["int64.neg_of_min"] = () => -L(long.MinValue),
        ["int64.abs_of_min"] = () => L(long.MinValue).Abs(),
        ["int64.sum_wraps"] = () => L(long.MaxValue, 1).Sum(),
        ["int64.prod_wraps"] = () => L(1L << 32, 1L << 32).Prod(),
        ["int64.cumsum_wraps"] = () => L(long.MaxValue, 1, 1).Cumsum(0),
        ["int64.remainder_negative"] = () => L(-7, 7).Remainder(3L),
        ["int64.fmod_negative"] = () => L(-7, 7).Fmod(3L),

        // ---- more ops at the edges ----------------------------------------------------------
        ["more.median_nan"] = () => T(1, Nan, 3).Median(),
        ["more.median_dim_nan_indices"] = () => Tensor.From(new float[,] { { 1, Nan, 3 }, { 3, 1, 2 } }).Median(1).Indices,
        ["more.argmax_all_nan"] = () => T(Nan, Nan).ArgMax(),
        ["more.max_keepdim_nan"] = () => Tensor.From(new float[,] { { Nan, 1 }, { 2, 3 } }).Max(1, keepDim: true).Values,
        ["more.cumprod_inf_zero"] = () => T(Inf, 0, 2).Cumprod(0),
        ["more.cumsum_nan"] = () => T(1, Nan, 2).Cumsum(0),
        ["more.maximum_signed_zeros"] = () => Tensor.Maximum(T(-0f, 0), T(0, -0f)),
        ["more.hardtanh_nan"] = () => Functional.Hardtanh(T(Nan, -Inf, Inf)),
        ["more.leaky_relu_edges"] = () => T(Nan, -Inf, Inf).LeakyRelu(),
        ["more.elu_edges"] = () => Functional.Elu(T(Nan, -Inf, Inf)),
        ["more.gelu_edges"] = () => Functional.Gelu(T(Nan, -Inf, Inf)),
        ["more.silu_edges"] = () => Functional.Silu(T(-Inf, Inf, -1000)),
        ["more.softplus_large"] = () => T(1000, -1000, 30).Softplus(),
        ["more.sign_edges"] = () => T(-0f, 0, -Inf, Inf).Sign(),
        ["more.sign_nan"] = () => T(Nan, 1, -2).Sign(),
        ["more.nan_to_num"] = () => T(Nan, Inf, -Inf, 1).NanToNum(),
        ["more.round_half_even"] = () => T(0.5f, 1.5f, 2.5f, -0.5f, -2.5f).Round(),
        ["more.floor_ceil_inf"] = () => T(Inf, -Inf, Nan, -0.5f).Floor(),
        ["more.isclose_nan_inf"] = () => T(Nan, Inf, -Inf, 1).IsClose(T(Nan, Inf, Inf, 1)),
        ["more.var_with_inf"] = () => T(1, Inf).Var(),
        ["more.norm_with_inf"] = () => T(Inf, 1).Norm(),
        ["more.logsumexp_nan"] = () => T(Nan, 1).LogSumExp(0),
        ["more.mse_with_inf"] = () => Functional.MseLoss(T(Inf, 1), T(Inf, 1)),
        ["more.cross_entropy_large_logits"] = () => Functional.CrossEntropy(Tensor.From(new float[,] { { 1e4f, 0, -1e4f } }), L(2)),
        ["more.log_softmax_float64_huge"] = () => Tensor.From([1e300, -1e300]).LogSoftmax(0),
        ["more.float32_sum_overflow"] = () => T(3e38f, 3e38f).Sum(),
        ["more.int64_pow_wraps"] = () => L(2, 3).Pow(63L),
        ["more.int64_cumprod_wraps"] = () => L(1L << 32, 1L << 32, 3).Cumprod(0),
        ["more.int64_mean_of_large"] = () => L(long.MaxValue, long.MaxValue).To(DType.Float64).Mean(),
        ["more.int64_to_float32_rounds"] = () => L(long.MaxValue, (1L << 24) + 1).To(DType.Float32),
        ["more.float_to_int64_truncates"] = () => T(-1.7f, 1.7f, -0.5f).To(DType.Int64),

        // ---- NaN bounds: clamp ignores one given alone, fills NaN with two; ClampMin/Max fill NaN
        ["clamp.nan_min_alone"] = () => T(1, -2, Nan, 3).Clamp(min: double.NaN),
        ["clamp.nan_max_alone"] = () => T(1, -2, Nan, 3).Clamp(max: double.NaN),
        ["clamp.nan_min_with_max"] = () => T(1, -2, Nan, 3).Clamp(double.NaN, 2),
        ["clamp.nan_max_with_min"] = () => T(1, -2, Nan, 3).Clamp(0, double.NaN),
        ["clamp.int64_nan_min_alone"] = () => L(1, 2).Clamp(min: double.NaN),
        ["clamp.min_above_max"] = () => T(1, 3, Nan).Clamp(5, 2),
        ["clamp.clamp_min_nan"] = () => T(1, -2, Nan, 3).ClampMin(double.NaN),
        ["clamp.clamp_max_nan"] = () => T(1, -2, Nan, 3).ClampMax(double.NaN),
        ["clamp.clamp_min_of_nan_element"] = () => T(Nan, -1, 1).ClampMin(0),
        ["clamp.clamp_max_int64"] = () => L(1, 5).ClampMax(2.5),
        ["clamp.tensor_min_with_nan"] = () => T(1, -2, Nan, 3).Clamp(T(Nan, 0, 0, Nan), null),
        ["clamp.tensor_max_with_nan"] = () => T(1, -2, Nan, 3).Clamp(null, T(Nan, 0, 0, Nan)),
        ["clamp.tensor_bounds_with_nan"] = () => T(1, -2, Nan, 3).Clamp(T(Nan, 0, 0, Nan), Tensor.From(2f)),

        // ---- gelu's zeros: +0 in float32 (oneDNN's h + h * erf), -0 in float64 (ATen's h * (1 + erf))
        ["gelu.float32_zeros"] = () => Functional.Gelu(T(-1000, -10, -0f, 0, -5, -1e-30f, 1000)),
        ["gelu.float32_vector_and_tail"] = () => Functional.Gelu(Tensor.Full([17], -1000)),
        ["gelu.float64_zeros"] = () => Functional.Gelu(Tensor.From([-1000, -10, -0.0, -5])),

        // ---- integer tensor ** integer tensor with negative exponents: the integer part of 1 / a^-b
        ["pow.int64_negative_exponents"] = () => L(2, 1, -1, -1, 0, 3, -2, 5).Pow(L(-1, -3, -3, -2, -2, -1, -2, 0)),
        ["pow.int64_negative_exponent_extremes"] = () => L(-1, -1, 1, long.MinValue).Pow(L(long.MinValue, long.MinValue + 1, long.MinValue, -1)),
        ["pow.int64_zero_dim_negative_exponent"] = () => L(2, 1, -1).Pow(Tensor.From(-1L)),
        ["pow.bool_base_negative_exponent"] = () => Tensor.From([true, false]).Pow(L(-1, -1)),
        ["pow.float_base_int64_negative_exponent"] = () => T(2, 4).Pow(L(-1, -2)),
    };
}
