"""Training pictures with matplotlib: loss and metric curves, and decision boundaries.

Figures are made with ``matplotlib.figure.Figure`` and its Agg canvas, never pyplot, so
they work headless (no display, no backend to pick) and leave no global state behind.
In Jupyter a returned Figure shows inline.

>>> fig = plot_history({"epochs": 3, "train": {"loss": [0.9, 0.5, 0.3]}, "validation": {}})
>>> [ax.get_ylabel() for ax in fig.axes]
['loss']
"""

from __future__ import annotations

import io
import math
import os
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
from chainrule.autograd.files import write_whole

if TYPE_CHECKING:
    from matplotlib.figure import Figure

CLASS_COLOURS = ["#2563eb", "#dc2626", "#16a34a", "#d97706", "#7c3aed", "#0891b2"]


def plot_history(history: object, path: str | os.PathLike | None = None,
                 dpi: int = 100) -> Figure:
    """Loss and metrics per epoch: one panel per metric, train and validation lines.

    ``history`` is ``{"epochs": n, "train": {"loss": [...], ...}, "validation": {...}}``
    or anything with a ``.to_dict()`` that returns one (nn's History). Saves to ``path``
    when given (the suffix picks the format: .png, .svg, .pdf).

    >>> h = {"epochs": 2, "train": {"loss": [1.0, 0.5], "accuracy": [0.5, 0.75]},
    ...      "validation": {"loss": [1.1, 0.7]}}
    >>> fig = plot_history(h)
    >>> [(ax.get_xlabel(), ax.get_ylabel(), len(ax.lines)) for ax in fig.axes]
    [('epoch', 'loss', 2), ('epoch', 'accuracy', 1)]
    """
    train, validation = _check_history(history)
    fmt = picture_format(path)
    fig = _figure((4.2 * len(train), 3.2))
    for ax, (metric, values) in zip(fig.subplots(1, len(train), squeeze=False)[0],
                                    train.items(), strict=True):
        epochs = range(1, len(values) + 1)
        ax.plot(epochs, values, color=CLASS_COLOURS[0], label="train", linewidth=2)
        if metric in validation:
            ax.plot(epochs, validation[metric], color=CLASS_COLOURS[1], label="validation",
                    linewidth=2, linestyle="--")
        ax.set_xlabel("epoch")
        ax.set_ylabel(metric)
        ax.set_title(f"{metric}: {values[-1]:.4g} after {len(values)} epochs", fontsize=10)
        ax.grid(alpha=0.3)
        ax.legend(frameon=False)
    _save(fig, path, fmt, dpi)
    return fig


def _check_history(history: object) -> tuple[dict[str, list], dict[str, list]]:
    data = history.to_dict() if hasattr(history, "to_dict") else history
    if not isinstance(data, Mapping) or not isinstance(data.get("train"), Mapping):
        raise TypeError(f"plot_history needs a dict like {{'epochs': n, 'train': {{'loss': "
                        f"[...]}}, 'validation': {{}}}} or an object with .to_dict(), got "
                        f"{type(history).__name__} {history!r:.80}.")
    train = {k: [float(v) for v in vs] for k, vs in data["train"].items() if len(vs)}
    validation = {k: [float(v) for v in vs] for k, vs in
                  (data.get("validation") or {}).items() if len(vs)}
    if not train:
        raise ValueError("plot_history: the history has no epochs to plot (train is empty); "
                         "train for at least one epoch first.")
    for name, values in [*train.items(), *validation.items()]:
        if len(values) != len(next(iter(train.values()))):
            raise ValueError(f"plot_history: metric {name!r} has {len(values)} values but "
                             f"training ran {len(next(iter(train.values())))} epochs; each "
                             "metric needs one value per epoch.")
    return train, validation


def plot_decision_boundary(predict: Callable[[list[float]], float], X: np.ndarray,
                           y: np.ndarray, path: str | os.PathLike | None = None,
                           resolution: int = 100, dpi: int = 100) -> Figure:
    """Shade the plane by the class a model predicts, with the data points on top.

    ``predict(x)`` takes one point ``[x0, x1]`` (a list of floats) and returns a number;
    the point goes to the class label nearest to it. So a score works for labels -1/1
    (boundary at 0), a probability for 0/1 (boundary at 0.5), and a class index for
    more classes. It is called ``resolution``² times, plus once per data point.

    >>> X = np.array([[-1.0, 0.0], [1.0, 0.0], [-2.0, 1.0], [2.0, -1.0]])
    >>> y = np.array([-1, 1, -1, 1])
    >>> fig = plot_decision_boundary(lambda x: x[0], X, y, resolution=20)
    >>> ax = fig.axes[0]
    >>> ax.get_xlabel(), ax.get_ylabel(), ax.get_title()
    ('x[0]', 'x[1]', 'decision boundary: 100% of 4 points right')
    """
    X, y, classes = _check_data(X, y, resolution)
    fmt = picture_format(path)
    xx, yy = _grid(X, resolution)
    scores = np.array([_score(predict, [a, b]) for a, b in zip(
        xx.ravel().tolist(), yy.ravel().tolist(), strict=True)]).reshape(xx.shape)
    guesses = np.array([_score(predict, row) for row in X.tolist()])
    nearest = classes[np.abs(guesses[:, None] - classes[None, :]).argmin(axis=1)]
    hits = int((nearest == y).sum())
    fig = _figure((4.8, 4.2))
    ax = fig.add_subplot()
    _draw_regions(ax, xx, yy, scores, classes)
    _draw_points(ax, X, y, classes)
    ax.set_xlabel("x[0]")
    ax.set_ylabel("x[1]")
    ax.set_title(f"decision boundary: {hits / len(X):.0%} of {len(X)} points right")
    _save(fig, path, fmt, dpi)
    return fig


