"""The compiled training step gives the per-example engine's losses and gradients."""

import numpy as np
import pytest
from chainrule.autograd import Value
from chainrule.nn import (
    MLP,
    SGD,
    binary_cross_entropy,
    binary_cross_entropy_with_logits,
    hinge,
    l2_penalty,
    make_moons,
    make_spiral,
    mse,
    softmax_cross_entropy,
    train_step,
)
from chainrule.nn.compiled import compiled_gradients, compiled_train_step, model_tape
from chainrule.nn.losses import backward_loss
from engine_reference import engine_gradients

from chainrule import nn

RTOL = 1e-9


def assert_same_step(model, loss, rows, targets):
    expected_loss, expected = engine_gradients(model, loss, rows, targets)
    got_loss, _ = compiled_gradients(model, loss, rows, targets)
    got = np.array([p.grad for p in model.parameters()])
    assert got_loss == pytest.approx(expected_loss, rel=RTOL)
    np.testing.assert_allclose(got, expected, rtol=RTOL, atol=RTOL * np.max(np.abs(expected)))


def test_moons_hinge_with_l2_matches_micrograds_demo_loss():
    X, y = make_moons(100, noise=0.1, seed=1337)
    model = MLP(2, [16, 16, 1], seed=1337)
    loss = lambda scores, ys: hinge(scores, ys) + l2_penalty(model.parameters(), 1e-4)
    assert_same_step(model, loss, X.tolist(), 2 * y - 1)


def test_spiral_softmax_cross_entropy_with_three_outputs():
    X, y = make_spiral(30, classes=3, seed=0)
    model = MLP(2, [16, 3], activation="tanh", seed=0)
    assert_same_step(model, softmax_cross_entropy, X.tolist(), y)


@pytest.mark.parametrize("seed", range(6))
def test_random_mlps_with_each_loss(seed):
    rng = np.random.default_rng(seed)
    n_inputs = int(rng.integers(1, 5))
    sizes = [int(n) for n in rng.integers(1, 7, int(rng.integers(1, 3)))] + [1]
    activation = ["relu", "tanh", "sigmoid", "leaky_relu"][seed % 4]
    rows = rng.normal(size=(int(rng.integers(2, 30)), n_inputs)).tolist()
    classes = rng.integers(0, 2, len(rows))
    losses = [
        (mse, rng.normal(size=len(rows))),
        (hinge, classes),
        (binary_cross_entropy_with_logits, classes),
    ]
    for loss, targets in losses:
        model = MLP(n_inputs, sizes, activation=activation, seed=seed)
        assert_same_step(model, loss, rows, targets)
    model = MLP(n_inputs, sizes, activation=activation, output_activation="sigmoid", seed=seed)
    assert_same_step(model, binary_cross_entropy, rows, classes)


def test_training_steps_follow_the_same_path_as_train_step():
    X, y = make_moons(40, noise=0.1, seed=3)
    rows, targets = X.tolist(), 2 * y - 1
    models = [MLP(2, [8, 8, 1], seed=5) for _ in range(2)]
    optimizers = [SGD(m.parameters(), lr=0.1, momentum=0.9) for m in models]
    for _ in range(5):
        loss_a, out_a = train_step(models[0], rows, targets, hinge, optimizers[0])
        loss_b, out_b = compiled_train_step(models[1], rows, targets, hinge, optimizers[1])
        assert loss_b == pytest.approx(loss_a, rel=RTOL)
        np.testing.assert_allclose(out_b, out_a, rtol=RTOL, atol=1e-12)
    np.testing.assert_allclose([p.data for p in models[1].parameters()],
                               [p.data for p in models[0].parameters()], rtol=1e-8, atol=1e-12)


def test_the_tape_is_traced_once_per_model_and_redone_for_new_parameters():
    model = MLP(2, [3, 1], seed=0)
    tape = model_tape(model, [[0.0, 1.0]])
    assert model_tape(model, [[5.0, 5.0]]) is tape
    model.layers[0].neurons[0].b = type(model.parameters()[0])(0.0)  # a new Value object
    assert model_tape(model, [[0.0, 1.0]]) is not tape


class SignBranch(MLP):
    """A model whose graph depends on the data: a Python ``if`` on an input's value."""

    def __call__(self, x):
        out = super().__call__(x)
        first = x[0].data if isinstance(x[0], Value) else x[0]  # .data: no comparison trap
        return out if first > 0 else out * 3.0


