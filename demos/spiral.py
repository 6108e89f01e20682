"""Three spiral arms: a multi-class problem, softmax cross-entropy, Adam, mini-batches.

Each point belongs to one of three interleaved spiral arms. The network outputs three
scores (logits), softmax turns them into probabilities, and the loss is -log of the
probability given to the right arm. Adam adapts a step size per parameter; mini-batches
of 16 points mean several steps per epoch. A fifth of the points is held back for
validation, and the confusion matrix at the end shows which arms get mixed up.

It saves ``out/spiral_boundary.png`` (the plane coloured by the arm the network
picks) and ``out/spiral_history.png`` (training and validation curves).

Run: ``.venv/bin/python demos/spiral.py`` (about 15 seconds); ``main(quick=True)``
trains a smaller network on fewer points.
"""

from __future__ import annotations

from pathlib import Path

from chainrule.nn import (
    MLP,
    Adam,
    Standardizer,
    confusion_matrix,
    decision_function,
    fit,
    make_spiral,
    predict,
    softmax_cross_entropy,
    to_labels,
    train_val_test_split,
)
from chainrule.viz import plot_decision_boundary, plot_history

OUT = Path(__file__).resolve().parents[1] / "out"  # git-ignored


def main(quick: bool = False, out: Path = OUT) -> dict[str, float]:
    """Train on the spiral; print the learning curve and a confusion matrix; return scores.

    Saves the decision regions and the training history as pictures in ``out``.
    """
    n_per_class, hidden, lr, epochs = (20, [12, 12], 0.03, 30) if quick else (50, [16, 16],
                                                                            0.02, 40)
    X, y = make_spiral(n_per_class, classes=3, noise=0.1, seed=0)
    (X_train, y_train), (X_val, y_val) = train_val_test_split(X, y, (0.8, 0.2), seed=0,
                                                              stratify=True)
    scaler = Standardizer().fit(X_train)  # statistics of the training points only
    X_train, X_val = scaler.transform(X_train), scaler.transform(X_val)
    model = MLP(2, [*hidden, 3], seed=0)
    print(f"{model}: {len(model.parameters())} parameters; "
          f"{len(y_train)} training and {len(y_val)} validation points")

    history = fit(model, X_train, y_train, loss=softmax_cross_entropy,
                  optimizer=Adam(model.parameters(), lr=lr), epochs=epochs, batch_size=16,
                  validation=(X_val, y_val), seed=0)
    for epoch in sorted({0, epochs // 4, epochs // 2, epochs - 1}):
        print(f"epoch {epoch + 1:>3}: loss {history.train['loss'][epoch]:.3f}, "
              f"accuracy {history.train['accuracy'][epoch]:.0%} (validation "
              f"{history.validation['accuracy'][epoch]:.0%})")

    predicted = to_labels(predict(model, X_val))  # the arm with the highest score
    print("\nvalidation confusion matrix (rows: true arm, columns: predicted arm):")
    print(confusion_matrix(y_val, predicted, n_classes=3))

    # the arm with the highest score, plotted in the standardized coordinates it sees
    regions = plot_decision_boundary(decision_function(model), X_train, y_train,
                                     Path(out) / "spiral_boundary.png",
                                     resolution=30 if quick else 60)
    plot_history(history, Path(out) / "spiral_history.png")
    print(f"\nwrote {Path(out) / 'spiral_boundary.png'} ({regions.axes[0].get_title()})")
    print(f"wrote {Path(out) / 'spiral_history.png'} (training and validation per epoch)")
    return {"train_accuracy": history.train["accuracy"][-1],
            "validation_accuracy": history.validation["accuracy"][-1]}


if __name__ == "__main__":
    main()
