"""Issue 17, item 13: a wrong type or name is a clear TypeError/ValueError saying what to
do, never a raw AttributeError, UnicodeEncodeError or CalledProcessError from inside."""

import pytest
from chainrule.autograd import Value, scope
from chainrule.viz.graph import draw_graph
from chainrule.viz.stepper import stepper_html


def test_draw_graph_refuses_a_name_that_is_not_text():
    x = Value(2.0, "x")
    with pytest.raises(TypeError, match="names must map each Value to a str, got 123"):
        draw_graph(x * 3, names={x: 123})


def test_backward_refuses_a_leaf_grad_that_is_not_a_number():
    x = Value(2.0, "x")
    y = x * x
    x.grad = "abc"
    with pytest.raises(TypeError, match=r"x\.grad is 'abc'.*set x\.grad = 0\.0"):
        y.backward()


def test_stepper_html_writes_a_lone_surrogate_label_escaped(tmp_path):
    y = Value(2.0, "\ud800") * 2
    text = stepper_html(y, tmp_path / "s.html").read_text(encoding="utf-8")
    assert "\\ud800" in text          # shown as its code, as draw_graph shows it


def test_stepper_html_refuses_something_that_is_not_a_value(tmp_path):
    with pytest.raises(TypeError, match="stepper_html steps through a Value's graph, got ''"):
        stepper_html("", tmp_path / "s.html")
    assert not (tmp_path / "s.html").exists()


@pytest.mark.parametrize("name", [".hidden", "L0.", "L0..N1"])
def test_a_scope_name_with_an_empty_part_is_refused_before_any_drawing(name):
    with pytest.raises(ValueError, match="has an empty part between dots"):
        with scope(name):
            pass