def _draw_regions(ax: object, xx: np.ndarray, yy: np.ndarray, scores: np.ndarray,
                  classes: np.ndarray) -> None:
    """Each class's region lightly shaded and the boundaries drawn as lines.

    With two classes the boundary is the contour of the score itself at the midpoint
    of the labels, so it is smooth; with more, it follows the nearest-class grid.
    """
    palette = [CLASS_COLOURS[i % len(CLASS_COLOURS)] for i in range(len(classes))]
    if len(classes) == 2:
        middle = float(classes.mean())
        spread = float(np.abs(scores - middle).max()) + 1.0
        values, levels = scores, [middle - spread, middle, middle + spread]
    else:
        values = np.abs(scores[..., None] - classes).argmin(axis=-1)
        levels = list(np.arange(len(classes) + 1) - 0.5)
    from matplotlib.colors import ListedColormap

    ax.contourf(xx, yy, values, levels=levels, cmap=ListedColormap(palette), alpha=0.22)
    crossed = [level for level in levels[1:-1] if values.min() < level < values.max()]
    if crossed:
        ax.contour(xx, yy, values, levels=crossed, colors="#374151", linewidths=1)


def _draw_points(ax: object, X: np.ndarray, y: np.ndarray, classes: np.ndarray) -> None:
    for index, label in enumerate(classes):
        points = X[y == label]
        ax.scatter(points[:, 0], points[:, 1], s=18, label=f"class {label:g}",
                   color=CLASS_COLOURS[index % len(CLASS_COLOURS)], edgecolors="white",
                   linewidths=0.5)
    ax.legend(frameon=False, fontsize=8, loc="upper right")


def _check_data(X: object, y: object, resolution: int) -> tuple[np.ndarray, np.ndarray,
                                                                np.ndarray]:
    X, y = np.asarray(X, dtype=float), np.asarray(y, dtype=float)
    if X.ndim != 2 or X.shape[1] != 2 or len(X) == 0:
        raise ValueError(f"plot_decision_boundary needs X of shape (n_points, 2) with n >= 1, "
                         f"got shape {X.shape}; it draws 2-D data only.")
    if y.shape != (len(X),):
        raise ValueError(f"plot_decision_boundary needs one label per point: y of shape "
                         f"({len(X)},), got {y.shape}.")
    if not (np.isfinite(X).all() and np.isfinite(y).all()):
        raise ValueError("plot_decision_boundary: X and y must be finite (no nan or inf).")
    if isinstance(resolution, bool) or not isinstance(resolution, int) or resolution < 2:
        raise ValueError(f"resolution must be an int >= 2 (grid points per side), "
                         f"got {resolution!r}.")
    return X, y, np.unique(y)


def _grid(X: np.ndarray, resolution: int) -> tuple[np.ndarray, np.ndarray]:
    low, high = X.min(axis=0), X.max(axis=0)
    margin = np.maximum((high - low) * 0.1, 0.5)
    axes = [np.linspace(low[i] - margin[i], high[i] + margin[i], resolution) for i in (0, 1)]
    return np.meshgrid(*axes)


def _score(predict: Callable[[list[float]], float], point: list[float]) -> float:
    score = float(predict(point))
    if not math.isfinite(score):
        raise ValueError(f"plot_decision_boundary: predict({point!r}) returned {score!r}; "
                         "it must return a finite number.")
    return score


def picture_format(path: str | os.PathLike | None) -> str | None:
    """The format a plot is saved in, from the suffix; checked before any drawing.

    >>> picture_format("boundary.PNG"), picture_format(None)
    ('png', None)
    """
    if path is None:
        return None
    formats = _figure((1.0, 1.0)).canvas.get_supported_filetypes()
    fmt = Path(path).suffix.lower().lstrip(".")
    if fmt not in formats:
        raise ValueError(f"cannot save a plot as {str(path)!r}: end the name with one of "
                         f"{', '.join('.' + f for f in sorted(formats))}.")
    return fmt


_picture_format = picture_format  # the old private name, for callers not yet moved


def _figure(size: tuple[float, float]) -> Figure:
    """A Figure on its own Agg canvas (no pyplot), matplotlib imported only now.

    Speed: importing matplotlib with chainrule put ~50,000 more objects in the heap, and
    each full garbage collection scans them: 7.5 -> 61 ms per gc.collect(), a cost every
    large graph build pays (the engine benchmark times one collection per run).
    """
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=size, layout="constrained")
    FigureCanvasAgg(fig)
    return fig


def _save(fig: Figure, path: str | os.PathLike | None, fmt: str | None, dpi: int) -> None:
    if path is None or fmt is None:
        return
    buffer = io.BytesIO()
    fig.savefig(buffer, format=fmt, dpi=dpi)
    write_whole(Path(path), buffer.getvalue())
