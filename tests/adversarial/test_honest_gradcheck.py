"""Issue 17, item 8: gradcheck never accuses correct code. Steps stay inside the domain and
away from poles; when the numbers cannot decide it says "inconclusive" and why; it never
reports a value the user did not pass; nonsense tolerances are refused."""

import math

import pytest
from chainrule.autograd import Value, gradcheck

from chainrule.cli import main


@pytest.mark.parametrize("f, x", [
    (lambda x: 1 / x, 1e-7),              # the old step straddled the pole at 0
    (lambda x: x.log(), 1e-7),            # ... and left log's domain (x - h < 0)
    (lambda x: (x * x).sqrt(), 1e-7),
    (lambda x: x.exp(), 709.7),           # a relative step too coarse near overflow
    (lambda x: x.relu(), 1e-7),
], ids=["1/x", "log", "sqrt(x*x)", "exp near overflow", "relu near its kink"])
def test_a_correct_gradient_near_a_pole_or_domain_edge_passes(f, x):
    report = gradcheck(f, [x])
    assert report.ok, str(report)


def test_a_step_lost_in_rounding_is_inconclusive_and_blames_no_op():
    # abs(exp(abs(sin((y + 1e150) * 0.5)))): every op is right, but y's step vanishes
    report = gradcheck(lambda y: abs(abs(((y + 1e150) * 0.5).sin()).exp()), [0.3])
    assert report.inconclusive and report.culprit is None
    assert "lost in rounding at node 2 (add)" in str(report)


def test_a_step_lost_next_to_a_huge_root_is_inconclusive_not_passed():
    # x + 1e150: analytic 1, numeric 0; the rounding allowance (eps |f| / h) is about 1e140,
    # so the two "agree" only because the difference cannot see the step at all
    report = gradcheck(lambda x: x + 1e150, [1.0])
    assert not report.ok and report.inconclusive and report.culprit is None, str(report)
    assert "lost in rounding at node 2 (add)" in str(report)


def test_find_culprit_does_not_blame_cos_at_a_huge_argument():
    report = gradcheck(lambda y: (y * 1e150).cos(), [0.3])
    assert report.culprit is None, str(report)


def test_a_wrong_gradient_is_still_caught_with_its_culprit():
    from chainrule.autograd.ops import Op
    from chainrule.autograd.value import apply_op
    wrong = Op("twice", "2x", 1, lambda x: 2 * x, lambda x, out: (3.0,), ("3",), "twice({0})")
    report = gradcheck(lambda x: apply_op(wrong, x), [0.5])
    assert not report.ok and not report.inconclusive and "twice" in report.culprit


@pytest.mark.parametrize("option", [{"atol": math.nan}, {"atol": -1.0}, {"rtol": -1.0},
                                    {"rtol": math.inf}])
def test_nonsense_tolerances_are_refused(option):
    with pytest.raises(ValueError, match="gradcheck [ar]tol"):
        gradcheck(lambda x: x * x, [Value(1.0)], **option)


@pytest.mark.parametrize("option", [["--atol", "nan"], ["--atol", "-1"], ["--rtol", "-1"]])
def test_the_cli_refuses_nonsense_tolerances_with_one_line(option, capsys):
    assert main(["check", "x*x", "x=1", *option]) == 2
    assert len(capsys.readouterr().err.strip().splitlines()) == 1


def test_the_cli_check_of_1_over_x_near_zero_passes():
    assert main(["check", "1/x", "x=1e-7"]) == 0


def _at_the_corner_of_the_absolute_value(x):
    return (x * x) ** 0.5      # |x|: pow's slope b * a^(b-1) is infinite at a = x*x = 0


def test_gradcheck_on_an_infinite_local_gradient_is_inconclusive_and_says_why():
    report = gradcheck(_at_the_corner_of_the_absolute_value, [0.0])
    assert report.inconclusive and not report.ok and report.culprit is None
    text = str(report)
    assert text.startswith("gradcheck INCONCLUSIVE") and "pow" in text and "infinite" in text
    assert "another point" in text


def test_gradgradcheck_on_an_infinite_local_gradient_is_inconclusive_and_says_why():
    from chainrule.autograd import gradgradcheck
    report = gradgradcheck(_at_the_corner_of_the_absolute_value, [0.0])
    assert report.inconclusive and report.culprit is None
    assert "pow" in str(report) and "another point" in str(report)


def test_the_cli_check_at_an_infinite_local_gradient_prints_the_verdict_and_exits_1(capsys):
    assert main(["check", "(x*x)**0.5", "x=0"]) == 1
    out = capsys.readouterr()
    assert "INCONCLUSIVE" in out.out and "infinite" in out.out and out.err == ""


def test_the_two_inputs_with_one_reason_get_one_note():
    report = gradcheck(lambda x, y: (x * x + y * y) ** 0.5, [0.0, 0.0])
    assert report.inconclusive and str(report).count("inconclusive for") == 1


def test_gradgradcheck_near_a_domain_edge_is_inconclusive_not_an_error_at_a_point_never_passed():
    from chainrule.autograd import gradgradcheck
    report = gradgradcheck(lambda x: x.log(), [1e-7])    # x - h < 0: log's slope undefined
    assert report.inconclusive and "choose another point" in str(report)
