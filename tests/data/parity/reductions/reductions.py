"""PyTorch's reductions, scans, sorting and selection (issue 10): prod, cumsum, cumprod, std,
amax/amin, argmax/argmin, sort, argsort, topk and median, with their dtypes, NaN handling,
empty tensors, gradients and error messages. Writes ops.json beside this file (see ../parity_cases.py).

Stable sorts and median's position are given ties on purpose. So, at the end, are the default
(unstable) sort, argsort and topk, and topk(sorted=False): PyTorch leaves those orders
unspecified, but its CPU kernels run libstdc++'s std::sort, std::partial_sort and
std::nth_element, which are deterministic, and NativeGrad runs the same algorithms.
"""
import os
import sys

import torch

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from parity_cases import Cases, encode  # noqa: E402

# A dtype argument goes into the attributes as an empty tensor of that dtype (the C# side reads its DType).
DTYPE = {name: encode(torch.empty(0, dtype=t)) for name, t in
         {"float32": torch.float32, "float64": torch.float64, "int64": torch.int64, "bool": torch.bool}.items()}
NAN = float("nan")
NO_GRAD = [False]
INF = float("inf")

c = Cases(seed=10)
randn = torch.randn
ints = torch.tensor([[3, -1, 4], [1, -5, 9], [2, 6, -5]])
bools = torch.tensor([[True, False, True], [True, True, True]])
with_nan = torch.tensor([[1.0, NAN, 3.0, -2.0], [0.5, 2.0, NAN, NAN], [4.0, -INF, INF, 0.0]])

# ---- prod ----------------------------------------------------------------------------------------
c.case("prod_all", "prod", lambda x: x.prod(), [randn(2, 3)])
c.case("prod_all_float64", "prod", lambda x: x.prod(), [randn(3, 2, dtype=torch.float64)])
c.case("prod_scalar", "prod", lambda x: x.prod(), [torch.tensor(1.5)])
c.case("prod_empty", "prod", lambda x: x.prod(), [torch.zeros(0)])
c.case("prod_one_zero", "prod", lambda x: x.prod(), [torch.tensor([[2.0, 0.0], [-1.5, 3.0]])])
c.case("prod_two_zeros", "prod", lambda x: x.prod(), [torch.tensor([[2.0, 0.0], [0.0, 3.0]])])
c.case("prod_int", "prod", lambda x: x.prod(), [ints])
c.case("prod_bool", "prod", lambda x: x.prod(), [bools])
c.case("prod_dtype_float64", "prod", lambda x: x.prod(dtype=torch.float64), [randn(4)], {"dtype": DTYPE["float64"]})
c.case("prod_dtype_int64", "prod", lambda x: x.prod(dtype=torch.int64), [torch.tensor([1.5, 2.7, -3.2])], {"dtype": DTYPE["int64"]}, grad=NO_GRAD)
for dim in (0, 1, -1):
    for keepdim in (False, True):
        c.case(f"prod_dim{dim}_keep{keepdim}", "prod", lambda x, d=dim, k=keepdim: x.prod(d, keepdim=k),
               [randn(3, 4)], {"dim": dim, "keepdim": keepdim})
c.case("prod_dim_zeros", "prod", lambda x: x.prod(1),
       [torch.tensor([[1.0, 0.0, 2.0], [0.0, 3.0, 0.0], [1.5, -2.0, 0.5]])], {"dim": 1})
c.case("prod_dim_1d", "prod", lambda x: x.prod(0), [randn(5)], {"dim": 0})
c.case("prod_dim_3d", "prod", lambda x: x.prod(1, keepdim=True), [randn(2, 3, 2)], {"dim": 1, "keepdim": True})
c.case("prod_dim_int", "prod", lambda x: x.prod(0), [ints], {"dim": 0})
c.case("prod_dim_empty", "prod", lambda x: x.prod(1), [torch.zeros(2, 0)], {"dim": 1})
c.case("prod_dim_scalar", "prod", lambda x: x.prod(0), [torch.tensor(2.5)], {"dim": 0})
c.case("prod_transposed", "prod", lambda x: x.t().prod(1), [randn(3, 2)], {"dim": 1, "transpose": True})
c.error_case("prod_dim_out_of_range", "prod", lambda x: x.prod(2), [randn(3)], {"dim": 2})

