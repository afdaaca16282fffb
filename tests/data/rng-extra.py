"""Generates rng-extra.json: PyTorch 1.13's CPU random streams, for NativeGrad's Generator tests.

Run with the Python that has PyTorch 1.13 (Debian's python3-torch, an AVX2 build on x86-64):
    /usr/bin/python3 tests/data/rng-extra.py

Layout: {"generated_by": "...", "cases": [CASE, ...]}, each CASE is
    {"id", "seed", "steps": [STEP, ...]}
meaning: torch.manual_seed(seed), then each STEP in order on the default generator, so a case also
checks that the stream position and the cached Box-Muller normal carry over between calls. A STEP is
    {"fn", "dtype", "shape", "args", "data"}
with fn one of
    randn      torch.randn(shape, dtype=dtype)
    rand       torch.rand(shape, dtype=dtype)
    normal     torch.empty(shape, dtype=dtype).normal_(args[0], args[1])
    uniform    torch.empty(shape, dtype=dtype).uniform_(args[0], args[1])
    randint    torch.randint(args[0], args[1], shape)            (int64)
    randperm   torch.randperm(args[0])                            (int64, shape [args[0]])
    bernoulli  torch.empty(shape, dtype=dtype).bernoulli_(args[0])
and data the result flattened in row-major order. float32 values are written as the shortest decimal
that reads back, through a double, as the same float32; float64 values as Python's repr.
"""
import json
import math
import os

import numpy as np
import torch

assert torch.__version__.startswith("1.13"), torch.__version__

DTYPES = {"float32": torch.float32, "float64": torch.float64, "int64": torch.int64}
SEEDS = [0, 1, 42, 123456789, 2**40 + 5]


def short_float32(value):
    """The shortest decimal that parses to a double which rounds to this float32."""
    text = repr(np.float32(value))
    shortest = float(text)
    assert np.float32(shortest) == np.float32(value) and math.copysign(1, shortest) == math.copysign(1, value)
    return shortest


def step(fn, shape=(), dtype="float32", args=()):
    return {"fn": fn, "dtype": dtype, "shape": list(shape), "args": list(args)}


def run(s):
    shape, dtype, args = tuple(s["shape"]), DTYPES[s["dtype"]], s["args"]
    fn = s["fn"]
    if fn == "randn":
        t = torch.randn(shape, dtype=dtype)
    elif fn == "rand":
        t = torch.rand(shape, dtype=dtype)
    elif fn == "normal":
        t = torch.empty(shape, dtype=dtype).normal_(args[0], args[1])
    elif fn == "uniform":
        t = torch.empty(shape, dtype=dtype).uniform_(args[0], args[1])
    elif fn == "randint":
        t = torch.randint(args[0], args[1], shape)
    elif fn == "randperm":
        t = torch.randperm(args[0])
    elif fn == "bernoulli":
        t = torch.empty(shape, dtype=dtype).bernoulli_(args[0])
    else:
        raise ValueError(fn)
    assert t.dtype == dtype, (fn, t.dtype, dtype)
    values = t.flatten().tolist()
    if dtype == torch.float32:
        values = [short_float32(v) for v in values]
    return dict(s, data=values)


cases = []


def case(case_id, seed, steps):
    torch.manual_seed(seed)
    cases.append({"id": case_id, "seed": seed, "steps": [run(s) for s in steps]})


for seed in SEEDS:
    # One call after seeding. Sizes around 16 cross the switch from the scalar Box-Muller path
    # to the 16-element block fill, and 17 and 33 exercise its redone tail.
    case(f"randn/float32/{seed}/scalar", seed, [step("randn")])
    case(f"randn/float64/{seed}/scalar", seed, [step("randn", dtype="float64")])
    for n in [1, 2, 15, 16, 17, 33]:
        case(f"randn/float32/{seed}/{n}", seed, [step("randn", [n])])
    for n in [3, 15, 16, 17, 31]:
        case(f"randn/float64/{seed}/{n}", seed, [step("randn", [n], "float64")])
    for dtype in ["float32", "float64"]:
        case(f"rand/{dtype}/{seed}/2x3", seed, [step("rand", [2, 3], dtype)])
    for low, high, n in [(0, 10, 8), (-5, 5, 8), (0, 2**32 - 1, 4), (0, 2**32, 4), (0, 2**33, 4), (-2**62, 2**62, 4)]:
        case(f"randint/{seed}/{low}/{high}", seed, [step("randint", [n], "int64", [low, high])])
    case(f"randperm/{seed}", seed, [step("randperm", [10], "int64", [10])])
    case(f"bernoulli/{seed}", seed, [step("bernoulli", [8], "float32", [0.3]), step("bernoulli", [4], "float64", [0.7])])

    # Sequences on one generator: the cached second normal of the scalar path survives block
    # fills, uniform draws and integer draws, and is used by the next scalar normal.
    case(f"sequence/{seed}", seed, [
        step("randn", [3]),
        step("randn", [20]),
        step("rand", [5]),
        step("randn"),
        step("randn", [1], "float64"),
        step("randint", [4], "int64", [0, 7]),
        step("randn", [17], "float64"),
        step("randn", [2, 2]),
        step("rand", [3], "float64"),
        step("normal", [3], "float32", [0.5, 2.0]),
        step("normal", [16], "float32", [-3.25, 0.1]),
        step("normal", [2], "float64", [1000.0, 0.001]),
        step("uniform", [4], "float32", [-3.7, 5.1]),
        step("uniform", [3], "float64", [-1.0 / 3, 1.0 / 3]),
        step("randn", [1]),
    ])

# A few larger fills, for the block path over many blocks.
case("randn/float32/7/100", 7, [step("randn", [100])])
case("randn/float64/7/100", 7, [step("randn", [100], "float64")])

path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "rng-extra.json")
with open(path, "w") as f:
    json.dump({"generated_by": "PyTorch " + torch.__version__, "cases": cases}, f, separators=(",", ":"))
    f.write("\n")
print(f"{len(cases)} cases written to {path} ({os.path.getsize(path)} bytes)")
