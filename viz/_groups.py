"""Grouping a graph's nodes by their module scope: per neuron ("L0.N3") or per layer ("L0").

Networks tag each node they make with a dotted scope. The renderer reads only these
strings, never a network class, so any scope-tagged graph can be clustered or collapsed.

>>> scope_key("L0.N3.extra", "neuron"), scope_key("L0.N3", "layer"), scope_key(None, "layer")
('L0.N3', 'L0', None)
"""

from __future__ import annotations

from dataclasses import dataclass, field

from chainrule.autograd import Value

DEPTH = {"layer": 1, "neuron": 2}


def scope_key(scope: str | None, level: str) -> str | None:
    """The part of a dotted scope that names a layer (first part) or a neuron (two parts).

    >>> scope_key("L2.N0", "neuron"), scope_key("L2", "neuron")
    ('L2.N0', 'L2')
    """
    if scope is None:
        return None
    return ".".join(scope.split(".")[: DEPTH[level]])


def cluster_path(scope: str | None) -> tuple[str, ...]:
    """The nested clusters a node is drawn in: its layer, then its neuron.

    >>> cluster_path("L0.N3"), cluster_path("L1"), cluster_path(None)
    (('L0', 'L0.N3'), ('L1',), ())
    """
    if scope is None:
        return ()
    layer, neuron = scope_key(scope, "layer"), scope_key(scope, "neuron")
    return (layer,) if layer == neuron else (layer, neuron)


def is_parameter(node: Value) -> bool:
    """A leaf made inside a module (it has a scope): a weight or a bias.

    >>> from chainrule.autograd import scope
    >>> with scope("L0"):
    ...     w = Value(0.5)
    >>> is_parameter(w), is_parameter(Value(1.0))
    (True, False)
    """
    return node.op is None and node.scope is not None


def is_constant(node: Value) -> bool:
    """A number typed into an expression, like the 2 in ``x * 2``: unlabelled, no scope.

    >>> x = Value(1.0, "x")
    >>> [is_constant(p) for p in (x * 2).parents]
    [False, True]
    """
    return node.op is None and node.scope is None and node.label == ""


@dataclass
class Group:
    """The nodes of one neuron (or layer), drawn as a single box when collapsed.

    >>> from chainrule.autograd import scope, topological_order
    >>> x = Value(3.0, "x")
    >>> with scope("L0"):
    ...     w = Value(2.0); y = (w * x).tanh()
    >>> g = find_groups(topological_order(y), "layer", y)["L0"]
    >>> g.n_parameters, [o.op.name for o in g.outputs]
    (1, ['tanh'])
    """

    key: str  # "L0.N3"
    name: str  # the DOT node name: "g0", "g1", ... in walk order
    members: list[Value] = field(default_factory=list)
    outputs: list[Value] = field(default_factory=list)  # used outside the group, or root
    n_parameters: int = 0


def find_groups(order: list[Value], level: str, root: Value) -> dict[str, Group]:
    """Group the nodes of a topological order by scope; note each group's outputs.

    An output is a member that a node outside the group uses (or the root itself).

    >>> from chainrule.autograd import scope, topological_order
    >>> x = Value(1.0, "x")
    >>> with scope("L0"):
    ...     h = x * 2                # the constant 2 is no module's: not a member
    >>> with scope("L1"):
    ...     y = h + 1
    >>> groups = find_groups(topological_order(y), "layer", y)
    >>> [(key, len(g.members), len(g.outputs)) for key, g in groups.items()]
    [('L0', 1, 1), ('L1', 1, 1)]
    """
    groups: dict[str, Group] = {}
    key_of: dict[Value, str | None] = {}
    outputs: dict[Value, None] = {}  # insertion-ordered set
    for node in order:
        key = key_of[node] = scope_key(node.scope, level)
        if key is not None:
            group = groups.setdefault(key, Group(key, f"g{len(groups)}"))
            group.members.append(node)
            group.n_parameters += is_parameter(node)
        for parent in node.parents:
            if key_of[parent] is not None and key_of[parent] != key:
                outputs[parent] = None
    if key_of[root] is not None:
        outputs[root] = None
    for node in order:  # outputs in walk order, so the last is the one drawn last
        if node in outputs:
            groups[key_of[node]].outputs.append(node)
    return groups
