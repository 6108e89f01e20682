"""Seconds per step of micrograd's moons demo: chainrule per example, compiled, micrograd.

Run: ``make bench`` (every suite, one table) or ``.venv/bin/python -m benchmarks.compiled``
(``--quick``: 10 steps). The garbage collector stays on, with default thresholds.

The workload is ``benchmarks.moons``'s, step for step: 100 moons points (noise 0.1),
``MLP(2, [16, 16, 1])``, max-margin loss + 1e-4 L2 penalty, full batch, SGD with
lr = 1.0 - 0.9 k / 100. "chainrule" is ``chainrule.nn.train_step`` (one graph per row),
"chainrule compiled" is ``chainrule.nn.compiled.compiled_train_step`` (the model traced once,
replayed over the batch with numpy; the loss and penalty on ordinary Values), micrograd
is its demo notebook's loop (``benchmarks.moons.micrograd_trainer``); ``benchmarks.moons.race``
times them.
"""

from __future__ import annotations

import argparse
import sys

from chainrule.nn import MLP, SGD, hinge, l2_penalty, linear_decay
from chainrule.nn.compiled import compiled_train_step

from benchmarks import moons
from benchmarks.engine import Row, format_table


def compiled_trainer(rows: list[list[float]], labels: list[int]) -> moons.Trainer:
    """The same steps on a compiled tape (traced at the first step, which counts)."""
    model = MLP(2, [16, 16, 1], seed=moons.SEED)
    optimizer = SGD(model.parameters(), lr=linear_decay(1.0, 0.1, 100))
    loss = lambda scores, ys: hinge(scores, ys) + l2_penalty(model.parameters(), 1e-4)
    return lambda k: compiled_train_step(model, rows, labels, loss, optimizer)[1]


def rows(argv: list[str] | None = None) -> list[Row]:
    """The moons rows of the table: seconds per step, and the final training accuracy."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=100)
    parser.add_argument("--quick", action="store_true", help="10 steps")
    args, _ = parser.parse_known_args(argv)
    steps = 10 if args.quick else args.steps
    data, labels = moons.moons()
    trainers = {"chainrule": moons.chainrule_trainer(data, labels),
                "chainrule compiled": compiled_trainer(data, labels)}
    if moons.micrograd_nn is not None:
        trainers["micrograd"] = moons.micrograd_trainer(data, labels)
    results = moons.race(trainers, labels, steps)
    return [
        Row(f"moons demo, {steps} steps (s/step)", {n: r[0] for n, r in results.items()}),
        Row("  final training accuracy", {n: f"{r[1]:.2f}" for n, r in results.items()}),
    ]


def main(argv: list[str] | None = None) -> None:
    print(format_table(rows(argv)), flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
