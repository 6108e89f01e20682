"""Graphviz's ``dot`` program: one check, one message, before any picture is laid out.

Writing a ``.dot`` file needs no program; every SVG, PNG or PDF does. Each path that runs
``dot`` calls ``require_dot`` first, so a missing program is one clear line (and exit 2 on
the command line), never graphviz's "failed to execute PosixPath('dot')".

>>> import shutil
>>> require_dot("draw a graph") is None or shutil.which("dot") is None
True
"""

from __future__ import annotations

import shutil

INSTALL = "apt-get install graphviz | brew install graphviz | conda install graphviz"


class DotNotFoundError(FileNotFoundError):
    """Graphviz's ``dot`` program is not on PATH (an OSError, so callers that handle
    missing files handle this too).

    >>> str(DotNotFoundError("render"))[:52]
    "render: needs Graphviz's 'dot' program, which is not"
    """

    def __init__(self, purpose: str) -> None:
        super().__init__(
            f"{purpose}: needs Graphviz's 'dot' program, which is not on PATH; install it "
            f"({INSTALL}) and try again, or write a '.dot' file, which needs no program.")


def require_dot(purpose: str) -> None:
    """Raise ``DotNotFoundError`` naming ``purpose`` when ``dot`` is missing; else do nothing.

    >>> import os
    >>> path = os.environ.get("PATH", "")
    >>> os.environ["PATH"] = ""
    >>> try:
    ...     require_dot("stepper_html")
    ... except DotNotFoundError as error:
    ...     print(str(error).split(";")[0])
    ... finally:
    ...     os.environ["PATH"] = path
    stepper_html: needs Graphviz's 'dot' program, which is not on PATH
    """
    if shutil.which("dot") is None:
        raise DotNotFoundError(purpose)
