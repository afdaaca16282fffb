"""PyTorch's side of the performance table, the same workloads as benchmarks/NativeGrad.Benchmarks,
float32 on one thread, printed one row per line:

    /usr/bin/python3 benchmarks/pytorch/performance_table.py

    sgemm n=64, 256, 512, 1024   GFLOP/s (2 n^3 / time), torch.mm
    add 16M, exp 16M, sum 16M    GB/s over 16M float32: two tensors added into a new one, exp, sum
    no-grad add 16               us per a + b of 16 elements under torch.no_grad()
    backward 16                  us per (w*w + w).sum().backward() with 16 elements
    MLP SGD step                 us per step of Linear(784, 256), ReLU, Linear(256, 10) on a batch
                                 of 64: zero_grad, forward, cross-entropy, backward, SGD step
    sgemm n=1024 2 threads       GFLOP/s with two threads (in a child process)

torch.mm goes to the system BLAS (OpenBLAS on Debian), which reads OPENBLAS_NUM_THREADS and
OPENBLAS_CORETYPE when it loads, so they are set here before torch is imported (a value already
in the environment wins). OpenBLAS 0.3.21 misdetects newer CPUs and then runs slow generic
kernels: the core type is SkylakeX on CPUs with AVX-512, else Haswell, and on AVX-512 CPUs the
sgemm rows are repeated with Haswell (the AVX2 kernels) in a child process. OPENBLAS_VERBOSE=2
prints the core OpenBLAS chose.
"""
import argparse, os, subprocess, sys, time

parser = argparse.ArgumentParser()
parser.add_argument("--part", default="all", choices=["all", "sgemm", "sgemm-2-threads"],
                    help="the child processes' parts: the sgemm rows, or n=1024 on two threads")
args = parser.parse_args()


def cpu_has_avx512():
    try:
        with open("/proc/cpuinfo") as f:
            return any(line.startswith("flags") and " avx512f" in line for line in f)
    except OSError:
        return False


best_core_type = "SkylakeX" if cpu_has_avx512() else "Haswell"
threads = 2 if args.part == "sgemm-2-threads" else 1
os.environ.setdefault("OPENBLAS_NUM_THREADS", str(threads))
os.environ.setdefault("OPENBLAS_CORETYPE", best_core_type)

import torch  # noqa: E402  (after the OpenBLAS variables, which it reads when it loads)
from torch import nn  # noqa: E402

torch.set_num_threads(threads)
torch.manual_seed(0)


def best_of(fn, repeats, rounds=5):
    """The fastest of `rounds` timings of `repeats` calls, per call, in seconds."""
    fn()
    best = float("inf")
    for _ in range(rounds):
        start = time.perf_counter()
        for _ in range(repeats):
            fn()
        best = min(best, (time.perf_counter() - start) / repeats)
    return best


def row(name, value, unit):
    print(f"{name:<32} {value:9.1f} {unit}", flush=True)


def sgemm(sizes, suffix=""):
    for n in sizes:
        a, b = torch.rand(n, n), torch.rand(n, n)
        seconds = best_of(lambda: torch.mm(a, b), max(1, int(2e8 / n**3)))
        row(f"sgemm n={n}{suffix}", 2 * n**3 / seconds / 1e9, "GFLOP/s")


def child(part, extra_environment):
    environment = {**os.environ, **extra_environment}
    subprocess.run([sys.executable, __file__, "--part", part], env=environment, check=True)


if args.part == "sgemm":
    sgemm((64, 256, 512, 1024), f" OpenBLAS {os.environ['OPENBLAS_CORETYPE']}")
    sys.exit()
if args.part == "sgemm-2-threads":
    sgemm((1024,), " 2 threads")
    sys.exit()

print(f"torch {torch.__version__}, threads {torch.get_num_threads()}, "
      f"OPENBLAS_CORETYPE={os.environ['OPENBLAS_CORETYPE']}, OPENBLAS_NUM_THREADS={os.environ['OPENBLAS_NUM_THREADS']}")
sgemm((64, 256, 512, 1024))
if best_core_type == "SkylakeX":
    child("sgemm", {"OPENBLAS_CORETYPE": "Haswell"})

count = 16 * 1024 * 1024
x, y = torch.rand(count), torch.rand(count)
gigabytes = count * 4 / 1e9
row("add 16M", 3 * gigabytes / best_of(lambda: x + y, 10), "GB/s")
row("exp 16M", 2 * gigabytes / best_of(lambda: x.exp(), 10), "GB/s")
row("sum 16M", gigabytes / best_of(lambda: x.sum(), 20), "GB/s")

small, other = torch.rand(16), torch.rand(16)


def no_grad_add():
    with torch.no_grad():
        small + other


row("no-grad add 16", best_of(no_grad_add, 20000) * 1e6, "us")

w = torch.rand(16, requires_grad=True)
row("backward 16", best_of(lambda: (w * w + w).sum().backward(), 5000) * 1e6, "us")

model = nn.Sequential(nn.Linear(784, 256), nn.ReLU(), nn.Linear(256, 10))
optimizer = torch.optim.SGD(model.parameters(), lr=0.01)
images, labels = torch.rand(64, 784), torch.randint(10, (64,))


def mlp_step():
    optimizer.zero_grad()
    nn.functional.cross_entropy(model(images), labels).backward()
    optimizer.step()


row("MLP SGD step", best_of(mlp_step, 200) * 1e6, "us")
child("sgemm-2-threads", {"OPENBLAS_NUM_THREADS": "2"})
