"""draw_graph as DOT text: structure, styles, collapse, guards. No `dot` program needed."""

from __future__ import annotations

import re

import pytest
from chainrule.autograd import Value, count_nodes, scope, topological_order
from chainrule.autograd.notation import number
from chainrule.autograd.steps import node_names
from chainrule.viz import dot_ids, draw_dot, draw_graph
from chainrule.viz._labels import escape_html
from hypothesis import given
from hypothesis import strategies as st
from viz_testgraphs import micrograd_expression, product, scoped_mlp

NODE = re.compile(r"^\s+(\w+) \[", re.M)
EDGE = re.compile(r"^\s+(\w+) -> (\w+) \[(.*)\]$", re.M)

TINY_DOT = """\
digraph chainrule {
	graph [bgcolor=white fontname=Helvetica nodesep=0.2 rankdir=LR ranksep=0.35]
	node [fontname=Helvetica fontsize=11]
	edge [arrowsize=0.6 color="#4b5563" fontname=Helvetica]
	v0 [label=<<TABLE BORDER="0" CELLSPACING="0" CELLPADDING="4" BGCOLOR="#dbeafe" CELLBORDER="1" COLOR="#4b5563"><TR><TD><B>x</B></TD><TD>data 3.0</TD><TD>grad 2.0</TD></TR></TABLE>> id=v0 shape=plain]
	v1 [label=<2.0> color="#9ca3af" fontcolor="#4b5563" fontsize=10 height=0.25 id=v1 margin=0.04 shape=box style=rounded tooltip="constant 2.0 (gradient 3.0)" width=0.3]
	v2 [label=<<TABLE BORDER="0" CELLSPACING="0" CELLPADDING="4" BGCOLOR="#bbf7d0" CELLBORDER="1" COLOR="#4b5563"><TR><TD>data 6.0</TD><TD>grad 1.0</TD></TR></TABLE>> id=v2 shape=plain]
	v2_op [label=<*> color="#4b5563" fillcolor="#f3f4f6" fontsize=11 height=0.3 id=v2_op margin=0.03 penwidth=1 shape=ellipse style=filled width=0.4]
	v2_op -> v2 [id=v2_out]
	v0 -> v2_op [id=v2_in0]
	v1 -> v2_op [id=v2_in1]
}
"""  # noqa: E501  (DOT lines are long; the test compares them whole)


def nodes(source: str) -> list[str]:
    return [name for name in NODE.findall(source) if name not in ("graph", "node", "edge")]


def test_tiny_graph_gives_exactly_this_dot_text():
    x = Value(3.0, "x")
    y = x * 2  # dy/dx = 2, dy/d(the constant 2) = x = 3
    y.backward()
    assert draw_graph(y).source == TINY_DOT


def test_one_node_per_value_and_op_one_edge_per_parent_link():
    g = micrograd_expression(Value(-4.0, "a"), Value(2.0, "b"))
    g.backward()
    order = topological_order(g)
    results = [n for n in order if n.op is not None]
    source = draw_graph(g).source
    assert len(nodes(source)) == len(order) + len(results)
    # each parent link is an arrow into the op; each op has one arrow to its result
    assert len(EDGE.findall(source)) == sum(len(n.parents) for n in results) + len(results)


def test_every_record_shows_data_and_grad_at_the_chosen_precision():
    a, b = Value(-4.0, "a"), Value(2.0, "b")
    g = micrograd_expression(a, b)
    g.backward()
    source = draw_graph(g, precision=2).source
    for node in topological_order(g):
        if node.op is not None or node.label:
            assert f"<TD>data {number(node.data, 2)}</TD>" in source
            assert f"grad {number(node.grad, 2)}<" in source
    assert "138.83" in source and "645.58" in source  # dg/da, dg/db from micrograd's README


def test_same_graph_gives_byte_identical_dot_on_every_build():
    def build() -> str:
        g = micrograd_expression(Value(-4.0, "a"), Value(2.0, "b"))
        g.backward()
        return draw_graph(g, show_formulas=True).source

    assert build() == build()


