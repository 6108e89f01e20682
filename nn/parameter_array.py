"""Parameters as one array while a compiled fit trains: numbers and gradients by position.

A compiled step runs on arrays (``chainrule.autograd.compiled``): reading 337 ``.data``
into an array and writing 337 ``.grad`` back, twice per step (model and loss), then the
optimizer's own passes, cost more than the tape itself. So while training, the numbers
live here, in ``data`` and ``grad`` (one entry per distinct Value), and the Values get
them back (``write``) whenever someone may look: after each epoch of ``fit``, before a
callback, when a step fails, and after every ``compiled_train_step``.

>>> from chainrule.autograd import Value
>>> w, b = Value(2.0), Value(0.5)
>>> parameters = ParameterArray([w, b, w])          # w once
>>> parameters.data.tolist(), parameters.positions([b, w]).tolist()
([2.0, 0.5], [1, 0])
>>> parameters.data -= 1.0; parameters.grad[:] = [3.0, 4.0]
>>> parameters.write(); (w.data, w.grad, b.data, b.grad)
(1.0, 3.0, -0.5, 4.0)
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
from chainrule.autograd import Value


class ParameterArray:
    """Distinct Values in first-seen order, their numbers in ``data``, gradients in ``grad``.

    >>> ParameterArray([Value(1.0)]).grad.tolist()
    [0.0]
    """

    def __init__(self, values: Iterable[Value]) -> None:
        self.values: list[Value] = list(dict.fromkeys(values))
        self.ids = _Ids(map(id, self.values))  # who they are, for caches keyed on them
        self._position = {value: i for i, value in enumerate(self.values)}
        self._positions: dict[int, tuple[list, np.ndarray]] = {}
        self.data = np.zeros(len(self.values))
        self.grad = np.zeros(len(self.values))
        self.read()

    def positions(self, values: list[Value]) -> np.ndarray:
        """Where each of ``values`` sits in ``data`` (remembered per list: a tape's own);
        a Value not yet here is added.

        >>> w = Value(1.0)
        >>> ParameterArray([Value(0.0), w]).positions([w]).tolist()
        [1]
        """
        known = self._positions.get(id(values))
        if known is None or known[0] is not values:
            self._add([value for value in dict.fromkeys(values) if value not in self._position])
            known = values, np.array([self._position[value] for value in values], dtype=int)
            self._positions[id(values)] = known
        return known[1]

    def _add(self, values: list[Value]) -> None:
        """Take in Values met later (a loss's own learnable number): they get gradients too."""
        for value in values:
            self._position[value] = len(self.values)
            self.values.append(value)
        if values:
            self.data = np.concatenate((self.data, [value.data for value in values]))
            self.grad = np.concatenate((self.grad, np.zeros(len(values))))

    def read(self) -> None:
        """Take the Values' current numbers (someone may have set ``.data`` by hand)."""
        self.data = np.array([value.data for value in self.values], dtype=float)

    def write(self) -> None:
        """Give every Value its number and gradient from the arrays."""
        for value, data, grad in zip(self.values, self.data.tolist(), self.grad.tolist(),
                                     strict=True):
            value.data, value.grad = data, grad


class _Ids(tuple):
    """A tuple of ids that hashes once (a cache key looked up every step)."""

    def __hash__(self) -> int:
        try:
            return self._hash
        except AttributeError:
            self._hash = tuple.__hash__(self)
            return self._hash
