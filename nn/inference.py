"""Using a trained model: its outputs as numbers, class labels, and loss and metrics on data.

Nothing here records a graph or changes a parameter (everything runs under ``no_grad``).

>>> from nn import Neuron
>>> n = Neuron(1, "linear"); n.load_state_dict({"w.0": 1.0, "b": -0.5})
>>> to_labels(predict(n, np.array([[0.0], [1.0]]))).tolist()     # scores -0.5, 0.5
[0, 1]
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

from autograd import Value, no_grad
from nn.data import check_xy
from nn.metrics import METRICS

Loss = Callable[[list, np.ndarray], Value]
Metric = str | Callable[[np.ndarray, np.ndarray], float]


def output_data(out: Value | list[Value]) -> float | list[float]:
    return out.data if isinstance(out, Value) else [v.data for v in out]


def predict(model: Callable, X: np.ndarray) -> list:
    """The model's outputs for every row of X as numbers (no graph is recorded).

    >>> from nn import Neuron
    >>> n = Neuron(1, "linear"); n.load_state_dict({"w.0": 2.0, "b": 1.0})
    >>> predict(n, np.array([[0.0], [1.0]]))
    [1.0, 3.0]
    """
    with no_grad():
        return [output_data(model(row)) for row in np.asarray(X, dtype=float).tolist()]


def to_labels(outputs: list, threshold: float = 0.0) -> np.ndarray:
    """Class labels from outputs: argmax of a list of scores, or 1 if above ``threshold``.

    Use threshold 0.5 for probabilities (sigmoid outputs), 0 for scores and logits.

    >>> to_labels([0.3, -1.2]).tolist(), to_labels([[0.1, 2.0, 0.3]]).tolist()
    ([1, 0], [1])
    """
    if outputs and isinstance(outputs[0], list):
        return np.argmax(np.array(outputs), axis=1)
    return (np.array(outputs) > threshold).astype(int)


def threshold_of(model: object) -> float:
    last = getattr(model, "output_activation", getattr(model, "activation", "linear"))
    return 0.5 if last == "sigmoid" else 0.0


def measure(metrics: Sequence[Metric], y: np.ndarray, labels: np.ndarray) -> dict[str, float]:
    multi = max(int(y.max()), int(labels.max())) > 1
    numbers = {}
    for metric in metrics:
        if callable(metric):
            numbers[metric.__name__] = metric(y, labels)
        elif metric == "accuracy":
            numbers[metric] = METRICS[metric](y, labels)
        else:  # precision/recall/f1: of class 1 for two classes, else the macro mean
            numbers[metric] = METRICS[metric](y, labels, "macro" if multi else "binary")
    return numbers


def evaluate(model: Callable, X: np.ndarray, y: np.ndarray, *, loss: Loss,
             metrics: Sequence[Metric] = ("accuracy",)) -> dict[str, float]:
    """Loss and metrics on data, without recording a graph or changing the model.

    >>> from nn import Neuron, mse
    >>> n = Neuron(1, "linear"); n.load_state_dict({"w.0": 1.0, "b": 0.0})
    >>> evaluate(n, np.array([[2.0], [-1.0]]), np.array([1, 0]), loss=mse)
    {'loss': 1.0, 'accuracy': 1.0}
    """
    X, y = check_xy(X, y)
    rows = X.tolist()
    with no_grad():
        outputs = [model(row) for row in rows]
        value = loss(outputs, y).data
    data = [output_data(out) for out in outputs]
    return {"loss": value, **measure(metrics, y, to_labels(data, threshold_of(model)))}
