"""Losses: hand-computed values, gradients by gradcheck, and clear errors."""

import math

import numpy as np
import pytest
from chainrule.autograd import Value, assert_gradcheck
from chainrule.nn import (
    binary_cross_entropy,
    binary_cross_entropy_with_logits,
    hinge,
    l1_penalty,
    l2_penalty,
    mse,
    softmax_cross_entropy,
)


def values(*xs):
    return [Value(x) for x in xs]


def test_mse_is_the_mean_of_squared_differences():
    # ((1 - 0)^2 + (-1 - 1)^2) / 2 = (1 + 4) / 2
    assert mse(values(1.0, -1.0), [0.0, 1.0]).data == 2.5


def test_binary_cross_entropy_matches_minus_log_of_the_right_probability():
    # -(log 0.9 + log(1 - 0.2)) / 2
    expected = -(math.log(0.9) + math.log(0.8)) / 2
    assert binary_cross_entropy(values(0.9, 0.2), [1, 0]).data == pytest.approx(expected)


def test_binary_cross_entropy_clamps_a_certain_wrong_prediction_to_a_finite_loss():
    loss = binary_cross_entropy(values(0.0), [1])
    assert loss.data == pytest.approx(-math.log(1e-12))


def test_bce_with_logits_equals_bce_of_the_sigmoid():
    z, t = 1.3, 1.0
    s = 1 / (1 + math.exp(-z))
    expected = -(t * math.log(s) + (1 - t) * math.log(1 - s))
    assert binary_cross_entropy_with_logits(values(z), [t]).data == pytest.approx(expected)


@pytest.mark.parametrize("z", [-800.0, 800.0])
def test_bce_with_logits_is_stable_for_huge_logits(z):
    loss = binary_cross_entropy_with_logits(values(z), [1.0])
    assert loss.data == pytest.approx(max(0.0, -z))


def test_hinge_is_micrograds_max_margin_loss():
    # y = +1, s = 0.5 -> 0.5;  y = -1 (class 0), s = 0.5 -> 1.5;  y = +1, s = 2 -> 0
    assert hinge(values(0.5, 0.5, 2.0), [1, 0, 1]).data == pytest.approx(2.0 / 3)


def test_softmax_cross_entropy_of_one_row_by_hand():
    z = [1.0, 2.0, 0.5]
    expected = math.log(sum(math.exp(v) for v in z)) - z[1]
    assert softmax_cross_entropy(values(*z), 1).data == pytest.approx(expected)


def test_softmax_cross_entropy_of_a_batch_is_the_mean_of_rows():
    rows = [values(1.0, 0.0), values(0.0, 3.0)]
    one = softmax_cross_entropy(values(1.0, 0.0), 0).data
    two = softmax_cross_entropy(values(0.0, 3.0), 1).data
    assert softmax_cross_entropy(rows, np.array([0, 1])).data == pytest.approx((one + two) / 2)


def test_penalties_by_hand():
    assert l1_penalty(values(1.0, -2.0), 0.5).data == 1.5
    assert l2_penalty(values(1.0, -2.0), 0.5).data == 2.5


GRADCHECKS = {
    "mse": (lambda a, b: mse([a, b], [1.0, -2.0]), [0.3, 0.7]),
    "bce": (lambda a, b: binary_cross_entropy([a, b], [1, 0]), [0.3, 0.6]),
    "bce_logits": (lambda a, b: binary_cross_entropy_with_logits([a, b], [1, 0]), [0.4, -1.5]),
    "hinge": (lambda a, b: hinge([a, b], [1, -1]), [0.3, 0.2]),
    "softmax": (lambda a, b, c: softmax_cross_entropy([a, b, c], 2), [0.1, -0.4, 1.2]),
    "l1": (lambda a, b: l1_penalty([a, b], 0.1), [0.5, -0.5]),
    "l2": (lambda a, b: l2_penalty([a, b], 0.1), [0.5, -0.5]),
}


@pytest.mark.parametrize("name", sorted(GRADCHECKS))
def test_each_loss_gradient_agrees_with_finite_differences(name):
    f, point = GRADCHECKS[name]
    assert_gradcheck(f, point)


def test_bce_with_logits_gradient_at_zero_is_sigmoid_minus_target():
    z = Value(0.0)
    binary_cross_entropy_with_logits(z, 1.0).backward()
    assert z.grad == -0.5


@pytest.mark.parametrize("call, error, match", [
    (lambda: mse(values(1.0, 2.0), [1.0]), ValueError, "2 predictions but 1 targets"),
    (lambda: mse([], []), ValueError, "no predictions"),
    (lambda: mse([1.0], [1.0]), TypeError, "must be Values"),
    (lambda: mse(values(1.0), [float("nan")]), ValueError, "finite number"),
    (lambda: binary_cross_entropy(values(0.5), [2]), ValueError, r"in \[0, 1\]"),
    (lambda: binary_cross_entropy(values(1.5), [1]), ValueError, "probabilities"),
    (lambda: hinge(values(0.5), [2]), ValueError, "-1 or \\+1"),
    (lambda: softmax_cross_entropy(values(1.0, 2.0), 2), ValueError, "class index in 0..1"),
    (lambda: softmax_cross_entropy([values(1.0, 2.0)], [0, 1]), ValueError, "1 rows"),
    (lambda: l2_penalty(values(1.0), -1.0), ValueError, "alpha"),
    (lambda: l1_penalty([], 0.1), TypeError, "non-empty"),
])
def test_mismatched_or_bad_inputs_raise_clear_errors(call, error, match):
    with pytest.raises(error, match=match):
        call()


@pytest.mark.parametrize("penalty", [l1_penalty, l2_penalty])
@pytest.mark.parametrize("alpha", [math.inf, math.nan])
def test_a_penalty_refuses_a_non_finite_alpha(penalty, alpha):
    # alpha = inf would make the loss inf and every gradient inf or NaN
    with pytest.raises(ValueError, match=f"{penalty.__name__}: alpha needs a finite number"):
        penalty(values(1.0, -2.0), alpha)


@pytest.mark.parametrize("target, error", [
    (math.inf, ValueError), ("1", TypeError), (None, TypeError), (True, TypeError)])
def test_targets_are_checked_with_the_shared_real_number_message(target, error):
    with pytest.raises(error, match=r"mse: each target needs a (finite|real) number"):
        mse(values(1.0), [target])


def test_numpy_scalar_targets_and_alpha_are_accepted():
    assert mse(values(3.0), [np.float32(1.0)]).data == 4.0
    assert l1_penalty(values(2.0), np.int64(1)).data == 2.0