def test_dot_ids_are_walk_positions_and_become_svg_ids():
    y = (Value(1.0, "x") * Value(2.0, "w")).tanh()
    names = dot_ids(y)
    assert list(names.values()) == [f"v{i}" for i in range(count_nodes(y))]
    source = draw_graph(y).source
    for name in names.values():
        assert f"id={name} " in source
    assert "id=v3_op" in source and "id=v3_in0" in source and "id=v3_out" in source


def test_names_replace_the_drawn_labels_and_the_formulas_names():
    x = Value(2.0, "x")
    h = x * 3.0
    y = h * x  # h and y are unlabelled: the step text calls them n1 and n2
    source = draw_graph(y, names=node_names(y), show_formulas=True).source
    assert "<B>n1</B>" in source and "<B>n2</B>" in source
    assert "n1 = 6.0" in source  # d(n1 * x)/dx = n1, as the step text writes it
    assert '">3.0</FONT>' in source  # d(x * 3.0)/dx = 3.0: a constant is its own name


def test_names_that_are_not_a_mapping_are_refused():
    with pytest.raises(TypeError, match="names must map Values"):
        draw_graph(Value(1.0, "x"), names=["x"])


def test_draw_dot_draws_what_draw_graph_draws():
    y = (Value(2.0, "x") * 3).tanh()
    assert draw_dot(y, "svg", "TB").source == draw_graph(y, rankdir="TB").source


def test_show_formulas_writes_each_local_gradient_from_the_op_table():
    x = Value(0.5, "x")
    y = x.tanh()
    source = draw_graph(y, show_formulas=True).source
    assert "1 - tanh(x)^2 = 0.7864" in source  # 1 - tanh(0.5)^2


def test_formulas_use_parent_labels_and_plain_numbers_stay_plain():
    x1, w1 = Value(2.0, "x1"), Value(-3.0, "w1")
    source = draw_graph(x1 * w1 + 1, show_formulas=True).source
    assert "w1 = -3.0" in source and "x1 = 2.0" in source  # d(x1*w1)/dx1 = w1
    assert '">1</FONT>' in source  # d(a + b)/da = 1, not "1 = 1.0"


def test_a_formula_whose_rule_raises_is_marked_undefined():
    y = Value(0.0, "x").sqrt()  # 1 / (2 sqrt(0)) is infinite
    assert "undefined here" in draw_graph(y, show_formulas=True).source


def test_highlight_marks_the_node_its_op_and_the_chosen_edge():
    x, w = Value(2.0, "x"), Value(-3.0, "w")
    h = x * w
    y = h.tanh()
    source = draw_graph(y, highlight=[h], highlight_edges=[(h, y)]).source
    names = dot_ids(y)
    assert re.search(rf'{names[h]} \[label=<<TABLE [^>]*BGCOLOR="#fef08a"', source)
    assert re.search(rf'{names[h]}_op \[.*color="#dc2626"', source)
    assert re.search(rf'{names[h]} -> {names[y]}_op \[color="#dc2626"', source)
    assert source.count("#dc2626") == 3  # the record, its op, one edge


def test_unknown_grads_show_a_question_mark():
    x = Value(2.0, "x")
    y = x * 3
    y.backward()
    source = draw_graph(y, unknown_grads=[x]).source
    assert "grad ?" in source and "grad 3.0" not in source


def test_grad_colors_tint_positive_blue_and_negative_red():
    x, w = Value(2.0, "x"), Value(-3.0, "w")
    y = x * w
    y.backward()  # x.grad = -3 (deepest red), w.grad = 2
    source = draw_graph(y, grad_colors=True).source
    assert '<TD BGCOLOR="#f87171">grad -3.0' in source
    assert '<TD BGCOLOR="#ffffff">grad 2.0' not in source


def test_inputs_parameters_results_and_constants_are_styled_apart():
    x = Value(1.0, "x")
    with scope("L0"):
        w = Value(0.5, "w")
        h = x * w
    y = h + 2
    source = draw_graph(y).source
    names = dot_ids(y)
    fill = {n: re.search(rf'\t{names[n]} \[label=<<TABLE [^>]*BGCOLOR="(#\w+)"', source)
            for n in (x, w, h, y)}
    assert len({m.group(1) for m in fill.values()}) == 4  # input, parameter, result, root
    constant = y.parents[1]
    assert f"\t{names[constant]} [label=<2.0> " in source  # small and plain: just the number


