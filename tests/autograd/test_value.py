"""Value: construction, operators, comparisons, repr, and every domain error."""

import math

import numpy as np
import pytest
from chainrule.autograd import Value, no_grad
from chainrule.autograd.ops import Op
from chainrule.autograd.value import apply_op


def test_micrograd_readme_example_gives_its_printed_numbers():
    a, b = Value(-4.0), Value(2.0)
    c = a + b
    d = a * b + b**3
    c += c + 1
    c += 1 + c + (-a)
    d += d * 2 + (b + a).relu()
    d += 3 * d + (b - a).relu()
    e = c - d
    f = e**2
    g = f / 2.0
    g += 10.0 / f
    g.backward()
    assert f"{g.data:.4f} {a.grad:.4f} {b.grad:.4f}" == "24.7041 138.8338 645.5773"


@pytest.mark.parametrize("data", [3, 2.5, np.float32(0.5), np.int64(7), np.array(1.5)])
def test_real_numbers_are_stored_as_float(data):
    value = Value(data)
    assert type(value.data) is float and value.data == float(data)


@pytest.mark.parametrize("data, kind", [
    (True, "bool"), ("2", "str"), (None, "NoneType"), (1j, "complex"),
    (np.array([1.0, 2.0]), "shape (2,)"), (Value(1.0), "Value")])
def test_non_numbers_raise_type_error_naming_what_was_given(data, kind):
    with pytest.raises(TypeError, match="Value needs a real number") as error:
        Value(data)
    assert kind in str(error.value)


def test_ints_beyond_a_floats_range_are_refused_with_the_range():
    assert Value(np.int64(10**18)).data == 1e18  # a big int that fits is fine
    for data in (10**400, -10**5000):  # the second is too long even for str()
        with pytest.raises(ValueError, match="digits, beyond a float's range"):
            Value(data)


@pytest.mark.parametrize("data", [math.nan, math.inf, -math.inf])
def test_nan_and_inf_raise_value_error(data):
    with pytest.raises(ValueError, match="finite"):
        Value(data)


def test_label_must_be_a_string():
    with pytest.raises(TypeError, match="label"):
        Value(1.0, label=3)


def test_repr_shows_data_grad_and_label():
    assert repr(Value(2.0, "a")) == "Value(data=2.0, grad=0.0, label='a')"


def test_numbers_work_on_either_side_of_every_operator():
    x = Value(2.0)
    results = [x + 1, 1 + x, x - 1, 1 - x, x * 3, 3 * x, x / 4, 4 / x, x ** 2, 2 ** x, -x]
    assert [r.data for r in results] == [3, 3, 1, -1, 6, 6, 0.5, 2, 4, 4, -2]
    assert abs(Value(-3.0)).data == 3.0


def test_plus_equals_rebinds_and_never_mutates():
    a = Value(1.0)
    alias = a
    a += 1
    assert alias.data == 1.0 and a.data == 2.0 and a.parents[0] is alias


def test_equality_and_hash_are_identity_comparisons_look_at_data():
    a, b = Value(1.0), Value(1.0)
    assert a != b and len({a, b}) == 2 and {a: 1}[a] == 1
    assert a <= b and a >= b and not a < b and Value(0.5) < a and a > 0.5


def test_a_constant_operand_becomes_a_leaf_parent():
    y = Value(3.0) * 2
    assert y.op.name == "mul" and y.parents[1].data == 2.0 and y.parents[1].op is None


def test_parents_keep_operand_order_and_repeats_for_every_way_of_making_a_node():
    a, b = Value(2.0), Value(3.0)
    assert (a + b).parents == (a, b) and (b * a).parents == (b, a) and (a * a).parents == (a, a)
    assert (a - b).parents == (a, b) and (a.tanh()).parents == (a,) and a.parents == ()
    assert apply_op("add", a, b).parents == (a, b) and apply_op("exp", a).parents == (a,)
    with no_grad():
        assert (a + b).parents == () and (a * b).op is None and a.tanh().parents == ()


