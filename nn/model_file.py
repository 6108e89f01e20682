"""A saved model's file: reading it back, checking its numbers, putting them in place.

``Module.save`` writes ``{"format": FORMAT, "version": VERSION, "architecture": ...,
"parameters": {name: number}}``; ``Module.load`` and ``load_into`` read it with these,
checking everything before any parameter changes.

>>> FORMAT, VERSION
('chainrule.nn', 1)
"""

from __future__ import annotations

import json
import math
import os
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from chainrule.nn.module import Module

FORMAT = "chainrule.nn"
VERSION = 1


def check_parameter_count(kind: type[Module], config: dict, parameters: dict,
                          path: object) -> None:
    """Refuse a file whose parameter count does not match its architecture, before the
    architecture is built (a 125-byte file could otherwise ask for 10^10 Values).

    >>> from chainrule.nn.layers import MLP
    >>> check_parameter_count(MLP, {"nin": 2, "nouts": [100000, 100000]}, {}, "big.json")
    ... # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    ValueError: big.json: the architecture MLP has 10000400000 parameters but the file holds 0; ...
    """
    try:
        expected = kind.parameter_count(**config)
    except (TypeError, ValueError):
        return  # not a valid architecture: the constructor says what is wrong
    # a small architecture is built, so that the message can name the first missing name
    if expected is not None and expected != len(parameters) and expected > 10_000:
        raise ValueError(f"{path}: the architecture {kind.__name__} has {expected} parameters "
                         f"but the file holds {len(parameters)}; was it written by "
                         "model.save()?")


def assign_parameters(model: Module, numbers: list[float]) -> None:
    """Set the model's parameters, in ``named_parameters()`` order, to ``numbers``.

    >>> from chainrule.nn.layers import Neuron
    >>> n = Neuron(1, "linear"); assign_parameters(n, [0.5, -1.0]); n.state_dict()
    {'w.0': 0.5, 'b': -1.0}
    """
    for (_, parameter), number in zip(model.named_parameters(), numbers, strict=True):
        parameter.data = number


def read_model_file(path: str | os.PathLike) -> dict:
    """The JSON document ``Module.save`` wrote, its format and version checked.

    >>> read_model_file("no/such/model.json")   # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    FileNotFoundError: no saved model at 'no/such/model.json'; check the path ...
    """
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"no saved model at {str(path)!r}; check the path "
                                "(save one with model.save(path)).")
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except (ValueError, RecursionError) as error:  # bad JSON, 5,000-digit ints, deep nesting
        reason = "nested too deeply" if isinstance(error, RecursionError) else error
        raise ValueError(f"{path}: not a JSON file we can read ({reason}); was it written by "
                         "model.save()?") from None
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise ValueError(f"{path}: not a chainrule model file (no \"format\": \"{FORMAT}\").")
    if type(document.get("version")) is not int or document["version"] != VERSION:
        raise ValueError(f"{path}: format version {document.get('version')!r} is not "
                         f"supported; this chainrule reads version {VERSION}.")
    for key, kind in (("architecture", dict), ("parameters", dict)):
        if not isinstance(document.get(key), kind):
            raise ValueError(f"{path}: \"{key}\" must be a JSON object, got "
                             f"{type(document.get(key)).__name__}.")
    return document


def checked_state(state: object, model: Module, where: object) -> list[float]:
    """The numbers of ``state`` in the model's parameter order, or a ValueError naming
    the first problem (missing or extra name, not a number, not finite).

    >>> from chainrule.nn.layers import Neuron
    >>> checked_state({"b": 1, "w.0": 2.0}, Neuron(1), "state")
    [2.0, 1.0]
    """
    if not isinstance(state, dict):
        raise TypeError(f"{where}: a state must be a dict of name -> number, "
                        f"got {type(state).__name__}.")
    names = [name for name, _ in model.named_parameters()]
    expected = f"expected exactly the {len(names)} names of {type(model).__name__}"
    for name in names:
        if name not in state:
            raise ValueError(f"{where}: missing {name!r}; {expected}.")
    extra = [name for name in state if name not in set(names)]
    if extra:
        raise ValueError(f"{where}: unexpected {extra[0]!r} ({len(extra)} extra); {expected}.")
    numbers = []
    for name in names:
        number = state[name]
        real = (int, float, np.integer, np.floating)
        if isinstance(number, bool) or not isinstance(number, real):
            raise ValueError(f"{where}: {name!r} must be a number, got "
                             f"{type(number).__name__} {number!r}.")
        try:
            number = float(number)
        except OverflowError:  # an int such as 10**400
            number = math.inf
        if not math.isfinite(number):
            raise ValueError(f"{where}: {name!r} is {number!r} (or beyond a float's range); "
                             "every parameter must be finite (the saved model had diverged?).")
        numbers.append(number)
    return numbers
