"""Writing picture files whole: the writer is ``chainrule.autograd.files``', shared with nn.

>>> import chainrule.autograd.files
>>> write_whole is chainrule.autograd.files.write_whole
True
"""

from __future__ import annotations

from chainrule.autograd.files import write_whole

__all__ = ["write_whole"]
