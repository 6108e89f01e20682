"""Optimizers: turn each parameter's gradient into a small change of its ``.data``.

``step()`` reads ``p.grad`` (filled by ``backward()``) and moves ``p.data`` downhill,
under ``no_grad()`` so no graph is recorded; ``zero_grad()`` clears the gradients for
the next batch. The learning rate is a number or a schedule: a function of the step
number k = 0, 1, 2, ... (see ``linear_decay`` and ``step_decay``).

>>> from chainrule.autograd import Value
>>> w = Value(1.0)
>>> opt = SGD([w], lr=0.1)
>>> (w * w).backward()          # d(w²)/dw = 2
>>> opt.step(); w.data          # 1 - 0.1 * 2
0.8
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence

import numpy as np
from chainrule.autograd import Value, no_grad
from chainrule.autograd.numbers import as_real

# linear_decay, step_decay: re-exported, the schedules' first home
from chainrule.nn.schedules import Schedule, _positive, linear_decay, step_decay  # noqa: F401


def _checked_rate(name: str, x: object, high: float = math.inf) -> float:
    """``x`` as a finite float in [0, high), or the standard TypeError/ValueError."""
    x = as_real(x, name)
    if not 0.0 <= x < high:
        raise ValueError(f"{name} must be a number in [0, {high}), got {x!r}.")
    return x


class Optimizer:
    """What SGD and Adam share: the parameter list, the learning rate, ``zero_grad``.

    >>> Optimizer([], lr=0.1)
    Traceback (most recent call last):
    ...
    ValueError: Optimizer got no parameters; pass model.parameters().
    """

    def __init__(self, params: Iterable[Value], lr: float | Schedule,
                 weight_decay: float = 0.0) -> None:
        params = list(params)
        name = type(self).__name__
        if not params:
            raise ValueError(f"{name} got no parameters; pass model.parameters().")
        for p in params:
            if not isinstance(p, Value):
                raise TypeError(f"{name} needs Values to update, got {type(p).__name__} "
                                f"{p!r}; pass model.parameters().")
        if not callable(lr):
            lr = as_real(lr, f"{name} lr")
            if not lr > 0:
                raise ValueError(f"{name}: lr must be a number > 0 (or a schedule k -> lr), "
                                 f"got {lr!r}; try 0.01.")
        weight_decay = _checked_rate(f"{name} weight_decay", weight_decay)
        self.params: list[Value] = params
        self.lr = lr
        self.weight_decay = weight_decay
        self.steps = 0  # how many step() calls so far: the k a schedule receives
        self._pending = None  # update(): the new state, kept once the step is known finite

    def rate(self) -> float:
        """The learning rate the next ``step()`` uses.

        >>> Optimizer([Value(0.0)], lr=lambda k: 1.0 / (k + 1)).rate()
        1.0
        """
        if not callable(self.lr):
            return self.lr
        lr = as_real(self.lr(self.steps), f"the schedule's lr at step {self.steps}")
        if not lr > 0:
            raise ValueError(f"the schedule gave lr={lr!r} at step {self.steps}; it must "
                             "return a number > 0.")
        return lr

    def gradients(self) -> list[float]:
        """Each parameter's gradient as a float, plus weight_decay * w (an L2 pull to 0)."""
        grads = [p.grad.data if isinstance(p.grad, Value) else p.grad for p in self.params]
        for i, (p, g) in enumerate(zip(self.params, grads, strict=True)):
            if not isinstance(g, float) or not math.isfinite(g):
                as_real(g, f"the gradient of {p.label or f'parameter {i}'}")
        if self.weight_decay:
            decay = self.weight_decay
            grads = [g + decay * p.data for g, p in zip(grads, self.params, strict=True)]
        return grads

    def _move(self, new_data: list[float], lr: float) -> None:
        """Set every parameter's ``.data``, after checking all are finite: all or nothing."""
        for i, (p, x) in enumerate(zip(self.params, new_data, strict=True)):
            if not math.isfinite(x):
                self._refuse(i, p.data, x, lr)
        with no_grad():
            for p, x in zip(self.params, new_data, strict=True):
                p.data = x

    def update(self, data: np.ndarray, grads: np.ndarray) -> np.ndarray:
        """``step()`` on arrays: the parameters' new numbers from their numbers and gradients
        (in ``params``' order), with the same arithmetic, checks and state (momentum,
        moments, the step count). The Values are not touched: a compiled fit keeps the
        parameters in one array and writes them back (``chainrule.nn.compiled.CompiledTraining``).

        >>> w = Value(1.0); opt = SGD([w], lr=0.1)
        >>> opt.update(np.array([1.0]), np.array([2.0])).tolist(), w.data, opt.steps
        ([0.8], 1.0, 1)
        """
        lr = self.rate()
        if not np.isfinite(grads).all():
            i = int(np.flatnonzero(~np.isfinite(grads))[0])
            as_real(float(grads[i]), f"the gradient of {self.params[i].label or f'parameter {i}'}")
        if self.weight_decay:
            grads = grads + self.weight_decay * data
        with np.errstate(over="ignore", invalid="ignore"):  # checked below, with names
            new_data = self._new_data(data, grads, lr)
        if not np.isfinite(new_data).all():
            i = int(np.flatnonzero(~np.isfinite(new_data))[0])
            self._refuse(i, float(data[i]), float(new_data[i]), lr)
        self._keep()
        self.steps += 1
        return new_data

    def _new_data(self, data: np.ndarray, grads: np.ndarray, lr: float) -> np.ndarray:
        raise NotImplementedError  # each optimizer's step on arrays

    def _keep(self) -> None:
        """Keep the state ``_new_data`` computed, once the new numbers are known to be finite."""

    def _refuse(self, i: int, old: float, new: float, lr: float) -> None:
        name = self.params[i].label or f"parameter {i}"
        raise OverflowError(
            f"{type(self).__name__}: the step would move {name} from {old!r} to {new!r} "
            f"(lr={lr!r}); no parameter was changed. Lower the learning rate or scale the "
            "inputs down (standardize them).")

    def zero_grad(self) -> None:
        """Set every parameter's gradient to 0."""
        for p in self.params:
            p.grad = 0.0

    def step(self) -> None:
        """Update every parameter once (defined by each optimizer)."""
        raise NotImplementedError


