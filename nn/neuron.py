"""One neuron, act(b + w0*x0 + w1*x1 + ...), and what it is built from: its activation,
its starting weights, the input row it reads. ``layers.py`` puts neurons side by side.

>>> n = Neuron(2, "tanh", rng=np.random.default_rng(0))
>>> n.parameters()[-1].label, n.activation
('b', 'tanh')
"""

from __future__ import annotations

import math
import random
from collections.abc import Sequence

import numpy as np
from chainrule.autograd import Value, weighted_sum
from chainrule.autograd.numbers import choice, whole_number
from chainrule.nn.module import Module

ACTIVATIONS = {"relu": Value.relu, "tanh": Value.tanh, "sigmoid": Value.sigmoid,
               "leaky_relu": Value.leaky_relu, "linear": None}
INITS = ("uniform", "xavier", "he")


def initial_weights(n_inputs: int, n_outputs: int, init: str,
                    rng: np.random.Generator | None) -> list[float]:
    """Draw one neuron's starting weights, from ``rng`` or (None) Python's ``random``.

    - ``uniform``: micrograd's U(-1, 1).
    - ``xavier`` (Glorot): U(-a, a) with a = sqrt(6 / (n_inputs + n_outputs)); keeps the
      variance of signals about equal forwards and backwards for tanh/sigmoid.
    - ``he``: N(0, sqrt(2 / n_inputs)); the same idea for ReLU, which zeroes half.

    With ``rng=None`` each weight is one ``random.uniform(-1, 1)`` call, as micrograd's
    Neuron makes them, so ``random.seed(1337)`` gives micrograd's weights.

    >>> rng = np.random.default_rng(0)
    >>> [round(w, 4) for w in initial_weights(2, 1, "xavier", rng)]   # a = sqrt(6/3)
    [0.3874, -0.6511]
    >>> random.seed(1337)
    >>> [round(w, 4) for w in initial_weights(2, 1, "uniform", None)]  # micrograd's first two
    [0.2355, 0.0665]
    """
    if init == "uniform":
        return _uniform(rng, -1.0, 1.0, n_inputs)
    if init == "xavier":
        limit = math.sqrt(6.0 / (n_inputs + n_outputs))
        return _uniform(rng, -limit, limit, n_inputs)
    if init == "he":
        sigma = math.sqrt(2.0 / n_inputs)
        if rng is None:
            return [random.gauss(0.0, sigma) for _ in range(n_inputs)]
        return rng.normal(0.0, sigma, n_inputs).tolist()
    raise ValueError(f"unknown init {init!r}; choose one of {', '.join(INITS)}.")


def _uniform(rng: np.random.Generator | None, low: float, high: float, n: int) -> list[float]:
    if rng is None:  # micrograd's way: one call to Python's random per weight, in order
        return [random.uniform(low, high) for _ in range(n)]
    return rng.uniform(low, high, n).tolist()


def as_inputs(x: Sequence[float | Value] | np.ndarray, n_inputs: int, who: str) -> list[Value]:
    """Check one input row and return it as Values (numbers become leaves x0, x1, ...).

    >>> [v.label for v in as_inputs(np.array([0.5, 2.0]), 2, "MLP")]
    ['x0', 'x1']
    >>> as_inputs([1.0], 2, "MLP")
    Traceback (most recent call last):
    ...
    ValueError: MLP expects 2 inputs, got 1: [1.0]. Give each row 2 numbers, or build it with nin=1.
    """
    if isinstance(x, np.ndarray):
        if x.ndim != 1:
            raise ValueError(f"{who} expects one row (a 1-d array), got shape {x.shape}; "
                             "call it once per row, e.g. [model(row) for row in X].")
        x = x.tolist()
    elif isinstance(x, Value) or not isinstance(x, (list, tuple)):
        raise TypeError(f"{who} expects a list of {n_inputs} numbers or Values, or a 1-d "
                        f"numpy array, got {type(x).__name__} {x!r}.")
    if len(x) != n_inputs:
        raise ValueError(f"{who} expects {n_inputs} inputs, got {len(x)}: {x!r}. Give each "
                         f"row {n_inputs} numbers, or build it with nin={len(x)}.")
    return [v if isinstance(v, Value) else Value(v, f"x{i}") for i, v in enumerate(x)]


def checked_rng(rng: np.random.Generator | None) -> np.random.Generator | None:
    """``rng`` if it is a numpy Generator or None (then Python's ``random`` draws).

    >>> checked_rng(None) is None
    True
    >>> checked_rng(42)
    Traceback (most recent call last):
    ...
    TypeError: rng must be a numpy.random.Generator (np.random.default_rng(seed)), got int 42.
    """
    if rng is None:
        return None  # initial_weights draws from Python's random, as micrograd does
    if not isinstance(rng, np.random.Generator):
        raise TypeError(f"rng must be a numpy.random.Generator (np.random.default_rng(seed)), "
                        f"got {type(rng).__name__} {rng!r}.")
    return rng


