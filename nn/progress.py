"""fit's progress bar: a widget in Jupyter, a redrawn line in a terminal, one line in a log.

``tqdm.auto`` picks the notebook bar inside Jupyter (when ipywidgets is installed) and the
text bar elsewhere. The text bar redraws itself with carriage returns, which a terminal
shows as one moving line but a log file or a pipe keeps as hundreds: there only the
final line is written.

>>> import io
>>> log = io.StringIO()
>>> with progress_bar(3, desc="fit", unit="epoch", stream=log) as bar:
...     for _ in range(3):
...         bar.update(1)
>>> log.getvalue().count("\\n"), "\\r" in log.getvalue(), "3/3" in log.getvalue()
(1, False, True)
"""

from __future__ import annotations

import sys
import warnings
from typing import TextIO

import tqdm as tqdm_package
from tqdm import TqdmWarning


def progress_bar(total: int, *, desc: str, unit: str, enabled: bool = True,
                 stream: TextIO | None = None) -> tqdm_package.tqdm:
    """A tqdm bar over ``total`` steps that suits where its output goes.

    A notebook bar in Jupyter; in a terminal the usual redrawn line on ``stream``
    (default: standard error); anywhere else (a pipe, a file, a notebook without
    ipywidgets) nothing but the final line; with ``enabled=False`` nothing at all.

    >>> import io
    >>> log = io.StringIO()
    >>> with progress_bar(2, desc="fit", unit="epoch", enabled=False, stream=log) as bar:
    ...     bar.update(2)
    >>> log.getvalue()
    ''
    """
    stream = sys.stderr if stream is None else stream
    options = {"total": total, "desc": desc, "unit": unit, "leave": True}
    if not enabled:
        return tqdm_package.tqdm(disable=True, **options)
    notebook_bar = _notebook_bar()
    if notebook_bar is not None:  # Jupyter's widget: it redraws in place
        return notebook_bar(**options)
    if _is_terminal(stream):
        return tqdm_package.tqdm(file=stream, **options)
    return tqdm_package.tqdm(file=FinalLine(stream), **options)


class FinalLine:
    """A file for tqdm that passes on finished lines only, each as last redrawn.

    tqdm redraws with ``"\\r" + status``; a line ends with ``"\\n"`` when the bar closes.

    >>> import io
    >>> log = io.StringIO()
    >>> out = FinalLine(log)
    >>> out.write("\\rfit: 50%"); out.write("\\rfit: 100%  "); out.write("\\n")
    >>> log.getvalue()
    'fit: 100%\\n'
    """

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self.pending = ""

    @property
    def encoding(self) -> str:  # tqdm draws a unicode bar when the stream can take it
        return getattr(self.stream, "encoding", None) or "utf-8"

    def write(self, text: str) -> None:
        """Keep the current line; pass it on, as last redrawn, once it ends."""
        self.pending += text
        *finished, self.pending = self.pending.split("\n")
        for line in finished:
            self.stream.write(line.rsplit("\r", 1)[-1].rstrip() + "\n")

    def flush(self) -> None:
        """Flush the stream underneath (what is pending is not a finished line yet)."""
        self.stream.flush()


def _notebook_bar() -> type | None:
    """tqdm.auto's bar if it chose the notebook widget; None if it chose the text bar.

    Without ipywidgets tqdm.auto falls back to the text bar with a warning on every
    import; the README says to install ipywidgets, so the warning is not repeated here.
    """
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", TqdmWarning)
        from tqdm import auto, autonotebook
    return None if autonotebook.tqdm is tqdm_package.tqdm else auto.tqdm


def _is_terminal(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):  # no isatty, or a closed stream
        return False
