"""PyTorch 1.13's torch.autograd.forward_ad and functional.jvp behaviour that
tests/NativeGrad.Tests/Autograd/ForwardADTests.cs checks: error messages, where tangents go
(no_grad, inference mode, detach, views and in-place ops), printed dual tensors, jvp results.

Run with Debian's python3-torch: /usr/bin/python3 forward_ad.py > forward_ad.json
"""
import json

import torch
import torch.autograd.forward_ad as fwAD
from torch.autograd.functional import jvp

torch.manual_seed(0)
f64 = torch.float64


def enc(t):
    if t is None:
        return None
    return {"dtype": str(t.dtype).replace("torch.", ""), "shape": list(t.shape), "data": t.detach().reshape(-1).tolist()}


cases = []


def error(case_id, fn):
    try:
        fn()
    except Exception as e:  # noqa: BLE001 - the message is what is recorded
        cases.append({"id": case_id, "error": str(e), "python_type": type(e).__name__})
        return
    raise AssertionError(case_id + " did not fail")


def tangent(case_id, inputs, fn):
    """fn(*inputs) runs inside a dual level and returns the tensor whose tangent is recorded."""
    # Recorded first: an in-place op on a dual tensor writes into the tangent it was given.
    recorded = [enc(i) for i in inputs]
    with fwAD.dual_level():
        out = fn(*inputs)
        t = fwAD.unpack_dual(out).tangent
        cases.append({"id": case_id, "inputs": recorded, "tangent": enc(t)})


x = torch.randn(2, 3, dtype=f64)
t = torch.randn(2, 3, dtype=f64)

# ---- errors ------------------------------------------------------------------------------------
error("make_dual outside a level", lambda: fwAD.make_dual(x, t))


def in_level(fn):
    def run():
        with fwAD.dual_level():
            fn()
    return run


error("integer primal", in_level(lambda: fwAD.make_dual(torch.ones(2, 3, dtype=torch.int64), t)))
error("integer tangent", in_level(lambda: fwAD.make_dual(x, torch.ones(2, 3, dtype=torch.int64))))
error("tangent of another shape", in_level(lambda: fwAD.make_dual(x, torch.ones(3, 2, dtype=f64))))
error("tangent of another size", in_level(lambda: fwAD.make_dual(x, torch.ones(5, dtype=f64))))


def dual_twice():
    d = fwAD.make_dual(x, t)
    fwAD.make_dual(d, t)


error("make_dual of a dual tensor", in_level(dual_twice))


def nested():
    with fwAD.dual_level():
        pass


error("nested levels", in_level(nested))


class NoJvp(torch.autograd.Function):
    @staticmethod
    def forward(ctx, a):
        return a * 2

    @staticmethod
    def backward(ctx, g):
        return g * 2


error("custom function without jvp", in_level(lambda: NoJvp.apply(fwAD.make_dual(x, t))))

v = torch.randn(2, 3, dtype=f64)
error("jvp v None for many elements", lambda: jvp(lambda a: a * 2, x))
error("jvp v of another size", lambda: jvp(lambda a: a * 2, x, torch.ones(3, dtype=f64)))
error("jvp v of another length", lambda: jvp(lambda a, b: a * b, (x, x), (v,)))
error("jvp strict, output independent", lambda: jvp(lambda a: torch.ones(2, dtype=f64), x, v, strict=True))
error("jvp strict, input independent", lambda: jvp(lambda a, b: (a * 2, a.exp()), (x, x), (v, v), strict=True))

# ---- where tangents go -------------------------------------------------------------------------


def under_no_grad(a, b):
    d = fwAD.make_dual(a, b)
    with torch.no_grad():
        return d.exp() * d


tangent("no_grad keeps forward AD", [x, t], under_no_grad)


def under_inference(a, b):
    d = fwAD.make_dual(a, b)
    with torch.inference_mode():
        return d.exp()


tangent("inference mode drops tangents", [x, t], under_inference)
tangent("detach drops the tangent", [x, t], lambda a, b: fwAD.make_dual(a, b).detach())
tangent("a plain tensor has none", [x], lambda a: a * 2)
tangent("a float32 tangent stays float32", [x, t.float()], lambda a, b: fwAD.make_dual(a, b))


