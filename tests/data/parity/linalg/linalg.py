"""Generates ops.json here: outer, kron, trace, addmv, baddbmm, einsum, and equal/isclose/allclose.

Run with the Python that has PyTorch 1.13: /usr/bin/python3 tests/data/parity/linalg/linalg.py
"""
import os
import sys

import torch

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from parity_cases import Cases  # noqa: E402

c = Cases(seed=10)
f32, f64, i64 = torch.float32, torch.float64, torch.int64


def r(*shape, dtype=f32):
    return torch.randn(shape, dtype=dtype)


def ints(*shape):
    return torch.randint(-5, 6, shape)


# ---- outer -----------------------------------------------------------------------------------
c.case("outer/float32", "outer", torch.outer, [r(3), r(4)])
c.case("outer/float64", "outer", torch.outer, [r(2, dtype=f64), r(5, dtype=f64)])
c.case("outer/int64", "outer", torch.outer, [ints(3), ints(2)])
c.case("outer/promotes", "outer", torch.outer, [r(3), r(2, dtype=f64)])
c.case("outer/empty", "outer", torch.outer, [r(0), r(3)])
c.error_case("outer/matrix_self", "outer", torch.outer, [r(2, 2), r(3)])
c.error_case("outer/matrix_vec2", "outer", torch.outer, [r(2), r(3, 1)])

# ---- kron ------------------------------------------------------------------------------------
c.case("kron/matrices", "kron", torch.kron, [r(2, 2), r(2, 3)])
c.case("kron/vector_matrix", "kron", torch.kron, [r(3), r(2, 2)])
c.case("kron/3d_vector", "kron", torch.kron, [r(2, 1, 2), r(3)])
c.case("kron/float64", "kron", torch.kron, [r(2, 3, dtype=f64), r(3, 2, dtype=f64)])
c.case("kron/int64", "kron", torch.kron, [ints(2, 2), ints(2)])
c.case("kron/scalar", "kron", torch.kron, [r(), r(2, 2)])

# ---- trace -----------------------------------------------------------------------------------
c.case("trace/square", "trace", torch.trace, [r(4, 4)])
c.case("trace/wide", "trace", torch.trace, [r(3, 5)])
# PyTorch 1.13's trace_backward sets every (cols + 1)-th element of the flattened input, which for
# a tall matrix is not the diagonal: NativeGrad's gradient is the diagonal, so this case checks
# the value only (a float64 gradcheck covers the tall gradient).
c.case("trace/tall_float64", "trace", torch.trace, [r(5, 2, dtype=f64)], grad=[False])
c.case("trace/int64", "trace", torch.trace, [ints(3, 3)])
c.case("trace/transposed", "trace", lambda x: x.t().trace(), [r(3, 4)], {"transpose": True})
c.case("trace/empty", "trace", torch.trace, [r(0, 3)])
c.error_case("trace/3d", "trace", torch.trace, [r(2, 2, 2)])
c.error_case("trace/vector", "trace", torch.trace, [r(3)])

# ---- addmv, baddbmm --------------------------------------------------------------------------
c.case("addmv/basic", "addmv", torch.addmv, [r(3), r(3, 4), r(4)])
c.case("addmv/beta_alpha", "addmv", lambda a, m, v: torch.addmv(a, m, v, beta=0.5, alpha=-2.0), [r(3), r(3, 4), r(4)],
       {"beta": 0.5, "alpha": -2.0})
c.case("addmv/broadcast_input", "addmv", torch.addmv, [r(1), r(3, 2), r(2)])
c.case("addmv/scalar_input_float64", "addmv", torch.addmv, [r(dtype=f64), r(2, 3, dtype=f64), r(3, dtype=f64)])
c.case("addmv/beta_zero_ignores_nan", "addmv", lambda a, m, v: torch.addmv(a, m, v, beta=0.0), [torch.full((3,), float("nan")), r(3, 2), r(2)],
       {"beta": 0.0})
c.case("addmv/transposed_matrix", "addmv", lambda a, m, v: torch.addmv(a, m.t(), v), [r(4), r(3, 4), r(3)], {"transpose": True})
c.error_case("addmv/size_mismatch", "addmv", torch.addmv, [r(3), r(3, 4), r(5)])
c.error_case("addmv/input_size", "addmv", torch.addmv, [r(2), r(3, 4), r(4)])
c.error_case("addmv/matrix_rank", "addmv", torch.addmv, [r(3), r(3), r(3)])

