"""Newton's method: find the lowest point of f using its first and second derivatives.

Where f has a minimum, its slope f'(x) is 0. Newton's method follows the tangent line of
f' down to zero: x <- x - f'(x) / f''(x). Both derivatives come from the engine:
f' = grad(f) and f'' = grad(grad(f)), the derivative of a derivative. Near the answer,
the number of correct digits roughly doubles with each step.

Run: ``.venv/bin/python demos/newton.py``.
"""

from __future__ import annotations

import math
from collections.abc import Callable

from chainrule.autograd import Value
from chainrule.autograd.functional import grad, value_and_grad


def f(x: Value) -> Value:
    """The function to minimize: f(x) = e^x - 2x, lowest at x = ln 2 ~ 0.6931.

    f'(x) = e^x - 2 (zero at ln 2), f''(x) = e^x (positive: a minimum).

    >>> round(f(Value(0.0)).data, 4)    # e^0 - 0 = 1
    1.0
    """
    return x.exp() - 2 * x


def newton_steps(function: Callable[[Value], Value], start: float, *,
                 max_steps: int = 20, tolerance: float = 1e-12) -> list[tuple[float, ...]]:
    """Newton iterates from ``start``: one (x, f(x), f'(x), f''(x)) per step.

    Stops when a step moves x by less than ``tolerance``, or after ``max_steps``.
    Raises ValueError if f''(x) = 0 (the tangent of f' is flat: no step is defined).

    >>> rows = newton_steps(f, 0.0, max_steps=2)
    >>> [round(x, 4) for x, *_ in rows]    # 0 - (1 - 2)/1 = 1, then 1 - (e - 2)/e
    [0.0, 1.0, 0.7358]
    """
    slope_of, curvature_of = value_and_grad(function), grad(grad(function))
    rows, x = [], start
    for _ in range(max_steps + 1):
        (value, slope), curvature = slope_of(x), curvature_of(x)
        rows.append((x, value, slope, curvature))
        if len(rows) > max_steps:
            break
        if curvature == 0.0:
            raise ValueError(f"newton: f''({x!r}) = 0, so the Newton step -f'/f'' is "
                             "undefined; start from another point.")
        step = -slope / curvature
        x += step
        if abs(step) < tolerance:
            rows.append((x, *slope_of(x), curvature_of(x)))
            break
    return rows


def main(quick: bool = False) -> None:
    """Print each Newton iterate for f(x) = e^x - 2x from x = 0, and its distance to ln 2."""
    print(__doc__.split("\n\n")[0])
    print("f(x) = e^x - 2x    f'(x) = e^x - 2    f''(x) = e^x    answer: x = ln 2\n")
    rows = newton_steps(f, 0.0, max_steps=4 if quick else 20)
    titles, widths = ("step", "x", "f(x)", "f'(x)", "f''(x)", "|x - ln 2|"), (4, 20, 12, 12, 12, 10)
    print("  ".join(title.rjust(width) for title, width in zip(titles, widths, strict=True)))
    for n, (x, value, slope, curvature) in enumerate(rows):
        print(f"{n:>4}  {x:>20.16f}  {value:>12.8f}  {slope:>12.4e}  {curvature:>12.8f}  "
              f"{abs(x - math.log(2)):>10.1e}")
    print(f"\nln 2 = {math.log(2):.16f}. The error roughly squares at each step "
          "(4e-2, 9e-4, 4e-7, 8e-14).\nEvery step used f' = grad(f) and "
          "f'' = grad(grad(f)): no derivative was written by hand.")


if __name__ == "__main__":
    main()
