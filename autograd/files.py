"""Writing files whole: to a temporary name first, then a rename over the real one.

Both ``nn`` (saved models) and ``viz`` (pictures, HTML steppers) write files this way,
so the one writer lives here, in the bottom layer they may both import.

>>> import tempfile, pathlib
>>> target = pathlib.Path(tempfile.mkdtemp()) / "new" / "a.dot"
>>> write_whole(target, b"digraph {}"); target.read_bytes()
b'digraph {}'
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path


def write_whole(path: str | os.PathLike, content: bytes) -> None:
    """Write ``content`` to ``path`` so that it appears whole or not at all.

    Missing folders are made; an interrupted write leaves the previous file as it was
    (and no temporary file) behind.

    >>> import tempfile, pathlib
    >>> target = pathlib.Path(tempfile.mkdtemp()) / "b.txt"
    >>> write_whole(target, b"one"); write_whole(target, b"two"); target.read_bytes()
    b'two'
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    # open(..., "xb") rather than tempfile.mkstemp: the file gets the usual
    # permissions (umask), not mkstemp's owner-only 0600.
    temporary = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
    try:
        with open(temporary, "xb") as file:
            file.write(content)
            file.flush()
            os.fsync(file.fileno())  # on disk before the rename: a crash keeps one whole file
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
