"""A network's neurons and layers in the picture: nested clusters, or one box each.

``draw_graph`` groups nodes by their scope ("L0.N3"): with ``clusters`` each layer and
neuron is a ``subgraph cluster_N`` block; with ``collapse`` each neuron (or layer) is one
box, in N0, N1, ... order, holding the constants used only inside it.

>>> sorted(["N10", "N9", "N1"], key=_natural)
['N1', 'N9', 'N10']
"""

from __future__ import annotations

import re
from itertools import pairwise

import graphviz
from chainrule.autograd import Value
from chainrule.viz._draw import Options, box_label
from chainrule.viz._groups import Group, cluster_path, is_constant
from chainrule.viz._labels import escape_html


class Clusters:
    """Nested ``subgraph cluster_N`` blocks, one per layer and per neuron, made on demand."""

    def __init__(self, dot: graphviz.Digraph, enabled: bool) -> None:
        self.dot, self.enabled = dot, enabled
        self.graphs: dict[tuple[str, ...], graphviz.Digraph] = {}

    def get(self, path: tuple[str, ...]) -> graphviz.Digraph:
        if not path or not self.enabled:
            return self.dot
        if path not in self.graphs:
            self.get(path[:-1])  # the layer's cluster exists before its neurons'
            neuron = len(path) > 1
            self.graphs[path] = graphviz.Digraph(name=f"cluster_{len(self.graphs)}", graph_attr={
                "label": f"<{escape_html(path[-1])}>", "style": "rounded,filled",
                "fillcolor": "#f9fafb" if neuron else "#ffffff",
                "color": "#d1d5db" if neuron else "#9ca3af", "fontsize": "10",
                "fontcolor": "#6b7280", "labeljust": "l"})
        return self.graphs[path]

    def close(self) -> None:
        # Deepest first: a neuron's block is complete before it goes into its layer's.
        for path, graph in sorted(self.graphs.items(), key=lambda item: -len(item[0])):
            (self.graphs[path[:-1]] if len(path) > 1 else self.dot).subgraph(graph)


def constants_inside(order: list[Value], grouped: dict[Value, Group]) -> dict[Value, Group]:
    """Constants used only inside one collapsed box (the 1 in ``1 / (1 + exp(-z))``) go in it.

    >>> from chainrule.autograd import scope, topological_order
    >>> from chainrule.viz._groups import find_groups
    >>> with scope("L0"):
    ...     y = 1 / (1 + Value(0.5, "z"))
    >>> order = topological_order(y)
    >>> groups = find_groups(order, "layer", y)
    >>> inside = constants_inside(order, {n: g for g in groups.values() for n in g.members})
    >>> sorted(node.data for node in inside)
    [1.0, 1.0]
    """
    homes: dict[Value, set[str | None]] = {}
    for node in order:
        for parent in node.parents:
            if is_constant(parent):
                group = grouped.get(node)
                homes.setdefault(parent, set()).add(group and group.key)
    by_key = {group.key: group for group in grouped.values()}
    return {constant: by_key[keys.pop()] for constant, keys in homes.items()
            if len(keys) == 1 and None not in keys}


def draw_boxes(places: Clusters, groups: dict[str, Group], collapse: str | None,
                rankdir: str, opts: Options) -> None:
    """One box per group (collapse), each layer's neurons kept in one column, in order."""
    columns: dict[tuple[str, ...], list[str]] = {}
    keys = {group.name: group.key for group in groups.values()}
    for group in groups.values():
        path = cluster_path(group.key)[:-1] if collapse == "neuron" else ()
        places.get(path).node(group.name, label=box_label(group, opts), id=group.name,
                              shape="plain")
        columns.setdefault(path, []).append(group.name)
    for path, names in columns.items():
        if len(names) > 1 and path:
            # Keep a layer's neurons in one column in N0, N1, ... order, so the arrows
            # between two layers fan out evenly. Within a rank, Graphviz puts an edge's
            # tail before its head: left of it for "TB", below it for "LR".
            names = sorted(names, key=lambda name: _natural(keys[name]),
                           reverse=rankdir in ("LR", "RL"))
            with places.get(path).subgraph() as column:
                column.attr(rank="same")
                for first, second in pairwise(names):
                    column.edge(first, second, style="invis")


def _natural(key: str) -> tuple:
    """Sort "L0.N10" after "L0.N9": digits compare as numbers.

    >>> sorted(["N10", "N9", "N1"], key=_natural)
    ['N1', 'N9', 'N10']
    """
    return tuple(int(part) if part.isdigit() else part for part in re.split(r"(\d+)", key))
