"""Neuron, Layer, MLP: networks made of Values, so every one can be drawn and stepped.

A neuron computes act(b + w0*x0 + w1*x1 + ...). A layer is neurons side by side, all
reading the same inputs; an MLP is layers in a row. ``MLP(2, [16, 16, 1])`` is
micrograd's moons network: ReLU hidden layers, a linear output, parameters ordered per
layer, per neuron, weights then bias.

Every node neuron 3 of layer 0 creates carries ``.scope == "L0.N3"`` (as if it ran in
``scope("L0")`` and ``scope("N3")``, under any scope of the caller), so a renderer can
group it; its parameters are labelled ``L0.N3.w1``, ``L0.N3.b``.

>>> model = MLP(2, [3, 1], seed=0)
>>> out = model([1.0, -2.0])
>>> out.scope, model.parameters()[0].label, model.parameters()[0].scope
('L1.N0', 'L0.N0.w0', 'L0.N0')
"""

from __future__ import annotations

import math
import random
from collections.abc import Sequence

import numpy as np
from chainrule.autograd import Value, scope, weighted_sum
from chainrule.autograd.numbers import whole_number
from chainrule.autograd.state import current_scope
from chainrule.nn.display import summary
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


def _positive_int(name: str, n: object) -> int:
    return whole_number(name, n)


def _choice(kind: str, name: object, choices: Sequence[str]) -> str:
    if name not in choices:
        raise ValueError(f"unknown {kind} {name!r}; choose one of {', '.join(choices)}.")
    return name


def _generator(rng: np.random.Generator | None) -> np.random.Generator | None:
    if rng is None:
        return None  # initial_weights draws from Python's random, as micrograd does
    if not isinstance(rng, np.random.Generator):
        raise TypeError(f"rng must be a numpy.random.Generator (np.random.default_rng(seed)), "
                        f"got {type(rng).__name__} {rng!r}.")
    return rng


