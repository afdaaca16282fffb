"""Generates repr-extra.json: more tensors and the exact repr PyTorch 1.13 prints for them.

Run with the Python that has PyTorch 1.13 (Debian's python3-torch):
    /usr/bin/python3 tests/data/repr-extra.py
The file has the layout of conformance/repr.json, plus an optional "grad_fn" for non-leaf tensors
(their repr ends with grad_fn=<...> instead of requires_grad=True). float32 data are written as the
shortest decimal that reads back as the same float32 value, to keep the file small.
"""
import json
import math
import os

import numpy as np
import torch

assert torch.__version__.startswith("1.13"), torch.__version__
torch.manual_seed(1234)

DTYPE_NAMES = {torch.float32: "float32", torch.float64: "float64", torch.int64: "int64", torch.bool: "bool"}
cases = []


def short_float32(value):
    """The shortest decimal that parses back (directly, or via a double) to this float32."""
    if not math.isfinite(value):
        return value
    text = repr(np.float32(value))  # numpy's shortest round-trip repr for float32
    shortest = float(text)
    assert np.float32(shortest) == np.float32(value) and math.copysign(1, shortest) == math.copysign(1, value)
    return shortest


def repr_with(t, print_options):
    """repr(t) under torch.set_printoptions(**print_options), then back to the default profile."""
    if print_options is None:
        return repr(t)
    torch.set_printoptions(**print_options)
    try:
        return repr(t)
    finally:
        torch.set_printoptions(profile="default")  # also resets sci_mode to None


def rounded_randn(*shape):
    """Random values with two decimals, whose float32 data stay short in the file."""
    return torch.round(torch.randn(*shape) * 100) / 100


def add(case_id, t, grad_fn=None, print_options=None):
    assert t.dtype in DTYPE_NAMES, t.dtype
    assert not any(c["id"] == case_id for c in cases), case_id
    values = t.detach().reshape(-1).tolist()
    if t.dtype == torch.float32:
        values = [short_float32(v) for v in values]
    case = {
        "id": case_id,
        "tensor": {
            "dtype": DTYPE_NAMES[t.dtype],
            "shape": list(t.shape),
            "data": values,
            "requires_grad": bool(t.requires_grad and t.grad_fn is None),
        },
        "repr": repr_with(t, print_options),
    }
    if print_options is not None:
        case["print_options"] = print_options
    if t.grad_fn is not None:
        case["grad_fn"] = type(t.grad_fn).__name__
        assert grad_fn is None or grad_fn == case["grad_fn"]
    cases.append(case)


f32, f64, i64 = torch.float32, torch.float64, torch.int64
nan, inf = float("nan"), float("inf")

# --- shapes: 3-D, 4-D, 5-D, size-1 dimensions
add("randn_3d", torch.randn(2, 3, 4))
add("randn_4d", torch.randn(2, 2, 3, 2))
add("randn_5d", torch.randn(2, 1, 2, 1, 2))
add("ones_1x1x1", torch.ones(1, 1, 1))
add("randn_1x5", torch.randn(1, 5))
add("randn_5x1x1", torch.randn(5, 1, 1))
add("arange_4d_int_valued", torch.arange(24.0).reshape(2, 3, 2, 2))
add("randn_3d_requires_grad", torch.randn(2, 2, 2, requires_grad=True))
add("randn_3d_float64", torch.randn(3, 2, 2, dtype=f64))

# --- summarization (threshold 1000, 3 edge items)
add("summarized_3d_int_valued", (torch.arange(1024.0) % 10).reshape(8, 8, 16))
add("summarized_3d_random", rounded_randn(8, 8, 16))
add("summarized_3d_small_first_dim", (torch.arange(1040.0) % 64).reshape(4, 13, 20) / 8)
add("summarized_4d", ((torch.arange(1120) % 19) - 9).to(f32).reshape(7, 2, 2, 40))
add("summarized_2d_wide_rows", rounded_randn(2, 501))
add("summarized_1d_random", rounded_randn(1001))
add("summarized_1d_float64", (torch.arange(1001, dtype=f64) % 20) * 0.5 - 5)
hidden = torch.ones(1001)
hidden[500] = 1e10  # not shown, so it must not switch the formatter to scientific mode
add("summarized_hidden_outlier_1d", hidden)
hidden2d = torch.ones(32, 32)
hidden2d[16, 16] = 0.5  # not shown, so the shown values stay integer-valued
add("summarized_hidden_outlier_2d", hidden2d)
shown_outlier = torch.ones(1001)
shown_outlier[1] = 1e10
add("summarized_shown_outlier", shown_outlier)
add("not_summarized_1000", ((torch.arange(1000) % 13) - 6).reshape(10, 100))
add("summarized_1d_requires_grad", (torch.arange(1001.0) % 10).requires_grad_())

