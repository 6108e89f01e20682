"""Learning-rate schedules: the rate as a function of the step number k = 0, 1, 2, ...

An optimizer's ``lr`` is a number or a schedule (see ``chainrule.nn.optim``).

>>> lr = linear_decay(1.0, 0.1, 100)
>>> lr(0), round(lr(100), 4)
(1.0, 0.1)
"""

from __future__ import annotations

from collections.abc import Callable

from chainrule.autograd.numbers import as_real, whole_number

Schedule = Callable[[int], float]


def linear_decay(start: float, end: float, steps: int) -> Schedule:
    """A schedule going in a straight line from ``start`` (step 0) to ``end`` (step ``steps``).

    lr(k) = start - (start - end) * min(k, steps) / steps: after ``steps`` it stays at
    ``end``, so training longer than planned (more batches per epoch, more epochs) keeps
    the final rate. micrograd's moons demo uses linear_decay(1.0, 0.1, 100), i.e.
    1.0 - 0.9 * k / 100 for its 100 steps.

    >>> lr = linear_decay(1.0, 0.1, 100)
    >>> lr(0), round(lr(50), 4), round(lr(99), 4)       # 1 - 0.9 * 50 / 100 = 0.55
    (1.0, 0.55, 0.109)
    >>> round(lr(100), 4), round(lr(150), 4)           # not 1 - 0.9 * 1.5 = -0.35
    (0.1, 0.1)
    """
    start, end = _positive("linear_decay start", start), _positive("linear_decay end", end)
    steps = _whole("linear_decay steps", steps)
    return lambda k: start - (start - end) * min(k, steps) / steps


def step_decay(initial: float, factor: float, every: int) -> Schedule:
    """Multiply the learning rate by ``factor`` every ``every`` steps.

    lr(k) = initial * factor ** (k // every).

    >>> lr = step_decay(0.1, 0.5, 10)
    >>> lr(0), lr(9), lr(10), lr(25)
    (0.1, 0.1, 0.05, 0.025)
    """
    initial, factor = _positive("step_decay initial", initial), as_real(factor, "step_decay factor")
    every = _whole("step_decay every", every)
    if not 0 < factor <= 1:
        raise ValueError(f"step_decay needs 0 < factor <= 1, got factor={factor!r}.")
    return lambda k: initial * factor ** (k // every)


def _positive(name: str, x: object) -> float:
    """``x`` as a finite float > 0, or the standard TypeError/ValueError."""
    x = as_real(x, name)
    if not x > 0:
        raise ValueError(f"{name} must be a number > 0, got {x!r}.")
    return x


def _whole(name: str, n: object) -> int:
    return whole_number(name, n)
