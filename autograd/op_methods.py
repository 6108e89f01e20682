"""Value's methods for the op table's functions: ``x.exp()``, ``x.tanh()``, ``x.relu()``...

One written-out method per row that is not an operator (the operators are in value.py),
each with a worked example a learner can check. Each body is one line,
``self._apply(ops.ROW)``: ``Value._apply`` makes the node from the row, so this file needs
nothing from value.py.

>>> from chainrule.autograd import Value
>>> Value(0.0).tanh().data, Value(-2.0).relu().data, Value(-2.0).leaky_relu(0.5).data
(0.0, 0.0, -1.0)
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from chainrule.autograd import ops

if TYPE_CHECKING:
    from chainrule.autograd.value import Operand, Value


class OpMethods:
    """The op table's functions as methods; ``Value`` inherits them.

    >>> from chainrule.autograd import Value
    >>> y = Value(1.0).exp().log()      # log(e^1)
    >>> y.data, y.op.name
    (1.0, 'log')
    """

    __slots__ = ()

    def exp(self) -> Value:
        """e to the power x. Local gradient: exp(x) itself.

        >>> from chainrule.autograd import Value
        >>> x = Value(1.0); y = x.exp(); y.backward()
        >>> round(y.data, 4), round(x.grad, 4)
        (2.7183, 2.7183)
        """
        return self._apply(ops.EXP)

    def log(self) -> Value:
        """Natural logarithm, for x > 0. Local gradient: 1/x.

        >>> from chainrule.autograd import Value
        >>> x = Value(2.0); y = x.log(); y.backward()
        >>> round(y.data, 4), x.grad
        (0.6931, 0.5)
        """
        return self._apply(ops.LOG)

    def sqrt(self) -> Value:
        """Square root, for x >= 0. Local gradient: 1 / (2 sqrt(x)).

        >>> from chainrule.autograd import Value
        >>> x = Value(4.0); y = x.sqrt(); y.backward()
        >>> y.data, x.grad
        (2.0, 0.25)
        """
        return self._apply(ops.SQRT)

    def tanh(self) -> Value:
        """Hyperbolic tangent: squashes any real number into (-1, 1).

        Local gradient: 1 - tanh(x)², which is 1 at x = 0 and close to 0 for |x| > 3.

        >>> from chainrule.autograd import Value
        >>> x = Value(0.5); y = x.tanh(); y.backward()
        >>> round(y.data, 4), round(x.grad, 4)   # 1 - 0.4621² = 0.7864
        (0.4621, 0.7864)
        """
        return self._apply(ops.TANH)

    def sigmoid(self) -> Value:
        """Logistic function 1 / (1 + e^-x), into (0, 1); stable for any finite x.

        Local gradient: s (1 - s), at most 0.25 (at x = 0).

        >>> from chainrule.autograd import Value
        >>> x = Value(0.0); y = x.sigmoid(); y.backward()
        >>> y.data, x.grad
        (0.5, 0.25)
        """
        return self._apply(ops.SIGMOID)

    def relu(self) -> Value:
        """max(0, x). Local gradient: 1 for x > 0, else 0 (0 at the kink x = 0).

        >>> from chainrule.autograd import Value
        >>> x = Value(-2.0); y = x.relu(); y.backward()
        >>> y.data, x.grad
        (0.0, 0.0)
        """
        return self._apply(ops.RELU)

    def leaky_relu(self, slope: Operand | None = None) -> Value:
        """x for x > 0, else slope * x. The slope is a node too (PReLU if you train it).

        With no slope, the op table's default (0.01), as ``leaky_relu(x)`` in a formula.

        >>> from chainrule.autograd import Value
        >>> x = Value(-2.0); y = x.leaky_relu(0.1); y.backward()
        >>> round(y.data, 4), x.grad
        (-0.2, 0.1)
        >>> Value(-2.0).leaky_relu().data
        -0.02
        """
        if slope is None:
            slope = ops.LEAKY_RELU.defaults[0]
        return self._apply(ops.LEAKY_RELU, slope)

    def sin(self) -> Value:
        """Sine (radians). Local gradient: cos(x).

        >>> from chainrule.autograd import Value
        >>> x = Value(0.0); y = x.sin(); y.backward()
        >>> y.data, x.grad
        (0.0, 1.0)
        """
        return self._apply(ops.SIN)

    def cos(self) -> Value:
        """Cosine (radians). Local gradient: -sin(x).

        >>> from chainrule.autograd import Value
        >>> x = Value(1.0); y = x.cos(); y.backward()
        >>> round(y.data, 4), round(x.grad, 4)   # -sin(1) = -0.8415
        (0.5403, -0.8415)
        """
        return self._apply(ops.COS)
