"""Optimizers: turn each parameter's gradient into a small change of its ``.data``.

``step()`` reads ``p.grad`` (filled by ``backward()``) and moves ``p.data`` downhill,
under ``no_grad()`` so no graph is recorded; ``zero_grad()`` clears the gradients for
the next batch. The learning rate is a number or a schedule: a function of the step
number k = 0, 1, 2, ... (see ``linear_decay`` and ``step_decay``).

>>> from autograd import Value
>>> w = Value(1.0)
>>> opt = SGD([w], lr=0.1)
>>> (w * w).backward()          # d(w²)/dw = 2
>>> opt.step(); w.data          # 1 - 0.1 * 2
0.8
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Sequence

from autograd import Value, no_grad

Schedule = Callable[[int], float]


def linear_decay(start: float, end: float, steps: int) -> Schedule:
    """A schedule going in a straight line from ``start`` (step 0) towards ``end``.

    lr(k) = start - (start - end) * k / steps; micrograd's moons demo uses
    linear_decay(1.0, 0.1, 100), i.e. 1.0 - 0.9 * k / 100.

    >>> lr = linear_decay(1.0, 0.1, 100)
    >>> lr(0), round(lr(50), 4), round(lr(99), 4)
    (1.0, 0.55, 0.109)
    """
    return lambda k: start - (start - end) * k / steps


def step_decay(initial: float, factor: float, every: int) -> Schedule:
    """Multiply the learning rate by ``factor`` every ``every`` steps.

    lr(k) = initial * factor ** (k // every).

    >>> lr = step_decay(0.1, 0.5, 10)
    >>> lr(0), lr(9), lr(10), lr(25)
    (0.1, 0.1, 0.05, 0.025)
    """
    if every < 1 or not 0 < factor <= 1:
        raise ValueError(f"step_decay needs every >= 1 and 0 < factor <= 1, got "
                         f"every={every!r}, factor={factor!r}.")
    return lambda k: initial * factor ** (k // every)


def _checked_rate(name: str, x: object, low: float = 0.0, high: float = math.inf) -> float:
    if isinstance(x, bool) or not isinstance(x, (int, float)) or not low <= x < high:
        raise ValueError(f"{name} must be a number in [{low}, {high}), got {x!r}.")
    return float(x)


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
        if not callable(lr) and (isinstance(lr, bool) or not isinstance(lr, (int, float))
                                 or not lr > 0 or not math.isfinite(lr)):
            raise ValueError(f"{name}: lr must be a number > 0 (or a schedule k -> lr), "
                             f"got {lr!r}; try 0.01.")
        self.params: list[Value] = params
        self.lr = lr
        self.weight_decay = _checked_rate("weight_decay", weight_decay)
        self.steps = 0  # how many step() calls so far: the k a schedule receives

    def rate(self) -> float:
        """The learning rate the next ``step()`` uses.

        >>> Optimizer([Value(0.0)], lr=lambda k: 1.0 / (k + 1)).rate()
        1.0
        """
        lr = self.lr(self.steps) if callable(self.lr) else self.lr
        if isinstance(lr, bool) or not isinstance(lr, (int, float)) or not lr > 0:
            raise ValueError(f"the schedule gave lr={lr!r} at step {self.steps}; it must "
                             "return a number > 0.")
        return float(lr)

    def gradients(self) -> list[float]:
        """Each parameter's gradient as a float, plus weight_decay * w (an L2 pull to 0)."""
        grads = [p.grad.data if isinstance(p.grad, Value) else p.grad for p in self.params]
        if self.weight_decay:
            decay = self.weight_decay
            grads = [g + decay * p.data for g, p in zip(grads, self.params, strict=True)]
        return grads

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

    >>> from autograd import Value
    >>> w = Value(1.0); opt = SGD([w], lr=0.1, momentum=0.9)
    >>> w.grad = 2.0; opt.step(); round(w.data, 6)   # v = 2,   w = 1 - 0.2
    0.8
    >>> w.grad = 2.0; opt.step(); round(w.data, 6)   # v = 3.8, w = 0.8 - 0.38
    0.42
    """

    def __init__(self, params: Iterable[Value], lr: float | Schedule, momentum: float = 0.0,
                 weight_decay: float = 0.0) -> None:
        super().__init__(params, lr, weight_decay)
        self.momentum = _checked_rate("momentum", momentum, high=1.0)
        self.velocity = [0.0] * len(self.params)

    def step(self) -> None:
        lr, grads = self.rate(), self.gradients()
        with no_grad():
            for i, (p, g) in enumerate(zip(self.params, grads, strict=True)):
                if self.momentum:
                    g = self.velocity[i] = self.momentum * self.velocity[i] + g
                p.data -= lr * g
        self.steps += 1


class Adam(Optimizer):
    """Adam (Kingma & Ba, 2015): per-parameter steps from running moments of the gradient.

    m <- b1 m + (1 - b1) g;   v <- b2 v + (1 - b2) g²;   (t = the step number, from 1)
    w <- w - lr * m_hat / (sqrt(v_hat) + eps),  m_hat = m / (1 - b1^t), v_hat = v / (1 - b2^t).
    The first step moves every parameter by about lr, whatever the gradient's size.

    >>> from autograd import Value
    >>> w = Value(1.0); opt = Adam([w], lr=0.1)
    >>> w.grad = 4.0; opt.step(); round(w.data, 6)    # m_hat = 4, v_hat = 16: 1 - 0.1
    0.9
    """

    def __init__(self, params: Iterable[Value], lr: float | Schedule = 1e-3,
                 betas: Sequence[float] = (0.9, 0.999), eps: float = 1e-8,
                 weight_decay: float = 0.0) -> None:
        super().__init__(params, lr, weight_decay)
        if len(betas) != 2:
            raise ValueError(f"Adam betas must be two numbers (b1, b2), got {betas!r}.")
        self.betas = (_checked_rate("betas[0]", betas[0], high=1.0),
                      _checked_rate("betas[1]", betas[1], high=1.0))
        self.eps = _checked_rate("eps", eps)
        self.m = [0.0] * len(self.params)
        self.v = [0.0] * len(self.params)

    def step(self) -> None:
        lr, grads = self.rate(), self.gradients()
        b1, b2 = self.betas
        t = self.steps + 1
        correction1, correction2 = 1.0 - b1 ** t, 1.0 - b2 ** t
        with no_grad():
            for i, (p, g) in enumerate(zip(self.params, grads, strict=True)):
                self.m[i] = b1 * self.m[i] + (1.0 - b1) * g
                self.v[i] = b2 * self.v[i] + (1.0 - b2) * g * g
                m_hat, v_hat = self.m[i] / correction1, self.v[i] / correction2
                p.data -= lr * m_hat / (math.sqrt(v_hat) + self.eps)
        self.steps += 1
