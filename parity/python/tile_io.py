"""Forward or backward of one AIHWKit tile (the C++ simulator tile, no periphery), many draws."""

import torch

from parity_common import columns_as_quantities, main, rpu_config, tensor


def run(case, inputs, stopwatch):
    cfg = rpu_config(case["rpu_config"])
    out_size, in_size = case["out_size"], case["in_size"]
    weights = tensor(inputs["weights"])
    x = tensor(inputs["inputs"])
    draws, batch = case["draws"], x.shape[0]

    def new_tile():
        tile = cfg.tile_class(out_size, in_size, cfg)
        tile.tile.set_weights(weights)
        return tile

    def one_pass(tile, rows):
        with stopwatch:
            if case["direction"] == "forward":
                # forward(x, bias, in_trans, out_trans, is_test, non_blocking)
                return tile.tile.forward(rows, False, False, False, False, False)
            # backward(d, bias, in_trans, out_trans, non_blocking)
            return tile.tile.backward(rows, False, False, False, False)

    if case["fresh_tiles"]:
        y = torch.cat([one_pass(new_tile(), x) for _ in range(draws)])
    else:
        y = one_pass(new_tile(), x.repeat(draws, 1))
    output = y.shape[1]
    labels = [f"x{b}→y{i}" for b in range(batch) for i in range(output)]
    return {"outputs": columns_as_quantities(y.reshape(draws, batch * output), labels)}, {}


if __name__ == "__main__":
    main(run)
