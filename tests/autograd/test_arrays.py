"""Arrays of Values: NumPy's own functions build the graph, with the right numbers.

Each row of CASES runs one NumPy function on wrapped arrays and on plain floats: the
values must match float NumPy, and the gradients of a weighted sum of the outputs must
match central finite differences of the float version.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from chainrule.autograd import Value, gradcheck, scope, topological_order
from chainrule.autograd.arrays import (
    SUPPORTED,
    UNSUPPORTED,
    as_scalar,
    data_of,
    grad_of,
    wrap,
    zero_grad,
)
from chainrule.autograd.paths import why
from chainrule.autograd.steps import explain
from chainrule.viz import draw_graph
from chainrule.viz._labels import escape_html
from chainrule.viz.stepper import stepper_html

RNG = np.random.default_rng(14)


def away_from_zero(*shape):
    """Entries in ±[0.2, 1.2]: clear of every kink (relu, abs, max at 0) by 0.2."""
    return RNG.uniform(0.2, 1.2, shape) * RNG.choice([-1.0, 1.0], shape)


def positive(*shape):
    return RNG.uniform(0.5, 2.0, shape)


# name in SUPPORTED -> (function of the arrays, the float inputs); one row per function.
CASES = {
    "np.dot": (lambda a, b: np.dot(a, b), [away_from_zero(2, 3), away_from_zero(3, 2)]),
    "@": (lambda x, w: x @ w, [RNG.normal(size=(4, 2)), away_from_zero(2, 3)]),
    "np.outer": (np.outer, [away_from_zero(3), away_from_zero(2)]),
    "np.einsum": (lambda a, b: np.einsum("ij,jk->ik", a, b),
                  [away_from_zero(2, 3), away_from_zero(3, 2)]),
    "np.sum": (lambda a: np.sum(a, axis=0, keepdims=True), [away_from_zero(4, 3)]),
    "np.mean": (lambda a: np.mean(a, axis=1), [away_from_zero(2, 3)]),
    "np.exp": (np.exp, [away_from_zero(2, 2)]),
    "np.log": (np.log, [positive(2, 2)]),
    "np.sqrt": (np.sqrt, [positive(3)]),
    "np.square": (np.square, [away_from_zero(2, 2)]),
    "**": (lambda a: a ** 3, [away_from_zero(3)]),
    "np.tanh": (np.tanh, [away_from_zero(2, 3)]),
    "np.sin": (np.sin, [away_from_zero(3)]),
    "np.cos": (np.cos, [away_from_zero(3)]),
    "np.abs": (np.abs, [away_from_zero(4)]),
    "np.maximum": (lambda a, b: np.maximum(a, 0) + np.maximum(a, b),
                   [away_from_zero(4), away_from_zero(4) * 1.7]),
    "np.minimum": (lambda a: np.minimum(a, 0.0), [away_from_zero(4)]),
    "np.clip": (lambda a: np.clip(a, -0.1, 0.1) + np.clip(a * 0.05, -0.1, 0.1),
                [away_from_zero(4)]),
    "np.where": (lambda a: np.where(a > 0, a, 0.1 * a), [away_from_zero(5)]),
    ".reshape": (lambda a: a.reshape(3, 2) * np.arange(6).reshape(3, 2), [away_from_zero(2, 3)]),
    ".T": (lambda a, b: a.T @ b, [away_from_zero(3, 2), away_from_zero(3, 2)]),
    "np.transpose": (lambda a: np.transpose(a) * np.arange(6).reshape(3, 2),
                     [away_from_zero(2, 3)]),
    "broadcasting": (lambda z, b: z + b * 2.0, [away_from_zero(4, 3), away_from_zero(1, 3)]),
}


def weighted_total(outputs, weights):
    """One number from the outputs, each entry weighted differently (so each counts)."""
    return np.sum(np.asarray(outputs) * weights)


def finite_differences(function, inputs, weights, h=1e-6):
    """d total / d entry for every entry of every input, by central differences."""
    slopes = []
    for k, array in enumerate(inputs):
        slope = np.zeros_like(array)
        for index in np.ndindex(array.shape):
            moved = [x.copy() for x in inputs]
            moved[k][index] += h
            up = weighted_total(function(*moved), weights)
            moved[k][index] -= 2 * h
            slope[index] = (up - weighted_total(function(*moved), weights)) / (2 * h)
        slopes.append(slope)
    return slopes


def test_every_supported_function_has_a_case_and_no_case_is_unlisted():
    assert sorted(CASES) == sorted(SUPPORTED)


@pytest.mark.parametrize("name", sorted(CASES))
def test_numpy_function_on_values_matches_float_numpy_and_finite_differences(name):
    function, inputs = CASES[name]
    wrapped = [wrap(x, f"x{k}") for k, x in enumerate(inputs)]
    outputs = function(*wrapped)
    expected = function(*inputs)
    np.testing.assert_allclose(data_of(outputs), expected, rtol=1e-12, atol=1e-12)
    weights = RNG.uniform(0.5, 1.5, np.shape(expected))
    as_scalar(weighted_total(outputs, weights), name).backward()
    for array, slope in zip(wrapped, finite_differences(function, inputs, weights), strict=True):
        np.testing.assert_allclose(grad_of(array), slope, rtol=1e-6, atol=1e-8)


# each unsupported call, and its alternative, on a positive float array x (and a = x, b = 2x)
UNSUPPORTED_CALLS = {
    "np.logaddexp(a, b)": (lambda x: np.logaddexp(x, 2 * x),
                           lambda x: np.maximum(x, 2 * x) + np.log(1 + np.exp(-abs(x - 2 * x)))),
    "np.log1p(x)": (np.log1p, lambda x: np.log(1 + x)),
    "np.expm1(x)": (np.expm1, lambda x: np.exp(x) - 1),
    "np.exp2(x)": (np.exp2, lambda x: 2 ** x),
    "np.log2(x)": (np.log2, lambda x: np.log(x) / np.log(2)),
    "np.std(x)": (np.std, lambda x: np.sqrt(np.mean((x - np.mean(x)) ** 2))),
    "np.var(x)": (np.var, lambda x: np.mean((x - np.mean(x)) ** 2)),
    "np.fabs(x)": (np.fabs, np.abs),
    "np.heaviside(x, 0)": (lambda x: np.heaviside(x, 0), lambda x: (x > 0) * 1.0),
}


def test_every_unsupported_function_has_a_tested_alternative():
    assert sorted(UNSUPPORTED_CALLS) == sorted(UNSUPPORTED)


@pytest.mark.parametrize("name", sorted(UNSUPPORTED_CALLS))
def test_unsupported_function_raises_and_its_alternative_gives_numpys_numbers(name):
    unsupported, alternative = UNSUPPORTED_CALLS[name]
    x = np.array([0.5, 1.5, 2.0])
    with pytest.raises(TypeError):
        unsupported(wrap(x, "x"))
    np.testing.assert_allclose(data_of(alternative(wrap(x, "x"))), unsupported(x), rtol=1e-12)


def test_wrap_labels_each_entry_with_its_index_and_copies_the_numbers():
    numbers = np.array([[1.0, 2.0, 3.0]])
    W = wrap(numbers, "b1")
    assert [v.label for v in W.flat] == ["b1[0,0]", "b1[0,1]", "b1[0,2]"]
    numbers[0, 0] = 99.0                     # the leaves keep their own copy
    assert data_of(W).tolist() == [[1.0, 2.0, 3.0]]
    assert isinstance(wrap(np.float64(0.5), "w1"), Value)   # a number: one Value


@pytest.mark.parametrize("bad, error, words", [
    ("abc", TypeError, "needs numbers"),
    ([1.0, float("inf")], ValueError, "finite"),
    (np.array([True, False]), TypeError, "astype(float)"),
])
def test_wrap_refuses_what_is_not_a_finite_float_array(bad, error, words):
    with pytest.raises(error, match=words.replace("(", r"\(").replace(")", r"\)")):
        wrap(bad, "W")


def test_wrap_needs_a_name():
    with pytest.raises(TypeError, match="name"):
        wrap([1.0], "")


def test_grads_accumulate_until_zero_grad_as_on_any_leaf():
    a = wrap(np.array([1.0, -2.0]), "a")
    for _ in range(2):
        np.sum(a * a).backward()             # d(sum a^2)/da = 2a, twice
    assert grad_of(a).tolist() == [4.0, -8.0]
    zero_grad(a)
    assert grad_of(a).tolist() == [0.0, 0.0]


def test_as_scalar_explains_a_loss_that_is_still_an_array():
    a = wrap(np.ones((4, 1)), "a")
    with pytest.raises(TypeError, match=r"shape \(4, 1\).*np.mean"):
        as_scalar(a * 2, "loss")


def tiny_layer():
    """sigmoid(x @ W + b) written as the tutorials write it, inside a layer's scope."""
    x = wrap(np.array([[0.5, -1.0]]), "x")
    with scope("layer1"):
        W, b = wrap(np.array([[0.2], [0.4]]), "W"), wrap(np.zeros((1, 1)), "b")
        out = (1 / (1 + np.exp(-(x @ W + b))))[0, 0]
    out.backward()
    return out, W


