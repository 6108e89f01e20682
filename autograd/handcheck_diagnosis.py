"""What is wrong with a hand-derived gradient: a sign, a constant factor, a transpose, ...

``diagnose`` compares one array of yours with the true gradient (from autograd) and
names the simplest relation between them a learner can act on, in this order: they
agree; yours has another shape that a transpose, a reshape or a sum over the examples
fixes; yours is another array's gradient (a swapped index); yours is a constant multiple
of the truth (-1: the opposite sign; 2, 1/2, N, 1/N, N/2, 2/N named, with what usually
causes each); else which entries differ.

>>> true = np.array([[0.1, -0.2], [0.3, 0.05]])
>>> print(diagnose("W", true, -2 * true, n_examples=4).verdict)
-(N/2) × dL/dW, N = 4
>>> print(diagnose("W", true, true.T).verdict)
transposed
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

import numpy as np

MAX_LISTED = 4  # differing entries named one by one; the rest are counted


@dataclass(frozen=True, slots=True)
class Diagnosis:
    """The relation found between your array and the true gradient."""

    kind: str  # "agrees", "shape", "transposed", "factor", "another", "entries"
    verdict: str  # short, for the table: "-(N/2) × dL/dW1, N = 4"
    advice: str  # what it usually means and what to do ("" when it agrees)
    factor: float | None = None  # yours / true, when yours is a constant multiple
    differing: tuple[tuple[int, ...], ...] = ()  # indices of entries that differ


def close(a: np.ndarray, b: np.ndarray, rtol: float = 1e-6, atol: float = 1e-8) -> np.ndarray:
    """Entry by entry: |a - b| <= atol + rtol * |b| (b is the truth).

    >>> close(np.array([1.0, 2.0]), np.array([1.0 + 1e-9, 2.1])).tolist()
    [True, False]
    """
    return np.abs(a - b) <= atol + rtol * np.abs(b)


def factor_names(n_examples: int | None) -> list[tuple[str, float, str]]:
    """The factors worth naming, (name, value, what usually causes it), N-ones first.

    >>> [name for name, _, _ in factor_names(4)][:3]
    ['N/2', '2/N', 'N']
    """
    named = []
    if n_examples is not None and n_examples > 1:
        n = float(n_examples)
        named += [
            ("N/2", n / 2, "yours is the gradient of ½·Σ(error²), the sum over the N "
             "examples halved, while the loss is their mean (1/N)·Σ(error²): the two differ "
             "by the mean's 1/N and the square's 2, so dL/dW = (2/N) × the gradient of ½·Σ"),
            ("2/N", 2 / n, "yours is the gradient of the mean (1/N)·Σ(error²) while the "
             "loss is ½·Σ(error²): multiply by N/2"),
            ("N", n, "yours sums over the N examples where the loss is their mean: divide "
             "by N (the mean's 1/N is missing)"),
            ("1/N", 1 / n, "yours is divided by N where the loss is a sum: drop the 1/N"),
            ("2N", 2 * n, "yours sums over the examples and keeps an extra 2"),
            ("1/(2N)", 1 / (2 * n), "yours divides by N and misses the square's 2"),
        ]
    named += [
        ("2", 2.0, "an extra 2: e.g. the loss is ½·(y - a)², whose derivative is -(y - a), "
         "not -2(y - a)"),
        ("1/2", 0.5, "a missing 2: the derivative of (y - a)² is -2(y - a); or the loss "
         "has no ½ in front"),
    ]
    return named


def name_factor(ratio: float, n_examples: int | None) -> tuple[str, str] | None:
    """(name, usual cause) of the named factor equal to |ratio|, else None.

    When two names fit (with N = 4, N/2 is 2), the first is named and the cause says both.

    >>> name_factor(-0.5, None)[0], name_factor(3.0, 6)[0], name_factor(0.731, None)
    ('1/2', 'N/2', None)
    >>> print(name_factor(2.0, 4)[1])                      # doctest: +ELLIPSIS
    yours is the gradient of ½·Σ(error²)...; or, as N/2 = 2 here, an extra 2: ...
    """
    fits = [(name, value, cause) for name, value, cause in factor_names(n_examples)
            if np.isclose(abs(ratio), value, rtol=1e-6)]
    if not fits:
        return None
    (name, _, cause), others = fits[0], fits[1:]
    for other, _, other_cause in others:
        cause += f"; or, as {name} = {other} here, {other_cause}"
    return name, cause


def factor_text(ratio: float, name: str | None) -> str:
    """How ``yours = ratio × dL/dW`` is written: ``-(N/2)``, ``1/2``, ``3/4``, ``0.731``.

    >>> factor_text(-2.0, "N/2"), factor_text(0.75, None), factor_text(-1.0, None)
    ('-(N/2)', '3/4', '-')
    """
    sign = "-" if ratio < 0 else ""
    if np.isclose(abs(ratio), 1.0, rtol=1e-6):
        return sign
    if name is None:
        fraction = Fraction(abs(ratio)).limit_denominator(12)
        simple = np.isclose(float(fraction), abs(ratio), rtol=1e-6)
        name = str(fraction) if simple else f"{abs(ratio):.4g}"
    wrapped = f"({name})" if sign and not name.replace(".", "").isdigit() else name
    return f"{sign}{wrapped}"


def diagnose(name: str, true: np.ndarray, yours: np.ndarray, *, n_examples: int | None = None,
             others: dict[str, np.ndarray] | None = None, of: str = "L", rtol: float = 1e-6,
             atol: float = 1e-8) -> Diagnosis:
    """The simplest relation between ``yours`` and ``true`` (dL/d``name``) a learner can act on.

    ``others`` are the true gradients of the other arrays, to recognise a swap; ``of``
    names what was differentiated (the L in dL/dW).

    >>> g = np.array([0.5, -0.25])
    >>> diagnose("b", g, g).kind, diagnose("b", g, -g).verdict
    ('agrees', '-dL/db')
    >>> diagnose("w2", np.array(0.3), np.array(0.1), others={"w1": np.array(0.1)}).verdict
    'equals dL/dw1'
    """
    yours = np.asarray(yours, dtype=float)
    as_given = None  # the relation with your array as it is, when the shapes match
    for aligned, how in _alignments(true, yours):
        found = _relation(name, true, aligned, n_examples, others or {}, of, rtol, atol)
        if not how and found.kind != "entries":
            return found
        if not how:
            as_given = found
        elif found.kind in ("agrees", "factor"):
            return _with_shape(found, how, yours.shape, true.shape)
    if as_given is not None:
        return as_given
    return Diagnosis("shape", f"shape {yours.shape}, not {true.shape}",
                     f"yours has shape {yours.shape} but {name} has shape {true.shape}, "
                     "and no transpose, reshape or sum over the examples makes them agree.")


def _alignments(true: np.ndarray, yours: np.ndarray) -> list[tuple[np.ndarray, str]]:
    """Your array as it is (if the shapes match), then rearranged to ``true``'s shape."""
    found = [(yours, "")] if yours.shape == true.shape else []
    if yours.ndim == 2 and yours.T.shape == true.shape:
        found.append((yours.T, "transposed"))
    if yours.shape != true.shape and yours.size == true.size:
        found.append((yours.reshape(true.shape), "reshaped"))
    if yours.ndim >= 1 and yours.shape[0] > 1 and yours[0].size == true.size:
        found.append((yours.sum(axis=0).reshape(true.shape), "per example"))
    return found


