"""Backprop one chain-rule step at a time: Step records and a text table.

How names, numbers and formulas are written lives in ``autograd/notation.py``.

``why()`` (every path from a leaf to the root) lives in ``autograd/paths.py``.

``backprop_steps(root)`` lists one ``Step`` per (node, parent) edge in exactly the order
``backward()`` applies them, skipping as it does every node whose upstream gradient is 0
(each contribution would be local × 0): the node's upstream gradient, the op's local
gradient with its formula from the op table, their product (the contribution), and the
parent's gradient before and after it is added. Nothing in the graph changes: the steps replay a
fresh pass (every gradient 0, the root 1) on the side.

>>> from chainrule.autograd import Value
>>> x, w = Value(0.5, "x"), Value(-1.5, "w")
>>> y = (x * w).tanh()
>>> for step in backprop_steps(y):
...     print(step)
step 1: n1.grad += d tanh(n1)/dn1 × n2.grad = (1 - tanh(n1)^2 = 0.5966) × 1.0 = 0.5966
step 2: x.grad += d(x * w)/dx × n1.grad = (w = -1.5) × 0.5966 = -0.8949
step 3: w.grad += d(x * w)/dw × n1.grad = (x = 0.5) × 0.5966 = 0.2983
"""

from __future__ import annotations

from dataclasses import dataclass

from chainrule.autograd.backprop import DictFlow, chain_rule
from chainrule.autograd.explanation import Explanation
from chainrule.autograd.graph import topological_order
from chainrule.autograd.notation import (  # number, grad_name, node_names: public here too
    derivative_texts,
    grad_name,
    is_number,
    node_names,
    number,
    op_expression,
    operands,
    text_table,
)
from chainrule.autograd.value import Value


@dataclass(frozen=True, slots=True)
class ForwardStep:
    """One node computed in evaluation order: ``c = a * b = 2.0 * -3.0 = -6.0``.

    >>> from chainrule.autograd import Value
    >>> step = forward_steps(Value(2.0, "a") ** 2)[-1]
    >>> step.expression, step.inputs, step.value
    ('a ** 2.0', (2.0, 2.0), 4.0)
    """

    index: int
    node: Value
    name: str
    expression: str  # "a * b", or "" for a leaf
    inputs: tuple[float, ...]
    value: float

    def __str__(self) -> str:
        if not self.expression:
            return f"{self.name} = {number(self.value)} (leaf)" if self.node.label else \
                f"{self.name} (a constant)"
        return " = ".join(self.cells())

    def cells(self) -> tuple[str, str, str, str]:
        """Name, formula, the formula with numbers, value: one row of a forward table.

        >>> from chainrule.autograd import Value
        >>> forward_steps(Value(2.0, "a") * Value(-3.0, "b"))[-1].cells()
        ('n1', 'a * b', '2.0 * -3.0', '-6.0')
        >>> forward_steps(Value(2.0, "a") * 3.0)[1].cells()      # a constant
        ('3.0', '(a constant)', '', '3.0')
        """
        if not self.expression:
            kind = "(leaf)" if self.node.label else "(a constant)"
            return self.name, kind, "", number(self.value)
        numbers = operands(self.node.op, [number(x) for x in self.inputs])
        return self.name, self.expression, numbers, number(self.value)


