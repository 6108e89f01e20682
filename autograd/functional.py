"""Derivatives as functions: grad(f), value_and_grad(f), hessian(f), and grad(grad(f)).

``grad(f)`` is a new function that returns df/dx where ``f`` returns x's value. Called
with plain numbers it gives floats; called with Values (as the outer ``grad`` does in
``grad(grad(f))``) it gives Values with graphs of their own, which can be
differentiated again, to any depth. Every gradient comes from the op table's rules run
on Values (``create_graph``): there is no second table of derivatives.

Convention at kinks: relu, abs and leaky_relu have constant slopes on each side, so
their second derivatives are 0 everywhere, including at the kink itself (relu''(0) = 0),
where the first derivative already uses a fixed choice (relu'(0) = 0, abs'(0) = 0).

>>> from chainrule.autograd import Value
>>> f = lambda x: x ** 3                 # f = x^3
>>> grad(f)(2.0)                         # 3x^2 = 12
12.0
>>> grad(grad(f))(2.0)                   # 6x = 12
12.0
>>> grad(grad(grad(f)))(2.0)             # 6
6.0
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from numbers import Real

from chainrule.autograd.backprop import propagate
from chainrule.autograd.graph import topological_order
from chainrule.autograd.numbers import as_real
from chainrule.autograd.value import Value

Argnums = int | tuple[int, ...]


def gradients(root: Value, wrt: Sequence[Value], create_graph: bool = False) -> list:
    """d root / d w for each w in ``wrt``, as a new list; no ``.grad`` field changes.

    The same chain rule as ``backward()``, walking the graph from the root back, but
    into a private table, and only through nodes that depend on ``wrt``. A w the root
    does not depend on gets 0. With ``create_graph`` each result is a Value whose
    graph can be differentiated again; otherwise a float.

    >>> x, y = Value(2.0), Value(5.0)
    >>> z = x * x * y                        # z = x^2 y
    >>> gradients(z, [x, y])                 # (2xy, x^2)
    [20.0, 4.0]
    >>> dz_dx = gradients(z, [x], create_graph=True)[0]
    >>> gradients(dz_dx, [x, y])             # d(2xy)/dx = 2y, d(2xy)/dy = 2x
    [10.0, 4.0]
    >>> x.grad                               # untouched
    0.0
    """
    if not isinstance(root, Value):
        raise TypeError(f"gradients needs a Value as root, got {type(root).__name__} "
                        f"{root!r}; pass the Value you want to differentiate.")
    if isinstance(wrt, Value) or not all(isinstance(w, Value) for w in wrt):
        raise TypeError(f"gradients needs wrt as a list of Values, got {wrt!r}; "
                        "pass e.g. [x] or [x, y].")
    order = topological_order(root)
    grads = propagate(order, create_graph=create_graph, needed=_depends_on(order, wrt))
    results = [grads.get(w, 0.0) for w in wrt]
    if create_graph:  # a constant gradient becomes a leaf Value, so it can be used again
        results = [g if isinstance(g, Value) else Value(g) for g in results]
    return results


def _depends_on(order: list[Value], wrt: Sequence[Value]) -> set[Value]:
    """The nodes of ``order`` that are in ``wrt`` or have a parent that depends on it."""
    needed = set(wrt)
    for node in order:  # parents come first, so one forward pass suffices
        if any(parent in needed for parent in node.parents):
            needed.add(node)
    return needed


def grad(f: Callable[..., Value], argnums: Argnums = 0) -> Callable:
    """The gradient of scalar ``f`` as a function: grad(f)(x) = df/dx at x.

    ``argnums`` picks the argument(s) to differentiate: an int gives one gradient, a
    tuple gives a tuple. Plain-number arguments give floats; if any argument is a Value
    the gradients are Values connected to it, so ``grad(grad(f))`` works to any depth.

    >>> f = lambda x, y: x * y + y.sin()     # df/dx = y, df/dy = x + cos y
    >>> grad(f)(2.0, 0.0)
    0.0
    >>> grad(f, argnums=(0, 1))(2.0, 0.0)    # (0, 2 + cos 0)
    (0.0, 3.0)
    """
    positions = _check_argnums(argnums)

    def gradient(*args: float | Value) -> float | Value | tuple:
        _, grads = _value_and_gradients(f, args, positions, "grad")
        return grads[0] if isinstance(argnums, int) else tuple(grads)

    return gradient


def value_and_grad(f: Callable[..., Value], argnums: Argnums = 0) -> Callable:
    """Like ``grad``, but returns ``(f(x), gradient)`` from one forward and backward pass.

    >>> value, slope = value_and_grad(lambda x: x.exp() * 3)(0.0)
    >>> value, slope                          # 3 e^0 = 3, d/dx 3 e^x = 3
    (3.0, 3.0)
    """
    positions = _check_argnums(argnums)

    def value_and_gradient(*args: float | Value) -> tuple:
        value, grads = _value_and_gradients(f, args, positions, "value_and_grad")
        return value, grads[0] if isinstance(argnums, int) else tuple(grads)

    return value_and_gradient


def hessian(f: Callable[..., Value]) -> Callable[..., list[list]]:
    """The matrix of second derivatives of scalar ``f`` in all its arguments.

    hessian(f)(x0, x1, ...)[i][j] = d²f / dx_i dx_j, as a nested list (floats for
    plain-number arguments, Values if any argument is a Value). Row i is the gradient
    of df/dx_i, computed by a second backward pass through the first one's graph.

    >>> f = lambda x, y: x * x * y + y ** 3   # f = x^2 y + y^3
    >>> hessian(f)(1.0, 2.0)                  # [[2y, 2x], [2x, 6y]]
    [[4.0, 2.0], [2.0, 12.0]]
    """

    def hessian_at(*args: float | Value) -> list[list]:
        positions = tuple(range(len(args)))
        if not args:
            raise ValueError("hessian(f) needs at least one argument; call e.g. "
                             "hessian(f)(1.0, 2.0).")
        nested, leaves = _leaves(args, positions, "hessian")
        wrt = [leaves[i] for i in positions]
        first = gradients(call_scalar(f, leaves, "hessian"), wrt, create_graph=True)
        return [gradients(row, wrt, create_graph=nested) for row in first]

    return hessian_at


def _check_argnums(argnums: Argnums) -> tuple[int, ...]:
    positions = (argnums,) if isinstance(argnums, int) else argnums
    if (not isinstance(positions, tuple) or not positions
            or not all(isinstance(i, int) and not isinstance(i, bool) for i in positions)):
        raise TypeError(f"argnums must be an int or a non-empty tuple of ints, got "
                        f"{argnums!r}; e.g. argnums=0 or argnums=(0, 1).")
    return positions


def _value_and_gradients(f, args, positions, name) -> tuple:
    nested, leaves = _leaves(args, positions, name)
    positions = [i % len(args) for i in positions]
    out = call_scalar(f, leaves, name)
    grads = gradients(out, [leaves[i] for i in positions], create_graph=nested)
    return (out if nested else out.data), grads


def _leaves(args: tuple, positions: Sequence[int], name: str) -> tuple[bool, list]:
    """The arguments for f: the ones to differentiate as Values of their own.

    Other number arguments become constant leaves; anything else (data, a model) is
    passed on as it is.

    NOTE: each Value argument is passed to f as ``x + 0.0``, a node of its own, so the
    gradient is a partial derivative in that argument alone, even if f also reaches
    the same Value some other way (a closure, or the same x passed twice): grad(lambda
    x: grad(lambda y: x * y)(x))(2.0) is d/dx of x, 1, not 2 ("perturbation confusion").
    """
    for i in positions:
        if not -len(args) <= i < len(args):
            raise ValueError(f"{name}: argnums asks for argument {i}, but f was called "
                             f"with {len(args)} argument(s); use a position in 0.."
                             f"{len(args) - 1} or pass more arguments.")
    nested = any(isinstance(a, Value) for a in args)
    chosen = {i % len(args) for i in positions}
    leaves = list(args)
    for i, x in enumerate(args):
        if isinstance(x, Value):
            leaves[i] = x + 0.0 if i in chosen else x
        elif i in chosen or (isinstance(x, Real) and not isinstance(x, bool)):
            leaves[i] = Value(as_real(x, f"{name} argument {i}"))
    return nested, leaves


def call_scalar(f: Callable[..., Value], args: Sequence, name: str) -> Value:
    """``f(*args)``, checked to be one Value; ``name`` (the caller) starts any error.

    The one check for grad, hessian and gradcheck, so their messages match.

    >>> from chainrule.autograd import Value
    >>> call_scalar(lambda x: x * 2, [Value(3.0)], "grad").data
    6.0
    >>> call_scalar(lambda x: 3.0, [Value(1.0)], "gradcheck")   # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    TypeError: gradcheck: f must return a Value computed from its arguments, got float 3.0; ...
    """
    out = f(*args)
    if isinstance(out, Value):
        return out
    if isinstance(out, (list, tuple)) or getattr(out, "ndim", 0):
        raise TypeError(f"{name}: f must return one scalar Value, got a {type(out).__name__} "
                        f"of {len(out)} items; reduce it to one number first (e.g. sum"
                        f" of the items), or differentiate each item separately.")
    raise TypeError(f"{name}: f must return a Value computed from its arguments, got "
                    f"{type(out).__name__} {out!r}; build the result from the Values f "
                    "receives (a constant has gradient 0: return x * 0 + c).")
