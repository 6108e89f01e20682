"""Issue 17, item 2: backward(2.0) is a seed gradient (as in PyTorch), create_graph is
keyword-only, and anything else is refused with a TypeError."""

import pytest
from chainrule.autograd import Value


def test_a_seed_gradient_scales_every_gradient():
    x = Value(1.0)
    (x * 3).backward(2.0)
    assert x.grad == 6.0          # 2 * d(3x)/dx


def test_a_seed_gradient_scales_a_create_graph_pass_too():
    x = Value(2.0)
    (x * x).backward(0.5, create_graph=True)
    assert x.grad.data == 2.0     # 0.5 * 2x


def test_a_zero_seed_gives_zero_gradients():
    x = Value(1.0)
    (x * 3).backward(0.0)
    assert x.grad == 0.0


def test_create_graph_cannot_be_passed_by_position():
    with pytest.raises(TypeError):
        Value(1.0).backward(1.0, True)


@pytest.mark.parametrize("seed", [[1, 2], "1", True, None, Value(1.0)])
def test_a_seed_that_is_not_one_real_number_is_refused(seed):
    with pytest.raises(TypeError, match="seed gradient"):
        (Value(1.0) * 3).backward(seed)


@pytest.mark.parametrize("seed", [float("nan"), float("inf")])
def test_a_non_finite_seed_is_refused(seed):
    with pytest.raises(ValueError, match="seed gradient"):
        (Value(1.0) * 3).backward(seed)


@pytest.mark.parametrize("flag", ["yes", 1, None])
def test_create_graph_must_be_a_bool(flag):
    with pytest.raises(TypeError, match="create_graph must be True or False"):
        Value(1.0).backward(create_graph=flag)
