"""Generates ops.json here: rounding, log1p/expm1/log2/log10, rsqrt, square, inverse and hyperbolic
trigonometry, atan2, hypot, fmod and remainder.

Run with the Python that has PyTorch 1.13: /usr/bin/python3 tests/data/parity/elementwise/elementwise.py
"""
import math
import os
import sys

import torch

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from parity_cases import Cases  # noqa: E402

c = Cases(seed=11)
f32, f64, i64 = torch.float32, torch.float64, torch.int64
inf, nan = math.inf, math.nan


def r(*shape, dtype=f32, scale=1.0):
    return torch.randn(shape, dtype=dtype) * scale


def ints(*shape):
    return torch.randint(-5, 6, shape)


def t(values, dtype=f32):
    return torch.tensor(values, dtype=dtype)


bools = torch.tensor([True, False, True])

# ---- rounding: integer inputs stay integers, bool is refused, the gradient is zero ----------------
ties = [-2.5, -1.5, -0.5, 0.5, 1.5, 2.5, -0.0, 0.0, 1.7, -1.7, inf, -inf, nan]
for name in ["floor", "ceil", "round", "trunc"]:
    fn = getattr(torch, name)
    c.case(f"{name}/float32", name, fn, [r(3, 4, scale=3)])
    c.case(f"{name}/float64", name, fn, [r(5, dtype=f64, scale=3)])
    c.case(f"{name}/special", name, fn, [t(ties)])
    c.case(f"{name}/int64", name, fn, [ints(4)])
    c.case(f"{name}/empty", name, fn, [r(0, 3)])
    c.error_case(f"{name}/bool", name, fn, [bools])
c.case("round/decimals2", "round", lambda x: torch.round(x, decimals=2), [r(6, scale=10)], {"decimals": 2})
c.case("round/decimals_negative", "round", lambda x: torch.round(x, decimals=-1), [r(6, dtype=f64, scale=100)], {"decimals": -1})
c.error_case("round/decimals_int64", "round", lambda x: torch.round(x, decimals=1), [ints(3)], {"decimals": 1})

c.case("frac/float32", "frac", torch.frac, [r(3, 4, scale=3)])
c.case("frac/special", "frac", torch.frac, [t(ties)])
c.case("frac/float64", "frac", torch.frac, [r(4, dtype=f64, scale=3)])
c.error_case("frac/int64", "frac", torch.frac, [ints(3)])
c.error_case("frac/bool", "frac", torch.frac, [bools])

c.case("square/float32", "square", torch.square, [r(2, 3)])
c.case("square/float64", "square", torch.square, [r(4, dtype=f64)])
c.case("square/int64", "square", torch.square, [ints(5)])
c.case("square/bool", "square", torch.square, [bools])

c.case("rsqrt/float32", "rsqrt", torch.rsqrt, [r(3, 3).abs() + 0.1])
c.case("rsqrt/float64", "rsqrt", torch.rsqrt, [r(4, dtype=f64).abs() + 0.1])
c.case("rsqrt/special", "rsqrt", torch.rsqrt, [t([0.0, -0.0, -1.0, inf, nan, 4.0])], grad=[False])
c.case("rsqrt/int64", "rsqrt", torch.rsqrt, [torch.tensor([1, 4, 9, 2])])
c.case("rsqrt/bool", "rsqrt", torch.rsqrt, [bools])

