"""The chainrule tour: what `make demo` runs. Each part shows one idea, with numbers.

Run: ``make demo`` (or ``.venv/bin/python demos/tour.py``). Pictures go to ``out/``.
"""

from __future__ import annotations

import math
import subprocess
import sys
from pathlib import Path

from chainrule.autograd import Value, grad, gradcheck, gradgradcheck, hessian
from chainrule.nn import MLP, SGD, fit, hinge, l2_penalty, linear_decay, make_moons
from chainrule.viz import render

OUT = Path(__file__).resolve().parents[1] / "out"  # git-ignored


def micrograd_expression(a: Value, b: Value) -> Value:
    """micrograd's README expression, unchanged, as a function of its two leaves.

    >>> g = micrograd_expression(Value(-4.0), Value(2.0))
    >>> f"{g.data:.4f}"
    '24.7041'
    """
    c = a + b
    d = a * b + b**3
    c += c + 1
    c += 1 + c + (-a)
    d += d * 2 + (b + a).relu()
    d += 3 * d + (b - a).relu()
    e = c - d
    f = e**2
    g = f / 2.0
    g += 10.0 / f
    return g


def part_engine() -> None:
    print("== 1. The engine: micrograd's README example ==")
    a, b = Value(-4.0, label="a"), Value(2.0, label="b")
    g = micrograd_expression(a, b)
    g.backward()
    print(f"g = {g.data:.4f}   (forward pass)")
    print(f"dg/da = {a.grad:.4f}   dg/db = {b.grad:.4f}   (one backward pass)")
    print("\n== 2. Check it: backprop against central finite differences ==")
    print(gradcheck(micrograd_expression, [a, b]))


def part_training(quick: bool = False) -> MLP:
    print("\n== 3. Train a network: micrograd's moons demo, made smaller ==")
    X, y = make_moons(50, noise=0.1, seed=1337)
    model = MLP(2, [8, 8, 1], seed=1337)
    print(f"{model}: {len(model.parameters())} parameters, {len(y)} points")
    loss = lambda scores, labels: hinge(scores, labels) + l2_penalty(model.parameters(), 1e-4)
    history = fit(model, X, y, loss=loss, epochs=30 if quick else 100,
                  optimizer=SGD(model.parameters(), lr=linear_decay(1.0, 0.1, 100)))
    print(f"loss {history.train['loss'][0]:.3f} -> {history.train['loss'][-1]:.3f}, "
          f"training accuracy {history.train['accuracy'][-1]:.0%} "
          f"(the full demo: .venv/bin/python demos/moons.py)")
    return model


def part_pictures(model: MLP) -> None:
    print("\n== 4. See it: graphs drawn by Graphviz ==")
    x, w, b = Value(0.5, label="x"), Value(-1.5, label="w"), Value(0.8, label="b")
    y = (x * w + b).tanh()
    y.label = "y"
    y.backward()
    out = model([0.5, -1.0])
    out.backward()
    for path in (render(y, OUT / "neuron.svg", show_formulas=True),
                 render(out, OUT / "mlp.svg", collapse="neuron", grad_colors=True)):
        print(f"wrote {path}")


def part_higher_order() -> None:
    print("\n== 5. Derivatives of derivatives: grad(grad(f)) ==")

    def f(x: Value) -> Value:
        return x ** 3 + x.sin()

    def rosenbrock(x: Value, y: Value) -> Value:
        return (1 - x) ** 2 + 100 * (y - x ** 2) ** 2

    print("f(x) = x^3 + sin x; by hand f' = 3x^2 + cos x, f'' = 6x - sin x, f''' = 6 - cos x")
    d1, d2, d3 = grad(f), grad(grad(f)), grad(grad(grad(f)))
    print(f"engine  at x = 2: f' = {d1(2.0):.4f}  f'' = {d2(2.0):.4f}  f''' = {d3(2.0):.4f}")
    print(f"by hand at x = 2: f' = {12 + math.cos(2):.4f}  f'' = {12 - math.sin(2):.4f}  "
          f"f''' = {6 - math.cos(2):.4f}")
    print(f"Hessian of Rosenbrock at its minimum (1, 1): {hessian(rosenbrock)(1.0, 1.0)}")
    print(gradgradcheck(lambda x, w: (x * w).tanh(), [0.5, -1.5]))


def part_steps() -> None:
    print("\n== 6. Backprop by hand: one neuron, one chain-rule step at a time ==")
    print('$ chainrule steps "tanh(x*w + b)" x=0.5 w=-1.5 b=0.8 --why w --html out/steps.html')
    # a subprocess, as a user would type it (and nothing imports the chainrule package)
    subprocess.run([sys.executable, "-m", "chainrule", "steps", "tanh(x*w + b)", "x=0.5",
                    "w=-1.5", "b=0.8", "--why", "w", "--html", str(OUT / "steps.html")],
                   check=True)
    print('Quiz yourself on the same neuron: .venv/bin/chainrule quiz "tanh(x*w + b)" '
          "x=0.5 w=-1.5 b=0.8")


def part_numpy_check() -> None:
    print("\n== 7. Check your NumPy backprop: a tutorial's XOR network, by hand vs autograd ==")
    print("$ .venv/bin/python demos/numpy_xor.py --check   (the whole demo trains it both ways)")
    subprocess.run([sys.executable, str(Path(__file__).with_name("numpy_xor.py")), "--check"],
                   check=True)


def main(quick: bool = False) -> None:
    """Run every part of the tour; ``quick`` keeps the training short."""
    part_engine()
    model = part_training(quick)
    part_pictures(model)
    part_higher_order()
    part_steps()
    part_numpy_check()


if __name__ == "__main__":
    main(quick="--quick" in sys.argv)