# ---- cumsum and cumprod ----------------------------------------------------------------------------
for op in ("cumsum", "cumprod"):
    f = getattr(torch, op)
    for dim in (0, 1, -1):
        c.case(f"{op}_dim{dim}", op, lambda x, d=dim, f=f: f(x, d), [randn(3, 4)], {"dim": dim})
    c.case(f"{op}_3d", op, lambda x, f=f: f(x, 1), [randn(2, 3, 2)], {"dim": 1})
    c.case(f"{op}_float64", op, lambda x, f=f: f(x, 0), [randn(5, dtype=torch.float64)], {"dim": 0})
    c.case(f"{op}_int", op, lambda x, f=f: f(x, 1), [ints], {"dim": 1})
    c.case(f"{op}_bool", op, lambda x, f=f: f(x, 1), [bools], {"dim": 1})
    c.case(f"{op}_dtype_float64", op, lambda x, f=f: f(x, 0, dtype=torch.float64), [randn(4)], {"dim": 0, "dtype": DTYPE["float64"]})
    c.case(f"{op}_int_to_float32", op, lambda x, f=f: f(x, 0, dtype=torch.float32), [ints], {"dim": 0, "dtype": DTYPE["float32"]})
    c.case(f"{op}_scalar", op, lambda x, f=f: f(x, 0), [torch.tensor(-1.5)], {"dim": 0})
    c.case(f"{op}_empty", op, lambda x, f=f: f(x, 0), [torch.zeros(0, 3)], {"dim": 0})
    c.case(f"{op}_transposed", op, lambda x, f=f: f(x.t(), 1), [randn(4, 3)], {"dim": 1, "transpose": True})
    c.case(f"{op}_nan", op, lambda x, f=f: f(x, 1), [with_nan], {"dim": 1}, grad=NO_GRAD)
    c.error_case(f"{op}_dtype_bool", op, lambda x, f=f: f(x, 0, dtype=torch.bool), [ints], {"dim": 0, "dtype": DTYPE["bool"]})
    c.error_case(f"{op}_dim_out_of_range", op, lambda x, f=f: f(x, 2), [randn(2, 2)], {"dim": 2})
# float32 running sums accumulate in double in PyTorch's CPU kernel: long sequences show it.
c.case("cumsum_long", "cumsum", lambda x: x.cumsum(0), [randn(3000)], {"dim": 0}, rtol=0, atol=0)
c.case("cumprod_long", "cumprod", lambda x: x.cumprod(0), [torch.rand(500) * 0.2 + 0.9], {"dim": 0}, rtol=0, atol=0)
c.case("cumprod_one_zero", "cumprod", lambda x: x.cumprod(1),
       [torch.tensor([[2.0, 0.0, 3.0, -1.0], [1.5, 2.0, -0.5, 0.0]])], {"dim": 1})
c.case("cumprod_two_zeros", "cumprod", lambda x: x.cumprod(0),
       [torch.tensor([[0.0, 2.0], [3.0, 0.0], [0.0, 1.5], [2.0, -1.0]])], {"dim": 0})

# ---- std -------------------------------------------------------------------------------------------
c.case("std_all", "std", lambda x: x.std(), [randn(3, 4)])
c.case("std_all_biased", "std", lambda x: x.std(unbiased=False), [randn(3, 4)], {"unbiased": False})
c.case("std_float64", "std", lambda x: x.std(), [randn(6, dtype=torch.float64)])
for dim in (0, 1, [0, 1], [-1]):
    for keepdim in (False, True):
        c.case(f"std_dim{dim}_keep{keepdim}".replace(" ", ""), "std", lambda x, d=dim, k=keepdim: x.std(d, keepdim=k),
               [randn(3, 4)], {"dim": dim, "keepdim": keepdim})
c.case("std_dim_biased", "std", lambda x: x.std(1, unbiased=False), [randn(2, 5)], {"dim": 1, "unbiased": False})
c.case("std_one_element", "std", lambda x: x.std(), [torch.tensor([2.0])], grad=NO_GRAD)  # torch 1.13 fails its backward
c.case("std_constant", "std", lambda x: x.std(0), [torch.tensor([[2.0, 1.0], [2.0, 3.0]])], {"dim": 0})
c.case("std_empty", "std", lambda x: x.std(), [torch.zeros(0)], grad=NO_GRAD)
c.case("std_large_offset", "std", lambda x: x.std(), [randn(1000) + 1000.0])
c.error_case("std_int", "std", lambda x: x.std(), [ints])
c.error_case("std_repeated_dim", "std", lambda x: x.std([0, -2]), [randn(2, 3)], {"dim": [0, -2]})

