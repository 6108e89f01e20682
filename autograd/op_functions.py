"""The functions the op table's rows are made of (``autograd/ops.py``): helpers that run
on floats, numpy arrays and Values alike, forwards that guard their domain, the same
forwards on numpy arrays, and the local-gradient rules longer than a line.

>>> _cos(0.0), _cos(np.array([0.0, np.pi])).round(1).tolist()
(1.0, [1.0, -1.0])
>>> _truediv(1.0, 0.0)                    # doctest: +ELLIPSIS
Traceback (most recent call last):
...
ZeroDivisionError: truediv: cannot divide 1.0 by zero (b=0.0); keep the divisor away ...
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np

# --- helpers that work on floats, numpy arrays and Values alike ---------------------
# A Value has methods cos/sin/log; a float goes through math, an array through numpy.
# This is what lets one rule serve the float fast path, create_graph=True (Values) and
# the compiled batch replay (arrays, one entry per example). Comparisons such as
# `x > 0.0` work on all three (a Value compares its .data), giving a bool or a bool array;
# `(x > 0.0) * 1.0` turns either into 1.0/0.0.


def _cos(x):
    if isinstance(x, float):
        return math.cos(x)
    return np.cos(x) if isinstance(x, np.ndarray) else x.cos()


def _sin(x):
    if isinstance(x, float):
        return math.sin(x)
    return np.sin(x) if isinstance(x, np.ndarray) else x.sin()


def _log(x):
    if isinstance(x, float):
        return math.log(x)
    return np.log(x) if isinstance(x, np.ndarray) else x.log()


def _data(x):
    return x if isinstance(x, (float, np.ndarray)) else x.data


def _where(condition, if_true, if_false):
    """``if_true if condition else if_false``, elementwise when the condition is an array."""
    if isinstance(condition, np.ndarray):
        return np.where(condition, if_true, if_false)
    return if_true if condition else if_false


# --- forwards that guard their domain ---------------------------------------------


def _truediv(a: float, b: float) -> float:
    if b == 0.0:
        raise ZeroDivisionError(f"truediv: cannot divide {a!r} by zero (b={b!r}); "
                                "keep the divisor away from 0, e.g. b + 1e-12.")
    return a / b


def _pow(a: float, b: float) -> float:
    if a < 0.0 and not b.is_integer():
        raise ValueError(f"pow: a negative base to a non-integer power is not a real "
                         f"number, got a={a!r}, b={b!r}; use abs(a) ** b or an integer b.")
    if a == 0.0 and b < 0.0:
        raise ZeroDivisionError(f"pow: zero to a negative power, got a={a!r}, b={b!r}.")
    try:
        return math.pow(a, b)
    except OverflowError:
        raise OverflowError(f"pow: {a!r} ** {b!r} is beyond the float range "
                            "(about 1.8e308); scale the inputs down.") from None


def _exp(x: float) -> float:
    try:
        return math.exp(x)
    except OverflowError:
        raise OverflowError(f"exp: exp({x!r}) is beyond the float range (x must be "
                            "<= 709.78); scale the input down or use a stable form "
                            "such as sigmoid or log-sum-exp.") from None


def _log_forward(x: float) -> float:
    if x <= 0.0:
        raise ValueError(f"log(x) needs x > 0, got x={x!r}; "
                         "add a small positive number or clamp the input.")
    return math.log(x)


def _sqrt(x: float) -> float:
    if x < 0.0:
        raise ValueError(f"sqrt(x) needs x >= 0, got x={x!r}; use sqrt(abs(x)) or clamp.")
    return math.sqrt(x)


def _sigmoid(x: float) -> float:
    # NOTE: 1/(1+exp(-x)) overflows for x < -709; this form only ever calls exp on -|x|.
    if x >= 0.0:
        return 1.0 / (1.0 + math.exp(-x))
    z = math.exp(x)
    return z / (1.0 + z)


def _relu(x: float) -> float:
    return x if x > 0.0 else 0.0


def _leaky_relu(x: float, slope: float) -> float:
    return x if x > 0.0 else slope * x


def _abs(x: float) -> float:
    return abs(x)


# --- the same forwards on numpy arrays: one entry per example (autograd.compiled) -----


def _raise_like(forward: Callable[..., float], ok: np.ndarray, *inputs) -> None:
    """If an example is outside the domain, raise the float forward's own error for it."""
    if not np.all(ok):
        shape = np.broadcast(*inputs).shape  # (examples,), or (nodes, examples) when grouped
        at = tuple(np.argwhere(~np.broadcast_to(ok, shape))[0])
        try:
            forward(*(float(np.broadcast_to(x, shape)[at]) for x in inputs))
        except (ValueError, ArithmeticError) as error:
            raise type(error)(f"{error} (example {int(at[-1])} of the batch)") from None


def _truediv_array(a, b):
    _raise_like(_truediv, b != 0.0, a, b)
    return a / b


