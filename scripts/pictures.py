"""Regenerate the pictures the README shows, into docs/ (``make pictures``).

- docs/neuron.svg          micrograd's traced neuron, data, grads and local gradients
- docs/mlp.svg             MLP(2, [16, 16, 1]) on one input, one box per neuron
- docs/moons_boundary.png  the moons decision boundary after training
- docs/moons_loss.png      its loss and accuracy per epoch

Everything is seeded, so a rerun gives the same pictures. Run:
``.venv/bin/python scripts/pictures.py [folder]`` (default: docs/).
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from chainrule.autograd import Value
from chainrule.nn import (
    MLP,
    SGD,
    decision_function,
    fit,
    hinge,
    l2_penalty,
    linear_decay,
    make_moons,
)
from chainrule.viz import plot_decision_boundary, plot_history, render

DOCS = Path(__file__).resolve().parents[1] / "docs"


def neuron_picture(folder: Path) -> Path:
    """micrograd's neuron o = tanh(x1*w1 + x2*w2 + b), backpropagated and drawn."""
    x1, x2 = Value(2.0, label="x1"), Value(0.0, label="x2")
    w1, w2 = Value(-3.0, label="w1"), Value(1.0, label="w2")
    b = Value(6.8813735870195432, label="b")
    n = x1 * w1 + x2 * w2 + b
    n.label = "n"
    o = n.tanh()
    o.label = "o"
    o.backward()
    return render(o, folder / "neuron.svg", show_formulas=True)


def mlp_picture(folder: Path) -> Path:
    """micrograd's moons network on one input, each neuron collapsed into one box."""
    model = MLP(2, [16, 16, 1], seed=0)
    out = model([0.5, -1.0])
    out.backward()
    return render(out, folder / "mlp.svg", collapse="neuron", grad_colors=True)


def moons_pictures(folder: Path, epochs: int = 100, resolution: int = 80) -> list[Path]:
    """Train MLP(2, [16, 16, 1]) on 100 moons points (micrograd's demo), plot the result.

    hinge reads the labels 0/1 as -1/+1 and pushes the score past them, so the boundary
    is where the score is 0: the plot is given the labels as -1/+1 to match.
    """
    X, y = make_moons(100, noise=0.1, seed=1)
    model = MLP(2, [16, 16, 1], seed=1)
    params = model.parameters()

    def loss(scores: list, targets: object) -> Value:  # micrograd's: hinge + L2 (1e-4)
        return hinge(scores, targets) + l2_penalty(params, 1e-4)

    history = fit(model, X, y, loss=loss, optimizer=SGD(params, lr=linear_decay(1.0, 0.1,
                  epochs)), epochs=epochs, progress=False, seed=0)

    boundary = folder / "moons_boundary.png"  # the score: > 0 class +1, < 0 class -1
    plot_decision_boundary(decision_function(model), X, 2 * y - 1, boundary,
                           resolution=resolution, dpi=80)
    curve = folder / "moons_loss.png"
    plot_history(history, curve, dpi=80)
    return [boundary, curve]


def main(folder: Path = DOCS, quick: bool = False) -> list[Path]:
    """Write all four pictures to ``folder``; ``quick`` trains briefly on a coarse grid."""
    start = time.perf_counter()
    paths = [neuron_picture(folder), mlp_picture(folder)]
    paths += moons_pictures(folder, epochs=5 if quick else 100, resolution=20 if quick else 80)
    for path in paths:
        print(f"wrote {path} ({path.stat().st_size / 1024:.0f} KiB)")
    print(f"done in {time.perf_counter() - start:.1f} s")
    return paths


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else DOCS)
