"""The floor: the benchmark's network and training step written by hand in NumPy.

The same MLP as ``chainrule.nn.MLP`` (ReLU hidden layers, a linear last layer), the same
loss (one-vs-rest max-margin, averaged over the examples, + alpha * sum of squared
parameters; with one output it is micrograd's demo loss) and the same SGD schedule.
Forward is one matrix product per layer; backward their transposes. No autograd: this is
what a person writes who knows the gradients, and the time every engine is measured against.
"""

from __future__ import annotations

import numpy as np

ALPHA = 1e-4  # the L2 penalty's weight, as in micrograd's demo


def learning_rate(k: int) -> float:
    """micrograd's demo schedule, 1.0 down to 0.1 over 100 steps (``linear_decay``)."""
    return 1.0 - 0.9 * min(k, 100) / 100


def layers_of(model) -> list[tuple[np.ndarray, np.ndarray]]:
    """A chainrule MLP's parameters as (W, b) per layer: W[j] holds neuron j's weights."""
    return [(np.array([[w.data for w in neuron.w] for neuron in layer.neurons]),
             np.array([neuron.b.data for neuron in layer.neurons])) for layer in model.layers]


def numpy_trainer(layers: list[tuple[np.ndarray, np.ndarray]], X: np.ndarray,
                  Y: np.ndarray):
    """Training step k on (W, b) arrays (changed in place); returns the scores (n, outputs).

    ``Y``: one row per example, +1 for the example's class and -1 for the others (one
    column, the label, for one output).
    """
    n = len(X)

    def step(k: int) -> np.ndarray:
        activations = [X]
        for i, (W, b) in enumerate(layers):
            z = activations[-1] @ W.T + b
            activations.append(np.maximum(z, 0.0) if i < len(layers) - 1 else z)
        scores = activations[-1]
        # d loss / d score: -y/n where the margin 1 - y s is positive, else 0
        upstream = -(Y * (1.0 - Y * scores > 0.0)) / n
        rate = learning_rate(k)
        for i in range(len(layers) - 1, -1, -1):
            W, b = layers[i]
            below = activations[i]
            grad_W = upstream.T @ below + 2.0 * ALPHA * W
            grad_b = upstream.sum(axis=0) + 2.0 * ALPHA * b
            if i:
                upstream = (upstream @ W) * (below > 0.0)  # relu' of the layer below
            W -= rate * grad_W
            b -= rate * grad_b
        return scores
    return step
