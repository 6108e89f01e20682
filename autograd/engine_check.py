"""Check a learner's own engine (a micrograd-style Value class) against chainrule's.

``check_engine(Value)`` finds which ops the class supports, builds random graphs from them
(Hypothesis: shared nodes, reused leaves, numbers on either side, deep chains), runs
each on their class and on ours, calls their ``backward()`` and compares the root's value
and every leaf's grad. On a mismatch, Hypothesis shrinks the graph to the smallest one
that still fails, and the report says which rule or which part of the walk is wrong.

>>> from chainrule.autograd import Value
>>> report = check_engine(Value, n_graphs=20)
>>> report.ok
True
>>> print(report)                                  # doctest: +ELLIPSIS
check-engine passed: chainrule.autograd.value.Value agrees with chainrule on 20 random graphs
found ... forms: a + b, a + 2, 2 + a, a - b, ...
"""

from __future__ import annotations

import functools

from chainrule.autograd.engine_diagnosis import diagnose
from chainrule.autograd.engine_forms import (
    REPEATS,
    Form,
    Outcome,
    Recipe,
    agree,
    all_forms,
    run,
    supported_forms,
)
from chainrule.autograd.engine_report import EngineReport, LeafGrads, Mismatch
from chainrule.autograd.ops import OPS
from chainrule.autograd.testing import CONDITIONED_GAP, _well_conditioned, st, values
from chainrule.autograd.value import Value
from hypothesis import HealthCheck, Phase, Verbosity, assume, given, settings

DEFAULT_GRAPHS = 200
CONSTANTS = (2.0, -1.0, 0.5, 3.0, -2.0, 1.5)  # numbers beside a Value: a * 2, 2 - a
EXPONENTS = (2.0, 3.0, -1.0, 0.5)  # a ** 2, as micrograd's __pow__ takes them


@st.composite
def graphs(draw: st.DrawFn, forms: tuple[Form, ...], *, max_inputs: int = 3,
           max_steps: int = 8) -> Recipe:
    """Random graphs from ``forms``: each operand a leaf or an earlier result (often the
    latest, for deep chains) or a number, each op well-conditioned where it is applied.

    >>> recipe = graphs((Form("mul", "ab"), Form("tanh", "a"))).example()
    >>> len(recipe.steps) >= 1
    True
    """
    n_inputs = draw(st.integers(1, max_inputs))
    data = [draw(_LEAF_VALUES) for _ in range(n_inputs)]
    pick_form = st.sampled_from(forms)
    steps = []
    for _ in range(draw(st.integers(1, max_steps))):
        form = draw(pick_form)
        operands = tuple(_operand(draw, form, side, len(data)) for side in form.sides)
        inputs = [data[o] if isinstance(o, int) else o for o in operands]
        if _fits(form.op, inputs):
            steps.append((form, operands))
            data.append(OPS[form.op].forward(*inputs))
    assume(steps)
    return Recipe(tuple(data[:n_inputs]), tuple(steps), fold=Form("add", "ab") in forms)


# Strategies are built once: building one inside every draw costs more than the draw.
_LEAF_VALUES = values(-2.0, 2.0, gap_from=0.0, gap=0.1)
_CONSTANTS = st.sampled_from(CONSTANTS)
_EXPONENTS = st.sampled_from(EXPONENTS)


@functools.cache
def _node_positions(n_nodes: int) -> st.SearchStrategy[int]:
    # Any earlier node, or the latest one: half the operands extend a chain.
    return st.one_of(st.integers(0, n_nodes - 1), st.just(n_nodes - 1))


def _operand(draw: st.DrawFn, form: Form, side: str, n_nodes: int) -> int | float:
    if side == "2":
        return draw(_EXPONENTS if form.op == "pow" else _CONSTANTS)
    return draw(_node_positions(n_nodes))


def _fits(name: str, inputs: list[float]) -> bool:
    if name == "pow" and inputs[1].is_integer():
        # NOTE: an integer power of a negative base is fine (x ** 2 at x = -1.5); the
        # positive-base limit of the test domain is for real exponents.
        return abs(inputs[0]) >= CONDITIONED_GAP and abs(OPS[name].forward(*inputs)) < 1e3
    return _well_conditioned(name, inputs)


class _Disagreement(Exception):
    """Raised inside the Hypothesis test so that it shrinks the graph."""