# --- wide rows that wrap
add("wrap_1d_50", torch.randn(50))
add("wrap_2d", torch.randn(3, 25))
add("wrap_3d", torch.randn(2, 2, 15))
add("wrap_4d", torch.randn(2, 1, 2, 30))
add("wrap_sci", torch.randn(40) * 1e5)
add("wrap_int_valued", torch.arange(-20.0, 20.0) * 1000)
add("wrap_float64_requires_grad", torch.randn(30, dtype=f64, requires_grad=True))
add("wrap_exact_fit_8", torch.full((16,), -1.25))  # width 7 + 2: exactly 8 a line at indent 7

# --- negative numbers and modes
add("negative_fixed", torch.tensor([-1.5, -0.25, 3.0, -100.125]))
add("negative_int_valued", torch.tensor([-1.0, -20.0, 300.0]))
add("negative_sci", torch.tensor([-1e-5, 1e3, -2.5]))
add("sci_ratio_over_1000", torch.tensor([1.0, 1000.5]))
add("ratio_exactly_1000", torch.tensor([0.5, 500.0, 1.5]))
add("int_mode_ratio_over_1000", torch.tensor([1.0, 1001.0]))
add("int_mode_1e8", torch.tensor([100000000.0, 2.0e5], dtype=f64))
add("int_mode_over_1e8", torch.tensor([100000002.0, 2.0e5], dtype=f64))
add("min_just_below_1e-4", torch.tensor([0.0000999, 0.05], dtype=f64))
add("min_1e-4", torch.tensor([0.0001, 0.05], dtype=f64))
add("zeros_only", torch.zeros(3))
add("zeros_2d", torch.zeros(2, 2))
add("zeros_with_negative_zero", torch.tensor([0.0, -0.0, 0.0]))
add("negative_zero_with_fraction", torch.tensor([-0.0, 0.5]))
add("negative_zero_with_int", torch.tensor([-0.0, 3.0]))
add("negative_zero_sci", torch.tensor([-0.0, 1e-5]))
add("small_rounds_to_zero", torch.tensor([-0.00004, 0.5, 1.0], dtype=f64))

# --- nan and inf
add("nan_inf_int_valued", torch.tensor([nan, 1.0, -inf, 2.0]))
add("nan_inf_only", torch.tensor([nan, inf, -inf]))
add("nan_only", torch.tensor([nan, nan]))
add("inf_zero", torch.tensor([inf, 0.0, -inf]))
add("nan_inf_sci", torch.tensor([1e9, inf, nan, 1.0]))
add("nan_inf_sci_fraction", torch.tensor([1e-7, -inf, nan]))
add("nan_inf_fixed", torch.tensor([0.5, inf, nan, -1.25]))
add("nan_inf_wide_int", torch.tensor([123456.0, nan, -inf]))
add("nan_2d", torch.tensor([[nan, 1.0], [2.0, inf]]))
add("nan_float64", torch.tensor([nan, 1.5, -inf], dtype=f64))

# --- huge and tiny magnitudes in float64
add("float64_huge_tiny", torch.tensor([1e300, 1e-300], dtype=f64))
add("float64_max", torch.tensor([1.7976931348623157e308, -1.0], dtype=f64))
add("float64_subnormal", torch.tensor([5e-324, 1e-320], dtype=f64))
add("float64_exponent_100", torch.tensor([1e100, 1e99, 9.99995e99], dtype=f64))
add("float64_big_int", torch.tensor([123456789012345.0], dtype=f64))
add("float64_big_int_1d", torch.tensor([99999999.0, 1.0e5], dtype=f64))
add("float32_huge_tiny", torch.tensor([3.0e38, 1.0e-38, 1e-45]))

