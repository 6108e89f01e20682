"""Why a learner's engine disagrees with ours, said the way a teacher would.

``diagnose`` takes the smallest graph on which their numbers differ and tries, in order:
1. each node's op alone, at that node's inputs: a wrong forward or local gradient, or a
   reflected operator (``2 - a``) that swaps its operands;
2. the order in which their ``backward()`` calls each node's ``_backward`` (micrograd's
   convention): a node visited twice, or before a node that uses it;
3. each op with its operand used twice (``a + a``, ``tanh(a) + a``): ``grad = ...``
   where ``grad += ...`` belongs, so a node used twice keeps one contribution.

>>> from chainrule.autograd import Value
>>> recipe = Recipe((0.5,), ((Form("tanh", "a"), (0,)),))
>>> diagnose(Value, recipe) is None          # our own engine: nothing to say
True
"""

from __future__ import annotations

from chainrule.autograd.engine_forms import (
    PROBE_CONSTANT,
    PROBE_POINT,
    REPEATS,
    Form,
    Outcome,
    Recipe,
    agree,
    close,
    run,
)
from chainrule.autograd.ops import OPS, Op
from chainrule.autograd.steps import number
from chainrule.autograd.value import Value


def diagnose(value_class: type, recipe: Recipe) -> str | None:
    """The first cause found for ``recipe``'s mismatch on ``value_class``, or None.

    >>> class Halves(Value):                 # a wrong rule: tanh' taken as half of ours
    ...     def tanh(self):
    ...         return Value.tanh(self) * 0.5 + Value.tanh(self).data * 0.5
    >>> print(diagnose(Halves, Recipe((0.0,), ((Form("tanh", "a"), (0,)),))))
    ... # doctest: +ELLIPSIS
    the local gradient of tanh(a) is wrong: at a=0.0 yours gives d/da = 0.5, ours 1.0 ...
    """
    return (_wrong_rule(value_class, recipe) or _walk_order(value_class, recipe)
            or _overwritten_grad(value_class, recipe))


def _wrong_rule(value_class: type, recipe: Recipe) -> str | None:
    data = [float(node.data) for node in recipe.build(Value)]
    for form, operands in recipe.steps:
        leaves = tuple(data[o] for o in operands if isinstance(o, int))
        alone = Recipe(leaves, ((form, _fresh_leaves(operands)),))
        theirs, ours = run(alone, value_class), run(alone, Value)
        if not agree(theirs, ours):
            return _rule_message(form, alone, theirs, ours)
    return None


def _fresh_leaves(operands: tuple[int | float, ...]) -> tuple[int | float, ...]:
    """The same operands with each node replaced by a leaf of its own: 0, 1, ..."""
    count = iter(range(len(operands)))
    return tuple(next(count) if isinstance(o, int) else o for o in operands)


def _rule_message(form: Form, alone: Recipe, theirs: Outcome, ours: Outcome) -> str:
    names = [side for side in form.sides if side != "2"]
    values = zip(names, alone.inputs, strict=True)
    point = "at " + ", ".join(f"{name}={number(x)}" for name, x in values)
    if theirs.error is not None:
        return f"{point} your {form.text} raises {theirs.error}; check {form.method}"
    if not close(theirs.root, ours.root):
        return _forward_message(form, alone, point, theirs.root, ours.root)
    op = OPS[form.op]
    inputs = [k for k, side in enumerate(form.sides) if side != "2"]
    for name, k, mine, right in zip(names, inputs, theirs.grads, ours.grads, strict=True):
        if not close(mine, right):
            return (f"the local gradient of {form.text} is wrong: {point}"
                    f" yours gives d/d{name} = {number(mine)}, ours {number(right)} (the "
                    f"rule: d{_wrapped(op)}/d{op.inputs[k]} = {op.formulas[k]}); check the "
                    f"_backward that {form.method} sets")
    return f"{point} your {form.text} disagrees with ours; check {form.method}"


def _wrapped(op: Op) -> str:
    """``tanh(x)`` as it is, ``a - b`` in parentheses: what d(...)/dx differentiates."""
    text = op.expression.format(*op.inputs)
    return f" {text}" if " " not in text else f"({text})"


