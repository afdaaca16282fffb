"""PyTorch's torch.autograd.functional on the cases functional.json leaves out: tuples of inputs
and of outputs (every nesting), outputs that do not depend on an input, strict-mode errors, bad
vectors, create_graph (derivatives of the results), a function capturing its input, and Newton's
method on Rosenbrock (the README's example).

Run with Debian's torch 1.13: /usr/bin/python3 tests/data/functional/functional_cases.py
Writes cases.json and newton.json next to this file. The functions are named by id; the C# tests
(tests/NativeGrad.Tests/Autograd/FunctionalCases.cs) define the same ones under the same ids.
"""
import json
import os

import torch
from torch.autograd import functional as F

torch.manual_seed(12)
DT = torch.float64
HERE = os.path.dirname(os.path.abspath(__file__))


def tensor(t):
    t = t.detach()
    return {"dtype": str(t.dtype).replace("torch.", ""), "shape": list(t.shape), "data": t.reshape(-1).tolist()}


# id -> (function, returns a tuple). `capture` multiplies by the tensor passed as input 0 itself,
# captured by the closure, which the functional API must treat as a constant.
def functions(original_inputs):
    return {
        "exp_pair": (lambda x, y: (x.exp() * y, (x * y).sum()), True),
        "sin_square": (lambda x: (x.sin(), x.pow(2).sum()), True),
        "outer": (lambda x: x.unsqueeze(1) * x, False),
        "bilinear": (lambda A, x: A @ x, False),
        "unused_second": (lambda x, y: x.exp(), False),
        "constant_output": (lambda x: (x * 2, torch.ones(2, dtype=DT)), True),
        "linear": (lambda x: 2 * x, False),
        "linear_sum": (lambda x: x.sum(), False),
        "quadratic": (lambda x: (x * x).sum(), False),
        "separable": (lambda x, y: x.pow(3).sum() + y.pow(3).sum(), False),
        "cubic_unused": (lambda x, y: x.pow(3).sum(), False),
        "mixed": (lambda x, y: (x.pow(2) * y).sum() + (x.sin() * y.exp()).sum(), False),
        "cube_mix": (lambda x: x.pow(3).sum() + x[0] * x[1].pow(2), False),
        "capture": (lambda x: x * original_inputs[0], False),
        "pair_sum": (lambda x: x.sum().reshape(1, 1), False),
    }


cases = []


def case(id, call, function, inputs, tuple_inputs, v=None, tuple_v=None, create_graph=False, strict=False,
         inputs_require_grad=False):
    inputs = [t.to(DT) for t in inputs]
    if inputs_require_grad:
        inputs = [t.requires_grad_() for t in inputs]
    fn, tuple_outputs = functions(inputs)[function]
    c = {"id": id, "call": call, "function": function, "inputs": [tensor(t) for t in inputs],
         "tuple_inputs": tuple_inputs, "tuple_outputs": tuple_outputs, "create_graph": create_graph,
         "strict": strict, "inputs_require_grad": inputs_require_grad,
         "v": None if v is None else [tensor(t) for t in v], "tuple_v": tuple_v}
    args = tuple(inputs) if tuple_inputs else inputs[0]
    vv = None if v is None else (tuple(t.to(DT) for t in v) if tuple_v else v[0].to(DT))
    kwargs = {"create_graph": create_graph, "strict": strict}
    try:
        if call in ("jacobian", "hessian"):
            result = getattr(F, call)(fn, args, **kwargs)
            # Normalised to blocks [output][input] (hessian: [input i][input j]).
            outer = tuple_outputs if call == "jacobian" else tuple_inputs
            if not outer:
                result = (result,)
            if not tuple_inputs:
                result = tuple((r,) for r in result)
            blocks = [list(r) for r in result]
            c["blocks"] = [[tensor(b) for b in row] for row in blocks]
            flat = [b for row in blocks for b in row]
        else:
            output, result = getattr(F, call)(fn, args, vv, **kwargs)
            outputs = list(output) if isinstance(output, tuple) else [output]
            flat = list(result) if tuple_inputs else [result]
            c["output"] = [tensor(o) for o in outputs]
            c["output_requires_grad"] = [o.requires_grad for o in outputs]
            c["result"] = [tensor(r) for r in flat]
        c["result_requires_grad"] = [b.requires_grad for b in flat]
        c["result_repr"] = [repr(b) for b in flat]
        c["error"] = None
        if create_graph and any(b.requires_grad for b in flat):
            # A derivative of the results: d/d inputs of the sum over blocks of (block ** 2).sum().
            s = sum((b ** 2).sum() for b in flat if b.requires_grad)
            grads = torch.autograd.grad(s, inputs, allow_unused=True)
            c["second"] = [tensor(g if g is not None else torch.zeros_like(t)) for g, t in zip(grads, inputs)]
    except RuntimeError as e:
        c["error"] = str(e)
    cases.append(c)


