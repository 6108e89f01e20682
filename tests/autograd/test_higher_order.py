"""Higher-order gradients: grad(grad(f)), hessian, gradgradcheck, create_graph graphs."""

import dataclasses
import importlib.util
import math

import pytest
from chainrule.autograd import OPS, Value, apply_op, ops, topological_order
from chainrule.autograd.functional import grad, gradients, hessian, value_and_grad
from chainrule.autograd.gradcheck import gradgradcheck
from chainrule.autograd.testing import expressions, op_inputs
from hypothesis import given
from hypothesis import strategies as st


# --- every op, second order --------------------------------------------------------
# gradgradcheck differences backprop's first derivatives over each op's whole test
# domain (DOMAINS): no op needs narrowing at its tolerances (atol 1e-6, rtol 1e-5).
# The worst case is exp at x = 700: the step h = 6e-6 * 700 = 4e-3 makes the central
# difference of exp' off by h^2/6 = 3e-6 relative, still inside rtol. Kinks are kept a
# gap away by op_inputs, so relu/abs/leaky_relu are checked on their straight parts.
@pytest.mark.parametrize("name", sorted(OPS))
@given(data=st.data())
def test_every_op_second_derivative_matches_differences_of_its_first(name, data):
    inputs = data.draw(op_inputs(name), label="inputs")
    report = gradgradcheck(lambda *xs: apply_op(name, *xs), inputs)
    assert report.ok, str(report)  # names the pair (dx_i dx_j), analytic and numeric


@given(base=st.floats(-20, -0.05), exponent=st.integers(-4, 5))
def test_negative_base_to_an_integer_power_has_the_power_rule_second_derivative(
        base, exponent):
    report = gradgradcheck(lambda x: x ** exponent, [base])  # n (n-1) x^(n-2)
    assert report.ok, str(report)


@given(expressions(twice_differentiable=True))
def test_random_smooth_expressions_pass_gradgradcheck(expression):
    report = gradgradcheck(expression, expression.inputs)
    assert report.ok, f"{expression}\n{report}"


@given(expressions())
def test_backward_with_create_graph_gives_the_same_numbers_as_backward(expression):
    plain = [Value(x) for x in expression.inputs]
    expression(*plain).backward()
    graphed = [Value(x) for x in expression.inputs]
    expression(*graphed).backward(create_graph=True)
    # an input the expression does not use keeps its float 0.0
    assert [float(x.grad) for x in graphed] == [x.grad for x in plain], str(expression)


def test_no_rule_runs_where_no_gradient_flows_with_or_without_create_graph():
    # relu'(0) = 0 stops the gradient, so sqrt'(0) = 1/(2 sqrt 0) is never needed
    for create_graph in (False, True):
        x = Value(0.0)
        x.sqrt().relu().backward(create_graph=create_graph)
        assert float(x.grad) == 0.0
    assert grad(grad(lambda v: v.sqrt().relu()))(0.0) == 0.0


# --- closed forms ------------------------------------------------------------------
@pytest.mark.parametrize("x", [-2.0, 0.0, 0.5, 3.0])
def test_third_derivatives_match_closed_forms(x):
    def third(f):
        return grad(grad(grad(f)))
    assert third(lambda v: v.sin())(x) == pytest.approx(-math.cos(x))  # sin''' = -cos
    assert third(lambda v: v.exp())(x) == pytest.approx(math.exp(x))  # exp''' = exp
    assert third(lambda v: v ** 5)(x) == pytest.approx(60 * x ** 2)  # (x^5)''' = 60x^2


def test_x_squared_differentiated_three_times_at_zero_is_zero():
    # 2x -> 2 x^0 -> 2 * 0 * x^-1 would divide by zero at x = 0; the pow rule knows
    # that a^0 = 1 has slope 0 there
    assert grad(grad(grad(lambda x: x ** 2)))(0.0) == 0.0


def rosenbrock(x, y):
    return (1 - x) ** 2 + 100 * (y - x ** 2) ** 2


@pytest.mark.parametrize("x, y", [(1.0, 1.0), (0.0, 0.0), (-1.5, 2.0), (0.5, -0.25)])
def test_rosenbrock_hessian_is_exact(x, y):
    # [[2 - 400 (y - x^2) + 800 x^2, -400 x], [-400 x, 200]]; at (1, 1): [[802, -400], ...]
    expected = [[2 - 400 * (y - x * x) + 800 * x * x, -400 * x], [-400 * x, 200.0]]
    assert hessian(rosenbrock)(x, y) == expected


def test_second_derivatives_at_kinks_are_zero_by_convention():
    for f in (lambda x: x.relu(), lambda x: abs(x), lambda x: x.leaky_relu(0.1)):
        assert grad(grad(f))(0.0) == 0.0  # relu''(0) = 0: slopes are constant pieces
        assert grad(grad(f))(1.5) == 0.0


# --- the functional API ------------------------------------------------------------
def test_grad_of_plain_numbers_is_a_float_and_leaves_no_grad_behind():
    seen = []

    def f(x):
        seen.append(x)
        return x.tanh()
    slope = grad(f)(0.5)
    assert type(slope) is float and slope == pytest.approx(0.7864477)  # 1 - tanh(0.5)^2
    assert seen[0].grad == 0.0  # gradients go to a private table, not .grad


