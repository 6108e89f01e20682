"""The loss's own tape (nn.compiled_loss) gives the loss and gradients the Values give."""

import numpy as np
import pytest
from chainrule.nn import (
    MLP,
    hinge,
    l2_penalty,
    make_moons,
    make_spiral,
    make_xor,
    mse,
    softmax_cross_entropy,
)
from chainrule.nn import compiled_loss as compiled_loss_module
from chainrule.nn.compiled import compiled_gradients
from engine_reference import engine_gradients

RTOL = 1e-9


def compiled(model, loss, X, targets):
    value, _ = compiled_gradients(model, loss, X, targets)
    return value, np.array([p.grad for p in model.parameters()])


def one_hot(y, classes):
    return np.eye(classes)[y]


def moons_case():
    X, y = make_moons(60, noise=0.1, seed=1)
    model = MLP(2, [16, 16, 1], seed=1)
    loss = lambda s, t: hinge(s, t) + l2_penalty(model.parameters(), 1e-4)
    return model, loss, X, 2 * y - 1


def xor_case():
    X, y = make_xor()
    return MLP(2, [4, 1], seed=2), mse, X, y.astype(float)


def squared_errors(outputs, targets):
    """Mean over examples of the summed squared error of every output (3 per example)."""
    total = 0.0
    for example, row in zip(outputs, targets.tolist(), strict=True):
        for output, target in zip(example, row, strict=True):
            total = total + (output - target) ** 2
    return total * (1.0 / len(outputs))


def spiral_case():
    X, y = make_spiral(20, classes=3, seed=3)
    return MLP(2, [8, 8, 3], seed=3), squared_errors, X, one_hot(y, 3)


def spiral_softmax_case():
    X, y = make_spiral(20, classes=3, seed=4)
    return MLP(2, [8, 3], seed=4), softmax_cross_entropy, X, y


@pytest.mark.parametrize("case", [moons_case, xor_case, spiral_case, spiral_softmax_case])
def test_every_step_matches_the_per_example_engine(case):
    model, loss, X, targets = case()
    for step in range(3):  # step 0 on Values, then on the loss's tape (where it traces)
        value_a, grads_a = compiled(model, loss, X, targets)
        value_b, grads_b = engine_gradients(model, loss, X, targets)
        assert abs(value_a - value_b) <= RTOL * max(abs(value_b), 1e-300), step
        np.testing.assert_allclose(grads_a, grads_b, rtol=RTOL,
                                   atol=RTOL * np.max(np.abs(grads_b)))
        for p, g in zip(model.parameters(), grads_a, strict=True):
            p.data -= 0.1 * g  # a step of training, so the next compares on new numbers


def test_the_loss_gets_a_tape_the_second_time_it_meets_the_same_targets():
    model, loss, X, targets = moons_case()
    for _ in range(2):
        compiled_gradients(model, loss, X, targets)
    (state,) = [entry[1] for entry in compiled_loss_module._LOSS_TAPES[model].values()]
    assert state is not None and state is not False  # a Compiled tape


def test_a_loss_built_from_the_outputs_data_stays_on_values():
    # softmax_cross_entropy subtracts max(z.data): a constant from the data, which the
    # two traces catch, so the loss keeps running on Values (same numbers, above)
    model, loss, X, targets = spiral_softmax_case()
    for _ in range(2):
        compiled_gradients(model, loss, X, targets)
    (state,) = [entry[1] for entry in compiled_loss_module._LOSS_TAPES[model].values()]
    assert state is False


def test_a_compiled_full_batch_fit_runs_its_loss_on_the_tape_from_the_second_epoch(monkeypatch):
    # fit shuffles the rows each epoch; the compiled step takes each batch's rows in row
    # order, so a full batch meets the same targets every epoch and the loss's tape is used
    from chainrule.nn import SGD, fit
    model, loss, X, targets = moons_case()
    on_values = []
    original = compiled_loss_module._on_values
    monkeypatch.setattr(compiled_loss_module, "_on_values",
                        lambda *args: on_values.append(1) or original(*args))
    fit(model, X, targets, loss=loss, optimizer=SGD(model.parameters(), lr=0.1), epochs=4,
        progress=False, compiled=True, seed=0)
    assert len(on_values) == 1  # the first epoch only


def test_a_loss_with_a_learnable_number_of_its_own_gives_it_its_gradient():
    # the loss's tape reads a Value that is neither the model's nor the optimizer's:
    # it still gets d loss / d itself in .grad, as backward() would give it
    from chainrule.autograd import Value
    model, _, X, targets = xor_case()
    scale = Value(2.0, "scale")

    def scaled(outputs, t):
        return mse(outputs, t) * scale
    for _ in range(3):  # Values, then the loss's tape
        value_a, grads_a = compiled(model, scaled, X, targets)
        scale_a = scale.grad
        value_b, grads_b = engine_gradients(model, scaled, X, targets)
        scale.grad = 0.0
        engine_gradients(model, scaled, X, targets)
        np.testing.assert_allclose(grads_a, grads_b, rtol=RTOL)
        assert abs(scale_a - scale.grad) <= RTOL * abs(scale.grad)
        scale.grad = 0.0
