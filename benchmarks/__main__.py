"""``make bench``: every workload, chainrule against micrograd in the same run, one table.

Rows come from ``benchmarks.engine`` (per-node speed and memory) and
``benchmarks.compiled`` (micrograd's moons demo, per example and compiled; it reuses
``benchmarks.moons``); ``benchmarks.numpy_xor`` prints a table of its own (the tutorials'
XOR network in NumPy floats, in arrays of Values and as an MLP), and ``benchmarks.floor``
puts every engine against the floor: the same networks trained by a hand-written NumPy
step, with the compiled step's time by phase. Options are passed on:
``python -m benchmarks --quick``.

Each suite runs in a fresh Python process (as pyperf runs its workers), so no suite
inherits another's heap: after the engine suite's million-node chain and 200,000-node
graphs, the moons steps of both engines ran on a fragmented heap, and chainrule's
measured about 10% slower (0.082 -> 0.091 s/step) than in a fresh process.
"""

from __future__ import annotations

import multiprocessing
import platform
import sys
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor

from benchmarks import compiled, engine, floor, numpy_xor
from benchmarks.engine import Row


def in_fresh_process(rows: Callable[[list[str]], list[Row]], argv: list[str]) -> list[Row]:
    """Run one suite's ``rows(argv)`` in a newly started interpreter and return its rows."""
    with ProcessPoolExecutor(max_workers=1,
                             mp_context=multiprocessing.get_context("spawn")) as pool:
        return pool.submit(rows, argv).result()


def main(argv: list[str] | None = None) -> None:
    argv = sys.argv[1:] if argv is None else argv
    print(f"chainrule benchmarks: Python {platform.python_version()}, garbage collector on "
          "(default thresholds) unless a row says gc_paused(); medians; ratio = micrograd's "
          "time (or bytes) / ours\n", flush=True)
    table = in_fresh_process(engine.rows, argv) + in_fresh_process(compiled.rows, argv)
    print(engine.format_table(table), flush=True)
    print("\nThe tutorials' XOR network, one epoch; ratio = that column's time / NumPy's\n")
    print(numpy_xor.format_table(in_fresh_process(numpy_xor.rows, argv)), flush=True)
    print("\nAgainst the floor: the same network trained by a hand-written NumPy step "
          "(best block of several; ratio = engine's time / NumPy's)\n", flush=True)
    print(in_fresh_process(floor.text, argv), flush=True)


if __name__ == "__main__":
    main()
