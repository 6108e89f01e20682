"""compile(): a traced tape replayed over a batch gives the per-example engine's numbers."""

import math

import numpy as np
import pytest
from chainrule.autograd import OPS, Value, apply_op
from chainrule.autograd.compiled import compile

RTOL = 1e-9


def per_example(f, params, rows):
    """Outputs and parameter gradients (summed over rows) from the ordinary engine."""
    for p in params:
        p.grad = 0.0
    outputs = []
    for row in rows:
        out = f(*[Value(x) for x in row])
        out.backward()
        outputs.append(out.data)
    return np.array(outputs), np.array([p.grad for p in params])


def replayed(f, params, rows):
    for p in params:
        p.grad = 0.0
    tape = compile(f, len(rows[0]), examples=rows[:2])
    (outputs,) = tape.forward(*np.array(rows).T)
    tape.backward(np.ones(len(rows)))
    return outputs, np.array([p.grad for p in params])


def assert_same(a, b):
    scale = max(np.max(np.abs(b)), 1e-300)
    np.testing.assert_allclose(a, b, rtol=RTOL, atol=RTOL * scale)


def mlp_like(n_inputs, sizes, activation, seed):
    """A hand-built MLP: act(b + sum w x) per neuron, linear last layer; its parameters."""
    rng = np.random.default_rng(seed)
    layers, params = [], []
    for n_in, n_out in zip([n_inputs, *sizes], sizes, strict=False):
        layer = [([Value(w) for w in rng.uniform(-1, 1, n_in)], Value(rng.uniform(-0.1, 0.1)))
                 for _ in range(n_out)]
        layers.append(layer)
        params += [p for ws, b in layer for p in [*ws, b]]

    def f(*xs):
        for i, layer in enumerate(layers):
            acts = []
            for ws, b in layer:
                act = b
                for w, x in zip(ws, xs, strict=True):
                    act = act + w * x
                acts.append(act if i == len(layers) - 1 else getattr(act, activation)())
            xs = acts
        return sum(xs[1:], xs[0])
    return f, params


@pytest.mark.parametrize("activation", ["relu", "tanh", "sigmoid", "leaky_relu"])
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_a_compiled_mlp_matches_the_engine_example_by_example(activation, seed):
    f, params = mlp_like(3, [8, 6, 2], activation, seed)
    rows = np.random.default_rng(seed + 10).normal(size=(40, 3)).tolist()
    out_a, grads_a = replayed(f, params, rows)
    out_b, grads_b = per_example(f, params, rows)
    assert_same(out_a, out_b)
    assert_same(grads_a, grads_b)


@pytest.mark.parametrize("name", sorted(OPS))
def test_every_op_replays_like_the_engine(name):
    # op(w * x + c, ...) with w a parameter, so every local gradient reaches w
    op = OPS[name]
    rng = np.random.default_rng(7)
    first = rng.uniform(-2.0, 2.0, 12).tolist()
    w = Value(1.0, "w")
    others = [Value(0.5 + 0.25 * i, f"p{i}") for i in range(op.arity - 1)]
    f = lambda x: apply_op(op, w * x, *others)
    rows = [[x] for x in _inside(name, first)]
    out_a, grads_a = replayed(f, [w, *others], rows)
    out_b, grads_b = per_example(f, [w, *others], rows)
    assert_same(out_a, out_b)
    assert_same(grads_a, grads_b)


def _inside(name, xs):
    if name in ("log", "sqrt", "pow"):
        return [abs(x) + 0.1 for x in xs]  # positive bases and arguments
    if name in ("exp",):
        return [max(min(x, 5.0), -5.0) for x in xs]
    return xs


def test_multiple_outputs_each_get_their_own_upstream_gradient():
    w = Value(2.0)
    tape = compile(lambda x: [w * x, (w * x).tanh()], 1)
    out, squashed = tape.forward([0.5, -1.0])
    assert out.tolist() == [1.0, -2.0]
    tape.backward([[1.0, 1.0], [0.0, 0.0]])  # only the first output counts
    assert w.grad == -0.5  # 0.5 + (-1.0)


def test_parameter_gradients_accumulate_like_leaves():
    w = Value(3.0)
    tape = compile(lambda x: w * x, 1)
    for _ in range(2):
        tape.forward([1.0, 2.0])
        tape.backward([1.0, 1.0])
    assert w.grad == 6.0  # (1 + 2) twice