# ---- amax and amin -----------------------------------------------------------------------------------
for op in ("amax", "amin"):
    f = getattr(torch, op)
    c.case(f"{op}_all", op, lambda x, f=f: f(x), [randn(3, 4)])
    c.case(f"{op}_all_keepdim", op, lambda x, f=f: f(x, (), keepdim=True), [randn(2, 3)], {"dim": [], "keepdim": True})
    for dim in (0, -1, [0, 2], [2, 0]):
        for keepdim in (False, True):
            c.case(f"{op}_dim{dim}_keep{keepdim}".replace(" ", ""), op, lambda x, d=dim, k=keepdim, f=f: f(x, d, keepdim=k),
                   [randn(2, 3, 4)], {"dim": dim, "keepdim": keepdim})
    # Ties share the gradient evenly.
    c.case(f"{op}_ties", op, lambda x, f=f: f(x, 1), [torch.tensor([[1.0, 2.0, 2.0], [-1.0, -1.0, -1.0], [3.0, 0.0, 3.0]])], {"dim": 1})
    c.case(f"{op}_ties_all", op, lambda x, f=f: f(x), [torch.tensor([[1.0, 1.0], [1.0, 0.5]])])
    c.case(f"{op}_nan", op, lambda x, f=f: f(x, 1), [with_nan], {"dim": 1}, grad=NO_GRAD)
    c.case(f"{op}_int", op, lambda x, f=f: f(x, 0), [ints], {"dim": 0})
    c.case(f"{op}_bool", op, lambda x, f=f: f(x, 1), [bools], {"dim": 1})
    c.case(f"{op}_scalar", op, lambda x, f=f: f(x), [torch.tensor(4.0)])
    c.case(f"{op}_empty_kept_dim", op, lambda x, f=f: f(x, 0), [torch.zeros(2, 0)], {"dim": 0})
    c.error_case(f"{op}_empty_all", op, lambda x, f=f: f(x), [torch.zeros(0)])
    c.error_case(f"{op}_empty_dim", op, lambda x, f=f: f(x, 1), [torch.zeros(2, 0)], {"dim": 1})
    c.error_case(f"{op}_empty_dims_order", op, lambda x, f=f: f(x, (2, 1)), [torch.zeros(3, 0, 0)], {"dim": [2, 1]})
    c.error_case(f"{op}_repeated_dim", op, lambda x, f=f: f(x, (0, 0)), [randn(2, 3)], {"dim": [0, 0]})

# max(dim) and min(dim) (the conformance files' "max" op) check an empty dimension the same way.
c.error_case("max_dim_empty", "max", lambda x: x.max(1).values, [torch.zeros(2, 0)], {"dim": 1})
c.case("max_dim_empty_kept_dim", "max", lambda x: x.max(0).values, [torch.zeros(2, 0)], {"dim": 0})

