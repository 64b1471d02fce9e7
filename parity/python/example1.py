"""AIHWKit's Example 1: AnalogLinear(4, 2) trained with MSE and AnalogSGD, loss per step over seeds."""

import torch
from torch.nn.functional import mse_loss

from aihwkit.nn import AnalogLinear
from aihwkit.optim import AnalogSGD

from parity_common import group, main, rpu_config, tensor


def run(case, inputs, stopwatch):
    x, y = tensor(inputs["x"]), tensor(inputs["y"])
    steps = case["report_steps"]
    samples = [[] for _ in steps]
    for seed in range(1, case["seeds"] + 1):
        torch.manual_seed(seed)
        model = AnalogLinear(4, 2, bias=True, rpu_config=rpu_config(case["rpu_config"]))
        opt = AnalogSGD(model.parameters(), lr=case["lr"])
        opt.regroup_param_groups(model)
        losses = []
        with stopwatch:
            for _ in range(case["steps"]):
                opt.zero_grad()
                loss = mse_loss(model(x), y)
                loss.backward()
                opt.step()
                losses.append(loss.item())
        for q, s in enumerate(steps):
            samples[q].append(losses[s - 1])
    return {"loss": group([f"loss at step {s}" for s in steps], samples)}, {}


if __name__ == "__main__":
    main(run)
