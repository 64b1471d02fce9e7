"""Device response curve of AIHWKit devices: N single up pulses then N single down pulses."""

import torch

from parity_common import apply_fields, group, main, rpu_config

SINGLE_PULSE_UPDATE = {
    "desired_bl": 1,
    "fixed_bl": True,
    "update_bl_management": False,
    "update_management": False,
    "pulse_type": "STOCHASTIC_COMPRESSED",
}


def run(case, inputs, stopwatch):
    cfg = rpu_config(case["rpu_config"])
    apply_fields(cfg.update, SINGLE_PULSE_UPDATE, "update")
    points = inputs["checkpoints"]
    n, devices = case["pulses"], case["devices"]
    x = torch.ones(1, 1)
    up, down = -torch.ones(1, devices), torch.ones(1, devices)
    columns = {p: [] for p in points}
    for _ in range(case["draws"]):
        tile = cfg.tile_class(devices, 1, cfg)
        tile.tile.set_learning_rate(1.0)
        tile.tile.set_weights(torch.full((devices, 1), float(case["w0"])))
        if 0 in columns:
            columns[0].extend(tile.tile.get_weights().flatten().tolist())
        with stopwatch:
            for p in range(1, 2 * n + 1):
                tile.tile.update(x, up if p <= n else down, False, False, False, False)
                if p in columns:
                    columns[p].extend(tile.tile.get_weights().flatten().tolist())
    labels = [f"w after {p} up" if p <= n else f"w after {n} up, {p - n} down" for p in points]
    return {"curve": group(labels, [columns[p] for p in points])}, {}


if __name__ == "__main__":
    main(run)