r = lambda *shape: torch.randn(*shape, dtype=DT)
x3, y3, x2, y2, A = r(3), r(3), r(2), r(2), r(2, 3)

# Every nesting of jacobian.
case("jacobian/tensor_tensor", "jacobian", "outer", [x3], False)
case("jacobian/tuple_tensor", "jacobian", "bilinear", [A, x3], True)
case("jacobian/tensor_tuple", "jacobian", "sin_square", [x3], False)
case("jacobian/tuple_tuple", "jacobian", "exp_pair", [x3, y3], True)
case("jacobian/one_element_tuple", "jacobian", "outer", [x2], True)
case("jacobian/unused_input", "jacobian", "unused_second", [x3, y2], True)
case("jacobian/constant_output", "jacobian", "constant_output", [x3], False)
case("jacobian/linear", "jacobian", "linear", [x3], False)
case("jacobian/capture", "jacobian", "capture", [x3], False, inputs_require_grad=True)
case("jacobian/create_graph", "jacobian", "outer", [x3], False, create_graph=True, inputs_require_grad=True)
case("jacobian/create_graph_tuple", "jacobian", "exp_pair", [x3, y3], True, create_graph=True, inputs_require_grad=True)
case("jacobian/create_graph_linear", "jacobian", "linear", [x3], False, create_graph=True, inputs_require_grad=True)
case("jacobian/create_graph_unused", "jacobian", "unused_second", [x3, y2], True, create_graph=True, inputs_require_grad=True)
case("jacobian/detached_results", "jacobian", "outer", [x3], False, inputs_require_grad=True)

# hessian.
case("hessian/tensor", "hessian", "cube_mix", [x3], False)
case("hessian/tuple", "hessian", "mixed", [x3, y3], True)
case("hessian/separable", "hessian", "separable", [x3, y2], True)
case("hessian/unused_input", "hessian", "cubic_unused", [x3, y2], True)
case("hessian/linear", "hessian", "linear_sum", [x3], False)
case("hessian/one_by_one_output", "hessian", "pair_sum", [x2], False)
case("hessian/create_graph", "hessian", "cube_mix", [x3], False, create_graph=True, inputs_require_grad=True)
case("hessian/create_graph_tuple", "hessian", "mixed", [x3, y3], True, create_graph=True, inputs_require_grad=True)

# vjp.
case("vjp/tensor_tensor", "vjp", "outer", [x3], False, [r(3, 3)], False)
case("vjp/tuple_tensor", "vjp", "bilinear", [A, x3], True, [r(2)], False)
case("vjp/tensor_tuple", "vjp", "sin_square", [x3], False, [r(3), r(())], True)
case("vjp/tuple_tuple", "vjp", "exp_pair", [x3, y3], True, [r(3), r(())], True)
case("vjp/scalar_without_v", "vjp", "quadratic", [x3], False)
case("vjp/unused_input", "vjp", "unused_second", [x3, y2], True, [r(3)], False)
case("vjp/constant_output", "vjp", "constant_output", [x3], False, [r(3), r(2)], True)
case("vjp/create_graph", "vjp", "exp_pair", [x3, y3], True, [r(3), r(())], True, create_graph=True, inputs_require_grad=True)

# hvp and vhp.
for call in ("hvp", "vhp"):
    case(f"{call}/tensor", call, "cube_mix", [x3], False, [r(3)], False)
    case(f"{call}/tuple", call, "mixed", [x3, y3], True, [r(3), r(3)], True)
    case(f"{call}/unused_input", call, "cubic_unused", [x3, y2], True, [r(3), r(2)], True)
    case(f"{call}/linear", call, "linear_sum", [x3], False, [r(3)], False)
    case(f"{call}/one_element_without_v", call, "quadratic", [r(1)], False)
    case(f"{call}/create_graph", call, "mixed", [x3, y3], True, [r(3), r(3)], True, create_graph=True, inputs_require_grad=True)

