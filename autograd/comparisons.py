"""Comparing Values: ``<``, ``<=``, ``>``, ``>=`` and ``float()`` look at ``.data``.

``==`` and ``hash`` stay identity, so Values live in sets and dicts (value.py). Inside
``autograd.compile()``'s trace a comparison on a Value computed from an input is an
error: a compiled tape replays one fixed sequence of ops, whatever the data.

>>> from chainrule.autograd import Value
>>> Value(2.0) < 3, Value(2.0) >= Value(2.0), float(Value(-1.5))
(True, True, -1.5)
"""

from __future__ import annotations

from threading import get_ident
from typing import TYPE_CHECKING

from chainrule.autograd.graph import topological_order
from chainrule.autograd.numbers import as_real
from chainrule.autograd.state import TRACING

if TYPE_CHECKING:
    from chainrule.autograd.value import Operand


class DataComparisons:
    """Order and ``float()`` by ``.data``; ``Value`` inherits them.

    >>> from chainrule.autograd import Value
    >>> max([Value(1.0), Value(3.0), Value(2.0)]).data
    3.0
    """

    __slots__ = ()

    def __float__(self) -> float:
        if TRACING:
            _refuse_if_traced("float()", self)
        return self.data

    def __lt__(self, other: Operand) -> bool:
        if TRACING:
            _refuse_if_traced("<", self, other)
        return self.data < _data_of(other)

    def __le__(self, other: Operand) -> bool:
        if TRACING:
            _refuse_if_traced("<=", self, other)
        return self.data <= _data_of(other)

    def __gt__(self, other: Operand) -> bool:
        if TRACING:
            _refuse_if_traced(">", self, other)
        return self.data > _data_of(other)

    def __ge__(self, other: Operand) -> bool:
        if TRACING:
            _refuse_if_traced(">=", self, other)
        return self.data >= _data_of(other)


def _refuse_if_traced(what: str, *operands: object) -> None:
    """Inside autograd.compile()'s trace, a choice made on an input's value is an error."""
    placeholders = TRACING.get(get_ident())
    for x in operands:
        if placeholders and isinstance(x, DataComparisons):
            used = [n.label for n in topological_order(x) if n in placeholders]
            if used:
                raise ValueError(
                    f"compile: f applied {what} to a Value computed from input "
                    f"{', '.join(used)} while being traced, so the graph's shape may depend "
                    "on the data. A compiled tape replays one fixed sequence of ops for "
                    "every example: write the choice as an op (relu, abs, leaky_relu) or "
                    "run f with the per-example engine.")


def _data_of(x: Operand) -> float:
    return x.data if isinstance(x, DataComparisons) else as_real(x, "comparison with a Value")
