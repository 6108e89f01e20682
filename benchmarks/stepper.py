"""The stepper and ``draw --formulas``: time and file size as the graph grows.

Run: ``.venv/bin/python -m benchmarks.stepper`` (``--timeout 120`` to wait longer).

Workloads: ``x*x*...*x`` (one x feeding every op: the high fan-out case) and
``x*1 + x*2 + ... + x*n`` for n = 10, 40, 160, and one layer of ``MLP(4, [8])`` (its
outputs summed). For each: ``stepper_html`` (time, file size) and ``chainrule draw
--formulas -o graph.svg`` (time), each in a fresh process with a timeout (the time printed
excludes the interpreter's start), so a layout that never ends shows as "> 60 s" (the
timeout, start included) instead of hanging the run. The baseline in the same run is
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

SIZES = "10,40,160"
# Each job runs in a fresh interpreter: BUILD makes the root, then the job is timed alone
# (interpreter start and imports excluded) and prints "seconds bytes".
BUILD = """
import sys, time
from pathlib import Path
import chainrule.viz, chainrule.viz.stepper
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
start = time.perf_counter()
"""
DONE = "print(time.perf_counter() - start, size)\n"
JOBS = {
    "render": BUILD + "from chainrule.viz import render\nrender(root, out / 'plain.svg', "
                      "max_nodes=10_000)\nsize = 0\n" + DONE,
    "stepper": BUILD + "from chainrule.viz.stepper import stepper_html\n"
                       "size = stepper_html(root, out / 's.html').stat().st_size\n" + DONE,
    "draw": BUILD + "from chainrule.viz import draw_graph, render\nrender(draw_graph(root, "
                    "show_formulas=True, max_nodes=10_000), out / 'f.svg')\nsize = 0\n" + DONE,
}


def run_job(job: str, kind: str, n: int, timeout: float) -> tuple[str, str]:
    """(seconds, bytes printed) as text, or ("> T s", "") or ("refused", the reason)."""
    with tempfile.TemporaryDirectory() as folder:
        try:
            done = subprocess.run([sys.executable, "-c", JOBS[job], kind, str(n), folder],
                                  capture_output=True, text=True, timeout=timeout)
        except subprocess.TimeoutExpired:
            return f"> {timeout:.0f} s", ""
    if done.returncode != 0:  # a refusal (ValueError) or a failure: the error's last line
        last = (done.stderr.strip().splitlines() or ["?"])[-1]
        kind = "refused" if last.startswith("ValueError") else "failed"
        return kind, last.split(": ", 1)[-1][:60]
    seconds, size = done.stdout.split()
    return f"{float(seconds):.2f} s", size


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--timeout", type=float, default=60.0)
    parser.add_argument("--sizes", default=SIZES, help="terms per product and sum")
    args = parser.parse_args(argv)
    sizes = [int(n) for n in args.sizes.split(",")]
    cases = [*(("product", n) for n in sizes), *(("sum", n) for n in sizes), ("mlp", 8)]
    print(f"{'graph':<14}{'render (1 layout)':>18}{'stepper':>12}{'file':>11}"
          f"{'ratio':>7}{'draw --formulas':>17}", flush=True)
    notes = []
    for kind, n in cases:
        render, _ = run_job("render", kind, n, args.timeout)
        stepper, size = run_job("stepper", kind, n, args.timeout)
        draw, _ = run_job("draw", kind, n, args.timeout)
        if stepper in ("refused", "failed"):
            notes.append(f"{kind} of {n}: the stepper {stepper}: {size}")
            size = ""
        ratio = (f"{float(stepper.split()[0]) / float(render.split()[0]):.1f}x"
                 if render.endswith(" s") and stepper[0].isdigit() and render[0].isdigit()
                 else "")
        shown = f"{int(size) / 1e6:.2f} MB" if size.isdigit() else size
        name = f"MLP(4, [{n}])" if kind == "mlp" else f"{kind} of {n}"
        print(f"{name:<14}{render:>18}{stepper:>12}{shown:>11}{ratio:>7}{draw:>17}",
              flush=True)
    print("\n".join(notes))


if __name__ == "__main__":
    main()
