"""``chainrule check``: backprop against central finite differences; exit 1 on mismatch."""

from __future__ import annotations

import argparse

from chainrule.autograd import Value, gradcheck
from chainrule.autograd.parse import ParseError, parse
from chainrule.cli.common import UsageError, add_formula_arguments, read_variables, subcommand

EXAMPLES = """\
  chainrule check "tanh(x*w + b)" x=0.5 w=-1.5 b=0.8
  chainrule check "relu(x) * y" x=0 y=2        # at relu's kink: exit code 1
"""


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    """Register ``check`` and its options.

    >>> parser = argparse.ArgumentParser(prog="chainrule")
    >>> add_parser(parser.add_subparsers())
    >>> parser.parse_args(["check", "x*x", "x=3"]).expression
    'x*x'
    """
    parser = subcommand(subparsers, "check",
                        "compare backprop with finite differences, one row per variable",
                        EXAMPLES)
    add_formula_arguments(parser)
    parser.add_argument("--eps", type=float, default=None,
                        help="relative finite-difference step (default cbrt(machine eps))")
    parser.add_argument("--atol", type=float, default=1e-8, help="absolute tolerance")
    parser.add_argument("--rtol", type=float, default=1e-6, help="relative tolerance")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Print the gradcheck table: exit 0 when every variable agrees, 1 when one does not.

    >>> ns = argparse.Namespace(expression="x ** 3", variables=["x=2"], eps=None,
    ...                         atol=1e-8, rtol=1e-6)
    >>> run(ns)                                   # doctest: +ELLIPSIS
    gradcheck passed: 1 of 1 inputs agree; backward is reproducible
    ...
    0
    """
    values = read_variables(args.variables)
    if not values:
        raise UsageError("check needs at least one variable, e.g. x=0.5")
    _check_tolerances(args)
    names = list(values)

    def formula(*leaves: Value) -> Value:
        return parse(args.expression, **dict(zip(names, leaves, strict=True)))

    formula(*values.values())  # a parse error surfaces here, before any differencing
    try:
        report = gradcheck(formula, [Value(v, name) for name, v in values.items()],
                           eps=args.eps, atol=args.atol, rtol=args.rtol)
    except ParseError as error:  # x ± h left the formula's domain
        raise UsageError(f"a finite-difference step left the formula's domain: "
                         f"{error.message}; move the point away from the edge") from None
    print(report)
    return 0 if report.ok else 1


def _check_tolerances(args: argparse.Namespace) -> None:
    """--eps > 0, --atol and --rtol >= 0, each named as typed (NaN fails both comparisons)."""
    if args.eps is not None and not 0 < args.eps < float("inf"):
        raise UsageError(f"--eps {args.eps}: give a number > 0, e.g. --eps 1e-6")
    for option, value, example in (("--atol", args.atol, "1e-8"), ("--rtol", args.rtol, "1e-6")):
        if not 0 <= value < float("inf"):
            raise UsageError(f"{option} {value}: give a number >= 0, e.g. {option} {example}")