def test_an_op_of_three_inputs_is_refused_before_anything_is_made():
    three = Op("fma", "fma", 3, lambda a, b, c: a * b + c, lambda a, b, c, out: (b, a, 1.0),
               ("a * b",), "fma({0}, {1}, {2})", inputs=("a", "b", "c"))
    with pytest.raises(ValueError, match="one or two inputs"):
        apply_op(three, 1.0, 2.0, 3.0)


@pytest.mark.parametrize("build, error, words", [
    (lambda: Value(-2.0).log(), ValueError, "log(x) needs x > 0, got x=-2.0"),
    (lambda: Value(0.0).log(), ValueError, "log(x) needs x > 0, got x=0.0"),
    (lambda: Value(-1.0).sqrt(), ValueError, "sqrt(x) needs x >= 0, got x=-1.0"),
    (lambda: Value(1.0) / 0, ZeroDivisionError, "truediv: cannot divide 1.0 by zero"),
    (lambda: 1 / Value(0.0), ZeroDivisionError, "by zero"),
    (lambda: Value(-8.0) ** (1 / 3), ValueError, "negative base to a non-integer power"),
    (lambda: Value(0.0) ** -1, ZeroDivisionError, "zero to a negative power"),
    (lambda: Value(800.0).exp(), OverflowError, "exp(800.0) is beyond the float range"),
    (lambda: Value(10.0) ** 400, OverflowError, "beyond the float range"),
])
def test_domain_errors_name_the_op_and_the_value(build, error, words):
    with pytest.raises(error) as raised:
        build()
    assert words in str(raised.value)


def test_sqrt_of_zero_is_fine_forward_and_its_infinite_slope_raises_on_backward():
    y = Value(0.0).sqrt()
    assert y.data == 0.0
    with pytest.raises(ZeroDivisionError, match="infinite at x=0"):
        y.backward()


@pytest.mark.parametrize("create_graph", [False, True])
def test_a_power_below_one_at_zero_raises_on_backward_naming_pow_and_the_exponent(
        create_graph):
    x = Value(0.0, "x")
    y = x ** 0.5  # forward 0 ** 0.5 = 0 is fine; the slope 0.5 * 0^(-0.5) is infinite
    assert y.data == 0.0
    with pytest.raises(ZeroDivisionError,
                       match=r"pow: the gradient b \* a\^\(b-1\) is infinite at a=0 for b < 1, "
                             r"got a=0.0, b=0.5; keep a away from 0"):
        y.backward(create_graph=create_graph)
    assert x.grad == 0.0  # nothing was added before the error


def test_powers_zero_and_one_at_zero_have_finite_slopes():
    x = Value(0.0, "x")
    (x ** 1.0).backward()  # d x/dx = 1
    assert x.grad == 1.0
    x.grad = 0.0
    (x ** 0.0).backward()  # x^0 = 1 everywhere: slope 0
    assert x.grad == 0.0


@pytest.mark.parametrize("x", [-1000.0, 1000.0, -745.0, 745.0])
def test_tanh_and_sigmoid_are_finite_and_exact_at_large_inputs(x):
    assert Value(x).tanh().data == math.copysign(1.0, x)
    s = Value(x).sigmoid().data
    assert math.isfinite(s) and s == (1.0 if x > 0 else pytest.approx(math.exp(x), abs=1e-320))


def test_tanh_of_a_tiny_input_keeps_full_precision():
    assert Value(1e-8).tanh().data == 1e-8  # tanh x = x - x^3/3: the cube is below 1 ulp
    assert Value(1e-8).sigmoid().data == 0.5 + 0.25e-8


def test_leaky_relu_slope_is_a_node_so_its_gradient_is_x_below_zero():
    x, slope = Value(-2.0), Value(0.1)
    y = x.leaky_relu(slope)
    y.backward()
    assert (round(y.data, 12), x.grad, slope.grad) == (-0.2, 0.1, -2.0)