c.case("baddbmm/basic", "baddbmm", torch.baddbmm, [r(2, 3, 5), r(2, 3, 4), r(2, 4, 5)])
c.case("baddbmm/beta_alpha", "baddbmm", lambda a, b1, b2: torch.baddbmm(a, b1, b2, beta=2.0, alpha=0.25),
       [r(2, 3, 5), r(2, 3, 4), r(2, 4, 5)], {"beta": 2.0, "alpha": 0.25})
c.case("baddbmm/broadcast_input", "baddbmm", torch.baddbmm, [r(5), r(2, 3, 4), r(2, 4, 5)])
c.case("baddbmm/broadcast_rows_float64", "baddbmm", torch.baddbmm, [r(3, 1, dtype=f64), r(2, 3, 2, dtype=f64), r(2, 2, 4, dtype=f64)])
c.case("baddbmm/beta_zero", "baddbmm", lambda a, b1, b2: torch.baddbmm(a, b1, b2, beta=0.0), [torch.full((2, 2, 2), float("inf")), r(2, 2, 3), r(2, 3, 2)],
       {"beta": 0.0})
c.error_case("baddbmm/batch_mismatch", "baddbmm", torch.baddbmm, [r(2, 3, 5), r(2, 3, 4), r(3, 4, 5)])
c.error_case("baddbmm/inner_mismatch", "baddbmm", torch.baddbmm, [r(2, 3, 5), r(2, 3, 4), r(2, 3, 5)])
c.error_case("baddbmm/not_3d", "baddbmm", torch.baddbmm, [r(3, 5), r(3, 4), r(4, 5)])
c.error_case("baddbmm/input_shape", "baddbmm", torch.baddbmm, [r(3), r(2, 3, 4), r(2, 4, 5)])
c.error_case("baddbmm/dtype", "baddbmm", torch.baddbmm, [r(2, 3, 5), r(2, 3, 4), r(2, 4, 5, dtype=f64)])

# ---- einsum -------------------------------------------------------------------------------
def einsum(id, equation, *operands, grad=None):
    c.case(f"einsum/{id}", "einsum", lambda *ops: torch.einsum(equation, *ops), list(operands), {"equation": equation}, grad=grad)


def einsum_error(id, equation, *operands):
    c.error_case(f"einsum/{id}", "einsum", lambda *ops: torch.einsum(equation, *ops), list(operands), {"equation": equation})


einsum("matmul", "ij,jk->ik", r(3, 4), r(4, 5))
einsum("matmul_implicit", "ij,jk", r(2, 3), r(3, 2))
einsum("batched", "bij,bjk->bik", r(2, 3, 4), r(2, 4, 5))
einsum("ellipsis_batch", "...ij,...jk", r(2, 3, 4), r(4, 5))
einsum("ellipsis_broadcast", "...ij,...jk->...ik", r(2, 1, 3, 4), r(3, 4, 2))
einsum("transpose", "ij->ji", r(3, 4))
einsum("transpose_implicit", "ba", r(3, 4))
einsum("sum_all", "ij->", r(3, 4))
einsum("sum_rows", "ij->j", r(3, 4, dtype=f64))
einsum("diagonal", "ii->i", r(3, 3))
einsum("trace", "ii", r(4, 4))
einsum("diagonal_3d", "iji->ij", r(3, 2, 3))
einsum("dot", "i,i->", r(5), r(5))
einsum("dot_implicit", "i,i", r(5, dtype=f64), r(5, dtype=f64))
einsum("outer", "i,j->ij", r(3), r(4))
einsum("hadamard", "ij,ij->ij", r(2, 3), r(2, 3))
einsum("hadamard_sum", "ij,ij->", r(2, 3), r(2, 3))
einsum("bilinear", "bn,anm,bm->ba", r(2, 3), r(4, 3, 5), r(2, 5))
einsum("three_matmul", "ij,jk,kl->il", r(2, 3), r(3, 4), r(4, 2))
einsum("broadcast_size_one", "ij,jk->ik", r(3, 1), r(4, 2))
einsum("uppercase", "Ab,bC->AC", r(2, 3), r(3, 2))
einsum("spaces", " i j , j k -> i k ", r(2, 3), r(3, 2))
einsum("attention", "bhqd,bhkd->bhqk", r(2, 2, 3, 4), r(2, 2, 5, 4))
einsum("int64", "ij,jk->ik", ints(2, 3), ints(3, 2))
einsum("empty", "ij,jk->ik", r(0, 3), r(3, 2))
einsum("contract_empty", "ij,jk->ik", r(2, 0), r(0, 3))
einsum("tensordot", "ijk,jkl->il", r(2, 3, 4), r(3, 4, 2))
einsum("batch_diag_sum", "bii->b", r(2, 3, 3))
einsum_error("no_operands_count", "ij,jk->ik", r(2, 3))
einsum_error("too_many", "ij->ij", r(2, 3), r(2, 3))
einsum_error("bad_subscript", "i1,jk->ik", r(2, 3), r(3, 2))
einsum_error("rank", "ijk,jk->ik", r(2, 3), r(3, 2))
einsum_error("rank_ellipsis", "...ijk->ij", r(2, 3))
einsum_error("size", "ij,jk->ik", r(2, 3), r(4, 2))
einsum_error("output_twice", "ij->ii", r(2, 3))
einsum_error("output_unknown", "ij->k", r(2, 3))
einsum_error("repeated_size", "ii->i", r(2, 3))
einsum_error("dot_not_ellipsis", "i.j->ij", r(2, 3))
einsum_error("ellipsis_twice", "......->", r(2, 3))

