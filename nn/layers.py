"""Layer and MLP (Neuron is in neuron.py): networks made of Values, drawable and steppable.

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

from collections.abc import Sequence

import numpy as np
from chainrule.autograd import Value, scope
from chainrule.autograd.numbers import choice, whole_number
from chainrule.autograd.state import current_scope
from chainrule.nn.display import summary
from chainrule.nn.module import Module
from chainrule.nn.neuron import (  # noqa: F401  (initial_weights: importable from here too)
    ACTIVATIONS,
    INITS,
    Neuron,
    activation_name,
    as_inputs,
    checked_rng,
    initial_weights,
)


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
        return (whole_number("nin", nin) + 1) * whole_number("nout", nout)

    def __init__(self, nin: int, nout: int, activation: str | bool | None = None, *,
                 nonlin: bool | None = None, rng: np.random.Generator | None = None,
                 init: str = "uniform") -> None:
        self.n_inputs = whole_number("nin (the number of inputs)", nin)
        self.n_outputs = whole_number("nout (the number of neurons)", nout)
        self.activation = activation_name(activation, nonlin)
        self.init = choice("init", init, INITS)
        rng = checked_rng(rng)
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
        sizes = [whole_number("nin", nin)] + [whole_number("a layer size", n) for n in nouts]
        return sum((n_in + 1) * n_out for n_in, n_out in zip(sizes, sizes[1:], strict=False))

    def __init__(self, nin: int, nouts: Sequence[int], activation: str = "relu",
                 output_activation: str = "linear", seed: int | None = None,
                 init: str = "uniform") -> None:
        self.n_inputs = whole_number("nin (the number of inputs)", nin)
        if isinstance(nouts, (int, str)) or not isinstance(nouts, Sequence) or not nouts:
            raise ValueError(f"nouts must be a non-empty list of layer sizes, e.g. [16, 16, 1], "
                             f"got {nouts!r}.")
        self.sizes = [whole_number("each layer size in nouts", n) for n in nouts]
        self.activation = choice("activation", activation, list(ACTIVATIONS))
        self.output_activation = choice("output_activation", output_activation,
                                         list(ACTIVATIONS))
        self.init = choice("init", init, INITS)
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
