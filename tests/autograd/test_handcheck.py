"""check_backprop: hand-derived gradients against autograd's, with a diagnosis a learner can use.

The network is the tutorials' 2-4-1 sigmoid net on XOR (N = 4 examples, loss = mean squared
error); each test derives its "hand" gradient from the correct one in one known way and
checks that the report names that way.
"""

from __future__ import annotations

import numpy as np
import pytest
from chainrule.autograd.handcheck import check_backprop
from chainrule.autograd.handcheck_diagnosis import diagnose
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

X = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
Y = np.array([[0.0], [1.0], [1.0], [0.0]])
RNG = np.random.default_rng(3)
PARAMS = {"W1": RNG.normal(size=(2, 4)), "b1": RNG.normal(size=(1, 4)) * 0.1,
          "W2": RNG.normal(size=(4, 1)), "b2": np.zeros((1, 1))}


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def loss(W1, b1, W2, b2):
    a2 = sigmoid(sigmoid(X @ W1 + b1) @ W2 + b2)
    return np.mean((Y - a2) ** 2)


def correct_gradients(W1, b1, W2, b2, per_example=False):
    """dL/dparam for the mean squared error, derived by hand (the 2/N included)."""
    a1 = sigmoid(X @ W1 + b1)
    a2 = sigmoid(a1 @ W2 + b2)
    d_z2 = -2 / len(X) * (Y - a2) * a2 * (1 - a2)
    d_z1 = (d_z2 @ W2.T) * a1 * (1 - a1)
    sum_b = (lambda d: d) if per_example else (lambda d: np.sum(d, axis=0, keepdims=True))
    return {"W1": X.T @ d_z1, "b1": sum_b(d_z1), "W2": a1.T @ d_z2, "b2": sum_b(d_z2)}


TRUE = correct_gradients(**PARAMS)


def check(hand, **options):
    return check_backprop(loss, PARAMS, hand, n_examples=4, **options)


def test_correct_matrix_gradients_agree_everywhere():
    report = check(TRUE)
    assert report.ok and [row.verdict for row in report.rows] == ["agrees"] * 4
    assert max(row.max_abs_error for row in report.rows) < 1e-12
    assert report.loss == pytest.approx(float(loss(**PARAMS)))


def test_the_tutorials_convention_is_named_opposite_sign_and_n_over_2():
    # error = y - a2 and no 2/N: each array is -(N/2) x dL/dW, i.e. dL/dW = -(2/N) x yours
    hand = {name: -(4 / 2) * g for name, g in TRUE.items()}
    report = check(hand)
    assert not report.ok and report.common_factor == pytest.approx(-2.0)
    assert {row.verdict.split(" × ")[0] for row in report.rows} == {"-(N/2)"}
    text = str(report)
    assert "w += lr * g" in text and "½·Σ" in text and "-(2/N)" in text


@pytest.mark.parametrize("factor, n_examples, verdict", [
    (2.0, None, "2 × dL/dW1"), (0.5, None, "1/2 × dL/dW1"), (-1.0, None, "-dL/dW1"),
    (0.5, 4, "2/N × dL/dW1, N = 4"), (4.0, 4, "N × dL/dW1, N = 4"),
    (0.25, 4, "1/N × dL/dW1, N = 4"), (3.0, 6, "N/2 × dL/dW1, N = 6"),
])
def test_a_usual_constant_factor_is_named(factor, n_examples, verdict):
    report = check_backprop(loss, PARAMS, {"W1": factor * TRUE["W1"]}, n_examples=n_examples)
    assert report.rows[0].verdict == verdict
    assert report.rows[0].diagnosis.factor == pytest.approx(factor)


def test_when_two_names_fit_the_advice_gives_both_causes():
    # N = 4: N/2 and 2 are the same number; the ½·Σ reading comes first, the extra 2 second
    advice = check({"W1": 2.0 * TRUE["W1"]}).rows[0].diagnosis.advice
    assert advice.index("½·Σ") < advice.index("an extra 2")


def test_an_unusual_factor_is_given_as_a_number():
    report = check({"W2": 0.37 * TRUE["W2"]})
    assert report.rows[0].verdict == "0.37 × dL/dW2"


def test_a_transposed_gradient_is_recognised_with_or_without_a_factor():
    report = check({"W1": TRUE["W1"].T, "W2": -TRUE["W2"].T})
    assert [row.verdict for row in report.rows] == ["transposed", "transposed, and -dL/dW2"]
    assert all(row.diagnosis.kind == "transposed" for row in report.rows)


def test_a_bias_gradient_left_per_example_is_told_to_sum_over_axis_0():
    hand = correct_gradients(**PARAMS, per_example=True)
    report = check({"b1": hand["b1"], "b2": hand["b2"]})
    assert [row.verdict for row in report.rows] == ["per example", "per example"]
    assert "axis=0" in str(report)