def test_grad_of_values_is_a_value_connected_to_the_inputs():
    x = Value(2.0, "x")
    slope = grad(lambda v: v ** 3)(x)  # 3x^2 = 12, as a Value
    assert isinstance(slope, Value) and slope.data == 12.0
    slope.backward()
    assert x.grad == 12.0  # d(3x^2)/dx = 6x = 12


def test_argnums_tuple_gives_a_tuple_and_value_and_grad_gives_the_value_too():
    def f(x, y):
        return x * y * y  # df/dx = y^2 = 9, df/dy = 2xy = 12
    assert grad(f, argnums=(0, 1))(2.0, 3.0) == (9.0, 12.0)
    assert grad(f, argnums=-1)(2.0, 3.0) == 12.0
    assert value_and_grad(f, argnums=(1,))(2.0, 3.0) == (18.0, (12.0,))


def test_an_inner_grad_treats_a_closed_over_value_as_a_constant():
    # d/dx [d/dy (x y) at y = x] = d/dx x = 1; mixing the two x's up would give 2
    assert grad(lambda x: grad(lambda y: x * y)(x))(2.0) == 1.0


def test_hessian_of_values_gives_values_and_gradients_of_a_constant_are_zero():
    x = Value(1.0)
    rows = hessian(lambda a, b: a * a * b)(x, 3.0)  # [[2b, 2a], [2a, 0]]
    assert [[v.data for v in row] for row in rows] == [[6.0, 2.0], [2.0, 0.0]]
    assert gradients(Value(5.0), [x]) == [0.0]


def test_argnums_out_of_range_says_how_many_arguments_there_were():
    with pytest.raises(ValueError, match="argument 2, but f was called with 2"):
        grad(lambda x, y: x * y, argnums=2)(1.0, 2.0)


@pytest.mark.parametrize("argnums", ["0", 1.0, (), (0, "1"), True])
def test_argnums_of_the_wrong_kind_is_refused_before_f_runs(argnums):
    with pytest.raises(TypeError, match="argnums must be an int or a non-empty tuple"):
        grad(lambda x: x, argnums=argnums)


@pytest.mark.parametrize("result, message", [
    (lambda x: 3.0, "must return a Value computed from its arguments, got float 3.0"),
    (lambda x: [x, x], "must return one scalar Value, got a list of 2 items"),
    (lambda x: (x,), "must return one scalar Value, got a tuple of 1 items"),
])
def test_f_returning_a_non_value_or_several_values_is_a_clear_type_error(result, message):
    with pytest.raises(TypeError, match=message):
        grad(result)(1.0)


def test_a_differentiated_argument_must_be_a_number():
    with pytest.raises(TypeError, match="grad argument 0 needs a real number"):
        grad(lambda x: x)("1.0")
    with pytest.raises(TypeError, match="wrt as a list of Values"):
        gradients(Value(1.0), Value(1.0))


# --- gradgradcheck reports ---------------------------------------------------------
def test_gradgradcheck_names_a_rule_that_only_works_on_floats():
    # tanh' written through .data: right on floats (gradcheck passes), but a constant
    # on Values, so the second derivative comes out 0 instead of -2 t (1 - t^2) * 4
    broken = dataclasses.replace(
        ops.TANH, local_grads=lambda x, out: (1.0 - math.tanh(float(x)) ** 2,))
    report = gradgradcheck(lambda x: apply_op(broken, x * 2.0), [0.3])
    assert not report.ok and report.rows[0].analytic == 0.0
    assert "node 3 (tanh)" in report.culprit and "not .data" in report.culprit
    assert str(report).startswith("gradgradcheck FAILED: 0 of 1 pairs")


# --- other tools read gradient graphs like any other -------------------------------
def gradient_graph():
    x = Value(0.7, "x")
    return x, gradients((x * x).tanh(), [x], create_graph=True)[0]  # d tanh(x^2)/dx


def test_the_step_tracer_replays_a_gradient_graph_to_the_second_derivative():
    if importlib.util.find_spec("chainrule.autograd.steps") is None:
        pytest.skip("autograd/steps.py is not written yet")
    from chainrule.autograd.steps import backprop_steps

    x, slope = gradient_graph()
    steps = backprop_steps(slope)
    assert all(str(step) for step in steps)  # every step prints with its formula
    into_x = [step for step in steps if step.parent is x]
    second = grad(grad(lambda v: (v * v).tanh()))(0.7)
    assert into_x[-1].after == pytest.approx(second)  # the last step into x: the total


def test_the_renderer_draws_a_gradient_graph_and_changes_nothing():
    if importlib.util.find_spec("chainrule.viz.graph") is None:
        pytest.skip("viz/graph.py is not written yet")
    from chainrule.viz.graph import draw_graph

    _, slope = gradient_graph()
    before = [(n.data, n.grad) for n in topological_order(slope)]
    dot = draw_graph(slope)
    assert "tanh" in dot.source
    assert [(n.data, n.grad) for n in topological_order(slope)] == before


def test_a_constants_gradient_under_create_graph_is_a_value_not_another_constant():
    x = Value(3.0)
    y = x * 2
    y.backward(create_graph=True)
    two = y.parents[1]
    assert two.is_constant and type(two.grad) is Value and two.grad.data == 3.0  # dy/d2 = x