# ---- argmax and argmin ---------------------------------------------------------------------------------
# Their int64 results have no gradient (NO_GRAD: the float inputs do not require grad).
for op in ("argmax", "argmin"):
    f = getattr(torch, op)
    c.case(f"{op}_all", op, lambda x, f=f: f(x), [randn(3, 4)], grad=NO_GRAD)
    c.case(f"{op}_all_transposed", op, lambda x, f=f: f(x.t()), [randn(3, 4)], {"transpose": True}, grad=NO_GRAD)
    for dim in (0, 1, -1):
        for keepdim in (False, True):
            c.case(f"{op}_dim{dim}_keep{keepdim}", op, lambda x, d=dim, k=keepdim, f=f: f(x, d, keepdim=k),
                   [randn(3, 4)], {"dim": dim, "keepdim": keepdim}, grad=NO_GRAD)
    c.case(f"{op}_ties_first", op, lambda x, f=f: f(x, 1), [torch.tensor([[2.0, 5.0, 5.0, 2.0], [1.0, 1.0, 1.0, 1.0]])], {"dim": 1}, grad=NO_GRAD)
    c.case(f"{op}_nan_first", op, lambda x, f=f: f(x, 1), [with_nan], {"dim": 1}, grad=NO_GRAD)
    c.case(f"{op}_nan_all", op, lambda x, f=f: f(x), [with_nan], grad=NO_GRAD)
    c.case(f"{op}_int", op, lambda x, f=f: f(x, 0), [ints], {"dim": 0}, grad=NO_GRAD)
    c.case(f"{op}_scalar", op, lambda x, f=f: f(x, 0), [torch.tensor(3.0)], {"dim": 0}, grad=NO_GRAD)
    c.case(f"{op}_empty_kept_dim", op, lambda x, f=f: f(x, 0), [torch.zeros(2, 0)], {"dim": 0}, grad=NO_GRAD)
    c.error_case(f"{op}_empty_all", op, lambda x, f=f: f(x), [torch.zeros(0)])
    c.error_case(f"{op}_empty_dim", op, lambda x, f=f: f(x, 1), [torch.zeros(2, 0)], {"dim": 1})
    c.error_case(f"{op}_bool", op, lambda x, f=f: f(x), [bools])
    c.error_case(f"{op}_dim_out_of_range", op, lambda x, f=f: f(x, 2), [randn(2, 2)], {"dim": 2})


# ---- sort and argsort ----------------------------------------------------------------------------------
# sort_values / sort_indices are the two halves of torch.sort's result.
for half in ("values", "indices"):
    op = f"sort_{half}"
    pick = (lambda r: r.values) if half == "values" else (lambda r: r.indices)
    g = None if half == "values" else NO_GRAD
    for dim in (0, 1, -1):
        for descending in (False, True):
            c.case(f"{op}_dim{dim}_desc{descending}", op, lambda x, d=dim, s=descending, p=pick: p(x.sort(d, descending=s)),
                   [randn(3, 4)], {"dim": dim, "descending": descending}, grad=g)
    c.case(f"{op}_default", op, lambda x, p=pick: p(x.sort()), [randn(2, 3, 4)], grad=g)
    c.case(f"{op}_3d_middle", op, lambda x, p=pick: p(x.sort(1)), [randn(2, 5, 3)], {"dim": 1}, grad=g)
    c.case(f"{op}_nan", op, lambda x, p=pick: p(x.sort(1)), [with_nan], {"dim": 1}, grad=g)
    c.case(f"{op}_nan_descending", op, lambda x, p=pick: p(x.sort(1, descending=True)), [with_nan], {"dim": 1, "descending": True}, grad=g)
    ties = torch.tensor([[3.0, 1.0, 3.0, 1.0, 2.0, 3.0], [0.0, 0.0, -0.0, 1.0, 0.0, -1.0]])
    c.case(f"{op}_stable_ties", op, lambda x, p=pick: p(x.sort(stable=True, dim=1)), [ties], {"dim": 1, "stable": True}, grad=g)
    c.case(f"{op}_stable_ties_descending", op, lambda x, p=pick: p(x.sort(stable=True, dim=1, descending=True)),
           [ties], {"dim": 1, "stable": True, "descending": True}, grad=g)
    c.case(f"{op}_int", op, lambda x, p=pick: p(x.sort(stable=True, dim=0)), [ints], {"dim": 0, "stable": True})
    c.case(f"{op}_bool", op, lambda x, p=pick: p(x.sort(stable=True, dim=1)), [bools], {"dim": 1, "stable": True})
    c.case(f"{op}_scalar", op, lambda x, p=pick: p(x.sort()), [torch.tensor(2.0)], grad=g)
    c.case(f"{op}_empty", op, lambda x, p=pick: p(x.sort(1)), [torch.zeros(2, 0)], {"dim": 1}, grad=g)
    c.case(f"{op}_transposed", op, lambda x, p=pick: p(x.t().sort(1)), [randn(4, 3)], {"dim": 1, "transpose": True}, grad=g)
c.error_case("sort_dim_out_of_range", "sort_values", lambda x: x.sort(1), [randn(3)], {"dim": 1})
c.case("argsort_default", "argsort", lambda x: x.argsort(), [randn(3, 4)], grad=NO_GRAD)
c.case("argsort_dim0_descending", "argsort", lambda x: x.argsort(0, descending=True), [randn(3, 4)],
       {"dim": 0, "descending": True}, grad=NO_GRAD)
