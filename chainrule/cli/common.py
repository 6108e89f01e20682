"""What every subcommand shares: reading ``name=value`` words, building the graph, errors.

>>> read_variables(["x=0.5", "w=-1.5"])
{'x': 0.5, 'w': -1.5}
"""

from __future__ import annotations

import argparse
import math

from chainrule.autograd import Value, topological_order
from chainrule.autograd.ascii_text import first_non_ascii, non_ascii
from chainrule.autograd.parse import parse
from chainrule.autograd.steps import node_names


class UsageError(Exception):
    """A mistake in how the command was called: printed as one line, exit code 2.

    >>> str(UsageError("expected name=number, got 'x'"))
    "expected name=number, got 'x'"
    """


def read_variables(words: list[str]) -> dict[str, float]:
    """``["x=0.5", "w=-1.5"]`` -> ``{"x": 0.5, "w": -1.5}``, or a UsageError saying why not.

    >>> read_variables(["x=1e-3"])
    {'x': 0.001}
    >>> read_variables(["x"])
    Traceback (most recent call last):
    ...
    chainrule.cli.common.UsageError: expected name=number, got 'x'; write e.g. x=0.5
    """
    variables: dict[str, float] = {}
    for word in words:
        name, equals, text = word.partition("=")
        name = name.strip()
        if not equals and word.startswith("-"):  # only after "--" does an option get here
            raise UsageError(f"{word!r} after -- reads as a variable, not an option; put "
                             "options before the --, e.g. steps --why x -- '-x*y' x=1 y=2")
        if not equals or not name:
            raise UsageError(f"expected name=number, got {word!r}; write e.g. x=0.5")
        if not name.isidentifier():
            raise UsageError(f"{name!r} is not a variable name; use letters, digits and _")
        bad = first_non_ascii(name)
        if bad is not None:  # parse would refuse it too, but as "parse: variable ..."
            raise UsageError(f"{non_ascii(name, bad)} (in {word!r})")
        if name in variables:
            raise UsageError(f"{name} is given twice ({word!r}); give each variable once")
        try:
            value = float(text)
        except ValueError:
            raise UsageError(f"{name}: {text!r} is not a number; write e.g. {name}=0.5") from None
        if not math.isfinite(value):
            raise UsageError(f"{name}: needs a finite number, got {text!r}; write e.g. {name}=0.5")
        variables[name] = value
    return variables


def read_sizes(text: str, option: str, at_least: int = 1) -> list[int]:
    """``"2,16,1"`` -> ``[2, 16, 1]``: whole numbers >= 1, at least ``at_least`` of them.

    >>> read_sizes("2, 16,1", "--mlp", at_least=2)
    [2, 16, 1]
    """
    try:
        sizes = [int(part) for part in text.split(",")]
    except ValueError:
        raise UsageError(f"{option} {text!r}: write sizes as whole numbers, e.g. 16,16") from None
    if len(sizes) < at_least or min(sizes) < 1:
        raise UsageError(f"{option} {text!r}: need at least {at_least} size(s), each >= 1")
    return sizes


def build_graph(args: argparse.Namespace) -> tuple[Value, dict[str, Value]]:
    """The root of ``args.expression`` and its named leaves, from ``args.variables``.

    The graph is ours, so every result gets a name the tables and pictures share: the
    root is ``out``, the other results n1, n2, ... in evaluation order.

    >>> ns = argparse.Namespace(expression="tanh(x * y)", variables=["x=2", "y=3"])
    >>> root, leaves = build_graph(ns)
    >>> root.label, root.parents[0].label, sorted(leaves)
    ('out', 'n1', ['x', 'y'])
    """
    values = read_variables(args.variables)
    leaves = {name: Value(value, name) for name, value in values.items()}
    root = parse(args.expression, **leaves)
    used = set(topological_order(root))
    unused = [name for name, leaf in leaves.items() if leaf not in used]
    if unused:
        raise UsageError(f"{unused[0]}={values[unused[0]]:g} is given but the formula "
                         f"{args.expression!r} does not use {unused[0]}; drop it or use it")
    if root.op is not None and "out" not in leaves:
        root.label = "out"
    for node, name in node_names(root).items():
        if node.op is not None and not node.label:
            node.label = name
    return root, leaves


def add_formula_arguments(parser: argparse.ArgumentParser) -> None:
    """The two positional arguments of the formula commands: EXPRESSION and name=value.

    >>> parser = argparse.ArgumentParser()
    >>> add_formula_arguments(parser)
    >>> vars(parser.parse_args(["x * w", "x=2", "w=3"]))
    {'expression': 'x * w', 'variables': ['x=2', 'w=3']}
    """
    parser.add_argument("expression", metavar="EXPRESSION",
                        help='a formula, e.g. "tanh(x*w + b)"; quote it for the shell')
    parser.add_argument("variables", metavar="NAME=VALUE", nargs="*",
                        help="a value for each name in the formula, e.g. x=0.5 w=-1.5")


def subcommand(subparsers: argparse._SubParsersAction, name: str, summary: str,
               examples: str) -> argparse.ArgumentParser:
    """A subcommand whose --help ends with worked examples.

    >>> parser = argparse.ArgumentParser(prog="chainrule")
    >>> sub = subcommand(parser.add_subparsers(), "hello", "say hello", "  chainrule hello")
    >>> sub.epilog.splitlines()
    ['examples:', '  chainrule hello']
    """
    return subparsers.add_parser(
        name, help=summary, description=summary, epilog="examples:\n" + examples,
        formatter_class=argparse.RawDescriptionHelpFormatter)
