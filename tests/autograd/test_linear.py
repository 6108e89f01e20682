"""weighted_sum records exactly the graph of b + w0*x0 + w1*x1 + ... written with operators."""

import pytest
from chainrule.autograd import Value, apply_op, no_grad, scope, topological_order
from chainrule.autograd.linear import weighted_sum
from hypothesis import given
from hypothesis import strategies as st

finite = st.floats(-1e3, 1e3, allow_nan=False)


def by_operators(bias, weights, inputs):
    total = bias
    for w, x in zip(weights, inputs, strict=True):
        total = total + w * x
    return total


def shape(root):
    """The graph as plain data: per node (op, data, scope, parents as positions)."""
    order = topological_order(root)
    position = {node: i for i, node in enumerate(order)}
    return [(n.op and n.op.name, n.data, n.scope, n.label,
             [position[p] for p in n.parents]) for n in order]


@given(st.lists(st.tuples(finite, finite), max_size=6), finite, st.sampled_from([None, "N3"]))
def test_the_graph_and_gradients_equal_the_operators(terms, bias, scope_name):
    leaves = [(Value(w, f"w{i}"), Value(x, f"x{i}")) for i, (w, x) in enumerate(terms)]
    weights, inputs = [w for w, _ in leaves], [x for _, x in leaves]
    b = Value(bias, "b")
    ours = weighted_sum(b, weights, inputs, scope_name)
    theirs = by_operators(b, weights, inputs)
    if scope_name is not None:
        for node in topological_order(theirs):
            if node.op is not None:
                node.scope = scope_name
    assert shape(ours) == shape(theirs)
    ours.backward()
    grads = [v.grad for v in [b, *weights, *inputs]]
    for v in [b, *weights, *inputs]:
        v.grad = 0.0
    theirs.backward()
    assert grads == [v.grad for v in [b, *weights, *inputs]]


def test_nodes_take_the_running_scope_when_none_is_given():
    with scope("L0"):
        out = weighted_sum(Value(1.0), [Value(2.0)], [Value(3.0)])
    assert out.data == 7.0
    assert {n.scope for n in topological_order(out) if n.op is not None} == {"L0"}


def test_under_no_grad_nothing_is_recorded():
    with no_grad():
        out = weighted_sum(Value(1.0), [Value(2.0), Value(0.5)], [Value(3.0), Value(4.0)])
    assert out.data == 9.0 and out.parents == ()


def test_numbers_among_the_terms_become_constants_as_with_operators_in_that_scope():
    w, x = Value(2.0, "w"), Value(-1.0, "x")
    ours = weighted_sum(0.5, [w, 3.0], [4.0, x], "N0")
    with scope("N0"):
        theirs = by_operators(0.5, [w, 3.0], [4.0, x])
    assert ours.data == 5.5 and shape(ours) == shape(theirs)
    ours.backward()
    assert (w.grad, x.grad) == (4.0, 3.0)


def test_a_given_scope_replaces_the_callers_and_leaves_it_as_it_was():
    with scope("encoder"):
        fast = weighted_sum(Value(1.0), [Value(2.0)], [Value(3.0)], scope="L0.N0")
        slow = weighted_sum(Value(1.0), [2.0], [Value(3.0)], scope="L0.N0")
        after = Value(1.0) + 1
    assert fast.scope == slow.scope == "L0.N0" and after.scope == "encoder"


def test_with_no_terms_the_sum_is_the_bias():
    b = Value(0.5)
    assert weighted_sum(b, [], [], "N0") is b


@pytest.mark.parametrize("bad", ["", 3])
def test_a_scope_must_be_a_non_empty_str(bad):
    with pytest.raises(TypeError, match="scope must be a non-empty str"):
        weighted_sum(Value(0.0), [Value(1.0)], [Value(1.0)], scope=bad)


def test_lengths_must_match():
    with pytest.raises(ValueError, match="2 weights but 1 inputs; give one weight per input"):
        weighted_sum(Value(0.0), [Value(1.0), Value(2.0)], [Value(1.0)])


@given(st.lists(st.tuples(finite, finite), max_size=6), finite)
def test_the_written_out_fast_path_builds_what_the_op_table_builds(terms, bias):
    # weighted_sum writes its nodes out for speed; apply_op builds them from the table's rows
    weights = [Value(w, f"w{i}") for i, (w, _) in enumerate(terms)]
    inputs = [Value(x, f"x{i}") for i, (_, x) in enumerate(terms)]
    b = Value(bias, "b")
    by_table = b
    for w, x in zip(weights, inputs, strict=True):
        by_table = apply_op("add", by_table, apply_op("mul", w, x))
    assert shape(weighted_sum(b, weights, inputs)) == shape(by_table)
