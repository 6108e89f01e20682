"""Toy data sets and the plumbing around them: numpy arrays, seeded, no scikit-learn.

Every generator returns ``X`` (n rows of 2 features, float) and ``y`` (n integer class
labels 0, 1, ...). The same seed gives the same data to the last digit.

>>> X, y = make_moons(100, noise=0.1, seed=0)
>>> X.shape, y.shape, np.bincount(y).tolist()
((100, 2), (100,), [50, 50])
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

import numpy as np
from chainrule.autograd.numbers import as_real, choice, whole_number

Arrays = tuple[np.ndarray, np.ndarray]


def _count(name: str, n: object, low: int = 1) -> int:
    return whole_number(name, n, low)


def _noise(noise: object, name: str = "noise") -> float:
    noise = as_real(noise, name)
    if noise < 0:
        raise ValueError(f"{name} must be a number >= 0 (a standard deviation), got {noise!r}.")
    return noise


def _shuffled(X: np.ndarray, y: np.ndarray, rng: np.random.Generator) -> Arrays:
    order = rng.permutation(len(y))
    return X[order], y[order]


def make_xor() -> Arrays:
    """The four XOR points: label 1 when exactly one input is 1.

    >>> X, y = make_xor()
    >>> X.tolist(), y.tolist()
    ([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]], [0, 1, 1, 0])
    """
    return np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]]), np.array([0, 1, 1, 0])


def make_moons(n: int = 100, noise: float = 0.1, seed: int | None = None) -> Arrays:
    """Two interleaving half circles (micrograd's demo data), n // 2 of each, shuffled.

    Class 0 lies on (cos t, sin t), class 1 on (1 - cos t, 0.5 - sin t), t in [0, pi],
    plus Gaussian noise with standard deviation ``noise``.

    >>> X, y = make_moons(4, noise=0.0, seed=0)
    >>> sorted(map(tuple, X.round(2).tolist()))
    [(-1.0, 0.0), (0.0, 0.5), (1.0, 0.0), (2.0, 0.5)]
    """
    n, noise = _count("n", n, 2), _noise(noise)
    rng = np.random.default_rng(seed)
    n_outer = n // 2
    outer = np.linspace(0.0, np.pi, n_outer)
    inner = np.linspace(0.0, np.pi, n - n_outer)
    X = np.concatenate([np.stack([np.cos(outer), np.sin(outer)], axis=1),
                        np.stack([1.0 - np.cos(inner), 0.5 - np.sin(inner)], axis=1)])
    y = np.concatenate([np.zeros(n_outer, int), np.ones(n - n_outer, int)])
    X = X + rng.normal(0.0, noise, X.shape)
    return _shuffled(X, y, rng)


def make_circles(n: int = 100, noise: float = 0.05, factor: float = 0.5,
                 seed: int | None = None) -> Arrays:
    """A circle of radius 1 (class 0) around a smaller one of radius ``factor`` (class 1).

    >>> X, y = make_circles(8, noise=0.0, seed=0)
    >>> np.hypot(X[:, 0], X[:, 1])[np.argsort(y)].round(2).tolist()
    [1.0, 1.0, 1.0, 1.0, 0.5, 0.5, 0.5, 0.5]
    """
    n, noise, factor = _count("n", n, 2), _noise(noise), as_real(factor, "factor")
    if not 0 < factor < 1:
        raise ValueError(f"factor (inner radius / outer) must be in (0, 1), got {factor!r}.")
    rng = np.random.default_rng(seed)
    n_outer = n // 2
    outer = np.linspace(0.0, 2 * np.pi, n_outer, endpoint=False)
    inner = np.linspace(0.0, 2 * np.pi, n - n_outer, endpoint=False)
    X = np.concatenate([np.stack([np.cos(outer), np.sin(outer)], axis=1),
                        factor * np.stack([np.cos(inner), np.sin(inner)], axis=1)])
    y = np.concatenate([np.zeros(n_outer, int), np.ones(n - n_outer, int)])
    return _shuffled(X + rng.normal(0.0, noise, X.shape), y, rng)


def make_spiral(n_per_class: int = 100, classes: int = 3, noise: float = 0.2,
                seed: int | None = None) -> Arrays:
    """``classes`` arms of a spiral (CS231n's data): class j at radius r, angle 4j + 4r.

    >>> X, y = make_spiral(50, classes=3, seed=0)
    >>> X.shape, np.bincount(y).tolist()
    ((150, 2), [50, 50, 50])
    """
    n_per_class, classes = _count("n_per_class", n_per_class), _count("classes", classes, 2)
    noise = _noise(noise)
    rng = np.random.default_rng(seed)
    radius = np.linspace(0.0, 1.0, n_per_class)
    parts = []
    for j in range(classes):
        angle = np.linspace(4.0 * j, 4.0 * (j + 1), n_per_class)
        angle = angle + rng.normal(0.0, noise, n_per_class)
        parts.append(np.stack([radius * np.sin(angle), radius * np.cos(angle)], axis=1))
    y = np.repeat(np.arange(classes), n_per_class)
    return _shuffled(np.concatenate(parts), y, rng)


def make_blobs(n: int = 100, centers: int | Sequence[Sequence[float]] = 3, std: float = 1.0,
               seed: int | None = None) -> Arrays:
    """Gaussian clouds around ``centers`` (a count, drawn in [-10, 10]², or the points).

    >>> X, y = make_blobs(6, centers=[[0, 0], [10, 10]], std=0.0, seed=0)
    >>> X[np.argsort(y, kind="stable")].tolist()
    [[0.0, 0.0], [0.0, 0.0], [0.0, 0.0], [10.0, 10.0], [10.0, 10.0], [10.0, 10.0]]
    """
    n, std = _count("n", n), _noise(std, "std")
    rng = np.random.default_rng(seed)
    if isinstance(centers, (int, np.integer)):
        centers = rng.uniform(-10.0, 10.0, (_count("centers", centers), 2))
    centers = np.asarray(centers, dtype=float)
    if centers.ndim != 2 or len(centers) == 0:
        raise ValueError(f"centers must be a count or a list of points, got {centers!r}.")
    y = np.arange(n) % len(centers)
    X = centers[y] + rng.normal(0.0, std, (n, centers.shape[1]))
    return _shuffled(X, y, rng)


def check_xy(X: object, y: object) -> Arrays:
    """X as a 2-d float array and y as a 1-d array of the same length, or a clear error.

    >>> check_xy([[1, 2]], [0])[0].dtype
    dtype('float64')
    """
    X, y = np.asarray(X, dtype=float), np.asarray(y)
    if X.ndim != 2 or len(X) == 0:
        raise ValueError(f"X must be a non-empty 2-d array (one row per example), got "
                         f"shape {X.shape}.")
    if y.ndim != 1 or len(y) != len(X):
        raise ValueError(f"y must be 1-d with one label per row of X: X has {len(X)} rows, "
                         f"y has shape {y.shape}.")
    if not np.isfinite(X).all():
        raise ValueError("X holds NaN or inf; clean the data first.")
    return X, y


def train_val_test_split(X: np.ndarray, y: np.ndarray, fractions: Sequence[float] = (0.7, 0.15,
                         0.15), seed: int | None = None, stratify: bool = False) -> list[Arrays]:
    """Split into parts of the given fractions (2 or 3 of them, summing to 1), shuffled.

    With ``stratify=True`` each class is split on its own, so every part keeps the
    class balance. Returns ``[(X_train, y_train), (X_val, y_val), ...]``.

    >>> X, y = make_moons(100, seed=0)
    >>> (Xt, yt), (Xv, yv) = train_val_test_split(X, y, (0.8, 0.2), seed=0, stratify=True)
    >>> len(yt), len(yv), int(yv.sum())
    (80, 20, 10)
    """
    X, y = check_xy(X, y)
    fractions = [float(f) for f in fractions]
    if len(fractions) not in (2, 3) or min(fractions) <= 0 or abs(sum(fractions) - 1) > 1e-9:
        raise ValueError(f"fractions must be 2 or 3 numbers > 0 summing to 1, got {fractions}.")
    rng = np.random.default_rng(seed)
    groups = [np.flatnonzero(y == c) for c in np.unique(y)] if stratify else [np.arange(len(y))]
    parts: list[list[int]] = [[] for _ in fractions]
    for group in groups:
        group = rng.permutation(group)
        cuts = np.round(np.cumsum(fractions)[:-1] * len(group)).astype(int)
        for part, chunk in zip(parts, np.split(group, cuts), strict=True):
            part.extend(chunk.tolist())
    indices = [rng.permutation(np.array(part, dtype=int)) for part in parts]
    return [(X[i], y[i]) for i in indices]


class Standardizer:
    """Rescale each feature to mean 0, standard deviation 1: x' = (x - mean) / std.

    Fit on the training data only, then apply the same numbers to validation and test
    data (fitting on them would leak their statistics). A constant feature keeps std 1.

    >>> s = Standardizer().fit(np.array([[0.0, 5.0], [2.0, 5.0]]))
    >>> s.transform(np.array([[1.0, 5.0], [4.0, 5.0]])).tolist()
    [[0.0, 0.0], [3.0, 0.0]]
    """

    def __init__(self) -> None:
        self.mean: np.ndarray | None = None
        self.std: np.ndarray | None = None

    def fit(self, X: np.ndarray) -> Standardizer:
        """Remember each column's mean and standard deviation; return self.

        >>> s = Standardizer().fit(np.array([[1.0, 7.0], [3.0, 7.0]]))
        >>> s.mean.tolist(), s.std.tolist()       # column 2 is constant: std 1, not 0
        ([2.0, 7.0], [1.0, 1.0])
        """
        X, _ = check_xy(X, np.zeros(len(np.asarray(X))))
        std = X.std(axis=0)
        self.mean, self.std = X.mean(axis=0), np.where(std > 0, std, 1.0)
        return self

    def transform(self, X: np.ndarray) -> np.ndarray:
        """(X - mean) / std with the fitted numbers; X is not changed.

        >>> s = Standardizer().fit(np.array([[0.0], [4.0]]))     # mean 2, std 2
        >>> s.transform(np.array([[2.0], [6.0], [-2.0]])).tolist()   # (x - 2) / 2
        [[0.0], [2.0], [-2.0]]
        """
        if self.mean is None:
            raise ValueError("Standardizer is not fitted; call fit(X_train) first.")
        X = np.asarray(X, dtype=float)
        if X.ndim != 2 or X.shape[1] != len(self.mean):
            raise ValueError(f"expected rows of {len(self.mean)} features, got shape {X.shape}.")
        return (X - self.mean) / self.std

    def fit_transform(self, X: np.ndarray) -> np.ndarray:
        """``fit(X)`` then ``transform(X)``: for the training data only.

        >>> X = np.array([[10.0], [20.0], [30.0]])       # mean 20, std sqrt(200 / 3) = 8.165
        >>> Standardizer().fit_transform(X).round(4).tolist()      # -10 / 8.165 = -1.2247
        [[-1.2247], [0.0], [1.2247]]
        """
        return self.fit(X).transform(X)


def batches(X: np.ndarray, y: np.ndarray, size: int | None = None, shuffle: bool = True,
            seed: int | np.random.Generator | None = None) -> Iterator[Arrays]:
    """Yield (X_batch, y_batch) of ``size`` rows (the last may be smaller); None: all rows.

    >>> X, y = np.arange(10.0).reshape(5, 2), np.arange(5)
    >>> [yb.tolist() for _, yb in batches(X, y, size=2, shuffle=False)]
    [[0, 1], [2, 3], [4]]
    """
    X, y = check_xy(X, y)
    size = len(y) if size is None else _count("batch size", size)
    order = np.random.default_rng(seed).permutation(len(y)) if shuffle else np.arange(len(y))
    for start in range(0, len(y), size):
        chunk = order[start:start + size]
        yield X[chunk], y[chunk]


DATASETS = ("moons", "xor", "circles", "spiral")  # the toy sets make_dataset knows by name


def make_dataset(name: str, n: int = 100, seed: int | None = None) -> Arrays:
    """One of ``DATASETS`` by name, about ``n`` points: what ``chainrule train NAME`` fits.

    xor is always its 4 points; spiral is 3 classes of n // 3 points (at least 2 each).

    >>> X, y = make_dataset("spiral", 30, seed=0)
    >>> X.shape, np.bincount(y).tolist()
    ((30, 2), [10, 10, 10])
    >>> make_dataset("mnist")
    Traceback (most recent call last):
    ...
    ValueError: dataset must be one of moons, xor, circles, spiral, got 'mnist'.
    """
    choice("dataset", name, DATASETS)
    if name == "xor":
        return make_xor()
    if name == "spiral":
        return make_spiral(max(2, _count("n", n) // 3), classes=3, seed=seed)
    return (make_moons if name == "moons" else make_circles)(n, seed=seed)
