"""The gradient quiz: you compute each gradient in backward order; it checks and explains.

One quiz for a terminal, a pipe and a notebook: ``chainrule quiz`` hands it standard
input; in a notebook ``quiz(root)`` asks through ``input()``, or takes the answers as a
list so the cell runs unattended.

>>> from chainrule.autograd import Value
>>> x, y = Value(2.0, "x"), Value(3.0, "y")
>>> quiz(x * y, answers=["1", "3"])           # doctest: +ELLIPSIS
forward pass:
...
dn1/dy = ? not quite: dn1/dy = 2.0, not 1.0.
...
dn1/dx = ? right: 3.0
<BLANKLINE>
score: 1/2
(1, 2)
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from chainrule.autograd.graph import topological_order
from chainrule.autograd.notation import grad_name, node_names, number
from chainrule.autograd.steps import Step, backprop_steps, forward_steps
from chainrule.autograd.value import Value

STOP = {"q", "quit", "exit"}
SKIP = {"", "?", "skip"}


def quiz(root: Value, answers: Iterable[str] | None = None, *, reveal: bool = False,
         tolerance: float = 0.01) -> tuple[int, int]:
    """Ask for d root / d node for every node but the root and the constants.

    ``answers``: lines to read (a list, or a text stream such as ``sys.stdin``); None asks
    through ``input()``. 'skip' (or an empty line) shows the answer, 'q' or the end of the
    answers stops. An answer is right within ``tolerance`` × max(1, |gradient|); a wrong
    one is explained, one local × upstream product per use. Returns (right, asked).

    >>> from chainrule.autograd import Value
    >>> a = Value(4.0, "a")
    >>> quiz(a * a, reveal=True)                       # doctest: +ELLIPSIS
    forward pass:
      a = 4.0 (leaf)
      n1 = a * a = 4.0 * 4.0 = 16.0
    ...
    dn1/da = 8.0
      a is used 2 time(s); each use adds local × upstream:
    ...
      sum: 8.0
    (0, 1)
    """
    if not tolerance >= 0:
        raise ValueError(f"quiz tolerance must be a number >= 0, got {tolerance!r}; "
                         "e.g. 0.01 accepts answers within 1%.")
    lines = None if reveal else _lines(answers)
    names = node_names(root)
    order = topological_order(root)
    users: dict[Value, list[Value]] = {node: [] for node in order}  # who uses each node
    for node in order:
        for parent in dict.fromkeys(node.parents):  # a*a uses a once here
            users[parent].append(node)
    into: dict[Value, list[Step]] = {}  # each node's incoming contributions, in order
    for step in backprop_steps(root):
        into.setdefault(step.parent, []).append(step)
    _introduce(root, names, reveal)
    score, asked = 0, 0
    for node in reversed(order):  # backward's order
        if node is root or (node.op is None and not node.label):
            continue  # the root's gradient is 1; constants are not asked
        gradient = into[node][-1].after if node in into else 0.0
        question = f"d{names[root]}/d{names[node]} = "
        outcome = _ask(question, gradient, lines, tolerance)
        if outcome is None:
            break
        score, asked = score + outcome, asked + 1
        if not outcome:  # wrong, skipped or revealed: say where the number comes from
            print(explanation(into.get(node, []), names[node],
                              [names[user] for user in users[node]]))
    if not reveal:
        print(f"\nscore: {score}/{asked}")
    return score, asked


def _lines(answers: Iterable[str] | None) -> Iterator[str]:
    """The learner's answers one by one: the given ones, or input() until it ends."""
    if answers is not None:
        yield from answers
        return
    while True:
        try:
            yield input()
        except EOFError:
            return
        except NotImplementedError:  # IPython's StdinNotImplementedError: no input box
            raise RuntimeError("quiz cannot ask here: this front end takes no input() (a "
                               "notebook run unattended?). Pass the answers as a list: "
                               "quiz(root, answers=['0.5', 'skip', ...]).") from None


def _introduce(root: Value, names: dict[Value, str], reveal: bool) -> None:
    print("forward pass:")
    for step in forward_steps(root):
        print(f"  {step}")
    start = f"\nbackward pass: d{names[root]}/d{names[root]} = 1."
    if reveal:  # nothing is asked: no prompt
        print(f"{start} Each node's gradient, in backward order:")
    else:
        print(f"{start} Give d{names[root]}/d(node) for each node below ('skip' shows it, "
              "'q' stops).")


def _ask(question: str, gradient: float, lines: Iterator[str] | None,
         tolerance: float) -> bool | None:
    """True right, False wrong or skipped, None when the learner stops (q or no more answers)."""
    if lines is None:  # reveal
        print(f"{question}{number(gradient)}")
        return False
    while True:
        print(f"{question}? ", end="", flush=True)
        line = next(lines, None)
        if line is None or line.strip().lower() in STOP:
            print("\n(stopped)")
            return None
        text = line.strip()
        if text.lower() in SKIP:
            print(f"skipped: {question}{number(gradient)}.")
            return False
        try:
            answer = float(text)
        except ValueError:
            print(f"{text!r} is not a number; type one such as -0.25, 'skip' or 'q'.")
            continue
        if abs(answer - gradient) <= tolerance * max(1.0, abs(gradient)):
            print(f"right: {number(gradient)}")
            return True
        print(f"not quite: {question}{number(gradient)}, not {number(answer)}.")
        return False


def explanation(steps: list[Step], name: str, users: list[str]) -> str:
    """Where a node's gradient comes from: one local × upstream product per use.

    >>> print(explanation([], "y", ["n2"]))   # sqrt(y) behind a dead relu
      y gets no contribution: n2 has upstream gradient 0, so backward() skips it (each
      contribution would be local × 0). The gradient of y stays 0.
    """
    if not steps:
        if not users:
            return f"  {name} is not used on the way to the root, so its gradient is 0."
        return (f"  {name} gets no contribution: {', '.join(users)} "
                f"{'has' if len(users) == 1 else 'have'} upstream gradient 0, so backward() "
                f"skips {'it' if len(users) == 1 else 'them'} (each\n  contribution would be "
                f"local × 0). The gradient of {name} stays 0.")
    lines = [f"  {name} is used {len(steps)} time(s); each use adds local × upstream:"]
    for s in steps:
        lines.append(f"  from {s.node_name} = {s.expression}: {s.local_text()}, × upstream "
                     f"{grad_name(s.node_name)} = {number(s.upstream)}, gives "
                     f"{number(s.contribution)}")
    if len(steps) > 1:
        lines.append(f"  sum: {number(steps[-1].after)}")
    return "\n".join(lines)