class SGD(Optimizer):
    """Stochastic gradient descent, with optional momentum (PyTorch's form).

    v <- momentum * v + g;  w <- w - lr * v   (g includes weight_decay * w).

    >>> from chainrule.autograd import Value
    >>> w = Value(1.0); opt = SGD([w], lr=0.1, momentum=0.9)
    >>> w.grad = 2.0; opt.step(); round(w.data, 6)   # v = 2,   w = 1 - 0.2
    0.8
    >>> w.grad = 2.0; opt.step(); round(w.data, 6)   # v = 3.8, w = 0.8 - 0.38
    0.42
    """

    def __init__(self, params: Iterable[Value], lr: float | Schedule, momentum: float = 0.0,
                 weight_decay: float = 0.0) -> None:
        super().__init__(params, lr, weight_decay)
        self.momentum = _checked_rate("SGD momentum", momentum, high=1.0)
        self.velocity = [0.0] * len(self.params)

    def step(self) -> None:
        lr, grads = self.rate(), self.gradients()
        velocity = [self.momentum * v + g for v, g in zip(self.velocity, grads, strict=True)
                    ] if self.momentum else grads
        self._move([p.data - lr * v for p, v in zip(self.params, velocity, strict=True)], lr)
        if self.momentum:
            self.velocity = velocity
        self.steps += 1

    def _new_data(self, data: np.ndarray, grads: np.ndarray, lr: float) -> np.ndarray:
        velocity = self.momentum * np.array(self.velocity) + grads if self.momentum else grads
        self._pending = velocity
        return data - lr * velocity

    def _keep(self) -> None:
        if self.momentum:
            self.velocity = self._pending.tolist()


