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
(``_backward_floats``); a Hypothesis test pins it to ``chain_rule`` on random graphs.

>>> from chainrule.autograd import Value
>>> a, b = Value(2.0), Value(-3.0)
>>> c = a * b
>>> backpropagate(c)
>>> a.grad, b.grad     # dc/da = b, dc/db = a
(-3.0, 2.0)
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from chainrule.autograd.graph import topological_order
from chainrule.autograd.ops import undefined_gradient

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


def backpropagate(root: Value, create_graph: bool = False, seed: float = 1.0) -> None:
    """Set ``.grad`` on every node to d root / d node.

    Intermediate nodes are reset and show this pass; leaves accumulate across calls.
    ``seed`` is d root / d root (1 unless a caller scales every gradient, as PyTorch's
    ``backward(gradient)``). A gradient that leaves the float range raises OverflowError.

    >>> from chainrule.autograd import Value
    >>> x = Value(3.0)
    >>> y = x * x
    >>> backpropagate(y); backpropagate(y)
    >>> x.grad               # 2x = 6, accumulated twice
    12.0
    """
    order = topological_order(root)
    for node in order:
        if node.op is not None:
            node.grad = 0.0  # reset every pass, so zeroing them before a refusal costs nothing
        elif node.grad.__class__ is not float:  # a leaf keeps its sum: check it is a number
            _check_leaf_grad(node)
    if create_graph:
        _backward_values(order, seed)
    else:
        _backward_floats(order, root, seed)


def _check_leaf_grad(node: Value) -> None:
    """Refuse a leaf whose ``.grad`` someone set to something that is not a number.

    >>> from chainrule.autograd import Value
    >>> x = Value(2.0, "x"); x.grad = "abc"
    >>> _check_leaf_grad(x)   # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    TypeError: x.grad is 'abc' (a str), but a gradient must be a number ...
    """
    from numbers import Real

    from chainrule.autograd.value import Value
    grad = node.grad
    if isinstance(grad, Value) or (isinstance(grad, Real) and not isinstance(grad, bool)):
        return
    name = node.label or f"Value({node.data!r})"
    raise TypeError(f"{name}.grad is {grad!r} (a {type(grad).__name__}), but a gradient "
                    f"must be a number (or a Value); set {name}.grad = 0.0 before backward().")


def _backward_floats(order: list[Value], root: Value, seed: float = 1.0) -> None:
    # Speed: chain_rule(reversed(order), GradFlow()) written out for floats, the one hot
    # copy of the walk (test_backward.py pins it to chain_rule on random graphs). No
    # method calls per node: build + backward of the 200,000-node benchmark graph runs
    # about 2x faster this way.
    root.grad = root.grad + seed if root.op is None else seed
    for node in reversed(order):
        op = node.op
        if op is None:
            # a leaf: nothing further back. Every contribution to it has arrived (reversed
            # topological order), so its sum is checked here, once.
            if node.grad.__class__ is float and node.grad - node.grad != 0.0:
                _refuse_non_finite_leaf(order, node)
            continue
        upstream = node.grad
        if upstream == 0.0:
            # 84% of the benchmark's nodes get no gradient through relu; skipping them
            # takes backward from 0.45 to 0.09 µs/node (see GradFlow.upstream).
            continue
        if upstream - upstream != 0.0:  # inf: a contribution left the float range
            raise non_finite_gradient(order, node)
        a, b = node._parent0, node._parent1
        if b is not None:
            local_a, local_b = op.local_grads(a.data, b.data, node.data)
            a.grad += local_a * upstream  # chain rule: local × upstream
            b.grad += local_b * upstream
        else:
            a.grad += op.local_grads(a.data, node.data)[0] * upstream


def _backward_values(order: list[Value], seed: float = 1.0) -> None:
    grads = propagate(order, create_graph=True, seed=seed)
    for node in order:
        gradient = grads.get(node, 0.0)  # absent: no gradient reached it
        if node.op is None and not (isinstance(node.grad, float) and node.grad == 0.0):
            gradient = node.grad + gradient  # leaves accumulate across calls
        # a constant gradient (1 for the root, 0 through relu) becomes a leaf Value, so
        # every .grad can be backpropagated again
        if isinstance(gradient, float):  # a Constant's gradient is no constant: a Value
            gradient = (node.__class__.__base__ if node.is_constant else node.__class__)(gradient)
        node.grad = gradient


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


def _refuse_non_finite_leaf(order: list[Value], node: Value) -> None:
    # A constant's gradient nobody asks for may be UNDEFINED (nan, the 0 of x ** 0 at 0):
    # it stays nan, which is what it is; any other leaf's non-finite gradient raises.
    if not (node.is_constant and node.grad != node.grad):
        raise non_finite_gradient(order, node)


def non_finite_gradient(order: list[Value], node: Value) -> OverflowError | ValueError:
    """The error for a gradient that left the float range: which op's contribution did it.

    Found after the fact, on the rare failing path, so the walk itself pays one
    subtraction per node for the check.

    >>> from chainrule.autograd import Value
    >>> x = Value(1e-200, "x")
    >>> (1 / x).backward()              # d(1/x)/dx = -1/x^2 = -1e400   # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    OverflowError: backward: the gradient of x became -inf: truediv's local gradient -inf ...
    """
    for child in reversed(order):
        if child.op is None or child.grad == 0.0 or not any(p is node for p in child.parents):
            continue
        inputs = [parent.data for parent in child.parents]
        locals_ = child.op.local_grads(*inputs, child.data)
        for k, (parent, local) in enumerate(zip(child.parents, locals_, strict=True)):
            if parent is node and local != local:  # an UNDEFINED local gradient
                return undefined_gradient(child.op.name, child.op.inputs[k], inputs)
            if parent is node and abs(local * child.grad) == float("inf"):
                return contribution_error(child, node, local, child.grad, node.grad)
    name = node.label or "a node"
    return OverflowError(f"backward: the gradient of {name} (data={node.data!r}) summed to "
                         f"{node.grad!r}, beyond the float range (about 1.8e308); scale the "
                         "inputs down or lower the learning rate.")


def contribution_error(child: Value, parent: Value, local: object, upstream: object,
                       total: object) -> OverflowError:
    """The error naming the op whose contribution (local × upstream) made a gradient inf."""
    name = parent.label or "its parent"
    inputs = ", ".join(repr(p.data) for p in child.parents)
    return OverflowError(
        f"backward: the gradient of {name} became {total!r}: {child.op.name}'s local "
        f"gradient {local!r} × upstream {upstream!r} (at inputs {inputs}) is beyond the float "
        "range (about 1.8e308); scale the inputs down or lower the learning rate.")
