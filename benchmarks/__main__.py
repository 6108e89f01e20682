"""``make bench``: every workload, chainrule against micrograd in the same run, one table.

Rows come from ``benchmarks.engine`` (per-node speed and memory) and
``benchmarks.compiled`` (micrograd's moons demo, per example and compiled; it reuses
``benchmarks.moons``). Options are passed on: ``python -m benchmarks --quick``.
"""

from __future__ import annotations

import platform
import sys

from benchmarks import compiled, engine


def main(argv: list[str] | None = None) -> None:
    argv = sys.argv[1:] if argv is None else argv
    print(f"chainrule benchmarks: Python {platform.python_version()}, garbage collector on "
          "(default thresholds) unless a row says gc_paused(); medians; ratio = micrograd's "
          "time (or bytes) / ours\n", flush=True)
    table = engine.rows(argv)
    table += compiled.rows(argv)
    print(engine.format_table(table), flush=True)


if __name__ == "__main__":
    main()
