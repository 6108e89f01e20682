"""Data generators, splits, the Standardizer and batches: seeded, balanced, checked."""

import numpy as np
import pytest
from chainrule.nn import (
    Standardizer,
    batches,
    make_blobs,
    make_circles,
    make_moons,
    make_spiral,
    make_xor,
    train_val_test_split,
)

GENERATORS = {
    "moons": lambda seed: make_moons(60, noise=0.1, seed=seed),
    "circles": lambda seed: make_circles(60, noise=0.05, seed=seed),
    "spiral": lambda seed: make_spiral(20, classes=3, seed=seed),
    "blobs": lambda seed: make_blobs(60, centers=3, seed=seed),
}


@pytest.mark.parametrize("name", sorted(GENERATORS))
def test_each_generator_is_deterministic_per_seed(name):
    (X1, y1), (X2, y2) = GENERATORS[name](5), GENERATORS[name](5)
    assert np.array_equal(X1, X2) and np.array_equal(y1, y2)
    assert not np.array_equal(X1, GENERATORS[name](6)[0])


@pytest.mark.parametrize("name", sorted(GENERATORS))
def test_each_generator_is_class_balanced_with_integer_labels(name):
    X, y = GENERATORS[name](0)
    counts = np.bincount(y)
    assert X.shape == (len(y), 2) and y.dtype.kind == "i"
    assert counts.max() - counts.min() == 0


def test_xor_is_the_truth_table():
    X, y = make_xor()
    assert [int(a) ^ int(b) for a, b in X] == y.tolist()


def test_noise_free_moons_lie_on_their_half_circles():
    X, y = make_moons(50, noise=0.0, seed=0)
    outer = X[y == 0]
    assert np.allclose(np.hypot(outer[:, 0], outer[:, 1]), 1.0)
    inner = X[y == 1]
    assert np.allclose(np.hypot(inner[:, 0] - 1.0, inner[:, 1] - 0.5), 1.0)


@pytest.mark.parametrize("call, match", [
    (lambda: make_moons(0), "n must be"),
    (lambda: make_moons(10, noise=-1), "noise"),
    (lambda: make_spiral(10, classes=1), "classes"),
    (lambda: make_circles(10, factor=1.5), "factor"),
])
def test_bad_generator_arguments_raise_value_errors(call, match):
    with pytest.raises(ValueError, match=match):
        call()


def test_a_stratified_split_keeps_every_class_in_proportion():
    X, y = make_spiral(20, classes=3, seed=0)
    parts = train_val_test_split(X, y, (0.5, 0.25, 0.25), seed=1, stratify=True)
    assert [np.bincount(part_y).tolist() for _, part_y in parts] == [[10] * 3, [5] * 3, [5] * 3]


def test_a_split_uses_every_row_exactly_once_and_is_seeded():
    X, y = np.arange(20.0).reshape(10, 2), np.arange(10)
    parts = train_val_test_split(X, y, (0.6, 0.4), seed=3)
    assert sorted(np.concatenate([py for _, py in parts]).tolist()) == list(range(10))
    again = train_val_test_split(X, y, (0.6, 0.4), seed=3)
    assert all(np.array_equal(a[1], b[1]) for a, b in zip(parts, again, strict=True))
    assert all(np.array_equal(px[:, 0] / 2, py) for px, py in parts)  # rows stay paired


@pytest.mark.parametrize("X, y, fractions, match", [
    (np.zeros((4, 2)), np.zeros(3), (0.5, 0.5), "one label per row"),
    (np.zeros((0, 2)), np.zeros(0), (0.5, 0.5), "non-empty"),
    (np.zeros((4, 2)), np.zeros(4), (0.5, 0.6), "summing to 1"),
])
def test_bad_split_arguments_raise_value_errors(X, y, fractions, match):
    with pytest.raises(ValueError, match=match):
        train_val_test_split(X, y, fractions)


def test_the_standardizer_uses_training_statistics_only():
    train, test = np.array([[0.0], [2.0]]), np.array([[4.0]])
    scaler = Standardizer().fit(train)  # mean 1, std 1
    assert scaler.transform(test).tolist() == [[3.0]]
    assert np.allclose(scaler.transform(train).mean(axis=0), 0.0)


def test_an_unfitted_standardizer_says_to_fit_first():
    with pytest.raises(ValueError, match="fit"):
        Standardizer().transform(np.zeros((2, 2)))


def test_batches_cover_every_row_once_and_shuffle_by_seed():
    X, y = np.arange(14.0).reshape(7, 2), np.arange(7)
    sizes = [len(yb) for _, yb in batches(X, y, size=3, seed=0)]
    seen = np.concatenate([yb for _, yb in batches(X, y, size=3, seed=0)])
    assert sizes == [3, 3, 1] and sorted(seen.tolist()) == list(range(7))
    again = np.concatenate([yb for _, yb in batches(X, y, size=3, seed=0)])
    assert np.array_equal(seen, again)


@pytest.mark.parametrize("call, match", [
    (lambda: make_moons(10, noise=float("inf")), "noise needs a finite number, got inf"),
    (lambda: make_circles(10, noise=float("nan")), "noise needs a finite number, got nan"),
    (lambda: make_spiral(10, noise=float("inf")), "noise needs a finite number"),
    (lambda: make_blobs(10, std=float("inf")), "std needs a finite number"),
])
def test_non_finite_noise_is_refused_instead_of_making_inf_data(call, match):
    with pytest.raises(ValueError, match=match):
        call()