# ---- logarithms and exponentials -------------------------------------------------------------------
small = [1e-10, -1e-10, 1e-5, -1e-5, 0.0, -0.0, 1e-30]
c.case("log1p/float32", "log1p", torch.log1p, [r(3, 4).abs()])
c.case("log1p/float64", "log1p", torch.log1p, [r(5, dtype=f64).abs()])
c.case("log1p/small_float32", "log1p", torch.log1p, [t(small)], rtol=1e-6, atol=0)
c.case("log1p/small_float64", "log1p", torch.log1p, [t(small, f64)], rtol=1e-12, atol=0)
c.case("log1p/special", "log1p", torch.log1p, [t([-1.0, -2.0, inf, -inf, nan, 1e30])], grad=[False])
c.case("log1p/int64", "log1p", torch.log1p, [torch.tensor([0, 1, 5, 100])])
c.case("log1p/bool", "log1p", torch.log1p, [bools])
c.case("expm1/float32", "expm1", torch.expm1, [r(3, 4)])
c.case("expm1/float64", "expm1", torch.expm1, [r(5, dtype=f64)])
c.case("expm1/small_float32", "expm1", torch.expm1, [t(small)], rtol=1e-6, atol=0)
c.case("expm1/small_float64", "expm1", torch.expm1, [t(small, f64)], rtol=1e-12, atol=0)
c.case("expm1/special", "expm1", torch.expm1, [t([inf, -inf, nan, 100.0, -100.0, 88.0])], grad=[False])
c.case("expm1/int64", "expm1", torch.expm1, [ints(4)])
for name in ["log2", "log10"]:
    fn = getattr(torch, name)
    c.case(f"{name}/float32", name, fn, [r(3, 4).abs() + 0.01])
    c.case(f"{name}/float64", name, fn, [r(5, dtype=f64).abs() + 0.01])
    c.case(f"{name}/exact", name, fn, [t([1.0, 2.0, 8.0, 10.0, 100.0, 1024.0, 0.5])])
    c.case(f"{name}/special", name, fn, [t([0.0, -0.0, -1.0, inf, nan])], grad=[False])
    c.case(f"{name}/int64", name, fn, [torch.tensor([1, 2, 10, 64])])

# ---- inverse and hyperbolic trigonometry -----------------------------------------------------------
unit = lambda *shape, dtype=f32: torch.rand(shape, dtype=dtype) * 1.8 - 0.9  # noqa: E731
for name, inputs in [("asin", unit), ("acos", unit), ("atan", r), ("sinh", r), ("cosh", r)]:
    fn = getattr(torch, name)
    c.case(f"{name}/float32", name, fn, [inputs(3, 4)])
    c.case(f"{name}/float64", name, fn, [inputs(5, dtype=f64)])
    c.case(f"{name}/int64", name, fn, [torch.tensor([0, 1, -1])])
    c.case(f"{name}/special", name, fn, [t([2.0, -2.0, inf, -inf, nan, 0.0, -0.0, 1.0, -1.0])], grad=[False])
c.case("sinh/large", "sinh", torch.sinh, [t([50.0, -50.0, 89.0, 100.0])], grad=[False])
c.case("cosh/large", "cosh", torch.cosh, [t([50.0, -50.0, 89.0, 100.0])], grad=[False])

# ---- atan2, hypot ----------------------------------------------------------------------------------
c.case("atan2/float32", "atan2", torch.atan2, [r(3, 4), r(3, 4)])
c.case("atan2/broadcast", "atan2", torch.atan2, [r(3, 1), r(4)])
c.case("atan2/float64", "atan2", torch.atan2, [r(5, dtype=f64), r(5, dtype=f64)])
c.case("atan2/quadrants", "atan2", torch.atan2,
       [t([0.0, -0.0, 0.0, -0.0, 1.0, -1.0, inf, -inf, nan, 1.0]), t([0.0, 0.0, -0.0, -0.0, -inf, inf, inf, -inf, 1.0, nan])],
       grad=[False, False])
c.case("atan2/int64", "atan2", torch.atan2, [ints(4), ints(4)])
c.case("atan2/bool", "atan2", torch.atan2, [bools, bools])
c.case("atan2/promotes", "atan2", torch.atan2, [r(3), r(3, dtype=f64)])
c.case("hypot/float32", "hypot", torch.hypot, [r(3, 4), r(3, 4)])
c.case("hypot/broadcast", "hypot", torch.hypot, [r(2, 1, dtype=f64), r(3, dtype=f64)])
c.case("hypot/large", "hypot", torch.hypot, [t([3e38, 1e-30, inf, nan, inf]), t([3e38, 1e-30, nan, inf, 1.0])], grad=[False, False])
c.error_case("hypot/int64", "hypot", torch.hypot, [ints(3), ints(3)])
c.error_case("hypot/bool", "hypot", torch.hypot, [bools, bools])

