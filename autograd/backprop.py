"""The backward pass: walk the topological order once, root to leaves, chain rule at each edge.

Two paths read the same op rules. The float path is the fast default. The Value path
(``create_graph=True``) runs the rules on Values, so every gradient it produces is
itself a Value with a graph, ready for a second ``backward()``.

>>> from chainrule.autograd import Value
>>> a, b = Value(2.0), Value(-3.0)
>>> c = a * b
>>> backpropagate(c)
>>> a.grad, b.grad     # dc/da = b, dc/db = a
(-3.0, 2.0)
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from chainrule.autograd.graph import is_constant, topological_order
from chainrule.autograd.ops import undefined_gradient

if TYPE_CHECKING:
    from chainrule.autograd.value import Value


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
            node.grad = 0.0
    if create_graph:
        _backward_values(order, root, seed)
    else:
        _backward_floats(order, root, seed)


def _backward_floats(order: list[Value], root: Value, seed: float = 1.0) -> None:
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
            # Speed: every contribution would be local × 0 = 0 (a dead relu, say). On the
            # 200,000-node benchmark 84% of nodes get no gradient through relu, and this
            # skip takes backward from 0.45 to 0.09 µs/node. It also skips a rule that
            # would raise (sqrt'(0)) or give inf where no gradient flows.
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


def propagate_node(node: Value) -> None:
    """One chain-rule step: add this node's contribution to each parent's ``.grad``.

    Each parent receives local gradient × upstream gradient (``node.grad``), the local
    gradient from the node's op-table rule. A leaf, or a node whose upstream gradient is 0,
    passes nothing back, as in ``backward()``. ``Value._backward()`` (micrograd's name)
    calls this; stepping every node in reverse topological order, after setting the
    root's grad to 1, gives ``backward()``'s gradients. (``backward()`` runs this same
    step written inline: calling it per node took the walk from 0.17 to 0.25 µs/node on a
    200,000-node graph; tests/autograd/test_micrograd_compat.py pins the two together.)

    >>> from chainrule.autograd import Value
    >>> x, w = Value(2.0, "x"), Value(-3.0, "w")
    >>> y = x * w
    >>> y.grad = 1.0
    >>> propagate_node(y)
    >>> x.grad, w.grad        # d(xw)/dx = w, d(xw)/dw = x
    (-3.0, 2.0)
    """
    op = node.op
    if op is None:
        return  # a leaf: nothing further back
    upstream = node.grad
    if upstream == 0.0:
        return  # every contribution would be local × 0, as in _backward_floats
    a, b = node._parent0, node._parent1
    if b is not None:
        local_a, local_b = op.local_grads(a.data, b.data, node.data)
        a.grad += local_a * upstream  # chain rule: local × upstream
        b.grad += local_b * upstream
    else:
        a.grad += op.local_grads(a.data, node.data)[0] * upstream


def _backward_values(order: list[Value], root: Value, seed: float = 1.0) -> None:
    from chainrule.autograd.value import Value

    grads = propagate(order, create_graph=True, seed=seed)
    for node in order:
        gradient = grads.get(node, 0.0)  # absent: no gradient reached it
        if node.op is None and not (isinstance(node.grad, float) and node.grad == 0.0):
            gradient = node.grad + gradient  # leaves accumulate across calls
        # a constant gradient (1 for the root, 0 through relu) becomes a leaf Value, so
        # every .grad can be backpropagated again
        node.grad = gradient if isinstance(gradient, Value) else Value(gradient)


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
    grads: dict[Value, float | Value] = {order[-1]: seed}
    for node in reversed(order):
        op = node.op
        if op is None or (needed is not None and node not in needed):
            continue  # a leaf, or a node no wanted gradient passes through
        upstream = grads.get(node, 0.0)
        # A constant 0 upstream (past a dead relu) makes every contribution 0: skip the
        # node as the float path does, which also never runs a rule like sqrt'(0) here.
        if isinstance(upstream, float) and upstream == 0.0:
            continue
        if create_graph:
            local_grads = op.local_grads(*node.parents, node)
        else:
            local_grads = op.local_grads(*[parent.data for parent in node.parents], node.data)
        for k, (parent, local) in enumerate(zip(node.parents, local_grads, strict=True)):
            if needed is not None and parent not in needed:
                continue
            if local.__class__ is float and local != local:  # UNDEFINED, and needed here
                if is_constant(parent):
                    continue  # nobody asks for a constant's gradient (x ** 0 at 0)
                raise undefined_gradient(op.name, op.inputs[k], [p.data for p in node.parents])
            contribution = _times(local, upstream)
            previous = grads.get(parent)
            total = contribution if previous is None else previous + contribution
            if total.__class__ is float and total - total != 0.0:
                raise contribution_error(node, parent, local, upstream, total)
            grads[parent] = total
    return grads


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
    if not (is_constant(node) and node.grad != node.grad):
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
