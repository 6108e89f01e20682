"""The loss of a compiled step, itself on a tape once the same batch comes back.

``compiled_gradients`` replays the model's tape over the batch; the loss then joins the
outputs of all examples (a mean, a penalty on every parameter), so it cannot be
replayed per example. On ordinary Values it costs one node per term: for micrograd's
moons demo about a thousand nodes, most of a compiled step. So the loss gets a tape of its
own, with the whole batch's outputs as its inputs (one example of that tape per step),
traced the second time the same loss meets the same targets (full-batch training: from
the second step on). The first time, and for a loss whose graph depends on the data
(caught by ``compile``'s two traces), it runs on Values as before: same numbers.

The outputs come as one block (a row per output, a column per example) and the
parameters as one array (``ParameterArray``): no Python pass over either per step.

>>> import numpy as np
>>> from chainrule.nn import Neuron, mse
>>> from chainrule.nn.parameter_array import ParameterArray
>>> n = Neuron(1, "linear"); n.load_state_dict({"w.0": 1.0, "b": 0.0})
>>> outputs, parameters = np.array([[2.0, 1.0]]), ParameterArray(n.parameters())
>>> [loss_gradients(n, mse, outputs, [1.0, 1.0], parameters)[0] for _ in range(3)]
[0.5, 0.5, 0.5]
>>> loss_gradients(n, mse, outputs, [1.0, 1.0], parameters)[1].tolist()  # Values, tape, tape
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
from chainrule.nn.parameter_array import ParameterArray

# model -> {(id(loss), shape, targets, parameter ids): (loss, None | Compiled | False)}:
# None when seen once, False when the loss could not be traced. A few batches per model.
_LOSS_TAPES: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
_KEPT = 8


def loss_gradients(model: Module, loss: Callable, outputs: np.ndarray, targets,
                   parameters: ParameterArray) -> tuple[float, np.ndarray]:
    """The loss on ``outputs`` (one row per output) and d loss / d output (the same shape).

    The loss's own share of the parameters' gradients (a penalty) is added to
    ``parameters.grad``, as ``backward_loss`` would leave it in their ``.grad``.

    >>> from chainrule.nn import Neuron, hinge
    >>> n = Neuron(1, "linear")
    >>> value, upstream = loss_gradients(n, hinge, np.array([[0.5, 3.0]]), [1, 1],
    ...                                  ParameterArray(n.parameters()))
    >>> value, upstream.tolist()        # (1 - 0.5 + 0) / 2; -y/2 inside the margin only
    (0.25, [[-0.5, 0.0]])
    """
    key = _key(loss, outputs, targets, parameters)
    tapes = _LOSS_TAPES.setdefault(model, {})
    known = tapes.get(key) if key is not None else None
    state = known[1] if known is not None and known[0] is loss else "new"
    if state is None:  # the second time: trace it
        state = _loss_tape(loss, outputs, targets)
    if key is not None and (known is None or state is not known[1]):
        tapes[key] = (loss, None if state == "new" else state)
        while len(tapes) > _KEPT:
            del tapes[next(iter(tapes))]
    if isinstance(state, Compiled):
        return _on_tape(state, parameters, outputs)
    return _on_values(parameters, loss, outputs, targets)


def _key(loss: Callable, outputs: np.ndarray, targets, parameters: ParameterArray):
    try:
        array = np.asarray(targets, dtype=float)
    except (TypeError, ValueError):
        return None  # targets that are not numbers: the loss will say so, on Values
    # the parameters' ids: a model given other parameter Values gets a new tape (a
    # penalty's tape reads the Values it was traced with)
    return id(loss), outputs.shape, array.shape, array.tobytes(), parameters.ids


def _grouped(flat: list, n_outputs: int) -> list:
    """Example-major outputs as the loss takes them: one per example, or a list of them."""
    if n_outputs == 1:
        return list(flat)
    return [list(flat[i:i + n_outputs]) for i in range(0, len(flat), n_outputs)]


def _loss_tape(loss: Callable, outputs: np.ndarray, targets) -> Compiled | bool:
    flat = outputs.T.ravel()  # example by example, each example's outputs
    unlike = -1.5 * flat - 0.25  # the second trace: other signs, other sizes
    try:
        return compile(lambda *flat: loss(_grouped(flat, len(outputs)), targets),
                       len(flat), [flat.tolist(), unlike.tolist()], input_gradients=True)
    except (ArithmeticError, TypeError, ValueError, RuntimeError):
        return False  # data-dependent, or outside its domain: stay on Values


def _on_tape(tape: Compiled, parameters: ParameterArray, outputs: np.ndarray):
    # the whole batch is one example of the loss's tape: its inputs are one column
    where = parameters.positions(tape.parameters)
    value = tape.run(outputs.T.reshape(-1, 1), parameters.data[where])
    parameters.grad[where] += tape.gradients(_ONE)
    return float(value[0, 0]), tape.input_grads[:, 0].reshape(outputs.shape[::-1]).T


_ONE = np.ones((1, 1))  # d loss / d loss


def _on_values(parameters: ParameterArray, loss: Callable, outputs: np.ndarray, targets):
    parameters.write()  # the loss reads the Values (a penalty): give them the current numbers
    leaves = [[Value(x) for x in example] for example in outputs.T.tolist()]
    value = loss([example[0] if len(example) == 1 else example for example in leaves], targets)
    backward_loss(value, parameters.values)  # into the outputs (and a penalty's parameters)
    parameters.grad += [p.grad for p in parameters.values]
    grads = [[example[k].grad for example in leaves] for k in range(len(outputs))]
    return value.data, np.array(grads)
