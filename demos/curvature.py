"""Curvature: the Hessian of the Rosenbrock function, from the engine and by hand.

The Hessian H[i][j] = d²f / dx_i dx_j says how the slope in x_i changes as x_j moves:
the curvature of f. ``hessian(f)`` gets it by backpropagating through the graph of the
first backward pass. Rosenbrock's "banana" f(x, y) = (1 - x)^2 + 100 (y - x^2)^2 has a
narrow curved valley with its minimum at (1, 1); the Hessian's eigenvalues show how
narrow: steep across the valley, nearly flat along it.

Run: ``.venv/bin/python demos/curvature.py``.
"""

from __future__ import annotations

import math

from chainrule.autograd import Value
from chainrule.autograd.functional import hessian

POINTS = [(1.0, 1.0), (0.0, 0.0), (-1.5, 2.0), (0.5, 0.25), (-0.7, 1.3)]


def rosenbrock(x: Value, y: Value) -> Value:
    """f(x, y) = (1 - x)^2 + 100 (y - x^2)^2, lowest (0) at (1, 1).

    >>> rosenbrock(Value(1.0), Value(1.0)).data
    0.0
    """
    return (1 - x) ** 2 + 100 * (y - x ** 2) ** 2


def closed_form_hessian(x: float, y: float) -> list[list[float]]:
    """Rosenbrock's Hessian differentiated by hand.

    d²f/dx² = 2 - 400 (y - x^2) + 800 x^2,  d²f/dx dy = -400 x,  d²f/dy² = 200.

    >>> closed_form_hessian(1.0, 1.0)
    [[802.0, -400.0], [-400.0, 200.0]]
    """
    return [[2 - 400 * (y - x * x) + 800 * x * x, -400 * x], [-400 * x, 200.0]]


def eigenvalues(matrix: list[list[float]]) -> tuple[float, float]:
    """The two eigenvalues of a symmetric 2x2 matrix: mean ± sqrt(mean² - det).

    >>> eigenvalues([[2.0, 0.0], [0.0, 3.0]])
    (3.0, 2.0)
    """
    (a, b), (_, d) = matrix
    mean = (a + d) / 2
    spread = math.sqrt(max(mean * mean - (a * d - b * b), 0.0))
    return mean + spread, mean - spread


def main(quick: bool = False) -> None:
    """Print the engine's Hessian, the closed form and their curvatures at a few points."""
    print(__doc__.split("\n\nRun:")[0] + "\n")
    worst = 0.0
    for x, y in POINTS[:2] if quick else POINTS:
        engine, by_hand = hessian(rosenbrock)(x, y), closed_form_hessian(x, y)
        gap = max(abs(e - h) for row_e, row_h in zip(engine, by_hand, strict=True)
                  for e, h in zip(row_e, row_h, strict=True))
        worst = max(worst, gap)
        big, small = eigenvalues(engine)
        print(f"at (x, y) = ({x}, {y}):")
        print(f"  hessian(f)   {_show(engine)}")
        print(f"  by hand      {_show(by_hand)}    largest difference: {gap}")
        shape = ("a bowl in every direction" if small > 0 else
                 "a saddle: curving down along one direction" if big > 0 else "a cap")
        print(f"  eigenvalues  {big:.4g} and {small:.4g}: {shape}")
        if small > 0:
            print(f"  condition number {big / small:.4g}: a step that suits the steep "
                  "direction barely moves along the flat one")
        print()
    verdict = "exactly" if worst == 0.0 else f"to within {worst:.1e}"
    print(f"The engine and the hand-derived formulas agree {verdict} at every point.")


def _show(matrix: list[list[float]]) -> str:
    return "[" + ", ".join("[" + ", ".join(f"{v + 0.0:g}" for v in row) + "]"
                           for row in matrix) + "]"  # + 0.0 turns -0.0 into 0.0


if __name__ == "__main__":
    main()
