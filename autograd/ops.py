"""The one table of primitives: each op's forward and its local gradients, side by side.

Every tool reads this table: ``Value`` arithmetic and ``backward()``, the step tracer,
gradcheck, the renderer and the parser. Adding an op is one row here plus its tests.

A rule ``local_grads(*inputs, out)`` returns d out / d input for each input: the *local*
gradient. The engine multiplies it by the upstream gradient (the chain rule). Rules use
plain arithmetic and the ``_cos``-style helpers below, so the same rule runs on floats
(the fast path) and on Values (``backward(create_graph=True)``, higher-order gradients).

Adding an op (tests/autograd/test_new_op.py adds a throwaway one the same way):

1. its row here, ``NAME = Op(...)``, and NAME in the ``OPS`` tuple at the bottom. The
   rule must run on floats, Values and numpy arrays (use ``_cos``-style helpers); give
   ``array_forward`` when ``forward`` cannot take numpy arrays (``math.*`` cannot);
2. its test domain in ``autograd/testing.DOMAINS`` and its reference function in
   ``tests/autograd/test_ops_table.REFERENCE``;
3. a written-out ``Value`` method with a doctest (``Value.tanh``), and the op's name in
   README's two op lists (a test compares them with ``OPS``).

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


# --- helpers that work on floats, numpy arrays and Values alike ---------------------
# A Value has methods cos/sin/log; a float goes through math, an array through numpy.
# This is what lets one rule serve the float fast path, create_graph=True (Values) and
# the compiled batch replay (arrays, one entry per example). Comparisons such as
# `x > 0.0` work on all three (a Value compares its .data), giving a bool or a bool array;
# `(x > 0.0) * 1.0` turns either into 1.0/0.0.


def _cos(x):
    if isinstance(x, float):
        return math.cos(x)
    return np.cos(x) if isinstance(x, np.ndarray) else x.cos()


def _sin(x):
    if isinstance(x, float):
        return math.sin(x)
    return np.sin(x) if isinstance(x, np.ndarray) else x.sin()


def _log(x):
    if isinstance(x, float):
        return math.log(x)
    return np.log(x) if isinstance(x, np.ndarray) else x.log()


def _data(x):
    return x if isinstance(x, (float, np.ndarray)) else x.data


def _where(condition, if_true, if_false):
    """``if_true if condition else if_false``, elementwise when the condition is an array."""
    if isinstance(condition, np.ndarray):
        return np.where(condition, if_true, if_false)
    return if_true if condition else if_false


# --- forwards that guard their domain ---------------------------------------------


def _truediv(a: float, b: float) -> float:
    if b == 0.0:
        raise ZeroDivisionError(f"truediv: cannot divide {a!r} by zero (b={b!r}); "
                                "keep the divisor away from 0, e.g. b + 1e-12.")
    return a / b


def _pow(a: float, b: float) -> float:
    if a < 0.0 and not b.is_integer():
        raise ValueError(f"pow: a negative base to a non-integer power is not a real "
                         f"number, got a={a!r}, b={b!r}; use abs(a) ** b or an integer b.")
    if a == 0.0 and b < 0.0:
        raise ZeroDivisionError(f"pow: zero to a negative power, got a={a!r}, b={b!r}.")
    try:
        return math.pow(a, b)
    except OverflowError:
        raise OverflowError(f"pow: {a!r} ** {b!r} is beyond the float range "
                            "(about 1.8e308); scale the inputs down.") from None


def _exp(x: float) -> float:
    try:
        return math.exp(x)
    except OverflowError:
        raise OverflowError(f"exp: exp({x!r}) is beyond the float range (x must be "
                            "<= 709.78); scale the input down or use a stable form "
                            "such as sigmoid or log-sum-exp.") from None


def _log_forward(x: float) -> float:
    if x <= 0.0:
        raise ValueError(f"log(x) needs x > 0, got x={x!r}; "
                         "add a small positive number or clamp the input.")
    return math.log(x)


def _sqrt(x: float) -> float:
    if x < 0.0:
        raise ValueError(f"sqrt(x) needs x >= 0, got x={x!r}; use sqrt(abs(x)) or clamp.")
    return math.sqrt(x)


def _sigmoid(x: float) -> float:
    # NOTE: 1/(1+exp(-x)) overflows for x < -709; this form only ever calls exp on -|x|.
    if x >= 0.0:
        return 1.0 / (1.0 + math.exp(-x))
    z = math.exp(x)
    return z / (1.0 + z)


def _relu(x: float) -> float:
    return x if x > 0.0 else 0.0


def _leaky_relu(x: float, slope: float) -> float:
    return x if x > 0.0 else slope * x


def _abs(x: float) -> float:
    return abs(x)


# --- the same forwards on numpy arrays: one entry per example (autograd.compiled) -----


def _raise_like(forward: Callable[..., float], ok: np.ndarray, *inputs) -> None:
    """If an example is outside the domain, raise the float forward's own error for it."""
    if not np.all(ok):
        shape = np.broadcast(*inputs).shape  # (examples,), or (nodes, examples) when grouped
        at = tuple(np.argwhere(~np.broadcast_to(ok, shape))[0])
        try:
            forward(*(float(np.broadcast_to(x, shape)[at]) for x in inputs))
        except (ValueError, ArithmeticError) as error:
            raise type(error)(f"{error} (example {int(at[-1])} of the batch)") from None


