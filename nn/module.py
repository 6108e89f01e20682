"""Module: what every network part shares — its parameters, by name, and saving them.

A module lists its parameters as ``(name, Value)`` pairs in a fixed order (per layer,
per neuron, weights then bias: micrograd's order). Everything else here is built on
that list: ``parameters()``, ``zero_grad()``, ``state_dict()`` and the JSON file that
``save`` writes and ``load`` reads.

>>> import numpy as np
>>> from chainrule.nn.layers import Neuron
>>> n = Neuron(2, rng=np.random.default_rng(0))
>>> [name for name, _ in n.named_parameters()]
['w.0', 'w.1', 'b']
>>> n.w[0].grad = 5.0
>>> n.zero_grad(); n.w[0].grad
0.0
"""

from __future__ import annotations

import json
import math
import os
from pathlib import Path
from typing import ClassVar

from chainrule.autograd import Value
from chainrule.autograd.files import write_whole
from chainrule.nn.model_file import (
    FORMAT,
    VERSION,
    assign_parameters,
    check_parameter_count,
    checked_state,
    read_model_file,
)


class Module:
    """The base of Neuron, Layer and MLP: parameters by name, zero_grad, save and load.

    A subclass defines ``named_parameters()``, ``config()`` (its architecture as plain
    JSON data) and accepts that config back as keyword arguments.

    >>> from chainrule.nn.layers import MLP
    >>> model = MLP(2, [3, 1], seed=0)
    >>> len(model.parameters())          # (2 + 1) * 3 + (3 + 1) * 1
    13
    """

    registry: ClassVar[dict[str, type[Module]]] = {}

    def __init_subclass__(cls, **kwargs: object) -> None:
        super().__init_subclass__(**kwargs)
        Module.registry[cls.__name__] = cls  # so load() can rebuild any saved class

    def named_parameters(self) -> list[tuple[str, Value]]:
        """Every parameter with a stable dotted name, such as ``layers.1.neurons.3.w.0``.

        A module with no parameters of its own (the base class, as in micrograd) has none;
        one that defines only ``parameters()`` (micrograd's way) names them by position.

        >>> Module().named_parameters(), Module().parameters()
        ([], [])
        """
        if type(self).parameters is not Module.parameters:
            return [(str(i), p) for i, p in enumerate(self.parameters())]
        return []

    def config(self) -> dict:
        """The architecture as JSON data: ``{"class": name, **constructor arguments}``."""
        raise NotImplementedError(f"{type(self).__name__} must define config()")

    @classmethod
    def parameter_count(cls, **config: object) -> int | None:
        """How many parameters ``cls(**config)`` has, without building it; None if unknown.

        >>> Module.parameter_count(nin=2) is None
        True
        """
        return None

    def parameters(self) -> list[Value]:
        """The parameters, in the order of ``named_parameters()``.

        >>> from chainrule.nn.layers import Neuron
        >>> import numpy as np
        >>> [p.label for p in Neuron(2, rng=np.random.default_rng(0)).parameters()]
        ['w0', 'w1', 'b']
        """
        return [parameter for _, parameter in self.named_parameters()]

    def zero_grad(self) -> None:
        """Set every parameter's gradient to 0 (leaves accumulate across backward calls)."""
        for parameter in self.parameters():
            parameter.grad = 0.0

    def state_dict(self) -> dict[str, float]:
        """Every parameter's number by name, in order: a plain dict you can save.

        >>> from chainrule.nn.layers import Neuron
        >>> import numpy as np
        >>> n = Neuron(1, rng=np.random.default_rng(0))
        >>> {name: round(x, 4) for name, x in n.state_dict().items()}
        {'w.0': 0.2739, 'b': 0.0}
        """
        return {name: parameter.data for name, parameter in self.named_parameters()}

    def load_state_dict(self, state: dict[str, float]) -> None:
        """Set every parameter from ``state``; check everything first, change nothing on error.

        >>> from chainrule.nn.layers import Neuron
        >>> import numpy as np
        >>> n = Neuron(1, rng=np.random.default_rng(0))
        >>> n.load_state_dict({"w.0": 0.5, "b": -1.0})
        >>> n.w[0].data, n.b.data
        (0.5, -1.0)
        >>> n.load_state_dict({"w.0": 0.5})
        Traceback (most recent call last):
        ...
        ValueError: parameters: missing 'b'; expected exactly the 2 names of Neuron.
        """
        assign_parameters(self, checked_state(state, self, "parameters"))

    def save(self, path: str | os.PathLike) -> Path:
        """Write the architecture and every parameter to a JSON file; return its path.

        Every parameter must be finite (``load`` refuses NaN and inf), so that is checked
        before anything is written. Missing folders are made; the file is written under a
        temporary name and then renamed over ``path``, so a crash midway leaves the
        previous file whole.

        >>> import tempfile
        >>> from chainrule.nn.layers import Neuron
        >>> n = Neuron(1, "linear"); n.load_state_dict({"w.0": 0.5, "b": -1.0})
        >>> path = n.save(Path(tempfile.mkdtemp()) / "models" / "neuron.json")
        >>> path.name, Module.load(path).state_dict()
        ('neuron.json', {'w.0': 0.5, 'b': -1.0})
        >>> n.b.data = float("nan"); n.save(path)   # doctest: +ELLIPSIS
        Traceback (most recent call last):
        ...
        ValueError: cannot save Neuron: parameter 'b' is nan; every parameter must be finite ...
        """
        path = Path(path)
        state = self.state_dict()
        for name, number in state.items():
            if not math.isfinite(number):
                raise ValueError(f"cannot save {type(self).__name__}: parameter {name!r} is "
                                 f"{number!r}; every parameter must be finite (training "
                                 "diverged? lower the learning rate). Nothing was written.")
        document = {"format": FORMAT, "version": VERSION, "architecture": self.config(),
                    "parameters": state}
        text = json.dumps(document, indent=1, allow_nan=False)  # a second guard against NaN
        write_whole(path, text.encode("utf-8"))
        return path

    @classmethod
    def load(cls, path: str | os.PathLike) -> Module:
        """Build the saved module from its file: architecture, then every parameter.

        ``Module.load`` gives back whichever class was saved; ``MLP.load`` also checks
        that the file holds an MLP.

        >>> import tempfile
        >>> from chainrule.nn.layers import MLP, Neuron
        >>> folder = Path(tempfile.mkdtemp())
        >>> model = MLP(2, [3, 1], seed=0)
        >>> loaded = Module.load(model.save(folder / "mlp.json"))
        >>> type(loaded).__name__, loaded([0.5, -1.0]).data == model([0.5, -1.0]).data
        ('MLP', True)
        >>> MLP.load(Neuron(2).save(folder / "neuron.json"))   # doctest: +ELLIPSIS
        Traceback (most recent call last):
        ...
        ValueError: ...neuron.json: architecture class 'Neuron' is not a MLP; known: [...].
        """
        document = read_model_file(path)
        config = dict(document["architecture"])
        kind = Module.registry.get(config.pop("class", None)) if isinstance(
            document["architecture"].get("class"), str) else None
        if kind is None or not issubclass(kind, cls):
            raise ValueError(f"{path}: architecture class {document['architecture'].get('class')!r}"
                             f" is not a {cls.__name__}; known: {sorted(Module.registry)}.")
        check_parameter_count(kind, config, document["parameters"], path)
        try:
            model = kind(**config)  # fresh random numbers, overwritten just below
        except (TypeError, ValueError) as error:
            raise ValueError(f"{path}: the architecture cannot be built: {error}") from None
        assign_parameters(model, checked_state(document["parameters"], model, path))
        return model

    def load_into(self, path: str | os.PathLike) -> None:
        """Load a saved file into this module; the architectures must match exactly.

        Everything is checked before any parameter changes.

        >>> import tempfile
        >>> from chainrule.nn.layers import Neuron
        >>> folder = Path(tempfile.mkdtemp())
        >>> saved = Neuron(1, "linear"); saved.load_state_dict({"w.0": 2.0, "b": 0.5})
        >>> path = saved.save(folder / "neuron.json")
        >>> other = Neuron(1, "linear"); other.load_into(path); other.state_dict()
        {'w.0': 2.0, 'b': 0.5}
        >>> Neuron(3, "linear").load_into(path)   # doctest: +ELLIPSIS
        Traceback (most recent call last):
        ...
        ValueError: ...neuron.json: its architecture {...} differs from this model's {...}...
        """
        document = read_model_file(path)
        if document["architecture"] != self.config():
            raise ValueError(f"{path}: its architecture {document['architecture']} differs "
                             f"from this model's {self.config()}; use Module.load(path).")
        assign_parameters(self, checked_state(document["parameters"], self, path))