# ---- equal, isclose, allclose (bool results, shown as tensors) -------------------------------
x = r(6)
near = x + 1e-6 * torch.tensor([0.0, 1.0, 10.0, 100.0, -5.0, 0.5])
special = torch.tensor([1.0, float("nan"), float("inf"), float("-inf"), 0.0, float("inf")])
special_other = torch.tensor([1.0, float("nan"), float("inf"), float("inf"), 1e-9, 1.0])
c.case("isclose/default", "isclose", torch.isclose, [x, near])
c.case("isclose/rtol_atol", "isclose", lambda a, b: torch.isclose(a, b, rtol=1e-3, atol=1e-4), [x, x + 1e-3 * r(6)],
       {"rtol": 1e-3, "atol": 1e-4})
c.case("isclose/special", "isclose", torch.isclose, [special, special_other])
c.case("isclose/equal_nan", "isclose", lambda a, b: torch.isclose(a, b, equal_nan=True), [special, special_other], {"equal_nan": True})
c.case("isclose/exact", "isclose", lambda a, b: torch.isclose(a, b, rtol=0.0, atol=0.0), [special, special_other], {"rtol": 0.0, "atol": 0.0})
c.case("isclose/broadcast_float64", "isclose", torch.isclose, [r(3, 1, dtype=f64), r(4, dtype=f64)])
c.case("isclose/int64", "isclose", lambda a, b: torch.isclose(a, b, rtol=0.0, atol=1.0), [ints(8), ints(8)], {"rtol": 0.0, "atol": 1.0})
c.case("isclose/bool", "isclose", torch.isclose, [torch.tensor([True, False, True]), torch.tensor([True, True, False])])
c.error_case("isclose/dtype", "isclose", torch.isclose, [r(3), ints(3)])
c.error_case("isclose/negative_rtol", "isclose", lambda a, b: torch.isclose(a, b, rtol=-1.0), [r(3), r(3)], {"rtol": -1.0})
c.error_case("isclose/negative_atol", "isclose", lambda a, b: torch.isclose(a, b, atol=-0.5), [r(3), r(3)], {"atol": -0.5})
c.error_case("isclose/shapes", "isclose", torch.isclose, [r(2), r(3)])

c.case("allclose/true", "allclose", lambda a, b: torch.tensor(torch.allclose(a, b)), [x, near])
c.case("allclose/false", "allclose", lambda a, b: torch.tensor(torch.allclose(a, b)), [x, x + 1e-3])
c.case("allclose/nan", "allclose", lambda a, b: torch.tensor(torch.allclose(a, b)), [special, special])
c.case("allclose/equal_nan", "allclose", lambda a, b: torch.tensor(torch.allclose(a, b, equal_nan=True)), [special, special], {"equal_nan": True})
c.error_case("allclose/dtype", "allclose", lambda a, b: torch.tensor(torch.allclose(a, b)), [r(3), r(3, dtype=f64)])

c.case("equal/same", "equal", lambda a, b: torch.tensor(torch.equal(a, b)), [x, x.clone()])
c.case("equal/promoted", "equal", lambda a, b: torch.tensor(torch.equal(a, b)), [torch.tensor([1.0, 2.0]), torch.tensor([1, 2])])
c.case("equal/shape", "equal", lambda a, b: torch.tensor(torch.equal(a, b)), [r(2), r(1, 2)])
c.case("equal/nan", "equal", lambda a, b: torch.tensor(torch.equal(a, b)), [special, special])

c.write(__file__)
