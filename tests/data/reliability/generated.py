"""Writes a reliability table: each case's record, keyed by id, into the .json beside its script."""
import json
import os

import torch


def write(script, cases, record):
    name = os.path.splitext(os.path.basename(script))[0]
    out = {"generated_by": f"tests/data/reliability/{name}.py, torch {torch.__version__}",
           "cases": {id: record(fn) for id, fn in cases.items()}}
    path = os.path.join(os.path.dirname(os.path.abspath(script)), name + ".json")
    with open(path, "w") as f:
        json.dump(out, f, indent=1, sort_keys=True)
        f.write("\n")
    print(f"{len(cases)} cases -> {path}")
