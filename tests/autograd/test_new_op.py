"""An op is one row: a throwaway op added by the documented recipe reaches every tool.

The recipe (autograd/ops.py's module docstring): the ``Op`` row in ``OPS``, its test
domain in ``autograd/testing.DOMAINS``; a ``Value`` method is the user's spelling. Here a
fixture adds ``cube`` that way and takes it away again; every table-driven tool picks it up.
"""

import re
from pathlib import Path

import numpy as np
import pytest
from chainrule.autograd import OPS, Op, Value, apply_op, gradcheck
from chainrule.autograd.compiled import compile
from chainrule.autograd.parse import functions, parse
from chainrule.autograd.steps import backprop_steps, explain
from chainrule.autograd.testing import DOMAINS, Domain, expressions, op_inputs
from chainrule.viz import draw_graph
from hypothesis import given

README = Path(__file__).resolve().parents[2] / "README.md"
CUBE = Op("cube", "cube", 1, lambda x: x * x * x, lambda x, out: (3.0 * x * x,),
          ("3 x^2",), "cube({0})")


@pytest.fixture
def cube(monkeypatch):
    monkeypatch.setitem(OPS, "cube", CUBE)
    monkeypatch.setitem(DOMAINS, "cube", Domain(((-2.0, 2.0),)))
    return CUBE


def test_a_new_row_backpropagates_and_passes_gradcheck(cube):
    x = Value(2.0, "x")
    apply_op("cube", x).backward()
    assert x.grad == 12.0  # 3 x^2 at x = 2
    assert gradcheck(lambda v: apply_op("cube", v), [0.7]).ok


def test_a_new_row_shows_up_in_the_steps_the_parser_and_the_picture(cube):
    root = parse("cube(x) + 1", x=2.0)
    assert "cube" in functions()
    (first, *_) = [s for s in backprop_steps(root) if s.node.op is cube]
    assert first.formula == "3 x^2" and first.local == 12.0
    assert "d cube(x)/dx = 3 x^2 = 12.0" in explain(root)
    assert "cube" in draw_graph(root).source


def test_a_new_row_compiles_to_a_tape(cube):
    w = Value(0.5)
    tape = compile(lambda x: apply_op("cube", w * x), 1)
    (out,) = tape.forward([1.0, 2.0])
    tape.backward(np.ones(2))
    assert out.tolist() == [0.125, 1.0]
    assert w.grad == pytest.approx(3 * 0.25 * 1 + 3 * 1.0 * 2)  # 3 (wx)^2 x, summed


def test_a_new_row_enters_the_property_tests_strategies(cube):
    # what tests/autograd/test_gradients.py runs for every row, here for the new one
    @given(inputs=op_inputs("cube"), expression=expressions(ops=["cube", "mul"], max_ops=4))
    def check(inputs, expression):
        assert gradcheck(lambda v: apply_op("cube", v), inputs).ok
        assert gradcheck(expression, list(expression.inputs)).ok
    check()


def test_readme_op_lists_match_the_table():
    text = README.read_text()
    (parser_list,) = re.findall(r"op\ntable's functions \(`([a-z_ ]+)`\)", text)
    assert sorted(parser_list.split()) == sorted(functions())
    (methods,) = re.findall(r"methods `([a-z_\n ]+)`", text)
    operators = {"add", "sub", "mul", "truediv", "neg", "pow", "abs"}
    assert sorted(methods.split()) == sorted(set(OPS) - operators)
