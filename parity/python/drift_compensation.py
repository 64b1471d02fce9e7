"""Drift compensation of an AIHWKit InferenceTile: program, drift to each t, alpha and a probe output."""

import torch

from parity_common import columns_as_quantities, js_num, main, rpu_config, tensor


def run(case, inputs, stopwatch):
    cfg = rpu_config(case["rpu_config"])
    out_size, in_size = case["out_size"], case["in_size"]
    weights, probe = tensor(inputs["weights"]), tensor(inputs["probe"])
    per_column = type(cfg.drift_compensation).__name__ == "PerColumnDriftCompensation"
    n_alpha = out_size if per_column else 1
    times = case["t_inference"]
    alphas = {t: [] for t in times}
    outputs = {t: [] for t in times}
    for _ in range(case["draws"]):
        tile = cfg.tile_class(out_size, in_size, cfg)
        tile.set_weights(weights)
        tile.eval()
        with stopwatch:
            tile.program_weights()
            for t in times:
                tile.drift_weights(float(t))
                alphas[t].append(torch.as_tensor(tile.alpha, dtype=torch.float64).reshape(-1).expand(n_alpha))
                outputs[t].append(tile.joint_forward(probe, is_test=True).reshape(-1).to(torch.float64))
    groups = {}
    for t in times:
        ts = js_num(t)
        labels = [f"alpha[{a}] at t={ts} s" for a in range(n_alpha)] if per_column else [f"alpha at t={ts} s"]
        groups[f"alpha t={ts}"] = columns_as_quantities(torch.stack(alphas[t]), labels)
        groups[f"output t={ts}"] = columns_as_quantities(
            torch.stack(outputs[t]), [f"probe→y{i} at t={ts} s" for i in range(out_size)]
        )
    return groups, {}


if __name__ == "__main__":
    main(run)
