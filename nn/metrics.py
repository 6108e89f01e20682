"""Classification metrics from true and predicted class labels (integers 0, 1, ...).

All of them read the confusion matrix C, where C[i, j] counts examples of true class i
predicted as class j. For a class c: TP = C[c, c], FP = column c minus TP, FN = row c
minus TP. A ratio with nothing to count (0 / 0) is reported as 0.

>>> confusion_matrix([0, 1, 1, 0], [0, 1, 0, 0]).tolist()
[[2, 0], [1, 1]]
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

Labels = Sequence[int] | np.ndarray


def _labels(y_true: Labels, y_pred: Labels, n_classes: int | None) -> tuple[np.ndarray,
                                                                            np.ndarray, int]:
    y_true, y_pred = np.asarray(y_true), np.asarray(y_pred)
    if y_true.ndim != 1 or y_pred.ndim != 1 or len(y_true) != len(y_pred):
        raise ValueError(f"y_true and y_pred must be 1-d and equally long, got shapes "
                         f"{y_true.shape} and {y_pred.shape}.")
    if len(y_true) == 0:
        raise ValueError("no labels given; metrics need at least one example.")
    for name, y in (("y_true", y_true), ("y_pred", y_pred)):
        if not np.issubdtype(y.dtype, np.integer) and not np.all(np.mod(y, 1) == 0):
            raise ValueError(f"{name} must hold class indices 0, 1, ..., got {y[:5]!r}...")
    y_true, y_pred = y_true.astype(int), y_pred.astype(int)
    if n_classes is None:
        n_classes = max(2, int(max(y_true.max(), y_pred.max())) + 1)
    for name, y in (("y_true", y_true), ("y_pred", y_pred)):
        bad = y[(y < 0) | (y >= n_classes)]
        if len(bad):
            raise ValueError(f"{name} holds label {int(bad[0])}, outside the classes "
                             f"0..{n_classes - 1}; labels must be class indices.")
    return y_true, y_pred, n_classes


def confusion_matrix(y_true: Labels, y_pred: Labels, n_classes: int | None = None) -> np.ndarray:
    """Counts C[true, predicted]: the diagonal is right, everything else a mistake.

    >>> confusion_matrix([0, 1, 2, 2], [0, 2, 2, 1], n_classes=3).tolist()
    [[1, 0, 0], [0, 0, 1], [0, 1, 1]]
    """
    y_true, y_pred, n_classes = _labels(y_true, y_pred, n_classes)
    matrix = np.zeros((n_classes, n_classes), dtype=int)
    np.add.at(matrix, (y_true, y_pred), 1)
    return matrix


def accuracy(y_true: Labels, y_pred: Labels) -> float:
    """The fraction predicted right: trace(C) / n.

    >>> accuracy([0, 1, 1, 0], [0, 1, 0, 0])
    0.75
    """
    y_true, y_pred, _ = _labels(y_true, y_pred, None)
    return float(np.mean(y_true == y_pred))


def _per_class(y_true: Labels, y_pred: Labels, average: str, positive: int,
               ratio: str) -> float:
    matrix = confusion_matrix(y_true, y_pred)
    tp = np.diag(matrix).astype(float)
    predicted, actual = matrix.sum(axis=0), matrix.sum(axis=1)
    precision = np.divide(tp, predicted, out=np.zeros_like(tp), where=predicted > 0)
    recall = np.divide(tp, actual, out=np.zeros_like(tp), where=actual > 0)
    both = precision + recall
    f1 = np.divide(2 * precision * recall, both, out=np.zeros_like(tp), where=both > 0)
    scores = {"precision": precision, "recall": recall, "f1": f1}[ratio]
    if average == "macro":
        return float(scores.mean())
    if average != "binary":
        raise ValueError(f"average must be 'binary' or 'macro', got {average!r}.")
    if len(matrix) > 2 or positive not in (0, 1):
        raise ValueError(f"average='binary' needs labels 0/1 and positive 0 or 1 (got "
                         f"{len(matrix)} classes, positive={positive!r}); use average='macro'.")
    return float(scores[positive])


def precision(y_true: Labels, y_pred: Labels, average: str = "binary",
              positive: int = 1) -> float:
    """Of the examples predicted positive, the fraction that are: TP / (TP + FP).

    ``average="macro"``: the plain mean of every class's precision.

    >>> precision([0, 1, 1, 0], [1, 1, 0, 0])        # TP = 1, FP = 1
    0.5
    """
    return _per_class(y_true, y_pred, average, positive, "precision")


def recall(y_true: Labels, y_pred: Labels, average: str = "binary", positive: int = 1) -> float:
    """Of the truly positive examples, the fraction found: TP / (TP + FN).

    >>> recall([0, 1, 1, 1], [0, 1, 0, 1])           # TP = 2, FN = 1
    0.6666666666666666
    """
    return _per_class(y_true, y_pred, average, positive, "recall")


def f1_score(y_true: Labels, y_pred: Labels, average: str = "binary",
             positive: int = 1) -> float:
    """The harmonic mean of precision P and recall R: 2PR / (P + R).

    >>> round(f1_score([0, 1, 1, 1], [0, 1, 0, 1]), 4)   # P = 1, R = 2/3: 2(2/3)/(5/3)
    0.8
    >>> round(f1_score([0, 1, 2], [0, 2, 2], average="macro"), 4)   # (1 + 0 + 2/3) / 3
    0.5556
    """
    return _per_class(y_true, y_pred, average, positive, "f1")


METRICS = {"accuracy": accuracy, "precision": precision, "recall": recall, "f1": f1_score}
"""The metrics ``fit`` knows by name."""
