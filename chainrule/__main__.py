"""Entry point for ``python -m chainrule`` and the ``chainrule`` console script."""

from __future__ import annotations

import sys


def main(argv: list[str] | None = None) -> int:
    """Run the command line (the subcommands arrive with the stepper issue).

    >>> main(["--help"])
    0
    """
    args = sys.argv[1:] if argv is None else argv
    print("chainrule: a scalar autograd engine for seeing backpropagation.")
    return 0 if not args or args[0] in ("-h", "--help") else 2


if __name__ == "__main__":
    sys.exit(main())
