"""``chainrule check-engine module:ClassName``: your own Value class against chainrule's.

The module is imported (from the current folder first, as ``python -m`` does); nothing
else of yours runs except that class's operators, methods and ``backward()``.
"""

from __future__ import annotations

import argparse
import importlib
import sys

from chainrule.cli.common import UsageError, subcommand

EXAMPLES = """\
  chainrule check-engine micrograd.engine:Value
  chainrule check-engine my_engine:Value --graphs 1000   # my_engine.py in this folder
"""


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    """Register ``check-engine`` and its options.

    >>> parser = argparse.ArgumentParser(prog="chainrule")
    >>> add_parser(parser.add_subparsers())
    >>> parser.parse_args(["check-engine", "micrograd.engine:Value"]).target
    'micrograd.engine:Value'
    """
    parser = subcommand(subparsers, "check-engine",
                        "check your own Value class (micrograd style) against chainrule's "
                        "on random graphs", EXAMPLES)
    parser.add_argument("target", metavar="MODULE:CLASS",
                        help="where your class is, e.g. my_engine:Value")
    parser.add_argument("--graphs", type=int, default=None,
                        help="how many random graphs to try (default 200)")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Print the report: exit 0 when the class agrees with chainrule, 1 when it does not.

    >>> run(argparse.Namespace(target="chainrule.autograd:Value", graphs=5))
    ... # doctest: +ELLIPSIS
    check-engine passed: chainrule.autograd.value.Value agrees with chainrule on 5 random graphs
    ...
    0
    """
    value_class = load_class(args.target)
    try:
        from chainrule.autograd.engine_check import DEFAULT_GRAPHS, check_engine
    except ImportError as error:  # Hypothesis is an extra
        raise UsageError(str(error)) from None
    graphs = DEFAULT_GRAPHS if args.graphs is None else args.graphs
    if graphs < 1:
        raise UsageError(f"--graphs needs a whole number >= 1, got {graphs}")
    try:
        report = check_engine(value_class, n_graphs=graphs)
    except TypeError as error:  # not a micrograd-style class
        raise UsageError(str(error)) from None
    print(report)
    return 0 if report.ok else 1


def load_class(target: str) -> type:
    """``"package.module:Name"`` -> that class, importing the module; a UsageError if not.

    >>> load_class("chainrule.autograd:Value").__name__
    'Value'
    >>> load_class("Value")
    Traceback (most recent call last):
    ...
    chainrule.cli.common.UsageError: expected MODULE:CLASS, got 'Value'; e.g. micrograd.engine:Value
    """
    module_name, colon, class_name = target.partition(":")
    if not colon or not module_name or not class_name.isidentifier():
        raise UsageError(f"expected MODULE:CLASS, got {target!r}; e.g. micrograd.engine:Value")
    if "" not in sys.path and "." not in sys.path:
        sys.path.insert(0, "")  # the current folder first, as `python -m` has it
    try:
        module = importlib.import_module(module_name)
    except ImportError as error:
        raise UsageError(f"cannot import {module_name!r}: {error}; run from the folder "
                         "that holds it, or install it") from None
    except Exception as error:  # noqa: BLE001  (their module's own code failed)
        raise UsageError(f"importing {module_name!r} raised {type(error).__name__}: "
                         f"{error}") from None
    value_class = getattr(module, class_name, None)
    if not isinstance(value_class, type):
        raise UsageError(f"{module_name} has no class {class_name!r}; name the class "
                         f"that makes your values, e.g. {module_name}:Value")
    return value_class
