"""Check backprop against central finite differences, one row per input.

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
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
from chainrule.autograd.backprop import local_gradients
from chainrule.autograd.functional import call_scalar, grad, gradients, hessian
from chainrule.autograd.graph import topological_order
from chainrule.autograd.html import block, paragraph, table
from chainrule.autograd.notation import text_table
from chainrule.autograd.numbers import as_real
from chainrule.autograd.ops import Op
from chainrule.autograd.state import no_grad
from chainrule.autograd.value import Value, apply_op

STEP = sys.float_info.epsilon ** (1 / 3)  # ~6.1e-6: balances truncation and rounding
KINK_STEPS = 3  # "near a kink": within this many steps of one
HEADER = ("input", "value", "analytic", "numeric", "abs err", "rel err", "ok")
SHRINKS = 12  # how many times a step may be divided by 4 (to 6e-6 / 4^12 ~ 4e-13)
DOMAIN_ERRORS = (ValueError, ZeroDivisionError, OverflowError)


@dataclass(frozen=True, slots=True)
class InputCheck:
    """One input's analytic and numeric gradient and whether they agree."""

    label: str
    value: float
    analytic: float
    numeric: float
    ok: bool
    near_kink: bool
    inconclusive: str = ""  # why the numbers cannot decide; "" when they can

    @property
    def abs_error(self) -> float:
        return abs(self.analytic - self.numeric)

    @property
    def rel_error(self) -> float:
        return self.abs_error / max(abs(self.numeric), sys.float_info.min)


@dataclass(frozen=True, slots=True)
class GradcheckReport:
    """The outcome of ``gradcheck``: ``.ok``, and ``str()`` is a table for people."""

    rows: tuple[InputCheck, ...]
    reproducible: bool
    culprit: str | None = None
    title: str = "gradcheck"
    counted: str = "inputs"  # what a row is: "inputs", or "pairs" for gradgradcheck

    @property
    def ok(self) -> bool:
        return self.reproducible and all(row.ok for row in self.rows)

    @property
    def inconclusive(self) -> bool:
        """True when no row is wrong but some cannot be decided by finite differences."""
        return self.reproducible and any(row.inconclusive for row in self.rows) and all(
            row.ok or row.inconclusive for row in self.rows)

    def __str__(self) -> str:
        lines = [self._verdict(), *text_table([HEADER, *self._cells()])]
        return "\n".join(lines + self._notes())

    def _repr_html_(self) -> str:
        """The verdict, the table with failing rows marked, and the culprit note.

        >>> r = gradcheck(lambda x: x ** 3, [2.0])     # 3x^2 = 12
        >>> "<td>x0</td><td>2</td><td>12</td>" in r._repr_html_()
        True
        """
        marked = [not row.ok for row in self.rows]
        return block(paragraph(self._verdict()), table(HEADER, self._cells(), marked=marked),
                     *(paragraph(note) for note in self._notes()))

    def _verdict(self) -> str:
        n_ok = sum(row.ok for row in self.rows)
        verdict = "passed" if self.ok else "INCONCLUSIVE" if self.inconclusive else "FAILED"
        again = "reproducible" if self.reproducible else "NOT reproducible (two runs differ)"
        return (f"{self.title} {verdict}: {n_ok} of {len(self.rows)} {self.counted} agree; "
                f"backward is {again}")

    def _cells(self) -> list[tuple[str, ...]]:
        cells = []
        for row in self.rows:
            flag = ("yes" if row.ok else "?" if row.inconclusive else "NO") + (
                " (near a kink)" if row.near_kink else "")
            cells.append((row.label, f"{row.value:.6g}", f"{row.analytic:.10g}",
                          f"{row.numeric:.10g}", f"{row.abs_error:.1e}",
                          f"{row.rel_error:.1e}", flag))
        return cells

    def _notes(self) -> list[str]:
        notes = [f"inconclusive for {row.label}: {row.inconclusive}"
                 for row in self.rows if row.inconclusive]
        if self.culprit:
            return [*notes, f"culprit: {self.culprit}"]
        if any(row.near_kink and not row.ok for row in self.rows):
            notes.append("note: every op's rule agrees with its own finite difference; the "
                         "mismatch comes from a kink (relu/abs at 0) within a step of the "
                         "point, where the two-sided difference straddles it. Move the point.")
        return notes


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
    labels, point = _check_inputs(inputs)
    step, atol, rtol = _check_tolerances("gradcheck", eps, atol, rtol)
    first, root = _analytic(f, labels, point)
    second, _ = _analytic(f, labels, point)
    rows = []
    for i, x in enumerate(point):
        h = step * max(1.0, abs(x))
        numeric, rounding, why = _settled_difference(
            lambda s, i=i: _evaluate(f, point, i, s), h, first[i], atol, rtol)
        ok = not why and _agree(first[i], numeric, atol, rtol, rounding)
        if not ok and not why:
            why = _lost_in_rounding(f, point, i, h)
        rows.append(InputCheck(labels[i], x, first[i], numeric, ok,
                               _near_kink(f, point, i, KINK_STEPS * h), why))
    wrong = [row for row in rows if not row.ok and not row.inconclusive]
    culprit = find_culprit(root, step) if wrong else None
    return GradcheckReport(tuple(rows), first == second, culprit)


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
        locals_ = up.op.local_grads(*[p.data for p in up.parents], up.data)
        for k, (a, b) in enumerate(zip(up.parents, down.parents, strict=True)):
            if a.data != b.data and locals_[k] != 0.0:
                return (f"a step of {h:.1e} in input {i} is lost in rounding at node {position} "
                        f"({up.op.name}): its input {up.op.inputs[k]} moves ({b.data:.10g} -> "
                        f"{a.data:.10g}) but its result stays {up.data:.10g}, so finite "
                        "differences cannot see this gradient. Check at smaller magnitudes.")
    return ""


