"""A NumPy tutorial's 2-3-1 network, run on Values: the same code now draws its own graph.

The tutorial: weights from a normal distribution, W1 of shape (2, 3) and W2 of shape
(3, 1), zero biases b1 (1, 3) and b2 (1, 1), sigmoid written as 1 / (1 + np.exp(-z)) on
both layers, one forward pass on a (1, 2) input, no training. Here the arrays are
wrapped as arrays of Values (``chainrule.autograd.arrays.wrap``): the forward pass is the
tutorial's line for line, and it records a graph whose leaves read W1[0,2], b1[0,1].
Each layer runs inside ``scope(...)``, so the picture frames it as one cluster.

Run: ``.venv/bin/python demos/numpy_forward.py``. The picture goes to ``out/``.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
from chainrule.autograd import Value, scope
from chainrule.autograd.arrays import data_of, grad_of, wrap
from chainrule.autograd.paths import why
from chainrule.autograd.steps import explain
from chainrule.viz import render

OUT = Path(__file__).resolve().parents[1] / "out"


def sigmoid(z):
    """The tutorial's sigmoid, for float arrays and arrays of Values alike."""
    return 1 / (1 + np.exp(-z))


def tutorial_network(seed: int = 0) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    """The tutorial's input (1, 2) and parameters: normal weights, zero biases (floats)."""
    rng = np.random.default_rng(seed)
    x = np.array([[0.5, -1.0]])
    return x, {"W1": rng.normal(size=(2, 3)), "b1": np.zeros((1, 3)),
               "W2": rng.normal(size=(3, 1)), "b2": np.zeros((1, 1))}


def forward(x, W1, b1, W2, b2):
    """The tutorial's forward pass, unchanged: works on floats and on Values."""
    with scope("layer1"):
        a1 = sigmoid(np.dot(x, W1) + b1)
    with scope("layer2"):
        return sigmoid(np.dot(a1, W2) + b2)


def main(quick: bool = False, out: Path = OUT) -> dict[str, object]:
    """Run the forward pass on floats and on Values, draw it, explain it step by step.

    ``quick`` changes nothing here (the demo takes about a second); it is accepted so that
    every demo runs the same way.
    """
    x, floats = tutorial_network()
    expected = forward(x, **floats)
    with scope("layer1"):  # leaves made in a scope are parameters: drawn amber, in the layer
        W1, b1 = wrap(floats["W1"], "W1"), wrap(floats["b1"], "b1")
    with scope("layer2"):
        W2, b2 = wrap(floats["W2"], "W2"), wrap(floats["b2"], "b2")
    output = forward(wrap(x, "x"), W1, b1, W2, b2)
    out_value: Value = output[0, 0]
    out_value.label = "a2"
    difference = float(np.max(np.abs(data_of(output) - expected)))
    print(f"floats: forward(x) = {expected[0, 0]:.6f};  on Values: {out_value.data:.6f} "
          f"(they differ by {difference:.1e}: rounding, math.exp against np.exp)")
    out_value.backward()
    print(f"gradients of a2 w.r.t. W1 (shape {W1.shape}), from one backward pass:")
    print(np.array2string(grad_of(W1), precision=4))
    path = render(out_value, out / "numpy_2_3_1.svg")
    boxes = render(out_value, out / "numpy_2_3_1_layers.svg", collapse="layer")
    print(f"the graph, leaves labelled W1[0,2], b1[0,1], ...: {path}")
    print(f"the same, one box per scope (layer1, layer2): {boxes}\n")
    print(why(out_value, W1[0, 2]))
    print()
    print(explain(out_value))
    return {"output": out_value.data, "expected": float(expected[0, 0]),
            "grad_W1": grad_of(W1), "picture": path}


if __name__ == "__main__":
    main()
