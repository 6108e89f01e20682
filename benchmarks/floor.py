"""Seconds per training step against the floor: the same network by hand in NumPy.

Run: ``make bench`` (every suite) or ``.venv/bin/python -m benchmarks.floor`` (``--quick``:
fewer blocks). Each workload trains one network four ways, from the same initial weights
(Python's ``random`` seeded, as micrograd's demo): NumPy by hand (``benchmarks.numpy_step``,
the floor), chainrule compiled (``CompiledTraining.step``: the step ``fit(compiled=True)``
runs, the parameters kept in one array between steps and written back to the Values
after each epoch; ``phases`` prices that write and ``compiled_train_step``, which reads
and writes them every step), chainrule plain (``train_step``,
one graph per row) and micrograd 0.1.0. The time per step is the best block's mean (the
NumPy step is a fraction of a millisecond, so the least disturbed block counts); the
ratios are each engine's time over the floor's. The loss is one-vs-rest max-margin + 1e-4 L2
(micrograd's demo loss for one output), full batch, SGD with micrograd's schedule.

``phases`` splits one compiled step into its parts; ``compile_cost`` prices tracing and
grouping against one plain step, and the tape's memory per node.
"""

from __future__ import annotations

import argparse
import gc
import random
import sys
import time

import numpy as np
from chainrule.nn import MLP, SGD, linear_decay, make_moons, make_spiral, train_step
from chainrule.nn.compiled import CompiledTraining

from benchmarks.numpy_step import ALPHA, layers_of, numpy_trainer
from benchmarks.table import ratio_table

try:
    import micrograd.engine as micrograd_engine
    import micrograd.nn as micrograd_nn
except ImportError:  # the bench extra is not installed: no micrograd column
    micrograd_engine = micrograd_nn = None

SEED = 1337
ENGINES = ("numpy", "compiled", "chainrule", "micrograd")


def workloads() -> dict[str, tuple[list[int], np.ndarray, np.ndarray]]:
    """title -> (layer sizes, inputs, targets as rows of +-1 per output)."""
    X, y = make_moons(100, noise=0.1, seed=SEED)
    moons_targets = (2.0 * y - 1.0)[:, None]
    S, k = make_spiral(50, classes=3, seed=SEED)
    spiral_targets = np.where(np.arange(3) == k[:, None], 1.0, -1.0)
    return {"moons MLP(2, [16, 16, 1]), 100 points": ([16, 16, 1], X, moons_targets),
            "moons MLP(2, [64, 64, 1]), 100 points": ([64, 64, 1], X, moons_targets),
            "spiral MLP(2, [16, 16, 3]), 150 points": ([16, 16, 3], S, spiral_targets)}


def margin_loss(model, Y: np.ndarray):
    """The floor's loss on Values: mean over examples of sum_c relu(1 - y_c s_c), + L2."""
    signs = Y.tolist()

    def loss(scores, _targets):
        total = 0.0
        for example, ys in zip(scores, signs, strict=True):
            outputs = example if isinstance(example, list) else [example]
            for s, sign in zip(outputs, ys, strict=True):
                total = total + (1.0 + (-sign) * s).relu()
        penalty = sum((p * p for p in model.parameters()), 0.0)
        return total * (1.0 / len(signs)) + ALPHA * penalty
    return loss


def trainers(sizes: list[int], X: np.ndarray, Y: np.ndarray) -> dict:
    """Step k of each engine, each on its own copy of the same initial network."""
    rows = X.tolist()
    random.seed(SEED)
    models = {name: MLP(2, sizes) for name in ("numpy", "compiled", "chainrule")}
    for model in models.values():
        model.load_state_dict(models["numpy"].state_dict())
    result = {"numpy": numpy_trainer(layers_of(models["numpy"]), X, Y)}
    optimizers = {name: SGD(models[name].parameters(), lr=linear_decay(1.0, 0.1, 100))
                  for name in ("compiled", "chainrule")}
    # fit(compiled=True)'s step: the parameters stay in one array between steps
    training = CompiledTraining(models["compiled"], optimizers["compiled"], X)
    loss = margin_loss(models["compiled"], Y)
    result["compiled"] = lambda k: training.step(X, Y, loss)
    model, optimizer = models["chainrule"], optimizers["chainrule"]
    loss_on_values = margin_loss(model, Y)
    result["chainrule"] = lambda k: train_step(model, rows, Y, loss_on_values, optimizer)
    if micrograd_nn is not None:
        result["micrograd"] = _micrograd_trainer(sizes, rows, Y)
    return result


def _micrograd_trainer(sizes: list[int], rows: list[list[float]], Y: np.ndarray):
    Value, signs = micrograd_engine.Value, Y.tolist()
    # micrograd's backward recurses once per node along the longest path: the penalty's
    # sum over 4,500 parameters (the wide network) is that deep
    sys.setrecursionlimit(max(sys.getrecursionlimit(), 50_000))
    random.seed(SEED)
    model = micrograd_nn.MLP(2, sizes)

    def step(k: int):
        scores = [model(list(map(Value, row))) for row in rows]
        total = 0.0
        for example, ys in zip(scores, signs, strict=True):
            outputs = example if isinstance(example, list) else [example]
            for s, sign in zip(outputs, ys, strict=True):
                total = total + (1 + -sign * s).relu()
        loss = total * (1.0 / len(rows)) + ALPHA * sum(p * p for p in model.parameters())
        model.zero_grad()
        loss.backward()
        for p in model.parameters():
            p.data -= (1.0 - 0.9 * min(k, 100) / 100) * p.grad
        return scores
    return step


def best_block(step, blocks: int, steps: int) -> float:
    """Seconds per step: the fastest of ``blocks`` runs of ``steps`` steps (GC on)."""
    best, k = float("inf"), 0
    step(k)  # the first step untimed: the compiled engine traces here
    for _ in range(blocks):
        gc.collect()
        start = time.perf_counter()
        for _ in range(steps):
            k += 1
            step(k)
        best = min(best, (time.perf_counter() - start) / steps)
    return best


def race(quick: bool) -> dict[str, dict[str, float]]:
    """title -> engine -> seconds per step."""
    # (blocks, steps) per engine: the slow engines get one short block
    plan = {"numpy": (7, 20), "compiled": (7, 20), "chainrule": (1, 2), "micrograd": (1, 2)}
    if quick:
        plan = {name: (2, 2) if name in ("numpy", "compiled") else (1, 1) for name in plan}
    results = {}
    for title, (sizes, X, Y) in workloads().items():
        steps = trainers(sizes, X, Y)
        results[title] = {name: best_block(step, *plan[name]) for name, step in steps.items()}
    return results


def format_race(results: dict[str, dict[str, float]]) -> str:
    """ms per step per engine, then each engine's time over the floor's (NumPy by hand)."""
    cells = {title: [times[name] * 1e3 if name in times else None for name in ENGINES]
             for title, times in results.items()}
    return ratio_table(cells, ENGINES, [(f"{name}/numpy", i, 0)
                                        for i, name in enumerate(ENGINES) if i],
                       first="ms per step")


def text(argv: list[str] | None = None) -> str:
    """The race's table, then where a compiled step's time goes (``benchmarks.phases``)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer and shorter blocks")
    args, _ = parser.parse_known_args(argv)
    from benchmarks.phases import report  # phases reuses this module's workloads

    return format_race(race(args.quick)) + "\n" + report()


def main(argv: list[str] | None = None) -> None:
    print(text(argv), flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
