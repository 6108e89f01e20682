"""Value: one scalar node of a computation graph.

A node holds ``data``, ``grad``, ``label``, the ``op`` that made it (``None`` for a
leaf), its ``parents`` (a tuple, in operand order, repeats kept) and the module
``scope`` it was made in. No closures: the graph is plain data any tool can walk, and
it is freed by reference counting alone.

Every op has one or two inputs, so a node keeps them in two slots, ``_parent0`` and
``_parent1`` (``None`` when absent), and ``parents`` builds the tuple when asked. Speed:
a stored tuple was a second object per node for Python's cyclic garbage collector to
track and scan; without it build + backward of the 200,000-node benchmark graph went from
2.51 to 1.87 µs/node (CPU time, best of 9, collector on) and memory from 158 to 111
bytes per node.

The two slots belong to the autograd package: code outside it reads ``parents``. Inside,
the two walks every backward() runs read the slots, because building the tuple per node
costs more than the rest of their work (50,000-node benchmark graph, CPU time, median
of 7): ``graph.topological_order`` 0.53 µs/node with the slots, 0.86 with ``parents``;
``backward._backward_floats`` 0.18 and 0.27. The nodes that are written out fill them
as ``_node`` does (``linear.weighted_sum``; ``micrograd_compat.adopt_op``).

>>> a = Value(2.0, label="a")
>>> b = Value(-3.0, label="b")
>>> c = a * b + 10
>>> c
Value(data=4.0, grad=0.0, label='')
>>> c.backward()
>>> a.grad, b.grad
(-3.0, 2.0)
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar, Union

from chainrule.autograd import ops
from chainrule.autograd.backward import backpropagate
from chainrule.autograd.comparisons import DataComparisons
from chainrule.autograd.micrograd_compat import MicrogradInterface, adopt_op
from chainrule.autograd.numbers import as_real, op_result, overflow_error
from chainrule.autograd.op_methods import OpMethods
from chainrule.autograd.state import NO_GRAD, NO_GRAD_DEPTH, SCOPE, SCOPES

Operand = Union["Value", float]


class Value(OpMethods, DataComparisons, MicrogradInterface):
    """A scalar that remembers how it was computed, so it can pass gradients back.

    ``Value(data, label)``; micrograd's form ``Value(data, _children, _op, label=...)`` works
    too, with its ``_prev``, ``_op`` and ``_backward()`` (see ``micrograd_compat``).

    >>> x = Value(0.5, label="x")
    >>> y = (x * 2).tanh()
    >>> y.backward()
    >>> round(y.data, 4), round(x.grad, 4)   # 2 * (1 - tanh(1)^2) = 0.8399
    (0.7616, 0.8399)
    """

    __slots__ = ("data", "grad", "label", "op", "scope", "_parent0", "_parent1")
    # True only for a Constant (below): a class attribute, so it costs no memory per node
    is_constant: ClassVar[bool] = False

    def __init__(self, data: float, _children: Sequence[Value] | str = (), _op: str = "",
                 label: str = "") -> None:
        if _children.__class__ is str and not (_op or label):
            _children, label = (), _children  # our short form Value(2.0, "x"): a label
        if not isinstance(label, str):
            raise TypeError(f"Value label must be a str, got {type(label).__name__} "
                            f"{label!r}; pass label='x'.")
        # Speed: a finite float (what constants mostly are, as in `x + 1.0`) skips the
        # as_real call, and the scope is read inline: Value(2.0) 0.56 -> 0.4 µs.
        self.data = data if type(data) is float and data - data == 0.0 else as_real(data)
        self.grad = 0.0
        self.label = label
        self.op = None
        self.scope = SCOPE.get() if SCOPES else None
        self._parent0 = self._parent1 = None
        if _children.__class__ is not tuple or _children or _op:
            adopt_op(self, _children, _op)  # micrograd's Value(data, (a, b), '+')

    @property
    def parents(self) -> tuple[Value, ...]:
        """The inputs of the op that made this node, in operand order; ``()`` for a leaf.

        >>> a = Value(2.0)
        >>> (a * a).parents == (a, a), (-a).parents == (a,), a.parents
        (True, True, ())
        """
        first = self._parent0
        if first is None:
            return ()
        second = self._parent1
        return (first,) if second is None else (first, second)

    def backward(self, gradient: float = 1.0, *, create_graph: bool = False) -> None:
        """Fill ``.grad`` of every node this one depends on with d self / d node.

        Leaves accumulate across calls (as in PyTorch); intermediate nodes show this
        pass. With ``create_graph=True`` gradients are Values, for higher order.
        ``gradient`` (a finite real, default 1) seeds the root, as in PyTorch: every
        gradient is then ``gradient`` × d self / d node. A gradient that leaves the
        float range raises OverflowError naming the op.

        >>> w = Value(2.0)
        >>> (w * 3).backward(2.0)
        >>> w.grad                      # 2 * d(3w)/dw = 6
        6.0

        >>> x = Value(3.0)
        >>> y = x ** 3
        >>> y.backward(create_graph=True)
        >>> x.grad.data                 # 3x^2 = 27
        27.0
        >>> g = x.grad
        >>> x.grad = 0.0
        >>> g.backward()
        >>> x.grad                      # d(3x^2)/dx = 6x = 18
        18.0
        """
        backpropagate(self, create_graph, _checked_seed(gradient, create_graph))

    def __repr__(self) -> str:
        grad = f"<Value {self.grad.data!r}>" if isinstance(self.grad, Value) else self.grad
        return f"Value(data={self.data!r}, grad={grad}, label={self.label!r})"

    # == and hash stay identity (Values live in sets); <, > and float() read .data
    # (DataComparisons, comparisons.py)
    __hash__ = object.__hash__

    def _apply(self, op: ops.Op, other: Operand | None = None) -> Value:
        """This Value through the row ``op`` (with ``other`` for a two-input op): its node.

        How OpMethods (op_methods.py) make nodes: ``x.tanh()`` is ``x._apply(ops.TANH)``.
        """
        if other is None:
            return _node(op.forward(self.data), op, self, None)
        return _apply2(op, self, other)

    # -- arithmetic: each operator is its own op-table row ---------------------------
    # Speed: + and * between two Values, the commonest nodes of a network, are _node()
    # written out with the row's forward inlined (ADD.forward is a + b, MUL.forward a * b):
    # the two calls cost a fifth of `a + b` (0.45 -> 0.37 µs, timeit). test_fast_paths.py
    # pins both to apply_op (the generic path) on random inputs, overflow included.
    def __add__(self, other: Operand) -> Value:
        if other.__class__ is not Value:
            return _apply2(_ADD, self, other)
        data = self.data + other.data
        if data - data != 0.0:  # inf: the sum left the float range (as in _node)
            raise _overflow(_ADD, self, other, data)
        out = _new_value(Value)
        out.data = data
        out.grad = 0.0
        out.label = ""
        out.op, out._parent0, out._parent1 = _ADD, self, other
        out.scope = SCOPE.get() if SCOPES else None
        if NO_GRAD_DEPTH and NO_GRAD.get():
            out.op = out._parent0 = out._parent1 = None  # as in _node
        return out

    def __radd__(self, other: Operand) -> Value:
        return _apply2(ops.ADD, other, self)

    def __sub__(self, other: Operand) -> Value:
        return _apply2(ops.SUB, self, other)

    def __rsub__(self, other: Operand) -> Value:
        return _apply2(ops.SUB, other, self)

    def __mul__(self, other: Operand) -> Value:
        if other.__class__ is not Value:
            return _apply2(_MUL, self, other)
        data = self.data * other.data  # __add__'s written-out _node, for *
        if data - data != 0.0:
            raise _overflow(_MUL, self, other, data)
        out = _new_value(Value)
        out.data = data
        out.grad = 0.0
        out.label = ""
        out.op, out._parent0, out._parent1 = _MUL, self, other
        out.scope = SCOPE.get() if SCOPES else None
        if NO_GRAD_DEPTH and NO_GRAD.get():
            out.op = out._parent0 = out._parent1 = None
        return out

    def __rmul__(self, other: Operand) -> Value:
        return _apply2(ops.MUL, other, self)

    def __truediv__(self, other: Operand) -> Value:
        return _apply2(ops.TRUEDIV, self, other)

    def __rtruediv__(self, other: Operand) -> Value:
        return _apply2(ops.TRUEDIV, other, self)

    def __pow__(self, other: Operand) -> Value:
        return _apply2(ops.POW, self, other)

    def __rpow__(self, other: Operand) -> Value:
        return _apply2(ops.POW, other, self)

    def __neg__(self) -> Value:
        return self._apply(ops.NEG)

    def __abs__(self) -> Value:
        return self._apply(ops.ABS)


class Constant(Value):
    """A plain number in an expression (the 2 in ``x * 2``), as a leaf of the graph.

    Nobody asks for a constant's gradient, so one that is undefined there (the 0 of
    ``x ** 0`` at x = 0) is no error, and the step tracer gives it no rows. It has no
    scope: a renderer draws it small and never counts it as a parameter.

    >>> x = Value(3.0)
    >>> two = (x * 2).parents[1]
    >>> type(two).__name__, two.data, two.is_constant, x.is_constant
    ('Constant', 2.0, True, False)
    """

    __slots__ = ()
    is_constant = True


def _checked_seed(gradient: object, create_graph: object) -> float:
    """backward()'s arguments checked: a finite real seed, and create_graph a bool."""
    if not isinstance(create_graph, bool):
        raise TypeError(f"backward: create_graph must be True or False, got "
                        f"{type(create_graph).__name__} {create_graph!r}.")
    if isinstance(gradient, Value):
        raise TypeError("backward: the seed gradient must be a number, got a Value; "
                        "pass its .data.")
    return as_real(gradient, "backward's seed gradient")


