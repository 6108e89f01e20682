"""A traced graph laid out as a flat tape: one ``Step`` per node, every value in a slot.

``autograd.compiled`` traces ``f`` twice (``trace``) and lays each trace out as a
``Tape``: the inputs' slots first, then the parameters (Values ``f`` closes over), the
constants (numbers ``f`` wrote) and one slot per op result, in an order where every node
comes after its parents. Two tapes of the same ``f`` must be equal (``Tape.difference``).

>>> from chainrule.autograd import Value
>>> w = Value(2.0)
>>> inputs, outputs = trace(lambda x: w * x + 1.0, [0.5])
>>> tape = Tape(inputs, outputs, {w})
>>> [(s.op.name, s.out, s.a, s.b) for s in tape.steps]   # slot 0: x, 1: w, 2: the 1.0
[('mul', 3, 1, 0), ('add', 4, 3, 2)]
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from threading import get_ident

import numpy as np
from chainrule.autograd.graph import topological_order
from chainrule.autograd.ops import Op
from chainrule.autograd.state import TRACING
from chainrule.autograd.value import Value


@dataclass(frozen=True, slots=True)
class Step:
    """One tape entry: ``slots[out] = op(slots[a], slots[b])`` (``b`` is -1 for one input).

    >>> from chainrule.autograd.ops import MUL
    >>> step = Step(MUL, out=2, a=0, b=1)      # slot 2 = slot 0 * slot 1
    >>> step.op.name, step.out
    ('mul', 2)
    """

    op: Op
    out: int
    a: int
    b: int


def two_rows(examples: Sequence[Sequence[float]] | np.ndarray,
              n_inputs: int) -> list[list[float]]:
    """Two rows of ``n_inputs`` floats, from a list of rows or a 2-row numpy array."""
    try:
        # an array is never tested for truth here: "if examples" is ambiguous for one
        rows = np.asarray(examples, dtype=float)
    except (TypeError, ValueError):
        rows = None  # ragged rows, or something that is not a number
    if rows is None or rows.shape != (2, n_inputs):
        raise ValueError(f"compile: examples must be two rows of {n_inputs} numbers (a list "
                         f"of rows or an array of shape (2, {n_inputs})), got {examples!r}.")
    return rows.tolist()


def trace(f: Callable, row: Sequence[float]) -> tuple[list[Value], list[Value]]:
    inputs = [Value(x, f"x{i}") for i, x in enumerate(row)]
    with tracing(inputs):
        result = f(*inputs)
    outputs = [result] if isinstance(result, Value) else (
        list(result) if isinstance(result, (list, tuple)) else [])
    if not outputs or not all(isinstance(out, Value) for out in outputs):
        raise TypeError(f"compile: f must return a Value or a list of Values, got {result!r}.")
    return inputs, outputs


@contextmanager
def tracing(inputs: list[Value]):
    TRACING[get_ident()] = set(inputs)  # makes comparisons on traced Values raise
    try:
        yield
    finally:
        del TRACING[get_ident()]


def graph_order(outputs: list[Value]) -> list[Value]:
    """Every node the outputs depend on, each after its parents (each output's walk, merged)."""
    seen: set[Value] = set()
    order = []
    for out in outputs:
        for node in topological_order(out):
            if node not in seen:
                seen.add(node)
                order.append(node)
    return order


class Tape:
    """One trace laid out in slots: inputs, then parameters, constants and op results."""

    def __init__(self, inputs: list[Value], outputs: list[Value], shared: set[Value]) -> None:
        order = graph_order(outputs)
        slot = {x: i for i, x in enumerate(inputs)}
        leaves = [n for n in order if n.op is None and n not in slot]
        self.parameters = [leaf for leaf in leaves if leaf in shared]
        self.constants = [leaf.data for leaf in leaves if leaf not in shared]
        for leaf in self.parameters + [leaf for leaf in leaves if leaf not in shared]:
            slot[leaf] = len(slot)
        self.steps = []
        for node in order:
            if node.op is not None:
                parents = [slot[p] for p in node.parents]
                slot[node] = len(slot)
                self.steps.append(Step(node.op, slot[node], parents[0],
                                       parents[1] if len(parents) > 1 else -1))
        self.n_inputs, self.n_slots = len(inputs), len(slot)
        self.outputs = [slot[out] for out in outputs]

    def difference(self, other: Tape) -> str | None:
        """How the other trace's tape differs from this one, or None if it does not."""
        if self.parameters != other.parameters:
            return "it used other parameters"
        if self.constants != other.constants:
            pairs = zip(self.constants, other.constants, strict=False)
            changed = [f"{a!r} vs {b!r}" for a, b in pairs if a != b]
            return f"a constant came out {changed[0] if changed else 'different in number'}"
        for i, (mine, theirs) in enumerate(zip(self.steps, other.steps, strict=False)):
            if mine != theirs:
                return f"node {i} was {mine.op.name} in one trace and {theirs.op.name} in the other"
        if len(self.steps) != len(other.steps) or self.outputs != other.outputs:
            return f"it made {len(self.steps)} nodes in one trace, {len(other.steps)} in the other"
        return None
