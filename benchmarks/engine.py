"""Engine speed and memory, chainrule against micrograd in the same run, as ratios.

Run: ``make bench`` (or ``.venv/bin/python -m benchmarks.engine``). Needs the ``bench``
extra (micrograd==0.1.0). Default interpreter settings: the garbage collector stays on.

Workloads (identical on both engines, seeded):
  graph   build a random 200,000-node graph (add, mul, relu; nodes reused) + backward
  chain   a 1,000,000-deep chain of additions + backward
  one op  a + b on two existing Values
  memory  bytes per node of the built, backpropagated graph (tracemalloc)
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
import tracemalloc
from collections.abc import Callable

import autograd

try:
    import micrograd.engine as micrograd
except ImportError:  # the bench extra is not installed: measure chainrule alone
    micrograd = None


def build_graph(value_cls: type, n_nodes: int, seed: int = 0):
    """A random DAG with about ``n_nodes`` nodes whose root depends on all of them."""
    rng = random.Random(seed)
    weights = [value_cls(rng.uniform(0.5, 1.0) * rng.choice((-1, 1))) for _ in range(64)]
    nodes = [value_cls(rng.uniform(-1, 1)) for _ in range(64)]
    node = nodes[-1]
    while len(nodes) < n_nodes:
        choice = rng.random()
        if choice < 0.4:
            node = node + nodes[rng.randrange(len(nodes))]
        elif choice < 0.8:
            node = node * weights[rng.randrange(64)]  # |w| <= 1 keeps data bounded
        else:
            node = node.relu()
        nodes.append(node)
    return node, len(nodes) + 64


def build_chain(value_cls: type, depth: int):
    node = value_cls(0.5)
    for _ in range(depth):
        node = node + 1.0
    return node


def seconds(run: Callable[[], object], repeats: int) -> float:
    """Median wall time of ``repeats`` runs."""
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def graph_per_node(value_cls: type, n_nodes: int, repeats: int) -> float:
    def run():
        root, _ = build_graph(value_cls, n_nodes)
        root.backward()
    return seconds(run, repeats) / n_nodes


def chain_seconds(value_cls: type, depth: int) -> float | str:
    def run():
        build_chain(value_cls, depth).backward()
    try:
        return seconds(run, 1)
    except RecursionError:
        return "RecursionError"


def one_op(value_cls: type, repeats: int = 200_000) -> float:
    a, b = value_cls(1.5), value_cls(-2.0)

    def run():
        for _ in range(repeats):
            a + b
    return seconds(run, 5) / repeats


def bytes_per_node(value_cls: type, n_nodes: int) -> float:
    tracemalloc.start()
    root, count = build_graph(value_cls, n_nodes)
    root.backward()
    used, _ = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    del root
    return used / count


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--nodes", type=int, default=200_000)
    parser.add_argument("--depth", type=int, default=1_000_000)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args(argv)
    sys.setrecursionlimit(max(sys.getrecursionlimit(), 3 * args.depth))  # micrograd recurses

    engines = {"chainrule": autograd.Value}
    if micrograd is not None:
        engines["micrograd"] = micrograd.Value
    rows = [
        (f"graph build+backward, {args.nodes:,} nodes (µs/node)",
         lambda v: graph_per_node(v, args.nodes, args.repeats) * 1e6),
        (f"chain of {args.depth:,} + backward (s)", lambda v: chain_seconds(v, args.depth)),
        ("one op a + b (µs)", lambda v: one_op(v) * 1e6),
        ("memory (bytes/node)", lambda v: bytes_per_node(v, args.nodes)),
    ]
    print_table(rows, engines)


def print_table(rows, engines: dict[str, type]) -> None:
    names = list(engines)
    header = f"{'workload':<46}" + "".join(f"{n:>14}" for n in names)
    if len(names) > 1:
        header += f"{'ratio':>10}"
    print(header)
    print("-" * len(header))
    for title, measure in rows:
        results = [measure(engines[n]) for n in names]
        line = f"{title:<46}" + "".join(
            f"{r:>14.3f}" if isinstance(r, float) else f"{r:>14}" for r in results)
        if len(results) > 1 and all(isinstance(r, float) for r in results):
            line += f"{results[1] / results[0]:>9.1f}x"
        print(line, flush=True)


if __name__ == "__main__":
    main()
