"""draw_dot: micrograd's trace_graph signature, and render(name) writing name.svg by default."""

import shutil

import pytest
from chainrule.autograd import Value
from chainrule.viz import draw_dot, draw_graph

needs_dot = pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz's dot is missing")


def trace_graph_example() -> Value:
    x = Value(1.0)  # trace_graph.ipynb's "very simple example"
    y = (x * 2 + 1).relu()
    y.backward()
    return y


@pytest.mark.parametrize("call, fmt, rankdir", [
    (lambda y: draw_dot(y), "svg", "LR"),
    (lambda y: draw_dot(y, "png", "TB"), "png", "TB"),
    (lambda y: draw_dot(y, format="pdf", rankdir="TB"), "pdf", "TB"),
    (lambda y: draw_dot(y, rankdir="LR", format="svg"), "svg", "LR"),
])
def test_draw_dot_takes_format_and_rankdir_positionally_or_by_keyword(call, fmt, rankdir):
    y = trace_graph_example()
    dot = call(y)
    assert dot.format == fmt
    assert dot.source == draw_graph(y, rankdir=rankdir).source


def test_draw_dot_passes_our_drawing_options_on():
    y = trace_graph_example()
    assert draw_dot(y, show_formulas=True).source == draw_graph(y, show_formulas=True).source


def test_an_unknown_format_is_refused_before_drawing():
    with pytest.raises(ValueError, match="unknown format 'jpeg2'"):
        draw_dot(trace_graph_example(), "jpeg2")


@needs_dot
def test_render_writes_an_svg_by_default_as_micrograd_did(tmp_path):
    dot = draw_dot(trace_graph_example())
    written = dot.render(str(tmp_path / "gout"))
    assert written.endswith("gout.svg")
    assert (tmp_path / "gout.svg").read_text().lstrip().startswith(("<?xml", "<svg"))
