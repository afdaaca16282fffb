"""Generates ops.json here: nn function cases beyond conformance/nn.json, in its `functional` format.

They cover every option of the losses (weights, ignore_index, label smoothing, spatial and
probability targets, pos_weight, log_target, every reduction), batch_norm and layer_norm without
affine parameters, embedding with a negative padding_idx, and dropout in training after a seed.
Run with the Python that has PyTorch 1.13 (Debian's python3-torch):
    /usr/bin/python3 tests/data/nn-extra/nn-extra.py
The folder is a conformance folder: `dotnet run --project tests/NativeGrad.Conformance -- tests/data/nn-extra`.
"""
import json
import os

import torch
import torch.nn.functional as F

assert torch.__version__.startswith("1.13"), torch.__version__
torch.manual_seed(2024)
NAMES = {torch.float32: "float32", torch.float64: "float64", torch.int64: "int64", torch.bool: "bool"}
cases = []


def encode(t, requires_grad=False):
    return {"dtype": NAMES[t.dtype], "shape": list(t.shape), "data": t.detach().reshape(-1).tolist(),
            "requires_grad": requires_grad}


def case(id, op, fn, inputs, attrs=None, grad=None, state=None):
    """fn(*leaves) -> output; grad: which inputs require grad (default: the floating ones)."""
    leaves = [x.detach().clone().requires_grad_(x.is_floating_point() if grad is None else grad[i])
              for i, x in enumerate(inputs)]
    out = fn(*leaves)
    grad_output = None if out.dim() == 0 else torch.randn(out.shape, dtype=out.dtype)
    if out.requires_grad:
        out.backward(grad_output)
    c = {"id": id, "op": op, "attrs": attrs or {}, "inputs": [encode(x, x.requires_grad) for x in leaves],
         "output": encode(out), "output_repr": repr(out),
         "grad_output": None if grad_output is None else encode(grad_output),
         "grads": [None if x.grad is None else encode(x.grad) for x in leaves], "rtol": 1e-4, "atol": 1e-5}
    c.update(state or {})
    cases.append(c)


def logits(*shape):
    return torch.randn(*shape)


def classes(n_classes, *shape, ignore=None):
    t = torch.randint(0, n_classes, shape)
    if ignore is not None:
        t.view(-1)[::3] = ignore
    return t


W4 = torch.rand(4) + 0.2
for r in ["mean", "sum", "none"]:
    for shape in [(2, 4, 3), (2, 4, 3, 2), (2, 4, 2, 2, 2), (4,)]:
        x = logits(*shape)
        t = classes(4, *(shape[:1] + shape[2:]) if len(shape) > 1 else ())
        name = "x".join(map(str, shape))
        case(f"cross_entropy/spatial_{name}_{r}", "cross_entropy", lambda a, b: F.cross_entropy(a, b, reduction=r), [x, t], {"reduction": r})
        case(f"nll_loss/spatial_weight_{name}_{r}", "nll_loss", lambda a, b: F.nll_loss(a, b, weight=W4, reduction=r),
             [x.log_softmax(1 if len(shape) > 1 else 0), t], {"reduction": r, "weight": encode(W4)})
    x, t = logits(6, 4), classes(4, 6, ignore=1)
    attrs = {"reduction": r, "weight": encode(W4), "ignore_index": 1, "label_smoothing": 0.15}
    case(f"cross_entropy/all_options_{r}", "cross_entropy",
         lambda a, b: F.cross_entropy(a, b, weight=W4, ignore_index=1, label_smoothing=0.15, reduction=r), [x, t], attrs)
    case(f"cross_entropy/smoothing_ignore_{r}", "cross_entropy",
         lambda a, b: F.cross_entropy(a, b, ignore_index=1, label_smoothing=0.3, reduction=r), [x, t],
         {"reduction": r, "ignore_index": 1, "label_smoothing": 0.3})
    xs, ts = logits(2, 4, 3), classes(4, 2, 3, ignore=-100)
    case(f"cross_entropy/spatial_smoothing_weight_{r}", "cross_entropy",
         lambda a, b: F.cross_entropy(a, b, weight=W4, label_smoothing=0.2, reduction=r), [xs, ts],
         {"reduction": r, "weight": encode(W4), "label_smoothing": 0.2})
    p = torch.rand(5, 4).softmax(1)
    case(f"cross_entropy/probabilities_weight_smoothing_{r}", "cross_entropy",
         lambda a, b: F.cross_entropy(a, b, weight=W4, label_smoothing=0.1, reduction=r), [logits(5, 4), p],
         {"reduction": r, "weight": encode(W4), "label_smoothing": 0.1})
    case(f"cross_entropy/probabilities_spatial_{r}", "cross_entropy",
         lambda a, b: F.cross_entropy(a, b, reduction=r), [logits(2, 4, 3), torch.rand(2, 4, 3).softmax(1)], {"reduction": r})
    case(f"nll_loss/ignore_weight_{r}", "nll_loss", lambda a, b: F.nll_loss(a, b, weight=W4, ignore_index=2, reduction=r),
         [logits(6, 4).log_softmax(1), classes(4, 6, ignore=2)], {"reduction": r, "weight": encode(W4), "ignore_index": 2})
    prob, target, w = torch.rand(3, 4) * 0.9 + 0.05, torch.rand(3, 4), torch.rand(4) + 0.5
    case(f"binary_cross_entropy/weight_{r}", "binary_cross_entropy",
         lambda a, b: F.binary_cross_entropy(a, b, weight=w, reduction=r), [prob, target], {"reduction": r, "weight": encode(w)})
    pw = torch.rand(4) * 2 + 0.5
    case(f"binary_cross_entropy_with_logits/weight_pos_weight_{r}", "binary_cross_entropy_with_logits",
         lambda a, b: F.binary_cross_entropy_with_logits(a, b, weight=w, pos_weight=pw, reduction=r),
         [logits(3, 4) * 3, target], {"reduction": r, "weight": encode(w), "pos_weight": encode(pw)})
    case(f"binary_cross_entropy_with_logits/pos_weight_{r}", "binary_cross_entropy_with_logits",
         lambda a, b: F.binary_cross_entropy_with_logits(a, b, pos_weight=pw, reduction=r),
         [logits(3, 4) * 3, target], {"reduction": r, "pos_weight": encode(pw)})
    for beta in [0.0, 2.0]:
        case(f"smooth_l1_loss/beta{beta}_{r}", "smooth_l1_loss", lambda a, b: F.smooth_l1_loss(a, b, reduction=r, beta=beta),
             [logits(3, 4) * 2, logits(3, 4)], {"reduction": r, "beta": beta})
    case(f"huber_loss/delta1.5_{r}", "huber_loss", lambda a, b: F.huber_loss(a, b, reduction=r, delta=1.5),
         [logits(3, 4) * 2, logits(3, 4)], {"reduction": r, "delta": 1.5})
    case(f"l1_loss/{r}", "l1_loss", lambda a, b: F.l1_loss(a, b, reduction=r), [logits(3, 4), logits(3, 4)], {"reduction": r})
