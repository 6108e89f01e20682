"""Steps: forward and backward one at a time, in exactly backward()'s order; why()."""

import dataclasses

import pytest
from chainrule.autograd import Value, topological_order
from chainrule.autograd.parse import parse
from chainrule.autograd.paths import path_product, why
from chainrule.autograd.steps import (
    backprop_steps,
    explain,
    forward_steps,
    node_names,
    number,
)
from chainrule.autograd.testing import expressions
from hypothesis import given


def test_forward_steps_show_each_formula_with_its_numbers():
    a, b = Value(2.0, "a"), Value(-3.0, "b")
    c = a * b
    c.label = "c"
    assert [str(s) for s in forward_steps(c)] == [
        "a = 2.0 (leaf)", "b = -3.0 (leaf)", "c = a * b = 2.0 * -3.0 = -6.0"]


def test_a_tanh_step_shows_the_op_tables_formula_in_the_graphs_names():
    u = Value(0.5, "u")
    y = u.tanh()
    (step,) = backprop_steps(y)
    assert step.derivative == "d tanh(u)/du"
    assert step.formula == "1 - tanh(u)^2"
    assert number(step.local) == "0.7864"  # 1 - tanh(0.5)^2 = 1 - 0.4621^2
    assert (step.upstream, step.before) == (1.0, 0.0)
    assert step.after == step.contribution == step.local


def test_a_node_used_twice_gets_two_steps_and_accumulates():
    x = Value(3.0, "x")
    steps = backprop_steps(x * x)
    assert [(s.before, s.contribution, s.after) for s in steps] == [
        (0.0, 3.0, 3.0), (3.0, 3.0, 6.0)]  # d(x*x)/dx = x + x


def test_negative_constants_are_bracketed_only_where_they_would_misread():
    x = Value(2.0, "x")
    steps = forward_steps(-(x * -1.5) + (-x) ** 2.0)
    texts = [str(s) for s in steps if s.expression]
    assert "n1 = x * -1.5 = 2.0 * -1.5 = -3.0" in texts
    assert "n2 = -n1 = -(-3.0) = 3.0" in texts
    assert "n4 = n3 ** 2.0 = (-2.0) ** 2.0 = 4.0" in texts


def test_steps_visit_nodes_in_reverse_topological_order_and_parents_in_operand_order():
    root = parse("tanh(a * b + a) * b", a=0.3, b=-0.7)
    expected = [(node, parent) for node in reversed(topological_order(root))
                if node.op is not None for parent in node.parents]
    assert [(s.node, s.parent) for s in backprop_steps(root)] == expected


class _Tape(float):
    """A float that logs every `+` made on it: a leaf's grad recording backward()'s order."""

    log: list = []

    def __new__(cls, value, name):
        tape = super().__new__(cls, value)
        tape.name = name
        return tape

    def __add__(self, other):
        _Tape.log.append((self.name, float(other)))
        return _Tape(float(self) + float(other), self.name)


def test_contributions_reach_the_leaves_in_the_order_backward_adds_them():
    root = parse("x * y + sigmoid(x - y) * x + y ** 2", x=0.4, y=-1.2)
    leaf_steps = [(s.parent.label, s.contribution) for s in backprop_steps(root)
                  if s.parent.op is None and s.parent.label]
    _Tape.log = []
    for leaf in topological_order(root):
        if leaf.op is None and leaf.label:
            leaf.grad = _Tape(0.0, leaf.label)
    root.backward()
    assert _Tape.log == leaf_steps


@given(expressions(max_inputs=4, max_ops=12))
def test_replaying_the_steps_gives_exactly_backwards_gradients(expression):
    inputs = [Value(x, f"x{i}") for i, x in enumerate(expression.inputs)]
    root = expression(*inputs)
    steps = backprop_steps(root)
    replayed = {node: 0.0 for node in topological_order(root)}
    replayed[root] = 1.0
    for step in steps:
        assert step.before == replayed[step.parent]
        replayed[step.parent] += step.local * step.upstream
        assert step.after == replayed[step.parent]
    root.backward()
    for node, grad in replayed.items():
        assert node.grad == grad, f"{node_names(root)[node]}: {node.grad!r} != {grad!r}"


@given(expressions(max_inputs=3, max_ops=8))
def test_why_sums_paths_to_the_leaf_gradient(expression):
    inputs = [Value(x, f"x{i}") for i, x in enumerate(expression.inputs)]
    root = expression(*inputs)
    root.backward()
    for leaf in inputs:
        answer = why(root, leaf, limit=1000)
        products = [path_product(locals_) for _, locals_ in answer.paths]
        assert len(answer.paths) == answer.n_paths
        assert sum(products) == pytest.approx(leaf.grad, rel=1e-9, abs=1e-9)
        assert answer.gradient == leaf.grad


