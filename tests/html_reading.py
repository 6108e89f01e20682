"""Read the HTML a ``_repr_html_`` gives, as a browser would: tables, text, tags.

Shared by the rich-display tests (autograd, nn) and the notebook test.
"""

from __future__ import annotations

from html.parser import HTMLParser


class Reading(HTMLParser):
    """Every table as rows of cell texts, all text, and the start tags met."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tables: list[list[list[str]]] = []
        self.text: list[str] = []
        self.tags: list[str] = []
        self.marked_rows: list[list[str]] = []
        self._cell: list[str] | None = None
        self._marked = False
        self._in_style = False

    def handle_starttag(self, tag: str, attrs: list) -> None:
        self.tags.append(tag)
        if tag == "table":
            self.tables.append([])
        elif tag == "tr":
            self.tables[-1].append([])
            self._marked = ("class", "marked") in attrs
        elif tag in ("td", "th"):
            self._cell = []
        elif tag == "style":
            self._in_style = True

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th") and self._cell is not None:
            self.tables[-1][-1].append("".join(self._cell))
            self._cell = None
        elif tag == "tr" and self._marked:
            self.marked_rows.append(self.tables[-1][-1])
        elif tag == "style":
            self._in_style = False

    def handle_data(self, data: str) -> None:
        if self._in_style:
            return
        self.text.append(data)
        if self._cell is not None:
            self._cell.append(data)


def read_html(html: str) -> Reading:
    """Parse ``html``; the result's ``tables``, ``text``, ``tags``, ``marked_rows``."""
    reading = Reading()
    reading.feed(html)
    reading.close()
    return reading


def all_text(html: str) -> str:
    """The text a reader sees, tags removed and entities decoded."""
    return "".join(read_html(html).text)
