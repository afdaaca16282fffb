"""PyTorch's side of the kernel rows of the performance table, on one thread:
sgemm GFLOP/s at n = 64, 256, 512, 1024, and GB/s for add (two 16M float32 tensors into a new
one), exp and sum over 16M float32. (overhead.py times the per-op and training-step rows.)

    OPENBLAS_NUM_THREADS=1 OPENBLAS_CORETYPE=SkylakeX /usr/bin/python3 benchmarks/pytorch/kernels.py

Use OPENBLAS_CORETYPE=Haswell for the AVX2 comparison (OpenBLAS 0.3.21 misdetects newer CPUs and
then runs slow generic kernels; OPENBLAS_VERBOSE=2 prints the core it chose).
"""
import time

import torch

torch.set_num_threads(1)


def best_of(fn, repeats, rounds=5):
    fn()
    best = float("inf")
    for _ in range(rounds):
        start = time.perf_counter()
        for _ in range(repeats):
            fn()
        best = min(best, (time.perf_counter() - start) / repeats)
    return best


print(f"torch {torch.__version__}, threads {torch.get_num_threads()}")
for n in (64, 256, 512, 1024):
    a, b = torch.randn(n, n), torch.randn(n, n)
    seconds = best_of(lambda: torch.mm(a, b), max(1, int(2e8 / n**3)))
    print(f"sgemm n={n:<5} {2 * n**3 / seconds / 1e9:7.1f} GFLOP/s")

count = 16 * 1024 * 1024
x, y = torch.rand(count), torch.rand(count)
mb = count * 4 / 1e9
print(f"add 16M        {3 * mb / best_of(lambda: x + y, 10):7.1f} GB/s")
print(f"exp 16M        {2 * mb / best_of(lambda: x.exp(), 10):7.1f} GB/s")
print(f"sum 16M        {mb / best_of(lambda: x.sum(), 20):7.1f} GB/s")
