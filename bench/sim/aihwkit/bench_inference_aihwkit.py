"""AIHWKit's side of bench/sim/inference.ts: program and drift one 784x256 weight matrix with
PCMLikeNoiseModel (median of 10), and the inference samples/s of the MNIST FC network with
StandardHWATrainingPreset programmed and drifted to one day. Prints one JSON line.
Usage: python bench_inference_aihwkit.py <images> <seed>"""
import json
import sys
import time

import torch
from aihwkit.inference import PCMLikeNoiseModel
from aihwkit.nn import AnalogLinear, AnalogSequential
from aihwkit.simulator.presets import StandardHWATrainingPreset

images = int(sys.argv[1])
torch.manual_seed(int(sys.argv[2]))
torch.set_num_threads(2)

model = PCMLikeNoiseModel()
weights = torch.randn(256, 784) * 0.05
program, drift = [], []
for k in range(11):
    t0 = time.perf_counter()
    programmed, nu = model.apply_programming_noise(weights)
    t1 = time.perf_counter()
    model.apply_drift_noise(programmed, nu, 86400.0)
    t2 = time.perf_counter()
    if k:  # the first round warms up
        program.append(t1 - t0)
        drift.append(t2 - t1)

rpu = StandardHWATrainingPreset()
net = AnalogSequential(
    AnalogLinear(784, 256, rpu_config=rpu),
    torch.nn.Sigmoid(),
    AnalogLinear(256, 128, rpu_config=rpu),
    torch.nn.Sigmoid(),
    AnalogLinear(128, 10, rpu_config=rpu),
    torch.nn.LogSoftmax(dim=1),
)
net.eval()
net.program_analog_weights()
net.drift_analog_weights(86400.0)
x = torch.rand(images, 784)
best = 0.0
with torch.no_grad():
    for _ in range(3):
        t0 = time.perf_counter()
        for s in range(0, images, 500):
            net(x[s : s + 500])
        best = max(best, images / (time.perf_counter() - t0))

print(
    json.dumps(
        {
            "program_drift_784x256": {
                "program_ms_median": sorted(program)[len(program) // 2] * 1000,
                "drift_ms_median": sorted(drift)[len(drift) // 2] * 1000,
            },
            "fc_mnist_samples_per_s": best,
        }
    )
)