_ADD, _MUL = ops.ADD, ops.MUL
_new_value = object.__new__


def _node(data: float, op: ops.Op, first: Value, second: Value | None) -> Value:
    """Make the node ``op`` gives for its input(s) (written out in __add__ and __mul__)."""
    # Speed: skips __init__'s validation (op results are floats already) and reads the
    # recording state through two list truth tests: a node costs ~0.3 µs instead of 0.7.
    # The finiteness test is ~5% of `a + b` (x - x is 0.0 for a finite float, nan for inf).
    if data - data != 0.0:  # inf: the op's result left the float range
        raise _overflow(op, first, second, data)
    out = _new_value(Value)
    out.data = data
    out.grad = 0.0
    out.label = ""
    out.op, out._parent0, out._parent1 = op, first, second
    out.scope = SCOPE.get() if SCOPES else None
    if NO_GRAD_DEPTH and NO_GRAD.get():
        out.op = out._parent0 = out._parent1 = None  # no_grad(): a number, no history
    return out


def _overflow(op: ops.Op, first: Value, second: Value | None, data: float) -> OverflowError:
    """The error for a node whose data left the float range: the op and its inputs."""
    inputs = (first.data,) if second is None else (first.data, second.data)
    return overflow_error(op.name, inputs, data)


def _constant(x: object) -> Constant:
    """A plain number in an expression (the 2 in ``x * 2``) as a Constant leaf.

    Speed: the same leaf as ``Constant(x)`` without the call to __init__; `x + 1.0` takes
    0.8 µs instead of 1.26 (the 1,000,000-node chain benchmark is made of these).
    """
    leaf = _new_value(Constant)
    leaf.data = x if type(x) is float and x - x == 0.0 else as_real(x)
    leaf.grad = 0.0
    leaf.label = ""
    leaf.op = leaf.scope = leaf._parent0 = leaf._parent1 = None  # no scope: no module's
    return leaf