# --- int64
add("int64_negative", torch.tensor([-5, 12, -300, 4]))
add("int64_2d_negative", torch.tensor([[-1, 2000], [3, -40]]))
add("int64_extremes", torch.tensor([-9223372036854775808, 9223372036854775807, 0]))
add("int64_summarized", torch.arange(-500, 501))
add("int64_summarized_2d", (torch.arange(1024) % 50 - 25).reshape(32, 32))
add("int64_summarized_3d", torch.arange(1001).reshape(11, 7, 13))
add("int64_wrap", torch.arange(-60, 60, 3) * 1000003)
add("int64_3d", torch.arange(-6, 6).reshape(2, 3, 2))
add("int64_zeros", torch.zeros(4, dtype=i64))

# --- bool
add("bool_2d", torch.tensor([[True, False, True], [False, False, True]]))
add("bool_all_true", torch.tensor([True, True]))
add("bool_all_false_2d", torch.tensor([[False], [False]]))
add("bool_3d", torch.randn(2, 2, 3) > 0)
add("bool_summarized", torch.arange(1001) % 3 == 0)
add("bool_wrap", torch.arange(30) % 4 == 1)

# --- scalars of every dtype
add("scalar_true", torch.tensor(True))
add("scalar_false", torch.tensor(False))
add("scalar_int64", torch.tensor(5))
add("scalar_int64_negative", torch.tensor(-7))
add("scalar_float64", torch.tensor(1.5, dtype=f64))
add("scalar_float64_requires_grad", torch.tensor(-2.0, dtype=f64, requires_grad=True))
add("scalar_nan", torch.tensor(nan))
add("scalar_inf", torch.tensor(-inf))
add("scalar_zero", torch.tensor(0.0))
add("scalar_negative_zero", torch.tensor(-0.0))
add("scalar_1e-5", torch.tensor(1e-5))
add("scalar_123456789", torch.tensor(123456789.0))
add("scalar_123456789_float64", torch.tensor(123456789.0, dtype=f64))
add("scalar_99999999_float64", torch.tensor(99999999.0, dtype=f64))
add("scalar_0.00005", torch.tensor(0.00005))
add("scalar_0.00005_float64", torch.tensor(0.00005, dtype=f64))
add("scalar_1.00005", torch.tensor(1.00005))
add("scalar_1.00005_float64", torch.tensor(1.00005, dtype=f64))
add("scalar_2.5e-5", torch.tensor(2.5e-5))
add("scalar_0.0001", torch.tensor(0.0001))
add("scalar_big_fraction", torch.tensor(12345.678))
add("scalar_1e8_fraction", torch.tensor(100000000.5, dtype=f64))

# --- rounding: Python rounds the exact binary value, ties to even
add("tie_fixed", torch.tensor([0.03125, 0.28125, 1.5, -0.09375], dtype=f64))
add("tie_fixed_float32", torch.tensor([0.03125, 0.15625, 2.5]))
add("tie_sci", torch.tensor([1.03125, 1e-5, 2.03125e3], dtype=f64))
add("round_up_to_next_power", torch.tensor([9.99996, 0.5], dtype=f64))
add("round_up_to_next_power_sci", torch.tensor([9.99996e-5, 0.5], dtype=f64))
add("near_ties", torch.tensor([0.00005, 1.00005, 0.12345, 0.99995]))
add("near_ties_float64", torch.tensor([0.00015, 1.00005, 0.12345, 0.99995], dtype=f64))
add("near_ties_fixed", torch.tensor([1.00005, 0.12345, 0.99995, 2.00015, 0.5]))
add("near_ties_fixed_float64", torch.tensor([1.00005, 0.12345, 0.99995, 2.00015, 0.5], dtype=f64))
add("precision_edges", torch.tensor([2.5e-5, 1e-5, 0.00005], dtype=f64))