def _relation(name, true, yours, n_examples, others, of, rtol, atol) -> Diagnosis:
    """Agrees, another array's gradient, a constant factor, or the entries that differ."""
    if close(yours, true, rtol, atol).all():
        return Diagnosis("agrees", "agrees", "", 1.0)
    for other, gradient in others.items():
        if other != name and gradient.shape == true.shape and close(yours, gradient,
                                                                    rtol, atol).all():
            return Diagnosis("another", f"equals d{of}/d{other}",
                             f"yours is the true gradient of {other}, not of {name}: an input "
                             f"or index swapped between {name} and {other}?")
    ratio = _common_ratio(true, yours, rtol, atol)
    named = None if ratio is None else name_factor(ratio, n_examples)
    # one number is always some multiple of another: name it only when it is a usual one
    if ratio is not None and (true.size > 1 or named or np.isclose(ratio, -1.0)):
        return _factor(f"d{of}/d{name}", ratio, named, n_examples)
    return _entries(name, true, yours, rtol, atol)


def _common_ratio(true, yours, rtol, atol) -> float | None:
    """c with yours = c × true throughout (least squares, then checked), else None."""
    scale = float(np.sum(true * true))
    if scale == 0.0:
        return None
    ratio = float(np.sum(true * yours)) / scale
    return ratio if close(yours, ratio * true, rtol, atol).all() else None


