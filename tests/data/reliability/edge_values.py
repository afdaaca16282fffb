"""PyTorch's values at the numerical edges: NaN and infinity propagation, large magnitudes,
reductions over empty tensors, int64 overflow. The twin of each case, under the same id, is in
tests/NativeGrad.Tests/Reliability/EdgeValueCases.cs. For each result this records the dtype, the
shape, the elements (row-major; "nan", "inf" and "-inf" as strings) and the printed form into
edge_values.json beside it. Run with the Python that has PyTorch 1.13:
`/usr/bin/python3 tests/data/reliability/edge_values.py`.
"""
import math
import warnings

import torch
import torch.nn.functional as F

import generated

assert torch.__version__.startswith("1.13"), torch.__version__
warnings.simplefilter("ignore")  # var/std of too few elements warn; the value is the point here

nan, inf = float("nan"), float("inf")
t = torch.tensor
I64_MAX, I64_MIN = 2**63 - 1, -2**63

CASES = {
    # ---- NaN and infinity through comparisons, sorting and clamps ----------------------------
    "nan.max_all": lambda: t([1., nan, 3.]).max(),
    "nan.min_all": lambda: t([1., nan, 3.]).min(),
    "nan.max_dim_values": lambda: t([[1., nan, 3.], [4., 5., 6.]]).max(1).values,
    "nan.max_dim_indices": lambda: t([[1., nan, 3.], [4., 5., 6.]]).max(1).indices,
    "nan.min_dim_indices": lambda: t([[1., nan, -3.], [4., 5., 6.]]).min(1).indices,
    "nan.amax": lambda: t([1., nan, 3.]).amax(),
    "nan.amin_dim": lambda: t([[1., nan], [2., 3.]]).amin(0),
    "nan.argmax": lambda: t([1., nan, 3.]).argmax(),
    "nan.argmin": lambda: t([1., nan, -3.]).argmin(),
    "nan.sort_values": lambda: t([3., nan, 1., -inf, inf, nan]).sort().values,
    "nan.sort_indices": lambda: t([3., nan, 1., -inf, inf]).sort().indices,
    "nan.sort_descending_values": lambda: t([3., nan, 1., -inf, inf]).sort(descending=True).values,
    "nan.topk_values": lambda: t([3., nan, 1., inf]).topk(2).values,
    "nan.topk_indices": lambda: t([3., nan, 1., inf]).topk(2).indices,
    "nan.topk_smallest_values": lambda: t([3., nan, 1., -inf]).topk(2, largest=False).values,
    "nan.maximum": lambda: torch.maximum(t([1., nan, 3., -inf]), t([nan, 2., 1., inf])),
    "nan.minimum": lambda: torch.minimum(t([1., nan, 3., -inf]), t([nan, 2., 1., inf])),
    "nan.clamp": lambda: t([nan, -2., 2., 0.5]).clamp(-1, 1),
    "nan.clamp_infinities": lambda: t([-inf, inf]).clamp(-1, 1),
    "nan.clamp_min_only": lambda: t([nan, -inf, 3.]).clamp(min=0),
    "nan.relu": lambda: t([nan, -inf, inf, -1., 0.]).relu(),
    "nan.sum": lambda: t([1., nan, inf]).sum(),
    "nan.mean_with_inf": lambda: t([1., inf, 2.]).mean(),
    "nan.sum_of_opposite_infinities": lambda: t([inf, -inf]).sum(),

    # ---- softmax family ---------------------------------------------------------------------
    "softmax.nan": lambda: t([1., nan, 2.]).softmax(0),
    "softmax.inf": lambda: t([1., inf, 2.]).softmax(0),
    "softmax.minus_inf": lambda: t([-inf, 0., 1.]).softmax(0),
    "softmax.all_minus_inf": lambda: t([-inf, -inf]).softmax(0),
    "softmax.large": lambda: t([1000., 1001., 1002.]).softmax(0),
    "softmax.large_negative": lambda: t([-1000., -1001., -1002.]).softmax(0),
    "softmax.large_spread_float64": lambda: t([1e300, 0., -1e300], dtype=torch.float64).softmax(0),
    "log_softmax.large": lambda: t([1000., 1001., 1002.]).log_softmax(0),
    "log_softmax.large_spread": lambda: t([-1000., 0.]).log_softmax(0),
    "log_softmax.minus_inf": lambda: t([-inf, 0., 1.]).log_softmax(0),
    "log_softmax.rows": lambda: t([[1e4, 0.], [0., -1e4]]).log_softmax(1),
    "logsumexp.large": lambda: t([1000., 1000.]).logsumexp(0),
    "logsumexp.all_minus_inf": lambda: t([-inf, -inf]).logsumexp(0),
    "logsumexp.inf": lambda: t([inf, 1.]).logsumexp(0),

    # ---- elementwise at the edges -----------------------------------------------------------
    "elementwise.log_of_zero": lambda: t([0., -0., -1., inf]).log(),
    "elementwise.zero_times_inf": lambda: t([0., -0., 1.]) * t([inf, inf, -inf]),
    "elementwise.inf_minus_inf": lambda: t([inf, -inf]) - t([inf, -inf]),
    "elementwise.div_by_zero": lambda: t([1., -1., 0.]) / t([0., 0., 0.]),
    "elementwise.exp_overflow": lambda: t([100., -200., inf, -inf]).exp(),
    "elementwise.sigmoid_large": lambda: t([-1000., 1000., nan]).sigmoid(),
    "elementwise.tanh_large": lambda: t([-1000., 1000., inf]).tanh(),
    "elementwise.sqrt_negative": lambda: t([-1., -0., inf]).sqrt(),
    "elementwise.pow_edges": lambda: t([0., 0., nan, 1.]).pow(t([0., -1., 0., nan])),

    # ---- reductions over nothing ------------------------------------------------------------
    "empty.sum": lambda: torch.zeros(0).sum(),
    "empty.prod": lambda: torch.zeros(0).prod(),
    "empty.mean": lambda: torch.zeros(0).mean(),
    "empty.var": lambda: torch.zeros(0).var(),
    "empty.std": lambda: torch.zeros(0).std(),
    "empty.sum_dim": lambda: torch.zeros(0, 3).sum(0),
    "empty.prod_dim": lambda: torch.zeros(0, 3).prod(0),
    "empty.mean_dim": lambda: torch.zeros(0, 3).mean(0),
    "empty.var_dim": lambda: torch.zeros(0, 2).var(0),
    "empty.std_dim": lambda: torch.zeros(0, 2).std(0),
    "empty.amax_of_nonempty_dim": lambda: torch.zeros(3, 0).amax(0),
    "empty.max_dim_values": lambda: torch.zeros(3, 0).max(0).values,
    "empty.sum_keepdim": lambda: torch.zeros(2, 0).sum(1, keepdim=True),
    "empty.logsumexp": lambda: torch.zeros(0).logsumexp(0),
    "empty.cumsum": lambda: torch.zeros(0).cumsum(0),
    "empty.sum_int64": lambda: torch.zeros(0, dtype=torch.int64).sum(),
    "empty.var_one_element": lambda: t([1.]).var(),
    "empty.std_one_element_biased": lambda: t([1.]).std(unbiased=False),

    # ---- int64 wraps around -----------------------------------------------------------------
    "int64.add_wraps": lambda: t([I64_MAX]) + 1,
    "int64.sub_wraps": lambda: t([I64_MIN]) - 1,
    "int64.mul_wraps": lambda: t([2**62, 3037000500]) * t([4, 3037000500]),
    "int64.neg_of_min": lambda: -t([I64_MIN]),
    "int64.abs_of_min": lambda: t([I64_MIN]).abs(),
    "int64.sum_wraps": lambda: t([I64_MAX, 1]).sum(),
    "int64.prod_wraps": lambda: t([2**32, 2**32]).prod(),
    "int64.cumsum_wraps": lambda: t([I64_MAX, 1, 1]).cumsum(0),
    "int64.remainder_negative": lambda: t([-7, 7]).remainder(3),
    "int64.fmod_negative": lambda: t([-7, 7]).fmod(3),

    # ---- more ops at the edges ----------------------------------------------------------------
    "more.median_nan": lambda: t([1., nan, 3.]).median(),
    "more.median_dim_nan_indices": lambda: t([[1., nan, 3.], [3., 1., 2.]]).median(1).indices,
    "more.argmax_all_nan": lambda: t([nan, nan]).argmax(),
    "more.max_keepdim_nan": lambda: t([[nan, 1.], [2., 3.]]).max(1, keepdim=True).values,
    "more.cumprod_inf_zero": lambda: t([inf, 0., 2.]).cumprod(0),
    "more.cumsum_nan": lambda: t([1., nan, 2.]).cumsum(0),
    "more.maximum_signed_zeros": lambda: torch.maximum(t([-0., 0.]), t([0., -0.])),
    "more.hardtanh_nan": lambda: F.hardtanh(t([nan, -inf, inf])),
    "more.leaky_relu_edges": lambda: F.leaky_relu(t([nan, -inf, inf])),
    "more.elu_edges": lambda: F.elu(t([nan, -inf, inf])),
    "more.gelu_edges": lambda: F.gelu(t([nan, -inf, inf])),
    "more.silu_edges": lambda: F.silu(t([-inf, inf, -1000.])),
    "more.softplus_large": lambda: F.softplus(t([1000., -1000., 30.])),
    "more.sign_edges": lambda: t([-0., 0., -inf, inf]).sign(),
    "more.sign_nan": lambda: t([nan, 1., -2.]).sign(),
    "more.nan_to_num": lambda: t([nan, inf, -inf, 1.]).nan_to_num(),
    "more.round_half_even": lambda: t([0.5, 1.5, 2.5, -0.5, -2.5]).round(),
    "more.floor_ceil_inf": lambda: t([inf, -inf, nan, -0.5]).floor(),
    "more.isclose_nan_inf": lambda: t([nan, inf, -inf, 1.]).isclose(t([nan, inf, inf, 1.])),
    "more.var_with_inf": lambda: t([1., inf]).var(),
    "more.norm_with_inf": lambda: t([inf, 1.]).norm(),
    "more.logsumexp_nan": lambda: t([nan, 1.]).logsumexp(0),
    "more.mse_with_inf": lambda: F.mse_loss(t([inf, 1.]), t([inf, 1.])),
    "more.cross_entropy_large_logits": lambda: F.cross_entropy(t([[1e4, 0., -1e4]]), torch.tensor([2])),
    "more.log_softmax_float64_huge": lambda: t([1e300, -1e300], dtype=torch.float64).log_softmax(0),
    "more.float32_sum_overflow": lambda: t([3e38, 3e38]).sum(),
    "more.int64_pow_wraps": lambda: t([2, 3]).pow(63),
    "more.int64_cumprod_wraps": lambda: t([2**32, 2**32, 3]).cumprod(0),
    "more.int64_mean_of_large": lambda: t([I64_MAX, I64_MAX]).double().mean(),
    "more.int64_to_float32_rounds": lambda: t([I64_MAX, 2**24 + 1]).float(),
    "more.float_to_int64_truncates": lambda: t([-1.7, 1.7, -0.5]).long(),

    # ---- NaN bounds: clamp with one bound ignores a NaN one (std::max(x, nan) is x), with two it
    # fills NaN; clamp_min/clamp_max always fill NaN; tensor bounds propagate NaN elementwise ----
    "clamp.nan_min_alone": lambda: t([1., -2., nan, 3.]).clamp(min=nan),
    "clamp.nan_max_alone": lambda: t([1., -2., nan, 3.]).clamp(max=nan),
    "clamp.nan_min_with_max": lambda: t([1., -2., nan, 3.]).clamp(min=nan, max=2.),
    "clamp.nan_max_with_min": lambda: t([1., -2., nan, 3.]).clamp(min=0., max=nan),
    "clamp.int64_nan_min_alone": lambda: t([1, 2]).clamp(min=nan),
    "clamp.min_above_max": lambda: t([1., 3., nan]).clamp(min=5., max=2.),
    "clamp.clamp_min_nan": lambda: torch.clamp_min(t([1., -2., nan, 3.]), nan),
    "clamp.clamp_max_nan": lambda: torch.clamp_max(t([1., -2., nan, 3.]), nan),
    "clamp.clamp_min_of_nan_element": lambda: torch.clamp_min(t([nan, -1., 1.]), 0.),
    "clamp.clamp_max_int64": lambda: torch.clamp_max(t([1, 5]), 2.5),
    "clamp.tensor_min_with_nan": lambda: t([1., -2., nan, 3.]).clamp(min=t([nan, 0., 0., nan])),
    "clamp.tensor_max_with_nan": lambda: t([1., -2., nan, 3.]).clamp(max=t([nan, 0., 0., nan])),
    "clamp.tensor_bounds_with_nan": lambda: t([1., -2., nan, 3.]).clamp(t([nan, 0., 0., nan]), t(2.)),

    # ---- gelu's zeros: float32 is oneDNN's h + h * erf (h = x / 2), which cancels to +0, for
    # contiguous tensors of 2 or more elements (1 element, or a strided view, runs ATen's
    # h * (1 + erf) and gives -0: left out); float64 always runs ATen's, -0 ------------------------
    "gelu.float32_zeros": lambda: F.gelu(t([-1000., -10., -0., 0., -5., -1e-30, 1000.])),
    "gelu.float32_vector_and_tail": lambda: F.gelu(torch.full((17,), -1000.)),
    "gelu.float64_zeros": lambda: F.gelu(t([-1000., -10., -0., -5.], dtype=torch.float64)),

    # ---- integer tensor ** integer tensor with negative exponents: the integer part of 1 / a^-b
    # (only pow with a Python int exponent raises) ------------------------------------------------
    "pow.int64_negative_exponents": lambda: t([2, 1, -1, -1, 0, 3, -2, 5]) ** t([-1, -3, -3, -2, -2, -1, -2, 0]),
    "pow.int64_negative_exponent_extremes": lambda: t([-1, -1, 1, I64_MIN]) ** t([I64_MIN, I64_MIN + 1, I64_MIN, -1]),
    "pow.int64_zero_dim_negative_exponent": lambda: t([2, 1, -1]) ** t(-1),
    "pow.bool_base_negative_exponent": lambda: t([True, False]) ** t([-1, -1]),
    "pow.float_base_int64_negative_exponent": lambda: t([2., 4.]) ** t([-1, -2]),
}


def element(x):
    if isinstance(x, float) and not math.isfinite(x):
        return "nan" if math.isnan(x) else ("inf" if x > 0 else "-inf")
    return x


def record(fn):
    r = fn()
    return {"dtype": str(r.dtype).replace("torch.", ""), "shape": list(r.shape),
            "values": [element(x) for x in r.flatten().tolist()], "printed": str(r)}


if __name__ == "__main__":
    generated.write(__file__, CASES, record)
