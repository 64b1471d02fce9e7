"""The weight modifier of an AIHWKit InferenceTile: the modified weights its forward pass uses."""

import torch

from parity_common import build, columns_as_quantities, main, tensor
from aihwkit.simulator.configs import InferenceRPUConfig, WeightModifierParameter


def run(case, inputs, stopwatch):
    cfg = InferenceRPUConfig()
    cfg.forward.is_perfect = True  # a perfect forward reads the modified weights exactly
    cfg.modifier = build(case["modifier"], WeightModifierParameter(), "modifier")
    out_size, in_size = case["out_size"], case["in_size"]
    tile = cfg.tile_class(out_size, in_size, cfg)
    tile.set_weights(tensor(inputs["weights"]))
    tile.train()
    eye = torch.eye(in_size)
    rows = []
    for _ in range(case["draws"]):
        with stopwatch:
            tile.post_update_step()
            y = tile.tile.forward(eye, False, False, False, False, False)  # [in, out] = W_mod^T
        rows.append(y.T.reshape(-1).to(torch.float64))
    labels = [f"W[{i},{j}]" for i in range(out_size) for j in range(in_size)]
    return {"modified": columns_as_quantities(torch.stack(rows), labels)}, {}


if __name__ == "__main__":
    main(run)