@pytest.mark.parametrize("batch_size", [1, 2, None])
def test_fit_traces_on_rows_of_the_whole_set_so_a_sign_branch_is_caught(batch_size):
    model = SignBranch(1, [2, 1], seed=0)
    X, y = np.array([[0.5], [0.7], [0.9], [-1.0]]), np.array([1.0, 1.0, 1.0, 0.0])
    before = model.state_dict()
    with pytest.raises(ValueError, match="compile"):
        nn.train.fit(model, X, y, loss=mse, optimizer=SGD(model.parameters(), lr=0.1),
                     epochs=1, batch_size=batch_size, metrics=(), progress=False, compiled=True)
    assert model.state_dict() == before  # refused before any step


def test_the_second_trace_row_is_the_one_most_unlike_the_first():
    rows = np.array([[1.0, 2.0], [1.5, 2.5], [-1.0, 3.0], [-0.5, -0.1], [-9.0, 1.0]])
    assert nn.model_tape._first_and_most_unlike(rows) == [[1.0, 2.0], [-0.5, -0.1]]


def test_rows_of_the_wrong_width_are_refused():
    model = MLP(2, [3, 1], seed=0)
    with pytest.raises(ValueError, match="rows of 2 numbers"):
        compiled_gradients(model, mse, [[1.0, 2.0, 3.0]], np.array([1.0]))


def test_both_training_steps_backpropagate_through_the_one_shared_helper(monkeypatch):
    # the loss check and the zeroing of old gradients live in nn.losses.backward_loss only
    calls = []

    def spy(loss, parameters):
        calls.append(len(parameters))
        backward_loss(loss, parameters)
    monkeypatch.setattr(nn.train, "backward_loss", spy)
    monkeypatch.setattr(nn.compiled_loss, "backward_loss", spy)  # the first step: on Values
    for step in (train_step, compiled_train_step):
        model = MLP(2, [3, 1], seed=0)
        step(model, [[0.5, 1.0]], np.array([1.0]), mse, SGD(model.parameters(), lr=0.1))
    assert calls == [13, 13]  # (2 + 1) * 3 + (3 + 1) parameters, once per step


@pytest.mark.parametrize("step", [train_step, compiled_train_step])
def test_a_loss_that_is_not_a_value_is_refused_the_same_way_by_both_steps(step):
    model = MLP(2, [3, 1], seed=0)
    before = model.state_dict()
    with pytest.raises(TypeError, match="the loss must return a Value, got float 0.5"):
        step(model, [[0.5, 1.0]], np.array([1.0]), lambda out, t: 0.5,
             SGD(model.parameters(), lr=0.1))
    assert model.state_dict() == before


def test_a_compiled_fit_shows_callbacks_the_numbers_a_plain_fit_has_after_each_epoch():
    # the compiled fit keeps the parameters in one array while it trains; whoever looks
    # between epochs (a callback, here) sees the Values as a plain fit leaves them
    from chainrule.nn import Adam, fit
    X, y = make_moons(30, noise=0.1, seed=6)
    seen = {True: [], False: []}
    for compiled in (False, True):
        model = MLP(2, [6, 1], seed=6)
        loss = lambda s, t, m=model: hinge(s, t) + l2_penalty(m.parameters(), 1e-3)  # noqa: E731
        fit(model, X, y, loss=loss, optimizer=Adam(model.parameters(), lr=0.05), epochs=4,
            batch_size=10, progress=False, seed=1, compiled=compiled,
            callbacks=[lambda h, m=model, c=compiled: seen[c].append(
                [p.data for p in m.parameters()] + [p.grad for p in m.parameters()])])
    np.testing.assert_allclose(seen[True], seen[False], rtol=1e-7, atol=1e-10)


def test_an_optimizer_of_ones_own_steps_the_values_in_a_compiled_fit():
    # SGD and Adam step on the parameter array; any other optimizer (a subclass with its
    # own step(), or anything with step()) gets the Values, as in a plain fit
    from chainrule.nn import fit

    class HalfSGD(SGD):
        def step(self):
            for p in self.params:
                p.data -= 0.5 * self.lr * p.grad
            self.steps += 1
    X, y = make_moons(20, noise=0.1, seed=2)
    seen = {}
    for compiled in (False, True):
        model = MLP(2, [4, 1], seed=2)
        fit(model, X, 2 * y - 1, loss=hinge, optimizer=HalfSGD(model.parameters(), lr=0.1),
            epochs=3, progress=False, seed=0, compiled=compiled)
        seen[compiled] = [p.data for p in model.parameters()]
    np.testing.assert_allclose(seen[True], seen[False], rtol=1e-9, atol=1e-12)
