"""Draw micrograd's traced neuron: two inputs, two weights, a bias, tanh.

The numbers are micrograd's (its ``trace_graph`` notebook): the bias 6.8813735870195432
makes n = 0.8814, so o = tanh(n) = 0.7071 and do/dn = 1 - o^2 = 0.5, a number easy to
follow backwards by hand. Run: ``.venv/bin/python demos/draw_neuron.py``.
"""

from __future__ import annotations

from pathlib import Path

from chainrule.autograd import Value
from chainrule.autograd.notation import number
from chainrule.viz import render

OUT = Path(__file__).resolve().parents[1] / "out"


def traced_neuron() -> Value:
    """micrograd's neuron o = tanh(x1*w1 + x2*w2 + b), after backward().

    >>> o = traced_neuron()
    >>> round(o.data, 4), round(o.parents[0].grad, 4)   # do/dn = 1 - 0.7071^2 = 0.5
    (0.7071, 0.5)
    """
    x1, x2 = Value(2.0, label="x1"), Value(0.0, label="x2")
    w1, w2 = Value(-3.0, label="w1"), Value(1.0, label="w2")
    b = Value(6.8813735870195432, label="b")
    x1w1 = x1 * w1
    x1w1.label = "x1*w1"
    x2w2 = x2 * w2
    x2w2.label = "x2*w2"
    x1w1x2w2 = x1w1 + x2w2
    x1w1x2w2.label = "x1*w1 + x2*w2"
    n = x1w1x2w2 + b
    n.label = "n"
    o = n.tanh()
    o.label = "o"
    o.backward()
    return o


def main(quick: bool = False, out: Path = OUT) -> Path:
    """Build the neuron, backprop, render it to ``out/neuron.svg``; print what it shows.

    ``quick`` changes nothing here (the demo takes well under a second); it is accepted
    so that every demo runs the same way.
    """
    o = traced_neuron()
    path = render(o, out / "neuron.svg", show_formulas=True)
    n = o.parents[0]
    print("micrograd's neuron: o = tanh(x1*w1 + x2*w2 + b)")
    print(f"forward:  n = {number(n.data)}, o = tanh(n) = {number(o.data)}")  # as drawn
    print(f"backward: do/dn = 1 - o^2 = {number(n.grad)}; every edge into + passes it on unchanged")
    print(f"picture (each edge shows its local gradient): {path}")
    return path


if __name__ == "__main__":
    main()
