"""Writing files whole: to a temporary name first, then a rename over the real one.

Both ``nn`` (saved models) and ``viz`` (pictures, HTML steppers) write files this way,
so the one writer lives here, in the bottom layer they may both import.

>>> import tempfile, pathlib
>>> target = pathlib.Path(tempfile.mkdtemp()) / "new" / "a.dot"
>>> write_whole(target, b"digraph {}"); target.read_bytes()
b'digraph {}'
"""

from __future__ import annotations

import glob
import os
import secrets
import time
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
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        _remove_stale_temporaries(path)
    except OSError as error:
        raise _naming(error, path) from None
    # open(..., "xb") rather than tempfile.mkstemp: the file gets the usual
    # permissions (umask), not mkstemp's owner-only 0600.
    temporary = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
    try:
        with open(temporary, "xb") as file:
            file.write(content)
            file.flush()
            os.fsync(file.fileno())  # on disk before the rename: a crash keeps one whole file
        os.replace(temporary, path)
    except OSError as error:  # name the file the user asked for, not our temporary one
        temporary.unlink(missing_ok=True)
        raise _naming(error, path) from None
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def _naming(error: OSError, path: Path) -> OSError:
    """The same kind of error, naming the file the caller asked for."""
    message = f"cannot write {str(path)!r}: {error.strerror or error}"
    return type(error)(error.errno, message) if error.errno else type(error)(message)


STALE_SECONDS = 600  # a temporary this old is a killed writer's, not a running one's


def _remove_stale_temporaries(path: Path) -> None:
    # A writer killed with SIGKILL cannot remove its temporary file: the next write of the
    # same target does, once the file is old enough not to belong to a writer still running.
    now = time.time()
    for stale in path.parent.glob(f".{glob.escape(path.name)}.*.tmp"):
        try:
            if now - stale.stat().st_mtime > STALE_SECONDS:
                stale.unlink()
        except OSError:
            pass  # gone already, or not ours to remove
