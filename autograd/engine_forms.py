"""Driving someone else's Value class: the ways an op can be written, which ones a class
supports, and a recipe that builds the same graph on any Value class, theirs or ours.

Only the class's own operators and methods are ever called (``a + 2``, ``a.tanh()``,
``root.backward()``); no text is evaluated.

>>> from chainrule.autograd import Value
>>> [form.text for form in supported_forms(Value)][:4]
['a + b', 'a + 2', '2 + a', 'a - b']
>>> recipe = Recipe((0.5, 2.0), ((Form("mul", "ab"), (0, 1)), (Form("tanh", "a"), (2,))))
>>> recipe.formula()
'tanh(x0 * x1)'
>>> outcome = run(recipe, Value)
>>> round(outcome.root, 4), round(outcome.grads[1], 4)   # tanh(1), 0.5 (1 - tanh(1)^2)
(0.7616, 0.21)
"""

from __future__ import annotations

import operator
from collections.abc import Callable
from dataclasses import dataclass

from chainrule.autograd.ops import OPS

ATOL, RTOL = 1e-8, 1e-6  # gradcheck's default tolerances
PROBE_POINT = (0.7, 1.3)  # a and b while probing: inside every op's domain
PROBE_CONSTANT = 2.0
REPEATS = 10  # runs of a failing graph, to see a failure again (set order may vary)
# Python's operator for each op symbol typed between two operands: a + b, a ** 2.
OPERATORS: dict[str, Callable[..., object]] = {
    "+": operator.add, "-": operator.sub, "*": operator.mul, "/": operator.truediv,
    "**": operator.pow}
# Ops left out, and why: the slope of leaky_relu has no agreed default between engines.
SKIPPED = {"leaky_relu"}


@dataclass(frozen=True, slots=True)
class Form:
    """One way to write an op: ``sides`` tells which operands are Values (a, b) and
    which a plain number (2): "ab" for a * b, "a2" for a * 2, "2a" for 2 * a, "a" for tanh(a).

    >>> Form("sub", "2a").text, Form("sub", "2a").method
    ('2 - a', '__rsub__')
    >>> Form("tanh", "a").method, Form("neg", "a").method
    ('tanh', '__neg__')
    """

    op: str
    sides: str

    @property
    def text(self) -> str:
        return OPS[self.op].expression.format(*self.sides)

    @property
    def method(self) -> str:
        """The method of the learner's class that this form calls."""
        if self.sides == "2a":
            return f"__r{self.op}__"
        if OPS[self.op].symbol in OPERATORS or self.op in ("neg", "abs"):
            return f"__{self.op}__"
        return self.op

    def apply(self, *operands: object) -> object:
        op = OPS[self.op]
        if op.arity == 2:
            return OPERATORS[op.symbol](*operands)
        if self.op == "neg":
            return -operands[0]
        if self.op == "abs":
            return abs(operands[0])
        return getattr(operands[0], self.op)()


def all_forms() -> tuple[Form, ...]:
    """Every form of every op in the table: operators three ways (a ** b only with a
    number as exponent, as micrograd has it), functions as methods (a.tanh()).

    >>> [form.text for form in all_forms()][:4]
    ['a + b', 'a + 2', '2 + a', 'a - b']
    """
    forms = []
    for name, op in OPS.items():
        if name in SKIPPED:
            continue
        if op.arity == 1:
            forms.append(Form(name, "a"))
        else:
            forms += [Form(name, sides) for sides in ("ab", "a2", "2a")
                      if name != "pow" or sides == "a2"]
    return tuple(forms)


def supported_forms(value_class: type) -> tuple[Form, ...]:
    """The forms ``value_class`` can build: each is tried once at a = 0.7, b = 1.3, 2.

    >>> from chainrule.autograd import Value
    >>> supported_forms(Value) == all_forms()   # chainrule's Value has every form
    True
    """
    return tuple(form for form in all_forms() if _builds(value_class, form))


def _builds(value_class: type, form: Form) -> bool:
    operands = [PROBE_CONSTANT if side == "2" else value_class(x)
                for side, x in zip(form.sides, PROBE_POINT[:len(form.sides)], strict=True)]
    try:
        return isinstance(float(form.apply(*operands).data), float)
    except Exception:  # noqa: BLE001  (their code may raise anything: the form is missing)
        return False


