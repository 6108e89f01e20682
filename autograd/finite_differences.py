"""Finite differences that settle, and the op whose rule disagrees with its own.

What gradcheck and gradgradcheck share: reading their inputs and tolerances, a central
difference whose step shrinks until it stops changing (so a step that straddles a pole
or leaves a domain is never taken as the slope), where the kinks are, and
``find_culprit``, which blames the first op whose rule disagrees with a difference of
that op alone.

>>> numeric, rounding, why = settled_difference(lambda h: (2.0 + h) ** 3, STEP * 2, 12.0,
...                                             atol=1e-8, rtol=1e-6)
>>> round(numeric, 6), why                  # d(x^3)/dx = 3x^2 = 12 at x = 2
(12.0, '')
"""

from __future__ import annotations

import math
import sys
from collections.abc import Callable, Sequence

import numpy as np
from chainrule.autograd.backprop import local_gradients
from chainrule.autograd.functional import call_scalar
from chainrule.autograd.graph import topological_order
from chainrule.autograd.numbers import as_real
from chainrule.autograd.ops import Op
from chainrule.autograd.value import Value

STEP = sys.float_info.epsilon ** (1 / 3)  # ~6.1e-6: balances truncation and rounding
KINK_STEPS = 3  # "near a kink": within this many steps of one
SHRINKS = 12  # how many times a step may be divided by 4 (to 6e-6 / 4^12 ~ 4e-13)
DOMAIN_ERRORS = (ValueError, ZeroDivisionError, OverflowError)


def check_inputs(inputs: Sequence[float | Value] | np.ndarray,
                 who: str = "gradcheck") -> tuple[list[str], list[float]]:
    """The rows' labels and the point: Values keep their labels, numbers get x0, x1, ...

    >>> check_inputs([0.5, Value(-1.5, "w")])
    (['x0', 'w'], [0.5, -1.5])
    """
    if isinstance(inputs, np.ndarray) and inputs.ndim == 1:
        inputs = inputs.tolist()
    if isinstance(inputs, (str, bytes)) or not isinstance(inputs, Sequence):
        raise TypeError(f"{who} needs a sequence of numbers (or a 1-d array), got "
                        f"{inputs!r}; pass e.g. [0.5, -1.5].")
    if not inputs:
        raise ValueError(f"{who} needs at least one input; pass e.g. [0.5].")
    labels, point = [], []
    for i, x in enumerate(inputs):
        label = x.label if isinstance(x, Value) and x.label else f"x{i}"
        point.append(x.data if isinstance(x, Value) else as_real(x, f"{who} input {i}"))
        labels.append(label)
    return labels, point


def check_tolerances(who: str, eps: object, atol: object,
                     rtol: object) -> tuple[float, float, float]:
    """eps > 0, atol >= 0 and rtol >= 0, all finite, or the error that says which.

    >>> check_tolerances("gradcheck", None, 1e-8, 0)[0] == STEP
    True
    >>> check_tolerances("gradcheck", None, -1, 0)
    Traceback (most recent call last):
    ...
    ValueError: gradcheck atol must be >= 0, got -1.0; e.g. atol=1e-6.
    """
    step = STEP if eps is None else as_real(eps, f"{who} eps")
    if step <= 0:
        raise ValueError(f"{who} eps must be > 0, got {eps!r}.")
    checked = []
    for name, tolerance in (("atol", atol), ("rtol", rtol)):
        tolerance = as_real(tolerance, f"{who} {name}")
        if tolerance < 0:
            raise ValueError(f"{who} {name} must be >= 0, got {tolerance!r}; e.g. {name}=1e-6.")
        checked.append(tolerance)
    return step, checked[0], checked[1]


def infinite_slope(error: ZeroDivisionError) -> str:
    """Why an infinite local gradient at the point leaves nothing to compare.

    >>> print(infinite_slope(ZeroDivisionError("sqrt: the gradient is infinite at x=0.")))
    ... # doctest: +NORMALIZE_WHITESPACE
    backward stops at an infinite local gradient, so no input gets a gradient to compare
    (sqrt: the gradient is infinite at x=0); finite differences cannot check an infinite
    slope: choose another point.
    """
    return ("backward stops at an infinite local gradient, so no input gets a gradient to "
            f"compare ({str(error).rstrip('.')}); finite differences cannot check an "
            "infinite slope: choose another point.")


def _central(evaluate: Callable[[float], float], h: float) -> tuple[float, float] | None:
    """(f(x+h) - f(x-h)) / 2h and its rounding bound, or None if x±h is outside f's domain."""
    try:
        above, below = evaluate(h), evaluate(-h)
    except DOMAIN_ERRORS:
        return None
    numeric = (above - below) / (2 * h)
    if not math.isfinite(numeric):
        return None
    # f(x ± h) carry rounding errors of about eps |f|, which the division by 2h magnifies
    return numeric, 4 * sys.float_info.epsilon * max(abs(above), abs(below)) / (2 * h)


