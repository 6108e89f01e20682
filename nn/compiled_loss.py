"""The loss of a compiled step, itself on a tape once the same batch comes back.

``compiled_gradients`` replays the model's tape over the batch; the loss then joins the
outputs of all examples (a mean, a penalty on every parameter), so it cannot be
replayed per example. On ordinary Values it costs one node per term: for micrograd's
moons demo about a thousand nodes, most of a compiled step. So the loss gets a tape of its
own, with the whole batch's outputs as its inputs (one example of that tape per step),
traced the second time the same loss meets the same targets (full-batch training: from
the second step on). The first time, and for a loss whose graph depends on the data
(caught by ``compile``'s two traces), it runs on Values as before: same numbers.

>>> import numpy as np
>>> from chainrule.nn import Neuron, mse
>>> n = Neuron(1, "linear"); n.load_state_dict({"w.0": 1.0, "b": 0.0})
>>> outputs = [np.array([2.0, 1.0])]
>>> [loss_gradients(n, mse, outputs, [1.0, 1.0])[0] for _ in range(3)]   # Values, tape, tape
[0.5, 0.5, 0.5]
>>> loss_gradients(n, mse, outputs, [1.0, 1.0])[1].tolist()     # d loss / d output: (s - y)
[[1.0, 0.0]]
"""

from __future__ import annotations

import weakref
from collections.abc import Callable

import numpy as np
from chainrule.autograd import Value
from chainrule.autograd.compiled import Compiled, compile
from chainrule.nn.losses import backward_loss
from chainrule.nn.module import Module

# model -> {(id(loss), sizes, targets, parameter ids): (loss, None | Compiled | False)}:
# None when seen once, False when the loss could not be traced. A few batches per model.
_LOSS_TAPES: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
_KEPT = 8


def loss_gradients(model: Module, loss: Callable, columns: list[np.ndarray],
                   targets) -> tuple[float, np.ndarray]:
    """The loss on the outputs ``columns`` and d loss / d output (one row per output).

    Every parameter's ``.grad`` starts from 0 and gets the loss's own share (a penalty),
    as ``backward_loss`` does; the outputs' share is returned, for the model's tape.

    >>> from chainrule.nn import Neuron, hinge
    >>> n = Neuron(1, "linear")
    >>> value, upstream = loss_gradients(n, hinge, [np.array([0.5, 3.0])], [1, 1])
    >>> value, upstream.tolist()        # (1 - 0.5 + 0) / 2; -y/2 inside the margin only
    (0.25, [[-0.5, 0.0]])
    """
    parameters = model.parameters()
    key = _key(loss, columns, targets, parameters)
    tapes = _LOSS_TAPES.setdefault(model, {})
    known = tapes.get(key) if key is not None else None
    state = known[1] if known is not None and known[0] is loss else "new"
    if state is None:  # the second time: trace it
        state = _loss_tape(loss, columns, targets)
    if key is not None:
        tapes[key] = (loss, None if state == "new" else state)
        while len(tapes) > _KEPT:
            del tapes[next(iter(tapes))]
    if isinstance(state, Compiled):
        return _on_tape(state, parameters, columns)
    return _on_values(parameters, loss, columns, targets)


def _key(loss: Callable, columns: list[np.ndarray], targets, parameters: list) -> tuple | None:
    try:
        array = np.asarray(targets, dtype=float)
    except (TypeError, ValueError):
        return None  # targets that are not numbers: the loss will say so, on Values
    # the parameters' ids: a model given other parameter Values gets a new tape (a
    # penalty's tape reads the Values it was traced with)
    ids = tuple(map(id, parameters))
    return id(loss), len(columns), len(columns[0]), array.shape, array.tobytes(), ids


def _grouped(flat: list, n_outputs: int) -> list:
    """Example-major outputs as the loss takes them: one per example, or a list of them."""
    if n_outputs == 1:
        return list(flat)
    return [list(flat[i:i + n_outputs]) for i in range(0, len(flat), n_outputs)]


def _loss_tape(loss: Callable, columns: list[np.ndarray], targets) -> Compiled | bool:
    flat = np.stack(columns, axis=1).ravel()  # example by example, each example's outputs
    unlike = -1.5 * flat - 0.25  # the second trace: other signs, other sizes
    try:
        return compile(lambda *outputs: loss(_grouped(outputs, len(columns)), targets),
                       len(flat), [flat.tolist(), unlike.tolist()], input_gradients=True)
    except (ArithmeticError, TypeError, ValueError, RuntimeError):
        return False  # data-dependent, or outside its domain: stay on Values


def _on_tape(tape: Compiled, parameters: list, columns: list[np.ndarray]):
    flat = np.stack(columns, axis=1).ravel()
    (value,) = tape.forward(*flat[:, None])
    for parameter in parameters:
        parameter.grad = 0.0
    tape.backward([1.0])
    grads = tape.input_grads[:, 0].reshape(len(columns[0]), len(columns)).T
    return float(value[0]), grads


def _on_values(parameters: list, loss: Callable, columns: list[np.ndarray], targets):
    leaves = [[Value(float(x)) for x in example] for example in zip(*columns, strict=True)]
    outputs = [example[0] if len(example) == 1 else example for example in leaves]
    value = loss(outputs, targets)
    backward_loss(value, parameters)  # into the outputs (and a penalty's parameters)
    grads = [[example[k].grad for example in leaves] for k in range(len(columns))]
    return value.data, np.array(grads)
