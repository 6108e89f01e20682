"""``chainrule quiz``: you compute each gradient in backward order; it checks and explains.

The questions, checks and explanations are ``chainrule.autograd.quiz``, which a notebook
calls directly; this module reads the formula and the options.

Answers are read line by line from standard input, so the quiz also runs from a pipe:
``printf '2\\n3\\n' | chainrule quiz "x*y" x=2 y=3``.
"""

from __future__ import annotations

import argparse
import sys
from typing import TextIO

from chainrule.autograd.quiz import quiz
from chainrule.cli.common import UsageError, add_formula_arguments, build_graph, subcommand

EXAMPLES = """\
  chainrule quiz "tanh(x*w + b)" x=0.5 w=-1.5 b=0.8
  printf '2\\n3\\n' | chainrule quiz "x*y" x=2 y=3      # answers from a pipe
  chainrule quiz "x*y" x=2 y=3 --reveal                 # just show the answers
"""


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    """Register ``quiz`` and its options.

    >>> parser = argparse.ArgumentParser(prog="chainrule")
    >>> add_parser(parser.add_subparsers())
    >>> parser.parse_args(["quiz", "x*y", "x=2", "y=3", "--reveal"]).reveal
    True
    """
    parser = subcommand(subparsers, "quiz",
                        "compute each gradient by hand, in backward order, and be checked",
                        EXAMPLES)
    add_formula_arguments(parser)
    parser.add_argument("--reveal", action="store_true",
                        help="print every answer with its explanation; ask nothing")
    parser.add_argument("--tolerance", type=float, default=0.01,
                        help="accept |answer - gradient| <= tolerance * max(1, |gradient|)"
                             " (default 0.01)")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace, answers: TextIO | None = None) -> int:
    """Ask for d root / d node for every node but the root and the constants.

    >>> import io
    >>> ns = argparse.Namespace(expression="x * y", variables=["x=2", "y=3"],
    ...                         reveal=False, tolerance=0.01)
    >>> run(ns, io.StringIO("2\\n7\\n"))           # doctest: +ELLIPSIS
    forward pass:
    ...
    dout/dy = ? right: 2.0
    dout/dx = ? not quite: dout/dx = 3.0, not 7.0.
      x is used 1 time(s); each use adds local × upstream:
      from out = x * y: d(x * y)/dx = y = 3.0, × upstream out.grad = 1.0, gives 3.0
    <BLANKLINE>
    score: 1/2
    0
    """
    if not args.tolerance >= 0:
        raise UsageError(f"--tolerance {args.tolerance}: give a number >= 0, e.g. 0.01")
    root, _ = build_graph(args)
    quiz(root, sys.stdin if answers is None else answers, reveal=args.reveal,
         tolerance=args.tolerance)
    return 0
