"""The report of ``check_engine``: their numbers and ours, and the diagnosis, for people.

>>> leaf = LeafGrads("x0", 1.0, theirs=0.0, ours=0.42)
>>> mismatch = Mismatch("tanh(x0)", 0.7616, 0.7616, (leaf,), None, "tanh's rule is wrong")
>>> print(EngineReport("my_engine.Value", ("tanh(a)",), (), 2, mismatch))
... # doctest: +NORMALIZE_WHITESPACE
check-engine FAILED: my_engine.Value disagrees with chainrule (first on random graph 2)
found 1 forms: tanh(a)
smallest failing expression (shrunk by Hypothesis):
  tanh(x0)    at x0 = 1.0
           yours   ours
  value    0.7616  0.7616
  x0.grad  0.0     0.42    <- differs
diagnosis: tanh's rule is wrong
compare step by step with chainrule's engine:
  chainrule steps "tanh(x0)" x0=1.0
  or in Python, after import chainrule as cr: print(cr.explain(cr.parse("tanh(x0)", x0=1.0)))
"""

from __future__ import annotations

from dataclasses import dataclass

from chainrule.autograd.engine_forms import close
from chainrule.autograd.html import block, paragraph, table
from chainrule.autograd.notation import text_table
from chainrule.autograd.steps import number


@dataclass(frozen=True, slots=True)
class LeafGrads:
    """One leaf of the failing graph: its value, its grad on their engine and on ours."""

    name: str
    value: float
    theirs: float | None
    ours: float


@dataclass(frozen=True, slots=True)
class Mismatch:
    """The smallest failing graph: its formula, both engines' numbers, and why."""

    formula: str
    root_theirs: float | None
    root_ours: float
    leaves: tuple[LeafGrads, ...]
    error: str | None
    diagnosis: str
    nodes: tuple[str, ...] = ()  # the graph node by node, when a node is used twice

    def python_arguments(self) -> str:
        """The arguments of ``cr.parse`` for this graph: the formula, then each leaf."""
        words = ", ".join(f"{leaf.name}={leaf.value!r}" for leaf in self.leaves)
        return f'"{self.formula}", {words}'

    def steps_command(self) -> str:
        """The command that prints our engine's step trace of this graph."""
        words = " ".join(f"{leaf.name}={leaf.value!r}" for leaf in self.leaves)
        return f'chainrule steps "{self.formula}" {words}'


@dataclass(frozen=True, slots=True)
class EngineReport:
    """What ``check_engine`` found: ``.ok``, and ``str()`` reads like a teacher's note.

    ``n_graphs`` is how many random graphs ran: all of them when the check passed, else
    the number of the first one that failed (0: it failed before, e.g. on sum()).
    """

    engine: str
    found: tuple[str, ...]
    not_found: tuple[str, ...]
    n_graphs: int
    mismatch: Mismatch | None

    @property
    def ok(self) -> bool:
        return self.mismatch is None

    def __str__(self) -> str:
        lines = self._verdict_lines()
        if self.mismatch is not None:
            before, rows, after = _mismatch_parts(self.mismatch, shrunk=self.n_graphs > 0)
            lines += before + text_table(rows, indent="  ") + after
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        """In a notebook: the same lines, the yours/ours comparison as a table, rows that
        differ marked.

        >>> leaf = LeafGrads("x0", 1.0, theirs=0.0, ours=0.42)
        >>> bad = Mismatch("tanh(x0)", 0.7616, 0.7616, (leaf,), None, "tanh's rule is wrong")
        >>> html = EngineReport("my_engine.Value", ("tanh(a)",), (), 2, bad)._repr_html_()
        >>> '<tr class="marked"><td>x0.grad</td><td>0.0</td><td>0.42</td>' in html
        True
        """
        parts = [paragraph(line) for line in self._verdict_lines()]
        if self.mismatch is not None:
            before, rows, after = _mismatch_parts(self.mismatch, shrunk=self.n_graphs > 0)
            parts += [paragraph(line.strip()) for line in before]
            parts.append(table(rows[0], rows[1:], marked=[bool(row[3]) for row in rows[1:]]))
            parts += [paragraph(line.strip()) for line in after]
        return block(*parts)

    def _verdict_lines(self) -> list[str]:
        if self.ok:
            verdict = (f"passed: {self.engine} agrees with chainrule on {self.n_graphs} "
                       "random graphs")
        elif self.n_graphs:
            verdict = (f"FAILED: {self.engine} disagrees with chainrule (first on random graph "
                       f"{self.n_graphs})")
        else:
            verdict = f"FAILED: {self.engine} disagrees with chainrule before any random graph"
        lines = [f"check-engine {verdict}",
                 f"found {len(self.found)} forms: {', '.join(self.found)}"]
        if self.not_found:
            lines.append(f"not checked (not found on your class): {', '.join(self.not_found)}")
        return lines


def _mismatch_parts(mismatch: Mismatch, shrunk: bool) -> tuple[list[str], list[tuple], list[str]]:
    """The lines before the yours/ours table, its rows (a header first), the lines after."""
    point = ", ".join(f"{leaf.name} = {number(leaf.value)}" for leaf in mismatch.leaves)
    rows = [("", "yours", "ours", ""),
            ("value", _shown(mismatch.root_theirs), number(mismatch.root_ours),
             "" if close(mismatch.root_theirs, mismatch.root_ours) else "<- differs")]
    rows += [(f"{leaf.name}.grad", _shown(leaf.theirs), number(leaf.ours),
              "" if close(leaf.theirs, leaf.ours) else "<- differs")
             for leaf in mismatch.leaves]
    heading = "smallest failing expression (shrunk by Hypothesis)" if shrunk else (
        "failing expression (what sum() computes)")
    before = [f"{heading}:",
              f"  {mismatch.formula}    at {point}"]
    if mismatch.nodes:
        before += ["  node by node (your engine builds each node once and uses it twice):"]
        before += [f"    {line}" for line in mismatch.nodes]
    after = [f"your engine raised {mismatch.error}"] if mismatch.error else []
    after += [f"diagnosis: {mismatch.diagnosis}",
              "compare step by step with chainrule's engine:",
              f"  {mismatch.steps_command()}",
              "  or in Python, after import chainrule as cr: "
              f"print(cr.explain(cr.parse({mismatch.python_arguments()})))"]
    return before, rows, after


def _shown(x: float | None) -> str:
    return "-" if x is None else number(x)
