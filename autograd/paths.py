"""Why is this gradient X? Every path from a leaf to the root, and its product.

The chain rule summed over paths: d root / d leaf is the sum, over every path from the
leaf up to the root, of the local gradients multiplied along it.

>>> from chainrule.autograd import Value
>>> x = Value(3.0, "x")
>>> why(x * x + x, x).gradient     # 2x + 1 = 7
7.0

A node whose upstream gradient is 0 is skipped by backward(): it passes nothing back. Its
local gradients are still listed where the op's rule has a value there (relu'(-1) = 0);
where it has none (sqrt'(0) is infinite) the factor is ``None``, printed "skipped", and the
path adds 0, as it does in backward().
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from chainrule.autograd.backprop import local_gradients
from chainrule.autograd.graph import topological_order
from chainrule.autograd.html import block, paragraph, table
from chainrule.autograd.notation import node_names, number
from chainrule.autograd.steps import backprop_steps, traced_gradients
from chainrule.autograd.value import Value


@dataclass(frozen=True, slots=True)
class Why:
    """Every path from a leaf to the root, each with its product of local gradients.

    Their sum is the leaf's gradient (the chain rule, summed over paths). ``paths`` is
    empty when there are more than ``limit`` of them; ``n_paths`` still counts them. A
    local gradient is None where backward() skips the node and its rule has no value
    (see ``path_product``).

    >>> from chainrule.autograd import Value
    >>> x = Value(2.0, "x")
    >>> answer = why(x * x, x)
    >>> answer.n_paths, answer.paths, answer.gradient     # x*x: two edges, 2 + 2
    (2, ((('x', 'n1'), (2.0,)), (('x', 'n1'), (2.0,))), 4.0)
    """

    leaf_name: str
    root_name: str
    n_paths: int
    paths: tuple[tuple[tuple[str, ...], tuple[float | None, ...]], ...]  # (names, locals)
    gradient: float
    limit: int

    def __str__(self) -> str:
        head, sentence, *rest = self._lines()
        lines = [head, f"  {sentence}"]
        if self.n_paths > self.limit:
            return "\n".join(lines + [f"  {rest[0]}"])
        for path, factors, product, note in self._rows():
            lines.append(f"  {path}: {factors} = {product}" + (f" ({note})" if note else ""))
        lines.append(f"  {rest[0]}")
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        """The question, one table row per path (factors, product, note), and the sum.

        >>> from chainrule.autograd import Value
        >>> x = Value(3.0, "x")
        >>> "<td>x -&gt; n1 -&gt; n2</td><td>3.0 × 1.0</td><td>3.0</td>" in why(
        ...     x * x + x, x)._repr_html_()
        True
        """
        head, sentence, last = self._lines()
        parts = [paragraph(head), paragraph(sentence)]
        if self.n_paths <= self.limit:
            parts.append(table(("path", "local gradients", "product", "note"), self._rows()))
        return block(*parts, paragraph(last))

    def _lines(self) -> tuple[str, str, str]:
        """The question, what answers it, and the closing line (the sum, or too many)."""
        head = f"why is d{self.root_name}/d{self.leaf_name} = {number(self.gradient)}?"
        sentence = (f"It is the sum, over the {self.n_paths} path(s) from {self.leaf_name} "
                    f"to {self.root_name}, of the local gradients multiplied along each.")
        if self.n_paths > self.limit:
            return head, sentence, (f"That is more than {self.limit}, too many to list (raise "
                                    "the limit to see them); their sum is the gradient above.")
        return head, sentence, f"sum = {number(self.gradient)} = {self.leaf_name}.grad"

    def _rows(self) -> list[tuple[str, str, str, str]]:
        """Per path: its nodes, its factors, their product, and why it adds 0 if it does."""
        rows = []
        for names, locals_ in self.paths:
            factors = " × ".join("skipped" if x is None else number(x) for x in locals_)
            note = ""
            if None in locals_:
                # the factor at position i is the local gradient of names[i + 1]
                node = names[locals_.index(None) + 1]
                note = (f"skipped: {node}'s upstream gradient is 0, so backward() never "
                        "evaluates its rule")
            rows.append((" -> ".join(names), factors or "1 (the root itself)",
                         number(path_product(locals_)), note))
        return rows


def path_product(locals_: Sequence[float | None]) -> float:
    """A path's product of local gradients; 0 if it passes a node backward() skips.

    >>> path_product((3.0, 1.0)), path_product(()), path_product((None, 0.0))
    (3.0, 1.0, 0.0)
    """
    if None in locals_:
        return 0.0  # backward() never evaluates that rule: the path adds nothing
    product = 1.0
    for local in locals_:
        product *= local
    return product


def why(root: Value, leaf: Value, *, limit: int = 20) -> Why:
    """Why is this gradient X? The paths from ``leaf`` to ``root`` and their products.

    Paths are counted by dynamic programming (no listing), so a graph with 2^100 paths
    is answered at once; they are listed only when there are at most ``limit``.

    >>> from chainrule.autograd import Value
    >>> x = Value(3.0, "x")
    >>> print(why(x * x + x, x))
    why is dn2/dx = 7.0?
      It is the sum, over the 3 path(s) from x to n2, of the local gradients multiplied along each.
      x -> n1 -> n2: 3.0 × 1.0 = 3.0
      x -> n1 -> n2: 3.0 × 1.0 = 3.0
      x -> n2: 1.0 = 1.0
      sum = 7.0 = x.grad
    """
    names = node_names(root)
    order = topological_order(root)
    counts: dict[Value, int] = {}
    for node in order:  # paths from leaf to node = sum over the node's parents (repeats too)
        counts[node] = 1 if node is leaf else sum(counts[p] for p in node.parents)
    n_paths = counts.get(leaf, 0) and counts[root]
    upstream = traced_gradients(root, backprop_steps(root))  # backward()'s
    gradient = upstream.get(leaf, 0.0)
    paths = _list_paths(root, leaf, counts, names, upstream) if 0 < n_paths <= limit else ()
    leaf_name = names.get(leaf, leaf.label or number(leaf.data))
    return Why(leaf_name, names[root], n_paths, paths, gradient, limit)


def _list_paths(root: Value, leaf: Value, counts: dict[Value, int],
                names: dict[Value, str], upstream: dict[Value, float]) -> tuple:
    """Depth-first from the root, only into nodes that reach the leaf (an explicit stack)."""
    found = []
    stack: list[tuple[Value, tuple[Value, ...], tuple[float | None, ...]]] = [
        (root, (root,), ())]
    while stack:
        node, path, locals_ = stack.pop()
        if node is leaf:
            found.append((tuple(names[n] for n in reversed(path)), tuple(reversed(locals_))))
            continue
        grads = _local_grads(node, skipped=upstream.get(node, 0.0) == 0.0)
        for parent, local in reversed(list(zip(node.parents, grads, strict=True))):
            if counts[parent]:
                stack.append((parent, path + (parent,), locals_ + (local,)))
    return tuple(found)


def _local_grads(node: Value, skipped: bool) -> tuple[float | None, ...]:
    """The node's local gradients; None for each where backward() skips the node and the
    rule has no finite value (sqrt'(0)). Elsewhere a rule that raises, raises as in backward().
    """
    if not skipped:
        return local_gradients(node)
    try:
        grads = local_gradients(node)
    except (ArithmeticError, ValueError):
        return (None,) * len(node.parents)
    return tuple(g if math.isfinite(g) else None for g in grads)
