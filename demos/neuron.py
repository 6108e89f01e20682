"""One neuron, by hand and by backprop: the example every backprop tutorial starts with.

Weights [0, 1], bias 4, input [2, 3], sigmoid activation:
    z = 0*2 + 1*3 + 4 = 7,   out = sigmoid(7) = 1 / (1 + e^-7) = 0.9990889488055994.
Backprop then gives d out / d w_i = sigmoid'(z) * x_i, where sigmoid'(z) = s (1 - s), and
d out / d b = sigmoid'(z): the chain rule, one local gradient times the upstream one.

Run: ``.venv/bin/python demos/neuron.py``.
"""

from __future__ import annotations

import math

from chainrule.nn import Neuron


def main(quick: bool = False) -> dict[str, float]:
    """Build the neuron, run it forward and backward, print and return the numbers."""
    neuron = Neuron(2, "sigmoid")
    neuron.load_state_dict({"w.0": 0.0, "w.1": 1.0, "b": 4.0})
    x = [2.0, 3.0]
    out = neuron(x)
    print("z = w0*x0 + w1*x1 + b = 0*2 + 1*3 + 4 = 7")
    print(f"out = sigmoid(7) = {out.data!r}")

    out.backward()
    slope = out.data * (1.0 - out.data)  # sigmoid'(z) = s (1 - s)
    print(f"\nlocal gradient of sigmoid at z = 7: s (1 - s) = {slope:.6g}")
    for i, w in enumerate(neuron.w):
        print(f"d out / d w{i} = s(1 - s) * x{i} = {slope:.6g} * {x[i]:g} = {w.grad:.6g}")
    print(f"d out / d b  = s(1 - s) * 1  = {neuron.b.grad:.6g}")

    by_hand = 1.0 / (1.0 + math.exp(-7.0))
    print(f"\nby hand: 1 / (1 + e^-7) = {by_hand!r}, backprop agrees: "
          f"{math.isclose(neuron.w[1].grad, by_hand * (1 - by_hand) * 3.0)}")
    return {"out": out.data, "grad_w0": neuron.w[0].grad, "grad_w1": neuron.w[1].grad,
            "grad_b": neuron.b.grad}


if __name__ == "__main__":
    main()
