"""The main example's training run in PyTorch, for timing side by side with NativeGrad.

    OPENBLAS_NUM_THREADS=1 OPENBLAS_CORETYPE=Haswell /usr/bin/python3 benchmarks/pytorch/digits_train.py [--model cnn|mlp] [--epochs 30]
    dotnet run -c Release --project src/NativeGrad.Examples -- --quiet [--model cnn|mlp]

Same data (tests/data/digits/digits.csv.gz, pixels / 16), split (randperm(1797) from a generator
seeded 0, first 1437 train), manual_seed(0), model, Adam(lr=1e-3), batch 64 with a shuffled
DataLoader, cross-entropy; prints the training time (steps only, evaluation excluded, as the
example reports it) and the final test accuracy. Set OPENBLAS_CORETYPE (Haswell for AVX2,
SkylakeX or Cooperlake for AVX-512): OpenBLAS 0.3.21 misdetects newer CPUs.
"""
import argparse, gzip, os, time

import numpy as np
import torch
from torch import nn

parser = argparse.ArgumentParser()
parser.add_argument("--model", default="cnn", choices=["cnn", "mlp"])
parser.add_argument("--epochs", type=int, default=30)
parser.add_argument("--data", default=os.path.join(os.path.dirname(__file__), "../../tests/data/digits/digits.csv.gz"))
args = parser.parse_args()
torch.set_num_threads(1)

with gzip.open(args.data, "rt") as f:
    rows = np.loadtxt(f, delimiter=",", dtype=np.float32)
images, labels = torch.from_numpy(rows[:, :64] / 16), torch.from_numpy(rows[:, 64]).long()
order = torch.randperm(len(images), generator=torch.Generator().manual_seed(0))
train, test = order[:1437], order[1437:]

torch.manual_seed(0)
if args.model == "mlp":
    model = nn.Sequential(nn.Linear(64, 128), nn.ReLU(), nn.Linear(128, 10))
else:
    model = nn.Sequential(nn.Unflatten(1, (1, 8, 8)), nn.Conv2d(1, 16, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
                          nn.Conv2d(16, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(), nn.Linear(128, 10))
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
loader = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(images[train], labels[train]), batch_size=64, shuffle=True)

def accuracy(idx):
    model.eval()
    with torch.no_grad():
        return (model(images[idx]).argmax(1) == labels[idx]).float().mean().item()

training = 0.0
for epoch in range(args.epochs):
    model.train()
    start = time.perf_counter()
    for x, y in loader:
        optimizer.zero_grad()
        loss = nn.functional.cross_entropy(model(x), y)
        loss.backward()
        optimizer.step()
    training += time.perf_counter() - start
    test_accuracy = accuracy(test)
print(f"training time {training:.2f} s")
print(f"test accuracy {test_accuracy * 100:.2f}%")
