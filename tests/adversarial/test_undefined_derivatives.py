"""Issue 17, item 5: a derivative with no value (x**x at 0, 0**b in b at b = 0) raises a
domain error, the same in backward, create_graph, grad, the step tracer and gradcheck;
it is never reported as 0."""

import pytest
from chainrule.autograd import Value, grad, gradcheck
from chainrule.autograd.steps import backprop_steps

UNDEFINED = "pow: the local gradient d/db is undefined at inputs \\[0.0, 0.0\\]"


def _x_to_the_x():
    x = Value(0.0, "x")
    return x ** x


@pytest.mark.parametrize("run", [
    lambda: _x_to_the_x().backward(),
    lambda: _x_to_the_x().backward(create_graph=True),
    lambda: (Value(0.0) ** Value(0.0, "b")).backward(),
    lambda: grad(lambda x: x ** x)(0.0),
    lambda: grad(lambda b: Value(0.0) ** b)(0.0),
    lambda: backprop_steps(_x_to_the_x()),
    lambda: gradcheck(lambda x: x ** x, [0.0]),
], ids=["backward", "create_graph", "two leaves", "grad x**x", "grad 0**b", "steps",
        "gradcheck"])
def test_an_undefined_derivative_raises_a_domain_error_everywhere(run):
    with pytest.raises(ValueError, match=UNDEFINED):
        run()


def test_a_constant_exponent_zero_still_gives_x_a_slope_of_zero():
    x = Value(0.0, "x")
    (x ** 0.0).backward()    # x^0 = 1 for every x; the constant 0's gradient is nobody's
    assert x.grad == 0.0
    assert grad(lambda v: v ** 0.0)(0.0) == 0.0
