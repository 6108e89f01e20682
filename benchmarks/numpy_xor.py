"""One epoch of the tutorials' XOR 2-4-1 network: NumPy floats, Values in object arrays, MLP.

Run: ``make bench`` (every suite) or ``.venv/bin/python -m benchmarks.numpy_xor``.

The same full-batch epoch three ways (sigmoid layers, mean squared error over the four
XOR points, one gradient step):
  NumPy floats     the tutorial's code: forward, the hand-written matrix backward, update
  object arrays    the same forward on arrays of Values (chainrule.autograd.arrays),
                   backward() for the gradients, then w -= lr * grad leaf by leaf
  chainrule MLP    MLP(2, [4, 1]) with sigmoid layers, nn.mse, nn.train_step with SGD
Each timing runs ``--epochs`` epochs and reports the median time per epoch; the three
take turns (as in benchmarks.engine), the collector on with default thresholds. The
object-array epoch is also split into its phases, and each graph's size is counted, to
show where the time goes.
"""

from __future__ import annotations

import argparse
import gc
import statistics
import sys
import time
from collections.abc import Callable

import numpy as np
from chainrule.autograd import count_nodes
from chainrule.autograd.arrays import wrap, zero_grad
from chainrule.nn import MLP, SGD, mse, train_step

from benchmarks.engine import Row
from benchmarks.table import ratio_table

X = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
Y = np.array([[0.0], [1.0], [1.0], [0.0]])
LR = 0.1
COLUMNS = ("NumPy floats", "object arrays", "chainrule MLP")
RATIOS = (("arrays/NumPy", 1, 0), ("MLP/NumPy", 2, 0), ("arrays/MLP", 1, 2))  # columns


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def initial(seed: int = 1) -> dict[str, np.ndarray]:
    rng = np.random.default_rng(seed)
    return {"W1": rng.normal(size=(2, 4)), "b1": np.zeros((1, 4)),
            "W2": rng.normal(size=(4, 1)), "b2": np.zeros((1, 1))}


def loss(W1, b1, W2, b2):
    a2 = sigmoid(sigmoid(X @ W1 + b1) @ W2 + b2)
    return np.mean((Y - a2) ** 2)


def float_epoch(p: dict[str, np.ndarray]) -> None:
    """The tutorial's epoch on floats (its convention: error = y - a2, w += lr * d_w)."""
    a1 = sigmoid(X @ p["W1"] + p["b1"])
    a2 = sigmoid(a1 @ p["W2"] + p["b2"])
    d_z2 = (Y - a2) * a2 * (1 - a2)
    d_z1 = (d_z2 @ p["W2"].T) * a1 * (1 - a1)
    steps = {"W1": X.T @ d_z1, "b1": d_z1.sum(axis=0, keepdims=True),
             "W2": a1.T @ d_z2, "b2": d_z2.sum(axis=0, keepdims=True)}
    for name, step in steps.items():
        p[name] += LR * step


def array_epoch(arrays: dict[str, np.ndarray], phases: dict[str, float] | None = None) -> int:
    """The same epoch on arrays of Values; lr x N/2 matches the tutorial's step. Returns
    the graph's node count; adds each phase's seconds to ``phases`` when given."""
    clock = [time.perf_counter()]

    def lap(name: str) -> None:
        clock.append(time.perf_counter())
        if phases is not None:
            phases[name] = phases.get(name, 0.0) + clock[-1] - clock[-2]

    zero_grad(*arrays.values())
    total = loss(**arrays)
    lap("forward")
    total.backward()
    lap("backward")
    for array in arrays.values():
        for leaf in array.flat:
            leaf.data -= LR * len(X) / 2 * leaf.grad
    lap("update")
    return count_nodes(total) if phases is not None else 0


def mlp_epoch_runner() -> tuple[Callable[[], None], MLP]:
    model = MLP(2, [4, 1], activation="sigmoid", output_activation="sigmoid", seed=1)
    optimizer = SGD(model.parameters(), lr=LR)
    rows, targets = X.tolist(), Y.ravel()
    return lambda: train_step(model, rows, targets, mse, optimizer), model


def repeat(epoch: Callable[[], object], epochs: int) -> Callable[[], None]:
    def run() -> None:
        for _ in range(epochs):
            epoch()
    return run


def turns(runs: dict[str, Callable[[], None]], repeats: int) -> dict[str, float]:
    """Median seconds of each run, the three taking turns ``repeats`` times.

    Unlike ``benchmarks.engine.one_timing``, the full collection before each run stays
    outside the timing: none of these workloads makes reference cycles, and one full
    collection of this process (~0.1 s with NumPy and matplotlib loaded) would outweigh
    hundreds of NumPy epochs.
    """
    times: dict[str, list[float]] = {name: [] for name in runs}
    for _ in range(repeats):
        for name, run in runs.items():
            gc.collect()
            start = time.perf_counter()
            run()
            times[name].append(time.perf_counter() - start)
    return {name: statistics.median(ts) for name, ts in times.items()}


def rows(argv: list[str] | None = None) -> list[Row]:
    """Seconds per epoch for the three, the object-array phases, graph sizes."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=200, help="epochs per timing")
    parser.add_argument("--repeats", type=int, default=7)
    parser.add_argument("--quick", action="store_true", help="50 epochs, 3 repeats")
    args, _ = parser.parse_known_args(argv)
    epochs, repeats = (50, 3) if args.quick else (args.epochs, args.repeats)
    floats, arrays = initial(), {n: wrap(v, n) for n, v in initial().items()}
    mlp_epoch, model = mlp_epoch_runner()
    runs = {"NumPy floats": repeat(lambda: float_epoch(floats), epochs),
            "object arrays": repeat(lambda: array_epoch(arrays), epochs),
            "chainrule MLP": repeat(mlp_epoch, epochs)}
    per_epoch = {n: t / epochs * 1e6 for n, t in turns(runs, repeats).items()}
    phases: dict[str, float] = {}
    nodes = array_epoch(arrays, phases)
    for _ in range(epochs - 1):
        array_epoch(arrays, phases)
    outputs = [model(row) for row in X.tolist()]
    mlp_nodes = count_nodes(mse(outputs, Y.ravel()))
    table = [Row("XOR 2-4-1, one epoch (µs)", per_epoch)]
    table += [Row(f"  object arrays: {name} (µs)", {"object arrays": t / epochs * 1e6})
              for name, t in phases.items()]
    table.append(Row("  nodes in one epoch's graph", {"object arrays": float(nodes),
                                                      "chainrule MLP": float(mlp_nodes)}))
    return table


def format_table(table: list[Row]) -> str:
    """A column per way, then ratios: how many times NumPy's time (or the MLP's) each takes."""
    cells = {row.title: [row.results.get(name, "-") for name in COLUMNS] for row in table}
    return ratio_table(cells, COLUMNS, RATIOS, digits=1)


def main(argv: list[str] | None = None) -> None:
    print(format_table(rows(argv)), flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