def _truediv_array(a, b):
    _raise_like(_truediv, b != 0.0, a, b)
    return a / b


def _pow_array(a, b):
    _raise_like(_pow, ~(((a < 0.0) & (b != np.floor(b))) | ((a == 0.0) & (b < 0.0))), a, b)
    with np.errstate(over="ignore"):
        out = np.power(a, b)
    _raise_like(_pow, np.isfinite(out), a, b)  # overflow: the float forward explains
    return out


def _exp_array(x):
    _raise_like(_exp, x <= 709.78, x)
    return np.exp(x)


def _log_array(x):
    _raise_like(_log_forward, x > 0.0, x)
    return np.log(x)


def _sqrt_array(x):
    _raise_like(_sqrt, x >= 0.0, x)
    return np.sqrt(x)


def _sigmoid_array(x):
    z = np.exp(-np.abs(x))  # as _sigmoid: exp only ever of -|x|
    return np.where(x >= 0.0, 1.0 / (1.0 + z), z / (1.0 + z))


# --- local-gradient rules longer than a line ---------------------------------------


def _pow_grad_at_zero(b: float) -> ZeroDivisionError:
    return ZeroDivisionError(
        f"pow: the gradient b * a^(b-1) is infinite at a=0 for b < 1, got a=0.0, b={b!r}; "
        "keep a away from 0, e.g. (a + 1e-12) ** b.")


UNDEFINED = math.nan  # what a rule returns for a local gradient with no value at a point


def undefined_gradient(op_name: str, input_name: str, inputs: list[float]) -> ValueError:
    """The error every walk raises when a rule reports an UNDEFINED local gradient.

    The walks (backward, the step tracer, gradients of gradients) raise only if that
    gradient is used: a constant's (the 0 of ``x ** 0``) is never asked for in ``grad``.

    >>> print(undefined_gradient("pow", "b", [0.0, 0.0]))     # doctest: +ELLIPSIS
    pow: the local gradient d/db is undefined at inputs [0.0, 0.0] ...
    """
    return ValueError(
        f"{op_name}: the local gradient d/d{input_name} is undefined at inputs {inputs} "
        "(0^b is 1 at b = 0 but 0 for b > 0, and x**x has slope x^x (ln x + 1), which tends "
        "to -inf as x -> 0+); move the point away from 0, e.g. (a + 1e-12) ** b.")


def _pow_grads(a, b, out):
    # NOTE: d(a^b)/db = a^b ln a exists only for a > 0. At a = 0 with b > 0 it is 0
    # (0^b = 0 for every nearby b); at a = 0, b = 0 it is UNDEFINED (0^0 = 1 but 0^b = 0
    # for b > 0): a walk that uses it raises undefined_gradient. For a < 0 (integer b) a^b is
    # not defined for nearby b; we report 0 there, so that x**3 works for x < 0. For
    # b < 1 (b != 0) the slope b * 0^(b-1) is infinite (sqrt'(0)): raise, naming b.
    if isinstance(a, np.ndarray) or isinstance(b, np.ndarray):
        return _pow_grads_elementwise(a, b, out)
    if _data(a) == 0.0 and _data(b) == 0.0:
        return 0.0, UNDEFINED  # a^0 = 1 for every a: its slope in a is 0
    if _data(a) == 0.0 and _data(b) < 1.0:
        raise _pow_grad_at_zero(float(_data(b)))
    d_base = b * a ** (b - 1.0)
    d_exponent = out * _log(a) if a > 0.0 else 0.0
    return d_base, d_exponent


def _pow_grads_elementwise(a, b, out):
    # The same rule, example by example (autograd.compiled): np.where picks per entry.
    both_zero = (a == 0.0) & (b == 0.0)
    if np.any(both_zero):
        raise undefined_gradient("pow", "b", [0.0, 0.0])
    infinite = (a == 0.0) & (b < 1.0) & ~both_zero
    if np.any(infinite):
        raise _pow_grad_at_zero(float(np.broadcast_to(b, infinite.shape)[infinite][0]))
    d_base = np.where(both_zero, 0.0, b * np.where(both_zero, 1.0, a) ** (b - 1.0))
    positive = a > 0.0
    d_exponent = np.where(positive, out * np.log(np.where(positive, a, 1.0)), 0.0)
    return d_base, d_exponent


def _sqrt_grads(x, out):
    # NOTE: 1/(2 sqrt x) is infinite at x = 0: raise rather than spread inf/nan.
    positive = out > 0.0  # a bool, or a bool per example for arrays
    if not (positive.all() if isinstance(positive, np.ndarray) else positive):
        raise ZeroDivisionError("sqrt: the gradient 1/(2*sqrt(x)) is infinite at x=0; "
                                "keep x > 0, e.g. sqrt(x + 1e-12).")
    return (0.5 / out,)


def _abs_grads(x, out):
    # NOTE: |x| has a kink at 0; we use the subgradient 0 there (as PyTorch does).
    return (_where(x > 0.0, 1.0, _where(x < 0.0, -1.0, 0.0)),)


def _leaky_relu_grads(x, slope, out):
    # NOTE: at x = 0 we take the left slope, matching relu'(0) = 0 when slope = 0.
    positive = x > 0.0
    return _where(positive, 1.0, slope), _where(positive, 0.0, x)


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
          array_forward=lambda x: np.where(x > 0.0, x, 0.0))
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
