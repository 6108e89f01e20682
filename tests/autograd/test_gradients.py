"""Every op's gradient against central differences, over its test domain (Hypothesis)."""

import pytest
from chainrule.autograd import OPS, Value, apply_op, grad
from chainrule.autograd.gradcheck import gradcheck
from chainrule.autograd.testing import DOMAINS, Expression, expressions, op_inputs
from hypothesis import example, given
from hypothesis import strategies as st


@pytest.mark.parametrize("name", sorted(OPS))
@given(data=st.data())
def test_op_gradient_matches_central_differences(name, data):
    inputs = data.draw(op_inputs(name), label="inputs")
    report = gradcheck(lambda *xs: apply_op(name, *xs), inputs, eps=DOMAINS[name].eps)
    assert report.ok, str(report)  # names the input, analytic and numeric values


@pytest.mark.parametrize("name", sorted(OPS))
def test_each_domain_row_fits_its_op_and_keeps_its_kinks_gapped(name):
    domain, op = DOMAINS[name], OPS[name]
    assert len(domain.ranges) == op.arity
    assert domain.conditioned is None or len(domain.conditioned) == op.arity
    assert domain.gap_input is None or 0 <= domain.gap_input < op.arity
    if op.kinks:  # kinks are values of the first input: that input keeps its distance
        assert domain.gap_input == 0 and domain.gap > 0
    if domain.gap > 0:
        assert domain.gap_input is not None, "a gap needs the input it applies to"


@pytest.mark.parametrize("name", ["log", "truediv", "relu"])
@given(data=st.data())
def test_random_expressions_keep_each_op_inside_its_conditioned_row(name, data):
    expression = data.draw(expressions(ops=[name], max_ops=6), label="expression")
    values = list(expression.inputs)
    for op_name, parents in expression.steps:
        inputs = [values[i] for i in parents]
        domain = DOMAINS[op_name]
        for x, (low, high) in zip(inputs, domain.conditioned or (), strict=False):
            assert low <= x <= high  # log(x): x >= 0.1
        if domain.gap_input is not None:
            assert abs(inputs[domain.gap_input]) >= 0.1  # relu's x, a divisor: off 0
        values.append(OPS[op_name].forward(*inputs))


def test_an_op_without_a_domain_row_is_named_when_expressions_are_drawn(monkeypatch):
    monkeypatch.delitem(DOMAINS, "tanh")
    with pytest.raises(ValueError, match="no test domain for op 'tanh'; add a row"):
        expressions(ops=["tanh"]).example()


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


@pytest.mark.parametrize("f, words", [
    (lambda x: 3.0, "f must return a Value computed from its arguments, got float 3.0"),
    (lambda x: [x, x], "f must return one scalar Value, got a list of 2 items"),
])
def test_grad_and_gradcheck_refuse_a_non_value_result_with_the_same_message(f, words):
    with pytest.raises(TypeError) as from_grad:
        grad(f)(1.0)
    with pytest.raises(TypeError) as from_gradcheck:
        gradcheck(f, [1.0])
    assert str(from_grad.value) == "grad: " + str(from_gradcheck.value)[len("gradcheck: "):]
    assert words in str(from_gradcheck.value)


@given(expressions())
@example(Expression(inputs=(0.5, 2.0), steps=(("sub", (0, 1)), ("neg", (2,)))))
def test_a_random_expression_prints_as_text_that_parses_back_to_the_same_number(expression):
    from chainrule.autograd.parse import parse
    leaves = {f"x{i}": x for i, x in enumerate(expression.inputs)}
    printed = parse(str(expression), **leaves)  # "-(x0 - x1)", never "-x0 - x1"
    assert printed.data == pytest.approx(expression(*expression.inputs).data, rel=1e-9), \
        str(expression)
