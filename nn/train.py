"""fit(): the training loop — epochs of mini-batches, validation, a progress bar, History.

One step is the whole of backprop in five lines (``train_step``): forward every row,
compute the loss, clear old gradients, ``backward()``, let the optimizer move the
parameters. ``fit`` repeats it over shuffled mini-batches and records, per epoch, the
mean training loss and metrics (from the outputs the steps computed) and, if given
validation data, the same measured on it afterwards.

>>> from chainrule.nn import MLP, SGD, make_xor, mse
>>> X, y = make_xor()
>>> model = MLP(2, [4, 1], activation="tanh", output_activation="sigmoid", seed=0)
>>> history = fit(model, X, y, loss=mse, optimizer=SGD(model.parameters(), lr=0.5),
...               epochs=3, progress=False)
>>> history.epochs, [round(x, 4) for x in history.train["loss"]]
(3, [0.2894, 0.2786, 0.2701])
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np
from chainrule.autograd.numbers import whole_number
from chainrule.nn.compiled import CompiledTraining, check_tape
from chainrule.nn.data import check_xy
from chainrule.nn.display import history_html
from chainrule.nn.inference import (
    Loss,
    Metric,
    class_labels,
    evaluate,
    measure,
    output_data,
    threshold_of,
    to_labels,
)
from chainrule.nn.losses import backward_loss
from chainrule.nn.metrics import METRICS
from chainrule.nn.module import Module
from chainrule.nn.optim import Optimizer
from chainrule.nn.progress import progress_bar


@dataclass
class History:
    """Per-epoch numbers from ``fit``: ``train`` and ``validation`` map a name to a list.

    ``stopped`` says why training ended: "completed", "early stopping", "callback" or
    "interrupted" (Ctrl-C).

    >>> h = History(); h.record("train", {"loss": 0.5, "accuracy": 0.75}); h.epochs = 1
    >>> h.to_dict()
    {'epochs': 1, 'train': {'loss': [0.5], 'accuracy': [0.75]}, 'validation': {}}
    """

    epochs: int = 0
    train: dict[str, list[float]] = field(default_factory=dict)
    validation: dict[str, list[float]] = field(default_factory=dict)
    stopped: str = "completed"

    def record(self, part: str, numbers: dict[str, float]) -> None:
        """Append one epoch's numbers to ``train`` or ``validation``."""
        for name, number in numbers.items():
            getattr(self, part).setdefault(name, []).append(float(number))

    def to_dict(self) -> dict:
        """Plain data for plots and JSON: epochs, train and validation lists by name."""
        return {"epochs": self.epochs, "train": {k: list(v) for k, v in self.train.items()},
                "validation": {k: list(v) for k, v in self.validation.items()}}

    def _repr_html_(self) -> str:
        """In a notebook: the loss curve and a table of the epochs (``history_html``)."""
        return history_html(self)


def train_step(model: Callable, rows: list[list[float]], targets: np.ndarray, loss: Loss,
               optimizer: Optimizer) -> tuple[float, list]:
    """One step of gradient descent on one batch; returns the loss and the outputs' data.

    >>> from chainrule.nn import Neuron, SGD, mse
    >>> n = Neuron(1, "linear"); n.load_state_dict({"w.0": 1.0, "b": 0.0})
    >>> train_step(n, [[2.0]], np.array([1.0]), mse, SGD(n.parameters(), lr=0.1))
    (1.0, [2.0])
    >>> n.w[0].data, n.b.data        # dL/dw = 2(2 - 1) * 2 = 4, dL/db = 2
    (0.6, -0.2)
    """
    rows = rows.tolist() if isinstance(rows, np.ndarray) else rows
    outputs = [model(row) for row in rows]
    value = loss(outputs, targets)
    backward_loss(value, optimizer.params)
    optimizer.step()
    return value.data, [output_data(out) for out in outputs]


class _Interrupt:
    """Turn Ctrl-C into a request that the loop honours after the current step.

    A second Ctrl-C stops at once. Outside the main thread signals cannot be caught, so
    Ctrl-C there ends training the usual way (KeyboardInterrupt).
    """

    def __init__(self) -> None:
        self.requested = False
        self._previous = None

    def __enter__(self) -> _Interrupt:
        if threading.current_thread() is threading.main_thread():
            self._previous = signal.signal(signal.SIGINT, self._handle)
        return self

    def _handle(self, signum: int, frame: object) -> None:
        if self.requested:
            raise KeyboardInterrupt
        self.requested = True

    def __exit__(self, *exc: object) -> None:
        if self._previous is not None:
            signal.signal(signal.SIGINT, self._previous)


