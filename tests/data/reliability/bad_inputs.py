"""PyTorch's answer to each case of the bad-input catalogue (tests/NativeGrad.Tests/Reliability/).

Every case is one bad call, written here in PyTorch and there in C# under the same id. This
script records the exception PyTorch raises (its type and the first line of its message) into
bad_inputs.json beside it; the C# catalogue asserts the .NET exception type it maps to and, unless
a case says why it words things its own way, the same message. Run it with the Python that has
PyTorch 1.13 (Debian's python3-torch): `/usr/bin/python3 tests/data/reliability/bad_inputs.py`.
"""
import json
import os

import torch
import torch.nn.functional as F

assert torch.__version__.startswith("1.13"), torch.__version__

CASES = {}


def case(id):
    def register(fn):
        assert id not in CASES, id
        CASES[id] = fn
        return fn
    return register


# ---- overlapping writes (assert_no_internal_overlap, assert_no_partial_overlap) ----------------
@case("inplace.expanded_add")
def _(): torch.zeros(1).expand(3).add_(1)
@case("inplace.expanded_mul")
def _(): torch.zeros(1).expand(3).mul_(2)
@case("inplace.expanded_copy")
def _(): torch.zeros(1).expand(3).copy_(torch.ones(3))
@case("inplace.expanded_sqrt")
def _(): torch.zeros(1).expand(3).sqrt_()
@case("inplace.copy_from_own_transpose")
def _():
    x = torch.arange(9.).reshape(3, 3)
    x.copy_(x.t())
@case("inplace.copy_from_shifted_slice")
def _():
    y = torch.arange(5.)
    y[1:].copy_(y[:4])
@case("inplace.add_shifted_slice")
def _():
    y = torch.arange(5.)
    y[1:].add_(y[:4])
@case("inplace.mul_own_transpose")
def _():
    x = torch.arange(4.).reshape(2, 2)
    x.mul_(x.t())

# ---- shapes ------------------------------------------------------------------------------------
@case("shape.expand_negative")
def _(): torch.zeros(1).expand(-5)
@case("shape.expand_minus_one_leading")
def _(): torch.zeros(1).expand(-1, 3)
@case("shape.zeros_negative")
def _(): torch.zeros(-1)
@case("shape.size_product_overflows")
def _(): torch.zeros(2**40, 2**40)
@case("shape.randn_size_overflows")
def _(): torch.randn(2**62, 4)

# ---- autograd ----------------------------------------------------------------------------------
@case("autograd.hook_changes_size")
def _():
    w = torch.ones(3, requires_grad=True)
    w.register_hook(lambda g: torch.ones(2))
    (w * 2).sum().backward()
@case("autograd.hook_changes_dtype")
def _():
    w = torch.ones(3, requires_grad=True)
    y = w * 2
    y.register_hook(lambda g: g.double())
    y.sum().backward()
@case("autograd.grad_of_other_dtype")
def _():
    w = torch.ones(3, requires_grad=True)
    w.grad = torch.ones(3, dtype=torch.float64)
@case("autograd.grad_of_other_size")
def _():
    w = torch.ones(3, requires_grad=True)
    w.grad = torch.ones(2)

# ---- creation values ---------------------------------------------------------------------------
@case("creation.full_nan_int64")
def _(): torch.full((2,), float("nan"), dtype=torch.int64)
@case("creation.full_inf_int64")
def _(): torch.full((2,), float("inf"), dtype=torch.int64)
@case("creation.full_1e20_int64")
def _(): torch.full((2,), 1e20, dtype=torch.int64)
@case("creation.full_1e300_float32")
def _(): torch.full((2,), 1e300, dtype=torch.float32)
@case("creation.fill_nan_int64")
def _(): torch.zeros(2, dtype=torch.int64).fill_(float("nan"))
@case("creation.fill_1e300_float32")
def _(): torch.zeros(2).fill_(1e300)
@case("creation.full_like_nan_int64")
def _(): torch.full_like(torch.zeros(2, dtype=torch.int64), float("nan"))
@case("creation.arange_nan")
def _(): torch.arange(float("nan"))
@case("creation.arange_inf")
def _(): torch.arange(float("inf"))
@case("creation.arange_nan_step")
def _(): torch.arange(0, 10, float("nan"))
@case("creation.arange_huge")
def _(): torch.arange(1e30)
@case("creation.arange_zero_step")
def _(): torch.arange(0, 10, 0)
@case("creation.arange_wrong_sign")
def _(): torch.arange(0, 10, -1)
@case("creation.linspace_negative_steps")
def _(): torch.linspace(0, 1, -1)

# ---- dtypes ------------------------------------------------------------------------------------
@case("dtype.softmax_int64")
def _(): torch.arange(3).softmax(0)
@case("dtype.log_softmax_int64")
def _(): torch.arange(3).log_softmax(0)
@case("dtype.softmax_int64_inner_dim")
def _(): torch.arange(4).reshape(2, 2).softmax(0)
@case("dtype.softmax_bool")
def _(): torch.tensor([True]).softmax(0)


def record(fn):
    try:
        fn()
    except Exception as e:  # noqa: BLE001 (every PyTorch error is the point here)
        return {"torch_type": type(e).__name__, "message": str(e).split("\n")[0]}
    raise AssertionError("no error: not a bad input")


if __name__ == "__main__":
    out = {"generated_by": f"tests/data/reliability/bad_inputs.py, torch {torch.__version__}",
           "cases": {id: record(fn) for id, fn in CASES.items()}}
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "bad_inputs.json")
    with open(path, "w") as f:
        json.dump(out, f, indent=1, sort_keys=True)
        f.write("\n")
    print(f"{len(CASES)} cases -> {path}")