def _pow_array(a, b):
    _raise_like(_pow, ~(((a < 0.0) & (b != np.floor(b))) | ((a == 0.0) & (b < 0.0))), a, b)
    with np.errstate(over="ignore"):
        out = np.power(a, b)
    _raise_like(_pow, np.isfinite(out), a, b)  # overflow: the float forward explains
    return out


def _exp_array(x):
    _raise_like(_exp, x <= 709.78, x)
    return np.exp(x)


def _log_array(x):
    _raise_like(_log_forward, x > 0.0, x)
    return np.log(x)


def _sqrt_array(x):
    _raise_like(_sqrt, x >= 0.0, x)
    return np.sqrt(x)


def _sigmoid_array(x):
    z = np.exp(-np.abs(x))  # as _sigmoid: exp only ever of -|x|
    return np.where(x >= 0.0, 1.0 / (1.0 + z), z / (1.0 + z))


# --- local-gradient rules longer than a line ---------------------------------------


def _pow_grad_at_zero(b: float) -> ZeroDivisionError:
    return ZeroDivisionError(
        f"pow: the gradient b * a^(b-1) is infinite at a=0 for b < 1, got a=0.0, b={b!r}; "
        "keep a away from 0, e.g. (a + 1e-12) ** b.")


UNDEFINED = math.nan  # what a rule returns for a local gradient with no value at a point


def undefined_gradient(op_name: str, input_name: str, inputs: list[float]) -> ValueError:
    """The error every walk raises when a rule reports an UNDEFINED local gradient.

    The walks (backward, the step tracer, gradients of gradients) raise only if that
    gradient is used: a constant's (the 0 of ``x ** 0``) is never asked for in ``grad``.

    >>> print(undefined_gradient("pow", "b", [0.0, 0.0]))     # doctest: +ELLIPSIS
    pow: the local gradient d/db is undefined at inputs [0.0, 0.0] ...
    """
    return ValueError(
        f"{op_name}: the local gradient d/d{input_name} is undefined at inputs {inputs} "
        "(0^b is 1 at b = 0 but 0 for b > 0, and x**x has slope x^x (ln x + 1), which tends "
        "to -inf as x -> 0+); move the point away from 0, e.g. (a + 1e-12) ** b.")


def _pow_grads(a, b, out):
    # NOTE: d(a^b)/db = a^b ln a exists only for a > 0. At a = 0 with b > 0 it is 0
    # (0^b = 0 for every nearby b); at a = 0, b = 0 it is UNDEFINED (0^0 = 1 but 0^b = 0
    # for b > 0): a walk that uses it raises undefined_gradient. For a < 0 (integer b) a^b is
    # not defined for nearby b; we report 0 there, so that x**3 works for x < 0. For
    # b < 1 (b != 0) the slope b * 0^(b-1) is infinite (sqrt'(0)): raise, naming b.
    if isinstance(a, np.ndarray) or isinstance(b, np.ndarray):
        return _pow_grads_elementwise(a, b, out)
    if _data(a) == 0.0 and _data(b) == 0.0:
        return 0.0, UNDEFINED  # a^0 = 1 for every a: its slope in a is 0
    if _data(a) == 0.0 and _data(b) < 1.0:
        raise _pow_grad_at_zero(float(_data(b)))
    d_base = b * a ** (b - 1.0)
    d_exponent = out * _log(a) if a > 0.0 else 0.0
    return d_base, d_exponent


def _pow_grads_elementwise(a, b, out):
    # The same rule, example by example (autograd.compiled): np.where picks per entry.
    both_zero = (a == 0.0) & (b == 0.0)
    if np.any(both_zero):
        raise undefined_gradient("pow", "b", [0.0, 0.0])
    infinite = (a == 0.0) & (b < 1.0)
    if np.any(infinite):
        raise _pow_grad_at_zero(float(np.broadcast_to(b, infinite.shape)[infinite][0]))
    d_base = b * a ** (b - 1.0)
    positive = a > 0.0
    d_exponent = np.where(positive, out * np.log(np.where(positive, a, 1.0)), 0.0)
    return d_base, d_exponent


def _sqrt_grads(x, out):
    # NOTE: 1/(2 sqrt x) is infinite at x = 0: raise rather than spread inf/nan.
    positive = out > 0.0  # a bool, or a bool per example for arrays
    if not (positive.all() if isinstance(positive, np.ndarray) else positive):
        raise ZeroDivisionError("sqrt: the gradient 1/(2*sqrt(x)) is infinite at x=0; "
                                "keep x > 0, e.g. sqrt(x + 1e-12).")
    return (0.5 / out,)


def _abs_grads(x, out):
    # NOTE: |x| has a kink at 0; we use the subgradient 0 there (as PyTorch does).
    return (_where(x > 0.0, 1.0, _where(x < 0.0, -1.0, 0.0)),)


def _leaky_relu_grads(x, slope, out):
    # NOTE: at x = 0 we take the left slope, matching relu'(0) = 0 when slope = 0.
    positive = x > 0.0
    return _where(positive, 1.0, slope), _where(positive, 0.0, x)
