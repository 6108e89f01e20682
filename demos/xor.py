"""XOR: the function no single neuron can learn, learned by a hidden layer.

XOR is 1 when exactly one input is 1. No straight line separates {(0,1), (1,0)} from
{(0,0), (1,1)}, so one neuron fails; a hidden layer bends the plane. This trains the
tutorials' network: 2 inputs, 4 sigmoid hidden units, 1 sigmoid output, mean squared
error, full batch (all four points every step). Then the first tutorial's smaller 2-3-1.
Success: every prediction on the right side of 0.5.

Run: ``.venv/bin/python demos/xor.py``.
"""

from __future__ import annotations

from chainrule.nn import MLP, SGD, fit, make_xor, mse, predict


def train(hidden: int, epochs: int) -> list[float]:
    """Train a 2-hidden-1 sigmoid network on XOR; print and return its four predictions."""
    X, y = make_xor()
    model = MLP(2, [hidden, 1], activation="sigmoid", output_activation="sigmoid", seed=0)
    optimizer = SGD(model.parameters(), lr=1.0, momentum=0.9)
    history = fit(model, X, y, loss=mse, optimizer=optimizer, epochs=epochs, progress=False)
    print(f"\n2-{hidden}-1 network, {epochs} steps: MSE {history.train['loss'][0]:.4f} -> "
          f"{history.train['loss'][-1]:.6f}")
    predictions = predict(model, X)
    for (a, b), target, p in zip(X.astype(int).tolist(), y.tolist(), predictions, strict=True):
        verdict = "right" if (p > 0.5) == bool(target) else "WRONG"
        print(f"  {a} xor {b} = {target}   predicted {p:.3f}  ({verdict})")
    return predictions


def main(quick: bool = False) -> dict[str, list[float]]:
    """Train both architectures; return their predictions for the four XOR points."""
    epochs = 500 if quick else 1000
    return {"2-4-1": train(4, epochs), "2-3-1": train(3, epochs)}


if __name__ == "__main__":
    main()
