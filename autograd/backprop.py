"""The backward pass: ONE chain-rule walk, root to leaves, that every tool uses.

``chain_rule(nodes, flow)`` visits nodes root first. For each node the ``flow`` gives the
upstream gradient (or None: a leaf, or nothing to pass back, e.g. an upstream gradient
of 0 past a dead relu), the op table's local gradients, and takes each contribution,
local × upstream, for a parent. Flows differ only in where gradients live:

- ``GradFlow``: on the nodes' ``.grad`` (``backward()``, ``propagate_node``);
- ``DictFlow``: in a dict, on floats or, with ``create_graph``, on Values
  (``propagate``, ``backward(create_graph=True)``, ``functional.gradients``);
- the step tracer (``steps.backprop_steps``, hence ``why``) and the compiled tape
  (``compiled.Compiled.backward``, one numpy array per slot) subclass ``Flow`` too.

``backward()`` itself runs one hand-tuned copy of ``GradFlow``'s walk on floats
(``backward.py``); a Hypothesis test pins it to ``chain_rule`` on random graphs.

>>> from chainrule.autograd import Value
>>> a, b = Value(2.0), Value(-3.0)
>>> c = a * b; c.grad = 1.0
>>> chain_rule([c], GradFlow())
>>> a.grad, b.grad     # dc/da = b, dc/db = a
(-3.0, 2.0)
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from chainrule.autograd.op_functions import undefined_gradient

if TYPE_CHECKING:
    from chainrule.autograd.value import Value


class Flow:
    """Where one backward pass keeps its gradients; ``chain_rule`` does the walking.

    Subclasses say how to read a node's upstream gradient, its parents and local
    gradients, and where a contribution goes. The defaults read a Value graph.

    >>> from chainrule.autograd import Value
    >>> x = Value(3.0)
    >>> Flow().local_grads(x * x, 1.0)    # d(x*x)/dx, once per parent
    (3.0, 3.0)
    """

    def upstream(self, node):
        """d root / d node, or None when the node has nothing to pass back."""
        raise NotImplementedError

    def parents(self, node) -> Sequence:
        return node.parents

    def local_grads(self, node, upstream) -> tuple:
        return local_gradients(node)

    def wants(self, parent) -> bool:
        """Whether this pass needs the parent's gradient at all (default: yes)."""
        return True

    def times(self, local, upstream, parent):
        return local * upstream

    def add(self, node, position: int, parent, local, contribution) -> None:
        """Add ``contribution`` (local × upstream) to the parent's gradient."""
        raise NotImplementedError


def chain_rule(nodes: Iterable, flow: Flow) -> None:
    """THE chain-rule walk: each node, root first, passes local × upstream to its parents.

    >>> from chainrule.autograd import Value
    >>> x = Value(3.0); y = x * x; y.grad = 1.0
    >>> chain_rule([y], GradFlow())
    >>> x.grad            # 3 × 1 + 3 × 1
    6.0
    """
    for node in nodes:
        upstream = flow.upstream(node)
        if upstream is None:
            continue  # a leaf, or upstream gradient 0: every contribution would be 0
        locals_ = flow.local_grads(node, upstream)
        parents = flow.parents(node)
        if len(locals_) != len(parents):
            raise ValueError(f"{node.op.name}'s local_grads gave {len(locals_)} gradients "
                             f"for {len(parents)} parents; give one per input.")
        for position, (parent, local) in enumerate(zip(parents, locals_, strict=True)):
            if flow.wants(parent):
                flow.add(node, position, parent, local, flow.times(local, upstream, parent))


def local_gradients(node: Value) -> tuple:
    """d node / d parent for each parent, from the op table's rule (on floats).

    >>> from chainrule.autograd import Value
    >>> a, b = Value(2.0), Value(-3.0)
    >>> local_gradients(a * b)      # d(ab)/da = b, d(ab)/db = a
    (-3.0, 2.0)
    """
    return tuple(node.op.local_grads(*[parent.data for parent in node.parents], node.data))


class GradFlow(Flow):
    """Gradients on the nodes' own ``.grad``: what ``backward()`` fills in.

    >>> from chainrule.autograd import Value
    >>> x = Value(-1.0); y = x.relu(); y.grad = 1.0
    >>> chain_rule([y], GradFlow()); x.grad     # relu'(-1) = 0
    0.0
    """

    def upstream(self, node):
        grad = node.grad
        # Speed and sense: a constant 0 upstream (a dead relu) makes every contribution
        # 0, and skipping also never runs a rule such as sqrt'(0) where no gradient flows.
        if node.op is None or (grad.__class__ is float and grad == 0.0):
            return None
        return grad

    def add(self, node, position, parent, local, contribution) -> None:
        parent.grad = parent.grad + contribution  # chain rule: local × upstream


