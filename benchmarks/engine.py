"""Engine speed and memory, chainrule against micrograd in the same run, as ratios.

Run: ``make bench`` (every suite, one table) or ``.venv/bin/python -m benchmarks.engine``.
Needs the ``bench`` extra (micrograd==0.1.0). The garbage collector stays on, with
Python's default thresholds, except in the row that says ``gc_paused()``.

Workloads (identical on both engines; the random choices are drawn once, before timing):
  graph   build a random 200,000-node graph (add, mul, relu; nodes reused) + backward
  chain   a 1,000,000-deep chain of additions + backward
  one op  a + b on two existing Values
  memory  bytes per node of the built, backpropagated graph (tracemalloc)
"""

from __future__ import annotations

import argparse
import gc
import random
import statistics
import sys
import time
import tracemalloc
from collections.abc import Callable
from dataclasses import dataclass, field

from chainrule.autograd.state import gc_paused

from benchmarks.table import ratio_table
from chainrule import autograd

try:
    import micrograd.engine as micrograd
except ImportError:  # the bench extra is not installed: measure chainrule alone
    micrograd = None

ENGINES = ("chainrule", "chainrule compiled", "micrograd")


@dataclass
class Row:
    """One workload: a title and a number (or a note such as "RecursionError") per engine."""

    title: str
    results: dict[str, float | str] = field(default_factory=dict)


def graph_recipe(n_nodes: int, seed: int = 0) -> tuple[list, list, list]:
    """Draw the random graph once: weights, starting leaves, and (kind, index) steps.

    Drawing outside the timed region keeps the random-number calls (about 0.9 µs per
    node, the same for both engines) from diluting the ratio.
    """
    rng = random.Random(seed)
    weights = [rng.uniform(0.5, 1.0) * rng.choice((-1, 1)) for _ in range(64)]
    starts = [rng.uniform(-1, 1) for _ in range(64)]
    steps = []
    for size in range(64, n_nodes):
        choice = rng.random()
        if choice < 0.4:
            steps.append((0, rng.randrange(size)))  # node + an earlier node
        elif choice < 0.8:
            steps.append((1, rng.randrange(64)))  # node * a weight, |w| <= 1
        else:
            steps.append((2, 0))  # relu
    return weights, starts, steps


def build_graph(value_cls: type, recipe: tuple[list, list, list]):
    """Build the recipe's graph; return its root and how many Values it has."""
    weight_data, start_data, steps = recipe
    weights = [value_cls(w) for w in weight_data]
    nodes = [value_cls(x) for x in start_data]
    node = nodes[-1]
    for kind, index in steps:
        if kind == 0:
            node = node + nodes[index]
        elif kind == 1:
            node = node * weights[index]
        else:
            node = node.relu()
        nodes.append(node)
    return node, len(nodes) + len(weights)


def one_timing(run: Callable[[], object]) -> float:
    """Wall time of one run, including the freeing of its garbage.

    The run starts after a full collection and ends with one, inside the timing: a
    micrograd graph is a web of reference cycles (each node's closure refers to the
    node), which only the collector frees, while chainrule's is freed by reference
    counting as ``run()`` returns. Both engines pay for their memory the same way.
    """
    gc.collect()
    start = time.perf_counter()
    run()
    gc.collect()
    return time.perf_counter() - start


def turns(runs: dict[str, Callable[[], object]], repeats: int) -> dict[str, float]:
    """Median seconds of each engine's run, the engines taking turns ``repeats`` times.

    Taking turns (A B A B ...) rather than all of A then all of B lets both engines see
    the same machine: on a shared machine whose speed drifts by tens of percent over a
    minute, that keeps the ratio honest even when the absolute times move.
    """
    times: dict[str, list[float]] = {name: [] for name in runs}
    for _ in range(repeats):
        for name, run in runs.items():
            times[name].append(one_timing(run))
    return {name: statistics.median(ts) for name, ts in times.items()}


def graph_runs(value_cls: type, recipe) -> Callable[[], None]:
    def run():
        root, _ = build_graph(value_cls, recipe)
        root.backward()
    return run


def chain_seconds(value_cls: type, depth: int) -> float | str:
    def run():
        node = value_cls(0.5)
        for _ in range(depth):
            node = node + 1.0
        node.backward()
    try:
        return one_timing(run)
    except RecursionError:
        return "RecursionError"


ONE_OP_REPEATS = 1_000_000  # so the collections around a timing add ~0.01 µs per op


def one_op_run(value_cls: type, repeats: int) -> Callable[[], None]:
    a, b = value_cls(1.5), value_cls(-2.0)

    def run():
        for _ in range(repeats):
            a + b
    return run


def bytes_per_node(value_cls: type, recipe) -> float:
    gc.collect()
    tracemalloc.start()
    root, count = build_graph(value_cls, recipe)
    root.backward()
    used, _ = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    del root
    return used / count


def rows(argv: list[str] | None = None) -> list[Row]:
    """Measure every engine workload; ``argv`` as on the command line (``--quick``)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--nodes", type=int, default=200_000)
    parser.add_argument("--depth", type=int, default=1_000_000)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--op-repeats", type=int, default=ONE_OP_REPEATS)
    parser.add_argument("--quick", action="store_true", help="small sizes, fewer repeats")
    args, _ = parser.parse_known_args(argv)
    if args.quick:
        args.nodes, args.depth, args.repeats, args.op_repeats = 20_000, 100_000, 1, 100_000
    sys.setrecursionlimit(max(sys.getrecursionlimit(), 3 * args.depth))  # micrograd recurses
    recipe = graph_recipe(args.nodes)
    engines = {"chainrule": autograd.Value}
    if micrograd is not None:
        engines["micrograd"] = micrograd.Value
    n_nodes = len(recipe[1]) + len(recipe[2])

    def per_node(runs):
        return {name: t / n_nodes * 1e6 for name, t in turns(runs, args.repeats).items()}
    graph = {name: graph_runs(cls, recipe) for name, cls in engines.items()}
    table = [Row(f"graph build+backward, {args.nodes:,} nodes (µs/node)", per_node(graph))]
    with gc_paused():
        table.append(Row("  the same inside gc_paused() (µs/node)", per_node(graph)))
    table.append(Row(f"chain of {args.depth:,} + backward (s)",
                     {name: chain_seconds(cls, args.depth) for name, cls in engines.items()}))
    one_op = turns({name: one_op_run(cls, args.op_repeats) for name, cls in engines.items()}, 5)
    table.append(Row("one op a + b (µs)",
                     {name: t / args.op_repeats * 1e6 for name, t in one_op.items()}))
    table.append(Row("memory (bytes/node)",
                     {name: bytes_per_node(cls, recipe) for name, cls in engines.items()}))
    return table


def format_table(table: list[Row]) -> str:
    """The rows as text: a column per engine, then micrograd's time over each of ours."""
    cells = {row.title: [row.results.get(name, "-") for name in ENGINES] for row in table}
    return ratio_table(cells, ENGINES, [("micrograd/chainrule", 2, 0),
                                        ("micrograd/compiled", 2, 1)], digits=3)


def main(argv: list[str] | None = None) -> None:
    print(format_table(rows(argv)), flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