c.case("argsort_nan", "argsort", lambda x: x.argsort(1), [with_nan], {"dim": 1}, grad=NO_GRAD)

# ---- topk --------------------------------------------------------------------------------------------
for half in ("values", "indices"):
    op = f"topk_{half}"
    pick = (lambda r: r.values) if half == "values" else (lambda r: r.indices)
    g = None if half == "values" else NO_GRAD
    for k in (1, 3):
        for largest in (True, False):
            c.case(f"{op}_k{k}_largest{largest}", op, lambda x, k=k, l=largest, p=pick: p(x.topk(k, largest=l)),
                   [randn(3, 5)], {"k": k, "largest": largest}, grad=g)
    c.case(f"{op}_dim0", op, lambda x, p=pick: p(x.topk(2, dim=0)), [randn(4, 3)], {"k": 2, "dim": 0}, grad=g)
    c.case(f"{op}_3d_middle", op, lambda x, p=pick: p(x.topk(2, dim=1)), [randn(2, 5, 3)], {"k": 2, "dim": 1}, grad=g)
    c.case(f"{op}_all", op, lambda x, p=pick: p(x.topk(4)), [randn(2, 4)], {"k": 4}, grad=g)
    c.case(f"{op}_zero", op, lambda x, p=pick: p(x.topk(0)), [randn(2, 4)], {"k": 0}, grad=g)
    c.case(f"{op}_nan", op, lambda x, p=pick: p(x.topk(2)), [with_nan[:2]], {"k": 2}, grad=g)
    c.case(f"{op}_nan_smallest", op, lambda x, p=pick: p(x.topk(2, largest=False)), [with_nan], {"k": 2, "largest": False}, grad=g)
    c.case(f"{op}_int", op, lambda x, p=pick: p(x.topk(2)), [ints], {"k": 2})
    c.case(f"{op}_scalar", op, lambda x, p=pick: p(x.topk(1)), [torch.tensor(2.0)], {"k": 1}, grad=g)
c.error_case("topk_k_too_large", "topk_values", lambda x: x.topk(4), [randn(3)], {"k": 4})
c.error_case("topk_k_negative", "topk_values", lambda x: x.topk(-1), [randn(3)], {"k": -1})
c.error_case("topk_empty", "topk_values", lambda x: x.topk(1), [torch.zeros(0)], {"k": 1})

# ---- median ------------------------------------------------------------------------------------------
c.case("median_all_odd", "median", lambda x: x.median(), [randn(3, 3)])
c.case("median_all_even_lower", "median", lambda x: x.median(), [randn(2, 4)])
c.case("median_all_ties", "median", lambda x: x.median(), [torch.tensor([[1.0, 2.0, 2.0], [5.0, 2.0, 0.0]])])
c.case("median_all_nan", "median", lambda x: x.median(), [with_nan], grad=NO_GRAD)
c.case("median_all_int", "median", lambda x: x.median(), [ints])
c.case("median_all_empty", "median", lambda x: x.median(), [torch.zeros(0)], grad=NO_GRAD)
c.case("median_all_scalar", "median", lambda x: x.median(), [torch.tensor(7.0)])
c.error_case("median_all_bool", "median", lambda x: x.median(), [bools])
for half in ("values", "indices"):
    op = f"median_{half}"
    pick = (lambda r: r.values) if half == "values" else (lambda r: r.indices)
    g = None if half == "values" else NO_GRAD
    for dim in (0, 1, -1):
        for keepdim in (False, True):
            c.case(f"{op}_dim{dim}_keep{keepdim}", op, lambda x, d=dim, k=keepdim, p=pick: p(x.median(d, keepdim=k)),
                   [randn(4, 5)], {"dim": dim, "keepdim": keepdim}, grad=g)
    c.case(f"{op}_3d_middle", op, lambda x, p=pick: p(x.median(1)), [randn(2, 4, 3)], {"dim": 1}, grad=g)
    c.case(f"{op}_ties", op, lambda x, p=pick: p(x.median(1)),
           [torch.tensor([[1.0, 2.0, 2.0, 4.0], [5.0, 5.0, 5.0, 1.0], [1.0, 2.0, 2.0, 1.0], [3.0, 3.0, 3.0, 3.0]])], {"dim": 1}, grad=g)
    c.case(f"{op}_nan", op, lambda x, p=pick: p(x.median(1)), [with_nan], {"dim": 1}, grad=g)
    c.case(f"{op}_int", op, lambda x, p=pick: p(x.median(0)), [ints], {"dim": 0})
    c.case(f"{op}_scalar", op, lambda x, p=pick: p(x.median(0)), [torch.tensor(2.0)], {"dim": 0}, grad=g)
    c.case(f"{op}_empty_kept_dim", op, lambda x, p=pick: p(x.median(1)), [torch.zeros(0, 3)], {"dim": 1}, grad=g)
