"""The grouped tape (autograd.grouping, autograd.replay) gives the per-example engine's numbers.

The grouped backward is chain_rule over groups; these tests pin it, on the same graphs,
to backward() run example by example: outputs and parameter gradients to 1e-9 relative.
"""

import numpy as np
from chainrule.autograd import Value
from chainrule.autograd.compiled import compile
from chainrule.autograd.testing import expressions
from hypothesis import given
from hypothesis import strategies as st

from tests.autograd.test_compiled import assert_same, mlp_like, per_example, replayed


def assert_replays_like_the_engine(f, params, rows):
    """The grouped replay's outputs and parameter gradients equal backward() per row."""
    out_a, grads_a = replayed(f, params, rows)
    out_b, grads_b = per_example(f, params, rows)
    assert_same(out_a, out_b)
    assert_same(grads_a, grads_b)


@given(expression=expressions(max_inputs=4, max_ops=14), data=st.data())
def test_random_expression_graphs_replay_like_the_engine(expression, data):
    # x0 varies per example (a hair around its drawn value, off every kink); the other
    # leaves are parameters shared by the batch
    params = [Value(x) for x in expression.inputs[1:]]
    f = lambda x: expression(x, *params)
    offsets = data.draw(st.lists(st.floats(-1e-6, 1e-6), min_size=3, max_size=6))
    rows = [[expression.inputs[0] + d] for d in offsets]
    out_a, grads_a = replayed(f, params, rows)
    out_b, grads_b = per_example(f, params, rows)
    assert_same(out_a, out_b)
    if params:
        assert_same(grads_a, grads_b)


@given(sizes=st.lists(st.integers(1, 6), min_size=1, max_size=3),
       activation=st.sampled_from(["relu", "tanh", "sigmoid", "leaky_relu"]),
       n_inputs=st.integers(1, 4), seed=st.integers(0, 100))
def test_random_mlps_replay_like_the_engine(sizes, activation, n_inputs, seed):
    f, params = mlp_like(n_inputs, sizes, activation, seed)
    rows = np.random.default_rng(seed).normal(size=(7, n_inputs)).tolist()
    assert_replays_like_the_engine(f, params, rows)


def test_a_layer_becomes_one_matrix_product_and_one_activation_group():
    f, _ = mlp_like(3, [4, 2], "relu", 0)
    tape = compile(f, 3)
    kinds = [(g.kind, g.op.name, len(g.nodes)) for g in tape._groups]
    # 4 neurons of 3 inputs: one dense group, one relu group; then 2 linear neurons, and
    # the sum of the 2 outputs
    assert kinds[:3] == [("dense", "add", 4), ("elementwise", "relu", 4), ("dense", "add", 2)]
    assert len(tape._groups) < len(tape) / 5


def test_relus_at_exactly_zero_take_the_rule_at_the_kink():
    # inputs 0 and zero biases: every hidden pre-activation is exactly 0, relu'(0) = 0
    f, params = mlp_like(2, [3, 1], "relu", 4)
    for p in params:
        if p.label == "" and abs(p.data) < 0.1:
            p.data = 0.0  # mlp_like's biases are drawn in (-0.1, 0.1): make them 0
    rows = [[0.0, 0.0], [0.0, 0.0], [1.0, -1.0]]
    assert_replays_like_the_engine(f, params, rows)


def test_a_group_skips_only_the_entries_whose_upstream_gradient_is_zero():
    # sqrt(relu(w x)) * relu(w x): where relu is off, sqrt's upstream is 0 and backward()
    # never evaluates sqrt'(0); the sqrt group must skip those entries, keep the rest
    ws = [Value(w) for w in (1.0, -1.0, 0.5)]

    def f(x):
        terms = [(w * x).relu().sqrt() * (w * x).relu() for w in ws]
        return terms[0] + terms[1] + terms[2] + ws[0] * x

    rows = [[1.0], [-2.0], [3.0]]
    assert_replays_like_the_engine(f, ws, rows)


def test_shared_parameters_and_repeated_inputs_add_their_contributions():
    # one weight used by two neurons, and an input read twice by one neuron
    w, b = Value(0.7), Value(0.1)

    def f(x, y):
        first = b + w * x + w * y + w * x
        second = b + w * y + Value(2.0) * x
        return first.tanh() + second.tanh() * first

    rows = np.random.default_rng(3).normal(size=(5, 2)).tolist()
    assert_replays_like_the_engine(f, [w, b], rows)


def test_a_sum_of_products_without_a_bias_and_a_scaled_sum_in_it_are_one_dense_group():
    # a mean plus a penalty, the tail of a loss: (t0 + t1 + t2) * (1/3) + alpha * (w*w)
    w, alpha = Value(0.7), Value(1e-2)

    def f(x, y):
        terms = (w * x).tanh() + (w * y).relu() + x * y
        return terms * (1 / 3) + alpha * (w * w)

    tape = compile(f, 2)
    last = tape._groups[-1]
    assert (last.kind, last.a, len(last.parents)) == ("dense", None, 2)  # weights, inputs
    # the mean's three terms joined it, each weighted 1/3: no sum group of their own
    assert last.weights.shape == (1, 4) and "sum" not in [g.kind for g in tape._groups]
    rows = np.random.default_rng(5).normal(size=(6, 2)).tolist()
    assert_replays_like_the_engine(f, [w, alpha], rows)


def test_a_penalty_sum_of_squares_is_one_dense_group_and_counts_each_factor():
    # 0 + w0*w0 + w1*w1 + w2*w2: both factors parameters; d(w*w)/dw = 2w, once per factor
    ws = [Value(0.5), Value(-1.5), Value(2.0)]

    def f(x):
        penalty = sum((w * w for w in ws), 0.0)
        return (ws[0] * x).tanh() + penalty

    tape = compile(f, 1)
    assert [g.weights.shape for g in tape._groups if g.kind == "dense"] == [(1, 3)]
    rows = [[0.3], [-1.2], [2.0]]
    assert_replays_like_the_engine(f, ws, rows)