# ---- fmod and remainder: the sign of a and the sign of b --------------------------------------------
signs_a = t([5.0, -5.0, 5.0, -5.0, 0.0, -0.0, 5.5, inf, 3.0, nan])
signs_b = t([3.0, 3.0, -3.0, -3.0, 2.0, 2.0, 0.0, 2.0, inf, 2.0])
for name in ["fmod", "remainder"]:
    fn = getattr(torch, name)
    c.case(f"{name}/float32", name, fn, [r(3, 4, scale=5), r(3, 4) + 3])
    c.case(f"{name}/float64_broadcast", name, fn, [r(2, 3, dtype=f64, scale=5), r(3, dtype=f64) - 3])
    c.case(f"{name}/signs", name, fn, [signs_a, signs_b], grad=[False, False])
    c.case(f"{name}/int64", name, fn, [torch.tensor([5, -5, 5, -5, 0, 7]), torch.tensor([3, 3, -3, -3, 2, -1])])
    c.case(f"{name}/scalar", name, lambda x: fn(x, 1.5), [r(6, scale=4)], {"divisor": 1.5})
    c.case(f"{name}/int64_scalar", name, lambda x: fn(x, 3), [torch.tensor([5, -5, 7, -7])], {"int_divisor": 3})
    c.case(f"{name}/int64_float_scalar", name, lambda x: fn(x, 2.5), [torch.tensor([5, -5, 7])], {"divisor": 2.5})
    c.error_case(f"{name}/int64_zero", name, fn, [torch.tensor([5, 1]), torch.tensor([0, 1])])
    c.error_case(f"{name}/int64_scalar_zero", name, lambda x: fn(x, 0), [torch.tensor([5, 1])], {"int_divisor": 0})
    c.error_case(f"{name}/bool", name, fn, [bools, bools])
c.case("remainder/operator", "remainder", lambda a, b: a % b, [r(4, scale=5), r(4) + 3])

# ---- NaN and infinity tests, nan_to_num ------------------------------------------------------------
specials = t([1.0, nan, inf, -inf, -0.0, 3e38, -2.0])
for name in ["isnan", "isinf", "isfinite"]:
    fn = getattr(torch, name)
    c.case(f"{name}/float32", name, fn, [specials])
    c.case(f"{name}/float64", name, fn, [t([nan, 1.0, -inf], f64)])
    c.case(f"{name}/int64", name, fn, [ints(3)])
    c.case(f"{name}/bool", name, fn, [bools])
c.case("nan_to_num/default", "nan_to_num", torch.nan_to_num, [specials])
c.case("nan_to_num/float64", "nan_to_num", torch.nan_to_num, [t([nan, inf, -inf, 2.0], f64)])
c.case("nan_to_num/values", "nan_to_num", lambda x: torch.nan_to_num(x, nan=1.5, posinf=2.0, neginf=-3.0), [specials],
       {"nan": 1.5, "posinf": 2.0, "neginf": -3.0})
c.case("nan_to_num/int64", "nan_to_num", torch.nan_to_num, [ints(4)])

# ---- logical ops and the bool operators ~ & | ^ ------------------------------------------------------
bools2 = torch.tensor([True, True, False])
c.case("logical_not/bool", "logical_not", torch.logical_not, [bools])
c.case("logical_not/float", "logical_not", torch.logical_not, [t([0.0, -0.0, 1.0, nan])])
c.case("logical_not/int64", "logical_not", torch.logical_not, [torch.tensor([0, 3, -1])])
for name in ["logical_and", "logical_or", "logical_xor"]:
    fn = getattr(torch, name)
    c.case(f"{name}/bool", name, fn, [bools, bools2])
    c.case(f"{name}/mixed", name, fn, [t([0.0, 1.0, nan, 0.0]), torch.tensor([2, 0, 1, 0])])
    c.case(f"{name}/broadcast", name, fn, [torch.tensor([[True], [False]]), bools])
c.case("invert/bool", "invert", lambda x: ~x, [bools])
c.case("invert/int64", "invert", lambda x: ~x, [torch.tensor([5, 0, -1, -6])])
c.error_case("invert/float", "invert", lambda x: ~x, [r(3)])
for name, op in [("and", lambda a, b: a & b), ("or", lambda a, b: a | b), ("xor", lambda a, b: a ^ b)]:
    c.case(f"bitwise_{name}/bool", f"bitwise_{name}", op, [bools, bools2])
    c.case(f"bitwise_{name}/broadcast", f"bitwise_{name}", op, [torch.tensor([[True], [False]]), bools])
    c.case(f"bitwise_{name}/int64", f"bitwise_{name}", op, [torch.tensor([12, -1, 0, 5, -9223372036854775808]), torch.tensor([10, 7, -1, -6, -1])])
    c.case(f"bitwise_{name}/bool_int64", f"bitwise_{name}", op, [bools, torch.tensor([2, 3, 1])])
    c.case(f"bitwise_{name}/int64_scalar", f"bitwise_{name}", lambda x, op=op: op(x, 6), [torch.tensor([12, -1, 0, 5])], {"int_operand": 6})
    c.error_case(f"bitwise_{name}/float", f"bitwise_{name}", op, [r(3), r(3)])
    c.error_case(f"bitwise_{name}/float_bool", f"bitwise_{name}", op, [r(3), bools])

