"""``make bench``: every benchmark, chainrule against micrograd in the same run."""

from __future__ import annotations

import importlib

SUITES = ["benchmarks.engine", "benchmarks.moons"]


def main() -> None:
    for name in SUITES:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as missing:
            if missing.name != name:
                raise
            continue  # a suite not written yet
        print(f"\n## {name.split('.')[-1]}\n")
        module.main([])


if __name__ == "__main__":
    main()
