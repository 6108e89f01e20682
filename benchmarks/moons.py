"""Seconds per training step of micrograd's moons demo: chainrule against micrograd.

Run: ``make bench`` or ``.venv/bin/python -m benchmarks.moons`` (``--quick``: 10 steps).
Needs the ``bench`` extra (micrograd==0.1.0) for the micrograd column; without it only
chainrule is measured. The garbage collector stays on, with Python's default thresholds.

The workload is micrograd's demo notebook, step for step, on both engines: the same 100
moons points (noise 0.1), ``MLP(2, [16, 16, 1])``, max-margin loss + 1e-4 L2 penalty,
full batch, SGD with lr = 1.0 - 0.9 k / 100. chainrule runs it through ``nn`` (the
``train_step`` that ``fit`` uses); micrograd through ``micrograd.nn`` and the notebook's
own loss code. micrograd gets the inputs as Python floats (its notebook passes numpy
floats, which are slower), so the ratio is, if anything, in micrograd's favour.

A second table prices the scopes (``L0.N3``) that MLP records on every node (each neuron
tags the nodes it makes): one forward and backward of ``MLP(2, [16, 16, 1])`` with the
tags and without them.
"""

from __future__ import annotations

import argparse
import gc
import random
import sys
import time
from collections.abc import Callable

from chainrule.nn import MLP, SGD, hinge, l2_penalty, linear_decay, make_moons, train_step
from chainrule.nn.layers import as_inputs

try:
    import micrograd.engine as micrograd_engine
    import micrograd.nn as micrograd_nn
except ImportError:  # the bench extra is not installed: measure chainrule alone
    micrograd_engine = micrograd_nn = None

SEED = 1337


def moons(n: int = 100) -> tuple[list[list[float]], list[int]]:
    """The demo's data as Python lists: rows of two floats, labels -1 or +1."""
    X, y = make_moons(n, noise=0.1, seed=SEED)
    return X.tolist(), (2 * y - 1).tolist()


Trainer = Callable[[int], list[float]]  # runs training step k, returns that step's scores


def chainrule_trainer(rows: list[list[float]], labels: list[int]) -> Trainer:
    """micrograd's demo on chainrule's nn: one ``train_step`` (as ``fit`` runs) per call."""
    model = MLP(2, [16, 16, 1], seed=SEED)
    optimizer = SGD(model.parameters(), lr=linear_decay(1.0, 0.1, 100))
    loss = lambda scores, ys: hinge(scores, ys) + l2_penalty(model.parameters(), 1e-4)
    return lambda k: train_step(model, rows, labels, loss, optimizer)[1]


def micrograd_trainer(rows: list[list[float]], labels: list[int]) -> Trainer:
    """The same on micrograd 0.1.0: the loss code of its demo notebook."""
    Value = micrograd_engine.Value
    random.seed(SEED)
    model = micrograd_nn.MLP(2, [16, 16, 1])

    def step(k: int) -> list[float]:
        inputs = [list(map(Value, row)) for row in rows]
        scores = list(map(model, inputs))
        losses = [(1 + -yi * si).relu() for yi, si in zip(labels, scores, strict=True)]
        data_loss = sum(losses) * (1.0 / len(losses))
        reg_loss = 1e-4 * sum(p * p for p in model.parameters())
        total_loss = data_loss + reg_loss
        model.zero_grad()
        total_loss.backward()
        learning_rate = 1.0 - 0.9 * k / 100
        for p in model.parameters():
            p.data -= learning_rate * p.grad
        return [s.data for s in scores]
    return step


def race(trainers: dict[str, Trainer], labels: list[int], steps: int) -> dict[str, tuple]:
    """Seconds per step and final training accuracy of each trainer, one after another.

    Each engine runs all its steps in one go, as a training loop does, with the garbage
    collector on: micrograd's graphs are reference cycles (a closure per node refers back
    to it), and collecting them, as they pile up over the steps, is most of its time.
    (Taking turns in blocks of steps, with a collection between blocks, would free part
    of that garbage untimed: micrograd measured 15-25% faster that way.) A full
    collection, untimed, comes before each engine's run.
    """
    results = {}
    for name, step in trainers.items():
        gc.collect()
        start = time.perf_counter()
        for k in range(steps):
            scores = step(k)
        seconds = (time.perf_counter() - start) / steps
        right = sum((s > 0) == (y > 0) for s, y in zip(scores, labels, strict=True))
        results[name] = (seconds, right / len(labels))
    return results


def _unscoped(model: MLP, row: list[float]):
    # MLP.__call__ without the scope tags: the neurons' own forward, layer by layer
    xs = as_inputs(row, model.n_inputs, "MLP")
    for layer in model.layers:
        xs = [neuron._forward(xs) for neuron in layer.neurons]
    return xs[0]


def scope_cost(repeats: int) -> tuple[float, float]:
    """µs per forward + backward of one row through MLP(2, [16, 16, 1]): scoped, unscoped.

    The two variants alternate, seven rounds each, and the fastest round of each counts:
    on a shared machine that is the least disturbed measurement of both.
    """
    model, row = MLP(2, [16, 16, 1], seed=SEED), [0.5, -0.25]
    variants = (model, lambda r: _unscoped(model, r))
    best = [float("inf"), float("inf")]
    for _ in range(7):
        for k, forward in enumerate(variants):
            gc.collect()
            start = time.perf_counter()
            for _ in range(repeats):
                forward(row).backward()
            best[k] = min(best[k], (time.perf_counter() - start) / repeats * 1e6)
    return best[0], best[1]


def main(argv: list[str] | None = None) -> None:
    """Measure and print both tables."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=100)
    parser.add_argument("--quick", action="store_true", help="10 steps, fewer repeats")
    args, _ = parser.parse_known_args(argv)
    steps = 10 if args.quick else args.steps
    rows, labels = moons()
    trainers = {"chainrule": chainrule_trainer(rows, labels)}
    if micrograd_nn is not None:
        trainers["micrograd"] = micrograd_trainer(rows, labels)
    results = race(trainers, labels, steps)
    ours, our_accuracy = results["chainrule"]
    theirs, their_accuracy = results.get("micrograd", (None, None))
    ratio = f"{theirs / ours:>9.1f}x" if theirs else f"{'-':>10}"
    print(f"moons demo, {steps} steps, MLP(2, [16, 16, 1]), 100 points, GC on\n")
    print(f"{'':<28}{'chainrule':>12}{'micrograd':>12}{'micrograd/chainrule':>21}")
    print(f"{'seconds per step':<28}{ours:>12.4f}"
          + (f"{theirs:>12.4f}" if theirs else f"{'-':>12}") + f"{ratio:>21}")
    print(f"{'final training accuracy':<28}{our_accuracy:>12.2f}"
          + (f"{their_accuracy:>12.2f}" if theirs else f"{'-':>12}"))
    scoped, unscoped = scope_cost(200 if args.quick else 2000)
    print(f"\nscopes: one forward + backward of MLP(2, [16, 16, 1]), µs\n"
          f"{'with scopes':<28}{scoped:>12.1f}\n{'without scopes':<28}{unscoped:>12.1f}\n"
          f"{'cost of scopes':<28}{(scoped / unscoped - 1) * 100:>11.1f}%")


if __name__ == "__main__":
    main(sys.argv[1:])
