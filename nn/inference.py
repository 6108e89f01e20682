"""Using a trained model: its outputs as numbers, class labels, and loss and metrics on data.

Nothing here records a graph or changes a parameter (everything runs under ``no_grad``).

>>> from chainrule.nn import Neuron
>>> n = Neuron(1, "linear"); n.load_state_dict({"w.0": 1.0, "b": -0.5})
>>> to_labels(predict(n, np.array([[0.0], [1.0]]))).tolist()     # scores -0.5, 0.5
[0, 1]
"""

from __future__ import annotations

import numbers
from collections.abc import Callable, Sequence

import numpy as np
from chainrule.autograd import Value, no_grad
from chainrule.nn.data import check_xy
from chainrule.nn.metrics import METRICS

Loss = Callable[[list, np.ndarray], Value]
Metric = str | Callable[[np.ndarray, np.ndarray], float]


def output_data(out: Value | list[Value]) -> float | list[float]:
    """The numbers in one output of a model: the ``.data`` of a Value, or of each in a list.

    >>> output_data(Value(0.5)), output_data([Value(1.0), Value(-2.0)])
    (0.5, [1.0, -2.0])
    """
    return out.data if isinstance(out, Value) else [v.data for v in out]


def predict(model: Callable, X: np.ndarray) -> list:
    """The model's outputs for every row of X as numbers (no graph is recorded).

    >>> from chainrule.nn import Neuron
    >>> n = Neuron(1, "linear"); n.load_state_dict({"w.0": 2.0, "b": 1.0})
    >>> predict(n, np.array([[0.0], [1.0]]))
    [1.0, 3.0]
    """
    with no_grad():
        return [output_data(model(row)) for row in np.asarray(X, dtype=float).tolist()]


def decision_function(model: Callable, *, classes: bool = False
                      ) -> Callable[[list[float]], float]:
    """One point -> one number, for ``chainrule.viz.plot_decision_boundary`` (no graph is recorded).

    A one-output model gives its score (the boundary is where it crosses the threshold,
    so give the plot labels on either side of it, e.g. -1/+1 around 0); a multi-output
    model gives the index of its highest score, its class. ``classes=True`` makes a
    one-output model give its class too (1 above its threshold: 0.5 after a sigmoid,
    else 0), for class labels 0/1.

    >>> from chainrule.nn import Layer, Neuron
    >>> n = Neuron(1, "linear"); n.load_state_dict({"w.0": 2.0, "b": 1.0})
    >>> decision_function(n)([0.5])                  # 2 * 0.5 + 1
    2.0
    >>> layer = Layer(1, 3, "linear")
    >>> layer.load_state_dict({f"neurons.{j}.{name}": v for j, (w, b) in
    ...     enumerate([(1.0, 0.0), (-1.0, 0.0), (0.0, 0.5)]) for name, v in (("w.0", w), ("b", b))})
    >>> [decision_function(layer)([x]) for x in (2.0, -2.0, 0.1)]   # scores x, -x, 0.5
    [0.0, 1.0, 2.0]
    >>> [decision_function(n, classes=True)([x]) for x in (0.5, -1.0)]   # scores 2, -1
    [1.0, 0.0]
    """
    threshold = threshold_of(model)

    def decide(point: list[float]) -> float:
        (out,) = predict(model, [point])
        if isinstance(out, list) or classes:
            return float(to_labels([out], threshold)[0])
        return float(out)
    return decide


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
    """Where a one-output model's class 1 starts: 0.5 after a sigmoid, else 0.

    >>> from chainrule.nn import MLP
    >>> threshold_of(MLP(2, [3, 1], output_activation="sigmoid")), threshold_of(MLP(2, [3, 1]))
    (0.5, 0.0)
    """
    last = getattr(model, "output_activation", getattr(model, "activation", "linear"))
    return 0.5 if last == "sigmoid" else 0.0


def class_labels(y: np.ndarray, metrics: Sequence[Metric], where: str = "y") -> np.ndarray:
    """The targets as the class indices 0, 1, 2, ... that the metrics compare labels with.

    Hinge's labels -1/+1 are read as classes 0/1 (as ``hinge`` reads 0/1 as -1/+1).
    Named metrics need class indices; anything else (regression targets, say) is a
    ValueError that says what to pass instead. ``fit`` calls this before training.

    >>> class_labels(np.array([-1, 1, 1]), ("accuracy",)).tolist()
    [0, 1, 1]
    >>> class_labels(np.array([0.5, 2.0]), ("accuracy",))   # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    ValueError: metrics ['accuracy'] compare class labels 0, 1, 2, ..., but y holds 0.5 ...
    """
    y = np.asarray(y)
    if y.dtype.kind == "O":  # a list holding None or text, say
        try:
            y = y.astype(float)
        except (TypeError, ValueError):
            pass
    numeric = y.dtype.kind in "biuf"
    if numeric and np.isin(y, (-1, 0, 1)).all() and (y == -1).any():
        return (y == 1).astype(int)  # -1/+1 (hinge's labels): classes 0/1
    named = [m for m in metrics if not callable(m)]
    if not named:
        return y  # custom metrics see y as given; no metrics: nothing to check
    if numeric:
        with np.errstate(invalid="ignore"):
            wrong = ~np.isfinite(y) | (y < 0) | (np.mod(y, 1) != 0)
    else:
        wrong = np.array([not isinstance(v, numbers.Real) for v in y.tolist()])
    if wrong.any():
        raise ValueError(
            f"metrics {named} compare class labels 0, 1, 2, ..., but {where} holds "
            f"{y[wrong][:1].tolist()[0]!r} (a class label is a whole number >= 0). For regression "
            "targets pass metrics=(); number other labels 0, 1, 2, ... with "
            "np.unique(y, return_inverse=True)[1]; -1/+1 labels work as they are.")
    return y.astype(int)


def measure(metrics: Sequence[Metric], y: np.ndarray, labels: np.ndarray) -> dict[str, float]:
    """Each metric of the predicted ``labels`` against the targets ``y``, by name.

    Precision, recall and F1 are of class 1 for two classes, else the mean over classes
    (``average="macro"``). A function metric is named by its ``__name__``.

    >>> numbers = measure(("accuracy", "f1"), np.array([0, 1, 1, 0]), np.array([0, 1, 0, 0]))
    >>> {name: round(x, 4) for name, x in numbers.items()}   # P = 1, R = 1/2: F1 = 2/3
    {'accuracy': 0.75, 'f1': 0.6667}
    """
    y = class_labels(y, metrics)
    numbers = {}
    for metric in metrics:
        if callable(metric):
            numbers[metric.__name__] = metric(y, labels)
        elif metric == "accuracy":
            numbers[metric] = METRICS[metric](y, labels)
        else:
            multi = max(int(y.max()), int(labels.max())) > 1
            numbers[metric] = METRICS[metric](y, labels, "macro" if multi else "binary")
    return numbers


def evaluate(model: Callable, X: np.ndarray, y: np.ndarray, *, loss: Loss,
             metrics: Sequence[Metric] = ("accuracy",)) -> dict[str, float]:
    """Loss and metrics on data, without recording a graph or changing the model.

    >>> from chainrule.nn import Neuron, mse
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