@dataclass(frozen=True, slots=True)
class Step:
    """One chain-rule product: ``parent.grad += local × upstream``, as backward() does.

    >>> from chainrule.autograd import Value
    >>> step = backprop_steps(Value(0.5, "u").tanh())[0]
    >>> step.derivative, step.formula, round(step.local, 4)   # 1 - tanh(0.5)^2
    ('d tanh(u)/du', '1 - tanh(u)^2', 0.7864)
    """

    index: int  # 1-based position in the backward pass
    node: Value  # the node passing gradient back
    parent: Value  # the parent receiving it
    position: int  # which input of the node's op the parent is
    node_name: str
    parent_name: str
    expression: str  # the node's formula in this graph's names: "tanh(n1)"
    derivative: str  # "d tanh(n1)/dn1"
    formula: str  # the local gradient, written for people: "1 - tanh(n1)^2"
    local: float  # d node / d parent
    upstream: float  # d root / d node (node.grad when backward reaches the node)
    contribution: float  # local × upstream
    before: float  # parent.grad before this step
    after: float  # parent.grad after it

    def __str__(self) -> str:
        local = number(self.local)
        if not is_number(self.formula):  # "(w = -1.5)", but a plain "1" for "1"
            local = f"({self.formula} = {local})"
        return (f"step {self.index}: {grad_name(self.parent_name)} += {self.derivative} × "
                f"{grad_name(self.node_name)} = {local} × {number(self.upstream)} = "
                f"{number(self.contribution)}")

    def local_text(self) -> str:
        """The local gradient: its derivative, formula and value, ``d(a * b)/da = b = -3.0``.

        >>> from chainrule.autograd import Value
        >>> backprop_steps(Value(2.0, "a") + 1.0)[0].local_text()   # "1" needs no "= 1.0"
        'd(a + 1.0)/da = 1'
        """
        text = f"{self.derivative} = {self.formula}"
        return text if is_number(self.formula) else f"{text} = {number(self.local)}"

    def why(self) -> str:
        """The reason for this step, in words.

        >>> from chainrule.autograd import Value
        >>> print(backprop_steps(Value(2.0, "a").exp())[0].why())  # doctest: +ELLIPSIS
        n1 = exp(a) uses a, so a change in a moves n1 by 7.3891 times as much; ...
        """
        return (f"{self.node_name} = {self.expression} uses "
                f"{self.parent_name}, so a change in {self.parent_name} moves "
                f"{self.node_name} by {number(self.local)} times as much; the root moves "
                f"{number(self.upstream)} times as much as {self.node_name}, so this path "
                f"adds {number(self.local)} × {number(self.upstream)} = "
                f"{number(self.contribution)} to {grad_name(self.parent_name)} "
                f"({number(self.before)} -> {number(self.after)}).")


def forward_steps(root: Value) -> list[ForwardStep]:
    """Every node in evaluation order, with its formula and value.

    >>> from chainrule.autograd import Value
    >>> a, b = Value(2.0, "a"), Value(-3.0, "b")
    >>> for step in forward_steps(a * b):
    ...     print(step)
    a = 2.0 (leaf)
    b = -3.0 (leaf)
    n1 = a * b = 2.0 * -3.0 = -6.0
    """
    names = node_names(root)
    steps = []
    for index, node in enumerate(topological_order(root), start=1):
        inputs = tuple(parent.data for parent in node.parents)
        expression = op_expression(node, names) if node.op is not None else ""
        steps.append(ForwardStep(index, node, names[node], expression, inputs, node.data))
    return steps


def backprop_steps(root: Value) -> list[Step]:
    """One Step per edge backward() uses, in its order; replaying them gives its gradients.

    >>> from chainrule.autograd import Value
    >>> x = Value(3.0, "x")
    >>> steps = backprop_steps(x * x)     # x used twice: two edges, two contributions
    >>> [(s.parent_name, s.before, s.after) for s in steps]
    [('x', 0.0, 3.0), ('x', 3.0, 6.0)]

    A node whose upstream gradient is 0 passes nothing back and gets no steps, exactly
    as in backward(): here relu(x) is 0, so sqrt(y) has upstream 0 and sqrt'(0) (infinite)
    is never evaluated; x and y keep gradient 0.

    >>> x, y = Value(-1.0, "x"), Value(0.0, "y")
    >>> [s.parent_name for s in backprop_steps(x.relu() * y.sqrt())]
    ['n1', 'n2']
    """
    names = node_names(root)
    order = topological_order(root)
    flow = _StepFlow(names, {node: 0.0 for node in order})
    flow.grads[root] = 1.0
    chain_rule(reversed(order), flow)  # the walk backward() takes, recorded edge by edge
    return flow.steps


