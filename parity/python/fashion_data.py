"""The Fashion-MNIST split our side exported (raw uint8 files), as normalized torch tensors."""

import numpy as np
import torch
from torch import nn

from aihwkit.nn import AnalogLinear, AnalogSequential


def load_split(data, name):
    split = data[name]
    size = data["image_size"]
    images = np.fromfile(split["images"], dtype=np.uint8).reshape(split["count"], size)
    labels = np.fromfile(split["labels"], dtype=np.uint8)
    x = torch.from_numpy(images.astype(np.float32) / 255.0)
    norm = data["normalize"]
    if norm is not None:
        x = (x - norm["mean"]) / norm["std"]
    return x, torch.from_numpy(labels.astype(np.int64))


def fc_model(rpu_config):
    """784-256-128-10, sigmoid, log-softmax (AIHWKit's experiments docs FC network)."""
    return AnalogSequential(
        AnalogLinear(784, 256, True, rpu_config=rpu_config),
        nn.Sigmoid(),
        AnalogLinear(256, 128, True, rpu_config=rpu_config),
        nn.Sigmoid(),
        AnalogLinear(128, 10, True, rpu_config=rpu_config),
        nn.LogSoftmax(dim=1),
    )


@torch.no_grad()
def evaluate(model, x, y, batch=1000):
    model.eval()
    loss, correct = 0.0, 0
    for s in range(0, x.shape[0], batch):
        out = model(x[s:s + batch])
        loss += nn.functional.nll_loss(out, y[s:s + batch], reduction="sum").item()
        correct += (out.argmax(1) == y[s:s + batch]).sum().item()
    model.train()
    return correct / x.shape[0], loss / x.shape[0]
