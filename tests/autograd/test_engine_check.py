"""check_engine: a learner's Value class against ours, each broken engine caught with the
right diagnosis (tests/engines/ holds one engine per classic mistake)."""

import dataclasses
import functools
import importlib
import subprocess
import sys
from pathlib import Path

import pytest
from chainrule.autograd import Value
from chainrule.autograd.engine_check import check_engine, graphs
from chainrule.autograd.engine_forms import Form, Recipe, all_forms, run
from chainrule.autograd.parse import parse
from hypothesis import given, settings

ENGINES = Path(__file__).resolve().parents[1] / "engines"

# One engine per mistake: a phrase the diagnosis must contain, and a method it must name.
BROKEN = {
    "overwrite_grad": ("must add to it (grad += ...)", "__add__"),
    "wrong_tanh": ("the local gradient of tanh(a) is wrong", "1 - tanh(x)^2"),
    "swapped_rsub": ("__rsub__ swaps its operands", "compute other - self"),
    "walk_twice": ("visits a node reached by two paths twice", "2 times"),
    "walk_order": ("depends on the call order", "reverse"),
    "no_radd": ("your class has no working __radd__", "sum("),
}


def engine(name: str) -> type:
    if str(ENGINES) not in sys.path:
        sys.path.insert(0, str(ENGINES))
    return importlib.import_module(name).Value


@functools.cache
def report_for(name: str):
    """One check per engine for the tests that only read its report."""
    return check_engine(engine(name))


def test_a_correct_home_made_engine_passes_and_says_which_ops_it_has():
    report = check_engine(engine("lecture"))
    assert report.ok, str(report)
    assert report.n_graphs == 200
    assert {"a + b", "2 - a", "a ** 2", "tanh(a)", "exp(a)", "relu(a)"} <= set(report.found)
    assert "sin(a)" in report.not_found and "not checked" in str(report)


def test_micrograd_passes_for_the_ops_it_has():
    micrograd = pytest.importorskip("micrograd.engine", reason="micrograd (bench extra) "
                                    "is not installed: pip install -e '.[bench]'")
    report = check_engine(micrograd.Value)
    assert report.ok, str(report)
    assert "relu(a)" in report.found and "tanh(a)" not in report.found  # 0.1.0 has no tanh


@pytest.mark.parametrize("name", sorted(BROKEN))
def test_each_broken_engine_is_caught_with_the_right_diagnosis(name):
    report = report_for(name)
    phrase, detail = BROKEN[name]
    assert not report.ok
    assert phrase in report.mismatch.diagnosis, str(report)
    assert detail in report.mismatch.diagnosis, str(report)
    assert "failing expression" in str(report)


@pytest.mark.parametrize("name", sorted(BROKEN))
def test_the_smallest_failing_expression_gives_our_numbers_when_parsed(name):
    mismatch = report_for(name).mismatch
    leaves = {leaf.name: Value(leaf.value, leaf.name) for leaf in mismatch.leaves}
    root = parse(mismatch.formula, **leaves)
    root.backward()
    assert root.data == pytest.approx(mismatch.root_ours)
    for leaf in mismatch.leaves:
        assert leaves[leaf.name].grad == pytest.approx(leaf.ours)
    assert mismatch.steps_command().startswith(f'chainrule steps "{mismatch.formula}" x0=')


def test_shrinking_finds_a_one_op_graph_for_a_wrong_rule():
    mismatch = report_for("wrong_tanh").mismatch
    assert mismatch.formula == "tanh(x0)"  # tanh' = 1 - x^2 is wrong at any x but 0
    assert mismatch.leaves[0].theirs != pytest.approx(mismatch.leaves[0].ours)


def test_a_node_used_twice_is_shown_node_by_node():
    report = report_for("walk_twice")
    assert report.mismatch.nodes, str(report)
    assert "node by node" in str(report)
    assert report.mismatch.nodes[-1].startswith("out = ")


def test_the_report_is_frozen_and_the_same_on_every_run():
    first, second = check_engine(engine("swapped_rsub")), check_engine(engine("swapped_rsub"))
    assert str(first) == str(second)
    with pytest.raises(dataclasses.FrozenInstanceError):
        first.n_graphs = 0


def test_a_recipe_builds_the_same_graph_on_any_class():
    # (2 - x0) * x0 at x0 = 3: value -3, gradient 2 - 2 x0 = -4
    recipe = Recipe((3.0,), ((Form("sub", "2a"), (2.0, 0)), (Form("mul", "ab"), (1, 0))))
    assert recipe.formula() == "(2 - x0) * x0"
    for value_class in (Value, engine("lecture")):
        outcome = run(recipe, value_class)
        assert (outcome.root, outcome.grads) == (-3.0, (-4.0,))


def depth(recipe: Recipe) -> int:
    """The longest chain of ops from a leaf to a result."""
    depths = [0] * len(recipe.inputs)
    for _, operands in recipe.steps:
        depths.append(1 + max(depths[o] for o in operands if isinstance(o, int)))
    return max(depths)


def test_random_graphs_share_nodes_put_numbers_on_both_sides_and_chain_deep():
    seen = []

    @settings(max_examples=200, database=None)
    @given(graphs(all_forms()))
    def collect(recipe):
        seen.append(recipe)

    collect()
    sides = {form.sides for recipe in seen for form, _ in recipe.steps}
    assert {"ab", "a2", "2a", "a"} <= sides
    assert any(recipe.shares_a_result() for recipe in seen)
    assert any(operands.count(0) == 2 for r in seen for _, operands in r.steps)  # a * a
    assert max(depth(recipe) for recipe in seen) >= 6


def test_not_a_value_class_is_refused_with_what_to_give():
    with pytest.raises(TypeError, match=r"Value\(0.5\) with .data 0.5"):
        check_engine(float)
    with pytest.raises(TypeError, match="not a class"):
        check_engine(Value(1.0))
    with pytest.raises(ValueError, match="n_graphs >= 1"):
        check_engine(Value, n_graphs=0)


def test_without_hypothesis_the_import_says_how_to_install_it():
    code = ("import sys; sys.modules['hypothesis'] = None\n"
            "try:\n    import chainrule.autograd.engine_check\n"
            "except ImportError as error:\n    print(error)\n")
    printed = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                             timeout=60).stdout
    assert "pip install 'chainrule[testing]'" in printed