def activation_name(activation: str | bool | None, nonlin: bool | None) -> str:
    """The activation's name; micrograd's ``nonlin`` True/False means relu/linear.

    >>> activation_name(None, None), activation_name("tanh", None), activation_name(False, None)
    ('relu', 'tanh', 'linear')
    >>> activation_name(None, nonlin=True)
    'relu'
    """
    if isinstance(activation, bool):  # micrograd's positional Neuron(2, False)
        if nonlin is not None:
            raise TypeError("give nonlin once: Neuron(2, False) or Neuron(2, nonlin=False).")
        activation, nonlin = None, activation
    if nonlin is not None:
        if activation is not None:
            raise TypeError(f"give activation={activation!r} or micrograd's nonlin={nonlin!r}, "
                            "not both; nonlin=True is 'relu', nonlin=False is 'linear'.")
        if not isinstance(nonlin, bool):
            raise TypeError(f"nonlin must be True (relu) or False (linear), got {nonlin!r}.")
        return "relu" if nonlin else "linear"
    return choice("activation", "relu" if activation is None else activation,
                   list(ACTIVATIONS))


class Neuron(Module):
    """One neuron: act(b + sum_i w_i x_i), with weights ``w`` and bias ``b`` (starts at 0).

    ``activation`` is one of ``ACTIVATIONS`` (default relu); micrograd's ``Neuron(nin,
    nonlin=True)`` works too (``nonlin=False``: linear). Without ``rng`` the weights come
    from Python's ``random``, as micrograd's do. The tutorials' neuron: weights [0, 1],
    bias 4, input [2, 3] gives sigmoid(7).

    >>> n = Neuron(2, "sigmoid")
    >>> n.load_state_dict({"w.0": 0.0, "w.1": 1.0, "b": 4.0})
    >>> out = n([2.0, 3.0]); out.data
    0.9990889488055994
    >>> out.backward(); round(n.w[1].grad, 6)        # s(1 - s) * x1 = 0.000910 * 3
    0.002731
    """

    def __init__(self, nin: int, activation: str | bool | None = None, *,
                 nonlin: bool | None = None, rng: np.random.Generator | None = None,
                 init: str = "uniform", n_outputs: int = 1) -> None:
        self.n_inputs = whole_number("nin (the number of inputs)", nin)
        self.activation = activation_name(activation, nonlin)
        self.init = choice("init", init, INITS)
        weights = initial_weights(self.n_inputs, n_outputs, init, checked_rng(rng))
        self.w = [Value(w, f"w{i}") for i, w in enumerate(weights)]
        self.b = Value(0.0, "b")
        self._activate = ACTIVATIONS[self.activation]

    @classmethod
    def parameter_count(cls, nin: int, **config: object) -> int:
        """nin weights and a bias, counted without building the neuron.

        >>> Neuron.parameter_count(nin=3)
        4
        """
        return whole_number("nin (the number of inputs)", nin) + 1

    def __call__(self, x: Sequence[float | Value] | np.ndarray) -> Value:
        """The neuron's output for one input row (recorded as a graph)."""
        return self._forward(as_inputs(x, self.n_inputs, "Neuron"))

    def _forward(self, xs: list[Value], scope_name: str | None = None) -> Value:
        # Speed: a network tags the nodes its neurons make right here, rather than running
        # each neuron in a scope() block that every new node looks up: that lookup and
        # the block cost 40% of a forward pass (43.7 -> 26 ms per 100 moons rows).
        # weighted_sum builds micrograd's b + w0*x0 + w1*x1 + ... without the operators'
        # calls (16.2 -> 13.2 ms); its graph is the operators' graph, node for node.
        act = weighted_sum(self.b, self.w, xs, scope_name)
        if self._activate is not None:
            act = self._activate(act)
            if scope_name is not None:
                act.scope = scope_name
                for constant in act.parents[1:]:  # leaky_relu's slope: a number, no module's
                    constant.scope = None
        return act

    def _relabel(self, prefix: str) -> None:
        for i, w in enumerate(self.w):
            w.label = f"{prefix}w{i}"
        self.b.label = f"{prefix}b"

    def parameters(self) -> list[Value]:
        # Speed: the names are not needed here; building them made parameters() of
        # MLP(2, [16, 16, 1]) about 10x slower, and compiled steps call it every step.
        return [*self.w, self.b]

    def named_parameters(self) -> list[tuple[str, Value]]:
        return [(f"w.{i}", w) for i, w in enumerate(self.w)] + [("b", self.b)]

    def config(self) -> dict:
        return {"class": "Neuron", "nin": self.n_inputs, "activation": self.activation,
                "init": self.init}

    def __repr__(self) -> str:
        return f"Neuron({self.n_inputs}, {self.activation!r})"
