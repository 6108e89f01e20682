"""Check second derivatives: backprop twice against differences of the first derivative.

>>> r = gradgradcheck(lambda x: x ** 3, [2.0])      # d2(x^3)/dx2 = 6x = 12
>>> r.ok, r.rows[0].analytic
(True, 12.0)
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

from chainrule.autograd.finite_differences import (
    DOMAIN_ERRORS,
    KINK_STEPS,
    agree,
    check_inputs,
    check_tolerances,
    find_culprit,
    infinite_slope,
    near_kink,
    op_difference,
)
from chainrule.autograd.functional import call_scalar, grad, gradients, hessian
from chainrule.autograd.gradcheck_report import GradcheckReport, InputCheck
from chainrule.autograd.graph import topological_order
from chainrule.autograd.ops import Op
from chainrule.autograd.value import Value, apply_op


def gradgradcheck(f: Callable[..., Value], inputs: Sequence[float | Value], *,
                  eps: float | None = None, atol: float = 1e-6,
                  rtol: float = 1e-5) -> GradcheckReport:
    """Compare ``f``'s second derivatives (backprop twice) with differences of its first.

    One row per pair (i, j), labelled "dx_i dx_j": analytic is d/dx_j (df/dx_i) from a
    backward pass through the graph of the first one (``hessian``); numeric is the
    central difference of the first-order gradient, (g_i(x + h e_j) - g_i(x - h e_j))
    / 2h, with h as in ``gradcheck``. Every pair gets a row (the matrix is symmetric,
    but both halves come from different graphs, so both are checked). The value column
    is x_j, the input moved. Tolerances are looser than gradcheck's: the differenced
    gradients carry rounding error of their own. A failing check names the first op
    whose rule is wrong, on floats (as gradcheck does) or run on Values.

    >>> r = gradgradcheck(lambda x, y: x * x * y, [3.0, 2.0])   # [[2y, 2x], [2x, 0]]
    >>> r.ok, [row.analytic for row in r.rows]
    (True, [4.0, 6.0, 6.0, 0.0])
    >>> print(r)                                   # doctest: +ELLIPSIS
    gradgradcheck passed: 4 of 4 pairs agree; backward is reproducible
    input    value  analytic  numeric ...
    dx0 dx0  3      4         4...
    """
    labels, point = check_inputs(inputs, "gradgradcheck")
    step, atol, rtol = check_tolerances("gradgradcheck", eps, atol, rtol)
    first, infinite = _analytic(f, point)
    second, again = _analytic(f, point)
    slopes = grad(f, argnums=tuple(range(len(point))))
    rows = []
    for i in range(len(point)):
        for j, x in enumerate(point):
            h = step * max(1.0, abs(x))
            numeric, why = _difference(slopes, point, i, j, h)
            ok = agree(first[i][j], numeric, atol, rtol)  # NaN: never
            rows.append(InputCheck(f"d{labels[i]} d{labels[j]}", x, first[i][j], numeric,
                                   ok, near_kink(f, point, j, KINK_STEPS * h),
                                   infinite or why))
    culprit = None
    if not infinite and not all(row.ok for row in rows):
        root = call_scalar(f, [Value(x) for x in point], "gradgradcheck")
        culprit = find_culprit(root, step) or _second_order_culprit(root, step)
    reproducible = infinite == again if infinite else first == second
    return GradcheckReport(tuple(rows), reproducible, culprit, "gradgradcheck", "pairs")


def _analytic(f, point: list[float]) -> tuple[list[list[float]], str]:
    """The Hessian and "" — or NaNs and why, when a local gradient at the point is
    infinite (its first backward pass cannot run)."""
    try:
        return hessian(f)(*point), ""
    except ZeroDivisionError as error:
        return [[math.nan] * len(point) for _ in point], infinite_slope(error)


def _difference(slopes: Callable[..., tuple[float, ...]], point: list[float], i: int,
                j: int, h: float) -> tuple[float, str]:
    """(g_i(x + h e_j) - g_i(x - h e_j)) / 2h and "", or NaN and why g cannot be computed."""
    up, down = list(point), list(point)
    up[j] += h
    down[j] -= h
    try:
        return (slopes(*up)[i] - slopes(*down)[i]) / (2 * h), ""
    except DOMAIN_ERRORS as error:
        return math.nan, (f"the first derivative cannot be computed a step of {h:.1e} away "
                          f"in input {j} ({str(error).rstrip('.')}); choose another point.")


def _second_order_culprit(root: Value, eps: float) -> str | None:
    """The first op node whose rule, run on Values, has slopes unlike its float rule's."""
    for position, node in enumerate(topological_order(root)):
        if node.op is not None:
            inputs = [parent.data for parent in node.parents]
            problem = _rule_slope_mismatch(node.op, inputs, eps)
            if problem:
                return f"node {position} ({node.op.name}) at inputs {inputs}: {problem}"
    return None


def _rule_slope_mismatch(op: Op, inputs: list[float], eps: float) -> str | None:
    """For local gradient k and input j: backprop through the rule run on Values,
    against a central difference of the rule run on floats."""
    leaves = [Value(x) for x in inputs]
    try:
        rule = op.local_grads(*leaves, apply_op(op, *leaves))
    except DOMAIN_ERRORS:
        return None  # outside the op's domain: no verdict
    for k, local in enumerate(rule):
        local = local if isinstance(local, Value) else Value(local)
        for j, analytic in enumerate(gradients(local, leaves)):
            numeric = op_difference(op, inputs, j, eps, _rule_part(op, k))
            if numeric is not None and abs(analytic - numeric) > 1e-4 * max(1.0, abs(numeric)):
                return (f"run on Values, its rule d/d{op.inputs[k]} has slope {analytic:.10g}"
                        f" in {op.inputs[j]}, but a finite difference of the rule gives "
                        f"{numeric:.10g}; check that {op.name}'s local_grads uses plain "
                        "arithmetic on its inputs (not .data or math.*)")
    return None


def _rule_part(op: Op, k: int) -> Callable[..., float]:
    """The op's local gradient in input k, as a function of the inputs (floats)."""
    return lambda *xs: op.local_grads(*xs, op.forward(*xs))[k]