for r in ["mean", "sum", "none", "batchmean"]:
    lp, q = logits(3, 4).log_softmax(1), torch.rand(3, 4).softmax(1)
    case(f"kl_div/{r}", "kl_div", lambda a, b: F.kl_div(a, b, reduction=r), [lp, q], {"reduction": r})
    case(f"kl_div/log_target_{r}", "kl_div", lambda a, b: F.kl_div(a, b, reduction=r, log_target=True), [lp, q.log()],
         {"reduction": r, "log_target": True})

for training in [True, False]:
    x = torch.randn(6, 3) * 2 + 1
    rm, rv = torch.randn(3), torch.rand(3) + 0.5
    running = (torch.zeros(3), torch.ones(3)) if training else (rm.clone(), rv.clone())
    attrs = {"training": training, "momentum": 0.3, "eps": 1e-3}
    if not training:
        attrs.update({"running_mean": encode(rm), "running_var": encode(rv)})
    case(f"batch_norm/no_affine_{'train' if training else 'eval'}", "batch_norm",
         lambda a: F.batch_norm(a, running[0], running[1], training=training, momentum=0.3, eps=1e-3), [x], attrs)
    if training:
        cases[-1].update({"running_mean_after": encode(running[0]), "running_var_after": encode(running[1])})
# Evenly spread rows: a value within float32 rounding of its row mean would print digits that
# depend on the order PyTorch's kernel sums in (its value still matches within atol).
case("layer_norm/no_affine", "layer_norm", lambda a: F.layer_norm(a, [2, 3]),
     [torch.linspace(-2, 3, 24).reshape(4, 2, 3) ** 2], {"normalized_shape": [2, 3], "eps": 1e-5})
case("embedding/negative_padding", "embedding", lambda i, w: F.embedding(i, w, padding_idx=-2),
     [torch.tensor([[0, 3, 4], [4, 1, 0]]), torch.randn(5, 3)], {"padding_idx": -2})
case("elu/alpha0.5", "elu", lambda a: F.elu(a, alpha=0.5), [torch.randn(3, 4)], {"alpha": 0.5})
case("hardtanh/bounds", "hardtanh", lambda a: F.hardtanh(a, -0.5, 2.0), [torch.tensor([-1.0, -0.5, 0.0, 1.0, 2.0, 3.0])],
     {"min_val": -0.5, "max_val": 2.0})
case("gelu_tanh/wide", "gelu_tanh", lambda a: F.gelu(a, approximate="tanh"), [torch.linspace(-6, 6, 13)], {"approximate": "tanh"})
case("silu/wide", "silu", F.silu, [torch.linspace(-8, 8, 9, dtype=torch.float64)])
for seed, p, shape, dtype in [(0, 0.3, (4, 5), torch.float32), (7, 0.5, (40,), torch.float32), (3, 0.2, (3, 7), torch.float64),
                              (1, 1.0, (2, 3), torch.float32)]:
    def dropout(a, seed=seed, p=p):
        torch.manual_seed(seed)
        return F.dropout(a, p, training=True)
    case(f"dropout/seed{seed}_p{p}_{NAMES[dtype]}", "dropout", dropout, [torch.randn(*shape, dtype=dtype)],
         {"p": p, "training": True, "seed": seed})

with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "ops.json"), "w") as f:
    json.dump({"generated_by": "tests/data/nn-extra/nn-extra.py, torch " + torch.__version__, "cases": cases}, f)
print(len(cases), "cases")