def _activation(activation: str | bool | None, nonlin: bool | None) -> str:
    """The activation's name; micrograd's ``nonlin`` True/False means relu/linear.

    >>> _activation(None, None), _activation("tanh", None), _activation(False, None)
    ('relu', 'tanh', 'linear')
    >>> _activation(None, nonlin=True)
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
    return _choice("activation", "relu" if activation is None else activation,
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
        self.n_inputs = _positive_int("nin (the number of inputs)", nin)
        self.activation = _activation(activation, nonlin)
        self.init = _choice("init", init, INITS)
        weights = initial_weights(self.n_inputs, n_outputs, init, _generator(rng))
        self.w = [Value(w, f"w{i}") for i, w in enumerate(weights)]
        self.b = Value(0.0, "b")
        self._activate = ACTIVATIONS[self.activation]

    @classmethod
    def parameter_count(cls, nin: int, **config: object) -> int:
        """nin weights and a bias, counted without building the neuron.

        >>> Neuron.parameter_count(nin=3)
        4
        """
        return _positive_int("nin (the number of inputs)", nin) + 1

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


class Layer(Module):
    """``nout`` neurons reading the same ``nin`` inputs; neuron j runs in ``scope("N{j}")``.

    ``activation`` (or micrograd's ``nonlin=``) and ``rng`` are passed to each Neuron.

    Returns a list of outputs, or a single Value when ``nout == 1`` (as micrograd does).

    >>> layer = Layer(2, 3, "tanh", rng=np.random.default_rng(0))
    >>> [round(v.data, 4) for v in layer([1.0, 1.0])]
    [-0.1844, -0.9549, 0.8961]
    >>> layer.parameters()[2].label, len(layer.parameters())     # (2 + 1) * 3
    ('N0.b', 9)
    """

    @classmethod
    def parameter_count(cls, nin: int, nout: int, **config: object) -> int:
        """(nin + 1) × nout, counted without building the layer.

        >>> Layer.parameter_count(nin=2, nout=3)
        9
        """
        return (_positive_int("nin", nin) + 1) * _positive_int("nout", nout)

    def __init__(self, nin: int, nout: int, activation: str | bool | None = None, *,
                 nonlin: bool | None = None, rng: np.random.Generator | None = None,
                 init: str = "uniform") -> None:
        self.n_inputs = _positive_int("nin (the number of inputs)", nin)
        self.n_outputs = _positive_int("nout (the number of neurons)", nout)
        self.activation = _activation(activation, nonlin)
        self.init = _choice("init", init, INITS)
        rng = _generator(rng)
        self.neurons: list[Neuron] = []
        self._scopes = [f"N{j}" for j in range(self.n_outputs)]
        for name in self._scopes:
            with scope(name):  # the parameters carry the neuron's scope too
                neuron = Neuron(nin, self.activation, rng=rng, init=init, n_outputs=nout)
            neuron._relabel(f"{name}.")
            self.neurons.append(neuron)

    def __call__(self, x: Sequence[float | Value] | np.ndarray) -> Value | list[Value]:
        """Every neuron's output for one input row."""
        out = self._forward(as_inputs(x, self.n_inputs, "Layer"), current_scope())
        return out[0] if len(out) == 1 else out

    def _forward(self, xs: list[Value], prefix: str | None = None) -> list[Value]:
        names = self._scopes if prefix is None else [f"{prefix}.{name}" for name in self._scopes]
        return [neuron._forward(xs, name) for name, neuron in zip(names, self.neurons, strict=True)]

    def _relabel(self, prefix: str) -> None:
        for name, neuron in zip(self._scopes, self.neurons, strict=True):
            neuron._relabel(f"{prefix}{name}.")

    def parameters(self) -> list[Value]:
        return [p for neuron in self.neurons for p in neuron.parameters()]

    def named_parameters(self) -> list[tuple[str, Value]]:
        return [(f"neurons.{j}.{name}", p) for j, neuron in enumerate(self.neurons)
                for name, p in neuron.named_parameters()]

    def config(self) -> dict:
        return {"class": "Layer", "nin": self.n_inputs, "nout": self.n_outputs,
                "activation": self.activation, "init": self.init}

    def __repr__(self) -> str:
        return f"Layer({self.n_inputs}, {self.n_outputs}, {self.activation!r})"


class MLP(Module):
    """A multi-layer perceptron: layers in a row, layer i running in ``scope("L{i}")``.

    Hidden layers use ``activation``, the last ``output_activation``. The same ``seed``
    gives the same network; without one the weights come from Python's ``random`` in
    micrograd's order, so ``random.seed(1337)`` first gives micrograd's network. A 1-unit
    output returns a Value, otherwise a list.

    >>> model = MLP(2, [16, 16, 1], seed=1337)      # micrograd's moons network
    >>> len(model.parameters())                     # 16*3 + 16*17 + 1*17
    337
    >>> round(model([0.5, -1.0]).data, 4)
    -0.1921
    """

    @classmethod
    def parameter_count(cls, nin: int, nouts: Sequence[int], **config: object) -> int:
        """(inputs + 1) × size for each layer, counted without building the network.

        >>> MLP.parameter_count(nin=2, nouts=[3, 1])        # 3 * 3 + 4 * 1
        13
        """
        if isinstance(nouts, (int, str)) or not isinstance(nouts, Sequence):
            raise ValueError(f"nouts must be a list of layer sizes, got {nouts!r}.")
        sizes = [_positive_int("nin", nin)] + [_positive_int("a layer size", n) for n in nouts]
        return sum((n_in + 1) * n_out for n_in, n_out in zip(sizes, sizes[1:], strict=False))

    def __init__(self, nin: int, nouts: Sequence[int], activation: str = "relu",
                 output_activation: str = "linear", seed: int | None = None,
                 init: str = "uniform") -> None:
        self.n_inputs = _positive_int("nin (the number of inputs)", nin)
        if isinstance(nouts, (int, str)) or not isinstance(nouts, Sequence) or not nouts:
            raise ValueError(f"nouts must be a non-empty list of layer sizes, e.g. [16, 16, 1], "
                             f"got {nouts!r}.")
        self.sizes = [_positive_int("each layer size in nouts", n) for n in nouts]
        self.activation = _choice("activation", activation, list(ACTIVATIONS))
        self.output_activation = _choice("output_activation", output_activation,
                                         list(ACTIVATIONS))
        self.init = _choice("init", init, INITS)
        if seed is not None and (isinstance(seed, bool) or not isinstance(seed, (int, np.integer))):
            raise TypeError(f"seed must be a whole number or None, got {seed!r}.")
        rng = None if seed is None else np.random.default_rng(seed)
        n_in = [self.n_inputs, *self.sizes]
        self.layers: list[Layer] = []
        self._scopes = [f"L{i}" for i in range(len(self.sizes))]
        for i, name in enumerate(self._scopes):
            last = i == len(self.sizes) - 1
            with scope(name):
                layer = Layer(n_in[i], self.sizes[i], output_activation if last else activation,
                              rng=rng, init=init)
            layer._relabel(f"{name}.")
            self.layers.append(layer)

    def __call__(self, x: Sequence[float | Value] | np.ndarray) -> Value | list[Value]:
        """The network's output for one input row: each layer feeds the next."""
        xs = as_inputs(x, self.n_inputs, "MLP")
        outer = current_scope()  # a user's scope("encoder") around the call prefixes ours
        for name, layer in zip(self._scopes, self.layers, strict=True):
            xs = layer._forward(xs, name if outer is None else f"{outer}.{name}")
        return xs[0] if len(xs) == 1 else xs

    def parameters(self) -> list[Value]:
        return [p for layer in self.layers for p in layer.parameters()]

    def named_parameters(self) -> list[tuple[str, Value]]:
        return [(f"layers.{i}.{name}", p) for i, layer in enumerate(self.layers)
                for name, p in layer.named_parameters()]

    def config(self) -> dict:
        return {"class": "MLP", "nin": self.n_inputs, "nouts": list(self.sizes),
                "activation": self.activation, "output_activation": self.output_activation,
                "init": self.init}

    def __repr__(self) -> str:
        return (f"MLP({self.n_inputs}, {self.sizes}, activation={self.activation!r}, "
                f"output_activation={self.output_activation!r})")

    def _repr_html_(self) -> str:
        """In a notebook: a table of the layers and the parameter count (``summary``).

        >>> "<p>total parameters: 337</p>" in MLP(2, [16, 16, 1])._repr_html_()
        True
        """
        return summary(self)._repr_html_()
