"""backward(): accumulation, fan-out, deep graphs, no_grad, scopes, memory freeing."""

import gc
import threading
import weakref

from chainrule.autograd import Value, count_nodes, no_grad, scope, topological_order
from chainrule.autograd.backprop import GradFlow, chain_rule, propagate_node
from chainrule.autograd.testing import expressions
from hypothesis import given


def test_a_node_used_a_thousand_times_gets_the_sum_of_every_use():
    x = Value(0.5)
    total = x
    for _ in range(999):
        total = total + x
    total.backward()
    assert x.grad == 1000.0


def test_second_backward_accumulates_on_leaves_only():
    x = Value(3.0)
    h = x * x  # intermediate
    y = h * 2.0
    y.backward()
    y.backward()
    assert x.grad == 24.0  # 4x = 12, twice
    assert h.grad == 2.0  # intermediate nodes show the current pass


def test_a_million_deep_chain_backprops_without_recursion():
    x = Value(0.0)
    node = x
    for _ in range(1_000_000):
        node = node + 1.0
    assert count_nodes(node) == 2_000_001  # a constant leaf per addition
    node.backward()
    assert node.data == 1e6 and x.grad == 1.0


def test_backward_on_a_leaf_gives_it_gradient_one():
    x = Value(2.0)
    x.backward()
    assert x.grad == 1.0


def test_gradients_are_bitwise_reproducible():
    def run():
        a, b = Value(0.3), Value(-1.7)
        y = ((a * b).tanh() + a.exp() * b + (a - b).sigmoid()) * a
        y.backward()
        return a.grad, b.grad
    assert run() == run()


def test_no_grad_records_no_parents_and_restores_after_an_error():
    x = Value(2.0)
    try:
        with no_grad():
            y = x * 3
            raise RuntimeError("boom")
    except RuntimeError:
        pass
    assert y.op is None and y.parents == ()
    assert (x * 3).op is not None  # recording is back on after the block


def test_no_grad_in_one_thread_does_not_stop_another_thread_recording():
    entered, release = threading.Event(), threading.Event()

    def hold_no_grad():
        with no_grad():
            entered.set()
            release.wait(5)

    thread = threading.Thread(target=hold_no_grad)
    thread.start()
    entered.wait(5)
    y = Value(1.0) * 2
    release.set()
    thread.join()
    assert y.op is not None


def test_scope_tags_nodes_and_nests_with_dots():
    with scope("L0"), scope("N2"):
        y = Value(1.0) * 2
    assert y.scope == "L0.N2" and (y + 1).scope is None


class _Traceable(Value):
    __slots__ = ("__weakref__",)


def test_a_dropped_graph_is_freed_by_reference_counting_alone():
    gc.disable()
    try:
        leaf = _Traceable(2.0)
        root = ((leaf * 3).tanh() + leaf.exp()) * leaf
        root.backward()
        alive = weakref.ref(leaf)
        del leaf, root
        assert alive() is None  # no cycle kept it: no gc.collect() needed
    finally:
        gc.enable()


def test_create_graph_makes_gradients_values_for_a_second_derivative():
    x = Value(2.0)
    y = x ** 3 + x.sin()
    y.backward(create_graph=True)
    first = x.grad  # 3x^2 + cos x
    x.grad = 0.0
    first.backward()
    assert abs(x.grad - (12.0 - 0.9092974268256817)) < 1e-12  # 6x - sin x


def test_a_node_with_zero_upstream_passes_nothing_back_and_runs_no_rule():
    # relu'(0) = 0, so sqrt's infinite slope at 0 is never multiplied in: x.grad is 0
    x = Value(0.0)
    y = x.sqrt().relu() + x
    y.backward()
    assert x.grad == 1.0  # only the direct path x -> y carries gradient


def test_gc_paused_restores_the_collector_state():
    import gc as collector

    from chainrule.autograd import gc_paused
    with gc_paused():
        assert not collector.isenabled()
        (Value(1.0) * 2).backward()
    assert collector.isenabled()


@given(expression=expressions(max_ops=12))
def test_the_hand_tuned_float_backward_gives_the_one_walks_gradients(expression):
    # backward() runs a written-out copy of chain_rule for speed: same graph, same numbers
    root = expression(*[Value(x) for x in expression.inputs])
    order = topological_order(root)
    for node in order:
        node.grad = 0.0
    root.grad = 1.0
    chain_rule(reversed(order), GradFlow())
    walked = [node.grad for node in order]
    for node in order:
        node.grad = 0.0  # leaves accumulate: start backward() from zero too
    root.backward()
    assert [node.grad for node in order] == walked


def test_propagate_node_is_one_chain_rule_step_from_the_op_table():
    a, b = Value(2.0), Value(-3.0)
    c = a * b
    c.grad = 2.0
    propagate_node(c)
    assert (a.grad, b.grad) == (-6.0, 4.0)  # 2 × b, 2 × a
    propagate_node(a)  # a leaf: nothing further back
    assert (a.grad, b.grad) == (-6.0, 4.0)


def test_propagate_node_skips_a_node_whose_upstream_gradient_is_zero():
    x = Value(0.0)
    root = x.sqrt()  # sqrt'(0) is infinite: never evaluated when no gradient flows
    propagate_node(root)
    assert x.grad == 0.0
