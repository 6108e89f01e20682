"""The recurring checks (a real, finite number; a count; one of some choices), shared so
that every message matches.

>>> as_real(3)
3.0
>>> as_real(True)
Traceback (most recent call last):
...
TypeError: Value needs a real number (int, float, numpy scalar or 0-d array), got bool True.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Sequence

import numpy as np

ACCEPTED = "a real number (int, float, numpy scalar or 0-d array)"


def as_real(x: object, what: str = "Value") -> float:
    """Return ``x`` as a finite float, or raise a TypeError/ValueError that says why not.

    ``what`` names the caller in the message (``"Value"``, ``"gradcheck input 'x'"``).

    >>> as_real(np.float32(0.5))
    0.5
    >>> as_real(np.array(2))
    2.0
    >>> as_real(float("nan"))
    Traceback (most recent call last):
    ...
    ValueError: Value needs a finite number, got nan; replace NaN/inf before building the graph.
    >>> as_real(float("inf"), "SGD lr")
    Traceback (most recent call last):
    ...
    ValueError: SGD lr needs a finite number, got inf.
    """
    if type(x) is float:  # the common cases first: one type check, one isfinite
        value = x
    elif type(x) is int:  # before the slow ABC check below: 1.8 -> 0.6 µs for Value(2)
        value = _int_as_float(x, what)
    elif isinstance(x, (bool, np.bool_)):
        raise TypeError(f"{what} needs {ACCEPTED}, got bool {x!r}.")
    elif isinstance(x, np.ndarray):
        if x.ndim != 0:
            raise TypeError(f"{what} needs {ACCEPTED}, got an array of shape {x.shape}; "
                            "pass one element (arr[i]) or build one Value per element.")
        return as_real(x[()], what)
    elif isinstance(x, numbers.Integral):
        value = _int_as_float(x, what)
    elif isinstance(x, numbers.Real) and not isinstance(x, complex):
        value = float(x)
    else:
        kind = type(x).__name__
        hint = " (use .data to get the number out of a Value)" if kind == "Value" else ""
        raise TypeError(f"{what} needs {ACCEPTED}, got {kind} {x!r}{hint}.")
    if not math.isfinite(value):
        # The advice fits data on its way into a graph, not a setting such as a learning rate.
        advice = "; replace NaN/inf before building the graph" if what == "Value" else ""
        raise ValueError(f"{what} needs a finite number, got {value!r}{advice}.")
    return value


def _int_as_float(x: numbers.Integral, what: str) -> float:
    try:
        return float(x)
    except OverflowError:
        digits = int(int(x).bit_length() * math.log10(2)) + 1  # str() refuses huge ints
        raise ValueError(f"{what} needs a finite number, got an int of about {digits} "
                         "digits, beyond a float's range (about 1.8e308).") from None


def overflow_error(op_name: str, inputs: tuple[float, ...], result: float) -> OverflowError:
    """The error for an op whose result left the float range: the op, its inputs, a fix.

    Every op's forward result and every gradient contribution must be finite: an inf
    would go on silently (inf - inf is nan, and nan spreads into every parameter).

    >>> str(overflow_error("mul", (1e308, 10.0), math.inf))     # doctest: +ELLIPSIS
    'mul: 1e+308 and 10.0 give inf, beyond the float range (about 1.8e308); scale ...'
    """
    given = " and ".join(repr(x) for x in inputs)
    return OverflowError(f"{op_name}: {given} give{'s' if len(inputs) == 1 else ''} "
                         f"{result!r}, beyond the float range (about 1.8e308); scale the "
                         "inputs down (standardize them) or lower the learning rate.")


def op_result(op_name: str, inputs: tuple[float, ...], result: object) -> float:
    """An op's forward result as a finite float, or the error that says what came out.

    For ops of your own (``apply_op`` with an ``Op`` not in the table), whose forward
    may return anything: NaN, a string, a numpy scalar.

    >>> op_result("double", (2.0,), np.float64(4.0))
    4.0
    >>> op_result("double", (2.0,), "4")          # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    TypeError: the forward of op 'double' returned str '4' for inputs (2.0,); an op's ...
    """
    if isinstance(result, (bool, np.bool_, str, bytes)) or not isinstance(
            result, (numbers.Real, np.ndarray)) or isinstance(result, complex):
        raise TypeError(f"the forward of op {op_name!r} returned {type(result).__name__} "
                        f"{result!r} for inputs {inputs!r}; an op's forward must return a "
                        "real number.")
    value = float(result) if np.ndim(result) == 0 else result
    if isinstance(value, float) and math.isinf(value):
        raise overflow_error(op_name, inputs, value)
    if isinstance(value, float) and math.isnan(value):
        raise ValueError(f"the forward of op {op_name!r} returned nan for inputs {inputs!r}; "
                         "nan is not a number: check its domain and raise a clear error.")
    return as_real(value, f"the forward of op {op_name!r}")


def whole_number(name: str, n: object, low: int = 1) -> int:
    """``n`` as an int if it is a whole number >= ``low``; else one ValueError, one wording.

    The check every count shares (layer sizes, epochs, batch sizes, samples, n_inputs).

    >>> whole_number("epochs", 3)
    3
    >>> whole_number("epochs", 0)
    Traceback (most recent call last):
    ...
    ValueError: epochs must be a whole number >= 1, got 0.
    """
    if isinstance(n, bool) or not isinstance(n, numbers.Integral) or n < low:
        raise ValueError(f"{name} must be a whole number >= {low}, got {n!r}.")
    return int(n)


def choice(name: str, value: object, choices: Sequence[object]) -> object:
    """``value`` if it is one of ``choices``; else one ValueError, one wording.

    The check every named option shares (activations, inits, rankdir, collapse modes).

    >>> choice("rankdir", "TB", ("LR", "TB"))
    'TB'
    >>> choice("activation", "swish", ("relu", "tanh"))
    Traceback (most recent call last):
    ...
    ValueError: activation must be one of relu, tanh, got 'swish'.
    """
    try:
        known = value in choices
    except TypeError:  # an unhashable value asked of a dict's keys
        known = False
    if not known:
        listed = ", ".join(str(c) for c in choices)
        raise ValueError(f"{name} must be one of {listed}, got {value!r}.")
    return value
