"""AIHWKit side of `npm run bench:sim`: the same workloads in AIHWKit's CPU engine, as JSON on stdout.

Usage: python bench_aihwkit.py <data_dir> <epoch: 0|1> <tile_repeats> <seed>
<data_dir> holds the Fashion-MNIST split written by bench/sim/index.ts (train/test images and labels).
"""
import json
import math
import sys
import time

import numpy as np
import torch

import aihwkit
from aihwkit.nn import AnalogLinear, AnalogSequential
from aihwkit.optim import AnalogSGD
from aihwkit.simulator.configs import ConstantStepDevice, SingleRPUConfig, SoftBoundsDevice
from aihwkit.simulator.tiles.analog import AnalogTile

data_dir, run_epoch, repeats, seed = sys.argv[1], sys.argv[2] == "1", int(sys.argv[3]), int(sys.argv[4])
torch.manual_seed(seed)
torch.set_num_threads(2)


def inputs(rows, cols, scale):
    # The same deterministic inputs as the TypeScript side: v_ij = scale·sin(0.7·i + 0.3·j + 0.1).
    i = np.arange(rows).reshape(-1, 1)
    j = np.arange(cols).reshape(1, -1)
    return torch.tensor(scale * np.sin(0.7 * i + 0.3 * j + 0.1), dtype=torch.float32)


def tile_bench(device):
    tile = AnalogTile(256, 784, SingleRPUConfig(device=device))
    tile.set_learning_rate(0.05)
    x = inputs(64, 784, 1.0)
    d = inputs(64, 256, 0.01)
    out = {}
    for name, fn in (
        ("forward", lambda: tile.forward(x)),
        ("backward", lambda: tile.backward(d)),
        ("update", lambda: tile.update(x, d)),
    ):
        fn()  # warm-up
        best = 0.0
        for _ in range(3):  # best of 3 rounds, as the TypeScript side
            t = time.perf_counter()
            for _ in range(repeats):
                fn()
            best = max(best, 64 * repeats / (time.perf_counter() - t))
        out[f"{name}_samples_per_s"] = best
    return out


result = {
    "version": aihwkit.__version__,
    "torch_threads": torch.get_num_threads(),
    "tile_784x256_batch64": {
        "ConstantStep": tile_bench(ConstantStepDevice()),
        "SoftBounds": tile_bench(SoftBoundsDevice()),
    },
}

if run_epoch:

    def load(split):
        x = np.fromfile(f"{data_dir}/{split}-images.bin", dtype=np.uint8).reshape(-1, 784).astype(np.float32) / 255
        y = np.fromfile(f"{data_dir}/{split}-labels.bin", dtype=np.uint8).astype(np.int64)
        return torch.tensor((x - 0.2860) / 0.3205), torch.tensor(y)

    xtr, ytr = load("train")
    xte, yte = load("test")
    rc = SingleRPUConfig(device=ConstantStepDevice())
    model = AnalogSequential(
        AnalogLinear(784, 256, rpu_config=rc), torch.nn.Sigmoid(),
        AnalogLinear(256, 128, rpu_config=rc), torch.nn.Sigmoid(),
        AnalogLinear(128, 10, rpu_config=rc), torch.nn.LogSoftmax(dim=1),
    )
    opt = AnalogSGD(model.parameters(), lr=0.05)
    opt.regroup_param_groups(model)
    perm = torch.randperm(xtr.shape[0])
    batches = math.ceil(xtr.shape[0] / 64)
    loss_sum = 0.0
    t = time.perf_counter()
    for k in range(batches):
        idx = perm[k * 64:(k + 1) * 64]
        opt.zero_grad()
        loss = torch.nn.functional.nll_loss(model(xtr[idx]), ytr[idx])
        loss.backward()
        opt.step()
        loss_sum += loss.item() * len(idx)
    seconds = time.perf_counter() - t
    model.eval()
    with torch.no_grad():
        accuracy = (model(xte).argmax(1) == yte).float().mean().item()
    result["fashion_mnist_fc"] = {
        "seconds_per_epoch": seconds,
        "test_accuracy": accuracy,
        "train_loss": loss_sum / xtr.shape[0],
    }

print(json.dumps(result))
