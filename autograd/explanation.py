"""``explain()``'s answer: the text for a terminal, the same rows as HTML for a notebook.

>>> from chainrule.autograd import Value
>>> from chainrule.autograd.steps import explain
>>> text = explain(Value(2.0, "a") * Value(-3.0, "b"))
>>> isinstance(text, str), text.splitlines()[-1]
(True, 'gradients: a = -3.0, b = 2.0')
>>> "<td>d(a * b)/da = b = -3.0</td>" in text._repr_html_()
True
"""

from __future__ import annotations

from collections.abc import Sequence

from chainrule.autograd.html import block, paragraph, table

FORWARD_HEADER = ("node", "formula", "with numbers", "value")


class Explanation(str):
    """Both passes as text (the string itself) and as two HTML tables (``_repr_html_``).

    Built by ``explain()`` from the very cells its text table is laid out from, so the
    two show the same numbers and formulas. A ``str`` subclass: everything that printed
    or compared ``explain()``'s text still does.

    >>> e = Explanation("forward ...", forward=[("a", "(leaf)", "", "2.0")],
    ...                 backward_title="backward pass", rows=[("step",), ("1",)],
    ...                 notes=["gradients: a = 1.0"])
    >>> str(e), e.forward[0][3]
    ('forward ...', '2.0')
    """

    forward: list[tuple[str, ...]]
    backward_title: str
    rows: list[tuple[str, ...]]
    notes: list[str]

    def __new__(cls, text: str, *, forward: Sequence[Sequence[str]] = (),
                backward_title: str = "", rows: Sequence[Sequence[str]] = (("step",),),
                notes: Sequence[str] = ()) -> Explanation:
        # defaults only so that copy and pickle, which call __new__(cls, text) and then
        # restore the attributes, work; explain() always passes every part
        self = super().__new__(cls, text)
        self.forward = [tuple(row) for row in forward]
        self.backward_title = backward_title
        self.rows = [tuple(row) for row in rows]  # the backward header, then one per step
        self.notes = list(notes)
        return self

    def _repr_html_(self) -> str:
        """The forward table, the backward table (one row per step), then the notes."""
        backward = table(self.rows[0], self.rows[1:], caption=self.backward_title)
        forward = table(FORWARD_HEADER, self.forward, caption="forward pass (evaluation order)")
        return block(forward, backward, *(paragraph(note) for note in self.notes))
