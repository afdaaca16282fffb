"""torch.utils.data.distributed.DistributedSampler's indices for a few configurations, for
tests/NativeGrad.Tests/Distributed/DistributedSamplerTests.cs. Run with /usr/bin/python3 (torch 1.13)."""
import json
import os

import torch
from torch.utils.data.distributed import DistributedSampler

assert torch.__version__.startswith("1.13"), torch.__version__
cases = []
for n, world, shuffle, seed, epoch, drop_last in [(10, 3, True, 7, 2, False), (10, 3, True, 0, 0, True), (10, 3, False, 0, 0, False),
                                                 (5, 4, True, 3, 1, False), (2, 4, False, 0, 0, False), (16, 2, True, 11, 5, False)]:
    for rank in range(world):
        sampler = DistributedSampler(range(n), num_replicas=world, rank=rank, shuffle=shuffle, seed=seed, drop_last=drop_last)
        sampler.set_epoch(epoch)
        cases.append({"n": n, "world": world, "rank": rank, "shuffle": shuffle, "seed": seed, "epoch": epoch,
                      "drop_last": drop_last, "indices": list(sampler)})
with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "sampler.json"), "w") as f:
    json.dump(cases, f, indent=0)
    f.write("\n")
print(len(cases), "cases")
