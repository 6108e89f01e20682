"""How chainrule writes numbers, names and formulas: one notation for text and pictures.

The step tracer, ``why``, gradcheck, the Hypothesis expressions and the pictures all
write through these helpers, so one number reads the same everywhere.

>>> number(-1.5), number(2.0), number(1/3)
('-1.5', '2.0', '0.3333')
>>> from chainrule.autograd import Value
>>> x = Value(0.5, "x"); y = (x * -1.5).tanh()
>>> names = node_names(y)
>>> op_expression(y, names), derivative_texts(y.parents[0], 0, names)
('tanh(n1)', ('d(x * -1.5)/dx', '(-1.5)'))
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

from chainrule.autograd.graph import topological_order

if TYPE_CHECKING:
    from chainrule.autograd.ops import Op
    from chainrule.autograd.value import Value


def number(x: float, precision: int = 4) -> str:
    """A number as every tool writes it, text and pictures alike: rounded to ``precision``
    digits after the point (no trailing zeros), tiny values in scientific notation.

    >>> number(0.58064), number(-6.0), number(0.0000123), number(-0.70710678, 2)
    ('0.5806', '-6.0', '1.23e-05', '-0.71')
    """
    if x != 0.0 and abs(x) < 10.0 ** -precision:
        return f"{x:.{max(precision - 2, 1)}e}"
    return repr(round(x, precision) + 0.0)  # + 0.0 turns -0.0 into 0.0


def grad_name(name: str) -> str:
    """How a node's gradient is written: ``x.grad``, or ``(3.0).grad`` for a constant.

    >>> grad_name("x"), grad_name("L0.N1.b"), grad_name("-1.5")
    ('x.grad', 'L0.N1.b.grad', '(-1.5).grad')
    """
    return f"{name}.grad" if is_name(name) else f"({name}).grad"


def node_names(root: Value) -> dict[Value, str]:
    """A short name for every node: its label, a constant's number, else n1, n2, ...

    >>> from chainrule.autograd import Value
    >>> x = Value(2.0, "x")
    >>> sorted(node_names((x * 3).exp()).values())
    ['3.0', 'n1', 'n2', 'x']
    """
    names: dict[Value, str] = {}
    taken: set[str] = set()
    order = topological_order(root)
    for node in order:
        if node.label:
            name, k = node.label, 1
            while name in taken:
                k += 1
                name = f"{node.label}_{k}"
            names[node] = name
            taken.add(name)
        elif node.op is None:
            names[node] = number(node.data)  # a constant: its value is its name
    counter = 0
    for node in order:
        if node not in names:
            counter += 1
            while f"n{counter}" in taken:
                counter += 1
            names[node] = f"n{counter}"
    return names


def text_table(rows: Sequence[Sequence[str]], indent: str = "") -> list[str]:
    """Rows of cells as left-aligned columns two spaces apart (the first row: headings).

    >>> for line in text_table([("name", "value"), ("x", "-1.5")]):
    ...     print(line)
    name  value
    x     -1.5
    """
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    return [indent + "  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip()
            for row in rows]


def is_number(text: str) -> bool:
    """Is this text a plain number (a formula such as "1" that needs no "= 1.0")?

    >>> is_number("-1"), is_number("1.5e-3"), is_number("b")
    (True, True, False)
    """
    try:
        float(text)
    except ValueError:
        return False
    return True


def wrap(text: str, tight: bool = True) -> str:
    """Parenthesise a name or number that would misread inside a formula.

    >>> wrap("x"), wrap("-1.5"), wrap("-1.5", tight=False), wrap("a + b")
    ('x', '(-1.5)', '-1.5', '(a + b)')

    A negative number reads fine as ``x * -1.5``; ``tight`` positions (after unary
    minus, the base of ``**``) need ``-(-1.5)`` and ``(-2.0) ** 2``.
    """
    number_ = r"[0-9.]+(e[-+]?[0-9]+)?"
    pattern = number_ if tight else rf"-?{number_}"
    return text if is_name(text) or re.fullmatch(pattern, text) else f"({text})"


def is_name(text: str) -> bool:
    """A name that reads as one word in a formula: ``x``, ``w_2``, ``L0.N3.w1``, ``W1[0,2]``.

    >>> is_name("L0.N3.w1"), is_name("W1[0,2]"), is_name("3.0"), is_name("a b")
    (True, True, False, False)
    """
    return re.fullmatch(r"[^\W\d][\w.]*(\[\d+(,\d+)*\])?", text) is not None


def operands(op: Op, texts: Sequence[str]) -> str:
    """The op's expression with these operand texts filled in, bracketed where needed.

    >>> from chainrule.autograd.ops import OPS
    >>> operands(OPS["pow"], ["-2.0", "3.0"]), operands(OPS["neg"], ["a - b"])
    ('(-2.0) ** 3.0', '-(a - b)')
    >>> operands(OPS["tanh"], ["x * w"])
    'tanh(x * w)'
    """
    expression = op.expression
    if re.fullmatch(r"\w+\(.*\)", expression):
        return expression.format(*texts)  # a function's arguments need no brackets
    tight = [expression.startswith("-") or (expression.startswith("{0} **") and i == 0)
             for i in range(len(texts))]
    return expression.format(*(wrap(t, k) for t, k in zip(texts, tight, strict=True)))


def op_expression(node: Value, names: dict[Value, str]) -> str:
    """The node's op expression in this graph's names.

    >>> from chainrule.autograd import Value
    >>> x = Value(2.0, "x"); y = x * 3
    >>> op_expression(y, node_names(y))
    'x * 3.0'
    """
    return operands(node.op, [names[p] for p in node.parents])


def derivative_texts(node: Value, position: int, names: dict[Value, str]) -> tuple[str, str]:
    """("d tanh(n1)/dn1", "1 - tanh(n1)^2"): the op table's formula in this graph's names.

    >>> from chainrule.autograd import Value
    >>> x = Value(2.0, "x"); y = x * -3.0
    >>> derivative_texts(y, 0, node_names(y))      # a constant shows as its number
    ('d(x * -3.0)/dx', '(-3.0)')
    """
    op = node.op
    expression = op_expression(node, names)
    # "d tanh(x)/dx" for a function, "d(a * b)/da" for an operator
    expression = f" {expression}" if re.fullmatch(r"\w+\(.*\)", expression) else f"({expression})"
    by_input = {name: wrap(names[p]) for name, p in zip(op.inputs, node.parents, strict=False)}
    formula = re.sub(r"\b[A-Za-z_]\w*\b", lambda m: by_input.get(m.group(), m.group()),
                     op.formulas[position])
    parent = names[node.parents[position]]
    return f"d{expression}/d{parent if is_name(parent) else f'({parent})'}", formula
