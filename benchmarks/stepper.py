"""The stepper and ``draw --formulas``: time and file size as the graph grows.

Run: ``.venv/bin/python -m benchmarks.stepper`` (``--timeout 60`` to wait longer).

Workloads: ``x*x*...*x`` (one x feeding every op: the high fan-out case) and
``x*1 + x*2 + ... + x*n`` for n = 10, 40, 160, and one layer of ``MLP(4, [8])`` (its
outputs summed). For each: ``stepper_html`` (time, file size) and ``chainrule draw
--formulas -o graph.svg`` (time), each in a fresh process with a timeout, so a layout that
never ends shows as "> 60 s" instead of hanging the run. The baseline in the same run is
one plain ``render`` of the same graph to SVG (one Graphviz layout, no formulas): the
stepper's ratio to it says how many layouts' worth of work the stepper costs.

Measured on the shared 2-core machine (medians of one run each; noisy):
                       before (one layout per step)     after (one layout)
  product of 40        > 60 s                            0.5 s, 96 kB
  product of 160       refused (318 steps > 300)         1.1 s, 0.38 MB
  sum of 160           refused (638 steps > 300)         4.5 s, 0.75 MB
  draw --formulas, product of 160: > 60 s before, 0.9 s after.
The layout bound (``viz/_layout.py``, MAX_LAYOUT = 1200 placed nodes) came from the same
graphs: a 160-term sum places about 960 (2-3 s of ``dot``), a 250-term sum 1500 (4-13 s),
MLP(20, [20, 1]) 2600 (36 s); ``dot``'s position phase grows about as the square.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time

SIZES = (10, 40, 160)
CASES = [*(("product", n) for n in SIZES), *(("sum", n) for n in SIZES), ("mlp", 8)]
# Each job runs in a fresh interpreter: {case} builds the root; the job prints a number.
BUILD = """
import sys
from chainrule.autograd import Value
kind, n, out = sys.argv[1], int(sys.argv[2]), Path(sys.argv[3])
x = Value(1.001, "x")
if kind == "product":
    root = x
    for _ in range(n - 1):
        root = root * x
elif kind == "sum":
    root = x * 1
    for k in range(2, n + 1):
        root = root + x * k
else:
    from chainrule.nn import MLP
    outs = MLP(4, [n], seed=0)([Value(1.0, f"x{i}") for i in range(4)])
    root = sum(outs[1:], outs[0])
root.backward()
"""
JOBS = {
    "render": BUILD + "from chainrule.viz import render\nrender(root, out / 'plain.svg', "
                      "max_nodes=10_000)\nprint(0)\n",
    "stepper": BUILD + "from chainrule.viz.stepper import stepper_html\n"
                       "print(stepper_html(root, out / 's.html').stat().st_size)\n",
    "draw": BUILD + "from chainrule.viz import draw_graph, render\nrender(draw_graph(root, "
                    "show_formulas=True, max_nodes=10_000), out / 'f.svg')\nprint(0)\n",
}


def run_job(job: str, kind: str, n: int, timeout: float) -> tuple[str, str]:
    """(seconds, bytes printed) as text, or ("> T s", "") or ("refused", the reason)."""
    with tempfile.TemporaryDirectory() as folder:
        start = time.perf_counter()
        try:
            done = subprocess.run([sys.executable, "-c", JOBS[job], kind, str(n), folder],
                                  capture_output=True, text=True, timeout=timeout)
        except subprocess.TimeoutExpired:
            return f"> {timeout:.0f} s", ""
        seconds = time.perf_counter() - start
    if done.returncode != 0:
        last = (done.stderr.strip().splitlines() or ["?"])[-1]
        return "refused", last[:70]
    return f"{seconds:.2f} s", done.stdout.strip()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--timeout", type=float, default=60.0)
    args = parser.parse_args(argv)
    print(f"{'graph':<14}{'render (1 layout)':>18}{'stepper':>12}{'file':>11}"
          f"{'ratio':>7}{'draw --formulas':>17}", flush=True)
    for kind, n in CASES:
        render, _ = run_job("render", kind, n, args.timeout)
        stepper, size = run_job("stepper", kind, n, args.timeout)
        draw, _ = run_job("draw", kind, n, args.timeout)
        ratio = (f"{float(stepper.split()[0]) / float(render.split()[0]):.1f}x"
                 if render.endswith(" s") and stepper[0].isdigit() and render[0].isdigit()
                 else "")
        shown = f"{int(size) / 1e6:.2f} MB" if size.isdigit() else size
        name = f"MLP(4, [{n}])" if kind == "mlp" else f"{kind} of {n}"
        print(f"{name:<14}{render:>18}{stepper:>12}{shown:>11}{ratio:>7}{draw:>17}",
              flush=True)


if __name__ == "__main__":
    main()
