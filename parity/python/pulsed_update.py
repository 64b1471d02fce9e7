"""Pulsed update of one AIHWKit tile (the C++ simulator tile): ΔW per weight over fresh tiles."""

import torch

from parity_common import group, rpu_config, tensor, main


def run(case, inputs, stopwatch):
    cfg = rpu_config(case["rpu_config"])
    out_size, in_size = case["out_size"], case["in_size"]
    w0, x, d = tensor(inputs["weights"]), tensor(inputs["x"]), tensor(inputs["d"])
    draws = []
    for _ in range(case["draws"]):
        tile = cfg.tile_class(out_size, in_size, cfg)
        tile.tile.set_learning_rate(case["lr"])
        tile.tile.set_weights(w0)
        before = tile.tile.get_weights().clone()
        with stopwatch:
            for _ in range(case["updates"]):
                # update(x, d, bias, d_trans, x_trans, non_blocking): W <- W - lr * d^T x
                tile.tile.update(x, d, False, False, False, False)
        draws.append((tile.tile.get_weights() - before).reshape(-1).to(torch.float64))
    dw = torch.stack(draws)
    labels = [f"ΔW[{i},{j}]" for i in range(out_size) for j in range(in_size)]
    return {"dW": group(labels, dw.T.tolist())}, {}


if __name__ == "__main__":
    main(run)
