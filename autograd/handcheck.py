"""Check a hand-derived backward pass: your gradient arrays against autograd's, per array.

Write the loss in NumPy as a function of named parameter arrays (the tutorial's own
forward pass), give the arrays, and give the gradients you derived by hand.
``check_backprop`` runs your loss on Values (``chainrule.autograd.arrays``), takes the
true gradients with one backward walk, and says for each array whether yours agrees,
and if not, how it differs: the opposite sign, a constant factor (2, 1/2, N, 1/N, N/2,
2/N, named with their usual cause), a transpose, a missing sum over the examples,
another array's gradient, or which entries.

>>> import numpy as np
>>> X, y = np.array([[1.0, 2.0], [3.0, -1.0], [0.0, 1.0]]), np.array([[1.0], [0.0], [2.0]])
>>> W = np.array([[0.1], [-0.2]])
>>> def loss(W):
...     return np.mean((X @ W - y) ** 2)           # N = 3 examples
>>> mine = X.T @ (X @ W - y)                        # forgot the mean's 2/N
>>> report = check_backprop(loss, {"W": W}, {"W": mine}, n_examples=3)
>>> report.ok, report.rows[0].verdict
(False, 'N/2 × dL/dW, N = 3')
>>> print(check_backprop(loss, {"W": W}, {"W": 2 / 3 * mine}))   # doctest: +ELLIPSIS
check_backprop: 1 of 1 arrays agree with dL/d(array) from autograd (L = 2.26)
array  shape   max |true|  max abs err  rel err  verdict
W      (2, 1)  3.53333 ... agrees
"""

from __future__ import annotations

import textwrap
from collections.abc import Callable, Mapping
from dataclasses import dataclass

import numpy as np
from chainrule.autograd.arrays import as_float_array, as_scalar, wrap
from chainrule.autograd.functional import gradients
from chainrule.autograd.handcheck_diagnosis import Diagnosis, diagnose, factor_text, name_factor
from chainrule.autograd.value import Value

WIDTH = 96  # the notes below the table are wrapped to this many characters
INVERSE = {"N/2": "2/N", "2/N": "N/2", "N": "1/N", "1/N": "N", "2N": "1/(2N)",
           "1/(2N)": "2N", "2": "1/2", "1/2": "2"}


@dataclass(frozen=True, slots=True, eq=False)
class ArrayCheck:
    """One array: the true gradient, yours, and how they relate (``diagnosis``)."""

    name: str
    true: np.ndarray  # dL/d(name) from autograd, in the parameter's shape
    yours: np.ndarray  # as given
    diagnosis: Diagnosis

    @property
    def ok(self) -> bool:
        return self.diagnosis.kind == "agrees"

    @property
    def verdict(self) -> str:
        return self.diagnosis.verdict

    @property
    def max_abs_error(self) -> float:
        """max |yours - true| over the entries (nan when the shapes differ)."""
        if self.yours.shape != self.true.shape:
            return float("nan")
        return float(np.max(np.abs(self.yours - self.true), initial=0.0))

    @property
    def rel_error(self) -> float:
        """max abs error / the largest true entry: the error at the gradient's own scale."""
        return self.max_abs_error / max(float(np.max(np.abs(self.true), initial=0.0)), 1e-300)


@dataclass(frozen=True, slots=True, eq=False)
class BackpropReport:
    """The outcome of ``check_backprop``: ``.ok``, one ``ArrayCheck`` per array, ``str()``."""

    rows: tuple[ArrayCheck, ...]
    loss: float
    n_examples: int | None = None
    of: str = "L"  # the name of what was differentiated: "L", or "h1" for a partial

    @property
    def ok(self) -> bool:
        return all(row.ok for row in self.rows)

    @property
    def common_factor(self) -> float | None:
        """c when every array of yours is c × its true gradient (c != 1), else None."""
        factors = {round(row.diagnosis.factor, 9) for row in self.rows
                   if row.diagnosis.factor is not None and row.diagnosis.kind == "factor"}
        every = all(row.diagnosis.kind == "factor" for row in self.rows)
        return factors.pop() if every and len(factors) == 1 else None

    @property
    def convention(self) -> str:
        """Your convention in words when every array shares one factor, else ""."""
        ratio = self.common_factor
        return "" if ratio is None else convention_text(ratio, self.n_examples, self.of)

    def __str__(self) -> str:
        n_ok = sum(row.ok for row in self.rows)
        lines = [f"check_backprop: {n_ok} of {len(self.rows)} arrays agree with "
                 f"d{self.of}/d(array) from autograd ({self.of} = {self.loss:.6g})"]
        table = [("array", "shape", "max |true|", "max abs err", "rel err", "verdict")]
        for row in self.rows:
            errors = (f"{row.max_abs_error:.1e}", f"{row.rel_error:.1e}")
            table.append((row.name, str(row.true.shape),
                          f"{np.max(np.abs(row.true), initial=0.0):.6g}",
                          *(("-", "-") if np.isnan(row.max_abs_error) else errors),
                          row.verdict))
        widths = [max(len(r[i]) for r in table) for i in range(len(table[0]))]
        lines += ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip()
                  for r in table]
        notes = self.convention.splitlines() or [
            f"{row.name}: {row.diagnosis.advice}" for row in self.rows
            if not row.ok and row.diagnosis.advice]
        lines += [_wrap(note) for note in notes]
        return "\n".join(lines)


def _wrap(note: str) -> str:
    """A note folded to WIDTH, never inside a formula's ``y - a``."""
    folded = textwrap.fill(note.replace(" - ", "\0-\0"), WIDTH, subsequent_indent="  ")
    return folded.replace("\0", " ")


