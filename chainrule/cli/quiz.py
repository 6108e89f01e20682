"""``chainrule quiz``: you compute each gradient in backward order; it checks and explains.

Answers are read line by line from standard input, so the quiz also runs from a pipe:
``printf '2\\n3\\n' | chainrule quiz "x*y" x=2 y=3``.
"""

from __future__ import annotations

import argparse
import sys
from typing import TextIO

from chainrule.autograd import Value, topological_order
from chainrule.autograd.steps import (
    Step,
    backprop_steps,
    forward_steps,
    grad_name,
    node_names,
    number,
)
from chainrule.cli.common import UsageError, add_formula_arguments, build_graph, subcommand

EXAMPLES = """\
  chainrule quiz "tanh(x*w + b)" x=0.5 w=-1.5 b=0.8
  printf '2\\n3\\n' | chainrule quiz "x*y" x=2 y=3      # answers from a pipe
  chainrule quiz "x*y" x=2 y=3 --reveal                 # just show the answers
"""
STOP = {"q", "quit", "exit"}
SKIP = {"", "?", "skip"}


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
    answers = sys.stdin if answers is None else answers
    names = node_names(root)
    order = topological_order(root)
    users: dict[Value, list[Value]] = {node: [] for node in order}  # who uses each node
    for node in order:
        for parent in dict.fromkeys(node.parents):  # a*a uses a once here
            users[parent].append(node)
    into: dict[Value, list[Step]] = {}  # each node's incoming contributions, in order
    for step in backprop_steps(root):
        into.setdefault(step.parent, []).append(step)
    _introduce(root, names)
    score, asked = 0, 0
    for node in reversed(order):  # backward's order
        if node is root or (node.op is None and not node.label):
            continue  # the root's gradient is 1; constants are not asked
        gradient = into[node][-1].after if node in into else 0.0
        outcome = _ask(names, root, node, gradient, args, answers)
        if outcome is None:
            break
        score, asked = score + outcome, asked + 1
        if not outcome:
            print(_explanation(into.get(node, []), names[node],
                               [names[user] for user in users[node]]))
    if not args.reveal:
        print(f"\nscore: {score}/{asked}")
    return 0


def _introduce(root: Value, names: dict[Value, str]) -> None:
    print("forward pass:")
    for step in forward_steps(root):
        print(f"  {step}")
    print(f"\nbackward pass: d{names[root]}/d{names[root]} = 1. Give d{names[root]}/d(node) "
          "for each node below ('skip' shows it, 'q' stops).")


def _ask(names: dict[Value, str], root: Value, node: Value, gradient: float,
         args: argparse.Namespace, answers: TextIO) -> bool | None:
    """True right, False wrong or skipped, None when the learner stops (q or end of input)."""
    question = f"d{names[root]}/d{names[node]} = "
    if args.reveal:
        print(f"{question}{number(gradient)}")
        return False
    while True:
        print(f"{question}? ", end="", flush=True)
        line = answers.readline()
        if not line or line.strip().lower() in STOP:
            print("\n(stopped)")
            return None
        text = line.strip()
        if text.lower() in SKIP:
            print(f"skipped: {question}{number(gradient)}.")
            return False
        try:
            answer = float(text)
        except ValueError:
            print(f"{text!r} is not a number; type one such as -0.25, 'skip' or 'q'.")
            continue
        if abs(answer - gradient) <= args.tolerance * max(1.0, abs(gradient)):
            print(f"right: {number(gradient)}")
            return True
        print(f"not quite: {question}{number(gradient)}, not {number(answer)}.")
        return False


def _explanation(steps: list[Step], name: str, users: list[str]) -> str:
    """Where a node's gradient comes from: one local × upstream product per use.

    >>> print(_explanation([], "y", ["n2"]))   # sqrt(y) behind a dead relu
      y gets no contribution: n2 has upstream gradient 0, so backward() skips it (each
      contribution would be local × 0). The gradient of y stays 0.
    """
    if not steps:
        if not users:
            return f"  {name} is not used on the way to the root, so its gradient is 0."
        return (f"  {name} gets no contribution: {', '.join(users)} "
                f"{'has' if len(users) == 1 else 'have'} upstream gradient 0, so backward() "
                f"skips {'it' if len(users) == 1 else 'them'} (each\n  contribution would be "
                f"local × 0). The gradient of {name} stays 0.")
    lines = [f"  {name} is used {len(steps)} time(s); each use adds local × upstream:"]
    for s in steps:
        lines.append(f"  from {s.node_name} = {s.expression}: {s.derivative} = {s.formula} "
                     f"= {number(s.local)}, × upstream {grad_name(s.node_name)} = "
                     f"{number(s.upstream)}, gives {number(s.contribution)}")
    if len(steps) > 1:
        lines.append(f"  sum: {number(steps[-1].after)}")
    return "\n".join(lines)
