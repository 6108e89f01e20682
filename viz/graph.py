"""Draw a computation graph with Graphviz: one call for a Value, or for a whole network.

Each Value is a record ``label | data | grad``; each op is a small node of its own,
showing the op's symbol from the op table; edges run from parents to the op to the
result. Input leaves are blue, parameters amber, the root green, constants small and plain.
Networks tag their nodes with scopes ("L0.N3"), so a network's neurons and layers are
drawn as clusters, or collapsed into one box each.

>>> from chainrule.autograd import Value
>>> x, w = Value(2.0, "x"), Value(-3.0, "w")
>>> y = (x * w).tanh()
>>> y.backward()
>>> dot = draw_graph(y)
>>> print(dot.source.count("data "), dot.source.count("grad "))
4 4
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import replace

import graphviz
from chainrule.autograd import Value, topological_order
from chainrule.autograd.numbers import choice
from chainrule.viz._clusters import Clusters, constants_inside, draw_boxes
from chainrule.viz._draw import (
    BORDER,
    HIGHLIGHT,
    Options,
    draw_reference,
    draw_value,
    edge_formula,
    local_gradients,
    shown_grad,
)
from chainrule.viz._groups import Group, cluster_path, find_groups
from chainrule.viz._layout import MAX_LAYOUT, check_layout, layout_size, referenced

SHOW_FIELDS = ("label", "data", "grad")
RANKDIRS = ("LR", "TB", "RL", "BT")
COLLAPSE = (None, "neuron", "layer")


def dot_ids(root: Value) -> dict[Value, str]:
    """The DOT id (and SVG ``id``) of every Value: ``v`` + its position in the walk.

    The op node that made ``v3`` is ``v3_op``; the edge from its i-th parent is
    ``v3_in{i}``, the edge from the op to it ``v3_out``. Ids never use ``id()``, so the
    same graph gets the same ids on every run. (The names people read, n1, n2, ..., are
    ``chainrule.autograd.steps.node_names``; ``draw_graph(names=...)`` draws them.)

    >>> from chainrule.autograd import Value
    >>> a = Value(1.0, "a")
    >>> [(n.label or n.data, name) for n, name in dot_ids(a + 2).items()]
    [('a', 'v0'), (2.0, 'v1'), (3.0, 'v2')]
    """
    return _ids(topological_order(root))


def _ids(order: list[Value]) -> dict[Value, str]:
    return {node: f"v{i}" for i, node in enumerate(order)}


def draw_graph(root: Value, *, rankdir: str = "LR", show: Iterable[str] = SHOW_FIELDS,
               precision: int = 4, collapse: str | None = None, clusters: bool = True,
               highlight: Iterable[Value] = (),
               highlight_edges: Iterable[tuple[Value, Value]] = (),
               unknown_grads: Iterable[Value] = (), show_formulas: bool = False,
               grad_colors: bool = False, max_nodes: int = 500, max_layout: int = MAX_LAYOUT,
               names: Mapping[Value, str] | None = None,
               grads: Mapping[Value, float] | None = None) -> graphviz.Digraph:
    """The graph that computed ``root``, as a ``graphviz.Digraph`` (shows inline in Jupyter).

    ``collapse="neuron"`` (or ``"layer"``) draws each scope as one box with its output's
    data and grad; otherwise ``clusters`` frames each neuron and layer. ``highlight``,
    ``highlight_edges`` ((parent, node) pairs) and ``unknown_grads`` (drawn "?") mark a
    moment of backprop; ``show_formulas`` writes each edge's local gradient, from the op
    table; ``grad_colors`` tints grads blue (+) or red (-), deeper when larger.
    ``names`` (e.g. ``chainrule.autograd.steps.node_names(root)``) gives the text drawn as each
    node's label and in the edge formulas, so a picture matches step text about n1, n2.
    ``grads`` (node -> number; 0 for a node not in it) is drawn instead of each ``.grad``,
    e.g. the gradients of a step trace, so no ``backward()`` need have run.
    Graphs above ``max_nodes`` drawn elements raise a ValueError before any drawing, and so
    do graphs whose Graphviz layout would place more than ``max_layout`` nodes (drawn and
    hidden ones: ``chainrule.viz._layout``), so showing or rendering the result stays quick.
    A node used more than 6 times is drawn once, plus a dashed copy of its name at each use.

    >>> from chainrule.autograd import Value
    >>> x = Value(0.5, "x")
    >>> y = x.tanh()
    >>> y.backward()
    >>> dot = draw_graph(y, show_formulas=True)
    >>> "1 - tanh(x)^2 = 0.7864" in dot.source, dot.source.count(" -> ")
    (True, 2)
    >>> "<B>n1</B>" in draw_graph(y, names={y: "n1"}).source   # the stepper's names
    True
    >>> "grad 0.25" in draw_graph(y, grads={x: 0.25}).source
    True
    """
    show = tuple(show)
    _check_arguments(root, rankdir, show, precision, collapse, max_nodes)
    if names is not None and not isinstance(names, Mapping):
        raise TypeError(f"names must map Values to the text drawn for them (a dict), got "
                        f"{type(names).__name__}; e.g. chainrule.autograd.steps.node_names(root).")
    if names is not None:
        for node, text in names.items():
            if not isinstance(text, str):
                raise TypeError(f"names must map each Value to a str, got {text!r} (a "
                                f"{type(text).__name__}) for {node!r}; e.g. names={{x: 'x'}}.")
    if grads is not None and not isinstance(grads, Mapping):
        raise TypeError(f"grads must map Values to the gradient drawn for them (a dict), "
                        f"got {type(grads).__name__}.")
    order = topological_order(root)
    groups = find_groups(order, collapse, root) if collapse else {}
    grouped = {node: group for group in groups.values() for node in group.members}
    grouped |= constants_inside(order, grouped)
    _check_size(len(order) - len(grouped) + len(groups), collapse, max_nodes)
    by_reference = referenced(order, grouped)
    _check_layout_size(layout_size(order, by_reference, grouped), collapse, max_layout)
    opts = Options(root, show, precision, frozenset(highlight), frozenset(highlight_edges),
                   frozenset(unknown_grads), show_formulas, 0.0,
                   None if names is None else dict(names),
                   None if grads is None else dict(grads), frozenset(by_reference))
    if grad_colors:
        opts = replace(opts, grad_scale=_largest_grad(order, grouped, groups, opts))
    ids = _ids(order)
    dot = graphviz.Digraph(
        name="chainrule", graph_attr=_graph_style(rankdir, boxes=bool(groups)),
        node_attr={"fontname": "Helvetica", "fontsize": "11"},
        edge_attr={"color": BORDER, "arrowsize": "0.6", "fontname": "Helvetica"})
    places = Clusters(dot, clusters)
    for node in order:
        if node not in grouped:
            draw_value(places.get(cluster_path(node.scope)), node, ids[node], opts)
    draw_boxes(places, groups, collapse, rankdir, opts)
    places.close()
    box_edges: dict[tuple[str, str], bool] = {}  # one arrow per pair of boxes: marked?
    for node in order:
        if node.op is not None:
            _draw_edges_into(dot, node, ids, grouped, opts, box_edges)
    for (source, target), marked in box_edges.items():
        style = {"color": HIGHLIGHT, "penwidth": "2.5"} if marked else {
            "color": "#9ca3afa0", "penwidth": "0.6", "arrowsize": "0.4"}
        dot.edge(source, target, id=f"{source}_{target}", **style)
    return dot


def draw_dot(root: Value, format: str = "svg", rankdir: str = "LR",
             **options: object) -> graphviz.Digraph:
    """micrograd's ``draw_dot(root, format='svg', rankdir='LR')``: ``draw_graph`` set to save
    as ``format``, so ``dot.render("gout")`` writes ``gout.svg`` (and the DOT text in
    ``gout``) as micrograd's trace_graph did. Other keywords go to ``draw_graph``.

    >>> from chainrule.autograd import Value
    >>> y = (Value(1.0) * 2 + 1).relu(); y.backward()
    >>> dot = draw_dot(y, "png", "TB")
    >>> dot.format, "rankdir=TB" in dot.source, draw_dot(y).format
    ('png', True, 'svg')
    """
    if format not in graphviz.FORMATS:
        raise ValueError(f"draw_dot: unknown format {format!r}; use one Graphviz writes, "
                         "such as 'svg', 'png' or 'pdf'.")
    dot = draw_graph(root, rankdir=rankdir, **options)
    dot.format = format
    return dot


def _draw_edges_into(dot: graphviz.Digraph, node: Value, ids: dict[Value, str],
                     grouped: dict[Value, Group], opts: Options,
                     box_edges: dict[tuple[str, str], bool]) -> None:
    group, name = grouped.get(node), ids[node]
    if group is None:
        dot.edge(f"{name}_op", name, id=f"{name}_out")
    local = local_gradients(node) if opts.show_formulas and group is None else None
    for i, parent in enumerate(node.parents):
        source_group = grouped.get(parent)
        if group is not None and source_group is group:
            continue  # inside a collapsed box
        source = source_group.name if source_group else ids[parent]
        if parent in opts.by_reference and group is None:
            source = f"{name}_ref{i}"
            draw_reference(dot, source, parent, opts)
        marked = (parent, node) in opts.highlight_edges
        if group is None:
            label = ({"label": edge_formula(node, i, local[i], opts.precision, opts.names)}
                     if local else {})
            style = {"color": HIGHLIGHT, "penwidth": "2.5"} if marked else {}
            dot.edge(source, f"{name}_op", id=f"{name}_in{i}", **label, **style)
        else:
            pair = (source, group.name)
            box_edges[pair] = box_edges.get(pair, False) or marked


def _graph_style(rankdir: str, boxes: bool) -> dict[str, str]:
    style = {"rankdir": rankdir, "bgcolor": "white", "nodesep": "0.2", "ranksep": "0.35",
             "fontname": "Helvetica"}
    if boxes:
        # Wide gaps let the arrows between layers fan out; without the final cross-cluster
        # pass (remincross) Graphviz keeps each layer's neurons in N0, N1, ... order.
        style.update(ranksep="1.2", remincross="false")
    return style


def _largest_grad(order: list[Value], grouped: dict[Value, Group],
                  groups: dict[str, Group], opts: Options) -> float:
    """The largest finite |grad| among the Values the picture shows (boxes show outputs)."""
    shown = [node for node in order if node not in grouped]
    shown += [group.outputs[-1] for group in groups.values() if len(group.outputs) == 1]
    sizes = (abs(shown_grad(node, opts)) for node in shown)
    return max((size for size in sizes if size < float("inf")), default=0.0)


def _check_arguments(root: Value, rankdir: str, show: tuple[str, ...], precision: int,
                     collapse: str | None, max_nodes: int) -> None:
    if not isinstance(root, Value):
        raise TypeError(f"draw_graph needs a Value (the root of a graph), got "
                        f"{type(root).__name__} {root!r}; for a network, draw its output.")
    choice("rankdir", rankdir, RANKDIRS)
    unknown = [field for field in show if field not in SHOW_FIELDS]
    if unknown:
        raise ValueError(f"show may contain only {SHOW_FIELDS}, got {unknown!r}.")
    if isinstance(precision, bool) or not isinstance(precision, int) or not 0 <= precision <= 17:
        raise ValueError(f"precision must be an int from 0 to 17 (digits after the point), "
                         f"got {precision!r}.")
    choice("collapse", collapse, COLLAPSE)
    if isinstance(max_nodes, bool) or not isinstance(max_nodes, int) or max_nodes < 1:
        raise ValueError(f"max_nodes must be a positive int, got {max_nodes!r}.")


def _check_layout_size(size: int, collapse: str | None, max_layout: int) -> None:
    if isinstance(max_layout, bool) or not isinstance(max_layout, int) or max_layout < 1:
        raise ValueError(f"max_layout must be a positive int, got {max_layout!r}.")
    advice = ("Pass collapse='neuron' (one box per neuron) or collapse='layer', d"
              if collapse is None else "D")
    check_layout(size, "draw_graph", f"{advice}raw a smaller graph, or raise max_layout "
                 f"(max_layout={max_layout}; a '.dot' file needs no layout).", max_layout)


def _check_size(n_drawn: int, collapse: str | None, max_nodes: int) -> None:
    if n_drawn <= max_nodes:
        return
    if collapse is None:
        advice = "pass collapse='neuron' (one box per neuron) or collapse='layer'"
        what = f"This graph has {n_drawn} nodes"
    else:
        advice = "try collapse='layer'" if collapse == "neuron" else "draw a smaller graph"
        what = f"Collapsed by {collapse}, this graph still has {n_drawn} boxes and nodes"
    raise ValueError(f"{what}, more than max_nodes={max_nodes}: too many for a readable "
                     f"picture. {advice[0].upper()}{advice[1:]}, or raise max_nodes.")
