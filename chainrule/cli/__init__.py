"""The ``chainrule`` command line: steps | draw | check | check-engine | quiz | train.

Exit codes: 0 all went well, 1 a check failed, 2 a usage or formula mistake (one message,
no traceback). The console script and ``python -m chainrule`` both call ``main``.
"""

from __future__ import annotations

import argparse
import os
import shlex
import sys

from chainrule._version import __version__
from chainrule.autograd.parse import ParseError
from chainrule.cli import check, check_engine, draw, quiz, steps, train
from chainrule.cli.common import UsageError

EXAMPLES = """\
examples:
  chainrule steps "tanh(x*w + b)" x=0.5 w=-1.5 b=0.8 --html out/steps.html
  chainrule quiz "x*y + x" x=2 y=3
  chainrule check "sigmoid(x) * log(y)" x=0.3 y=2
  chainrule check-engine my_engine:Value
  chainrule draw "tanh(x*w + b)" x=0.5 w=-1.5 b=0.8 -o out/graph.svg
  chainrule train moons --hidden 16,16 --epochs 50

Run `chainrule COMMAND --help` for each command's options and examples.
A formula that starts with '-' goes after `--`: chainrule steps -- "-x*y" x=1 y=2
exit codes: 0 ok, 1 check failed, 2 usage or formula error; 130 Ctrl-C, 141 closed pipe."""


# Put in place of a word starting with '-' to see whether that word was the formula. No
# command-line word can hold a NUL, so it is never the user's own formula (say "x").
_FORMULA = "\0"


class _ArgumentMistake(SystemExit):
    """argparse's complaint, raised so that ``main`` can print it as one line (or a hint).

    A SystemExit with code 2, as argparse's own: a caller of ``build_parser()`` that
    catches SystemExit (or lets it end the program) keeps working.
    """

    def __init__(self, message: str) -> None:
        super().__init__(2)
        self.message = message

    def __str__(self) -> str:
        return self.message


class _OneLineErrors(argparse.ArgumentParser):
    """argparse, with a usage mistake reported as one line (not the usage block too)."""

    def error(self, message: str) -> None:
        raise _ArgumentMistake(f"{self.prog}: error: {message}; see {self.prog} --help")


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with every subcommand registered.

    >>> sorted(build_parser()._subparsers._group_actions[0].choices)
    ['check', 'check-engine', 'draw', 'quiz', 'steps', 'train']
    """
    parser = _OneLineErrors(
        prog="chainrule", epilog=EXAMPLES, formatter_class=argparse.RawDescriptionHelpFormatter,
        description="A scalar autograd engine for seeing backpropagation: "
                    "step through it, draw it, check it.")
    parser.add_argument("--version", action="version", version=f"chainrule {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for module in (steps, draw, check, check_engine, quiz, train):
        module.add_parser(subparsers)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run one command and return its exit code (never raises for a user's mistake).

    >>> main(["check", "x * x", "x=3"])              # doctest: +ELLIPSIS
    gradcheck passed: 1 of 1 inputs agree; backward is reproducible
    ...
    0
    >>> main(["steps", "x +", "x=1"])
    2
    """
    parser = build_parser()
    words = sys.argv[1:] if argv is None else argv
    try:
        args = parser.parse_args(words)
    except _ArgumentMistake as mistake:
        print(_dash_formula_hint(parser, words) or mistake, file=sys.stderr)
        return 2
    except SystemExit as exit_:  # --help or --version
        return exit_.code if isinstance(exit_.code, int) else 2
    if args.command is None:
        parser.print_help()
        return 2
    try:
        code = args.run(args)
        sys.stdout.flush()  # a reader that stopped (| head) shows up here, not at exit
        return code
    except BrokenPipeError:  # not the user's mistake: end quietly, as a killed `cat` would
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 141  # 128 + SIGPIPE
    except (UsageError, ParseError, OSError) as error:
        print(f"chainrule {args.command}: error: {_one_line(error)}", file=sys.stderr)
    except (ArithmeticError, ValueError) as error:  # a domain error met on the way back
        print(f"chainrule {args.command}: error: {_one_line(error)}", file=sys.stderr)
    except KeyboardInterrupt:
        print(file=sys.stderr)
        return 130
    return 2


def _dash_formula_hint(parser: argparse.ArgumentParser, words: list[str]) -> str | None:
    """When argparse took a formula starting with '-' for an option: the line that says to
    put ``--`` before it, with the whole command fixed; None for other mistakes.

    The word is the formula if the command parses with a plain formula in its place.

    >>> print(_dash_formula_hint(build_parser(), ["steps", "-x*y", "x=2", "--why", "x"]))
    chainrule steps: error: '-x*y' starts with '-', so it reads as an option; put -- before \
the formula: chainrule steps --why x -- '-x*y' x=2
    """
    for i, word in enumerate(words[1:], start=1):
        if word == "--":
            return None
        if not word.startswith("-") or word.startswith("--"):
            continue
        try:
            args = parser.parse_args([*words[:i], _FORMULA, *words[i + 1:]])
        except SystemExit:  # argparse's mistake (ours is one too), or --help
            continue
        if getattr(args, "expression", None) == _FORMULA:
            options = [w for w in words[1:] if w not in (word, "--", *args.variables)]
            fixed = shlex.join([words[0], *options, "--", word, *args.variables])
            return (f"chainrule {words[0]}: error: {word!r} starts with '-', so it reads as "
                    f"an option; put -- before the formula: chainrule {fixed}")
    return None


def _one_line(error: Exception) -> str:
    """The error as one line of stderr: a formula's caret picture becomes "column N of '...'"."""
    if isinstance(error, ParseError):
        return f"{error.message} (column {error.column + 1} of {error.text!r})"
    return " ".join(str(error).split())


if __name__ == "__main__":
    sys.exit(main())