def test_parameters_are_read_at_every_forward():
    w = Value(1.0)
    tape = compile(lambda x: w * x, 1)
    w.data = 5.0
    assert tape.forward([2.0])[0].tolist() == [10.0]


def test_comparing_a_traced_value_is_refused_with_the_rule():
    def f(x):
        return x.relu() if x > 0 else -x
    with pytest.raises(ValueError, match="applied > to a Value computed from input x0"):
        compile(f, 1)


def test_branching_on_data_is_caught_by_the_second_trace():
    f = lambda x: x.tanh() if x.data > 0 else x.sigmoid()  # the default rows differ in sign
    with pytest.raises(ValueError, match="node 0 was tanh in one trace and sigmoid.*depends"):
        compile(f, 1)


def test_a_constant_computed_from_a_parameter_is_caught():
    w = Value(2.0)
    f = lambda x: w * x * Value(w.data * 3)  # frozen at trace time: stale after training
    with pytest.raises(ValueError, match="a constant came out"):
        compile(f, 1)


def test_a_domain_error_in_the_batch_names_the_example():
    tape = compile(lambda x: x.log(), 1, examples=[[1.0], [2.0]])
    with pytest.raises(ValueError, match=r"log\(x\) needs x > 0, got x=-1.0.*example 2"):
        tape.forward([1.0, 2.0, -1.0])


def test_examples_may_be_a_numpy_array_of_two_rows():
    rows = np.array([[1.0, 4.0], [2.0, 9.0]])  # log and sqrt need positive trace inputs
    tape = compile(lambda x, y: x.log() + y.sqrt(), 2, examples=rows)
    (out,) = tape.forward([1.0], [4.0])
    assert out.tolist() == [2.0]  # log 1 + sqrt 4


@pytest.mark.parametrize("examples", [
    np.array([[1.0, 2.0]]),            # one row
    np.array([[1.0], [2.0]]),          # one number per row, two inputs
    [[1.0, 2.0], [3.0]],               # ragged
    [[1.0, 2.0], [3.0, "four"]],       # not a number
    [],                                # empty is not the default: pass None for that
])
def test_examples_that_are_not_two_rows_of_n_inputs_numbers_are_refused(examples):
    with pytest.raises(ValueError, match=r"examples must be two rows of 2 numbers"):
        compile(lambda x, y: x * y, 2, examples=examples)


def test_parameters_are_restored_exactly_after_tracing():
    w = Value(0.1 + 0.2)
    compile(lambda x: w * x, 1)
    assert w.data == 0.1 + 0.2


@pytest.mark.parametrize("columns, message", [
    (([1.0], [2.0]), "expects 1 input columns"),
    (([[1.0]],), "1-d columns"),
    (([],), "non-zero length"),
])
def test_bad_columns_are_refused(columns, message):
    tape = compile(lambda x: x * 2.0, 1)
    with pytest.raises(ValueError, match=message):
        tape.forward(*columns)


def test_backward_needs_a_forward_and_the_right_shape():
    tape = compile(lambda x: x * Value(2.0), 1)
    with pytest.raises(RuntimeError, match="run it first"):
        tape.backward([1.0])
    tape.forward([1.0, 2.0])
    with pytest.raises(ValueError, match=r"shape \(1, 2\)"):
        tape.backward([1.0, 2.0, 3.0])


def test_f_must_return_values():
    with pytest.raises(TypeError, match="must return a Value"):
        compile(lambda x: 3.0, 1)


def test_an_output_that_ignores_the_inputs_is_broadcast():
    w = Value(1.5)
    tape = compile(lambda x: w * w, 1)
    assert tape.forward([0.0, 1.0, 2.0])[0].tolist() == [2.25] * 3
    tape.backward([1.0, 1.0, 1.0])
    assert math.isclose(w.grad, 3 * 2 * 1.5)


def test_compiled_backward_skips_examples_whose_upstream_gradient_is_zero():
    # (w*x).relu() is 0 for x > 0 (w = -1), so sqrt of it gets upstream gradient 0 there
    # (x * 0.0): backward() never evaluates sqrt'(0). The tape must not either, per example.
    w = Value(-1.0)

    def f(x):
        return (w * x).relu().sqrt() * (x * 0.0) + w * x

    _, expected = per_example(f, [w], [[1.0], [2.0]])
    tape = compile(f, 1, [[1.0], [2.0]])
    w.grad = 0.0
    tape.forward([1.0, 2.0])
    tape.backward(np.ones(2))
    assert w.grad == expected[0] == 3.0  # d(w x)/dw = x, summed: 1 + 2
