"""Text for the pictures: numbers at a chosen precision, any label made safe for Graphviz.

Numbers are written by ``chainrule.autograd.notation.number``, the one notation the step
text and the pictures share: ``-1.5`` in a record, on an edge and in the step text alike.

Every label goes into an HTML-like Graphviz label, so one escape covers the characters
that break DOT records and HTML alike (``| { } < > " \\`` and newlines).

>>> escape_html('a<b> & "c"')
'a&lt;b&gt; &amp; &quot;c&quot;'
>>> number(2.0, 4), number(-0.70710678, 2), number(float("nan"), 2)
('2.0', '-0.71', 'nan')
"""

from __future__ import annotations

import math

from chainrule.autograd.notation import number

# Characters XML (and so Graphviz's HTML parser) cannot hold even as entities.
__all__ = ["escape_html", "grad_colour", "grad_of", "number"]

_FORBIDDEN = {*range(0x00, 0x20), 0x7F, 0xFFFE, 0xFFFF, *range(0xD800, 0xE000)}
_ENTITIES = {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;",
             # In HTML labels these are plain text already; entities keep them plain
             # even if Graphviz ever reads the text as a record field or escape sequence.
             "|": "&#124;", "{": "&#123;", "}": "&#125;", "\\": "&#92;", "[": "&#91;",
             "]": "&#93;"}


def escape_html(text: str) -> str:
    """Make any text safe inside a Graphviz HTML-like label.

    Markup characters become entities, a newline a line break, a tab a space; characters
    XML cannot hold (other control characters, lone surrogates) are shown as ``\\xNN``.

    >>> escape_html("x|{y}")
    'x&#124;&#123;y&#125;'
    >>> escape_html("two\\nlines")
    'two<BR/>lines'
    >>> escape_html("bell\\a")
    'bell&#92;x07'
    """
    parts = []
    for char in text.replace("\r\n", "\n"):
        code = ord(char)
        if char == "\n":
            parts.append("<BR/>")
        elif char == "\t":
            parts.append(" ")
        elif code in _FORBIDDEN:
            parts.append(f"&#92;x{code:02x}" if code < 0x100 else f"&#92;u{code:04x}")
        else:
            parts.append(_ENTITIES.get(char, char))
    return "".join(parts)


def grad_of(grad: object) -> float:
    """A node's gradient as a float (after ``create_graph=True`` it is a Value).

    >>> grad_of(0.5)
    0.5
    """
    return float(getattr(grad, "data", grad))


def grad_colour(grad: float, scale: float) -> str:
    """A fill for the grad cell: blue for positive, red for negative, deeper when larger.

    ``scale`` is the largest |grad| in the picture, which gets the deepest colour.

    >>> grad_colour(1.0, 1.0), grad_colour(-0.5, 1.0), grad_colour(0.0, 1.0)
    ('#60a5fa', '#fcb8b8', '#ffffff')
    """
    if scale <= 0.0 or not math.isfinite(grad) or grad == 0.0:
        return "#ffffff"
    strength = min(abs(grad) / scale, 1.0)
    deep = (0x60, 0xA5, 0xFA) if grad > 0 else (0xF8, 0x71, 0x71)
    mixed = (round(255 - (255 - c) * strength) for c in deep)
    return "#" + "".join(f"{c:02x}" for c in mixed)