def test_a_wrong_shape_no_rearrangement_fixes_is_reported_not_raised():
    report = check({"W1": np.ones(3)})
    assert report.rows[0].diagnosis.kind == "shape" and "(3,)" in report.rows[0].verdict


def test_wrong_entries_are_listed_by_index_with_both_numbers():
    hand = TRUE["W1"].copy()
    hand[1, 2] += 0.5
    row = check({"W1": hand}).rows[0]
    assert row.verdict == "1 of 8 entries differ" and row.diagnosis.differing == ((1, 2),)
    assert "W1[1,2]: yours" in row.diagnosis.advice


def test_a_whole_wrong_column_is_pointed_out():
    hand = TRUE["W1"].copy()
    hand[:, 3] = 0.0
    assert check({"W1": hand}).rows[0].verdict.endswith("all of column 3")


def test_per_weight_partials_with_a_swapped_input_name_the_other_weight():
    x0, x1, y = 0.8, -0.3, 1.0
    def example_loss(w1, w2, b):
        return (y - sigmoid(w1 * x0 + w2 * x1 + b)) ** 2
    w1, w2, b = 0.4, -0.7, 0.1
    s = sigmoid(w1 * x0 + w2 * x1 + b)
    d_L_d_sum = -2 * (y - s) * s * (1 - s)
    hand = {"w1": d_L_d_sum * x0, "w2": d_L_d_sum * x0, "b": d_L_d_sum}   # w2 took x0
    report = check_backprop(example_loss, {"w1": w1, "w2": w2, "b": b}, hand)
    assert [row.verdict for row in report.rows] == ["agrees", "equals dL/dw1", "agrees"]


def test_a_partial_of_an_inner_quantity_is_reported_under_its_own_name():
    report = check_backprop(lambda w, x: sigmoid(w * x), {"w": 0.5, "x": 2.0},
                            {"w": 2.0 * 0.25}, of="h1")   # sigmoid'(1) is not 0.25
    assert "dh1/d(array)" in str(report) and not report.ok


def test_the_report_is_a_frozen_record_with_the_numbers():
    report = check(TRUE)
    row = report.rows[0]
    assert row.true.shape == (2, 4) and row.yours.shape == (2, 4)
    with pytest.raises(AttributeError):
        report.loss = 0.0
    with pytest.raises(ValueError):          # read-only copies, not the caller's arrays
        row.yours[0, 0] = 1.0


@pytest.mark.parametrize("args, error, words", [
    (({"W1": 1.0}, {"W9": 1.0}), ValueError, "W9"),
    (({"W 1": 1.0}, {"W 1": 1.0}), ValueError, "Python names"),
    (({}, {}), TypeError, "non-empty dict"),
    (({"W1": 1.0}, {"W1": [float("nan")]}), ValueError, "finite"),
])
def test_bad_arguments_are_refused_before_the_loss_runs(args, error, words):
    calls = []
    with pytest.raises(error, match=words):
        check_backprop(lambda **p: calls.append(p), *args)
    assert calls == []


def test_bad_batch_size_is_refused():
    with pytest.raises(ValueError, match="positive int"):
        check_backprop(loss, PARAMS, TRUE, n_examples=0)


def test_a_loss_that_is_still_an_array_is_explained():
    with pytest.raises(TypeError, match=r"np.mean"):
        check_backprop(lambda W2: W2 * 2, {"W2": PARAMS["W2"]}, {"W2": TRUE["W2"]})


gradients_2d = arrays(np.float64, st.tuples(st.integers(1, 4), st.integers(2, 4)),
                      elements=st.floats(-10, 10).filter(lambda x: abs(x) > 1e-3))


@given(true=gradients_2d, factor=st.sampled_from([-1.0, 2.0, 0.5, -2.0, 0.25, 3.0]))
def test_any_array_scaled_by_a_usual_factor_is_diagnosed_with_that_factor(true, factor):
    found = diagnose("W", true, factor * true, n_examples=4)
    assert found.kind == "factor" and found.factor == pytest.approx(factor)


@given(true=gradients_2d)
def test_any_non_square_array_transposed_is_diagnosed_as_transposed(true):
    if true.shape[0] != true.shape[1]:
        assert diagnose("W", true, true.T).verdict == "transposed"


@given(true=gradients_2d, data=st.data())
def test_one_changed_entry_is_the_one_listed(true, data):
    index = (data.draw(st.integers(0, true.shape[0] - 1)),
             data.draw(st.integers(0, true.shape[1] - 1)))
    yours = true.copy()
    yours[index] += 1.0
    assert diagnose("W", true, yours).differing == (index,)
