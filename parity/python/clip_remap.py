"""Weight clipping and remapping of an AIHWKit InferenceTile in its post-update step."""

from parity_common import build, group, main, tensor
from aihwkit.simulator.configs import InferenceRPUConfig, WeightClipParameter, WeightRemapParameter


def run(case, inputs, stopwatch):
    cfg = InferenceRPUConfig()
    if case.get("clip"):
        cfg.clip = build(case["clip"], WeightClipParameter(), "clip")
    if case.get("remap"):
        cfg.remap = build(case["remap"], WeightRemapParameter(), "remap")
    out_size, in_size = case["out_size"], case["in_size"]
    tile = cfg.tile_class(out_size, in_size, cfg)
    tile.set_weights(tensor(inputs["weights"]))
    with stopwatch:
        tile.post_update_step()
    w = tile.tile.get_weights().reshape(-1).tolist()
    groups = {"weights": group([f"W[{i},{j}]" for i in range(out_size) for j in range(in_size)], [[v] for v in w])}
    if case.get("remap"):
        scales = tile.get_scales()
        values = [1.0] * out_size if scales is None else scales.reshape(-1).tolist()
        groups["scales"] = group([f"scale[{i}]" for i in range(out_size)], [[v] for v in values])
    return groups, {}


if __name__ == "__main__":
    main(run)