def agree(analytic: float, numeric: float, atol: float, rtol: float,
          rounding: float = 0.0) -> bool:
    """|analytic - numeric| <= atol + rounding + rtol * |numeric|.

    >>> agree(12.0, 12.000001, atol=1e-8, rtol=1e-6), agree(12.0, 12.1, 1e-8, 1e-6)
    (True, False)
    """
    return abs(analytic - numeric) <= atol + rounding + rtol * abs(numeric)


def settled_difference(evaluate: Callable[[float], float], h: float, analytic: float,
                       atol: float, rtol: float) -> tuple[float, float, str]:
    """A central difference the step size no longer changes, its rounding bound and ""
    — or the last one and why the numbers cannot decide.

    ``evaluate(shift)`` is f at the point moved by ``shift``. The first step is kept when
    it agrees with the analytic gradient (the usual case). Otherwise the step shrinks
    (by 4 each time) until two estimates agree: a step that crossed a pole, a kink or the
    edge of the domain (log near 0) gives estimates that change with the step, and is
    never taken as the numeric gradient.

    >>> numeric, _, why = settled_difference(lambda h: 1 / (1e-7 + h), 6e-6, -1e14, 0, 1e-6)
    >>> f"{numeric:.4g}", why                  # d(1/x)/dx = -1/x^2 at x = 1e-7
    ('-1e+14', '')
    """
    estimate = _central(evaluate, h)
    if estimate is not None and agree(analytic, estimate[0], atol, rtol, estimate[1]):
        return estimate[0], estimate[1], ""
    for _ in range(SHRINKS):
        h /= 4
        finer = _central(evaluate, h)
        if estimate is not None and finer is not None and agree(
                estimate[0], finer[0], atol, rtol, estimate[1] + finer[1]):
            return finer[0], finer[1], ""  # settled: the caller compares it with analytic
        estimate = finer if finer is not None else estimate
    if estimate is None:
        return math.nan, 0.0, ("every step left f's domain (f raised at x ± h for h down to "
                               f"{h:.1e}); check at a point inside it.")
    return estimate[0], estimate[1], ("the finite differences change with the step (down to "
                                      f"h = {h:.1e}): the point is within a step of a pole, "
                                      "a kink or the edge of a domain, or f is too steep "
                                      "there. Move the point.")


def _kink_sides(f, point: list[float]) -> list[bool]:
    """For every node whose op has kinks: which side of each kink its first input is on."""
    root = call_scalar(f, [Value(x) for x in point], "gradcheck")
    return [node.parents[0].data > kink for node in topological_order(root)
            if node.op is not None for kink in node.op.kinks]


def near_kink(f: Callable[..., Value], point: list[float], i: int, reach: float) -> bool:
    """Does moving input i by ± reach carry some op's input across one of its kinks?

    >>> relu = lambda x: x.relu()
    >>> near_kink(relu, [1e-7], 0, reach=1e-5), near_kink(relu, [1.0], 0, reach=1e-5)
    (True, False)
    """
    below, above = list(point), list(point)
    below[i] -= reach
    above[i] += reach
    try:
        return _kink_sides(f, below) != _kink_sides(f, above)
    except DOMAIN_ERRORS:
        return False  # the graph's shape or domain changes nearby: no kink verdict


def find_culprit(root: Value, eps: float = STEP) -> str | None:
    """The first node (forward order) whose op's rule disagrees with a finite difference.

    Each op node's local gradients are recomputed from its rule and compared with
    central differences of that op alone at the node's inputs: a wrong rule is found
    even inside a large graph. Nodes at a kink are skipped. None when all rules agree.

    >>> find_culprit(Value(0.5).tanh() * 2) is None
    True
    """
    for position, node in enumerate(topological_order(root)):
        if node.op is None:
            continue
        inputs = [parent.data for parent in node.parents]
        for k, local in enumerate(local_gradients(node)):
            numeric = op_difference(node.op, inputs, k, eps)
            if numeric is not None and abs(local - numeric) > 1e-5 * max(1.0, abs(numeric)):
                return (f"node {position} ({node.op.name}{' ' + node.label if node.label else ''}"
                        f") at inputs {inputs}: its rule gives d/d{node.op.inputs[k]} = "
                        f"{local:.10g} but a finite difference of {node.op.name} alone "
                        f"gives {numeric:.10g}; check {node.op.name}'s local_grads")
    return None


def op_difference(op: Op, inputs: list[float], k: int, eps: float,
                  function: Callable[..., float] | None = None) -> float | None:
    """Central difference in input k of ``function`` (default: the op's forward), or None
    at a kink or where no step settles.

    >>> from chainrule.autograd.ops import OPS
    >>> round(op_difference(OPS["mul"], [2.0, 3.0], 0, STEP), 6)     # d(ab)/da = b
    3.0
    """
    function = op.forward if function is None else function
    h = eps * max(1.0, abs(inputs[k]))
    if k == 0 and any(abs(inputs[0] - kink) <= KINK_STEPS * h for kink in op.kinks):
        return None

    def moved(shift: float) -> float:
        shifted = list(inputs)
        shifted[k] += shift
        return function(*shifted)

    # shrink the step until it settles (a pole or a domain edge within a step: no
    # settled value, so no verdict, rather than blaming a correct rule)
    numeric, _, why = settled_difference(moved, h, math.nan, 1e-9, 1e-7)
    return None if why else numeric
