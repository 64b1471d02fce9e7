"""Forward then backward through an AIHWKit AnalogLinear (no bias): the gradient w.r.t. its input."""

from aihwkit.nn import AnalogLinear

from parity_common import columns_as_quantities, main, rpu_config, tensor


def run(case, inputs, stopwatch):
    layer = AnalogLinear(case["in_size"], case["out_size"], bias=False, rpu_config=rpu_config(case["rpu_config"]))
    layer.set_weights(tensor(inputs["weights"]))
    draws, batch = case["draws"], case["input_count"]
    x = tensor(inputs["inputs"]).repeat(draws, 1).requires_grad_(True)
    d = tensor(inputs["grads"]).repeat(draws, 1)
    with stopwatch:
        y = layer(x)
        y.backward(d)
    labels = [f"x{b}: dL/dx{j}" for b in range(batch) for j in range(case["in_size"])]
    return {"input_grad": columns_as_quantities(x.grad.reshape(draws, -1), labels)}, {}


if __name__ == "__main__":
    main(run)
