"""Walking a graph: topological order, leaves, counts. Iterative everywhere, no recursion.

>>> from autograd import Value
>>> a, b = Value(2.0, "a"), Value(-3.0, "b")
>>> c = a * b + a
>>> [node.label or node.op.name for node in topological_order(c)]
['a', 'b', 'mul', 'add']
>>> [leaf.label for leaf in leaves(c)]
['a', 'b']
>>> count_nodes(c)
4
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from autograd.value import Value


def topological_order(root: Value) -> list[Value]:
    """Every node the root depends on, each after all of its parents, the root last.

    Depth-first, with an explicit stack of (node, iterator over its parents) instead of
    recursion, so a chain of a million nodes works. The order depends only on the graph
    (parents are tuples), never on ``id()``: the same graph gives the same order.

    >>> from autograd import Value
    >>> x = Value(1.0, "x")
    >>> y = (x * x).tanh()
    >>> [n.label or n.op.name for n in topological_order(y)]
    ['x', 'mul', 'tanh']
    """
    order: list[Value] = []
    visited = {root}
    # Two parallel stacks (nodes, and how many of each node's parents were tried) rather
    # than a stack of (node, iterator) pairs: ints and lists are all this loop allocates,
    # so the cyclic garbage collector has nothing new to scan. With pairs, GC passes over
    # the growing stack made the 200,000-node walk 15x slower (7.0 vs 0.47 µs/node).
    nodes, tried = [root], [0]
    while nodes:
        node = nodes[-1]
        parents = node.parents
        position = tried[-1]
        while position < len(parents):
            parent = parents[position]
            position += 1
            if parent not in visited:
                visited.add(parent)
                tried[-1] = position
                nodes.append(parent)
                tried.append(0)
                break
        else:
            nodes.pop()
            tried.pop()
            order.append(node)
    return order


def leaves(root: Value) -> list[Value]:
    """The leaves (Values no op produced) the root depends on, in topological order.

    >>> from autograd import Value
    >>> w, x = Value(0.5, "w"), Value(2.0, "x")
    >>> [leaf.label for leaf in leaves((w * x).relu())]
    ['w', 'x']
    """
    return [node for node in topological_order(root) if node.op is None]


def count_nodes(root: Value) -> int:
    """How many distinct Values the root depends on, itself included.

    >>> from autograd import Value
    >>> a = Value(3.0)
    >>> count_nodes(a * a)   # a used twice is still one node
    2
    """
    return len(topological_order(root))
