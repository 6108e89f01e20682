"""What a compiled tape refuses: inputs that are not finite real numbers, and results or
gradients beyond the float range (as Values do: ``OverflowError`` saying what to do).

>>> import numpy as np
>>> try:
...     with FloatRange("forward"):
...         _ = np.array([1e308]) * 10.0
... except OverflowError as error:
...     print(str(error)[:46])
compiled forward: a value left the float range
"""

from __future__ import annotations

import numpy as np
from chainrule.autograd.value import Value


def finite_columns(columns: tuple) -> list[np.ndarray]:
    """Each input column as a float array, refusing what is not a finite real number."""
    arrays = []
    for i, column in enumerate(columns):
        try:
            array = np.asarray(column, dtype=float)
        except (TypeError, ValueError):
            raise TypeError(f"forward: input column {i} must hold real numbers, got "
                            f"{column!r}.") from None
        if np.iscomplexobj(column) or np.asarray(column).dtype == bool:
            raise TypeError(f"forward: input column {i} must hold real numbers, got "
                            f"{np.asarray(column).dtype} values.")
        bad = np.flatnonzero(~np.isfinite(array)) if array.ndim == 1 else []
        if len(bad):
            raise ValueError(f"forward: input column {i} has {array[bad[0]]!r} at example "
                             f"{int(bad[0])}; every input must be a finite number.")
        arrays.append(array)
    return arrays


class FloatRange:
    """Numpy raises where a result leaves the float range (as Values do), and the error
    becomes the engine's OverflowError, with what to do. (One class rather than two
    nested context managers: entered four times per training step, it costs less.)"""

    __slots__ = ("phase", "state")

    def __init__(self, phase: str) -> None:
        self.phase = phase
        self.state = np.errstate(over="raise", invalid="raise")

    def __enter__(self) -> None:
        self.state.__enter__()

    def __exit__(self, kind, error, traceback) -> None:
        self.state.__exit__(kind, error, traceback)
        if kind is FloatingPointError:
            what = "a value" if self.phase == "forward" else "a gradient"
            raise OverflowError(f"compiled {self.phase}: {what} left the float range (about "
                                f"1.8e308; numpy: {error}); scale the inputs down (standardize "
                                "them) or lower the learning rate.") from None


def gradient_overflow(parameter: Value) -> OverflowError:
    name = parameter.label or "a parameter"
    return OverflowError(f"compiled backward: the gradient of {name} left the float range; no "
                         "gradient was changed. Scale the inputs down or lower the learning rate.")
