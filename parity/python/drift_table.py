"""Inference drift table in AIHWKit of the network our side trained (its logical weights loaded)."""

import numpy as np
import torch
from torch import nn

from aihwkit.nn import AnalogLinear

from fashion_data import fc_model, load_split
from parity_common import group, js_num, log, main, rpu_config


@torch.no_grad()
def test_metrics(model, x, y, batch=1000):
    loss, correct = 0.0, 0
    for s in range(0, x.shape[0], batch):
        out = model(x[s:s + batch])
        loss += nn.functional.nll_loss(out, y[s:s + batch], reduction="sum").item()
        correct += (out.argmax(1) == y[s:s + batch]).sum().item()
    return correct / x.shape[0], loss / x.shape[0]


def run(case, inputs, stopwatch):
    x_test, y_test = load_split(inputs["data"], "test")
    model = fc_model(rpu_config(case["rpu_config"]))
    analog = [m for m in model.children() if isinstance(m, AnalogLinear)]
    layers = inputs["layers"]
    if len(analog) != len(layers):
        raise ValueError(f"{len(layers)} exported layers for {len(analog)} analog layers")
    for layer, spec in zip(analog, layers):
        w = torch.from_numpy(np.fromfile(spec["weights"], dtype=np.float32).reshape(spec["shape"]))
        b = torch.from_numpy(np.fromfile(spec["bias"], dtype=np.float32)) if spec["bias"] else None
        layer.set_weights(w, b)
    model.eval()
    times = case["t_inference"]
    labels = [f"test {m} at t={js_num(t)} s" for t in times for m in ("accuracy", "loss")]
    samples = [[] for _ in labels]
    for r in range(case["repeats"]):
        with stopwatch:
            model.program_analog_weights()
            for k, t in enumerate(times):
                model.drift_analog_weights(float(t))
                accuracy, loss = test_metrics(model, x_test, y_test)
                samples[2 * k].append(accuracy)
                samples[2 * k + 1].append(loss)
        log(f"repeat {r + 1}/{case['repeats']}: accuracy {samples[0][-1]:.4f} at t={js_num(times[0])} s")
    return {"table": group(labels, samples)}, {}


if __name__ == "__main__":
    main(run)
