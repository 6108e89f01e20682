"""How a network and a training history look: a text summary and notebook HTML.

``summary(model)`` lists the layers (inputs, neurons, activation, parameters);
``MLP`` and ``History`` show as HTML tables in Jupyter through ``_repr_html_``.

>>> from chainrule.nn import MLP
>>> print(summary(MLP(2, [16, 16, 1], seed=0)))     # micrograd's moons network
layer  inputs  neurons  activation  parameters
L0     2       16       relu        48
L1     16      16       relu        272
L2     16      1        linear      17
total parameters: 337
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from chainrule.autograd.html import block, paragraph, table
from chainrule.autograd.notation import text_table

HEADER = ("layer", "inputs", "neurons", "activation", "parameters")
SHOWN_EPOCHS = 10  # a longer history shows this many epochs, spread evenly, last included


@dataclass(frozen=True, slots=True)
class ModelSummary:
    """One row per layer, and the total parameter count: ``str()`` for a terminal.

    >>> s = ModelSummary((("L0", 2, 1, "tanh", 3),), 3)
    >>> s.total, "<td>tanh</td>" in s._repr_html_()
    (3, True)
    """

    rows: tuple[tuple[str, int, int, str, int], ...]
    total: int

    def _cells(self) -> list[tuple[str, ...]]:
        return [tuple(str(cell) for cell in row) for row in self.rows]

    def __str__(self) -> str:
        lines = text_table([HEADER, *self._cells()])
        return "\n".join(lines + [f"total parameters: {self.total}"])

    def _repr_html_(self) -> str:
        return block(table(HEADER, self._cells()),
                     paragraph(f"total parameters: {self.total}"))


def summary(model: object) -> ModelSummary:
    """The layers of an MLP (or one Layer, or one Neuron) and their parameter counts.

    A layer of n neurons reading k inputs has n × (k + 1) parameters: k weights and one
    bias per neuron.

    >>> from chainrule.nn import Neuron
    >>> summary(Neuron(3, "tanh")).rows
    (('neuron', 3, 1, 'tanh', 4),)
    """
    if hasattr(model, "layers"):
        layers = [(f"L{i}", layer) for i, layer in enumerate(model.layers)]
    elif hasattr(model, "neurons") or hasattr(model, "w"):
        layers = [("layer" if hasattr(model, "neurons") else "neuron", model)]
    else:
        raise TypeError(f"summary needs an MLP, Layer or Neuron, got {type(model).__name__}.")
    rows = tuple((name, layer.n_inputs, getattr(layer, "n_outputs", 1), layer.activation,
                  len(layer.parameters())) for name, layer in layers)
    return ModelSummary(rows, sum(row[4] for row in rows))


def history_html(history: object) -> str:
    """A History as HTML: a loss curve, then the numbers of up to 10 epochs, and why it stopped.

    >>> from chainrule.nn.train import History
    >>> h = History(); h.record("train", {"loss": 0.5, "accuracy": 0.75}); h.epochs = 1
    >>> "<td>1</td><td>0.5</td><td>0.75</td>" in history_html(h)
    True
    """
    columns = [(f"train {name}", values) for name, values in history.train.items()]
    columns += [(f"validation {name}", values) for name, values in history.validation.items()]
    n = min(len(values) for _, values in columns) if columns else 0
    shown = sorted({round(i * (n - 1) / (SHOWN_EPOCHS - 1)) for i in range(SHOWN_EPOCHS)}
                   ) if n > SHOWN_EPOCHS else range(n)
    rows = [(str(i + 1), *(f"{values[i]:.4g}" for _, values in columns)) for i in shown]
    header = ("epoch", *(name for name, _ in columns))
    losses = history.train.get("loss", [])
    curve = sparkline(losses) if losses and all(math.isfinite(x) for x in losses) else ""
    note = f"{history.epochs} epoch(s), stopped: {history.stopped}"
    if n > SHOWN_EPOCHS:
        note += f"; {len(rows)} of {n} epochs shown"
    return block(curve, table(header, rows), paragraph(note))


def sparkline(values: list[float], width: int = 240, height: int = 48) -> str:
    """A small SVG line of ``values`` (a loss curve), its first and last value beside it.

    >>> sparkline([1.0, 0.5, 0.25]).count("<polyline")
    1
    """
    low, high = min(values), max(values)
    spread = (high - low) or 1.0
    step = width / max(len(values) - 1, 1)
    points = " ".join(f"{i * step:.1f},{height - (v - low) / spread * height:.1f}"
                      for i, v in enumerate(values))
    return (f'<svg width="{width + 4}" height="{height + 4}" role="img">'
            f"<title>loss per epoch: {values[0]:.4g} to {values[-1]:.4g}</title>"
            f'<polyline fill="none" stroke="#2563eb" stroke-width="2" points="{points}"/>'
            f"</svg>" + paragraph(f"loss: {values[0]:.4g} -> {values[-1]:.4g}"))
