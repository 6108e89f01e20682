"""What gradcheck and gradgradcheck report: one row per input (or pair), a verdict, notes.

>>> row = InputCheck("x", 2.0, analytic=12.0, numeric=12.000000001, ok=True, near_kink=False)
>>> print(GradcheckReport((row,), reproducible=True))
gradcheck passed: 1 of 1 inputs agree; backward is reproducible
input  value  analytic  numeric  abs err  rel err  ok
x      2      12        12       1.0e-09  8.3e-11  yes
"""

from __future__ import annotations

import sys
from dataclasses import dataclass

from chainrule.autograd.html import block, paragraph, table
from chainrule.autograd.notation import text_table

HEADER = ("input", "value", "analytic", "numeric", "abs err", "rel err", "ok")


@dataclass(frozen=True, slots=True)
class InputCheck:
    """One input's analytic and numeric gradient and whether they agree."""

    label: str
    value: float
    analytic: float
    numeric: float
    ok: bool
    near_kink: bool
    inconclusive: str = ""  # why the numbers cannot decide; "" when they can

    @property
    def abs_error(self) -> float:
        return abs(self.analytic - self.numeric)

    @property
    def rel_error(self) -> float:
        return self.abs_error / max(abs(self.numeric), sys.float_info.min)


@dataclass(frozen=True, slots=True)
class GradcheckReport:
    """The outcome of ``gradcheck``: ``.ok``, and ``str()`` is a table for people."""

    rows: tuple[InputCheck, ...]
    reproducible: bool
    culprit: str | None = None
    title: str = "gradcheck"
    counted: str = "inputs"  # what a row is: "inputs", or "pairs" for gradgradcheck

    @property
    def ok(self) -> bool:
        return self.reproducible and all(row.ok for row in self.rows)

    @property
    def inconclusive(self) -> bool:
        """True when no row is wrong but some cannot be decided by finite differences."""
        return self.reproducible and any(row.inconclusive for row in self.rows) and all(
            row.ok or row.inconclusive for row in self.rows)

    def __str__(self) -> str:
        lines = [self._verdict(), *text_table([HEADER, *self._cells()])]
        return "\n".join(lines + self._notes())

    def _repr_html_(self) -> str:
        """The verdict, the table with failing rows marked, and the culprit note.

        >>> from chainrule.autograd import gradcheck
        >>> r = gradcheck(lambda x: x ** 3, [2.0])     # 3x^2 = 12
        >>> "<td>x0</td><td>2</td><td>12</td>" in r._repr_html_()
        True
        """
        marked = [not row.ok for row in self.rows]
        return block(paragraph(self._verdict()), table(HEADER, self._cells(), marked=marked),
                     *(paragraph(note) for note in self._notes()))

    def _verdict(self) -> str:
        n_ok = sum(row.ok for row in self.rows)
        verdict = "passed" if self.ok else "INCONCLUSIVE" if self.inconclusive else "FAILED"
        again = "reproducible" if self.reproducible else "NOT reproducible (two runs differ)"
        return (f"{self.title} {verdict}: {n_ok} of {len(self.rows)} {self.counted} agree; "
                f"backward is {again}")

    def _cells(self) -> list[tuple[str, ...]]:
        cells = []
        for row in self.rows:
            flag = ("yes" if row.ok else "?" if row.inconclusive else "NO") + (
                " (near a kink)" if row.near_kink else "")
            cells.append((row.label, f"{row.value:.6g}", f"{row.analytic:.10g}",
                          f"{row.numeric:.10g}", f"{row.abs_error:.1e}",
                          f"{row.rel_error:.1e}", flag))
        return cells

    def _notes(self) -> list[str]:
        labels_by_reason: dict[str, list[str]] = {}  # one note for rows with one reason
        for row in self.rows:
            if row.inconclusive:
                labels_by_reason.setdefault(row.inconclusive, []).append(row.label)
        notes = [f"inconclusive for {', '.join(labels)}: {reason}"
                 for reason, labels in labels_by_reason.items()]
        if self.culprit:
            return [*notes, f"culprit: {self.culprit}"]
        if any(row.near_kink and not row.ok for row in self.rows):
            notes.append("note: every op's rule agrees with its own finite difference; the "
                         "mismatch comes from a kink (relu/abs at 0) within a step of the "
                         "point, where the two-sided difference straddles it. Move the point.")
        return notes