def _apply2(op: ops.Op, a: Operand, b: Operand) -> Value:
    """Apply a two-input op; plain numbers become leaf Values (constants in the graph)."""
    if not isinstance(a, Value):
        a = _constant(a)
    if not isinstance(b, Value):
        b = _constant(b)
    return _node(op.forward(a.data, b.data), op, a, b)


def apply_op(op: ops.Op | str, *inputs: Operand) -> Value:
    """Apply an op-table row (or its name) to Values or numbers: the generic entry point.

    Tools that read the table (the parser, gradcheck, tests) use this rather than a
    hand-written dispatch; it also applies an ``Op`` of your own that is not in the table.

    >>> apply_op("mul", 2.0, -3.0).data
    -6.0
    >>> apply_op(ops.TANH, 0.0).data
    0.0
    """
    op = ops.OPS.get(op, op) if isinstance(op, str) else op
    if not isinstance(op, ops.Op):
        raise ValueError(f"unknown op {op!r}; known ops: {', '.join(sorted(ops.OPS))}.")
    if op.arity not in (1, 2):
        raise ValueError(f"{op.name} has arity {op.arity}; an op takes one or two inputs. "
                         "Write a wider function as a composition of ops.")
    if len(inputs) != op.arity:
        raise TypeError(f"{op.name} takes {op.arity} input(s), got {len(inputs)}: {inputs!r}.")
    if ops.OPS.get(op.name) is not op:
        return _apply_custom(op, inputs)
    if op.arity == 1:
        return (inputs[0] if isinstance(inputs[0], Value) else _constant(inputs[0]))._apply(op)
    return _apply2(op, *inputs)


def _apply_custom(op: ops.Op, inputs: tuple[Operand, ...]) -> Value:
    """An op of your own: its forward may return anything, so its result is checked."""
    nodes = [x if isinstance(x, Value) else _constant(x) for x in inputs]
    data = tuple(node.data for node in nodes)
    result = op_result(op.name, data, op.forward(*data))
    return _node(result, op, nodes[0], nodes[1] if len(nodes) == 2 else None)
