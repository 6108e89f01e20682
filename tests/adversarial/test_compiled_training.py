"""Issue 17, items 3 and 4: compiled training never runs a wrong tape without a word, and
fit refuses an optimizer built on another model's parameters."""

import numpy as np
import pytest
from chainrule.autograd import Value, compile
from chainrule.nn import MLP, SGD, Module, fit, make_moons, mse
from chainrule.nn.compiled import compiled_gradients, model_tape

X_MOONS, Y_MOONS = make_moons(seed=0)


class SignSwitch(Module):
    """A model that chooses its op from a parameter's value: x * w if w > 0, else x + w."""

    def __init__(self) -> None:
        self.n_inputs = 1
        self.w = Value(0.05, "w")

    def __call__(self, x):
        x = x[0] if isinstance(x, (list, tuple, np.ndarray)) else x
        return x * self.w if self.w.data > 0 else x + self.w

    def named_parameters(self):
        return [("w", self.w)]

    def config(self):
        return {"class": "SignSwitch"}


def test_fit_compiled_catches_a_tape_gone_stale_when_a_parameter_crosses_a_branch():
    X = np.linspace(1.0, 2.0, 20)[:, None]
    y = -X[:, 0]                                  # pulls w below 0, into the other branch
    model = SignSwitch()
    with pytest.raises(ValueError, match="compiled tape gives .* but the model itself gives"):
        fit(model, X, y, loss=mse, optimizer=SGD(model.parameters(), lr=0.5), epochs=5,
            metrics=(), progress=False, compiled=True, seed=0)


def test_a_cached_tape_is_retraced_when_an_activation_is_swapped_after_compiling():
    model = MLP(2, [3, 1], seed=0)
    rows = X_MOONS[:4].tolist()
    before = model_tape(model, rows)
    for neuron in model.layers[0].neurons:
        neuron.activation, neuron._activate = "tanh", Value.tanh
    assert model_tape(model, rows) is not before
    loss, _ = compiled_gradients(model, mse, rows, Y_MOONS[:4])
    engine = mse([model(row) for row in rows], Y_MOONS[:4])
    assert abs(loss - engine.data) < 1e-12


def test_compiled_fit_still_agrees_with_the_engine_on_a_network():
    model = MLP(2, [8, 1], seed=0)
    fit(model, X_MOONS, Y_MOONS, loss=mse, optimizer=SGD(model.parameters(), lr=0.1),
        epochs=3, metrics=(), progress=False, compiled=True, seed=0)   # checks every epoch


@pytest.mark.parametrize("column, error", [([1.0, float("nan")], ValueError),
                                           ([1.0, float("inf")], ValueError),
                                           ([1.0, "a"], TypeError), ([True, False], TypeError)])
def test_a_compiled_forward_refuses_inputs_that_are_not_finite_numbers(column, error):
    tape = compile(lambda x: x.relu(), 1)
    with pytest.raises(error, match="column 0"):
        tape.forward(column)


def test_fit_refuses_an_optimizer_built_on_another_models_parameters():
    model, other = MLP(2, [4, 1], seed=0), MLP(2, [4, 1], seed=1)
    before = model.state_dict()
    with pytest.raises(ValueError, match="none of this model's 17 parameters"):
        fit(model, X_MOONS, Y_MOONS, loss=mse, optimizer=SGD(other.parameters(), lr=0.1),
            epochs=2, metrics=(), progress=False)
    assert model.state_dict() == before
