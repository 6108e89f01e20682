"""Writing picture files whole: to a temporary name first, then a rename.

>>> import tempfile, pathlib
>>> target = pathlib.Path(tempfile.mkdtemp()) / "new" / "a.dot"
>>> write_whole(target, b"digraph {}"); target.read_bytes()
b'digraph {}'
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path


def write_whole(path: Path, content: bytes) -> None:
    """Write ``content`` to ``path`` so that it appears whole or not at all.

    Missing folders are made; an interrupted write leaves no half-written picture
    (and no temporary file) behind.

    >>> import tempfile, pathlib
    >>> target = pathlib.Path(tempfile.mkdtemp()) / "b.txt"
    >>> write_whole(target, b"one"); write_whole(target, b"two"); target.read_bytes()
    b'two'
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    # open(..., "xb") rather than tempfile.mkstemp: the picture gets the usual
    # permissions (umask), not mkstemp's owner-only 0600.
    temporary = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
    try:
        with open(temporary, "xb") as file:
            file.write(content)
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