# --- empty tensors: size= unless (0,), dtype= unless float32
add("empty_int64", torch.tensor([], dtype=i64))
add("empty_bool", torch.zeros(0, dtype=torch.bool))
add("empty_float64_2d", torch.zeros(2, 0, dtype=f64))
add("empty_3d_requires_grad", torch.zeros(0, 3, 2, requires_grad=True))
add("empty_int64_2d", torch.zeros(0, 0, dtype=i64))
add("empty_float64_requires_grad", torch.zeros(0, dtype=f64, requires_grad=True))

# --- non-leaf tensors: grad_fn replaces requires_grad, and suffixes wrap at 80 columns
leaf = torch.randn(5, requires_grad=True)
add("grad_fn_short", leaf * 2)
add("grad_fn_sum", leaf.sum())
add("grad_fn_float64_2d", torch.randn(2, 3, dtype=f64, requires_grad=True).exp())
add("grad_fn_wrapped_row", torch.randn(12, requires_grad=True).tanh())
add("grad_fn_summarized", (torch.arange(1001.0) % 10 / 4).requires_grad_() * 3)
add("grad_fn_empty", torch.zeros(0, 4, requires_grad=True) + 1)
for n in range(1, 11):
    # Row lengths around the 80-column limit, so requires_grad=True and dtype= land on both sides of it.
    add("suffix_fit_%d" % n, torch.randn(n, requires_grad=True))
    add("suffix_fit_float64_%d" % n, torch.randn(n, dtype=f64, requires_grad=True))
    add("suffix_fit_int64_%d" % n, torch.arange(n) * 1000)
add("suffix_fit_grad_fn_sci", (torch.tensor([1e-5, 2.0, 3.0, 4.0, 5.0, 6.0], requires_grad=True) * 1))

# --- non-default print options (torch.set_printoptions); "print_options" holds its arguments
add("options_precision_2", torch.randn(5), print_options={"precision": 2})
add("options_precision_0", torch.tensor([1.5, 2.5, 0.375, -0.5]), print_options={"precision": 0})
add("options_precision_8_float64", torch.tensor([1 / 3, -2 / 3], dtype=f64), print_options={"precision": 8})
add("options_precision_1_sci", torch.tensor([1e-5, 3.25]), print_options={"precision": 1})
add("options_sci_on_fixed", torch.tensor([1.5, -2.25]), print_options={"sci_mode": True})
add("options_sci_on_int_valued", torch.tensor([1.0, 20.0]), print_options={"sci_mode": True})
add("options_sci_on_zeros", torch.zeros(2), print_options={"sci_mode": True})
add("options_sci_off_small", torch.tensor([1e-5, 1.0]), print_options={"sci_mode": False})
add("options_sci_off_large_int", torch.tensor([1e10, 1.0, -inf], dtype=f64), print_options={"sci_mode": False})
add("options_sci_off_int64", torch.tensor([1, 2]), print_options={"sci_mode": False})
add("options_threshold_5_int64", torch.arange(10), print_options={"threshold": 5})
add("options_threshold_5_edge_2", torch.arange(16.0).reshape(4, 4) / 4,
    print_options={"threshold": 5, "edgeitems": 2})
add("options_edge_1_3d", torch.arange(60).reshape(3, 4, 5), print_options={"threshold": 10, "edgeitems": 1})
add("options_linewidth_40", torch.randn(20), print_options={"linewidth": 40})
add("options_linewidth_40_suffix", torch.randn(8, dtype=f64, requires_grad=True), print_options={"linewidth": 40})
add("options_linewidth_10", torch.randn(2, 3), print_options={"linewidth": 10})
add("options_linewidth_200", torch.randn(3, 20), print_options={"linewidth": 200})
add("options_profile_short", torch.randn(3, 3), print_options={"profile": "short"})
add("options_profile_short_summarized", torch.arange(1001), print_options={"profile": "short"})
add("options_profile_full", torch.arange(1001) % 7, print_options={"profile": "full"})

path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "repr-extra.json")
with open(path, "w") as out:
    out.write('{\n"generated_by": "PyTorch %s",\n"cases": [\n' % torch.__version__)
    out.write(",\n".join(json.dumps(c, separators=(",", ":")) for c in cases))
    out.write("\n]\n}\n")
print("%d cases, %d bytes" % (len(cases), os.path.getsize(path)))
