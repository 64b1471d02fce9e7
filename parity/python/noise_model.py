"""Programming noise, drift and read noise of an AIHWKit noise model at several levels and times.

Each draw programs its own small weight matrix (one weight per level plus a pinned 1.0), as our side.
"""

import torch

from parity_common import build, columns_as_quantities, js_num, main


def level_label(level):
    return f"w={'+' if level >= 0 else ''}{js_num(level)}"


def run(case, inputs, stopwatch):
    model = build(case["noise_model"], None, "noise_model")
    levels = case["levels"]
    weights = torch.tensor([list(levels) + [1.0]], dtype=torch.float32)
    positive = weights[0, :-1] >= 0
    times = case["t_inference"]
    programmed_rows, nu_rows = [], []
    drifted_rows = {t: [] for t in times}
    for _ in range(case["repeats"]):
        with stopwatch:
            programmed, drift_params = model.apply_programming_noise(weights)
            drifted = {t: model.apply_drift_noise(programmed, drift_params, float(t)) for t in times}
        programmed_rows.append(programmed[0, :-1].to(torch.float64))
        nu = torch.where(positive, drift_params[0][0, :-1], drift_params[1][0, :-1])
        nu_rows.append(nu.to(torch.float64))
        for t in times:
            drifted_rows[t].append(drifted[t][0, :-1].to(torch.float64))

    def per_level(rows, suffix):
        return columns_as_quantities(torch.stack(rows), [f"{level_label(l)} {suffix}" for l in levels])

    groups = {"programmed": per_level(programmed_rows, "programmed"), "nu": per_level(nu_rows, "ν")}
    for t in times:
        groups[f"t={js_num(t)}"] = per_level(drifted_rows[t], f"at t={js_num(t)} s")
    return groups, {}


if __name__ == "__main__":
    main(run)