def _check_tolerances(who: str, eps: object, atol: object,
                      rtol: object) -> tuple[float, float, float]:
    """eps > 0, atol >= 0 and rtol >= 0, all finite, or the error that says which."""
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


def _agree(analytic: float, numeric: float, atol: float, rtol: float,
           rounding: float = 0.0) -> bool:
    return abs(analytic - numeric) <= atol + rounding + rtol * abs(numeric)


def _settled_difference(evaluate: Callable[[float], float], h: float, analytic: float,
                        atol: float, rtol: float) -> tuple[float, float, str]:
    """A central difference the step size no longer changes, its rounding bound and ""
    — or the last one and why the numbers cannot decide.

    The first step is kept when it agrees with the analytic gradient (the usual case).
    Otherwise the step shrinks (by 4 each time) until two estimates agree: a step that
    crossed a pole, a kink or the edge of the domain (log near 0) gives estimates that
    change with the step, and is never taken as the numeric gradient.
    """
    estimate = _central(evaluate, h)
    if estimate is not None and _agree(analytic, estimate[0], atol, rtol, estimate[1]):
        return estimate[0], estimate[1], ""
    for _ in range(SHRINKS):
        h /= 4
        finer = _central(evaluate, h)
        if estimate is not None and finer is not None and _agree(
                estimate[0], finer[0], atol, rtol, estimate[1] + finer[1]):
            return finer[0], finer[1], ""  # settled: the caller compares it with analytic
        estimate = finer if finer is not None else estimate
    if estimate is None:
        return math.nan, 0.0, ("every step left f's domain (f raised at x ± h for h down to "
                          f"{h:.1e}); check at a point inside it.")
    return estimate[0], estimate[1], ("the finite differences change with the step (down to "
                         f"h = {h:.1e}): the point is within a step of a pole, a kink or "
                         "the edge of a domain, or f is too steep there. Move the point.")


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


def _check_inputs(inputs: Sequence[float | Value] | np.ndarray,
                  who: str = "gradcheck") -> tuple[list[str], list[float]]:
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


def _analytic(f, labels, point) -> tuple[list[float], Value]:
    leaves = [Value(x, label) for x, label in zip(point, labels, strict=True)]
    root = call_scalar(f, leaves, "gradcheck")
    root.backward()
    return [leaf.grad for leaf in leaves], root


def _evaluate(f, point: list[float], i: int, shift: float) -> float:
    moved = list(point)
    moved[i] += shift
    with no_grad():
        return call_scalar(f, [Value(x) for x in moved], "gradcheck").data


