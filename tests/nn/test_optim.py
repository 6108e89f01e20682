"""Optimizers against hand-computed steps; schedules; bad arguments."""

import math

import numpy as np
import pytest
from chainrule.autograd import Value
from chainrule.nn import MLP, SGD, Adam, fit, hinge, linear_decay, make_moons, step_decay


def test_plain_sgd_moves_against_the_gradient():
    w = Value(2.0)
    w.grad = 0.5
    SGD([w], lr=0.1).step()
    assert w.data == 2.0 - 0.1 * 0.5


def test_sgd_with_momentum_and_weight_decay_by_hand():
    w = Value(1.0)
    opt = SGD([w], lr=0.1, momentum=0.5, weight_decay=0.2)
    w.grad = 1.0
    opt.step()  # g = 1 + 0.2*1 = 1.2; v = 1.2; w = 1 - 0.12 = 0.88
    assert w.data == pytest.approx(0.88, abs=1e-15)
    opt.step()  # g = 1 + 0.2*0.88 = 1.176; v = 0.6 + 1.176 = 1.776; w = 0.88 - 0.1776
    assert w.data == pytest.approx(0.7024, abs=1e-15)


def test_adam_matches_the_published_update_rule_over_three_steps():
    lr, b1, b2, eps = 0.01, 0.9, 0.999, 1e-8
    w = Value(0.5)
    opt = Adam([w], lr=lr, betas=(b1, b2), eps=eps)
    expected, m, v = 0.5, 0.0, 0.0
    for t, g in enumerate([0.2, -0.4, 1.0], start=1):
        m = b1 * m + (1 - b1) * g
        v = b2 * v + (1 - b2) * g * g
        expected -= lr * (m / (1 - b1 ** t)) / (math.sqrt(v / (1 - b2 ** t)) + eps)
        w.grad = g
        opt.step()
        assert abs(w.data - expected) <= 1e-12


def test_adams_first_step_is_lr_whatever_the_gradient_size():
    for g in (1e-3, 1.0, 1e3):
        w = Value(0.0)
        w.grad = g
        Adam([w], lr=0.1).step()
        assert w.data == pytest.approx(-0.1, rel=1e-4)  # eps = 1e-8 aside


def test_a_schedule_receives_the_step_number():
    w, seen = Value(0.0), []
    opt = SGD([w], lr=lambda k: seen.append(k) or 1.0)
    for _ in range(3):
        opt.step()
    assert seen == [0, 1, 2]


def test_micrograds_schedule_and_step_decay_by_hand():
    lr = linear_decay(1.0, 0.1, 100)
    assert [lr(k) for k in (0, 10, 99)] == [1.0 - 0.9 * k / 100 for k in (0, 10, 99)]
    assert [step_decay(1.0, 0.1, 2)(k) for k in range(5)] == pytest.approx([1, 1, .1, .1, .01])


def test_zero_grad_clears_the_optimizers_parameters():
    w = Value(1.0)
    w.grad = 3.0
    SGD([w], lr=0.1).zero_grad()
    assert w.grad == 0.0


def test_step_records_no_graph_and_keeps_parameters_leaves():
    w = Value(1.0)
    (w * w).backward()
    Adam([w], lr=0.1).step()
    assert w.op is None and w.parents == ()


@pytest.mark.parametrize("make, error, match", [
    (lambda: SGD([], lr=0.1), ValueError, "no parameters"),
    (lambda: SGD([1.0], lr=0.1), TypeError, "needs Values"),
    (lambda: SGD([Value(0.0)], lr=0.0), ValueError, "lr must be a number > 0"),
    (lambda: SGD([Value(0.0)], lr=-1), ValueError, "lr must be a number > 0"),
    (lambda: SGD([Value(0.0)], lr=0.1, momentum=1.5), ValueError, "momentum"),
    (lambda: Adam([Value(0.0)], betas=(0.9,)), ValueError, "two numbers"),
    (lambda: SGD([Value(0.0)], lr=lambda k: -1.0).step(), ValueError, "schedule gave lr=-1.0"),
])
def test_bad_optimizer_arguments_raise_clear_errors(make, error, match):
    with pytest.raises(error, match=match):
        make()


def test_a_bad_schedule_value_changes_no_parameter():
    w = Value(1.0)
    w.grad = 1.0
    with pytest.raises(ValueError):
        SGD([w], lr=lambda k: 0.0).step()
    assert w.data == 1.0


def test_adam_refuses_eps_zero_when_built_not_halfway_through_a_step():
    # with eps = 0 a parameter whose gradient is 0 gets m / sqrt(v) = 0 / 0 = NaN
    with pytest.raises(ValueError, match="Adam eps must be a number > 0, got 0"):
        Adam([Value(1.0), Value(2.0)], lr=0.1, eps=0)


