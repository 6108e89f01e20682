"""micrograd's node interface on Value: _prev, _op, _backward(), its constructor, int grads."""

import math

import pytest
from chainrule.autograd import OPS, Value, apply_op, topological_order
from chainrule.autograd.testing import expressions, op_inputs
from hypothesis import given
from hypothesis import strategies as st

# micrograd 0.1.0 and the lecture spell these ops this way; the others have our symbol.
MICROGRAD_OP = {"add": "+", "mul": "*", "relu": "ReLU", "tanh": "tanh", "exp": "exp"}


def lecture_topological_order(root):
    """The lecture's build_topo over ``_prev``, written with a stack instead of recursion."""
    order, visited, stack = [], set(), [(root, False)]
    while stack:
        node, parents_done = stack.pop()
        if parents_done:
            order.append(node)
        elif node not in visited:
            visited.add(node)
            stack.append((node, True))
            stack.extend((child, False) for child in node._prev)
    return order


def hand_stepped(root, order):
    """The lecture's backward by hand: root.grad = 1, then each node's _backward()."""
    root.grad = 1.0
    for node in reversed(order):
        node._backward()


@given(expressions(max_ops=8))
def test_hand_stepping_backward_in_topological_order_gives_backwards_gradients(expression):
    by_backward = expression(*expression.inputs)
    by_backward.backward()
    by_hand = expression(*expression.inputs)  # the same graph, built again, untouched
    hand_stepped(by_hand, topological_order(by_hand))
    assert ([node.grad for node in topological_order(by_hand)]
            == [node.grad for node in topological_order(by_backward)])


@given(expressions(max_ops=8))
def test_hand_stepping_in_the_lectures_order_over_prev_agrees_too(expression):
    by_backward = expression(*expression.inputs)
    by_backward.backward()
    by_hand = expression(*expression.inputs)
    hand_stepped(by_hand, lecture_topological_order(by_hand))
    # Another topological order adds the same contributions in another order: equal up
    # to rounding.
    for hand, reference in zip(topological_order(by_hand), topological_order(by_backward),
                               strict=True):
        assert math.isclose(hand.grad, reference.grad, rel_tol=1e-9, abs_tol=1e-12)


@pytest.mark.parametrize("name", sorted(OPS))
@given(data=st.data())
def test_every_op_node_shows_its_parents_as_prev_and_micrograds_op_string(name, data):
    inputs = [Value(x, f"x{i}") for i, x in enumerate(data.draw(op_inputs(name), label="inputs"))]
    node = apply_op(name, *inputs)
    assert node._prev == set(inputs)
    if name == "pow":
        assert node._op == "**"  # a labelled exponent is an input, not a typed number
    else:
        assert node._op == MICROGRAD_OP.get(name, OPS[name].symbol)


def test_a_typed_exponent_is_written_as_micrograd_writes_it():
    x = Value(4.0)
    assert [(x ** 2)._op, (x ** -1)._op, (x ** 0.5)._op] == ["**2", "**-1", "**0.5"]


def test_a_leaf_has_no_op_no_prev_and_its_backward_does_nothing():
    leaf = Value(3.0)
    leaf.grad = 2.0
    leaf._backward()
    assert (leaf._op, leaf._prev, leaf.grad) == ("", set(), 2.0)


def test_a_node_with_zero_upstream_passes_nothing_back():
    x = Value(-1.0)
    y = x * 2  # y.grad is still 0: no upstream gradient has reached y
    y._backward()
    assert x.grad == 0.0


def test_backward_adds_to_the_parents_grads_it_does_not_replace_them():
    a = Value(2.0)
    y = a * 5
    a.grad, y.grad = 1.0, 1.0
    y._backward()
    assert a.grad == 6.0  # 1 + 5 * 1


def test_micrograds_constructor_makes_the_node_the_op_would():
    a, b = Value(2.0, label="a"), Value(-3.0, label="b")
    c = Value(a.data * b.data, (a, b), "*", label="c")
    c.backward()
    assert (c.op, c.parents, c.label, a.grad, b.grad) == (OPS["mul"], (a, b), "c", -3.0, 2.0)


def test_micrograds_power_with_a_typed_exponent_is_a_pow_node():
    x = Value(3.0)
    y = Value(9.0, (x,), "**2")
    y.backward()
    assert (y._op, x.grad) == ("**2", 6.0)  # 2 * 3


def test_our_short_form_still_takes_the_second_argument_as_the_label():
    assert Value(2.0, "x").label == "x"
    assert Value(2.0, label="x").label == "x"


@pytest.mark.parametrize("make, error, message", [
    (lambda a, b: Value(-6.0, {a, b}, "*"), TypeError, "tuple of Values in operand order"),
    (lambda a, b: Value(7.0, (a, b), "*"), ValueError, "mul of .* is -6.0, not 7.0"),
    (lambda a, b: Value(1.0, (a, b), "@"), ValueError, "'@' with 2 child.* names no op"),
    (lambda a, b: Value(1.0, (), "tanh"), ValueError, "'tanh' with 0 child"),
    (lambda a, b: Value(1.0, (a, 2.0), "+"), TypeError, "must all be Values"),
    (lambda a, b: Value(1.0, "a", label="b"), TypeError, "give it once"),
])
def test_a_constructor_call_that_names_no_op_is_refused_with_the_reason(make, error, message):
    with pytest.raises(error, match=message):
        make(Value(2.0), Value(-3.0))


def test_an_int_grad_from_client_code_keeps_repr_arithmetic_and_backward_working():
    w = Value(2.0, "w")
    w.grad = 0  # micrograd's Module.zero_grad writes an int
    assert repr(w) == "Value(data=2.0, grad=0, label='w')"
    (w * 3).backward()
    assert w.grad == 3.0
    w.data -= 0.1 * w.grad
    assert math.isclose(w.data, 1.7)


@pytest.mark.parametrize("data", [True, "2.0"])
def test_bool_and_str_data_are_still_refused(data):
    with pytest.raises(TypeError, match="needs a real number"):
        Value(data)