def test_why_counts_two_to_the_hundred_paths_without_listing_them():
    x = Value(1.0, "x")
    node = x
    for _ in range(100):
        node = node + node  # each level doubles the number of paths
    answer = why(node, x)
    assert answer.n_paths == 2 ** 100 and answer.paths == ()
    assert answer.gradient == 2.0 ** 100
    assert "too many to list" in str(answer)


def test_why_for_a_leaf_the_root_does_not_use_finds_no_paths():
    x, unused = Value(1.0, "x"), Value(2.0, "unused")
    answer = why(x.exp(), unused)
    assert answer.n_paths == 0 and answer.gradient == 0.0


def test_explain_prints_both_passes_and_the_final_gradients():
    text = explain(parse("tanh(x*w + b)", x=0.5, w=-1.5, b=0.8))
    assert text.startswith("forward pass")
    assert "backward pass" in text
    assert "d tanh(n2)/dn2 = 1 - tanh(n2)^2" in text
    assert text.endswith("gradients: x = -1.4963, w = 0.4988, b = 0.9975")


def test_explaining_leaves_data_and_gradients_untouched():
    root = parse("exp(x) * y", x=0.1, y=2.0)
    root.backward()
    before = [(n.data, n.grad) for n in topological_order(root)]
    explain(root); why(root, root.parents[1])
    assert [(n.data, n.grad) for n in topological_order(root)] == before


def test_step_records_are_frozen_and_slotted():
    step = backprop_steps(Value(1.0, "x").exp())[0]
    with pytest.raises(dataclasses.FrozenInstanceError):
        step.local = 0.0
    assert not hasattr(step, "__dict__")


def test_a_long_chain_is_stepped_without_recursion():
    x = Value(0.0, "x")
    node = x
    for _ in range(20_000):
        node = node + 1.0
    steps = backprop_steps(node)
    assert len(steps) == 20_000 and steps[-1].after == 1.0  # one per edge; constants get none


def test_repeated_labels_get_distinct_names():
    a, b = Value(1.0, "w"), Value(2.0, "w")
    assert sorted(node_names(a * b).values()) == ["n1", "w", "w_2"]


def dead_relu_times_sqrt() -> tuple[Value, Value, Value]:
    """relu(-1) * sqrt(0): both factors are 0, so both have upstream gradient 0."""
    x, y = Value(-1.0, "x"), Value(0.0, "y")
    return x.relu() * y.sqrt(), x, y


def test_steps_skip_a_node_whose_upstream_gradient_is_zero_as_backward_does():
    root, x, y = dead_relu_times_sqrt()
    steps = backprop_steps(root)  # sqrt'(0) is infinite: it must not be evaluated
    assert [(s.node, s.parent_name, s.contribution) for s in steps] == [
        (root, "n1", 0.0), (root, "n2", 0.0)]  # d(n1*n2)/dn1 = n2 = 0, and vice versa
    root.backward()
    assert (x.grad, y.grad) == (0.0, 0.0)


def test_explain_names_the_nodes_backward_skips():
    root, _, _ = dead_relu_times_sqrt()
    text = explain(root)
    assert "skipped, as backward() does (upstream gradient 0, so every contribution " \
           "would be 0): n1, n2" in text
    assert text.endswith("gradients: x = 0.0, y = 0.0")


def test_why_shows_a_rule_backward_skips_as_skipped_and_the_path_adds_zero():
    root, x, y = dead_relu_times_sqrt()
    through_relu = why(root, x)  # relu'(-1) = 0 has a value: it is shown
    assert through_relu.paths == ((("x", "n1", "n3"), (0.0, 0.0)),)
    through_sqrt = why(root, y)  # sqrt'(0) has none, and backward() never asks for it
    assert through_sqrt.paths == ((("y", "n2", "n3"), (None, 0.0)),)
    assert path_product((None, 0.0)) == 0.0 and through_sqrt.gradient == 0.0
    assert "y -> n2 -> n3: skipped × 0.0 = 0.0 (skipped: n2's upstream gradient is 0" \
        in str(through_sqrt)


def test_why_still_raises_where_backward_would():
    y = Value(0.0, "y")
    with pytest.raises(ZeroDivisionError, match="sqrt"):
        why(y.sqrt() * 2.0, y)  # upstream 2: backward() needs sqrt'(0) too, and raises


def test_a_lone_leaf_as_root_has_gradient_one():
    x = Value(1.5, "x")
    assert explain(x).splitlines()[-1] == "gradients: x = 1.0"