def check_engine(value_class: type, *, n_graphs: int = DEFAULT_GRAPHS, max_inputs: int = 3,
                 max_steps: int = 8) -> EngineReport:
    """Run ``n_graphs`` random graphs through ``value_class`` and through chainrule.

    ``value_class`` is built like micrograd's: ``Value(0.5)`` has ``.data``, ``.grad``
    and ``backward()``. Only its own operators and methods are called.

    >>> check_engine(Value, n_graphs=5).n_graphs
    5
    """
    _check_value_class(value_class)
    for option, given_value in (("n_graphs", n_graphs), ("max_inputs", max_inputs),
                                ("max_steps", max_steps)):
        if isinstance(given_value, bool) or not isinstance(given_value, int) or given_value < 1:
            raise ValueError(f"check_engine needs {option} >= 1 (a whole number), got "
                             f"{given_value!r}.")
    forms = supported_forms(value_class)
    name = f"{value_class.__module__}.{value_class.__qualname__}"
    found = tuple(form.text for form in forms)
    missing = tuple(form.text for form in all_forms() if form not in forms)
    failure = _sum_failure(value_class, forms)
    if failure is not None:
        return EngineReport(name, found, missing, 0, failure)
    if not forms:
        raise TypeError(f"{name} builds none of the forms chainrule checks "
                        f"({', '.join(missing)}); give it at least __add__ or __mul__.")
    tried, failing = _search(value_class, forms, n_graphs, max_inputs, max_steps)
    return EngineReport(name, found, missing, tried,
                        None if failing is None else _mismatch(value_class, failing))


def _search(value_class: type, forms: tuple[Form, ...], n_graphs: int, max_inputs: int,
            max_steps: int) -> tuple[int, Recipe | None]:
    """Hypothesis's search: how many graphs ran (up to the first failure), and the
    smallest failing graph, or None."""
    tried, failing, first_failure = [], [], []

    @settings(max_examples=n_graphs, derandomize=True, database=None, deadline=None,
              verbosity=Verbosity.quiet, report_multiple_bugs=False,
              phases=(Phase.generate, Phase.shrink), suppress_health_check=list(HealthCheck))
    @given(graphs(forms, max_inputs=max_inputs, max_steps=max_steps))
    def same_numbers(recipe: Recipe) -> None:
        tried.append(recipe)
        if not agree(run(recipe, value_class), run(recipe, Value)):
            first_failure.append(len(tried))
            failing.append(recipe)
            raise _Disagreement

    try:
        same_numbers()
    except Exception:  # noqa: BLE001  (_Disagreement, or Flaky: their engine varies)
        if not failing:
            raise
    # The last failing graph is the shrunk one: Hypothesis replays it at the end.
    if not failing:
        return len(tried), None
    return first_failure[0], failing[-1]


def _mismatch(value_class: type, recipe: Recipe) -> Mismatch:
    recipe = recipe.used_leaves_only()
    ours = run(recipe, Value)
    theirs = _failing_run(value_class, recipe, ours)
    grads = theirs.grads or (None,) * len(recipe.inputs)
    leaves = tuple(LeafGrads(f"x{i}", x, mine, right) for i, (x, mine, right)
                   in enumerate(zip(recipe.inputs, grads, ours.grads, strict=True)))
    diagnosis = diagnose(value_class, recipe) or (
        "every op alone is right and the walk looks right from outside; compare your "
        "gradients with the step trace below, node by node")
    return Mismatch(recipe.formula(), theirs.root, ours.root, leaves, theirs.error, diagnosis,
                    tuple(recipe.node_lines()) if recipe.shares_a_result() else ())


def _failing_run(value_class: type, recipe: Recipe, ours: Outcome) -> Outcome:
    # An engine that walks a set (micrograd's _prev) may visit nodes in another order on
    # each run: show a run that fails, as the search saw one.
    for _ in range(REPEATS - 1):
        theirs = run(recipe, value_class)
        if not agree(theirs, ours):
            return theirs
    return run(recipe, value_class)


def _sum_failure(value_class: type, forms: tuple[Form, ...]) -> Mismatch | None:
    """sum() starts from 0, so 0 + a must work: a missing __radd__ breaks every neuron."""
    if Form("add", "ab") not in forms:
        return None
    inputs = (0.7, 1.3)
    try:
        sum(value_class(x) for x in inputs)
        return None
    except Exception as error:  # noqa: BLE001  (their class: any error is the finding)
        raised = f"{type(error).__name__}: {error}"
    recipe = Recipe(inputs, ((Form("add", "2a"), (0.0, 0)), (Form("add", "ab"), (2, 1))))
    ours = run(recipe, Value)
    leaves = tuple(LeafGrads(f"x{i}", x, None, g)
                   for i, (x, g) in enumerate(zip(inputs, ours.grads, strict=True)))
    return Mismatch(recipe.formula(), None, ours.root, leaves, raised,
                    "sum([x0, x1]) fails: sum() starts from 0 and computes 0 + x0, which "
                    "Python runs as x0.__radd__(0) once int + Value has failed; your class "
                    "has no working __radd__. Add: def __radd__(self, other): return self + other")


def _check_value_class(value_class: type) -> None:
    problem = None
    if not isinstance(value_class, type):
        problem = f"got {value_class!r}, which is not a class"
    else:
        try:
            leaf = value_class(0.5)
            if float(leaf.data) != 0.5 or not callable(leaf.backward) or leaf.grad is None:
                problem = f"{value_class.__name__}(0.5) has .data {leaf.data!r}"
        except Exception as error:  # noqa: BLE001  (their constructor)
            problem = f"{value_class.__name__}(0.5) raised {type(error).__name__}: {error}"
    if problem:
        raise TypeError(f"check_engine needs a Value class built like micrograd's: "
                        f"Value(0.5) with .data 0.5, .grad and backward(); {problem}.")