def convention_text(ratio: float, n_examples: int | None, of: str = "L") -> str:
    """Every array of yours is ``ratio`` × its gradient: what that means for the update.

    >>> print(convention_text(-1.0, None))                  # doctest: +ELLIPSIS
    your convention: every array is -dL/d(array). So your update w += lr * g is gradient \
descent on L (w -= lr * dL/dw) with the same learning rate.
    Why the minus: ...
    """
    named = name_factor(ratio, n_examples)
    name = named[0] if named else None
    unit = bool(np.isclose(abs(ratio), 1.0, rtol=1e-6))
    every = f"-d{of}/d(array)" if unit else f"{factor_text(ratio, name)} × d{of}/d(array)"
    if name and "N" in name:
        every += f" (N = {n_examples})"
    update = "w += lr * g" if ratio < 0 else "w -= lr * g"
    rate = "the same learning rate" if unit else (
        f"a learning rate {name or f'{abs(ratio):.4g}'} times larger (lr × {abs(ratio):.4g})")
    lines = [f"your convention: every array is {every}. So your update {update} is gradient "
             f"descent on {of} (w -= lr * d{of}/dw) with {rate}."]
    if ratio < 0:
        lines.append("Why the minus: yours points downhill, as when the error is written y - a "
                     "(the derivative of (y - a)² in a is -2(y - a)).")
    if named:
        lines.append(f"Why {name}: {named[1]}.")
    if not unit:
        back = factor_text(1 / ratio, INVERSE.get(name or ""))
        lines.append(f"To get d{of}/dw itself, multiply yours by {back}.")
    return "\n".join(lines)


def check_backprop(loss: Callable[..., Value], params: Mapping[str, object],
                   hand_grads: Mapping[str, object], *, n_examples: int | None = None,
                   of: str = "L", rtol: float = 1e-6, atol: float = 1e-8) -> BackpropReport:
    """Compare your hand-derived gradients with autograd's, array by array.

    ``loss(**arrays)`` is your forward pass and loss, written in NumPy: it is called with
    each parameter wrapped as an object array of Values (``W1[0,2]``, ...) and must
    return one number (``np.mean(...)``). ``hand_grads`` maps some or all of the
    parameter names to your arrays. ``n_examples`` (the batch size N) lets the report
    name factors such as 1/N and 2/N. ``of`` names the function in the report (dL/dW;
    give ``of="h1"`` when you check a partial such as dh1/dw1). An entry agrees when
    |yours - true| <= atol + rtol × |true|.

    >>> w = {"a": 2.0, "b": -1.0}
    >>> report = check_backprop(lambda a, b: (a * 3 + b) ** 2, w, {"a": 30.0, "b": -10.0})
    >>> [(row.name, row.verdict) for row in report.rows]    # dL/da = 2(3a + b)·3 = 30
    [('a', 'agrees'), ('b', '-dL/db')]
    """
    names = _checked_names(loss, params, hand_grads, n_examples, of)
    yours = {name: _frozen(as_float_array(hand_grads[name], f"hand_grads[{name!r}]"))
             for name in names}
    wrapped = {name: wrap(array, name) for name, array in params.items()}
    root = as_scalar(loss(**wrapped), "check_backprop: loss")
    true = _true_gradients(root, wrapped)
    rows = tuple(ArrayCheck(name, true[name], yours[name],
                            diagnose(name, true[name], yours[name], n_examples=n_examples,
                                     others=true, of=of, rtol=rtol, atol=atol))
                 for name in names)
    return BackpropReport(rows, root.data, n_examples, of)


def _true_gradients(root: Value, wrapped: dict[str, object]) -> dict[str, np.ndarray]:
    """dL/d(array) for each wrapped array, from one walk (no ``.grad`` is written)."""
    leaves = {name: np.asarray(array, dtype=object) for name, array in wrapped.items()}
    flat = [leaf for array in leaves.values() for leaf in array.flat]
    found = iter(gradients(root, flat))
    return {name: _frozen(np.array([next(found) for _ in range(array.size)],
                                   dtype=float).reshape(array.shape))
            for name, array in leaves.items()}


def _frozen(array: np.ndarray) -> np.ndarray:
    """A read-only copy: the report keeps the numbers as they were checked."""
    copy = np.array(array, dtype=float)
    copy.setflags(write=False)
    return copy


def _checked_names(loss, params, hand_grads, n_examples, of) -> list[str]:
    """The names to check, once everything has been validated (nothing runs before)."""
    if not callable(loss):
        raise TypeError(f"check_backprop needs the loss as a function of the parameter "
                        f"arrays, got {type(loss).__name__}; pass e.g. lambda W1, b1: ...")
    for what, given in (("params", params), ("hand_grads", hand_grads)):
        if not isinstance(given, Mapping) or not given:
            raise TypeError(f"check_backprop needs {what} as a non-empty dict of name -> "
                            f"array, got {given!r:.80}; pass e.g. {{'W1': W1}}.")
    bad = [name for name in params if not (isinstance(name, str) and name.isidentifier())]
    if bad:
        raise ValueError(f"check_backprop: parameter names must be Python names (the loss "
                         f"is called as loss(W1=..., ...)), got {bad!r}.")
    unknown = [name for name in hand_grads if name not in params]
    if unknown:
        raise ValueError(f"check_backprop: hand_grads has {unknown!r}, which params does not; "
                         f"params has {list(params)}. Use the same names in both.")
    if n_examples is not None and (type(n_examples) is not int or n_examples < 1):
        raise ValueError(f"check_backprop: n_examples must be a positive int (the batch "
                         f"size N) or None, got {n_examples!r}.")
    if not isinstance(of, str) or not of:
        raise TypeError(f"check_backprop: of must name the function, e.g. 'L', got {of!r}.")
    return list(hand_grads)
