"""The case writer the tests/data/parity generators share (the ops.json format of conformance/).

Each folder here holds one family's generator, <family>/<family>.py, and the ops.json it writes.
A case either records PyTorch's output, printed form and input gradients, or, with `error_case`,
the message PyTorch raises (the "error" field; no output). Run a generator with the Python that
has PyTorch 1.13 (Debian's python3-torch), e.g. `/usr/bin/python3 tests/data/parity/shape/shape.py`.
"""
import json
import os

import torch

assert torch.__version__.startswith("1.13"), torch.__version__
NAMES = {torch.float32: "float32", torch.float64: "float64", torch.int64: "int64", torch.bool: "bool"}


def encode(t, requires_grad=False):
    return {"dtype": NAMES[t.dtype], "shape": list(t.shape), "data": t.detach().reshape(-1).tolist(),
            "requires_grad": requires_grad}


class Cases:
    def __init__(self, seed):
        torch.manual_seed(seed)
        self.cases = []

    def _leaves(self, inputs, grad):
        return [x.detach().clone().requires_grad_(x.is_floating_point() if grad is None else grad[i])
                for i, x in enumerate(inputs)]

    def case(self, id, op, fn, inputs, attrs=None, grad=None, rtol=1e-4, atol=1e-5):
        """fn(*leaves) -> one tensor; grad: which inputs require grad (default: the floating ones)."""
        leaves = self._leaves(inputs, grad)
        out = fn(*leaves)
        grad_output = None
        if out.requires_grad:
            grad_output = None if out.dim() == 0 else torch.randn(out.shape, dtype=out.dtype)
            out.backward(grad_output)
        self.cases.append({
            "id": id, "op": op, "attrs": attrs or {}, "inputs": [encode(x, x.requires_grad) for x in leaves],
            "output": encode(out), "output_repr": repr(out),
            "grad_output": None if grad_output is None else encode(grad_output),
            "grads": [None if x.grad is None else encode(x.grad) for x in leaves], "rtol": rtol, "atol": atol})

    def error_case(self, id, op, fn, inputs, attrs=None, grad=None):
        """A call PyTorch rejects: records its message, which NativeGrad must reproduce."""
        leaves = self._leaves(inputs, grad)
        try:
            fn(*leaves)
        except Exception as e:  # noqa: BLE001 - any exception PyTorch raises is the expectation
            message = str(e)
        else:
            raise AssertionError(f"{id}: PyTorch accepted the call")
        self.cases.append({
            "id": id, "op": op, "attrs": attrs or {}, "inputs": [encode(x, x.requires_grad) for x in leaves],
            "output": None, "output_repr": None, "grad_output": None, "grads": [None] * len(leaves),
            "rtol": 0, "atol": 0, "error": message})

    def write(self, generator_file):
        ids = [c["id"] for c in self.cases]
        assert len(ids) == len(set(ids)), "duplicate case ids"
        path = os.path.join(os.path.dirname(os.path.abspath(generator_file)), "ops.json")
        source = os.path.relpath(os.path.abspath(generator_file), os.path.join(os.path.dirname(__file__), "..", "..", ".."))
        with open(path, "w") as f:
            json.dump({"generated_by": f"{source}, torch {torch.__version__}", "cases": self.cases}, f)
        print(f"{len(self.cases)} cases -> {path}")
