"""Hypothesis strategies for gradient tests: ours, and yours for your own ops.

``op_inputs("log")`` draws valid inputs for one op; ``values()`` draws finite floats;
``expressions()`` draws random graphs (nodes reused) over the op table, each op kept
inside the well-conditioned part of its domain and away from kinks, so that central
differences are a fair judge.

>>> from hypothesis import given
>>> from chainrule.autograd.gradcheck import gradcheck
>>> @given(expressions(max_ops=5))
... def test_backprop_matches_differences(expression):
...     assert gradcheck(expression, expression.inputs).ok
>>> test_backprop_matches_differences()
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

try:
    from hypothesis import strategies as st
except ImportError as error:  # Hypothesis is an extra: the engine itself runs without it
    raise ImportError(
        "chainrule.autograd.testing needs Hypothesis, which is not installed: "
        "pip install 'chainrule[testing]' (or pip install hypothesis)") from error

from chainrule.autograd.notation import operands
from chainrule.autograd.ops import OPS
from chainrule.autograd.value import Value, apply_op

BIG = 1e6
INF = math.inf
CONDITIONED_GAP = 0.1  # expressions() keeps each op's gap_input this far from its kinks


@dataclass(frozen=True)
class Domain:
    """Where an op's gradient tests draw its inputs: one (low, high) range per input.

    ``gap_input`` (None: no input) is the input kept away from the op's kinks, or from 0
    if it has none (division's divisor): by ``gap`` in ``op_inputs``, by
    ``CONDITIONED_GAP`` in ``expressions``. ``conditioned`` (None: no limit) is one
    (low, high) range per input that ``expressions`` keeps to, where the op's result
    stays well-conditioned for central differences. ``eps`` is the gradcheck step to
    use (None: the default cbrt(machine epsilon)).

    >>> DOMAINS["truediv"].gap_input, DOMAINS["sqrt"].conditioned
    (1, ((0.1, inf),))
    """

    ranges: tuple[tuple[float, float], ...]
    gap: float = 0.0
    gap_input: int | None = None
    conditioned: tuple[tuple[float, float], ...] | None = None
    eps: float | None = None
    note: str = ""


# Each op's test domain, its one row for every strategy here. Ranges are the op's whole
# valid domain, except where the default central difference (step 6e-6 * max(1, |x|))
# stops being a fair judge; the note says what was cut and why. Adding an op: add its
# row here too.
DOMAINS: dict[str, Domain] = {
    "add": Domain(((-BIG, BIG), (-BIG, BIG))),
    "sub": Domain(((-BIG, BIG), (-BIG, BIG))),
    "mul": Domain(((-BIG, BIG), (-BIG, BIG))),
    "truediv": Domain(((-BIG, BIG), (-1e3, 1e3)), gap=1e-2, gap_input=1,
                      note="|b| >= 0.01: a/b's curvature 2a/b^3 swamps the step nearer 0"),
    "neg": Domain(((-BIG, BIG),)),
    "pow": Domain(((0.05, 20.0), (-3.0, 3.0)), conditioned=((0.1, INF), (-3.0, 3.0)),
                  note="positive base (any real exponent); negative bases with integer "
                       "exponents are tested separately"),
    "abs": Domain(((-BIG, BIG),), gap=1e-3, gap_input=0),
    "exp": Domain(((-700.0, 700.0),), conditioned=((-INF, 5.0),), eps=1e-8,
                  note="the whole domain up to overflow; a smaller step keeps the "
                       "difference exact at |x| = 700"),
    "log": Domain(((1e-2, BIG),), conditioned=((0.1, INF),),
                  note="x >= 0.01: log's curvature 2/x^3 swamps the step"),
    "sqrt": Domain(((1e-2, BIG),), conditioned=((0.1, INF),),
                   note="x >= 0.01: the slope is infinite at 0"),
    "tanh": Domain(((-1e3, 1e3),)),
    "sigmoid": Domain(((-1e3, 1e3),)),
    "relu": Domain(((-BIG, BIG),), gap=1e-3, gap_input=0),
    "leaky_relu": Domain(((-BIG, BIG), (0.0, 1.0)), gap=1e-3, gap_input=0),
    "sin": Domain(((-10.0, 10.0),), note="three periods; larger |x| only repeats them"),
    "cos": Domain(((-10.0, 10.0),), note="three periods; larger |x| only repeats them"),
}


def values(low: float = -BIG, high: float = BIG, *, op: str | None = None, index: int = 0,
           gap_from: float | None = None, gap: float = 0.0) -> st.SearchStrategy[float]:
    """Finite floats in [low, high], or in op ``op``'s test domain for input ``index``.

    ``gap_from``/``gap`` keep the floats at least ``gap`` away from one point (a kink).

    >>> values(1.0, 2.0).example() >= 1.0
    True
    >>> values(op="sqrt").example() >= 0.01
    True
    """
    if op is not None:
        return op_inputs(op).map(lambda inputs: inputs[index])
    floats = st.floats(low, high, allow_nan=False, allow_infinity=False)
    if gap_from is None or gap <= 0:
        return floats
    return floats.filter(lambda x: abs(x - gap_from) >= gap)


def op_inputs(name: str) -> st.SearchStrategy[tuple[float, ...]]:
    """One tuple of inputs for op ``name``, inside its test domain (see ``DOMAINS``).

    >>> all(x >= 0.01 for x in op_inputs("log").example())
    True
    """
    domain = _domain(name)
    parts = []
    for position, (low, high) in enumerate(domain.ranges):
        floats = values(low, high)
        if position == domain.gap_input and domain.gap > 0:
            floats = floats.filter(lambda x: _gap(name, x) >= domain.gap)
        parts.append(floats)
    return st.tuples(*parts)


def _domain(name: str) -> Domain:
    if name not in DOMAINS:
        raise ValueError(f"no test domain for op {name!r}; add a row to DOMAINS in "
                         f"autograd/testing.py (known: {', '.join(sorted(DOMAINS))}).")
    return DOMAINS[name]


def _gap(name: str, x: float) -> float:
    """How far ``x`` is from op ``name``'s kinks, or from 0 if it has none (a divisor)."""
    return min(abs(x - kink) for kink in OPS[name].kinks or (0.0,))


@dataclass(frozen=True)
class Expression:
    """A recipe for a random graph: call it on leaves to build the graph again.

    ``steps`` lists (op name, indices of its parents) over the node list
    [leaves..., results...]; the root adds up every result no later step used.

    >>> e = Expression(inputs=(0.5, 2.0), steps=(("mul", (0, 1)), ("tanh", (2,))))
    >>> str(e)
    'tanh(x0 * x1)'
    >>> str(Expression(inputs=(0.5, 2.0), steps=(("sub", (0, 1)), ("neg", (2,)))))
    '-(x0 - x1)'
    >>> round(e(*e.inputs).data, 4)
    0.7616
    """

    inputs: tuple[float, ...]
    steps: tuple[tuple[str, tuple[int, ...]], ...]

    def __call__(self, *leaves: Value | float) -> Value:
        nodes = list(leaves)
        for name, parents in self.steps:
            nodes.append(apply_op(name, *(nodes[i] for i in parents)))
        sinks = [nodes[i] for i in self._sinks()]
        root = sinks[0] if isinstance(sinks[0], Value) else Value(sinks[0])
        for node in sinks[1:]:
            root = root + node
        return root

    def _sinks(self) -> list[int]:
        used = {i for _, parents in self.steps for i in parents}
        n_nodes = len(self.inputs) + len(self.steps)
        sinks = [i for i in range(len(self.inputs), n_nodes) if i not in used]
        return sinks or [n_nodes - 1]

    def __str__(self) -> str:
        texts = [f"x{i}" for i in range(len(self.inputs))]
        for name, parents in self.steps:  # written as the step text writes an op
            texts.append(operands(OPS[name], [texts[i] for i in parents]))
        return " + ".join(texts[i] for i in self._sinks())


def _well_conditioned(name: str, inputs: Sequence[float]) -> bool:
    """Is op ``name`` safe to apply here: inside its domain, off kinks, result moderate?"""
    domain = DOMAINS[name]
    if domain.gap_input is not None and \
            _gap(name, inputs[domain.gap_input]) < CONDITIONED_GAP:
        return False
    if domain.conditioned is not None and not all(
            low <= x <= high for x, (low, high) in zip(inputs, domain.conditioned, strict=True)):
        return False
    try:
        out = OPS[name].forward(*inputs)
    except (ValueError, ZeroDivisionError, OverflowError):
        return False
    return math.isfinite(out) and abs(out) < 1e3


@st.composite
def expressions(draw: st.DrawFn, *, ops: Sequence[str] | None = None, max_inputs: int = 3,
                max_ops: int = 10, twice_differentiable: bool = False) -> Expression:
    """Random graphs over the op table (nodes reused), each op well-conditioned.

    ``ops`` limits the op names; ``twice_differentiable=True`` keeps only ops without
    kinks (no relu, abs, leaky_relu), for second-order tests.

    >>> e = expressions(max_ops=3).example()
    >>> isinstance(e(*e.inputs), Value)
    True
    """
    names = sorted(ops if ops is not None else OPS)
    if twice_differentiable:
        names = [n for n in names if not OPS[n].kinks]
    unknown = set(names) - set(OPS)
    if unknown or not names:
        raise ValueError(f"expressions(ops=...) needs op names from the table, got "
                         f"{sorted(unknown) or names}; known: {', '.join(sorted(OPS))}.")
    for name in names:
        _domain(name)  # each op needs its DOMAINS row: a clear error now, not mid-draw
    n_inputs = draw(st.integers(1, max_inputs))
    data = [draw(values(-2.0, 2.0, gap_from=0.0, gap=0.1)) for _ in range(n_inputs)]
    steps = []
    for _ in range(draw(st.integers(1, max_ops))):
        name = draw(st.sampled_from(names))
        parents = tuple(draw(st.integers(0, len(data) - 1)) for _ in range(OPS[name].arity))
        inputs = [data[i] for i in parents]
        if _well_conditioned(name, inputs):
            steps.append((name, parents))
            data.append(OPS[name].forward(*inputs))
    if not steps:
        steps.append(("add", (0, n_inputs - 1)))
    return Expression(tuple(data[:n_inputs]), tuple(steps))