def _kink_sides(f, point: list[float]) -> list[bool]:
    """For every node whose op has kinks: which side of each kink its first input is on."""
    root = call_scalar(f, [Value(x) for x in point], "gradcheck")
    return [node.parents[0].data > kink for node in topological_order(root)
            if node.op is not None for kink in node.op.kinks]


def _near_kink(f, point: list[float], i: int, reach: float) -> bool:
    below, above = list(point), list(point)
    below[i] -= reach
    above[i] += reach
    try:
        return _kink_sides(f, below) != _kink_sides(f, above)
    except (ValueError, ZeroDivisionError, OverflowError):
        return False  # the graph's shape or domain changes nearby: no kink verdict


def find_culprit(root: Value, eps: float = STEP) -> str | None:
    """The first node (forward order) whose op's rule disagrees with a finite difference.

    Each op node's local gradients are recomputed from its rule and compared with
    central differences of that op alone at the node's inputs: a wrong rule is found
    even inside a large graph. Nodes at a kink are skipped. None when all rules agree.

    >>> from chainrule.autograd import Value
    >>> find_culprit(Value(0.5).tanh() * 2) is None
    True
    """
    for position, node in enumerate(topological_order(root)):
        if node.op is None:
            continue
        inputs = [parent.data for parent in node.parents]
        for k, local in enumerate(local_gradients(node)):
            numeric = _op_difference(node.op, inputs, k, eps)
            if numeric is not None and abs(local - numeric) > 1e-5 * max(1.0, abs(numeric)):
                return (f"node {position} ({node.op.name}{' ' + node.label if node.label else ''}"
                        f") at inputs {inputs}: its rule gives d/d{node.op.inputs[k]} = "
                        f"{local:.10g} but a finite difference of {node.op.name} alone "
                        f"gives {numeric:.10g}; check {node.op.name}'s local_grads")
    return None


def _op_difference(op: Op, inputs: list[float], k: int, eps: float,
                   function: Callable[..., float] | None = None) -> float | None:
    """Central difference in input k of ``function`` (default: the op's forward)."""
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
    numeric, _, why = _settled_difference(moved, h, math.nan, 1e-9, 1e-7)
    return None if why else numeric


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
    labels, point = _check_inputs(inputs, "gradgradcheck")
    step, atol, rtol = _check_tolerances("gradgradcheck", eps, atol, rtol)
    first, second = hessian(f)(*point), hessian(f)(*point)
    slopes = grad(f, argnums=tuple(range(len(point))))
    rows = []
    for i in range(len(point)):
        for j, x in enumerate(point):
            h = step * max(1.0, abs(x))
            up, down = list(point), list(point)
            up[j] += h
            down[j] -= h
            numeric = (slopes(*up)[i] - slopes(*down)[i]) / (2 * h)
            ok = abs(first[i][j] - numeric) <= atol + rtol * abs(numeric)
            rows.append(InputCheck(f"d{labels[i]} d{labels[j]}", x, first[i][j], numeric,
                                   ok, _near_kink(f, point, j, KINK_STEPS * h)))
    culprit = None
    if not all(row.ok for row in rows):
        root = call_scalar(f, [Value(x) for x in point], "gradgradcheck")
        culprit = find_culprit(root, step) or _second_order_culprit(root, step)
    return GradcheckReport(tuple(rows), first == second, culprit, "gradgradcheck", "pairs")


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
    except (ValueError, ZeroDivisionError, OverflowError):
        return None  # outside the op's domain: no verdict
    for k, local in enumerate(rule):
        local = local if isinstance(local, Value) else Value(local)
        for j, analytic in enumerate(gradients(local, leaves)):
            numeric = _op_difference(op, inputs, j, eps, _rule_part(op, k))
            if numeric is not None and abs(analytic - numeric) > 1e-4 * max(1.0, abs(numeric)):
                return (f"run on Values, its rule d/d{op.inputs[k]} has slope {analytic:.10g}"
                        f" in {op.inputs[j]}, but a finite difference of the rule gives "
                        f"{numeric:.10g}; check that {op.name}'s local_grads uses plain "
                        "arithmetic on its inputs (not .data or math.*)")
    return None


def _rule_part(op: Op, k: int) -> Callable[..., float]:
    """The op's local gradient in input k, as a function of the inputs (floats)."""
    return lambda *xs: op.local_grads(*xs, op.forward(*xs))[k]