# Strict mode: PyTorch's errors, and no error where every result depends on every input.
case("strict/jacobian_output_not_differentiable", "jacobian", "constant_output", [x3], False, strict=True)
case("strict/jacobian_unused_input", "jacobian", "unused_second", [x3, y2], True, strict=True)
case("strict/jacobian_linear_create_graph", "jacobian", "linear", [x3], False, create_graph=True, strict=True, inputs_require_grad=True)
case("strict/jacobian_passes", "jacobian", "exp_pair", [x3, y3], True, strict=True)
case("strict/hessian_linear", "hessian", "linear_sum", [x3], False, strict=True)
case("strict/hessian_separable", "hessian", "separable", [x3, y2], True, strict=True)
case("strict/hessian_unused_input", "hessian", "cubic_unused", [x3, y2], True, strict=True)
case("strict/hessian_quadratic_create_graph", "hessian", "quadratic", [x3], False, create_graph=True, strict=True, inputs_require_grad=True)
case("strict/hessian_passes", "hessian", "mixed", [x3, y3], True, strict=True)
case("strict/vjp_unused_input", "vjp", "unused_second", [x3, y2], True, [r(3)], False, strict=True)
case("strict/vjp_output_not_differentiable", "vjp", "constant_output", [x3], False, [r(3), r(2)], True, strict=True)
case("strict/vjp_linear_create_graph", "vjp", "linear", [x3], False, [r(3)], False, create_graph=True, strict=True, inputs_require_grad=True)
for call in ("hvp", "vhp"):
    case(f"strict/{call}_linear", call, "linear_sum", [x3], False, [r(3)], False, strict=True)
    case(f"strict/{call}_unused_input", call, "cubic_unused", [x3, y2], True, [r(3), r(2)], True, strict=True)
    case(f"strict/{call}_quadratic_create_graph", call, "quadratic", [x3], False, [r(3)], False, create_graph=True, strict=True, inputs_require_grad=True)
    case(f"strict/{call}_passes", call, "mixed", [x3, y3], True, [r(3), r(3)], True, strict=True)

# Bad vectors and functions.
case("error/vjp_v_size", "vjp", "outer", [x3], False, [r(3)], False)
case("error/vjp_v_length", "vjp", "exp_pair", [x3, y3], True, [r(3)], True)
case("error/vjp_v_entry_size", "vjp", "exp_pair", [x3, y3], True, [r(3), r(2)], True)
case("error/vjp_without_v", "vjp", "outer", [x3], False)
case("error/hvp_v_size", "hvp", "cube_mix", [x3], False, [r(2)], False)
case("error/vhp_v_entry_size", "vhp", "mixed", [x3, y3], True, [r(3), r(2)], True)
case("error/vhp_v_length", "vhp", "mixed", [x3, y3], True, [r(3)], True)
case("error/hvp_without_v", "hvp", "cube_mix", [x3], False)
case("error/vhp_without_v", "vhp", "cube_mix", [x3], False)
case("error/hessian_not_scalar", "hessian", "linear", [x3], False)
case("error/hvp_not_scalar", "hvp", "linear", [x3], False, [r(3)], False)
case("error/vhp_not_scalar", "vhp", "linear", [x3], False, [r(3)], False)

with open(os.path.join(HERE, "cases.json"), "w") as f:
    json.dump({"generated_by": f"PyTorch {torch.__version__}, tests/data/functional/functional_cases.py", "cases": cases}, f, indent=1)


# Newton's method on Rosenbrock, the algorithm of src/NativeGrad.Examples/Newton.cs: from
# (-1.2, 1), x <- x - H(x)^-1 g(x) until |g(x)| < 1e-10 or 20 steps; each iterate with f and |g|.
def rosenbrock(x):
    return (100 * (x[1:] - x[:-1] ** 2) ** 2 + (1 - x[:-1]) ** 2).sum()


x = torch.tensor([-1.2, 1.0], dtype=DT)
iterates = []
for step in range(21):
    g = F.jacobian(rosenbrock, x)
    iterates.append({"step": step, "x": x.tolist(), "f": rosenbrock(x).item(), "grad_norm": g.norm().item()})
    if g.norm().item() < 1e-10 or step == 20:
        break
    x = x - torch.linalg.solve(F.hessian(rosenbrock, x), g)

with open(os.path.join(HERE, "newton.json"), "w") as f:
    json.dump({"generated_by": f"PyTorch {torch.__version__}, tests/data/functional/functional_cases.py", "iterates": iterates}, f, indent=1)
