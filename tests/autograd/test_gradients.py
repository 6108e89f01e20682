"""Every op's gradient against central differences, over its test domain (Hypothesis)."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from autograd import OPS, Value, apply_op
from autograd.gradcheck import gradcheck
from autograd.testing import DOMAINS, expressions, op_inputs


@pytest.mark.parametrize("name", sorted(OPS))
@given(data=st.data())
def test_op_gradient_matches_central_differences(name, data):
    inputs = data.draw(op_inputs(name), label="inputs")
    report = gradcheck(lambda *xs: apply_op(name, *xs), inputs, eps=DOMAINS[name].eps)
    assert report.ok, str(report)  # names the input, analytic and numeric values


@given(base=st.floats(-20, -0.05), exponent=st.integers(-4, 5))
def test_negative_base_to_an_integer_power_has_the_power_rule_gradient(base, exponent):
    report = gradcheck(lambda x: x ** exponent, [base])  # n x^(n-1)
    assert report.ok, str(report)


@given(expressions())
def test_random_expression_graphs_pass_gradcheck(expression):
    report = gradcheck(expression, expression.inputs)
    assert report.ok, f"{expression}\n{report}"


def test_power_gradient_with_respect_to_the_exponent_is_out_times_log_base():
    a, b = Value(2.0), Value(3.0)
    (a ** b).backward()
    assert a.grad == 12.0  # 3 * 2^2
    assert b.grad == pytest.approx(8 * 0.6931471805599453)  # 2^3 * ln 2


def test_kinks_use_documented_subgradients_at_zero():
    # relu'(0) = 0 and |x|'(0) = 0 (as PyTorch); leaky_relu takes its left slope at 0
    for method, expected in (("relu", 0.0), ("__abs__", 0.0), ("leaky_relu", 0.01)):
        x = Value(0.0)
        getattr(x, method)().backward()
        assert x.grad == expected, method
