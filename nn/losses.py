"""Losses: one Value that says how wrong a batch of predictions is.

Each loss takes the model's outputs (a Value, or a list of them, one per example) and
the targets (numbers, a list or a numpy array), checks that they match, and returns the
mean over the batch as a single Value to call ``backward()`` on. The penalties take the
parameters and add ``alpha * size`` to discourage large weights.

>>> from chainrule.autograd import Value
>>> loss = mse([Value(0.5), Value(2.0)], [1.0, 2.0])   # ((0.5-1)² + 0²) / 2
>>> loss.data
0.125
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from chainrule.autograd import Value
from chainrule.autograd.numbers import as_real

Predictions = Value | Sequence[Value]
Targets = float | Sequence[float] | np.ndarray


def _pairs(predictions: Predictions, targets: Targets, loss: str) -> tuple[list, list[float]]:
    """Predictions and targets as two equally long lists (a lone Value is a batch of one)."""
    if isinstance(predictions, Value):
        predictions = [predictions]
    targets = np.atleast_1d(np.asarray(targets)).tolist() if not isinstance(
        targets, list) else targets
    if len(predictions) == 0:
        raise ValueError(f"{loss}: no predictions given; pass at least one.")
    if len(predictions) != len(targets):
        raise ValueError(f"{loss}: {len(predictions)} predictions but {len(targets)} targets; "
                         "give one target per prediction.")
    for p in predictions:
        if not isinstance(p, Value):
            raise TypeError(f"{loss}: predictions must be Values (the model's outputs), got "
                            f"{type(p).__name__} {p!r}.")
    return list(predictions), [_number(t, loss) for t in targets]


def _number(t: object, loss: str) -> float:
    return as_real(t, f"{loss}: each target")


def _mean(terms: list[Value]) -> Value:
    total = terms[0]
    for term in terms[1:]:
        total = total + term
    return total * (1.0 / len(terms))


def mse(predictions: Predictions, targets: Targets) -> Value:
    """Mean squared error: (1/n) sum_i (p_i - t_i)². Gradient per prediction: 2(p - t)/n.

    >>> from chainrule.autograd import Value
    >>> p = Value(3.0)
    >>> loss = mse(p, 1.0); loss.backward()
    >>> loss.data, p.grad                      # (3-1)² = 4, 2(3-1) = 4
    (4.0, 4.0)
    """
    predictions, targets = _pairs(predictions, targets, "mse")
    return _mean([(p - t) ** 2 for p, t in zip(predictions, targets, strict=True)])


def binary_cross_entropy(probabilities: Predictions, targets: Targets,
                         eps: float = 1e-12) -> Value:
    """-(1/n) sum_i [t log p + (1 - t) log(1 - p)], for probabilities p (sigmoid outputs).

    Targets are in [0, 1]. NOTE: log(0) is -inf, so p is clamped to [eps, 1 - eps]; where
    a clamp bites, the clamped value is a constant and passes no gradient (as PyTorch
    does). For raw scores use ``binary_cross_entropy_with_logits``, which never clamps.

    >>> from chainrule.autograd import Value
    >>> p = Value(0.8)
    >>> loss = binary_cross_entropy(p, 1.0); loss.backward()
    >>> round(loss.data, 4), round(p.grad, 4)   # -log 0.8 = 0.2231, -1/0.8 = -1.25
    (0.2231, -1.25)
    """
    predictions, targets = _pairs(probabilities, targets, "binary_cross_entropy")
    terms = []
    for p, t in zip(predictions, targets, strict=True):
        _check_unit(t, "binary_cross_entropy")
        if not 0.0 <= p.data <= 1.0:
            raise ValueError(f"binary_cross_entropy: predictions must be probabilities in "
                             f"[0, 1], got {p.data!r}; use a sigmoid output or "
                             "binary_cross_entropy_with_logits.")
        p = p if p.data >= eps else Value(eps)
        q = 1 - p
        q = q if q.data >= eps else Value(eps)
        terms.append(-(t * p.log() + (1.0 - t) * q.log()))
    return _mean(terms)


def _check_unit(t: float, loss: str) -> None:
    if not 0.0 <= t <= 1.0:
        raise ValueError(f"{loss}: targets must be in [0, 1] (class 0 or 1), got {t!r}.")


def binary_cross_entropy_with_logits(logits: Predictions, targets: Targets) -> Value:
    """Binary cross-entropy of sigmoid(z), computed stably from the logit z itself.

    Uses max(z, 0) - z t + log(1 + exp(-|z|)), which equals -[t log s + (1-t) log(1-s)]
    with s = sigmoid(z) but never overflows or takes log(0). Gradient: s - t. (Written
    per sign of z, each branch smooth, so even at z = 0 the gradient is exactly s - t.)

    >>> from chainrule.autograd import Value
    >>> z = Value(0.0)
    >>> loss = binary_cross_entropy_with_logits(z, 1.0); loss.backward()
    >>> round(loss.data, 4), z.grad           # log 2 = 0.6931, s - t = 0.5 - 1
    (0.6931, -0.5)
    >>> round(binary_cross_entropy_with_logits(Value(-1000.0), 1.0).data, 1)
    1000.0
    """
    predictions, targets = _pairs(logits, targets, "binary_cross_entropy_with_logits")
    terms = []
    for z, t in zip(predictions, targets, strict=True):
        _check_unit(t, "binary_cross_entropy_with_logits")
        if z.data >= 0.0:
            terms.append(z - z * t + (1.0 + (-z).exp()).log())
        else:
            terms.append((1.0 + z.exp()).log() - z * t)
    return _mean(terms)


def hinge(scores: Predictions, targets: Targets) -> Value:
    """Max-margin loss (micrograd's): (1/n) sum_i max(0, 1 - y_i s_i), labels y in {-1, +1}.

    Class labels 0/1 are read as -1/+1 (micrograd's y*2 - 1), and ``fit``'s metrics read
    -1/+1 as classes 0/1, so either labelling trains and scores the same. A score on the
    right side by a margin of 1 costs nothing. Gradient per score: -y/n inside the margin.

    >>> from chainrule.autograd import Value
    >>> s = Value(0.25)
    >>> loss = hinge(s, 1); loss.backward()
    >>> loss.data, s.grad                     # 1 - 0.25 = 0.75, -y = -1
    (0.75, -1.0)
    >>> hinge([Value(-2.0)], [0]).data        # label 0 -> -1: -(-1)(-2) < -1, no loss
    0.0
    """
    predictions, targets = _pairs(scores, targets, "hinge")
    terms = []
    for s, y in zip(predictions, targets, strict=True):
        if y not in (-1.0, 0.0, 1.0):
            raise ValueError(f"hinge: labels must be -1 or +1 (or class 0 or 1), got {y!r}.")
        terms.append((1.0 - (1.0 if y == 1.0 else -1.0) * s).relu())
    return _mean(terms)


def softmax_cross_entropy(logits: Sequence[Value] | Sequence[Sequence[Value]],
                          target: int | Sequence[int] | np.ndarray) -> Value:
    """-log softmax(z)[target] for one example's class scores z, or the mean over a batch.

    Computed as log sum_k exp(z_k - m) + m - z_target with m = max z (a constant), so
    exp never overflows (log-sum-exp). Gradient: softmax(z) - onehot(target).

    >>> from chainrule.autograd import Value
    >>> z = [Value(0.0), Value(0.0)]
    >>> loss = softmax_cross_entropy(z, 1); loss.backward()
    >>> round(loss.data, 4), [g.grad for g in z]     # log 2; (0.5, 0.5) - (0, 1)
    (0.6931, [0.5, -0.5])
    >>> round(softmax_cross_entropy([[Value(1000.0), Value(0.0)]], [0]).data, 4)
    0.0
    """
    if isinstance(logits, Value) or (
            logits and isinstance(logits[0], Value) and np.ndim(target) == 1):
        # one Value per example (not a list of scores): a model with one output
        raise TypeError(
            "softmax_cross_entropy needs one score per class for each example, but got one "
            "Value per example: the model has one output. Give its last layer one output "
            "per class (e.g. MLP(2, [16, 3]) for 3 classes), or for two classes keep one "
            "output and use binary_cross_entropy_with_logits.")
    if logits and isinstance(logits[0], Value):
        logits, target = [logits], [target]
    rows = list(logits)
    targets = np.atleast_1d(np.asarray(target)).tolist()
    if not rows or len(rows) != len(targets):
        raise ValueError(f"softmax_cross_entropy: {len(rows)} rows of logits but "
                         f"{len(targets)} targets; give one class index per row.")
    return _mean([_one_softmax_cross_entropy(z, k) for z, k in zip(rows, targets, strict=True)])


def _one_softmax_cross_entropy(z: Sequence[Value], k: object) -> Value:
    if isinstance(z, Value) or not all(isinstance(v, Value) for v in z) or len(z) < 2:
        raise TypeError(f"softmax_cross_entropy: each row must be a list of at least 2 "
                        f"Values (one score per class), got {z!r}.")
    if isinstance(k, bool) or not isinstance(k, (int, np.integer)) or not 0 <= k < len(z):
        raise ValueError(f"softmax_cross_entropy: target must be a class index in "
                         f"0..{len(z) - 1}, got {k!r}.")
    m = max(v.data for v in z)
    total = (z[0] - m).exp()
    for v in z[1:]:
        total = total + (v - m).exp()
    return total.log() + m - z[k]


def backward_loss(loss: object, parameters: Sequence[Value]) -> None:
    """Backpropagate a batch's loss into fresh gradients: the heart of a training step.

    Checks that ``loss`` is a Value (a loss function must return one), sets every
    parameter's gradient to 0 (leaves accumulate across ``backward()`` calls, and the
    last batch's gradients must not leak into this one), then calls ``loss.backward()``.

    >>> w = Value(3.0); w.grad = 5.0                 # left over from the last batch
    >>> backward_loss(mse(w, 1.0), [w]); w.grad      # 2(3 - 1) = 4, not 5 + 4
    4.0
    >>> backward_loss(0.5, [w])
    Traceback (most recent call last):
    ...
    TypeError: the loss must return a Value, got float 0.5.
    """
    if not isinstance(loss, Value):
        raise TypeError(f"the loss must return a Value, got {type(loss).__name__} {loss!r}.")
    for parameter in parameters:
        parameter.grad = 0.0
    loss.backward()


def _parameter_list(parameters: Sequence[Value], alpha: float, name: str) -> list[Value]:
    if as_real(alpha, f"{name}: alpha") < 0:
        raise ValueError(f"{name}: alpha must be a number >= 0, got {alpha!r}.")
    parameters = list(parameters)
    if not parameters or not all(isinstance(p, Value) for p in parameters):
        raise TypeError(f"{name}: needs a non-empty list of Values (model.parameters()).")
    return parameters


def l1_penalty(parameters: Sequence[Value], alpha: float) -> Value:
    """alpha * sum |w|: pushes weights to exactly 0. Gradient: alpha * sign(w).

    >>> from chainrule.autograd import Value
    >>> w = [Value(2.0), Value(-3.0)]
    >>> penalty = l1_penalty(w, 0.1); penalty.backward()
    >>> round(penalty.data, 4), [p.grad for p in w]   # 0.1 * 5
    (0.5, [0.1, -0.1])
    """
    parameters = _parameter_list(parameters, alpha, "l1_penalty")
    total = abs(parameters[0])
    for p in parameters[1:]:
        total = total + abs(p)
    return alpha * total


def l2_penalty(parameters: Sequence[Value], alpha: float) -> Value:
    """alpha * sum w² (micrograd's 1e-4 regulariser): shrinks weights. Gradient: 2 alpha w.

    >>> from chainrule.autograd import Value
    >>> w = [Value(2.0), Value(-3.0)]
    >>> penalty = l2_penalty(w, 0.1); penalty.backward()
    >>> round(penalty.data, 4), [round(p.grad, 4) for p in w]   # 0.1 * 13
    (1.3, [0.4, -0.6])
    """
    parameters = _parameter_list(parameters, alpha, "l2_penalty")
    total = parameters[0] * parameters[0]
    for p in parameters[1:]:
        total = total + p * p
    return alpha * total