@dataclass(frozen=True, slots=True)
class Recipe:
    """A graph written down: the leaves' values, then one (form, operands) per node.

    An operand is an int, the position of a node (leaves first, then results), or a
    float, a plain number. ``fold`` adds up every result no later step used (a + b);
    otherwise the last result is the root.

    >>> Recipe((1.5,), ((Form("sub", "2a"), (2.0, 0)),)).formula()
    '2 - x0'
    """

    inputs: tuple[float, ...]
    steps: tuple[tuple[Form, tuple[int | float, ...]], ...]
    fold: bool = False

    def sinks(self) -> list[int]:
        """Positions of the nodes the root adds up."""
        n_nodes = len(self.inputs) + len(self.steps)
        if not self.fold:
            return [n_nodes - 1]
        used = {o for _, operands in self.steps for o in operands if isinstance(o, int)}
        return [i for i in range(len(self.inputs), n_nodes) if i not in used] or [n_nodes - 1]

    def build(self, value_class: type) -> list:
        """Every node on ``value_class``: leaves, results, then the sums; the root is last."""
        nodes = [value_class(x) for x in self.inputs]
        for form, operands in self.steps:
            nodes.append(form.apply(*(nodes[o] if isinstance(o, int) else o for o in operands)))
        sinks = self.sinks()
        root = nodes[sinks[0]]
        for i in sinks[1:]:
            root = root + nodes[i]
            nodes.append(root)
        return nodes

    def texts(self) -> list[str]:
        """Each node written as a formula over the leaves x0, x1, ...; the root is last."""
        texts = [f"x{i}" for i in range(len(self.inputs))]
        for form, operands in self.steps:
            inner = [_operand_text(o, texts, OPS[form.op].expression) for o in operands]
            texts.append(OPS[form.op].expression.format(*inner))
        sinks = self.sinks()
        for count in range(2, len(sinks) + 1):
            texts.append(" + ".join(_operand_text(i, texts, "{0} + {1}") for i in sinks[:count]))
        return texts

    def formula(self) -> str:
        return self.texts()[-1]

    def node_lines(self) -> list[str]:
        """Each result as ``name = op(operand names)``, results n1, n2, ..., the root ``out``.

        >>> steps = ((Form("tanh", "a"), (0,)), (Form("mul", "ab"), (1, 1)))
        >>> Recipe((0.5,), steps).node_lines()
        ['n1 = tanh(x0)', 'out = n1 * n1']
        """
        first, sinks = len(self.inputs), self.sinks()
        names = [f"x{i}" for i in range(first)]
        names += [f"n{k}" for k in range(1, len(self.steps) + len(sinks))]
        names[-1] = "out"
        lines = []
        for position, (form, operands) in enumerate(self.steps, start=first):
            inner = [f"{o:g}" if not isinstance(o, int) else names[o] for o in operands]
            lines.append(f"{names[position]} = {OPS[form.op].expression.format(*inner)}")
        total = names[sinks[0]]
        for position, i in enumerate(sinks[1:], start=first + len(self.steps)):
            lines.append(f"{names[position]} = {total} + {names[i]}")
            total = names[position]
        return lines

    def shares_a_result(self) -> bool:
        """Is a result used twice? A formula writes it out twice; ``node_lines`` shows it once."""
        used = [o for _, operands in self.steps for o in operands if isinstance(o, int)]
        used += self.sinks()
        first = len(self.inputs)
        return any(used.count(i) > 1 for i in range(first, first + len(self.steps)))

    def used_leaves_only(self) -> Recipe:
        """The same graph without the leaves no node uses, the others renumbered.

        >>> Recipe((1.0, 2.0), ((Form("tanh", "a"), (1,)),)).used_leaves_only().formula()
        'tanh(x0)'
        """
        first = len(self.inputs)
        used = sorted({o for _, ops in self.steps for o in ops if isinstance(o, int) and o < first})
        new = {old: i for i, old in enumerate(used)}
        shift = first - len(used)
        steps = tuple((form, tuple(o if not isinstance(o, int) else new[o] if o < first
                                   else o - shift for o in operands))
                      for form, operands in self.steps)
        return Recipe(tuple(self.inputs[i] for i in used), steps, self.fold)


def _operand_text(operand: int | float, texts: list[str], expression: str) -> str:
    if not isinstance(operand, int):
        return f"{operand:g}"
    text = texts[operand]
    inside_call = expression.endswith("({0})")  # tanh(...) needs no more parentheses
    return text if inside_call or _is_atom(text) else f"({text})"


def _is_atom(text: str) -> bool:
    """A name, or one call such as tanh(x0 * x1): safe next to any operator."""
    name, paren, _ = text.partition("(")
    if not paren:
        return text.isidentifier()
    depth = 0
    for position, char in enumerate(text):
        depth += {"(": 1, ")": -1}.get(char, 0)
        if depth == 0 and position >= len(name):
            return name.isidentifier() and position == len(text) - 1
    return False


@dataclass(frozen=True, slots=True)
class Outcome:
    """One engine's numbers for one recipe: the root's value and each leaf's grad, or the
    error their code raised (then ``root`` is None)."""

    root: float | None
    grads: tuple[float, ...]
    error: str | None = None


def run(recipe: Recipe, value_class: type) -> Outcome:
    """Build ``recipe`` on ``value_class``, call the root's ``backward()``, read the numbers.

    >>> from chainrule.autograd import Value
    >>> run(Recipe((3.0,), ((Form("mul", "ab"), (0, 0)),)), Value)   # x*x: 9, 2x = 6
    Outcome(root=9.0, grads=(6.0,), error=None)
    """
    try:
        nodes = recipe.build(value_class)
        nodes[-1].backward()
        return Outcome(float(nodes[-1].data),
                       tuple(float(leaf.grad) for leaf in nodes[:len(recipe.inputs)]))
    except Exception as error:  # noqa: BLE001  (their code: any error is a finding)
        return Outcome(None, (), f"{type(error).__name__}: {error}")


def close(theirs: float | None, ours: float) -> bool:
    """Within gradcheck's tolerances: |theirs - ours| <= 1e-8 + 1e-6 |ours|.

    >>> close(1.0000001, 1.0), close(1.01, 1.0), close(None, 1.0)
    (True, False, False)
    """
    return theirs is not None and abs(theirs - ours) <= ATOL + RTOL * abs(ours)


def agree(theirs: Outcome, ours: Outcome) -> bool:
    """Same root value and the same grad on every leaf, within ``close``.

    >>> agree(Outcome(1.0, (2.0,)), Outcome(1.0, (2.0000000001,)))
    True
    """
    return (theirs.error is None and close(theirs.root, ours.root)
            and all(close(t, o) for t, o in zip(theirs.grads, ours.grads, strict=True)))
