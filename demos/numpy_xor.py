"""A NumPy tutorial's XOR network and its hand-written backward pass, checked by chainrule.

The tutorial: a 2-4-1 sigmoid network on the four XOR points, full batch, learning rate
0.1, 1000 epochs; the loss it prints is mean((y - a2)^2); its backward pass is written
by hand in matrices, with the error taken as y - a2 and the update w += lr * d_w (a plus).
``check_backprop`` compares that backward pass with autograd's dL/dW and names the
convention: each array is -(N/2) × dL/dW (N = 4 examples), the gradient of ½·Σ(y - a2)²
pointing downhill. So the tutorial's update is gradient descent on its printed loss with
a learning rate N/2 = 2 times its own; trained that way on Values (arrays of Values,
autograd's gradients) the network goes through the same numbers.

Run: ``.venv/bin/python demos/numpy_xor.py`` (``--check``: only the check).
"""

from __future__ import annotations

import sys

import numpy as np
from chainrule.autograd.arrays import data_of, wrap, zero_grad
from chainrule.autograd.handcheck import BackpropReport, check_backprop

X = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
Y = np.array([[0.0], [1.0], [1.0], [0.0]])
LEARNING_RATE = 0.1


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def sigmoid_derivative(s):
    """The tutorials' form: the slope of the sigmoid written with its output s."""
    return s * (1 - s)


def initial_parameters(seed: int = 1) -> dict[str, np.ndarray]:
    """Normal weights W1 (2, 4) and W2 (4, 1); zero biases b1 (1, 4) and b2 (1, 1)."""
    rng = np.random.default_rng(seed)
    return {"W1": rng.normal(size=(2, 4)), "b1": np.zeros((1, 4)),
            "W2": rng.normal(size=(4, 1)), "b2": np.zeros((1, 1))}


def forward(W1, b1, W2, b2):
    """The hidden activations a1 (4, 4) and the outputs a2 (4, 1); floats or Values."""
    a1 = sigmoid(X @ W1 + b1)
    return a1, sigmoid(a1 @ W2 + b2)


def loss(W1, b1, W2, b2):
    """The loss the tutorial prints: the mean squared error over the four examples."""
    return np.mean((Y - forward(W1, b1, W2, b2)[1]) ** 2)


def hand_backward(W1, b1, W2, b2) -> dict[str, np.ndarray]:
    """The tutorial's backward pass, as written by hand (its error is y - a2)."""
    a1, a2 = forward(W1, b1, W2, b2)
    error = Y - a2
    d_z2 = error * sigmoid_derivative(a2)
    d_w2 = a1.T @ d_z2
    d_b2 = np.sum(d_z2, axis=0, keepdims=True)
    d_z1 = (d_z2 @ W2.T) * sigmoid_derivative(a1)
    d_w1 = X.T @ d_z1
    d_b1 = np.sum(d_z1, axis=0, keepdims=True)
    return {"W1": d_w1, "b1": d_b1, "W2": d_w2, "b2": d_b2}


def check(params: dict[str, np.ndarray]) -> BackpropReport:
    """Check the hand-written backward pass at ``params``; print the report."""
    report = check_backprop(loss, params, hand_backward(**params), n_examples=len(X))
    print(report)
    return report


def train_by_hand(params: dict[str, np.ndarray], epochs: int) -> list[float]:
    """The tutorial's loop on floats: w += lr * d_w. Returns the loss before each epoch."""
    losses = []
    for _ in range(epochs):
        losses.append(float(loss(**params)))
        steps = hand_backward(**params)
        for name in params:
            params[name] = params[name] + LEARNING_RATE * steps[name]
    return losses


def train_on_values(params: dict[str, np.ndarray], epochs: int, lr: float) -> list[float]:
    """The same network as arrays of Values: backward(), then w -= lr * dL/dw per leaf."""
    arrays = {name: wrap(value, name) for name, value in params.items()}
    losses = []
    for _ in range(epochs):
        zero_grad(*arrays.values())
        total = loss(**arrays)
        total.backward()
        losses.append(total.data)
        for array in arrays.values():
            for leaf in array.flat:
                leaf.data -= lr * leaf.grad
    params.update({name: data_of(array) for name, array in arrays.items()})
    return losses


def main(quick: bool = False, check_only: bool = False) -> dict[str, object]:
    """Check the tutorial's backward pass, then train it both ways and compare."""
    start = initial_parameters()
    print("== The tutorial's hand-written backward pass, checked against autograd ==")
    report = check(start)
    if check_only:
        return {"factor": report.common_factor}
    epochs = 100 if quick else 1000
    lr_values = LEARNING_RATE * abs(report.common_factor)  # the check's learning rate
    by_hand, on_values = dict(start), dict(start)
    hand_losses = train_by_hand(by_hand, epochs)
    value_losses = train_on_values(on_values, epochs, lr_values)
    print(f"\n== Trained both ways, {epochs} epochs, full batch ==")
    print(f"epoch  loss, floats: w += {LEARNING_RATE} * d_w   loss, Values: w -= {lr_values:g} "
          "* dL/dw")
    for epoch in range(0, epochs, epochs // 5):
        print(f"{epoch:<5}  {hand_losses[epoch]:<31.10f}  {value_losses[epoch]:.10f}")
    difference = max(float(np.max(np.abs(by_hand[n] - on_values[n]))) for n in start)
    print(f"largest difference between the two trainings' final weights: {difference:.1e}")
    predictions = forward(**by_hand)[1].ravel()
    right = ((predictions > 0.5) == (Y.ravel() > 0.5)).all()
    print(f"predictions for 00 01 10 11 after {epochs} epochs: "
          f"{' '.join(f'{p:.3f}' for p in predictions)} (targets 0 1 1 0): "
          + ("XOR learned" if right else "not learned yet; at lr 0.1 this takes many more "
             "epochs, and both trainings would still go step for step"))
    return {"factor": report.common_factor, "difference": difference,
            "losses": (hand_losses, value_losses)}


if __name__ == "__main__":
    main(quick="--quick" in sys.argv, check_only="--check" in sys.argv)
