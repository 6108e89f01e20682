"""Issue 17, item 1: every op result and gradient is finite, or it raises naming the op;
fit stops at the first non-finite loss or gradient, the parameters as before that step."""

import numpy as np
import pytest
from chainrule.autograd import Value
from chainrule.autograd.linear import weighted_sum
from chainrule.nn import MLP, SGD, Adam, fit, make_moons, mse


def test_a_product_beyond_the_float_range_raises_naming_the_op():
    with pytest.raises(OverflowError, match=r"mul: 1e\+308 and 10.0 give inf"):
        Value(1e308) * 10


def test_inf_minus_inf_never_becomes_nan_because_the_first_product_raises():
    a = Value(1e200)
    with pytest.raises(OverflowError, match="mul"):
        a * a - a * a


@pytest.mark.parametrize("make, x", [
    (lambda a: a + a, 1e308), (lambda a: a * 2.0, 1e308), (lambda a: 2.0 * a, 1e308),
    (lambda a: a - (-a), 1e308), (lambda a: a ** 2, 1e200), (lambda a: a / 1e-10, 1e300),
    (lambda a: a.exp(), 1e3)])
def test_every_path_that_makes_a_node_refuses_an_infinite_result(make, x):
    with pytest.raises(OverflowError, match="float range"):
        make(Value(x))


def test_a_weighted_sum_beyond_the_float_range_raises_naming_the_op():
    with pytest.raises(OverflowError, match="mul"):
        weighted_sum(Value(0.0), [Value(1e200)], [Value(1e200)])


def test_an_infinite_gradient_raises_naming_the_op_and_its_local_gradient():
    x = Value(1e-200, "x")
    with pytest.raises(OverflowError, match=r"gradient of x became -inf: truediv's local"):
        (1 / x).backward()


def test_an_infinite_gradient_raises_with_create_graph_too():
    x = Value(1e-200, "x")
    with pytest.raises(OverflowError, match="float range"):
        (1 / x).backward(create_graph=True)


def test_a_leaf_whose_accumulated_gradient_overflows_raises():
    x = Value(1.0, "x")
    x.grad = 1.7e308
    with pytest.raises(OverflowError, match="x"):
        (x * 1.7e308).backward()


X_MOONS, Y_MOONS = make_moons(seed=0)


def _fit(scale, lr, epochs, compiled=False, optimizer=SGD):
    X, y = X_MOONS, Y_MOONS
    model = MLP(2, [4, 1], seed=0)
    fit(model, X * scale, y, loss=mse, optimizer=optimizer(model.parameters(), lr=lr),
        epochs=epochs, metrics=(), progress=False, compiled=compiled, seed=0)
    return model


@pytest.mark.parametrize("compiled", [False, True])
@pytest.mark.parametrize("scale, lr", [(1e150, 0.1), (1.0, 1e150)])
def test_fit_stops_at_the_first_non_finite_step_leaving_the_parameters_of_the_step_before(
        scale, lr, compiled):
    after_one_step = _fit(scale, lr, epochs=1, compiled=compiled).state_dict()
    X, y = X_MOONS, Y_MOONS
    model = MLP(2, [4, 1], seed=0)
    with pytest.raises(FloatingPointError, match="step 2.*(learning rate|standardize)"):
        fit(model, X * scale, y, loss=mse, optimizer=SGD(model.parameters(), lr=lr),
            epochs=3, metrics=(), progress=False, compiled=compiled, seed=0)
    assert model.state_dict() == after_one_step   # one good step, then nothing changed
    assert all(np.isfinite(list(model.state_dict().values())))


def test_an_optimizer_step_that_would_make_a_parameter_infinite_changes_nothing():
    w, b = Value(1.0, "w"), Value(1.0, "b")
    w.grad, b.grad = 1e300, 1.0
    opt = SGD([b, w], lr=1e10, momentum=0.5)
    with pytest.raises(OverflowError, match="w from 1.0 to -inf.*no parameter was changed"):
        opt.step()
    assert (w.data, b.data, opt.velocity, opt.steps) == (1.0, 1.0, [0.0, 0.0], 0)


def test_adam_refuses_a_gradient_whose_square_overflows():
    w = Value(1.0)
    w.grad = 1e200
    opt = Adam([w], lr=0.1)
    with pytest.raises(OverflowError, match="square"):
        opt.step()
    assert (w.data, opt.m, opt.v) == (1.0, [0.0], [0.0])


def test_an_optimizer_refuses_a_non_finite_gradient_someone_assigned():
    w = Value(1.0, "w")
    w.grad = float("nan")
    with pytest.raises(ValueError, match="gradient of w"):
        SGD([w], lr=0.1).step()
    assert w.data == 1.0
