"""``chainrule steps``: the forward and backward pass as tables; the HTML stepper; why()."""

from __future__ import annotations

import argparse
from pathlib import Path

from chainrule.autograd.paths import why
from chainrule.autograd.steps import explain
from chainrule.cli.common import UsageError, add_formula_arguments, build_graph, subcommand

EXAMPLES = """\
  chainrule steps "tanh(x*w + b)" x=0.5 w=-1.5 b=0.8
  chainrule steps "tanh(x*w + b)" x=0.5 w=-1.5 b=0.8 --why w
  chainrule steps "tanh(x*w + b)" x=0.5 w=-1.5 b=0.8 --html out/steps.html
  chainrule steps "x*x + x" x=3 --frames out/frames
"""


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    """Register ``steps`` and its options.

    >>> parser = argparse.ArgumentParser(prog="chainrule")
    >>> add_parser(parser.add_subparsers())
    >>> parser.parse_args(["steps", "x*y", "x=2", "y=3"]).variables
    ['x=2', 'y=3']
    """
    parser = subcommand(subparsers, "steps", "print backprop one chain-rule step at a time",
                        EXAMPLES)
    add_formula_arguments(parser)
    parser.add_argument("--why", metavar="NAME", action="append", default=[],
                        help="explain NAME's gradient path by path (repeatable)")
    parser.add_argument("--html", metavar="PATH", type=Path,
                        help="also write the stepper: one self-contained HTML file")
    parser.add_argument("--frames", metavar="DIR", type=Path,
                        help="also write one SVG picture per step into DIR")
    parser.add_argument("--limit", type=int, default=20,
                        help="--why lists at most this many paths (default 20)")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Print the tables, then write what was asked for; 0 when all went well.

    >>> ns = argparse.Namespace(expression="x * 3", variables=["x=2"], why=["x"],
    ...                         html=None, frames=None, limit=20)
    >>> run(ns)                                  # doctest: +ELLIPSIS
    forward pass (evaluation order)
    ...
    gradients: x = 3.0
    <BLANKLINE>
    why is dout/dx = 3.0?
    ...
    0
    """
    if args.limit < 1:
        raise UsageError(f"--limit {args.limit}: list at least 1 path")
    root, leaves = build_graph(args)
    unknown = [name for name in args.why if name not in leaves]
    if unknown:
        raise UsageError(f"--why {unknown[0]}: no such variable; choose from "
                         f"{', '.join(leaves) or '(none)'}")
    print(explain(root))
    for name in args.why:
        print()
        print(why(root, leaves[name], limit=args.limit))
    if args.html or args.frames:
        _write_pictures(root, args.html, args.frames)
    return 0


def _write_pictures(root, html: Path | None, frames: Path | None) -> None:
    try:
        from chainrule.viz.stepper import backprop_frames, stepper_html
    except ImportError as error:
        raise UsageError(f"the stepper is not available here ({error})") from None
    try:
        if frames is not None:
            paths = backprop_frames(root, frames)
            print(f"\nwrote {len(paths)} SVG frames to {frames}/")
        if html is not None:
            path = stepper_html(root, html)
    except (ValueError, RuntimeError) as error:  # too many steps; no Graphviz `dot`
        raise UsageError(str(error)) from None
    if html is not None:
        print(f"\nwrote {path}: open it in a browser (xdg-open {path}, or "
              f"{Path(path).resolve().as_uri()}) and press Next, or the → key.")
