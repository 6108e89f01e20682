"""``backward()``: every node's ``.grad`` set to d root / d node, in one walk.

The walk is ``backprop.chain_rule`` with ``GradFlow`` (gradients on ``.grad``), written out
once more here for floats (``_backward_floats``), the one hot copy: no method call per
node. ``tests/autograd/test_backward.py`` pins it to ``chain_rule`` on random graphs.
``create_graph=True`` runs ``backprop.propagate`` on Values instead. A gradient that leaves
the float range raises OverflowError naming the op whose contribution did it.

>>> from chainrule.autograd import Value
>>> a, b = Value(2.0), Value(-3.0)
>>> c = a * b
>>> backpropagate(c)
>>> a.grad, b.grad     # dc/da = b, dc/db = a
(-3.0, 2.0)
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from chainrule.autograd.backprop import contribution_error, local_gradients, propagate
from chainrule.autograd.graph import topological_order
from chainrule.autograd.op_functions import undefined_gradient

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
        locals_ = local_gradients(child)
        for k, (parent, local) in enumerate(zip(child.parents, locals_, strict=True)):
            if parent is node and local != local:  # an UNDEFINED local gradient
                inputs = [parent.data for parent in child.parents]
                return undefined_gradient(child.op.name, child.op.inputs[k], inputs)
            if parent is node and abs(local * child.grad) == float("inf"):
                return contribution_error(child, node, local, child.grad, node.grad)
    name = node.label or "a node"
    return OverflowError(f"backward: the gradient of {name} (data={node.data!r}) summed to "
                         f"{node.grad!r}, beyond the float range (about 1.8e308); scale the "
                         "inputs down or lower the learning rate.")
