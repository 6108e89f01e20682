"""HTML for notebooks: one table helper that every ``_repr_html_`` in chainrule uses.

Jupyter shows an object through its ``_repr_html_`` method when it has one (the rich
display protocol), so nothing here imports IPython. Every piece of text passes through
``html.escape``: a label such as ``<script>`` shows as text, never runs.

>>> print(table(["x", "grad"], [["a<b", "1.0"]], caption="gradients"))
<table class="chainrule">
<caption>gradients</caption>
<thead><tr><th>x</th><th>grad</th></tr></thead>
<tbody>
<tr><td>a&lt;b</td><td>1.0</td></tr>
</tbody>
</table>
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

# Marked rows (a failing gradcheck input) get a red tint and a bold "NO", readable in
# light and dark notebook themes alike; the rest inherits the notebook's own table style.
STYLE = ("<style>table.chainrule td,table.chainrule th{text-align:left;"
         "font-family:monospace;padding:2px 8px;white-space:nowrap}"
         "table.chainrule tr.marked{background:rgba(220,38,38,0.18);font-weight:bold}"
         "table.chainrule caption{text-align:left;font-weight:bold}</style>")


def table(header: Sequence[str], rows: Sequence[Sequence[str]], *, caption: str = "",
          marked: Sequence[bool] = ()) -> str:
    """An HTML table of text cells, every cell escaped; ``marked[i]`` flags row i.

    >>> html = table(["input", "ok"], [["x", "yes"], ["y", "NO"]], marked=[False, True])
    >>> '<tr class="marked"><td>y</td><td>NO</td></tr>' in html
    True
    """
    lines = ['<table class="chainrule">']
    if caption:
        lines.append(f"<caption>{escape(caption)}</caption>")
    lines.append("<thead><tr>" + "".join(f"<th>{escape(h)}</th>" for h in header)
                 + "</tr></thead>")
    lines.append("<tbody>")
    flags = list(marked) + [False] * (len(rows) - len(marked))
    for row, flag in zip(rows, flags, strict=False):
        cells = "".join(f"<td>{escape(cell)}</td>" for cell in row)
        lines.append(f'<tr class="marked">{cells}</tr>' if flag else f"<tr>{cells}</tr>")
    lines += ["</tbody>", "</table>"]
    return "\n".join(lines)


def paragraph(text: str) -> str:
    """One line of text for a notebook, escaped.

    >>> paragraph("sum = 7.0 = x.grad & done")
    '<p>sum = 7.0 = x.grad &amp; done</p>'
    """
    return f"<p>{escape(text)}</p>"


def block(*parts: str) -> str:
    """Parts (tables, paragraphs) in one ``<div>``, with the shared style in front.

    >>> block(paragraph("hi")).endswith('<div class="chainrule"><p>hi</p></div>')
    True
    """
    return STYLE + '<div class="chainrule">' + "".join(parts) + "</div>"
