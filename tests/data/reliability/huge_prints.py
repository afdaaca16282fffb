"""PyTorch's printed form of tensors with more than 2^31 elements, which it summarizes with "...".
The twin of each case, under the same id, is in tests/NativeGrad.Tests/Reliability/HugePrintTests.cs.
All but one are expanded views of a few elements (no large storage); "bool_beyond_int32" really
holds 2^31 + 10 bools (2 GB here, and in the test). Writes huge_prints.json beside it. Run with the
Python that has PyTorch 1.13: `/usr/bin/python3 tests/data/reliability/huge_prints.py`.
"""
import torch

import generated

assert torch.__version__.startswith("1.13"), torch.__version__


def bool_beyond_int32():
    x = torch.zeros(2**31 + 10, dtype=torch.bool)
    x[1] = True
    x[-2] = True
    return x


CASES = {
    "zeros_expanded": lambda: torch.zeros(1).expand(3_000_000_000),
    "rows_expanded": lambda: torch.arange(10.).expand(300_000_000, 10),
    "columns_expanded_int64": lambda: torch.arange(7).reshape(7, 1).expand(7, 400_000_000),
    "float64_3d_expanded": lambda: torch.tensor([-1.5, 2.25], dtype=torch.float64).expand(1000, 2_000_000, 2),
    "expanded_with_grad_fn": lambda: torch.zeros(1, requires_grad=True).expand(3_000_000_000),
    "bool_beyond_int32": bool_beyond_int32,
}


def record(fn):
    r = fn()
    return {"numel": r.numel(), "printed": str(r)}


if __name__ == "__main__":
    generated.write(__file__, CASES, record)
