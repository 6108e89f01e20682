"""What a Graphviz layout will cost, known before ``dot`` runs, and how to keep it cheap.

``dot`` places every node on a rank and turns an edge spanning k ranks into a chain of k - 1
hidden nodes; its slow phases (crossing minimisation, then x-coordinates by network
simplex) grow with all of them. A value used in many places makes long edges: in
``x*x*...*x`` the one ``x`` feeds every ``*`` along a chain, so 160 factors gave about
25,000 hidden nodes and 20 s of layout. So a node used more than ``MAX_USES`` times is
drawn once, with a small dashed reference beside each use (short edges), and the size
that remains (drawn nodes plus hidden nodes) is checked against ``MAX_LAYOUT`` before any
layout. Both numbers were measured with ``benchmarks/stepper.py`` (see there).

>>> from chainrule.autograd import Value, topological_order
>>> x = Value(1.0, "x")
>>> y = x
>>> for _ in range(12):
...     y = y * x
>>> order = topological_order(y)
>>> [n.label for n in referenced(order)], layout_size(order, referenced(order)) < 60
(['x'], True)
"""

from __future__ import annotations

from collections.abc import Collection

from chainrule.autograd import Value

MAX_USES = 6  # above this many uses a node is drawn by reference at each use
MAX_LAYOUT = 1_200  # drawn plus hidden nodes; measured in benchmarks/stepper.py (see there)


def uses(order: list[Value]) -> dict[Value, int]:
    """How many op inputs each node is (``x * x`` uses x twice).

    >>> from chainrule.autograd import Value, topological_order
    >>> x = Value(2.0, "x")
    >>> uses(topological_order(x * x + x))[x]
    3
    """
    counts = dict.fromkeys(order, 0)
    for node in order:
        for parent in node.parents:
            counts[parent] += 1
    return counts


def referenced(order: list[Value], hidden: Collection[Value] = ()) -> set[Value]:
    """The nodes drawn by reference: used more than ``MAX_USES`` times (and drawn at all).

    >>> from chainrule.autograd import Value, topological_order
    >>> x = Value(2.0, "x")
    >>> referenced(topological_order(sum([x * k for k in range(1, 9)], Value(0.0))))
    {Value(data=2.0, grad=0.0, label='x')}
    """
    return {node for node, n in uses(order).items() if n > MAX_USES and node not in hidden}


def layout_size(order: list[Value], by_reference: Collection[Value],
                hidden: Collection[Value] = ()) -> int:
    """Drawn nodes plus an estimate of ``dot``'s hidden nodes on long edges.

    ``dot`` ranks nodes to make the edges short overall; the estimate takes the better of
    two easy rankings, each result as early as its parents allow or as late as its uses
    allow (an op node between a result and its parents), with every leaf and reference just
    before its first use. ``hidden`` nodes (inside collapsed boxes) count once, no edges.

    >>> from chainrule.autograd import Value, topological_order
    >>> x = Value(1.0, "x"); y = (x.exp().exp() + x)
    >>> layout_size(topological_order(y), set())  # 4 values, 3 ops; x -> + spans 5 ranks
    11
    """
    drawn = [node for node in order if node not in hidden and node.op is not None]
    free = {*by_reference, *(node for node in order if node.op is None), *hidden}
    size = len(order) + len(drawn)
    size += sum(1 for node in drawn for parent in node.parents if parent in by_reference)
    leaves = {node for node in order if node.op is None and node not in by_reference}
    return size + min(_hidden_nodes(drawn, free, leaves, _early_ranks(drawn, free)),
                      _hidden_nodes(drawn, free, leaves, _late_ranks(drawn, free)))


def _early_ranks(drawn: list[Value], free: set[Value]) -> dict[Value, int]:
    rank: dict[Value, int] = {}
    for node in drawn:
        rank[node] = 2 + max((rank[p] for p in node.parents if p not in free), default=0)
    return rank


def _late_ranks(drawn: list[Value], free: set[Value]) -> dict[Value, int]:
    rank: dict[Value, int] = {}
    for node in reversed(drawn):
        mine = rank.setdefault(node, 0)
        for parent in node.parents:
            if parent not in free:
                rank[parent] = min(rank.get(parent, mine), mine - 2)
    return rank


def _hidden_nodes(drawn: list[Value], free: set[Value], leaves: set[Value],
                  rank: dict[Value, int]) -> int:
    first_use: dict[Value, int] = {}
    for node in drawn:
        for parent in node.parents:
            first_use[parent] = min(first_use.get(parent, rank[node]), rank[node])
    total = 0
    for node in drawn:
        for parent in node.parents:
            if parent in leaves:
                total += rank[node] - first_use[parent]  # it sits before its first use
            elif parent not in free:  # a reference or a box: a short edge
                total += max(rank[node] - 2 - rank[parent], 0)
    return total


def check_layout(size: int, what: str, advice: str, limit: int = MAX_LAYOUT) -> None:
    """Refuse, before ``dot`` runs, a layout above ``limit``, saying what to do instead.

    >>> check_layout(100, "draw_graph", "draw less")
    >>> try:
    ...     check_layout(7000, "draw_graph", "draw less")
    ... except ValueError as error:
    ...     print(str(error)[:64])
    draw_graph: laying this graph out means placing about 7000 nodes
    """
    if size > limit:
        raise ValueError(
            f"{what}: laying this graph out means placing about {size} nodes (drawn ones "
            f"and Graphviz's hidden ones on long edges), more than {limit}, which takes "
            f"Graphviz too long. {advice}")
