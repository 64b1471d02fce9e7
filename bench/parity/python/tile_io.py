"""Forward or backward of one AIHWKit tile (the C++ simulator tile, no periphery), many draws."""

from parity_common import columns_as_quantities, main, rpu_config, tensor


def run(case, inputs, stopwatch):
    cfg = rpu_config(case["rpu_config"])
    out_size, in_size = case["out_size"], case["in_size"]
    tile = cfg.tile_class(out_size, in_size, cfg)
    tile.tile.set_weights(tensor(inputs["weights"]))
    x = tensor(inputs["inputs"])
    draws, batch = case["draws"], x.shape[0]
    repeated = x.repeat(draws, 1)
    with stopwatch:
        if case["direction"] == "forward":
            # forward(x, bias, in_trans, out_trans, is_test, non_blocking)
            y = tile.tile.forward(repeated, False, False, False, False, False)
        else:
            # backward(d, bias, in_trans, out_trans, non_blocking)
            y = tile.tile.backward(repeated, False, False, False, False)
    output = y.shape[1]
    labels = [f"x{b}→y{i}" for b in range(batch) for i in range(output)]
    return {"outputs": columns_as_quantities(y.reshape(draws, batch * output), labels)}, {}


if __name__ == "__main__":
    main(run)