@pytest.mark.parametrize("make, error, match", [
    (lambda: SGD([Value(0.0)], lr=math.inf), ValueError, "SGD lr needs a finite number, got inf"),
    (lambda: SGD([Value(0.0)], lr="0.1"), TypeError, "SGD lr needs a real number"),
    (lambda: SGD([Value(0.0)], lr=0.1, momentum=math.nan), ValueError,
     "SGD momentum needs a finite number, got nan"),
    (lambda: SGD([Value(0.0)], lr=0.1, weight_decay=math.inf), ValueError,
     "SGD weight_decay needs a finite number"),
    (lambda: Adam([Value(0.0)], betas=(0.9, math.nan)), ValueError,
     r"Adam betas\[1\] needs a finite number"),
    (lambda: Adam([Value(0.0)], eps=math.inf), ValueError, "Adam eps needs a finite number"),
    (lambda: Adam([Value(0.0)], eps=True), TypeError, "Adam eps needs a real number"),
    (lambda: linear_decay(1.0, math.nan, 10), ValueError, "linear_decay end needs a finite"),
    (lambda: step_decay(math.inf, 0.5, 10), ValueError, "step_decay initial needs a finite"),
])
def test_non_finite_or_non_number_hyper_parameters_get_the_shared_message(make, error, match):
    with pytest.raises(error, match=match):
        make()


def test_numpy_scalars_are_accepted_as_hyper_parameters():
    w = Value(1.0)
    w.grad = 4.0
    Adam([w], lr=np.float32(0.5), betas=np.array([0.9, 0.999]), eps=np.float64(1e-8)).step()
    assert w.data == pytest.approx(0.5)  # Adam's first step is lr


def test_a_schedule_giving_inf_is_refused_before_any_parameter_changes():
    w = Value(1.0)
    w.grad = 1.0
    with pytest.raises(ValueError, match="the schedule's lr at step 0 needs a finite number"):
        SGD([w], lr=lambda k: math.inf).step()
    assert w.data == 1.0


def test_linear_decay_stays_at_its_final_rate_after_its_steps():
    lr = linear_decay(1.0, 0.1, 100)
    # unclamped, step 150 would be 1 - 0.9 * 1.5 = -0.35 and stop training
    assert [round(lr(k), 12) for k in (100, 101, 150, 10_000)] == [0.1] * 4


@pytest.mark.parametrize("start, end, steps, match", [
    (1.0, 0.0, 100, "end must be a number > 0"),
    (-1.0, 0.1, 100, "start must be a number > 0"),
    (1.0, 0.1, 0, "steps must be a whole number >= 1"),
])
def test_linear_decay_refuses_rates_that_would_stop_training(start, end, steps, match):
    with pytest.raises(ValueError, match=match):
        linear_decay(start, end, steps)


def test_fit_with_more_steps_than_the_schedule_planned_keeps_training():
    X, y = make_moons(20, noise=0.1, seed=0)
    model = MLP(2, [4, 1], seed=0)
    optimizer = SGD(model.parameters(), lr=linear_decay(1.0, 0.1, 4))  # planned 4 steps
    history = fit(model, X, y, loss=hinge, optimizer=optimizer, epochs=2, batch_size=6,
                  progress=False)  # 20 rows in batches of 6: 4 steps per epoch, 8 in all
    assert history.epochs == 2 and optimizer.steps == 8
    assert optimizer.rate() == pytest.approx(0.1)


@pytest.mark.parametrize("make", [
    lambda ps: SGD(ps, lr=0.1),
    lambda ps: SGD(ps, lr=linear_decay(1.0, 0.1, 3), momentum=0.9, weight_decay=0.01),
    lambda ps: Adam(ps, lr=0.05, weight_decay=0.001),
])
def test_the_array_update_takes_exactly_the_steps_of_step(make):
    # a compiled fit moves the parameters as one array (Optimizer.update): bit for bit
    # the numbers step() gives the Values, over several steps (momentum, moments, schedule)
    rng = np.random.default_rng(0)
    values = [Value(float(x)) for x in rng.normal(size=5)]
    by_value, by_array = make(values), make([Value(v.data) for v in values])
    data = np.array([v.data for v in values])
    for _ in range(4):
        grads = rng.normal(size=5)
        for v, g in zip(values, grads.tolist(), strict=True):
            v.grad = g
        by_value.step()
        data = by_array.update(data, grads)
        assert data.tolist() == [v.data for v in values]
    assert by_array.steps == by_value.steps == 4


def test_the_array_update_refuses_a_non_finite_step_before_changing_its_state():
    opt = SGD([Value(1.0), Value(2.0)], lr=1e308, momentum=0.5)
    with pytest.raises(OverflowError, match="no parameter was changed"):
        opt.update(np.array([1.0, 2.0]), np.array([1.0, -1e10]))
    assert (opt.velocity, opt.steps) == ([0.0, 0.0], 0)