def fit(model: Module, X: np.ndarray, y: np.ndarray, *, loss: Loss, optimizer: Optimizer,
        epochs: int, batch_size: int | None = None,
        validation: tuple[np.ndarray, np.ndarray] | None = None,
        metrics: Sequence[Metric] = ("accuracy",), progress: bool = True,
        seed: int | None = None, callbacks: Sequence[Callable[[History], bool | None]] = (),
        patience: int | None = None, compiled: bool = False) -> History:
    """Train ``model`` on (X, y) for ``epochs`` passes; return the per-epoch History.

    Each epoch shuffles the rows (seeded by ``seed``: the same seed, model and data give
    the same losses to the last digit), runs ``train_step`` on batches of ``batch_size``
    rows (None: the whole set, one step per epoch), then measures ``validation`` data.
    ``loss(outputs, targets)`` gets the batch's outputs (one Value, or list, per row).
    ``metrics`` compare the predicted class labels with y, so y must hold class indices
    0, 1, 2, ... (hinge's -1/+1 are read as classes 0/1); for regression pass metrics=().
    ``patience``: stop when the validation loss has not improved for that many epochs.
    Each callback gets the History after every epoch; returning True stops training.
    Ctrl-C stops cleanly after the current step and returns the history so far.
    ``progress``: a bar (``chainrule.nn.progress``): a widget in Jupyter, a redrawn line in
    a terminal, only the final line in a log or pipe; False shows nothing.
    ``compiled=True`` runs each batch on one traced tape of the model (``chainrule.nn.compiled``):
    the same numbers to rounding, each step a few times a hand-written NumPy step (README,
    Speed); the model's graph must not depend on the data (see ``chainrule.autograd.compiled``).

    >>> from chainrule.nn import MLP, SGD, make_xor, mse
    >>> X, y = make_xor()
    >>> model = MLP(2, [4, 1], output_activation="sigmoid", seed=0)
    >>> h = fit(model, X, y, loss=mse, optimizer=SGD(model.parameters(), lr=0.5),
    ...         epochs=2, validation=(X, y), progress=False)
    >>> sorted(h.to_dict()["validation"]), h.stopped
    (['accuracy', 'loss'], 'completed')
    """
    X, y = _check_fit(model, X, y, loss, optimizer, epochs, batch_size, validation, metrics,
                      patience)
    rng = np.random.default_rng(seed)
    # compiled: traced on two rows of the whole set, not of the first batch only
    training = CompiledTraining(model, optimizer, X) if compiled else None
    step = training.fit_step if compiled else train_step
    history, best, waited = History(), np.inf, 0
    checking = np.random.default_rng(0)  # the rows check_tape compares, apart from the shuffle
    bar = progress_bar(epochs, desc="fit", unit="epoch", enabled=progress)
    with _Interrupt() as interrupt, bar:
        for _ in range(epochs):
            if compiled:
                training = training.current(X)  # retraced if the model changed; its numbers
                step = training.fit_step
            try:
                result = _run_epoch(model, X, y, loss, optimizer, batch_size, rng, interrupt,
                                    step, in_row_order=compiled)
            finally:
                if compiled:  # the Values see the numbers after every epoch (and failure)
                    training.write()
            if result is None:
                history.stopped = "interrupted"
                break
            if compiled:
                check_tape(model, X, checking)
            _record_epoch(history, model, result, y, validation, loss, metrics, bar)
            if validation is not None and patience is not None:
                best, waited = (history.validation["loss"][-1], 0) if (
                    history.validation["loss"][-1] < best) else (best, waited + 1)
                if waited >= patience:
                    history.stopped = "early stopping"
            if any([callback(history) for callback in callbacks]):
                history.stopped = "callback"
            if interrupt.requested:
                history.stopped = "interrupted"
            if history.stopped != "completed":
                break
    return history


