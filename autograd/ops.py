"""The one table of primitives: each op's forward and its local gradients, side by side.

Every tool reads this table: ``Value`` arithmetic and ``backward()``, the step tracer,
gradcheck, the renderer and the parser. Adding an op is one row here plus its tests.

A rule ``local_grads(*inputs, out)`` returns d out / d input for each input: the *local*
gradient. The engine multiplies it by the upstream gradient (the chain rule). Rules use
plain arithmetic and ``op_functions``' ``_cos``-style helpers, so the same rule runs on floats
(the fast path) and on Values (``backward(create_graph=True)``, higher-order gradients).

Adding an op (tests/autograd/test_new_op.py adds a throwaway one the same way):

1. its row here, ``NAME = Op(...)``, and NAME in the ``OPS`` tuple at the bottom. The
   rule must run on floats, Values and numpy arrays (``op_functions``' ``_cos``...); give
   ``array_forward`` when ``forward`` cannot take numpy arrays (``math.*`` cannot);
2. its test domain in ``autograd/testing.DOMAINS`` and its reference function in
   ``tests/autograd/test_ops_table.REFERENCE``;
3. a written-out ``Value`` method with a doctest (``OpMethods.tanh`` in ``op_methods.py``),
   and the op's name in README's two op lists (a test compares them with ``OPS``).

backward, create_graph, steps, why, gradcheck, compile, the parser and the pictures
read the row; nothing else changes.

>>> MUL.forward(2.0, -3.0)
-6.0
>>> MUL.local_grads(2.0, -3.0, -6.0)   # d(ab)/da = b, d(ab)/db = a
(-3.0, 2.0)
>>> sorted(OPS)[:4]
['abs', 'add', 'cos', 'exp']
"""

from __future__ import annotations

import math
import operator
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from chainrule.autograd.op_functions import (
    _abs,
    _abs_grads,
    _cos,
    _exp,
    _exp_array,
    _leaky_relu,
    _leaky_relu_grads,
    _log_array,
    _log_forward,
    _pow,
    _pow_array,
    _pow_grads,
    _relu,
    _sigmoid,
    _sigmoid_array,
    _sin,
    _sqrt,
    _sqrt_array,
    _sqrt_grads,
    _truediv,
    _truediv_array,
)


@dataclass(frozen=True, slots=True)
class Op:
    """One primitive: how to compute it, and how it passes gradient back.

    >>> TANH.formulas[0]
    '1 - tanh(x)^2'
    >>> TANH.expression.format("u")
    'tanh(u)'
    """

    name: str  # "tanh": key in OPS, the method name, used in messages
    symbol: str  # "tanh", "*": drawn in the graph's op node
    arity: int  # how many parents a node made by this op has: 1 or 2
    forward: Callable[..., float]  # input values -> output value
    local_grads: Callable[..., tuple]  # (*inputs, out) -> one local gradient per input
    formulas: tuple[str, ...]  # the same local gradients, written for people
    expression: str  # how a result is written: "{0} * {1}", "tanh({0})"
    inputs: tuple[str, ...] = ("x",)  # the names the formulas use for the inputs
    kinks: tuple[float, ...] = ()  # values of the first input where the slope jumps
    # The forward for numpy arrays (a batch per input, autograd.compiled), where
    # `forward` itself cannot take arrays; None when it can (+, -, *).
    array_forward: Callable[..., np.ndarray] | None = None
    # Values for the last inputs when a caller leaves them out: leaky_relu(x) means
    # leaky_relu(x, 0.01), the same in Value.leaky_relu() and in a typed formula.
    defaults: tuple[float, ...] = ()


ADD = Op("add", "+", 2, operator.add, lambda a, b, out: (1.0, 1.0),
         ("1", "1"), "{0} + {1}", ("a", "b"))
SUB = Op("sub", "-", 2, operator.sub, lambda a, b, out: (1.0, -1.0),
         ("1", "-1"), "{0} - {1}", ("a", "b"))
MUL = Op("mul", "*", 2, operator.mul, lambda a, b, out: (b, a),
         ("b", "a"), "{0} * {1}", ("a", "b"))
TRUEDIV = Op("truediv", "/", 2, _truediv, lambda a, b, out: (1.0 / b, -out / b),
             ("1/b", "-a/b^2"), "{0} / {1}", ("a", "b"), array_forward=_truediv_array)
NEG = Op("neg", "-", 1, operator.neg, lambda x, out: (-1.0,),
         ("-1",), "-{0}")
POW = Op("pow", "**", 2, _pow, _pow_grads,
         ("b * a^(b-1)", "a^b * ln(a)"), "{0} ** {1}", ("a", "b"), array_forward=_pow_array)
ABS = Op("abs", "abs", 1, _abs, _abs_grads,
         ("sign(x)",), "abs({0})", kinks=(0.0,))
EXP = Op("exp", "exp", 1, _exp, lambda x, out: (out,),
         ("exp(x)",), "exp({0})", array_forward=_exp_array)
LOG = Op("log", "log", 1, _log_forward, lambda x, out: (1.0 / x,),
         ("1/x",), "log({0})", array_forward=_log_array)
SQRT = Op("sqrt", "sqrt", 1, _sqrt, _sqrt_grads,
          ("1 / (2 sqrt(x))",), "sqrt({0})", array_forward=_sqrt_array)
TANH = Op("tanh", "tanh", 1, math.tanh, lambda x, out: (1.0 - out * out,),
          ("1 - tanh(x)^2",), "tanh({0})", array_forward=np.tanh)
SIGMOID = Op("sigmoid", "σ", 1, _sigmoid, lambda x, out: (out * (1.0 - out),),
             ("sigmoid(x) * (1 - sigmoid(x))",), "sigmoid({0})", array_forward=_sigmoid_array)
RELU = Op("relu", "ReLU", 1, _relu, lambda x, out: ((x > 0.0) * 1.0,),
          ("1 if x > 0 else 0",), "relu({0})", kinks=(0.0,),
          array_forward=lambda x: np.maximum(x, 0.0))  # speed: 2x np.where's; 0.0 at -0.0
LEAKY_RELU = Op("leaky_relu", "LReLU", 2, _leaky_relu, _leaky_relu_grads,
                ("1 if x > 0 else slope", "0 if x > 0 else x"),
                "leaky_relu({0}, {1})", ("x", "slope"), kinks=(0.0,),
                array_forward=lambda x, slope: np.where(x > 0.0, x, slope * x),
                defaults=(0.01,))
SIN = Op("sin", "sin", 1, math.sin, lambda x, out: (_cos(x),),
         ("cos(x)",), "sin({0})", array_forward=np.sin)
COS = Op("cos", "cos", 1, math.cos, lambda x, out: (-_sin(x),),
         ("-sin(x)",), "cos({0})", array_forward=np.cos)

OPS: dict[str, Op] = {op.name: op for op in (
    ADD, SUB, MUL, TRUEDIV, NEG, POW, ABS, EXP, LOG, SQRT,
    TANH, SIGMOID, RELU, LEAKY_RELU, SIN, COS)}
