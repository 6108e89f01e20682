"""fit's argument checks: every bad argument refused, with what to do, before training starts.

>>> from chainrule.nn import MLP, SGD, mse
>>> model = MLP(2, [1], seed=0)
>>> X, y = _check_fit(model, [[0.0, 1.0]], [1.0], mse, SGD(model.parameters(), lr=0.1),
...                   1, None, None, (), None)
>>> X.shape, y.shape
((1, 2), (1,))
"""

from __future__ import annotations

import numpy as np
from chainrule.autograd.numbers import whole_number
from chainrule.nn.data import check_xy
from chainrule.nn.inference import class_labels
from chainrule.nn.metrics import METRICS
from chainrule.nn.module import Module
from chainrule.nn.optim import Optimizer


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
