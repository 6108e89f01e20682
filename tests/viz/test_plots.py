"""Plots: files exist and are not blank, axes are labelled, bad input is refused early."""

from __future__ import annotations

import matplotlib.image
import numpy as np
import pytest
from chainrule.viz import plot_decision_boundary, plot_history

HISTORY = {"epochs": 4,
           "train": {"loss": [1.0, 0.6, 0.4, 0.3], "accuracy": [0.5, 0.7, 0.8, 0.9]},
           "validation": {"loss": [1.1, 0.8, 0.6, 0.5], "accuracy": [0.5, 0.6, 0.7, 0.8]}}
X = np.array([[-1.0, -1.0], [-1.5, 0.5], [1.0, 1.0], [1.5, -0.5]])
Y = np.array([-1, -1, 1, 1])


def assert_picture(path) -> None:
    """The file exists and is not one flat colour."""
    pixels = matplotlib.image.imread(path)
    assert pixels.std() > 0.05, f"{path} looks blank"


def test_history_plot_draws_train_and_validation_per_metric(tmp_path):
    fig = plot_history(HISTORY, tmp_path / "history.png")
    assert_picture(tmp_path / "history.png")
    assert [(ax.get_xlabel(), ax.get_ylabel()) for ax in fig.axes] == [
        ("epoch", "loss"), ("epoch", "accuracy")]
    assert [len(ax.lines) for ax in fig.axes] == [2, 2]
    assert list(fig.axes[0].lines[0].get_ydata()) == HISTORY["train"]["loss"]


def test_history_plot_takes_anything_with_to_dict_and_no_validation(tmp_path):
    class History:
        def to_dict(self):
            return {"epochs": 2, "train": {"loss": [0.9, 0.4]}, "validation": {}}

    fig = plot_history(History(), tmp_path / "h.svg")
    assert (tmp_path / "h.svg").read_text().lstrip().startswith("<?xml")
    assert len(fig.axes) == 1 and len(fig.axes[0].lines) == 1


@pytest.mark.parametrize("history, error, words", [
    ({"epochs": 0, "train": {}, "validation": {}}, ValueError, "no epochs"),
    ({"epochs": 2, "train": {"loss": []}}, ValueError, "no epochs"),
    ([0.5, 0.4], TypeError, "needs a dict"),
    ({"epochs": 2, "train": {"loss": [1, 2]}, "validation": {"loss": [1]}}, ValueError,
     "'loss' has 1 values but training ran 2 epochs")])
def test_bad_histories_are_refused_before_any_file(tmp_path, history, error, words):
    with pytest.raises(error, match=words):
        plot_history(history, tmp_path / "h.png")
    assert list(tmp_path.iterdir()) == []


def test_binary_decision_boundary_shades_two_regions(tmp_path):
    fig = plot_decision_boundary(lambda x: x[0] + x[1], X, Y, tmp_path / "b.png",
                                 resolution=30)
    assert_picture(tmp_path / "b.png")
    ax = fig.axes[0]
    assert (ax.get_xlabel(), ax.get_ylabel()) == ("x[0]", "x[1]")
    assert ax.get_title() == "decision boundary: 100% of 4 points right"
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["class -1", "class 1"]


def test_probabilities_for_labels_0_and_1_split_at_one_half():
    y01 = (Y > 0).astype(int)
    fig = plot_decision_boundary(lambda x: 0.9 if x[0] > 0 else 0.1, X, y01, resolution=10)
    assert "100%" in fig.axes[0].get_title()
    wrong = plot_decision_boundary(lambda x: 0.4, X, y01, resolution=10)  # always class 0
    assert "50%" in wrong.axes[0].get_title()


def test_multiclass_decision_boundary_uses_the_nearest_class(tmp_path):
    X3 = np.array([[0.0, 0.0], [5.0, 0.0], [10.0, 0.0], [10.0, 1.0]])
    y3 = np.array([0, 1, 2, 2])
    fig = plot_decision_boundary(lambda x: round(x[0] / 5), X3, y3, tmp_path / "m.png",
                                 resolution=20)
    assert_picture(tmp_path / "m.png")
    assert "100% of 4" in fig.axes[0].get_title()
    assert len(fig.axes[0].get_legend().get_texts()) == 3


@pytest.mark.parametrize("X_bad, y_bad, words", [
    (np.zeros((4, 3)), Y, r"shape \(n_points, 2\).*\(4, 3\)"),
    (X, Y[:3], r"one label per point.*\(3,\)"),
    (np.zeros((0, 2)), np.zeros(0), "n >= 1"),
    (np.full((4, 2), np.nan), Y, "finite")])
def test_bad_data_is_refused_before_any_file(tmp_path, X_bad, y_bad, words):
    with pytest.raises(ValueError, match=words):
        plot_decision_boundary(lambda x: 0.0, X_bad, y_bad, tmp_path / "b.png")
    assert list(tmp_path.iterdir()) == []


def test_a_predict_that_returns_nan_is_named_in_the_error(tmp_path):
    with pytest.raises(ValueError, match=r"predict\(\[.*\]\) returned nan"):
        plot_decision_boundary(lambda x: float("nan"), X, Y, tmp_path / "b.png")
    assert list(tmp_path.iterdir()) == []


def test_an_unknown_picture_suffix_is_refused(tmp_path):
    with pytest.raises(ValueError, match=r"end the name with one of.*\.png"):
        plot_history(HISTORY, tmp_path / "h.xyz")
    with pytest.raises(ValueError, match=r"end the name with one of"):
        plot_decision_boundary(lambda x: 1 / 0, X, Y, tmp_path / "b.xyz")  # before predict
    assert list(tmp_path.iterdir()) == []
