"""Graphs for the viz tests, built with scopes exactly as nn's MLP tags them."""

from __future__ import annotations

import random

from chainrule.autograd import Value, scope


def scoped_mlp(sizes: list[int], inputs: list[float], seed: int = 0) -> Value:
    """A tiny MLP made by hand: each neuron's nodes and parameters are scoped "L{i}.N{j}".

    Hidden layers use tanh, the last layer is linear; returns the single output.
    """
    rng = random.Random(seed)
    xs: list[Value] = [Value(x, label=f"x{k}") for k, x in enumerate(inputs)]
    for i, size in enumerate(sizes):
        outs = []
        for j in range(size):
            with scope(f"L{i}"), scope(f"N{j}"):
                weights = [Value(rng.uniform(-1, 1), label=f"w{k}") for k in range(len(xs))]
                bias = Value(0.0, label="b")
                act = bias
                for w, x in zip(weights, xs, strict=True):
                    act = act + w * x
                outs.append(act.tanh() if i < len(sizes) - 1 else act)
        xs = outs
    return xs[0]


def micrograd_expression(a: Value, b: Value) -> Value:
    """micrograd's README expression (g = 24.7041, dg/da = 138.8338, dg/db = 645.5773)."""
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


def product(n_factors: int) -> Value:
    """x * x * ... * x: the one x feeds every op, the case that once made Graphviz hang."""
    x = Value(1.001, "x")
    root = x
    for _ in range(n_factors - 1):
        root = root * x
    root.backward()
    return root
