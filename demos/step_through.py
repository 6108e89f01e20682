"""Backprop by hand: one neuron, explained one chain-rule step at a time.

The neuron is micrograd's: o = tanh(x1*w1 + x2*w2 + b). The demo prints the forward pass,
then every step backward() takes (local gradient × upstream gradient, added to a parent),
then why w1's gradient is what it is, and writes out/steps.html: the same steps in a
browser, with Prev/Next, the arrow keys and a slider.

Run: ``.venv/bin/python demos/step_through.py``
"""

from __future__ import annotations

import shutil
from pathlib import Path

from chainrule.autograd import Value
from chainrule.autograd.paths import why
from chainrule.autograd.steps import explain

OUT = Path(__file__).resolve().parents[1] / "out"


def neuron() -> tuple[Value, dict[str, Value]]:
    """micrograd's neuron, with every node named as in its README.

    >>> o, leaves = neuron()
    >>> round(o.data, 4)          # tanh(0.8814) = 1/sqrt(2)
    0.7071
    """
    x1, x2 = Value(2.0, "x1"), Value(0.0, "x2")
    w1, w2 = Value(-3.0, "w1"), Value(1.0, "w2")
    b = Value(6.8813735870195432, "b")  # chosen so that n = atanh(1/sqrt(2))
    x1w1 = x1 * w1
    x1w1.label = "x1w1"
    x2w2 = x2 * w2
    x2w2.label = "x2w2"
    x1w1x2w2 = x1w1 + x2w2
    x1w1x2w2.label = "x1w1x2w2"
    n = x1w1x2w2 + b
    n.label = "n"
    o = n.tanh()
    o.label = "o"
    return o, {"x1": x1, "x2": x2, "w1": w1, "w2": w2, "b": b}


def main(quick: bool = False, out: Path = OUT) -> Path | None:
    """Explain the neuron in the terminal; write ``out/steps.html`` (when Graphviz is there).

    ``quick`` leaves out the path-by-path answer to "why is dw1 = 1.0?".

    >>> import tempfile
    >>> main(quick=True, out=Path(tempfile.mkdtemp()))   # doctest: +ELLIPSIS
    == Backprop step by step: o = tanh(x1*w1 + x2*w2 + b) ==
    ...
    gradients: x1 = -1.5, w1 = 1.0, x2 = 0.5, w2 = 0.0, b = 0.5
    <BLANKLINE>
    wrote .../steps.html: open it in a browser ...
    PosixPath('.../steps.html')
    """
    o, leaves = neuron()
    print("== Backprop step by step: o = tanh(x1*w1 + x2*w2 + b) ==")
    print(explain(o))
    if not quick:
        print()
        print(why(o, leaves["w1"]))
    if shutil.which("dot") is None:
        print("\n(Graphviz's dot is missing, so no out/steps.html: apt-get install graphviz)")
        return None
    from chainrule.viz.stepper import stepper_html

    o.backward()  # the stepper's pictures show the gradients backward() leaves
    path = stepper_html(o, Path(out) / "steps.html")
    print(f"\nwrote {path}: open it in a browser (xdg-open {path}, or {path.resolve().as_uri()})"
          " and press Next, or the → key.")
    return path


if __name__ == "__main__":
    main()
