"""Writing picture files whole: the writer lives in ``autograd.files``, shared with ``nn``.

>>> import autograd.files
>>> write_whole is autograd.files.write_whole
True
"""

from __future__ import annotations

from autograd.files import write_whole

__all__ = ["write_whole"]
