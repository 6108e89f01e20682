"""The model's tape for compiled training: traced once per model, checked against the engine.

``model_tape`` traces a model's graph (inputs -> outputs) with
``chainrule.autograd.compiled.compile`` on two rows of the training set and keeps it
while the model's structure stays the same; ``check_tape`` compares the tape with the
model itself on a few rows (``fit(compiled=True)`` does after every epoch).

>>> from chainrule.nn import MLP
>>> model = MLP(2, [3, 1], seed=0)
>>> tape = model_tape(model, [[0.5, 1.0], [-1.0, 0.25]])
>>> tape.forward([0.5], [1.0])[0].tolist() == [model([0.5, 1.0]).data]
True
"""

from __future__ import annotations

import weakref
from collections.abc import Sequence

import numpy as np
from chainrule.autograd import Value, no_grad
from chainrule.autograd.compiled import Compiled, compile
from chainrule.nn.module import Module

# model -> (its structure when traced, the tape). Weak: a tape lives as long as its
# model. A model whose structure changed (other parameter Values, another activation, a
# layer added) is retraced: see _structure.
_TAPES: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
CHECKED_ROWS = 3  # rows per epoch on which fit(compiled=True) compares tape and engine


def _structure(model: Module) -> tuple:
    """What a tape depends on besides the parameters' numbers: which Values they are, and
    every module's other attributes (a function by identity, anything else by value)."""
    found: list = [id(p) for p in model.parameters()]
    stack = [model]
    while stack:
        module = stack.pop()
        for name, attribute in vars(module).items():
            items = attribute if isinstance(attribute, (list, tuple)) else (attribute,)
            for item in items:
                kind = type(item)
                if kind is Value:
                    continue  # the parameters: by id, above
                if isinstance(item, Module):
                    stack.append(item)
                elif not isinstance(item, Value):
                    # speed: a plain number or text is its own key (repr costs more)
                    key = item if kind in _PLAIN else id(item) if callable(item) else repr(item)
                    found.append((id(module), name, kind, key))
    return tuple(found)


_PLAIN = (str, int, float, bool, type(None))


def model_tape(model: Module, rows: Sequence[Sequence[float]]) -> Compiled:
    """The model's compiled tape (traced on two of ``rows`` the first time), cached.

    The two rows are the first and the one most unlike it (the most inputs of the other
    sign, then the farthest), so that a branch on an input's sign shows up as two
    different tapes. ``fit`` passes the whole training set; a single row is traced twice
    and can reveal no branch.

    >>> from chainrule.nn import MLP
    >>> model = MLP(2, [3, 1], seed=0)
    >>> tape = model_tape(model, [[0.5, 1.0], [-1.0, 0.25]])
    >>> len(tape), len(tape.parameters)      # 3 neurons of 2 inputs, 1 of 3; 13 parameters
    (21, 13)
    >>> model_tape(model, [[0.0, 0.0]]) is tape
    True
    """
    structure = _structure(model)
    cached = _TAPES.get(model)
    if cached is not None and cached[0] == structure:
        return cached[1]
    n_inputs = model.n_inputs
    examples = _first_and_most_unlike(np.asarray(rows, dtype=float))
    tape = compile(lambda *xs: model(list(xs)), n_inputs, examples)
    _TAPES[model] = (structure, tape)
    return tape


def check_tape(model: Module, X: np.ndarray, rng: np.random.Generator) -> None:
    """Compare the tape's outputs with the per-example engine's on a few rows of X; raise
    ValueError naming the compiled rule if they differ beyond rounding.

    A tape replays the ops of its two traces. If the model chooses an op from a number
    (``if w.data > 0``), training can move that number so that the model now takes
    another branch, and the tape (which cannot see it) goes on replaying the old one.
    ``fit(compiled=True)`` calls this after every epoch, with the current parameters.

    >>> from chainrule.nn import MLP
    >>> model = MLP(2, [3, 1], seed=0)
    >>> X = np.array([[0.5, 1.0], [-1.0, 0.25], [2.0, -0.5]])
    >>> _ = model_tape(model, X.tolist())
    >>> check_tape(model, X, np.random.default_rng(0))     # agrees: returns None
    """
    rows = X[rng.choice(len(X), size=min(CHECKED_ROWS, len(X)), replace=False)]
    try:
        compiled = np.column_stack(model_tape(model, X.tolist()).forward(*rows.T))
        with no_grad():
            engine = np.array([[out.data for out in _as_list(model(row.tolist()))]
                               for row in rows])
    except OverflowError:
        return  # the parameters diverged: the next step stops fit and says so
    if not np.allclose(compiled, engine, rtol=1e-9, atol=1e-12):
        i = int(np.flatnonzero(~np.isclose(compiled, engine, rtol=1e-9, atol=1e-12))[0]
                // compiled.shape[1])
        raise ValueError(
            f"fit(compiled=True): the compiled tape gives {compiled[i].tolist()} for the row "
            f"{rows[i].tolist()}, but the model itself gives {engine[i].tolist()}. A tape "
            "replays one fixed sequence of ops: the model's graph must not depend on the data "
            "or on the parameters' values (no `if w.data > 0`). Write the choice as an op "
            "(relu, abs, leaky_relu) or train with compiled=False.")


def _as_list(out: Value | list[Value]) -> list[Value]:
    return [out] if isinstance(out, Value) else list(out)


def _first_and_most_unlike(rows: np.ndarray) -> list[list[float]]:
    other_sign = (np.sign(rows) != np.sign(rows[0])).sum(axis=1)
    distance = np.abs(rows - rows[0]).sum(axis=1)
    most_unlike = np.lexsort((distance, other_sign))[-1]  # the last key sorts first
    return [rows[0].tolist(), rows[most_unlike].tolist()]