def _run_epoch(model, X, y, loss, optimizer, batch_size, rng, interrupt,
               step: Callable = train_step, in_row_order: bool = False
               ) -> tuple[float, list] | None:
    """Every batch once; the mean loss and all outputs, or None if stopped partway.

    ``in_row_order``: each batch's rows in the order of X (the batches still random).
    The compiled loss's tape is traced for one batch's targets in one order, so a full
    batch in row order meets the same targets every epoch and the loss runs on its tape
    from the second epoch on (a mean over the rows is the same in any order).
    """
    total, outputs, seen = 0.0, [None] * len(y), 0
    order = rng.permutation(len(y))
    size = len(y) if batch_size is None else batch_size
    for start in range(0, len(y), size):
        chunk = order[start:start + size]
        if in_row_order:
            chunk = np.sort(chunk)
        value, data = _finite_step(step, model, X[chunk], y[chunk], loss, optimizer)
        total += value * len(chunk)
        for i, out in zip(chunk, data, strict=True):
            outputs[i] = out  # back in row order, to compare with y
        seen += len(chunk)
        if interrupt.requested and seen < len(y):
            return None
    return total / len(y), outputs


def _finite_step(step: Callable, model, rows, targets, loss, optimizer) -> tuple[float, list]:
    """One step, or FloatingPointError naming it when a loss or gradient leaves the float range.

    The engine and the optimizers raise before any parameter moves, so the model is
    left as it was before this step.
    """
    try:
        return step(model, rows, targets, loss, optimizer)
    except OverflowError as error:
        hint = "" if "learning rate" in str(error) else (
            " Lower the learning rate or scale the inputs (standardize X).")
        raise FloatingPointError(
            f"fit stopped at step {optimizer.steps + 1}, leaving the parameters as they were "
            f"before it: the loss or a gradient is not finite. {error}{hint}") from error


def _record_epoch(history, model, result, y, validation, loss, metrics, bar) -> None:
    mean_loss, outputs = result
    history.record("train", {"loss": mean_loss, **measure(
        metrics, y, to_labels(outputs, threshold_of(model)))})
    if validation is not None:
        history.record("validation", evaluate(model, *validation, loss=loss, metrics=metrics))
    history.epochs += 1
    shown = {name: values[-1] for name, values in list(history.train.items())[:2]}
    shown.update({f"val_{name}": values[-1]
                  for name, values in list(history.validation.items())[:2]})
    bar.set_postfix({name: f"{number:.4g}" for name, number in shown.items()}, refresh=False)
    bar.update(1)


def _check_optimizer_owns(model: Module, optimizer: Optimizer) -> None:
    """Refuse an optimizer that updates none of the model's parameters (built on another
    model's): training would run, and the loss never move."""
    owned = set(model.parameters()) if hasattr(model, "parameters") else set()
    updated = getattr(optimizer, "params", None)
    if owned and updated is not None and not any(p in owned for p in updated):
        raise ValueError(
            f"the optimizer updates none of this model's {len(owned)} parameters: it was built "
            "on other Values (another model's?). Build it on this one: "
            "optimizer=SGD(model.parameters(), lr=0.1).")


def _check_fit(model, X, y, loss, optimizer, epochs, batch_size, validation, metrics,
               patience) -> tuple[np.ndarray, np.ndarray]:
    X, y = check_xy(X, y)
    n_inputs = getattr(model, "n_inputs", X.shape[1])
    if X.shape[1] != n_inputs:
        raise ValueError(f"the model takes {n_inputs} inputs, but X has {X.shape[1]} columns.")
    if not callable(loss) or not hasattr(optimizer, "step"):
        raise TypeError(f"fit needs a loss function and an optimizer (e.g. loss=mse, "
                        f"optimizer=SGD(model.parameters(), lr=0.1)), got {loss!r}, {optimizer!r}.")
    _check_optimizer_owns(model, optimizer)
    for name, n in (("epochs", epochs), ("batch_size", batch_size), ("patience", patience)):
        if n is not None or name == "epochs":
            whole_number(name, n)
    for metric in metrics:
        if not callable(metric) and metric not in METRICS:
            raise ValueError(f"unknown metric {metric!r}; choose from {sorted(METRICS)} or "
                             "pass a function f(y_true, y_pred) -> float.")
    class_labels(y, metrics)  # the metrics run after the first steps: check y now
    if validation is not None:
        if not isinstance(validation, (tuple, list)) or len(validation) != 2:
            raise ValueError("validation must be a pair (X_val, y_val).")
        X_val, y_val = check_xy(*validation)
        if X_val.shape[1] != n_inputs:  # else it fails after the first epoch changed the model
            raise ValueError(f"the model takes {n_inputs} inputs, but the validation X has "
                             f"{X_val.shape[1]} columns.")
        class_labels(y_val, metrics, "the validation y")
    elif patience is not None:
        raise ValueError("patience (early stopping) watches the validation loss: pass "
                         "validation=(X_val, y_val) too.")
    return X, y
