"""``python -m chainrule`` runs the command line, as the ``chainrule`` console script does."""

import sys

from chainrule.cli import main

if __name__ == "__main__":
    sys.exit(main())
