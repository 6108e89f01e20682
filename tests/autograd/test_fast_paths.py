"""`a + b` and `a * b` build their node written out (for speed); apply_op builds it from the
op table's row. On any inputs, overflow included, both make the same node or the same error."""

import pytest
from chainrule.autograd import Value, apply_op, no_grad, ops, scope
from hypothesis import given
from hypothesis import strategies as st

# any finite float, with extra weight on the largest ones, whose sums and products overflow
reals = st.one_of(st.floats(allow_nan=False, allow_infinity=False),
                  st.sampled_from([1e308, -1e308, 1.7976931348623157e308, 1e200, -1e160]))
OPERATORS = [(ops.ADD, lambda a, b: a + b), (ops.MUL, lambda a, b: a * b)]


def node_or_error(build, a, b):
    """What building the node gives: its fields as plain data, or the error's type and text."""
    try:
        out = build(a, b)
    except (OverflowError, ValueError) as error:
        return type(error), str(error)
    return out.__class__, out.data, out.grad, out.label, out.op, out.parents, out.scope


@pytest.mark.parametrize(("op", "operator"), OPERATORS, ids=["add", "mul"])
@given(reals, reals)
def test_the_operator_builds_what_apply_op_builds_from_the_row(op, operator, x, y):
    a, b = Value(x, "a"), Value(y, "b")
    written_out = node_or_error(operator, a, b)
    assert written_out == node_or_error(lambda a, b: apply_op(op, a, b), a, b)
    if written_out[0] is OverflowError:
        assert written_out[1].startswith(f"{op.name}: {x!r} and {y!r} give")


@pytest.mark.parametrize(("op", "operator"), OPERATORS, ids=["add", "mul"])
def test_the_operator_records_scope_and_no_grad_as_apply_op_does(op, operator):
    a, b = Value(2.0), Value(-3.0)
    with scope("L0.N1"):
        assert node_or_error(operator, a, b) == node_or_error(
            lambda a, b: apply_op(op, a, b), a, b)
    with no_grad():
        made = [operator(a, b), apply_op(op, a, b)]
    assert [(n.op, n.parents, n.data) for n in made] == [(None, (), op.forward(2.0, -3.0))] * 2
