"""How each element of a graph picture looks: Value records, op nodes, boxes, edge labels.

``chainrule.viz.graph`` decides *what* to draw; this module decides *how*: colours, fonts, and the
Graphviz HTML-like labels (every piece of user text goes through ``escape_html``).

>>> from chainrule.autograd import Value
>>> x = Value(2.0, "x")
>>> opts = Options(root=x)
>>> "<TD>data 2.0</TD>" in value_label(x, opts)
True
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import graphviz
from chainrule.autograd import Value
from chainrule.autograd.backprop import local_gradients as autograd_local_gradients
from chainrule.autograd.notation import derivative_texts, is_number
from chainrule.viz._groups import Group, is_constant, is_parameter
from chainrule.viz._labels import escape_html, grad_colour, grad_of, number

FILL = {"input": "#dbeafe", "parameter": "#fde68a", "result": "#ffffff",
        "root": "#bbf7d0", "highlight": "#fef08a", "op": "#f3f4f6", "box": "#ede9fe"}
BORDER, HIGHLIGHT = "#4b5563", "#dc2626"
TABLE = '<TABLE BORDER="0" CELLSPACING="0" CELLPADDING="4"'


@dataclass(frozen=True)
class Options:
    """What a picture shows and marks; built once per ``draw_graph`` call.

    >>> Options(root=Value(1.0)).precision
    4
    """

    root: Value
    show: tuple[str, ...] = ("label", "data", "grad")
    precision: int = 4
    highlight: frozenset = field(default_factory=frozenset)
    highlight_edges: frozenset = field(default_factory=frozenset)
    unknown_grads: frozenset = field(default_factory=frozenset)
    show_formulas: bool = False
    grad_scale: float = 0.0  # the largest |grad| drawn; 0 means no gradient colouring
    names: Mapping[Value, str] | None = None  # drawn instead of labels (the stepper's n1)
    grads: Mapping[Value, float] | None = None  # drawn instead of .grad (the stepper's)
    by_reference: frozenset = field(default_factory=frozenset)  # drawn again at each use


def shown_name(node: Value, opts: Options) -> str:
    """The name a picture writes for a node: from ``opts.names`` if given, else its label.

    >>> x = Value(2.0, "x")
    >>> shown_name(x, Options(root=x)), shown_name(x, Options(root=x, names={x: "n1"}))
    ('x', 'n1')
    """
    if opts.names is not None:
        return opts.names.get(node, node.label)
    return node.label


def shown_grad(node: Value, opts: Options) -> float:
    """The gradient a picture writes for a node: from ``opts.grads`` if given (0 where
    absent), else its ``.grad`` (a Value's data after ``backward(create_graph=True)``).

    >>> x = Value(2.0, "x"); x.grad = 0.5
    >>> shown_grad(x, Options(root=x)), shown_grad(x, Options(root=x, grads={}))
    (0.5, 0.0)
    """
    if opts.grads is not None:
        return opts.grads.get(node, 0.0)
    return grad_of(node.grad)


def _grad_text(node: Value, opts: Options) -> str:
    if node in opts.unknown_grads:
        return "?"
    return number(shown_grad(node, opts), opts.precision)


def _fill(node: Value, opts: Options) -> str:
    if node in opts.highlight:
        return FILL["highlight"]
    if node is opts.root:
        return FILL["root"]
    if node.op is not None:
        return FILL["result"]
    return FILL["parameter"] if is_parameter(node) else FILL["input"]


def value_label(node: Value, opts: Options) -> str:
    """A Value as one row of cells: ``label | data 2.0 | grad 1.0``.

    >>> x = Value(2.0, "x")
    >>> "<B>x</B>" in value_label(x, Options(root=x, precision=2))
    True
    """
    cells = []
    name = shown_name(node, opts)
    if "label" in opts.show and name:
        cells.append(f"<TD><B>{escape_html(name)}</B></TD>")
    if "data" in opts.show:
        cells.append(f"<TD>data {number(node.data, opts.precision)}</TD>")
    if "grad" in opts.show:
        grad = shown_grad(node, opts)
        colour = grad_colour(grad, opts.grad_scale) if node not in opts.unknown_grads else ""
        fill = f' BGCOLOR="{colour}"' if opts.grad_scale and colour else ""
        cells.append(f"<TD{fill}>grad {_grad_text(node, opts)}</TD>")
    marked = node in opts.highlight
    edge = f' CELLBORDER="{3 if marked else 1}" COLOR="{HIGHLIGHT if marked else BORDER}"'
    row = "".join(cells) or "<TD> </TD>"
    return f'<{TABLE} BGCOLOR="{_fill(node, opts)}"{edge}><TR>{row}</TR></TABLE>>'


def draw_value(graph: graphviz.Digraph, node: Value, name: str, opts: Options) -> None:
    """Add a Value (and the op node that made it, if any) to ``graph`` under ``name``.

    >>> g = graphviz.Digraph()
    >>> draw_value(g, Value(2.0), "v0", Options(root=Value(0.0)))
    >>> 'v0 [label=<2.0>' in g.source
    True
    """
    if is_constant(node) and node is not opts.root:
        grad = _grad_text(node, opts)
        # the constant's number, written as the step text names it
        text = shown_name(node, opts) or number(node.data, opts.precision)
        graph.node(name, label=f"<{escape_html(text)}>",
                   id=name, shape="box", style="rounded", color="#9ca3af", fontsize="10",
                   fontcolor="#4b5563", height="0.25", width="0.3", margin="0.04",
                   tooltip=f"constant {text} (gradient {grad})")
        return
    graph.node(name, label=value_label(node, opts), id=name, shape="plain")
    if node.op is not None:
        marked = node in opts.highlight
        graph.node(f"{name}_op", label=f"<{escape_html(node.op.symbol)}>", id=f"{name}_op",
                   shape="ellipse", style="filled", fillcolor=FILL["op"], fontsize="11",
                   height="0.3", width="0.4", margin="0.03",
                   color=HIGHLIGHT if marked else BORDER, penwidth="2.5" if marked else "1")


def draw_reference(graph: graphviz.Digraph, name: str, node: Value, opts: Options) -> None:
    """A small dashed copy of a much-used node's name, drawn beside one of its uses.

    One long arrow per use would make Graphviz's layout slow (see ``viz/_layout.py``).

    >>> g = graphviz.Digraph()
    >>> draw_reference(g, "v3_ref0", Value(2.0, "x"), Options(root=Value(0.0)))
    >>> 'dashed' in g.source and 'label=<x>' in g.source
    True
    """
    text = shown_name(node, opts) or f"data {number(node.data, opts.precision)}"
    graph.node(name, label=f"<{escape_html(text)}>", id=name, shape="box",
               style="rounded,dashed", color=BORDER, fontsize="10", height="0.25",
               width="0.3", margin="0.04",
               tooltip="the same node as the record with this name, drawn once")


def box_label(group: Group, opts: Options) -> str:
    """A collapsed neuron or layer: its name, output data and grad, parameter count.

    >>> from chainrule.autograd import scope, topological_order
    >>> from chainrule.viz._groups import find_groups
    >>> with scope("L0"):
    ...     w = Value(0.5); y = w.tanh()
    >>> group = find_groups(topological_order(y), "neuron", y)["L0"]
    >>> "data 0.4621" in box_label(group, Options(root=y))
    True
    """
    last = group.outputs[-1] if group.outputs else group.members[-1]
    title = f"<B>{escape_html(group.key)}</B>"
    if last.op is not None:
        title += f" {escape_html(last.op.symbol)}"
    grad_fill = ""
    if len(group.outputs) <= 1:
        lines = [f"data {number(last.data, opts.precision)}",
                 f"grad {_grad_text(last, opts)}"]
        if opts.grad_scale and last not in opts.unknown_grads:
            grad_fill = grad_colour(shown_grad(last, opts), opts.grad_scale)
    else:
        lines = [f"{len(group.outputs)} outputs",
                 _span("data", [o.data for o in group.outputs], opts.precision),
                 _span("grad", [shown_grad(o, opts) for o in group.outputs], opts.precision)]
    plural = "" if group.n_parameters == 1 else "s"
    lines.append(f'<FONT POINT-SIZE="10">{group.n_parameters} parameter{plural}</FONT>')
    marked = any(node in opts.highlight for node in group.members)
    fill, colour = (FILL["highlight"], HIGHLIGHT) if marked else (FILL["box"], "#7c3aed")
    rows = "".join(_row(line, grad_fill if line.startswith("grad ") else "")
                   for line in [title, *lines])
    return (f'<<TABLE BORDER="{3 if marked else 1}" CELLBORDER="0" CELLSPACING="0" '
            f'CELLPADDING="1" STYLE="ROUNDED" BGCOLOR="{fill}" COLOR="{colour}">{rows}</TABLE>>')


def _row(text: str, fill: str) -> str:
    return f'<TR><TD BGCOLOR="{fill}">{text}</TD></TR>' if fill else f"<TR><TD>{text}</TD></TR>"


def _span(what: str, numbers: list[float], precision: int) -> str:
    low, high = min(numbers), max(numbers)
    return f"{what} {number(low, precision)} … {number(high, precision)}"


def edge_formula(node: Value, index: int, local: float | None, precision: int,
                 names: Mapping[Value, str] | None = None) -> str:
    """The local gradient on the edge from a node's parent: ``1 - tanh(x)^2 = 0.7864``.

    The op table's formula in the parents' names (from ``names`` if given, else their
    labels; an unnamed parent by its number), written by ``notation.derivative_texts``
    as the step text writes it: the edge from x1 into ``x1 * w1`` reads ``w1 = -3.0``.

    >>> y = Value(0.5, "x").tanh()
    >>> edge_formula(y, 0, 0.7864477, 4)
    '<<FONT POINT-SIZE="9" COLOR="#6b7280">1 - tanh(x)^2 = 0.7864</FONT>>'
    >>> edge_formula(Value(2.0, "x1") * Value(-3.0, "w1"), 0, -3.0, 2)[-19:]
    '">w1 = -3.0</FONT>>'
    >>> edge_formula(Value(2.0, "x") * -3.0, 0, -3.0, 4)[-23:]   # not the op's "b"
    '">(-3.0) = -3.0</FONT>>'
    """
    shown = {p: _parent_name(p, names, precision) for p in node.parents}
    formula = derivative_texts(node, index, shown)[1]
    value = "undefined here" if local is None else number(local, precision)
    # "1", "-1": the formula is its own number
    text = formula if is_number(formula) else f"{formula} = {value}"
    return f'<<FONT POINT-SIZE="9" COLOR="#6b7280">{escape_html(text)}</FONT>>'


def _parent_name(parent: Value, names: Mapping[Value, str] | None, precision: int) -> str:
    """A parent's name in a formula: the stepper's name, else its label, else its number."""
    name = parent.label if names is None else names.get(parent, parent.label)
    return name or number(parent.data, precision)


def local_gradients(node: Value) -> list[float | None]:
    """Each parent's local gradient, from the op table's rule; None where it is undefined.

    >>> a, b = Value(2.0), Value(-3.0)
    >>> local_gradients(a * b)
    [-3.0, 2.0]
    """
    try:
        grads = autograd_local_gradients(node)
    except (ArithmeticError, ValueError):  # e.g. sqrt at 0: an infinite slope
        return [None] * len(node.parents)
    return [float(grad_of(g)) for g in grads]