def _forward_message(form: Form, alone: Recipe, point: str, mine: float,
                     right: float) -> str:
    text = f"{point} your {form.text} gives {number(mine)}, ours {number(right)}"
    if form.sides == "2a":
        constant = next(o for o in alone.steps[0][1] if not isinstance(o, int))
        swapped = OPS[form.op].forward(alone.inputs[0], constant)
        if close(mine, swapped):
            backwards = OPS[form.op].expression.format("a", f"{constant:g}")
            return (f"{form.method} swaps its operands: {text}, which is {backwards}. "
                    f"Python runs {form.text} as a.{form.method}(2): self is a, other is 2, "
                    f"so compute other {OPS[form.op].symbol} self")
    return f"the forward of {form.text} is wrong: {text}; check {form.method}"


def _walk_order(value_class: type, recipe: Recipe) -> str | None:
    """Spy on each node's ``_backward`` while their ``backward()`` runs (micrograd style).

    A walk over sets (micrograd's ``_prev``) may change order from run to run: it is
    watched a few times."""
    for _ in range(REPEATS):
        calls = _backward_calls(value_class, recipe)
        if calls is None:
            return None  # no _backward per node: this engine walks some other way
        problem = _order_problem(recipe, calls)
        if problem:
            return problem
    return None


def _backward_calls(value_class: type, recipe: Recipe) -> list[int] | None:
    """Positions of the nodes whose ``_backward`` ran, in the order they ran."""
    nodes = recipe.build(value_class)
    calls: list[int] = []
    try:
        for position in range(len(recipe.inputs), len(nodes)):
            _spy(nodes[position], position, calls)
        nodes[-1].backward()
    except Exception:  # noqa: BLE001  (their code; _wrong_rule reports its errors)
        return None
    return calls


def _order_problem(recipe: Recipe, calls: list[int]) -> str | None:
    first = len(recipe.inputs)
    texts = {position: "{} ({})".format(*line.split(" = ", 1))
             for position, line in enumerate(recipe.node_lines(), first)}
    twice = next((p for p in calls if calls.count(p) > 1), None)
    if twice is not None:
        return (f"backward() runs the _backward of {texts[twice]} {calls.count(twice)} "
                "times, so every gradient below it is added more than once: the "
                "topological sort visits a node reached by two paths twice. Keep a set "
                "of visited nodes and add each node to the order once")
    for when, position in enumerate(calls):
        later = [user for user in _users(recipe, position) if user not in calls[:when]]
        if later:
            return (f"backward() runs the _backward of {texts[position]} before that of "
                    f"{texts[later[0]]}, which uses it: its grad is passed on before it "
                    "has every contribution, so the result depends on the call order. "
                    "Run each node after every node that uses it: build a topological "
                    "order (parents before the node) and walk it reversed")
    return None


def _spy(node: object, position: int, calls: list[int]) -> None:
    original = node._backward

    def recorded() -> None:
        calls.append(position)
        original()

    node._backward = recorded


def _users(recipe: Recipe, position: int) -> list[int]:
    """Positions of the nodes whose operands include node ``position`` (sums included)."""
    first = len(recipe.inputs)
    users = [first + i for i, (_, operands) in enumerate(recipe.steps)
             if any(isinstance(o, int) and o == position for o in operands)]
    sinks = recipe.sinks()
    n_steps = first + len(recipe.steps)
    for k in range(1, len(sinks)):  # sum k (at n_steps + k - 1) = sum k-1 + sinks[k]
        previous = sinks[0] if k == 1 else n_steps + k - 2
        if position in (previous, sinks[k]):
            users.append(n_steps + k - 1)
    return users


def _overwritten_grad(value_class: type, recipe: Recipe) -> str | None:
    add = Form("add", "ab")
    point = PROBE_POINT[0]  # inside every op's domain
    for form in dict.fromkeys([add] + [form for form, _ in recipe.steps]):
        shared = tuple(PROBE_CONSTANT if side == "2" else 0 for side in form.sides)
        steps = ((form, shared),) if form == add else ((form, shared), (add, (1, 0)))
        twice = Recipe((point,), steps)
        theirs, ours = run(twice, value_class), run(twice, Value)
        if not agree(theirs, ours):
            mine = number(theirs.grads[0]) if theirs.grads else theirs.error
            return (f"a node used twice keeps only one of its contributions: "
                    f"{twice.formula()} alone at x0={number(point)} gives your x0.grad = "
                    f"{mine}, ours {number(ours.grads[0])}. The _backward of {form.method} "
                    "sets grad = ... where it must add to it (grad += ...)")
    return None
