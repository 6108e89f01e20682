"""Metrics against hand-worked confusion matrices."""

import pytest
from chainrule.nn import accuracy, confusion_matrix, f1_score, precision, recall

# true:      1 1 1 1 0 0 0 0 0 0
# predicted: 1 1 1 0 1 1 0 0 0 0   -> TP 3, FN 1, FP 2, TN 4
Y_TRUE = [1, 1, 1, 1, 0, 0, 0, 0, 0, 0]
Y_PRED = [1, 1, 1, 0, 1, 1, 0, 0, 0, 0]


def test_the_binary_confusion_matrix_counts_true_rows_and_predicted_columns():
    assert confusion_matrix(Y_TRUE, Y_PRED).tolist() == [[4, 2], [1, 3]]


def test_binary_metrics_from_the_hand_worked_matrix():
    assert accuracy(Y_TRUE, Y_PRED) == 0.7  # (3 + 4) / 10
    assert precision(Y_TRUE, Y_PRED) == 3 / 5  # TP / (TP + FP)
    assert recall(Y_TRUE, Y_PRED) == 3 / 4  # TP / (TP + FN)
    assert f1_score(Y_TRUE, Y_PRED) == pytest.approx(2 * 0.6 * 0.75 / 1.35)


def test_the_positive_class_can_be_zero():
    assert precision(Y_TRUE, Y_PRED, positive=0) == 4 / 5  # TN / (TN + FN)


def test_three_class_matrix_and_macro_averages_by_hand():
    y_true, y_pred = [0, 0, 1, 1, 2, 2], [0, 1, 1, 1, 2, 0]
    assert confusion_matrix(y_true, y_pred).tolist() == [[1, 1, 0], [0, 2, 0], [1, 0, 1]]
    # precision per class: 1/2, 2/3, 1/1; recall per class: 1/2, 2/2, 1/2
    assert precision(y_true, y_pred, average="macro") == pytest.approx((0.5 + 2 / 3 + 1) / 3)
    assert recall(y_true, y_pred, average="macro") == pytest.approx((0.5 + 1 + 0.5) / 3)


def test_nothing_predicted_positive_gives_precision_zero_not_an_error():
    assert precision([1, 0], [0, 0]) == 0.0


@pytest.mark.parametrize("call, match", [
    (lambda: accuracy([], []), "at least one"),
    (lambda: accuracy([0, 1], [0]), "equally long"),
    (lambda: confusion_matrix([0, 3], [0, 1], n_classes=2), "label 3, outside"),
    (lambda: confusion_matrix([0, -1], [0, 1]), "label -1"),
    (lambda: precision([0, 1, 2], [0, 1, 2]), "average='macro'"),
    (lambda: accuracy([0.5, 1], [0, 1]), "class indices"),
])
def test_bad_labels_raise_clear_errors(call, match):
    with pytest.raises(ValueError, match=match):
        call()