def test_clusters_frame_each_layer_and_each_neuron():
    root = scoped_mlp([2, 1], [0.5, -1.0])
    source = draw_graph(root).source
    assert source.count("subgraph cluster_") == 2 + 3  # layers L0, L1; neurons
    labels = re.findall(r"label=<(L\d(?:\.N\d)?)>", source)
    assert sorted(labels) == ["L0", "L0.N0", "L0.N1", "L1", "L1.N0"]
    assert "subgraph cluster_" not in draw_graph(root, clusters=False).source


def boxes(source: str) -> dict[str, str]:
    """Box name -> its label text, for collapsed pictures."""
    return dict(re.findall(r"\t(g\d+) \[label=<(.*)> id=", source))


def test_collapse_neuron_draws_one_box_per_neuron_with_its_output():
    root = scoped_mlp([3, 2, 1], [0.5, -1.0])
    root.backward()
    source = draw_graph(root, collapse="neuron").source
    drawn = boxes(source)
    assert len(drawn) == 3 + 2 + 1
    outputs = {n.scope: n for n in topological_order(root)
               if n.op is not None and n.op.name in ("tanh", "add")}  # last of each neuron
    for label in drawn.values():
        key = re.search(r"<B>(L\d\.N\d)</B>", label).group(1)
        out = outputs[key]
        assert f"data {number(out.data)}<" in label and f"grad {number(out.grad)}<" in label
    assert "3 parameters" in source and "4 parameters" in source  # 2 + 1, 3 + 1 weights, bias


def test_collapse_layer_draws_one_box_per_layer_with_parameter_counts():
    root = scoped_mlp([3, 2, 1], [0.5, -1.0])
    drawn = boxes(draw_graph(root, collapse="layer").source)
    assert len(drawn) == 3
    counts = sorted(int(c) for c in re.findall(r"(\d+) parameters", " ".join(drawn.values())))
    assert counts == [3, 8, 9]  # 3*(2+1), 2*(3+1), 1*(2+1)
    assert any("3 outputs" in label for label in drawn.values())


def test_collapsed_boxes_are_joined_by_one_arrow_per_pair():
    root = scoped_mlp([3, 2, 1], [0.5, -1.0])
    edges = [e for e in EDGE.findall(draw_graph(root, collapse="neuron").source)
             if "invis" not in e[2]]
    assert len(edges) == 2 * 3 + 3 * 2 + 2 * 1  # x -> L0, L0 -> L1, L1 -> L2
    assert len(set((a, b) for a, b, _ in edges)) == len(edges)


def test_mlp_2_16_16_1_needs_collapse_and_fits_once_collapsed():
    root = scoped_mlp([16, 16, 1], [0.5, -1.0])
    with pytest.raises(ValueError, match=r"has \d+ nodes, more than max_nodes=500.*collapse="):
        draw_graph(root)
    assert len(boxes(draw_graph(root, collapse="neuron").source)) == 33


def test_size_guard_gives_the_count_and_collapsed_advice():
    root = scoped_mlp([3, 2, 1], [0.5, -1.0])
    with pytest.raises(ValueError, match=f"has {count_nodes(root)} nodes"):
        draw_graph(root, max_nodes=10)
    with pytest.raises(ValueError, match="still has 8 boxes.*Try collapse='layer'"):
        draw_graph(root, collapse="neuron", max_nodes=5)


def test_a_node_used_many_times_is_drawn_once_with_a_dashed_copy_beside_each_use():
    root = product(160)  # x feeds all 159 ops, 160 uses: once 160 long arrows
    x = topological_order(root)[0]
    source = draw_graph(root, show_formulas=True).source
    ids = dot_ids(root)
    assert not re.search(rf"^\s+{ids[x]} -> ", source, re.M)  # no arrow leaves x itself
    references = re.findall(r"^\s+(v\d+_ref\d) \[label=<x>.*dashed", source, re.M)
    assert len(references) == 160
    for ref in references:  # each copy feeds its op, and the edge keeps its id
        node, use = ref.split("_ref")
        assert re.search(rf"^\s+{ref} -> {node}_op \[.*id={node}_in{use}\]$", source, re.M)


