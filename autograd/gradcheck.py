"""Check backprop against central finite differences, one row per input.

Second derivatives are checked by ``gradgradcheck`` (in ``chainrule.autograd.gradgradcheck``,
importable from here too); the finite differences both use are in
``chainrule.autograd.finite_differences``, the report they print in
``chainrule.autograd.gradcheck_report``.

>>> from chainrule.autograd import Value
>>> report = gradcheck(lambda x, w: (x * w).tanh(), [0.5, -1.5])
>>> report.ok
True
>>> print(report)                                  # doctest: +ELLIPSIS
gradcheck passed: 2 of 2 inputs agree; backward is reproducible
input  value  analytic ...
x0     0.5    -0.8...
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

from chainrule.autograd.backprop import local_gradients
from chainrule.autograd.finite_differences import (
    DOMAIN_ERRORS,
    KINK_STEPS,
    STEP,
    agree,
    check_inputs,
    check_tolerances,
    find_culprit,
    infinite_slope,
    near_kink,
    settled_difference,
)
from chainrule.autograd.functional import call_scalar
from chainrule.autograd.gradcheck_report import GradcheckReport, InputCheck
from chainrule.autograd.gradgradcheck import gradgradcheck
from chainrule.autograd.graph import topological_order
from chainrule.autograd.state import no_grad
from chainrule.autograd.value import Value

__all__ = ["GradcheckReport", "InputCheck", "STEP", "assert_gradcheck", "find_culprit",
           "gradcheck", "gradgradcheck"]


def gradcheck(f: Callable[..., Value], inputs: Sequence[float | Value], *,
              eps: float | None = None, atol: float = 1e-8,
              rtol: float = 1e-6) -> GradcheckReport:
    """Compare ``f``'s backprop gradients with central finite differences.

    Each input x gets the step h = eps * max(1, |x|), with eps = cbrt(machine epsilon)
    ~ 6.1e-6 unless given, and numeric = (f(x + h) - f(x - h)) / 2h. An input agrees
    when |analytic - numeric| <= atol + rtol * |numeric|. Backward runs twice on fresh
    graphs; the two must agree bit for bit. Inputs may be numbers or Values (their
    labels name the rows).

    The tolerance also allows for rounding in the difference itself: f(x ± h) carry
    errors of about machine epsilon × |f|, which the division by 2h magnifies (a small
    input added to a large one: 131072 + 0.001). That bound, 4 eps |f| / 2h, is added to
    atol; a wrong rule's error is far larger.

    >>> r = gradcheck(lambda x: x ** 3, [2.0])    # 3x^2 = 12
    >>> r.ok, r.rows[0].analytic, round(r.rows[0].numeric, 6)
    (True, 12.0, 12.0)
    """
    labels, point = check_inputs(inputs)
    step, atol, rtol = check_tolerances("gradcheck", eps, atol, rtol)
    first, root, infinite = _analytic(f, labels, point)
    second, _, again = _analytic(f, labels, point)
    rows = []
    for i, x in enumerate(point):
        h = step * max(1.0, abs(x))
        numeric, rounding, why = settled_difference(
            lambda s, i=i: _evaluate(f, point, i, s), h, first[i], atol, rtol)
        ok = not why and agree(first[i], numeric, atol, rtol, rounding)  # NaN: never
        if infinite or (not ok and not why):
            why = infinite or _lost_in_rounding(f, point, i, h)
        elif ok and not agree(first[i], numeric, atol, rtol):  # passed on rounding alone:
            why = _lost_in_rounding(f, point, i, h)           # x + 1e150 cannot see h
            ok = not why
        rows.append(InputCheck(labels[i], x, first[i], numeric, ok,
                               near_kink(f, point, i, KINK_STEPS * h), why))
    wrong = [row for row in rows if not row.ok and not row.inconclusive]
    culprit = find_culprit(root, step) if wrong else None
    reproducible = infinite == again if infinite else first == second
    return GradcheckReport(tuple(rows), reproducible, culprit)


def _lost_in_rounding(f, point: list[float], i: int, h: float) -> str:
    """Where a step of input i is lost: a node whose parent moves but whose result does
    not (x + 1e150), though its local gradient is not 0. "" if there is none."""
    orders = []
    for shift in (h, -h):
        moved = list(point)
        moved[i] += shift
        try:
            orders.append(topological_order(call_scalar(f, [Value(x) for x in moved],
                                                        "gradcheck")))
        except DOMAIN_ERRORS:
            return ""
    if len(orders[0]) != len(orders[1]):
        return ""
    for position, (up, down) in enumerate(zip(*orders, strict=True)):
        if up.op is None or up.data != down.data:
            continue
        locals_ = local_gradients(up)
        for k, (a, b) in enumerate(zip(up.parents, down.parents, strict=True)):
            if a.data != b.data and locals_[k] != 0.0:
                return (f"a step of {h:.1e} in input {i} is lost in rounding at node {position} "
                        f"({up.op.name}): its input {up.op.inputs[k]} moves ({b.data:.10g} -> "
                        f"{a.data:.10g}) but its result stays {up.data:.10g}, so finite "
                        "differences cannot see this gradient. Check at smaller magnitudes.")
    return ""


def assert_gradcheck(f: Callable[..., Value], inputs: Sequence[float | Value],
                     **options: float) -> GradcheckReport:
    """``gradcheck`` that raises ``AssertionError`` carrying the table when it fails.

    >>> assert_gradcheck(lambda x: x.sin(), [1.0]).ok
    True
    """
    report = gradcheck(f, inputs, **options)
    if not report.ok:
        raise AssertionError("\n" + str(report))
    return report


def _analytic(f, labels, point) -> tuple[list[float], Value, str]:
    """Backprop's gradients, the root, and "" — or NaNs and why, when a local gradient
    at the point is infinite (|x| as (x*x)**0.5 at 0): a verdict, not a crash."""
    leaves = [Value(x, label) for x, label in zip(point, labels, strict=True)]
    root = call_scalar(f, leaves, "gradcheck")  # f undefined at the point: the error stands
    try:
        root.backward()
    except ZeroDivisionError as error:
        return [math.nan] * len(leaves), root, infinite_slope(error)
    return [leaf.grad for leaf in leaves], root, ""


def _evaluate(f, point: list[float], i: int, shift: float) -> float:
    moved = list(point)
    moved[i] += shift
    with no_grad():
        return call_scalar(f, [Value(x) for x in moved], "gradcheck").data
