"""Every row of the op table is complete, and every forward matches the math module."""

import math

import pytest
from chainrule.autograd import OPS, Value, apply_op
from chainrule.autograd.testing import DOMAINS, op_inputs
from hypothesis import given
from hypothesis import strategies as st

REFERENCE = {
    "add": lambda a, b: a + b, "sub": lambda a, b: a - b, "mul": lambda a, b: a * b,
    "truediv": lambda a, b: a / b, "neg": lambda x: -x, "pow": math.pow, "abs": abs,
    "exp": math.exp, "log": math.log, "sqrt": math.sqrt, "tanh": math.tanh,
    "sigmoid": lambda x: 1 / (1 + math.exp(-x)) if x > -700 else 0.0,
    "relu": lambda x: max(0.0, x), "leaky_relu": lambda x, s: x if x > 0 else s * x,
    "sin": math.sin, "cos": math.cos,
}


@pytest.mark.parametrize("name", sorted(OPS))
def test_each_row_has_a_formula_and_a_name_per_input(name):
    op = OPS[name]
    assert op.name == name and op.symbol
    assert len(op.formulas) == op.arity == len(op.inputs), op
    assert op.expression.format(*op.inputs).count("{") == 0


@pytest.mark.parametrize("name", sorted(OPS))
def test_each_row_has_a_test_domain_and_a_reference(name):
    assert name in DOMAINS and name in REFERENCE


@pytest.mark.parametrize("name", sorted(OPS))
@given(data=st.data())
def test_forward_matches_the_math_module(name, data):
    inputs = data.draw(op_inputs(name), label="inputs")
    expected = REFERENCE[name](*inputs)
    assert apply_op(name, *inputs).data == pytest.approx(expected, rel=1e-12, abs=1e-300)


@pytest.mark.parametrize("name", sorted(OPS))
def test_every_op_has_a_written_out_method_or_operator(name):
    methods = {"add": "__add__", "sub": "__sub__", "mul": "__mul__",
               "truediv": "__truediv__", "neg": "__neg__", "pow": "__pow__", "abs": "__abs__"}
    assert callable(getattr(Value, methods.get(name, name)))
