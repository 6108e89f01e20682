"""gradcheck: its report, its verdicts, the culprit finder, and its argument errors."""

import numpy as np
import pytest
from chainrule.autograd import Value, apply_op
from chainrule.autograd.gradcheck import assert_gradcheck, find_culprit, gradcheck, gradgradcheck
from chainrule.autograd.ops import TANH, Op

# tanh with a wrong rule: 1 - tanh(x) instead of 1 - tanh(x)^2
WRONG_TANH = Op("bad_tanh", "tanh?", 1, TANH.forward, lambda x, out: (1.0 - out,),
                ("1 - tanh(x)",), "bad_tanh({0})")


def test_a_wrong_rule_fails_with_a_readable_table_that_names_the_culprit():
    report = gradcheck(lambda x, w: apply_op(WRONG_TANH, x * w) * 2.0, [0.5, -1.5])
    assert not report.ok
    text = str(report)
    assert "gradcheck FAILED: 0 of 2 inputs agree" in text
    assert "NO" in text and "x0" in text and "x1" in text
    assert "culprit: node 3 (bad_tanh)" in text and "bad_tanh's local_grads" in text


def test_assert_gradcheck_raises_with_the_table():
    with pytest.raises(AssertionError, match="culprit"):
        assert_gradcheck(lambda x: apply_op(WRONG_TANH, x), [0.3])


def test_rows_are_labelled_by_value_labels():
    report = gradcheck(lambda x, y: x * y, [Value(2.0, "x"), Value(3.0, "y")])
    assert [row.label for row in report.rows] == ["x", "y"]
    assert [row.analytic for row in report.rows] == [3.0, 2.0]


def test_a_point_at_a_kink_is_flagged_and_explained():
    report = gradcheck(lambda x: x.relu(), [0.0])
    assert not report.ok and report.rows[0].near_kink
    assert "kink" in str(report) and "culprit" not in str(report)


def test_a_point_within_a_step_of_a_kink_passes_once_the_step_shrinks_past_it():
    report = gradcheck(lambda x: x.relu(), [1e-7])   # relu'(1e-7) = 1, on one side
    assert report.ok, str(report)


def test_a_smooth_point_is_not_flagged_as_near_a_kink():
    assert not gradcheck(lambda x: x.relu() * x, [0.5]).rows[0].near_kink


def test_find_culprit_returns_none_for_correct_rules():
    x = Value(0.7)
    assert find_culprit((x.sin() * x.exp()).log()) is None


@pytest.mark.parametrize("f, inputs, error, words", [
    (lambda x: x, [], ValueError, "at least one input"),
    (lambda x: x, ["a"], TypeError, "gradcheck input 0 needs a real number"),
    (lambda x: x, 3.0, TypeError, "sequence of numbers"),
    (lambda x: 3.0, [1.0], TypeError, "f must return a Value"),
])
def test_bad_arguments_raise_clear_errors(f, inputs, error, words):
    with pytest.raises(error, match=words):
        gradcheck(f, inputs)


def test_gradgradcheck_names_itself_in_errors():
    with pytest.raises(ValueError, match="^gradgradcheck needs at least one input"):
        gradgradcheck(lambda x: x * x, [])


def test_a_1d_numpy_array_of_inputs_is_accepted():
    assert gradcheck(lambda x, y: x * y.sin(), np.array([0.5, 2.0])).ok
    with pytest.raises(TypeError, match="sequence of numbers"):
        gradcheck(lambda x: x, np.ones((2, 2)))


def test_nonpositive_eps_is_refused():
    with pytest.raises(ValueError, match="eps must be > 0"):
        gradcheck(lambda x: x, [1.0], eps=0.0)


def test_gradchecks_public_names_still_import_from_gradcheck_and_the_facade():
    import importlib

    from chainrule.autograd.gradcheck import GradcheckReport, InputCheck  # noqa: F401
    from chainrule.autograd.gradgradcheck import gradgradcheck as second_order

    import chainrule as cr
    module = importlib.import_module("chainrule.autograd.gradcheck")
    assert module.gradgradcheck is second_order is cr.gradgradcheck
    assert module.gradcheck is cr.gradcheck and module.find_culprit is find_culprit


def test_first_and_second_order_checks_live_in_files_read_in_one_sitting():
    import importlib
    from pathlib import Path
    for name in ("gradcheck", "gradgradcheck", "gradcheck_report", "finite_differences"):
        module = importlib.import_module(f"chainrule.autograd.{name}")
        assert len(Path(module.__file__).read_text().splitlines()) <= 250, name