# ---- clamp with tensor bounds ---------------------------------------------------------------------------
c.case("clamp_tensor/both", "clamp_tensor", torch.clamp, [r(3, 4), r(4) - 0.5, r(4) + 0.5])
c.case("clamp_tensor/min", "clamp_tensor", lambda x, lo: torch.clamp(x, lo, None), [r(3, 4), r(3, 1)], {"bounds": "min"})
c.case("clamp_tensor/max", "clamp_tensor", lambda x, hi: torch.clamp(x, None, hi), [r(3, 4, dtype=f64), r(4, dtype=f64)], {"bounds": "max"})
c.case("clamp_tensor/min_above_max", "clamp_tensor", torch.clamp, [r(5), t([1.0] * 5), t([-1.0] * 5)])
c.case("clamp_tensor/nan", "clamp_tensor", torch.clamp, [t([nan, 0.5, 2.0]), t([0.0, nan, 0.0]), t([1.0, 1.0, nan])], grad=[False] * 3)
c.case("clamp_tensor/int64", "clamp_tensor", torch.clamp, [ints(5), torch.tensor(-2), torch.tensor(2)])
c.case("clamp_tensor/promotes", "clamp_tensor", lambda x, lo: torch.clamp(x, lo, None), [torch.tensor([1, 5, 9]), torch.tensor(2.5)],
       {"bounds": "min"})
c.error_case("clamp_tensor/none", "clamp_tensor", lambda x: torch.clamp(x), [r(3)], {"bounds": "none"})

# ---- lerp --------------------------------------------------------------------------------------------------
c.case("lerp/scalar", "lerp", lambda a, b: torch.lerp(a, b, 0.3), [r(3, 4), r(3, 4)], {"weight": 0.3})
c.case("lerp/scalar_high", "lerp", lambda a, b: torch.lerp(a, b, 0.75), [r(4, dtype=f64), r(4, dtype=f64)], {"weight": 0.75})
c.case("lerp/scalar_one", "lerp", lambda a, b: torch.lerp(a, b, 1.0), [r(4), r(4)], {"weight": 1.0})
c.case("lerp/tensor", "lerp", torch.lerp, [r(3, 4), r(4), torch.rand(3, 1) * 1.6 - 0.3])
c.error_case("lerp/end_dtype", "lerp", lambda a, b: torch.lerp(a, b, 0.5), [r(3), r(3, dtype=f64)], {"weight": 0.5})
c.error_case("lerp/weight_dtype", "lerp", torch.lerp, [r(3), r(3), r(3, dtype=f64)])
c.error_case("lerp/int64", "lerp", lambda a, b: torch.lerp(a, b, 0.5), [ints(3), ints(3)], {"weight": 0.5})
c.error_case("lerp/int64_tensor", "lerp", torch.lerp, [ints(3), ints(3), ints(3)])
c.case("lerp/method", "lerp", lambda a, b: a.lerp(b, 0.6), [r(2, 3), r(3)], {"weight": 0.6})

# ---- addcmul, addcdiv --------------------------------------------------------------------------------------
c.case("addcmul/default", "addcmul", torch.addcmul, [r(3, 4), r(3, 4), r(4)])
c.case("addcmul/value", "addcmul", lambda a, b, d: torch.addcmul(a, b, d, value=-0.5), [r(3, 1, dtype=f64), r(4, dtype=f64), r(3, 4, dtype=f64)],
       {"value": -0.5})
c.case("addcmul/int64", "addcmul", lambda a, b, d: torch.addcmul(a, b, d, value=2), [ints(3), ints(3), ints(3)], {"value": 2})
c.case("addcdiv/default", "addcdiv", torch.addcdiv, [r(3, 4), r(3, 4), r(4).abs() + 0.5])
c.case("addcdiv/value", "addcdiv", lambda a, b, d: torch.addcdiv(a, b, d, value=0.25), [r(4, dtype=f64), r(2, 4, dtype=f64), r(4, dtype=f64) + 3],
       {"value": 0.25})
c.error_case("addcdiv/int64", "addcdiv", torch.addcdiv, [ints(3), ints(3), torch.tensor([1, 2, 3])])

c.write(__file__)
