"""micrograd's node interface on Value: ``_prev``, ``_op``, ``_backward()``, its constructor.

Code written for micrograd (its README, ``trace_graph.ipynb``, the video lecture that
builds it) reads a node through three names. Here they are views of the graph as it is,
with no closure stored and nothing added to a node, so they cost nothing until called:

- ``_prev``: the set of parents (micrograd's name for them);
- ``_op``: micrograd's op string: ``'+'``, ``'*'``, ``'**2'``, ``'ReLU'``, ``'tanh'``,
  ``'exp'``; for ops micrograd lacks, our op-table symbol (``'-'``, ``'/'``, ``'log'``,
  ``'σ'``); ``''`` for a leaf;
- ``_backward()``: this node's one chain-rule step, from the op table (``propagate_node``).

The lecture's neuron, backpropagated by hand as the lecture does, node by node from the
root (reverse topological order):

>>> from chainrule.autograd import Value
>>> x1, w1 = Value(2.0, label="x1"), Value(-3.0, label="w1")
>>> x2, w2 = Value(0.0, label="x2"), Value(1.0, label="w2")
>>> b = Value(6.8813735870195432, label="b")
>>> x1w1, x2w2 = x1*w1, x2*w2
>>> x1w1x2w2 = x1w1 + x2w2
>>> n = x1w1x2w2 + b
>>> o = n.tanh()
>>> o._op, n._op, n._prev == {x1w1x2w2, b}
('tanh', '+', True)
>>> o.grad = 1.0
>>> o._backward(); round(n.grad, 4)           # 1 - tanh(n)^2 = 1 - 0.7071^2
0.5
>>> n._backward(); b._backward()              # + passes 0.5 on; a leaf does nothing
>>> x1w1x2w2._backward(); x2w2._backward(); x1w1._backward()
>>> round(x1.grad, 4), round(w1.grad, 4), round(x2.grad, 4), w2.grad   # other * 0.5
(-1.5, 1.0, 0.5, 0.0)
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TYPE_CHECKING

from chainrule.autograd import ops
from chainrule.autograd.backprop import propagate_node
from chainrule.autograd.state import is_recording

if TYPE_CHECKING:
    from chainrule.autograd.value import Value


class MicrogradInterface:
    """micrograd's names for a node's parts, read from the node (Value's base class).

    >>> from chainrule.autograd import Value
    >>> x = Value(3.0)
    >>> y = x ** 2
    >>> y._op, y._prev == {x, y.parents[1]}, x._op, x._prev
    ('**2', True, '', set())
    """

    __slots__ = ()

    @property
    def _prev(self: Value) -> set[Value]:
        """The parents, as a set (micrograd's ``_prev``); empty for a leaf."""
        return set(self.parents)

    @property
    def _op(self: Value) -> str:
        """micrograd's op string for the op that made this node; ``''`` for a leaf."""
        return op_string(self)

    def _backward(self: Value) -> None:
        """Add this node's contribution to each parent's grad: one chain-rule step.

        >>> from chainrule.autograd import Value
        >>> a = Value(3.0)
        >>> y = a * a
        >>> y.grad = 1.0; y._backward(); a.grad      # a appears twice: 3 + 3
        6.0
        """
        propagate_node(self)


def op_string(node: Value) -> str:
    """micrograd's ``_op`` for ``node``: the op-table symbol, ``'**k'`` for a constant power.

    >>> from chainrule.autograd import Value
    >>> x = Value(4.0)
    >>> k = Value(0.5, "k")                     # a labelled exponent is a leaf, not a constant
    >>> [op_string(v) for v in (x, x + 1, x / 2, x ** -1, x ** 0.5, x ** k, x.relu())]
    ['', '+', '/', '**-1', '**0.5', '**', 'ReLU']
    """
    op = node.op
    if op is None:
        return ""
    exponent = node.parents[-1]
    if op is ops.POW and exponent.op is None and not exponent.label:  # a typed number
        k = exponent.data  # micrograd writes the exponent as the number it was given
        return f"**{int(k)}" if k.is_integer() else f"**{k!r}"
    return op.symbol


def adopt_op(node: Value, children: Sequence[Value], op_text: str) -> None:
    """Make ``node`` (data already set) the result of ``op_text`` applied to ``children``.

    micrograd's constructor ``Value(data, (a, b), '+')``: the op string names an op-table
    row (by symbol or name; ``'**k'`` is a power by the constant k), so the node gets that
    op's rule and backward() works through it. Its data must be what the op computes.

    >>> from chainrule.autograd import Value
    >>> a, b = Value(2.0), Value(-3.0)
    >>> c = Value(a.data * b.data, (a, b), '*')
    >>> c.backward(); c.op.name, a.grad, b.grad
    ('mul', -3.0, 2.0)
    """
    if isinstance(children, (str, set, frozenset)) or not isinstance(children, Sequence):
        hint = " (a str second argument is the label: give it once)" * isinstance(children, str)
        raise TypeError(f"_children must be a tuple of Values in operand order, e.g. "
                        f"(a, b), got {type(children).__name__} {children!r}{hint}.")
    parents = list(children)
    if not parents and not op_text:
        return  # micrograd's defaults: a leaf
    if not all(isinstance(parent, MicrogradInterface) for parent in parents):
        raise TypeError(f"_children must all be Values, got {children!r}.")
    op = _op_named(op_text, len(parents))
    if op is ops.POW and len(parents) == 1:
        parents.append(type(node)(float(op_text[2:])))  # the constant exponent k
    expected = op.forward(*(parent.data for parent in parents))
    if not math.isclose(node.data, expected, rel_tol=1e-9, abs_tol=1e-12):
        raise ValueError(f"Value({node.data!r}, _children, {op_text!r}): {op.name} of "
                         f"{[p.data for p in parents]} is {expected!r}, not {node.data!r}; "
                         "pass the op's result as data, or just write the op (a + b).")
    if not is_recording():
        return  # inside no_grad(): a number, no history, as for every op
    # the constructor's node already exists, so it is given its history in place, in
    # value.py's two parent slots (what _node fills for a node built by an op)
    node.op, node._parent0 = op, parents[0]
    node._parent1 = parents[1] if len(parents) > 1 else None


def _op_named(op_text: str, n_children: int) -> ops.Op:
    if op_text.startswith("**") and n_children == 1:
        try:
            float(op_text[2:])
            return ops.POW
        except ValueError:
            pass
    for op in ops.OPS.values():
        if op_text in (op.symbol, op.name) and op.arity == n_children:
            return op
    known = sorted({op.symbol for op in ops.OPS.values()} | {"**k"})
    raise ValueError(f"_op {op_text!r} with {n_children} child(ren) names no op; use one "
                     f"of {', '.join(known)} (or an op's name, such as 'tanh'), with as "
                     "many children as the op has inputs.")
