"""Programming noise, drift and read noise of an AIHWKit noise model at several levels and times."""

import torch

from parity_common import build, group, js_num, main


def level_label(level):
    return f"w={'+' if level >= 0 else ''}{js_num(level)}"


def run(case, inputs, stopwatch):
    model = build(case["noise_model"], None, "noise_model")
    levels, repeats = case["levels"], case["repeats"]
    weights = torch.cat([torch.full((repeats,), float(l)) for l in levels] + [torch.ones(1)]).reshape(1, -1)

    def per_level(values, suffix):
        values = values.reshape(-1).to(torch.float64)
        return group(
            [f"{level_label(l)} {suffix}" for l in levels],
            [values[k * repeats:(k + 1) * repeats].tolist() for k in range(len(levels))],
        )

    with stopwatch:
        programmed, drift_params = model.apply_programming_noise(weights)
    nu = torch.where(weights >= 0, drift_params[0], drift_params[1])
    groups = {"programmed": per_level(programmed, "programmed"), "nu": per_level(nu, "ν")}
    for t in case["t_inference"]:
        with stopwatch:
            drifted = model.apply_drift_noise(programmed, drift_params, float(t))
        groups[f"t={js_num(t)}"] = per_level(drifted, f"at t={js_num(t)} s")
    return groups, {}


if __name__ == "__main__":
    main(run)