def propagate_node(node: Value) -> None:
    """One chain-rule step: add local gradient × ``node.grad`` to each parent's ``.grad``.

    Nothing happens for a leaf or when ``node.grad`` is 0 (as in ``backward()``). The
    local gradients come from the node's row in the op table.

    >>> from chainrule.autograd import Value
    >>> a, b = Value(2.0), Value(-3.0)
    >>> c = a * b
    >>> c.grad = 0.5
    >>> propagate_node(c)
    >>> a.grad, b.grad          # 0.5 × b, 0.5 × a
    (-1.5, 1.0)
    """
    chain_rule((node,), GradFlow())


class DictFlow(Flow):
    """Gradients in a new dict, on floats or (``create_graph``) on Values.

    >>> from chainrule.autograd import Value
    >>> x = Value(3.0); y = x * x
    >>> flow = DictFlow({y: 1.0}, create_graph=False)
    >>> chain_rule([y], flow); flow.grads[x]
    6.0
    """

    def __init__(self, grads: dict, *, create_graph: bool,
                 needed: set[Value] | None = None) -> None:
        self.grads, self.create_graph, self.needed = grads, create_graph, needed

    def upstream(self, node):
        if node.op is None or (self.needed is not None and node not in self.needed):
            return None  # a leaf, or a node no wanted gradient passes through
        upstream = self.grads.get(node, 0.0)
        return None if isinstance(upstream, float) and upstream == 0.0 else upstream

    def local_grads(self, node, upstream) -> tuple:
        if self.create_graph:  # the rules run on the nodes: each result has a graph
            return _defined(node, tuple(node.op.local_grads(*node.parents, node)), self.wants)
        return _defined(node, local_gradients(node), self.wants)

    def times(self, local, upstream, parent):
        return _times(local, upstream)

    def wants(self, parent) -> bool:
        return self.needed is None or parent in self.needed

    def add(self, node, position, parent, local, contribution) -> None:
        previous = self.grads.get(parent)
        total = contribution if previous is None else previous + contribution
        if total.__class__ is float and total - total != 0.0:  # inf: left the float range
            raise contribution_error(node, parent, local, self.grads.get(node), total)
        self.grads[parent] = total


def _defined(node: Value, locals_: tuple, wants) -> tuple:
    """The local gradients, or undefined_gradient for an UNDEFINED one this pass needs;
    one nobody needs (a constant's, the 0 of x ** 0 at 0) is left out as 0."""
    if all(local.__class__ is not float or local == local for local in locals_):
        return locals_
    parents, checked = node.parents, []
    for k, local in enumerate(locals_):
        if local.__class__ is float and local != local:
            if not parents[k].is_constant and wants(parents[k]):
                raise undefined_gradient(node.op.name, node.op.inputs[k],
                                         [p.data for p in parents])
            local = 0.0
        checked.append(local)
    return tuple(checked)


def propagate(order: list[Value], *, create_graph: bool, needed: set[Value] | None = None,
              seed: float = 1.0) -> dict[Value, float | Value]:
    """d root / d node for the nodes of ``order`` (root last), in a new dict; no ``.grad``.

    The chain rule, node by node from the root back: each parent receives local ×
    upstream from every node that uses it. With ``create_graph`` the rules run on the
    nodes themselves, so each gradient is a Value with its own graph (or a float
    constant, such as 1 for the root); otherwise on ``.data``, giving floats.
    ``needed`` (if given) limits the walk to the nodes in it, e.g. only those that
    depend on the inputs one differentiates with respect to.

    >>> from chainrule.autograd import Value
    >>> x = Value(3.0, "x")
    >>> y = x * x
    >>> grads = propagate([x, y], create_graph=True)
    >>> grads[x].op.name, grads[x].data    # dy/dx = x + x, a graph of its own
    ('add', 6.0)
    >>> propagate([x, y], create_graph=False)[x]
    6.0
    """
    flow = DictFlow({order[-1]: seed}, create_graph=create_graph, needed=needed)
    chain_rule(reversed(order), flow)
    return flow.grads


def _times(local, upstream):
    # Constants keep gradient graphs as small as a person would write them: a local
    # gradient of 1 (add, sub) passes the upstream on as it is, an upstream of 1 (the
    # root's) passes the local gradient on, and a constant local 0 (relu when off)
    # stops a Value upstream rather than recording a "0 * ..." node.
    if isinstance(local, float):
        if local == 1.0:
            return upstream
        if local == 0.0 and not isinstance(upstream, float):
            return 0.0
    if isinstance(upstream, float) and upstream == 1.0:
        return local
    return local * upstream


def contribution_error(child: Value, parent: Value, local: object, upstream: object,
                       total: object) -> OverflowError:
    """The error naming the op whose contribution (local × upstream) made a gradient inf."""
    name = parent.label or "its parent"
    inputs = ", ".join(repr(p.data) for p in child.parents)
    return OverflowError(
        f"backward: the gradient of {name} became {total!r}: {child.op.name}'s local "
        f"gradient {local!r} × upstream {upstream!r} (at inputs {inputs}) is beyond the float "
        "range (about 1.8e308); scale the inputs down or lower the learning rate.")
