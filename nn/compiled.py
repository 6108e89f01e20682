"""Training on a compiled tape: trace the model once, replay it for a whole batch.

``fit(..., compiled=True)`` uses ``compiled_train_step`` in place of ``train_step``. The
model's graph (inputs -> outputs) is traced once with ``chainrule.autograd.compiled.compile`` and
kept per model; each step runs it forward over the batch with numpy, computes the loss
on the outputs and its gradients (on Values the first time, then on the loss's own tape:
``chainrule.nn.compiled_loss``; any loss works, penalties on the parameters included),
and replays the tape backward with the outputs' gradients. The numbers are the
per-example engine's, to rounding.

>>> import numpy as np
>>> from chainrule.nn import MLP, mse
>>> model = MLP(2, [4, 1], seed=0)
>>> loss, outputs = compiled_gradients(model, mse, [[0.5, -1.0], [1.0, 2.0]], np.array([1.0, 0.0]))
>>> reference = mse([model([0.5, -1.0]), model([1.0, 2.0])], [1.0, 0.0])
>>> model.zero_grad(); reference.backward()
>>> abs(loss - reference.data) < 1e-12
True
"""

from __future__ import annotations

import weakref
from collections.abc import Callable, Sequence

import numpy as np
from chainrule.autograd.compiled import Compiled, compile
from chainrule.nn.compiled_loss import loss_gradients
from chainrule.nn.module import Module
from chainrule.nn.optim import Optimizer

# model -> (the ids of its parameters when traced, the tape). Weak: a tape lives as long
# as its model. A model whose parameters were replaced (other Value objects) is retraced.
_TAPES: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


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
    ids = [id(p) for p in model.parameters()]
    cached = _TAPES.get(model)
    if cached is not None and cached[0] == ids:
        return cached[1]
    n_inputs = model.n_inputs
    examples = _first_and_most_unlike(np.asarray(rows, dtype=float))
    tape = compile(lambda *xs: model(list(xs)), n_inputs, examples)
    _TAPES[model] = (ids, tape)
    return tape


def _first_and_most_unlike(rows: np.ndarray) -> list[list[float]]:
    other_sign = (np.sign(rows) != np.sign(rows[0])).sum(axis=1)
    distance = np.abs(rows - rows[0]).sum(axis=1)
    most_unlike = np.lexsort((distance, other_sign))[-1]  # the last key sorts first
    return [rows[0].tolist(), rows[most_unlike].tolist()]


def compiled_gradients(model: Module, loss: Callable, rows: Sequence[Sequence[float]],
                       targets: np.ndarray) -> tuple[float, list]:
    """The batch's loss and outputs; sets every parameter's ``.grad`` (from 0) to d loss / d p.

    Equals ``loss([model(row) for row in rows], targets)`` and its ``backward()`` (to
    rounding), at the price of one tape replay instead of one graph per row.

    >>> from chainrule.nn import Neuron, mse
    >>> n = Neuron(1, "linear"); n.load_state_dict({"w.0": 1.0, "b": 0.0})
    >>> compiled_gradients(n, mse, [[2.0], [1.0]], np.array([1.0, 1.0]))
    (0.5, [2.0, 1.0])
    >>> n.w[0].grad, n.b.grad    # outputs 2, 1: dL/dw = (2(2-1)*2 + 0) / 2, dL/db = 2(2-1) / 2
    (2.0, 1.0)
    """
    rows = np.asarray(rows, dtype=float)
    if rows.ndim != 2 or rows.shape[1] != model.n_inputs or not len(rows):
        raise ValueError(f"compiled step: expects rows of {model.n_inputs} numbers, got an "
                         f"array of shape {rows.shape}.")
    tape = model_tape(model, rows.tolist())
    columns = tape.forward(*rows.T)
    value, upstream = loss_gradients(model, loss, columns, targets)  # d loss / d outputs
    tape.backward(upstream)
    data = [c.tolist() for c in columns]
    return value, data[0] if len(data) == 1 else [list(o) for o in zip(*data, strict=True)]


def compiled_train_step(model: Module, rows: Sequence[Sequence[float]], targets: np.ndarray,
                        loss: Callable, optimizer: Optimizer) -> tuple[float, list]:
    """``train_step`` on the compiled tape: same arguments, same result, to rounding.

    >>> from chainrule.nn import Neuron, SGD, mse
    >>> n = Neuron(1, "linear"); n.load_state_dict({"w.0": 1.0, "b": 0.0})
    >>> compiled_train_step(n, [[2.0]], np.array([1.0]), mse, SGD(n.parameters(), lr=0.1))
    (1.0, [2.0])
    >>> n.w[0].data, n.b.data        # dL/dw = 2(2 - 1) * 2 = 4, dL/db = 2
    (0.6, -0.2)
    """
    optimizer.zero_grad()  # also any parameter the optimizer holds beyond the model's
    value, outputs = compiled_gradients(model, loss, rows, targets)
    optimizer.step()
    return value, outputs