class _StepFlow(DictFlow):
    """A fresh float pass on the side (every gradient 0, the root 1), one Step per edge."""

    def __init__(self, names: dict[Value, str], grads: dict[Value, float]) -> None:
        super().__init__(grads, create_graph=False)
        self.names, self.steps = names, []

    def wants(self, parent) -> bool:
        return not parent.is_constant  # a number typed in a formula is not asked about

    def add(self, node, position, parent, local, contribution) -> None:
        names, before = self.names, self.grads[parent]
        self.grads[parent] = after = before + contribution
        derivative, formula = derivative_texts(node, position, names)
        self.steps.append(Step(len(self.steps) + 1, node, parent, position, names[node],
                               names[parent], op_expression(node, names), derivative,
                               formula, local, self.grads[node], contribution, before, after))


def traced_gradients(root: Value, steps: list[Step]) -> dict[Value, float]:
    """The gradients ``steps`` (root's ``backprop_steps``) end with: d root / d node.

    One fresh pass, as ``backward()`` gives from zero, read off the trace: the root 1,
    each node its last step's ``after``; a node no step reaches is absent (gradient 0).

    >>> from chainrule.autograd import Value
    >>> x = Value(3.0, "x"); y = x * x
    >>> grads = traced_gradients(y, backprop_steps(y))
    >>> grads[x], grads[y], x.grad          # 2x = 6; .grad is left alone
    (6.0, 1.0, 0.0)
    """
    grads = {step.parent: step.after for step in steps}
    grads[root] = 1.0  # d root / d root, a leaf root included
    return grads


def explain(root: Value) -> Explanation:
    """Both passes as a text table; a notebook shows the same rows as HTML tables.

    The result is a ``str`` (print it, compare it) of the subclass ``Explanation``,
    whose ``_repr_html_`` Jupyter uses when it is a cell's last expression.

    >>> from chainrule.autograd import Value
    >>> print(explain(Value(2.0, "a") * Value(-3.0, "b")))  # doctest: +NORMALIZE_WHITESPACE
    forward pass (evaluation order)
      a = 2.0 (leaf)
      b = -3.0 (leaf)
      n1 = a * b = 2.0 * -3.0 = -6.0
    backward pass (n1.grad = 1.0; each step adds local × upstream to a parent)
      step  parent.grad +=  local gradient          × upstream  = contribution  grad before -> after
      1     a.grad          d(a * b)/da = b = -3.0  × 1.0       = -3.0          0.0 -> -3.0
      2     b.grad          d(a * b)/db = a = 2.0   × 1.0       = 2.0           0.0 -> 2.0
    gradients: a = -3.0, b = 2.0
    """
    names = node_names(root)
    steps = backprop_steps(root)
    forward = forward_steps(root)
    lines = ["forward pass (evaluation order)"]
    lines += [f"  {step}" for step in forward]
    lines.append(f"backward pass ({grad_name(names[root])} = 1.0; each step adds local × "
                 "upstream to a parent)")
    rows = [("step", "parent.grad +=", "local gradient", "× upstream", "= contribution",
             "grad before -> after")]
    rows += [(str(s.index), grad_name(s.parent_name), s.local_text(), f"× {number(s.upstream)}",
              f"= {number(s.contribution)}", f"{number(s.before)} -> {number(s.after)}")
             for s in steps]
    lines += text_table(rows, indent="  ")
    final = traced_gradients(root, steps)
    skipped = [names[n] for n in names
               if n.op is not None and n is not root and final.get(n, 0.0) == 0.0]
    if skipped:
        lines.append(f"skipped, as backward() does (upstream gradient 0, so every "
                     f"contribution would be 0): {', '.join(skipped)}")
    leaves = [f"{names[n]} = {number(final.get(n, 0.0))}" for n in names
              if n.op is None and n.label]
    lines.append("gradients: " + (", ".join(leaves) if leaves else "(no labelled leaves)"))
    n_notes = 2 if skipped else 1
    return Explanation("\n".join(lines), forward=[step.cells() for step in forward],
                       backward_title=lines[len(forward) + 1], rows=rows,
                       notes=lines[-n_notes:])


__all__ = ["ForwardStep", "Step", "backprop_steps", "explain", "forward_steps", "grad_name",
           "node_names", "number", "traced_gradients"]
