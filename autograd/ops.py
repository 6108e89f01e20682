"""The one table of primitives: each op's forward and its local gradients, side by side.

Every tool reads this table: ``Value`` arithmetic and ``backward()``, the step tracer,
gradcheck, the renderer and the parser. Adding an op is one row here plus its tests.

A rule ``local_grads(*inputs, out)`` returns d out / d input for each input: the *local*
gradient. The engine multiplies it by the upstream gradient (the chain rule). Rules use
plain arithmetic and the ``_cos``-style helpers below, so the same rule runs on floats
(the fast path) and on Values (``backward(create_graph=True)``, higher-order gradients).

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
    arity: int  # how many parents a node made by this op has
    forward: Callable[..., float]  # input values -> output value
    local_grads: Callable[..., tuple]  # (*inputs, out) -> one local gradient per input
    formulas: tuple[str, ...]  # the same local gradients, written for people
    expression: str  # how a result is written: "{0} * {1}", "tanh({0})"
    inputs: tuple[str, ...] = ("x",)  # the names the formulas use for the inputs
    kinks: tuple[float, ...] = ()  # values of the first input where the slope jumps


# --- helpers that work on floats and on Values alike -------------------------------
# A Value has methods cos/sin/log; a float goes through math. This is what lets one rule
# serve both the float fast path and create_graph=True.


def _cos(x):
    return math.cos(x) if isinstance(x, float) else x.cos()


def _sin(x):
    return math.sin(x) if isinstance(x, float) else x.sin()


def _log(x):
    return math.log(x) if isinstance(x, float) else x.log()


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


# --- local-gradient rules longer than a line ---------------------------------------


def _pow_grads(a, b, out):
    # NOTE: d(a^b)/db = a^b ln a exists only for a > 0. At a = 0 (with b > 0) its limit
    # is 0; for a < 0 (integer b) a^b is not defined for nearby b, so we report 0.
    d_base = b * a ** (b - 1.0)
    d_exponent = out * _log(a) if a > 0.0 else 0.0
    return d_base, d_exponent


def _sqrt_grads(x, out):
    # NOTE: 1/(2 sqrt x) is infinite at x = 0: raise rather than spread inf/nan.
    if not out > 0.0:
        raise ZeroDivisionError("sqrt: the gradient 1/(2*sqrt(x)) is infinite at x=0; "
                                "keep x > 0, e.g. sqrt(x + 1e-12).")
    return (0.5 / out,)


def _abs_grads(x, out):
    # NOTE: |x| has a kink at 0; we use the subgradient 0 there (as PyTorch does).
    return (1.0 if x > 0.0 else -1.0 if x < 0.0 else 0.0,)


def _leaky_relu_grads(x, slope, out):
    # NOTE: at x = 0 we take the left slope, matching relu'(0) = 0 when slope = 0.
    return (1.0, 0.0) if x > 0.0 else (slope, x)


ADD = Op("add", "+", 2, operator.add, lambda a, b, out: (1.0, 1.0),
         ("1", "1"), "{0} + {1}", ("a", "b"))
SUB = Op("sub", "-", 2, operator.sub, lambda a, b, out: (1.0, -1.0),
         ("1", "-1"), "{0} - {1}", ("a", "b"))
MUL = Op("mul", "*", 2, operator.mul, lambda a, b, out: (b, a),
         ("b", "a"), "{0} * {1}", ("a", "b"))
TRUEDIV = Op("truediv", "/", 2, _truediv, lambda a, b, out: (1.0 / b, -out / b),
             ("1/b", "-a/b^2"), "{0} / {1}", ("a", "b"))
NEG = Op("neg", "-", 1, operator.neg, lambda x, out: (-1.0,),
         ("-1",), "-{0}")
POW = Op("pow", "**", 2, _pow, _pow_grads,
         ("b * a^(b-1)", "a^b * ln(a)"), "{0} ** {1}", ("a", "b"))
ABS = Op("abs", "abs", 1, _abs, _abs_grads,
         ("sign(x)",), "abs({0})", kinks=(0.0,))
EXP = Op("exp", "exp", 1, _exp, lambda x, out: (out,),
         ("exp(x)",), "exp({0})")
LOG = Op("log", "log", 1, _log_forward, lambda x, out: (1.0 / x,),
         ("1/x",), "log({0})")
SQRT = Op("sqrt", "sqrt", 1, _sqrt, _sqrt_grads,
          ("1 / (2 sqrt(x))",), "sqrt({0})")
TANH = Op("tanh", "tanh", 1, math.tanh, lambda x, out: (1.0 - out * out,),
          ("1 - tanh(x)^2",), "tanh({0})")
SIGMOID = Op("sigmoid", "σ", 1, _sigmoid, lambda x, out: (out * (1.0 - out),),
             ("sigmoid(x) * (1 - sigmoid(x))",), "sigmoid({0})")
RELU = Op("relu", "ReLU", 1, _relu, lambda x, out: (1.0 if x > 0.0 else 0.0,),
          ("1 if x > 0 else 0",), "relu({0})", kinks=(0.0,))
LEAKY_RELU = Op("leaky_relu", "LReLU", 2, _leaky_relu, _leaky_relu_grads,
                ("1 if x > 0 else slope", "0 if x > 0 else x"),
                "leaky_relu({0}, {1})", ("x", "slope"), kinks=(0.0,))
SIN = Op("sin", "sin", 1, math.sin, lambda x, out: (_cos(x),),
         ("cos(x)",), "sin({0})")
COS = Op("cos", "cos", 1, math.cos, lambda x, out: (-_sin(x),),
         ("-sin(x)",), "cos({0})")

OPS: dict[str, Op] = {op.name: op for op in (
    ADD, SUB, MUL, TRUEDIV, NEG, POW, ABS, EXP, LOG, SQRT,
    TANH, SIGMOID, RELU, LEAKY_RELU, SIN, COS)}