def copy_into_view(a, b):
    base = torch.zeros(3, 3, dtype=f64)
    base[1:, :].copy_(fwAD.make_dual(a, b))
    return base


tangent("copy_ into a view of a plain tensor", [x, t], copy_into_view)


def plain_times_dual(a, b):
    y = a.clone() + 1
    y.mul_(fwAD.make_dual(a, b))
    return y


tangent("plain mul_ dual", [x, t], plain_times_dual)


def dual_add_dual(a, b):
    d = fwAD.make_dual(a, b)
    e = d * 1
    e.add_(d)
    return e


tangent("dual add_ dual", [x, t], dual_add_dual)


def in_place_on_view_of_dual(a, b):
    d = fwAD.make_dual(a.clone(), b)
    d[0].mul_(3)
    return d


tangent("mul_ on a view of a dual changes its base", [x, t], in_place_on_view_of_dual)


def view_after_in_place(a, b):
    d = fwAD.make_dual(a.clone(), b)
    row = d[1]
    # (d.mul_(d) would read d's new values for one of its terms in PyTorch 1.13: an aliasing artifact.)
    d.mul_(a)
    return row


tangent("a view sees its base's in-place tangent", [x, t], view_after_in_place)


def fill_on_dual(a, b):
    d = fwAD.make_dual(a.clone(), b)
    d[:, 1].fill_(2.0)
    return d


tangent("fill_ on a view zeroes its tangent there", [x, t], fill_on_dual)


def normal_on_dual(a, b):
    d = fwAD.make_dual(a.clone(), b.clone())
    d.normal_()
    return d


tangent("normal_ zeroes the tangent", [x, t], normal_on_dual)


class TimesThree(torch.autograd.Function):
    @staticmethod
    def forward(ctx, a, b):
        return a * b

    @staticmethod
    def backward(ctx, g):
        return g, g

    @staticmethod
    def jvp(ctx, ta, tb):
        return ta * 3 + tb


tangent("custom function jvp, zeros for an input without tangent", [x, t], lambda a, b: TimesThree.apply(fwAD.make_dual(a, b), a))

# ---- printed form ------------------------------------------------------------------------------
reprs = []
with fwAD.dual_level():
    small = torch.tensor([1.0, 2.0])
    reprs.append({"id": "float32 dual", "primal": enc(small), "tangent": enc(torch.tensor([0.5, -1.0])),
                  "repr": repr(fwAD.make_dual(small, torch.tensor([0.5, -1.0])))})
    reprs.append({"id": "float64 matrix dual", "primal": enc(x), "tangent": enc(t), "repr": repr(fwAD.make_dual(x, t))})
    reprs.append({"id": "dual times 2", "primal": enc(x), "tangent": enc(t), "repr": repr(fwAD.make_dual(x, t) * 2)})

# ---- jvp ---------------------------------------------------------------------------------------
y = torch.rand(2, 3, dtype=f64) + 0.5
w = torch.randn(2, 3, dtype=f64)
outs, jvps = jvp(lambda a, b: (a.exp() * b, (a / b).sum()), (x, y), (v, w))
outs_indep, jvps_indep = jvp(lambda a: (a.sin(), torch.ones(2, dtype=f64)), x, v)
jvp_cases = {
    "inputs": [enc(x), enc(y)], "v": [enc(v), enc(w)],
    "outputs": [enc(o) for o in outs], "jvp": [enc(j) for j in jvps],
    "independent": {"outputs": [enc(o) for o in outs_indep], "jvp": [enc(j) for j in jvps_indep]},
    "one_element": {"input": enc(torch.tensor([2.0])), "jvp": enc(jvp(lambda a: a * a, torch.tensor([2.0]))[1])},
}
flags = {}
for create_graph in (False, True):
    for requires in (False, True):
        o, j = jvp(lambda a: a.exp(), x.clone().requires_grad_(requires), v, create_graph=create_graph)
        flags[f"create_graph={create_graph}, requires_grad={requires}"] = [o.requires_grad, j.requires_grad]
jvp_cases["requires_grad"] = flags

print(json.dumps({"generated_by": "tests/data/forward-ad/forward_ad.py (torch " + torch.__version__ + ")",
                  "cases": cases, "reprs": reprs, "jvp": jvp_cases}, indent=1))