class Adam(Optimizer):
    """Adam (Kingma & Ba, 2015): per-parameter steps from running moments of the gradient.

    m <- b1 m + (1 - b1) g;   v <- b2 v + (1 - b2) g²;   (t = the step number, from 1)
    w <- w - lr * m_hat / (sqrt(v_hat) + eps),  m_hat = m / (1 - b1^t), v_hat = v / (1 - b2^t).
    The first step moves every parameter by about lr, whatever the gradient's size.

    >>> from chainrule.autograd import Value
    >>> w = Value(1.0); opt = Adam([w], lr=0.1)
    >>> w.grad = 4.0; opt.step(); round(w.data, 6)    # m_hat = 4, v_hat = 16: 1 - 0.1
    0.9
    """

    def __init__(self, params: Iterable[Value], lr: float | Schedule = 1e-3,
                 betas: Sequence[float] = (0.9, 0.999), eps: float = 1e-8,
                 weight_decay: float = 0.0) -> None:
        super().__init__(params, lr, weight_decay)
        betas = tuple(betas) if isinstance(betas, Iterable) else (betas,)
        if len(betas) != 2:
            raise ValueError(f"Adam betas must be two numbers (b1, b2), got {betas!r}.")
        self.betas = (_checked_rate("Adam betas[0]", betas[0], high=1.0),
                      _checked_rate("Adam betas[1]", betas[1], high=1.0))
        # NOTE: a parameter whose gradient has always been 0 has m = v = 0, so with
        # eps = 0 its update would be 0 / 0 = NaN, halfway through a step.
        self.eps = _positive("Adam eps", eps)
        self.m = [0.0] * len(self.params)
        self.v = [0.0] * len(self.params)

    def step(self) -> None:
        lr, grads = self.rate(), self.gradients()
        b1, b2 = self.betas
        t = self.steps + 1
        correction1, correction2 = 1.0 - b1 ** t, 1.0 - b2 ** t
        m = [b1 * m + (1.0 - b1) * g for m, g in zip(self.m, grads, strict=True)]
        v = [b2 * v + (1.0 - b2) * g * g for v, g in zip(self.v, grads, strict=True)]
        if not all(map(math.isfinite, v)):  # g² overflowed: every later step would be 0
            raise OverflowError(f"Adam: a gradient's square left the float range (max |g| = "
                                f"{max(map(abs, grads)):.3g}); no parameter was changed. "
                                "Scale the inputs down (standardize them).")
        self._move([p.data - lr * (mi / correction1) / (math.sqrt(vi / correction2) + self.eps)
                    for p, mi, vi in zip(self.params, m, v, strict=True)], lr)
        self.m, self.v = m, v
        self.steps += 1

    def _new_data(self, data: np.ndarray, grads: np.ndarray, lr: float) -> np.ndarray:
        b1, b2 = self.betas
        t = self.steps + 1
        correction1, correction2 = 1.0 - b1 ** t, 1.0 - b2 ** t
        m = b1 * np.array(self.m) + (1.0 - b1) * grads
        with np.errstate(over="ignore"):
            v = b2 * np.array(self.v) + (1.0 - b2) * grads * grads
        if not np.isfinite(v).all():
            raise OverflowError(f"Adam: a gradient's square left the float range (max |g| = "
                                f"{np.abs(grads).max():.3g}); no parameter was changed. "
                                "Scale the inputs down (standardize them).")
        self._pending = m, v
        return data - lr * (m / correction1) / (np.sqrt(v / correction2) + self.eps)

    def _keep(self) -> None:
        self.m, self.v = (moment.tolist() for moment in self._pending)


OPTIMIZERS = {"adam": Adam, "sgd": SGD}  # by name: ``chainrule train --optimizer``'s choices
