"""render(): files through the real `dot` program, escaping fuzzed, the missing-dot error."""

from __future__ import annotations

import shutil
import xml.etree.ElementTree as ET

import graphviz
import pytest
from chainrule.autograd import Value, topological_order
from chainrule.viz import dot_ids, draw_graph, render
from chainrule.viz.dot import DotNotFoundError
from hypothesis import given, settings
from hypothesis import strategies as st
from viz_testgraphs import scoped_mlp

needs_dot = pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz's dot is missing")
SVG = "{http://www.w3.org/2000/svg}"
NASTY = ['a|b', '{x}', '<y>', 'say "hi"', 'back\\slash', 'two\nlines', 'amp & co',
         '[list]', 'tab\there', 'ünïcödé ∂', 'bell\a']


def svg_texts(path) -> list[str]:
    root = ET.parse(path).getroot()  # parses as XML, or raises
    return ["".join(t.itertext()) for t in root.iter(f"{SVG}text")]


@needs_dot
def test_svg_parses_as_xml_and_shows_every_label_data_and_grad(tmp_path):
    parts = [Value(float(i), label=label) for i, label in enumerate(NASTY)]
    root = sum(parts[1:], parts[0])
    root.backward()
    texts = svg_texts(render(root, tmp_path / "g.svg"))
    for label in NASTY:
        shown = label.replace("\a", "\\x07").replace("\t", " ").split("\n")
        assert all(line in texts for line in shown), label
    assert "data 55.0" in texts  # 0 + 1 + ... + 10
    assert texts.count("grad 1.0") == 2 * len(NASTY) - 1  # 11 leaves and 10 sums


@needs_dot
def test_svg_elements_carry_the_dot_names_as_ids(tmp_path):
    y = (Value(2.0, "x") * Value(3.0, "w")).tanh()
    root = ET.parse(render(y, tmp_path / "g.svg")).getroot()
    ids = {g.get("id") for g in root.iter(f"{SVG}g")}
    assert set(dot_ids(y).values()) <= ids
    assert {"v3_op", "v3_in0", "v3_out", "v2_in1"} <= ids


@needs_dot
@pytest.mark.parametrize("suffix, magic", [(".png", b"\x89PNG"), (".pdf", b"%PDF"),
                                           (".svg", b"<?xml"), (".dot", b"digraph")])
def test_the_suffix_picks_the_format(tmp_path, suffix, magic):
    path = render(Value(1.0, "x") + 1, tmp_path / "deep" / f"g{suffix}")
    assert path.read_bytes().startswith(magic)
    assert [p.name for p in path.parent.iterdir()] == [path.name]  # no temporary left


@needs_dot
def test_a_collapsed_mlp_renders(tmp_path):
    root = scoped_mlp([16, 16, 1], [0.5, -1.0])
    root.backward()
    texts = svg_texts(render(root, tmp_path / "mlp.svg", collapse="neuron"))
    assert sum(t.startswith("L") and ".N" in t for t in texts) == 33


@needs_dot
@settings(max_examples=40)
@given(label=st.text(max_size=30))
def test_any_label_gives_dot_text_that_dot_accepts(label):
    y = Value(1.0, label=label) * Value(2.0, label=label[::-1])
    svg = draw_graph(y, show_formulas=True).pipe(format="svg")  # raises if dot refuses it
    ET.fromstring(svg)


def test_dot_text_needs_no_dot_program_but_pictures_name_it(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", "")
    y = Value(2.0, "x") * 3
    assert render(y, tmp_path / "g.dot").read_text().startswith("digraph")
    with pytest.raises(DotNotFoundError, match=r"'dot' program, which is not on PATH"):
        render(y, tmp_path / "g.svg")
    assert not (tmp_path / "g.svg").exists()


def test_an_unknown_suffix_is_refused_before_anything_is_written(tmp_path):
    with pytest.raises(ValueError, match=r"suffix '\.jpg'.*\.svg"):
        render(Value(1.0), tmp_path / "g.jpg")
    assert list(tmp_path.iterdir()) == []


def test_a_digraph_renders_as_is_and_refuses_drawing_options(tmp_path):
    dot = draw_graph(Value(1.0, "x") + 1)
    assert render(dot, tmp_path / "g.dot").read_text() == dot.source
    with pytest.raises(TypeError, match="apply only when you pass a Value"):
        render(dot, tmp_path / "h.dot", collapse="neuron")
    with pytest.raises(TypeError, match="needs a Value or a graphviz.Digraph"):
        render("x", tmp_path / "i.dot")


def test_drawing_options_pass_through_render(tmp_path):
    y = Value(0.5, "x").tanh()
    text = render(y, tmp_path / "g.dot", show_formulas=True, precision=2).read_text()
    assert "1 - tanh(x)^2 = 0.79" in text and isinstance(draw_graph(y), graphviz.Digraph)
    assert len(topological_order(y)) == 2