def test_a_node_used_a_few_times_keeps_its_arrows():
    source = draw_graph(product(6)).source  # x used 6 times: at the limit, still arrows
    assert "_ref" not in source and source.count("v0 -> ") == 6


def test_a_layout_too_large_for_graphviz_is_refused_before_dot_with_advice():
    x = Value(1.0, "x")
    root = x * 1
    for k in range(2, 401):  # 400 terms, 1,200 values: a long chain of long edges
        root = root + x * k
    with pytest.raises(ValueError, match=r"about \d+ nodes .* more than 1200.*collapse="):
        draw_graph(root, max_nodes=5_000)
    assert "digraph" in draw_graph(root, max_nodes=5_000, max_layout=10**6).source


@pytest.mark.parametrize("kwargs, error", [
    ({"max_layout": 0}, ValueError), ({"max_layout": True}, ValueError),
    ({"rankdir": "XY"}, ValueError), ({"show": ("label", "colour")}, ValueError),
    ({"precision": -1}, ValueError), ({"precision": 2.5}, ValueError),
    ({"collapse": "block"}, ValueError), ({"max_nodes": 0}, ValueError)])
def test_bad_arguments_raise_clear_errors(kwargs, error):
    with pytest.raises(error, match=next(iter(kwargs))):
        draw_graph(Value(1.0), **kwargs)


def test_drawing_a_number_is_a_type_error_that_says_what_was_given():
    with pytest.raises(TypeError, match="needs a Value.*float 2.0"):
        draw_graph(2.0)


def test_higher_order_gradients_which_are_values_draw_as_numbers():
    x = Value(3.0, "x")
    y = x ** 3
    y.backward(create_graph=True)  # x.grad is a Value: 3x^2 = 27
    assert "grad 27.0" in draw_graph(y).source


@given(st.text())
def test_escaped_labels_hold_no_markup_or_control_characters(label):
    text = escape_html(label)
    stripped = re.sub(r"&(#\d+|amp|lt|gt|quot);|<BR/>", "", text)
    assert not set(stripped) & set('<>&"|{}\\[]\n\r')
    assert all(ord(c) >= 0x20 and c != "\x7f" for c in stripped)


def test_a_highlighted_link_marks_the_arrow_between_its_boxes():
    root = scoped_mlp([2, 1], [0.5, -1.0])
    hidden = [n for n in topological_order(root) if n.op is not None and n.op.name == "tanh"]
    consumer = next(n for n in topological_order(root) if hidden[1] in n.parents)
    source = draw_graph(root, collapse="neuron", highlight_edges=[(hidden[1], consumer)]).source
    marked = [e for e in EDGE.findall(source) if "#dc2626" in e[2]]
    assert len(marked) == 1 and marked[0][1] == "g0"  # into L1.N0, the root's box


def test_a_lone_unlabelled_root_is_still_a_full_record():
    assert "data 1.0" in draw_graph(Value(1.0)).source


def test_collapse_on_a_graph_without_scopes_draws_every_node():
    y = (Value(2.0, "x") * Value(3.0, "w")).tanh()
    assert draw_graph(y, collapse="layer").source == draw_graph(y).source


def test_show_picks_the_cells_each_record_has():
    y = Value(2.0, "x") * Value(3.0, "w")
    y.backward()
    source = draw_graph(y, show=("data",)).source
    assert "data 6.0" in source and "grad " not in source and "<B>x</B>" not in source


@pytest.mark.parametrize("option, bad", [("rankdir", "up"), ("collapse", "box")])
def test_a_bad_choice_names_the_choices_in_the_shared_wording(option, bad):
    with pytest.raises(ValueError, match=rf"^{option} must be one of .+, got '{bad}'\.$"):
        draw_graph(Value(1.0), **{option: bad})