c.error_case("median_empty_dim", "median_values", lambda x: x.median(1), [torch.zeros(2, 0)], {"dim": 1})
c.error_case("median_bool", "median_values", lambda x: x.median(0), [bools], {"dim": 0})

# ---- ties under the unstable sort and topk; topk(sorted=False) ----------------------------------------
# Lines longer than 16 (std::sort's insertion-sort threshold) with few distinct values, some NaN; topk
# takes std::partial_sort when k * 64 <= the line's length and std::nth_element otherwise.
def tied(*shape, distinct=4, nan=False):
    x = torch.randint(0, distinct, shape).float()
    if nan:
        x[torch.rand(shape) < 0.1] = NAN
    return x


for half in ("values", "indices"):
    pick = (lambda r: r.values) if half == "values" else (lambda r: r.indices)
    g = None if half == "values" else NO_GRAD
    for n in (9, 40, 300):
        for descending in (False, True):
            c.case(f"sort_{half}_unstable_ties_n{n}_desc{descending}", f"sort_{half}",
                   lambda x, d=descending, p=pick: p(x.sort(1, descending=d)), [tied(3, n, nan=n == 40)],
                   {"dim": 1, "descending": descending}, grad=g)
    c.case(f"sort_{half}_stable_false_ties", f"sort_{half}", lambda x, p=pick: p(x.sort(stable=False, dim=0)),
           [tied(50, 2)], {"dim": 0, "stable": False}, grad=g)
    c.case(f"sort_{half}_stable_ties_long", f"sort_{half}", lambda x, p=pick: p(x.sort(stable=True, dim=1)),
           [tied(2, 60)], {"dim": 1, "stable": True}, grad=g)
    c.case(f"sort_{half}_unstable_int_ties", f"sort_{half}", lambda x, p=pick: p(x.sort(0, descending=True)),
           [torch.randint(-2, 3, (33, 2))], {"dim": 0, "descending": True})
    for n, k in ((20, 3), (20, 17), (200, 2), (200, 150), (640, 10)):
        for largest in (True, False):
            for sorted_ in (True, False):
                c.case(f"topk_{half}_ties_n{n}_k{k}_largest{largest}_sorted{sorted_}", f"topk_{half}",
                       lambda x, k=k, l=largest, s=sorted_, p=pick: p(x.topk(k, largest=l, sorted=s)),
                       [tied(2, n, distinct=5, nan=n == 200)], {"k": k, "largest": largest, "sorted": sorted_}, grad=g)
    c.case(f"topk_{half}_unsorted_distinct", f"topk_{half}", lambda x, p=pick: p(x.topk(5, dim=0, sorted=False)),
           [randn(8, 3, dtype=torch.float64)], {"k": 5, "dim": 0, "sorted": False}, grad=g)
    c.case(f"topk_{half}_unsorted_int", f"topk_{half}", lambda x, p=pick: p(x.topk(3, sorted=False)),
           [torch.randint(0, 4, (2, 9))], {"k": 3, "sorted": False})
for n in (12, 50):
    c.case(f"argsort_unstable_ties_n{n}", "argsort", lambda x: x.argsort(1, descending=True), [tied(2, n, nan=True)],
           {"dim": 1, "descending": True}, grad=NO_GRAD)
    c.case(f"argsort_stable_ties_n{n}", "argsort", lambda x: x.argsort(stable=True, dim=1), [tied(2, n)],
           {"dim": 1, "stable": True}, grad=NO_GRAD)

c.write(__file__)
