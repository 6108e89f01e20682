"""Training on a compiled tape: trace the model once, replay it for a whole batch.

``fit(..., compiled=True)`` steps with a ``CompiledTraining`` in place of ``train_step``.
The model's graph (inputs -> outputs) is traced once with
``chainrule.autograd.compiled.compile`` and kept per model; each step runs it forward over
the batch with numpy, computes the loss on the outputs and its gradients (on Values the
first time, then on the loss's own tape: ``chainrule.nn.compiled_loss``; any loss works,
penalties on the parameters included), replays the tape backward with the outputs'
gradients and lets the optimizer update, all on arrays: the parameters live in one array
(``chainrule.nn.parameter_array``) and the Values get their numbers back after each epoch.
``compiled_train_step`` is one such step that leaves the Values current. The numbers are
the per-example engine's, to rounding.

>>> import numpy as np
>>> from chainrule.nn import MLP, mse
>>> model = MLP(2, [4, 1], seed=0)
>>> loss, outputs = compiled_gradients(model, mse, [[0.5, -1.0], [1.0, 2.0]], np.array([1.0, 0.0]))
>>> reference = mse([model([0.5, -1.0]), model([1.0, 2.0])], [1.0, 0.0])
>>> model.zero_grad(); reference.backward()
>>> abs(loss - reference.data) < 1e-12
True

The model's tape itself (traced once, checked every epoch) is ``chainrule.nn.model_tape``.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable, Sequence

import numpy as np
from chainrule.nn.compiled_loss import loss_gradients
from chainrule.nn.model_tape import CHECKED_ROWS, check_tape, model_tape
from chainrule.nn.module import Module
from chainrule.nn.optim import SGD, Adam, Optimizer
from chainrule.nn.parameter_array import ParameterArray


class CompiledTraining:
    """A model's compiled step, the parameters kept in one array (``ParameterArray``).

    ``step`` runs the tape forward on a batch, the loss (on its own tape from the second
    step: ``chainrule.nn.compiled_loss``), the tape backward and ``optimizer.update``,
    all on arrays; the Values see nothing until ``write()`` (``read()`` takes their
    numbers again). ``fit(compiled=True)`` writes after each epoch and when a step fails.

    >>> from chainrule.nn import Neuron, SGD, mse
    >>> n = Neuron(1, "linear"); n.load_state_dict({"w.0": 1.0, "b": 0.0})
    >>> training = CompiledTraining(n, SGD(n.parameters(), lr=0.1), [[2.0]])
    >>> value, outputs = training.step(np.array([[2.0]]), np.array([1.0]), mse)
    >>> value, outputs.tolist(), n.w[0].data      # the Value waits for write()
    (1.0, [[2.0]], 1.0)
    >>> training.write(); n.w[0].data, n.b.data   # dL/dw = 2(2 - 1) * 2 = 4, dL/db = 2
    (0.6, -0.2)
    """

    def __init__(self, model: Module, optimizer: Optimizer | None,
                 rows: Sequence[Sequence[float]]) -> None:
        self.model, self.optimizer = model, optimizer
        self.tape = model_tape(model, rows)
        updated = getattr(optimizer, "params", None) or []
        self.parameters = ParameterArray([*updated, *self.tape.parameters,
                                          *model.parameters()])
        self._updated = self.parameters.positions(updated)

    def read(self) -> None:
        """Take the Values' numbers again (they may have been set by hand)."""
        self.parameters.read()

    def write(self) -> None:
        """Give the Values the current numbers and the last step's gradients."""
        self.parameters.write()

    def current(self, rows) -> CompiledTraining:
        """This training with the Values' numbers read again, or a new one if the model's
        tape was retraced (its structure changed: see ``model_tape``)."""
        if model_tape(self.model, rows) is not self.tape:
            return CompiledTraining(self.model, self.optimizer, rows)
        self.read()
        return self

    def fit_step(self, model: Module, rows: np.ndarray, targets, loss: Callable,
                 optimizer: Optimizer) -> tuple[float, list]:
        """``step`` with ``train_step``'s arguments and result (fit's loop calls either)."""
        value, outputs = self.step(rows, targets, loss)
        return value, _as_rows(outputs)

    def gradients(self, rows: np.ndarray, targets, loss: Callable) -> tuple[float, np.ndarray]:
        """The batch's loss and outputs (a row per output); ``parameters.grad`` from 0."""
        if not np.isfinite(rows).all():
            raise ValueError("compiled step: every input must be a finite number, got "
                             f"{rows[~np.isfinite(rows)][0]!r}.")
        parameters, tape = self.parameters, self.tape
        where = parameters.positions(tape.parameters)
        outputs = tape.run(rows.T, parameters.data[where])
        parameters.grad = np.zeros(len(parameters.values))
        value, upstream = loss_gradients(self.model, loss, outputs, targets, parameters)
        parameters.grad[where] += tape.gradients(upstream)
        return value, outputs

    def step(self, rows: np.ndarray, targets, loss: Callable) -> tuple[float, np.ndarray]:
        """``gradients``, then the optimizer's update of ``parameters.data``."""
        value, outputs = self.gradients(rows, targets, loss)
        updated, parameters = self._updated, self.parameters
        if getattr(type(self.optimizer), "step", None) in _ARRAY_STEPS:
            parameters.data[updated] = self.optimizer.update(parameters.data[updated],
                                                             parameters.grad[updated])
        else:  # an optimizer of one's own: its step() reads and moves the Values
            self.write()
            self.optimizer.step()
            self.read()
        return value, outputs


_ARRAY_STEPS = (SGD.step, Adam.step)  # steps that Optimizer.update takes on arrays as they are


def _checked_rows(model: Module, rows) -> np.ndarray:
    rows = np.asarray(rows, dtype=float)
    if rows.ndim != 2 or rows.shape[1] != model.n_inputs or not len(rows):
        raise ValueError(f"compiled step: expects rows of {model.n_inputs} numbers, got an "
                         f"array of shape {rows.shape}.")
    return rows


def _as_rows(outputs: np.ndarray) -> list:
    """A row per output -> the outputs' data per example, as ``train_step`` returns them."""
    return outputs[0].tolist() if len(outputs) == 1 else outputs.T.tolist()


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
    rows = _checked_rows(model, rows)
    training = CompiledTraining(model, None, rows.tolist())
    value, outputs = training.gradients(rows, targets, loss)
    training.write()
    return value, _as_rows(outputs)


# (model, optimizer) -> the CompiledTraining compiled_train_step reuses
_TRAININGS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


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
    rows = _checked_rows(model, rows)
    training = _TRAININGS.get(model)
    if (training is None or training.optimizer is not optimizer
            or training.tape is not model_tape(model, rows.tolist())):
        training = _TRAININGS[model] = CompiledTraining(model, optimizer, rows.tolist())
    else:
        training.read()  # the Values are the truth between calls
    try:
        value, outputs = training.step(rows, targets, loss)
    finally:
        training.write()
    return value, _as_rows(outputs)


__all__ = ["CHECKED_ROWS", "CompiledTraining", "check_tape", "compiled_gradients",
           "compiled_train_step", "model_tape"]