def test_numbers_typed_inside_a_scope_are_constants_of_no_module():
    out, _ = tiny_layer()
    ones = [n for n in topological_order(out) if n.op is None and n.label == ""]
    assert len(ones) == 2 and all(n.scope is None for n in ones)   # the two 1s of sigmoid


def test_a_graph_from_arrays_is_drawn_with_the_arrays_labels_and_boxed_by_scope():
    out, _ = tiny_layer()
    assert escape_html("W[1,0]") in draw_graph(out).source
    boxed = draw_graph(out, collapse="layer").source
    # one box for the layer (its 3 parameters, its constants inside), the two inputs
    assert boxed.count("shape=plain") == 3 and "3 parameters" in boxed


def test_explain_and_why_write_an_array_entry_as_one_name():
    out, W = tiny_layer()
    assert "x[0,1] * W[1,0]" in explain(out) and "(W[1,0])" not in explain(out)
    assert "= W[1,0].grad" in str(why(out, W[1, 0]))


def test_the_readme_lists_every_supported_function_and_each_alternative():
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text()
    section = readme[readme.index("## Check your NumPy backprop"):]
    section = section[:section.index("\n## ")]
    for name in SUPPORTED:
        assert f"`{name}`" in section, name
    for name, alternative in UNSUPPORTED.items():
        assert f"`{name}`" in section and alternative.split(",")[0] in section, name


def test_gradcheck_and_the_stepper_take_a_graph_built_from_arrays(tmp_path):
    W = np.array([[0.2, -0.4], [0.7, 0.1]])

    def layer(a, b):                          # two scalars in, one row through W and tanh
        return np.sum(np.tanh(np.array([[a, b]], dtype=object) @ W))

    assert gradcheck(layer, [0.5, -1.0]).ok
    out, _ = tiny_layer()
    page = stepper_html(out, tmp_path / "steps.html").read_text()
    assert escape_html("W[1,0]") in page or "W[1,0]" in page
