"""The FC network on Fashion-MNIST trained with AIHWKit: accuracy and losses per epoch over seeds."""

import copy
import time

import torch
from torch import nn

from aihwkit.optim import AnalogSGD

from fashion_data import evaluate, fc_model, load_split
from parity_common import group, log, main, rpu_config


def run(case, inputs, stopwatch):
    x_train, y_train = load_split(inputs["data"], "train")
    x_test, y_test = load_split(inputs["data"], "test")
    cfg = rpu_config(case["rpu_config"])
    epochs, bs = case["epochs"], case["batch_size"]
    labels = [f"epoch {e} {m}" for e in range(1, epochs + 1) for m in ("test accuracy", "test loss", "train loss")]
    samples = [[] for _ in labels]
    for seed in range(1, case["seeds"] + 1):
        torch.manual_seed(seed)
        model = fc_model(copy.deepcopy(cfg))
        opt = AnalogSGD(model.parameters(), lr=case["lr"])
        opt.regroup_param_groups(model)
        for epoch in range(epochs):
            start = time.perf_counter()
            with stopwatch:
                order = torch.randperm(x_train.shape[0])
                total = 0.0
                for s in range(0, x_train.shape[0], bs):
                    idx = order[s:s + bs]
                    opt.zero_grad()
                    loss = nn.functional.nll_loss(model(x_train[idx]), y_train[idx])
                    loss.backward()
                    opt.step()
                    total += loss.item() * idx.shape[0]
                accuracy, test_loss = evaluate(model, x_test, y_test)
            values = [accuracy, test_loss, total / x_train.shape[0]]
            for k, v in enumerate(values):
                samples[epoch * 3 + k].append(v)
            log(f"seed {seed}/{case['seeds']} epoch {epoch + 1}: accuracy {accuracy:.4f}, "
                f"train loss {values[2]:.4f} ({time.perf_counter() - start:.1f} s)")
    return {"metrics": group(labels, samples)}, {}


if __name__ == "__main__":
    main(run)
