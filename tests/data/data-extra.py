"""Generates data-extra.json: PyTorch 1.13's randperm, DataLoader, random_split and digits split.

Run with the Python that has PyTorch 1.13 (Debian's python3-torch):
    /usr/bin/python3 tests/data/data-extra.py

Layout: {"generated_by": "...", "randperm": [...], "loaders": [...], "splits": [...], "digits": {...}}

randperm: {"id", "seed", "n", "dtype", "generator", "values", "then_randn"}
    generator "default": torch.manual_seed(seed); torch.randperm(n, dtype=dtype)
    generator "own":     torch.randperm(n, dtype=dtype, generator=torch.Generator().manual_seed(seed))
    then_randn is the next torch.randn(3) from the generator that drew the permutation.

loaders: {"id", "n", "batch_size", "shuffle", "drop_last", "seed", "generator_seed", "epochs", "then_randn"}
    dataset = TensorDataset(torch.arange(n), torch.arange(n) * 0.5); torch.manual_seed(seed);
    loader = DataLoader(dataset, batch_size, shuffle, drop_last=drop_last,
                        generator=None if generator_seed is None else Generator().manual_seed(generator_seed))
    epochs: two full passes, each a list of batches, each batch the int64 field's values;
    then_randn: torch.randn(3) from the global generator after both passes (the loader's draws
    from it, or not, show there).

splits: {"id", "n", "lengths", "seed", "generator", "subsets", "then_randn"}
    torch.manual_seed(seed); random_split(range(n), lengths, generator=...), with generator "own"
    meaning torch.Generator().manual_seed(seed) and "default" the global one; subsets are the
    index lists; then_randn as above, from the generator used. lengths may be fractions.

digits: the permutation that splits digits.csv.gz (nn.json `training`, split_generator_seed 0):
    torch.randperm(1797, generator=torch.Generator().manual_seed(0)), and a few checksums of the
    loaded data (pixels / 16 as float32, labels int64).
"""
import csv
import gzip
import json
import os

import torch
from torch.utils.data import DataLoader, TensorDataset, random_split

assert torch.__version__.startswith("1.13"), torch.__version__

HERE = os.path.dirname(os.path.abspath(__file__))
DTYPES = {"int64": torch.int64, "float32": torch.float32, "float64": torch.float64}


def randperm_case(seed, n, dtype="int64", generator="default"):
    if generator == "default":
        torch.manual_seed(seed)
        values = torch.randperm(n, dtype=DTYPES[dtype])
        then = torch.randn(3)
    else:
        g = torch.Generator().manual_seed(seed)
        values = torch.randperm(n, dtype=DTYPES[dtype], generator=g)
        then = torch.randn(3, generator=g)
    return {"id": f"{generator}/{dtype}/{seed}/{n}", "seed": seed, "n": n, "dtype": dtype,
            "generator": generator, "values": [int(v) for v in values.tolist()], "then_randn": then.tolist()}


def loader_case(n, batch_size, shuffle, drop_last, seed, generator_seed):
    dataset = TensorDataset(torch.arange(n), torch.arange(n) * 0.5)
    torch.manual_seed(seed)
    g = None if generator_seed is None else torch.Generator().manual_seed(generator_seed)
    loader = DataLoader(dataset, batch_size=batch_size, shuffle=shuffle, drop_last=drop_last, generator=g)
    epochs = []
    for _ in range(2):
        batches = []
        for ints, halves in loader:
            assert torch.equal(halves, ints * 0.5)
            batches.append(ints.tolist())
        epochs.append(batches)
    assert all(len(e) == len(loader) for e in epochs)
    return {"id": f"{n}/{batch_size}/shuffle={shuffle}/drop_last={drop_last}/{seed}/{generator_seed}",
            "n": n, "batch_size": batch_size, "shuffle": shuffle, "drop_last": drop_last, "seed": seed,
            "generator_seed": generator_seed, "epochs": epochs, "then_randn": torch.randn(3).tolist()}


def split_case(n, lengths, seed, generator):
    torch.manual_seed(seed)
    g = torch.Generator().manual_seed(seed) if generator == "own" else torch.default_generator
    subsets = [list(s) for s in random_split(range(n), lengths, generator=g)]
    then = torch.randn(3, generator=g) if generator == "own" else torch.randn(3)
    return {"id": f"{generator}/{n}/{lengths}/{seed}", "n": n, "lengths": lengths, "seed": seed,
            "generator": generator, "subsets": subsets, "then_randn": then.tolist()}


def digits():
    with gzip.open(os.path.join(HERE, "digits", "digits.csv.gz"), "rt") as f:
        rows = [[int(v) for v in row] for row in csv.reader(f)]
    data = torch.tensor(rows)
    images = data[:, :64].to(torch.float32) / 16
    labels = data[:, 64]
    perm = torch.randperm(1797, generator=torch.Generator().manual_seed(0))
    return {"permutation": perm.tolist(), "image_sum": images.double().sum().item(),
            "label_sum": int(labels.sum()), "first_image": images[0].tolist(), "first_labels": labels[:10].tolist(),
            "train_label_counts": torch.bincount(labels[perm[:1437]], minlength=10).tolist()}


randperm = [randperm_case(0, n) for n in [0, 1, 2, 3, 17, 1000]]
randperm += [randperm_case(seed, 1797) for seed in [0, 1, 2**40 + 5]]
randperm += [randperm_case(0, 1797, generator="own"), randperm_case(7, 100, generator="own")]
randperm += [randperm_case(3, 50, dtype) for dtype in ["float32", "float64"]]

loaders = [
    loader_case(10, 3, False, False, 0, None),
    loader_case(10, 3, False, True, 0, None),
    loader_case(10, 4, True, False, 0, None),
    loader_case(10, 4, True, True, 1, None),
    loader_case(25, 7, True, False, 0, 5),
    loader_case(8, 8, True, False, 2, None),
    loader_case(5, 16, True, False, 3, None),
    loader_case(5, 16, True, True, 3, None),
]

splits = [
    split_case(10, [3, 7], 42, "own"),
    split_case(10, [3, 7], 0, "default"),
    split_case(30, [0.3, 0.3, 0.4], 42, "own"),
    split_case(11, [0.5, 0.5], 1, "own"),
    split_case(7, [0, 7], 2, "own"),
    split_case(1797, [1437, 360], 0, "own"),
]

path = os.path.join(HERE, "data-extra.json")
with open(path, "w") as f:
    json.dump({"generated_by": "PyTorch " + torch.__version__, "randperm": randperm, "loaders": loaders,
               "splits": splits, "digits": digits()}, f, separators=(",", ":"))
    f.write("\n")
print(f"{len(randperm)} randperm, {len(loaders)} loader, {len(splits)} split cases written to {path} "
      f"({os.path.getsize(path)} bytes)")
