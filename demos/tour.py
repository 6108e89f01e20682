"""The chainrule tour: what `make demo` runs. Each part shows one idea, with numbers.

Run: ``make demo`` (or ``.venv/bin/python demos/tour.py``).
"""

from __future__ import annotations

from autograd import Value, gradcheck


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


def main(quick: bool = False) -> None:
    """Run every part of the tour; ``quick`` keeps each part to a few seconds."""
    part_engine()


if __name__ == "__main__":
    main()