def _factor(gradient: str, ratio: float, named: tuple[str, str] | None,
            n_examples: int | None) -> Diagnosis:
    causes = []
    if ratio < 0:
        causes.append(f"the opposite sign: yours points downhill (-{gradient}), as when the "
                      "error is written y - a; that suits an update w += lr * g, and is wrong "
                      "for w -= lr * g")
    if named:
        causes.append(named[1])
    elif not np.isclose(abs(ratio), 1.0, rtol=1e-6):
        causes.append(f"a constant factor {factor_text(abs(ratio), None)} that is not one of "
                      "the usual ones (2, 1/2, N, 1/N): look for a scaled loss or learning rate")
    written = factor_text(ratio, named[0] if named else None)
    verdict = f"{written}{gradient}" if written in ("", "-") else f"{written} × {gradient}"
    if named and "N" in named[0]:
        verdict += f", N = {n_examples}"
    return Diagnosis("factor", verdict, "; ".join(causes), ratio)


def _entries(name, true, yours, rtol, atol) -> Diagnosis:
    wrong = [tuple(int(i) for i in index) for index in np.argwhere(~close(yours, true, rtol,
                                                                          atol))]
    listed = "; ".join(f"{_entry_name(name, i)}: yours {yours[i]:.6g}, true {true[i]:.6g}"
                       for i in wrong[:MAX_LISTED])
    more = f"; and {len(wrong) - MAX_LISTED} more" if len(wrong) > MAX_LISTED else ""
    flipped = all(close(-yours[i], true[i], rtol, atol) for i in wrong)
    hint = " (each has the opposite sign)" if flipped and true.size > 1 else ""
    where = _where(wrong, true.shape)
    verdict = f"{len(wrong)} of {true.size} entries differ" if true.size > 1 else "differs"
    return Diagnosis("entries", verdict + where, f"{listed}{more}{hint}",
                     differing=tuple(wrong))


def _where(wrong: list[tuple[int, ...]], shape: tuple[int, ...]) -> str:
    """", all in row 1" when the wrong entries fill one row (or column) of a matrix."""
    if len(shape) != 2 or len(wrong) < 2:
        return ""
    rows, columns = {i for i, _ in wrong}, {j for _, j in wrong}
    if len(rows) == 1 and len(wrong) == shape[1]:
        return f", all of row {rows.pop()}"
    if len(columns) == 1 and len(wrong) == shape[0]:
        return f", all of column {columns.pop()}"
    return ""


def _entry_name(name: str, index: tuple[int, ...]) -> str:
    return f"{name}[{','.join(map(str, index))}]" if index else name


def _with_shape(found: Diagnosis, how: str, shape: tuple, wanted: tuple) -> Diagnosis:
    fixes = {"transposed": "yours.T agrees: swap the operands' order or transpose "
                           "(X.T @ d, not d.T @ X)",
             "reshaped": f"reshaped to {wanted} it agrees: reshape it",
             "per example": "it has one row per example; summed over axis 0 "
                            "(np.sum(d, axis=0, keepdims=True)) it agrees"}
    verdict = how if found.kind == "agrees" else f"{how}, and {found.verdict}"
    advice = fixes[how] if shape == wanted else f"shape {shape}, not {wanted}: {fixes[how]}"
    if found.kind != "agrees":
        advice += f", up to {found.verdict}; {found.advice}"
    return Diagnosis("transposed" if how == "transposed" else "shape", verdict, advice,
                     found.factor)
