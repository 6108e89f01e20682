"""Seeing backprop one step at a time: a picture per step, a standalone HTML stepper,
and the same stepper inline in a notebook (``stepper(root)``).

Frame 0 is the start (the root's gradient is 1, every other one "?"); frame k shows step
k of ``chainrule.autograd.steps.backprop_steps``: its edge and nodes highlighted, each gradient
filled in once its last contribution has arrived, the rest "?". A node that gets no step
(everything using it has upstream gradient 0, so backward() skips it) shows its 0 from the
start. The pictures name nodes as the step text does (``chainrule.autograd.steps.node_names``) and
show the gradients of the step trace itself (one fresh pass, as ``backward()`` would
give from zero), never ``.grad``: any graph can be stepped through, before or after a
``backward()``, with ``create_graph`` or not, and nothing on it changes.

>>> import tempfile, pathlib
>>> from chainrule.autograd import Value
>>> x, w = Value(0.5, "x"), Value(-1.5, "w")
>>> y = (x * w).tanh()
>>> path = stepper_html(y, pathlib.Path(tempfile.mkdtemp()) / "steps.html")
>>> html = path.read_text()
>>> html.count("<svg"), html.count('"title":'), "Content-Security-Policy" in html
(1, 4, True)

The page holds one SVG, laid out once by Graphviz, and per step only its text and the ids
to mark: the script changes classes on that one picture, so the file and the time grow
with the graph, not with graph × steps.
"""

from __future__ import annotations

import os
import re
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from chainrule.autograd import Value, topological_order
from chainrule.autograd.files import write_whole
from chainrule.autograd.steps import (
    Step,
    backprop_steps,
    forward_steps,
    grad_name,
    node_names,
    number,
    traced_gradients,
)
from chainrule.viz._layout import layout_size, referenced
from chainrule.viz._stepper_page import check_prefix, fragment, mark_rules, page, prefix_ids
from chainrule.viz.dot import require_dot
from chainrule.viz.graph import dot_ids, draw_graph

# Per step the page holds only text (about 0.7 kB), so 1,000 steps stay under 1 MB; the
# picture's own bound is draw_graph's max_layout (viz/_layout.py), checked before dot runs.
MAX_STEPS = 1_000
MAX_NODES = 1_000  # Values drawn; the layout bound is the tighter one in practice
# Edge labels double Graphviz's ranks: a 160-term sum (about 960 placed nodes) took 10 s
# with them, 3 s without (benchmarks/stepper.py). Above this size the formulas are in
# the step text only, which shows each step's formula anyway.
FORMULAS_UP_TO = 400


@dataclass(frozen=True, slots=True)
class Frame:
    """One moment of backprop: what to highlight, which gradients are still unknown.

    >>> from chainrule.autograd import Value
    >>> y = Value(2.0, "a").exp(); y.backward()
    >>> [len(frame.unknown) for frame in frames(y)]    # a's gradient arrives in step 1
    [1, 0]
    """

    step: Step | None  # None for frame 0, the start
    highlight: tuple[Value, ...]
    highlight_edges: tuple[tuple[Value, Value], ...]
    unknown: tuple[Value, ...]
    grads: Mapping[Value, float]  # every gradient at the end of the trace (shared)

    def title(self, n_steps: int, root_name: str) -> str:
        """The heading above the step text.

        >>> from chainrule.autograd import Value
        >>> y = Value(2.0, "a").exp(); y.backward()
        >>> [frame.title(1, "y") for frame in frames(y)]   # doctest: +NORMALIZE_WHITESPACE
        ['start: y.grad = 1 (dy/dy); press Next', 'step 1 of 1: a.grad += local × upstream']
        """
        if self.step is None:
            return f"start: {root_name}.grad = 1 (d{root_name}/d{root_name}); press Next"
        step = self.step
        return f"step {step.index} of {n_steps}: {grad_name(step.parent_name)} += local × upstream"


def frames(root: Value, max_steps: int = MAX_STEPS) -> list[Frame]:
    """The start, then one Frame per backprop step, with the trace's gradients.

    A graph with more edges than ``max_steps`` (each edge is at most one step) is refused
    before any step is built.

    >>> from chainrule.autograd import Value
    >>> x = Value(3.0, "x"); y = x * x
    >>> [tuple(f.unknown) == (x,) for f in frames(y)]   # complete only after the 2nd step
    [True, True, False]
    >>> frames(y)[-1].grads[x], x.grad                  # 2x = 6; .grad is left alone
    (6.0, 0.0)
    """
    _check_steps(root, max_steps)  # before any step is built
    steps = backprop_steps(root)
    grads = traced_gradients(root, steps)
    last = {step.parent: step.index for step in steps}
    order = [node for node in topological_order(root) if node is not root]
    result = [Frame(None, (root,), (), tuple(n for n in order if n in last), grads)]
    for step in steps:
        unknown = tuple(n for n in order if last.get(n, 0) > step.index)
        result.append(Frame(step, (step.node, step.parent), ((step.parent, step.node),),
                            unknown, grads))
    return result


def _check_steps(root: Value, max_steps: int) -> None:
    """Refuse a graph with more edges (so possibly more steps) than ``max_steps``."""
    if not isinstance(root, Value):
        raise TypeError(f"the stepper needs a Value (the root of a graph), got "
                        f"{type(root).__name__} {root!r}.")
    if isinstance(max_steps, bool) or not isinstance(max_steps, int) or max_steps < 1:
        raise ValueError(f"max_steps must be a positive int, got {max_steps!r}.")
    n_edges = sum(len(node.parents) for node in topological_order(root))
    if n_edges > max_steps:
        raise ValueError(f"this graph has {n_edges} edges, so up to {n_edges} backprop steps "
                         f"(one per edge), more than max_steps={max_steps}; step through a "
                         "smaller graph (one neuron) or raise max_steps.")


def backprop_frames(root: Value, folder: str | os.PathLike, *,
                    max_steps: int = MAX_STEPS) -> list[Path]:
    """Write ``frame_000.svg`` (the start) and one SVG per step into ``folder``.

    Graphviz lays the graph out once; each file is that picture with its step's edge and
    nodes marked (a CSS rule inside the SVG) and the gradients still to come shown "?".

    >>> import tempfile
    >>> from chainrule.autograd import Value
    >>> y = Value(2.0, "a").exp(); y.backward()
    >>> [p.name for p in backprop_frames(y, tempfile.mkdtemp())]
    ['frame_000.svg', 'frame_001.svg']
    """
    require_dot("backprop_frames")
    all_frames = frames(root, max_steps)
    ids = dot_ids(root)
    pieces = re.split(r'(?=<g id="[^"]*" class="(?:node|edge|cluster)">)',
                      _layout(root, all_frames[0].grads))
    folder, paths = Path(folder), []
    for k, frame in enumerate(all_frames):
        path = folder / f"frame_{k:03d}.svg"
        write_whole(path, _frame_svg(pieces, frame, ids).encode("utf-8"))
        paths.append(path)
    return paths


def stepper_fragment(root: Value, *, prefix: str | None = None,
                     max_steps: int = MAX_STEPS) -> str:
    """The stepper as one HTML fragment (picture, per-step data, inline script), to embed.

    ``stepper_html`` wraps it in a file; a notebook shows it in an output cell. Every id
    starts with ``prefix`` (a fresh random one by default), so steppers on one page step
    independently. No network: the SVG, data and script are all inline.

    >>> from chainrule.autograd import Value
    >>> y = Value(2.0, "a").exp()
    >>> html = stepper_fragment(y, prefix="demo")
    >>> html.count("<svg"), 'id="demo-next"' in html, 'id="demo-v0"' in html
    (1, True, True)
    """
    prefix = check_prefix(f"cr{secrets.token_hex(4)}" if prefix is None else prefix)
    return _fragment(root, prefix, max_steps, "stepper_fragment")[0]


def stepper_html(root: Value, path: str | os.PathLike, *, max_steps: int = MAX_STEPS) -> Path:
    """Write one self-contained HTML file: Prev/Next, arrow keys, a slider, the step text.

    No network: the picture is inline SVG, the script is inline and pinned by a
    Content-Security-Policy hash, and every label is escaped (``<script>`` shows as text).
    Element ids start with ``stepper-`` (``stepper-next``, ``stepper-v0``).

    >>> import tempfile, pathlib
    >>> from chainrule.autograd import Value
    >>> y = Value(2.0, "<script>").exp(); y.backward()
    >>> text = stepper_html(y, pathlib.Path(tempfile.mkdtemp()) / "s.html").read_text()
    >>> "<script>.grad" in text, "&lt;script&gt;" in text
    (False, True)
    """
    body, script = _fragment(root, "stepper", max_steps, "stepper_html")
    path = Path(path)
    # a lone surrogate in a label cannot be UTF-8: write it as \\udXXX, as draw_graph does
    write_whole(path, page(body, script).encode("utf-8", "backslashreplace"))
    return path



@dataclass(frozen=True, slots=True, eq=False)
class Stepper:
    """The stepper for one graph, shown inline when it ends a notebook cell.

    Jupyter displays it through ``_repr_html_`` (the rich display protocol; no IPython
    import): each display lays the graph out afresh under a new random id prefix, so two
    steppers, or one shown twice, step independently. Elsewhere it prints as one line.

    >>> from chainrule.autograd import Value
    >>> shown = Stepper(Value(2.0, "a").exp())
    >>> shown                                        # doctest: +ELLIPSIS
    stepper for n1: 1 backprop step; shown inline in Jupyter, ...
    >>> first, second = shown._repr_html_(), shown._repr_html_()
    >>> first.count('class="chainrule-stepper"'), first.split('"')[1] == second.split('"')[1]
    (1, False)
    """

    root: Value
    max_steps: int = MAX_STEPS

    def __post_init__(self) -> None:
        _check_steps(self.root, self.max_steps)  # a mistake shows here, not at display
        require_dot("stepper")

    def __repr__(self) -> str:
        n_steps, name = len(backprop_steps(self.root)), node_names(self.root)[self.root]
        return (f"stepper for {name}: {n_steps} backprop step{'s' * (n_steps != 1)}; shown "
                f"inline in Jupyter, or written to a file by stepper_html({name}, path)")

    def _repr_html_(self) -> str:
        return stepper_fragment(self.root, max_steps=self.max_steps)


def stepper(root: Value, *, max_steps: int = MAX_STEPS) -> Stepper:
    """Backprop step by step, inside a notebook: end a cell with ``stepper(root)``.

    The output cell shows what ``stepper_html`` writes to a file: the graph, Prev/Next,
    the slider, the arrow keys (once the stepper has focus) and each step's chain-rule text.

    >>> from chainrule.autograd import Value
    >>> x, w = Value(0.5, "x"), Value(-1.5, "w")
    >>> y = (x * w).tanh()
    >>> html = stepper(y)._repr_html_()
    >>> html.count("<svg"), html.count('"title":')   # the start and 3 steps
    (1, 4)
    """
    return Stepper(root, max_steps)

def _fragment(root: Value, prefix: str, max_steps: int, purpose: str) -> tuple[str, str]:
    if not isinstance(root, Value):
        raise TypeError(f"{purpose} steps through a Value's graph, got {root!r} (a "
                        f"{type(root).__name__}); build one first, e.g. y = Value(2.0) * 3.")
    require_dot(purpose)
    names, ids = node_names(root), dot_ids(root)
    all_frames = frames(root, max_steps)
    svg = _layout(root, all_frames[0].grads)
    svg = prefix_ids(svg[svg.index("<svg"):], prefix)  # no XML prolog, no external DTD
    n_steps = len(all_frames) - 1
    steps = [_frame_data(root, frame, n_steps, names, ids) for frame in all_frames]
    last = {step.parent: step.index for step in (f.step for f in all_frames[1:])}
    data = {"steps": steps, "arrives": {ids[node]: k for node, k in last.items()}}
    forward = "\n".join(str(step) for step in forward_steps(root))
    return fragment(prefix, svg, data, forward, names[root])


def _layout(root: Value, grads: Mapping[Value, float]) -> str:
    """The one Graphviz run: every gradient drawn at its final value, nothing marked."""
    order = topological_order(root)
    formulas = layout_size(order, referenced(order)) <= FORMULAS_UP_TO
    graph = draw_graph(root, show_formulas=formulas, max_nodes=MAX_NODES,
                       names=node_names(root), grads=grads)
    return graph.pipe(format="svg").decode("utf-8")


def _marks(frame: Frame, ids: dict[Value, str]) -> list[str]:
    """The ids a frame marks: the start marks the root; a step its edge, nodes and op."""
    if frame.step is None:
        return [ids[node] for node in frame.highlight]
    step, node = frame.step, ids[frame.step.node]
    return [node, f"{node}_op", ids[step.parent], f"{node}_in{step.position}",
            f"{node}_ref{step.position}"]


def _frame_svg(pieces: list[str], frame: Frame, ids: dict[Value, str]) -> str:
    """One step's SVG file: the shared layout, its marks as CSS, unknown gradients "?"."""
    unknown = {f'<g id="{ids[node]}" class="node">' for node in frame.unknown}
    style = "<style>" + "".join(mark_rules(f"g#{name}") for name in _marks(frame, ids))
    head = pieces[0]  # the prolog and the <svg> element's opening tag
    opening = head.index(">", head.index("<svg")) + 1
    parts = [f"{head[:opening]}\n{style}</style>{head[opening:]}"]
    for piece in pieces[1:]:
        if piece[:piece.find(">") + 1] in unknown:
            piece = re.sub(r">grad [^<]*</text>", ">grad ?</text>", piece, count=1)
        parts.append(piece)
    return "".join(parts)


def _frame_data(root: Value, frame: Frame, n_steps: int, names: dict[Value, str],
                ids: dict[Value, str]) -> dict[str, str | list[str]]:
    step, root_name = frame.step, names[root]
    text = str(step) if step else f"{root_name}.grad = 1.0: the root's gradient of itself."
    why = step.why() if step else _start_why(root, frame, names)
    sums = (f"{grad_name(step.parent_name)}: {number(step.before)} -> {number(step.after)}"
            if step else "")
    return {"title": frame.title(n_steps, root_name), "text": text, "why": why,
            "sum": sums, "marks": _marks(frame, ids)}


def _start_why(root: Value, start: Frame, names: dict[Value, str]) -> str:
    """Frame 0's explanation; it names the nodes no step reaches, whose 0 shows at once."""
    text = ("Backward walks the graph from the root to the leaves; each step multiplies a "
            "local gradient by an upstream one.")
    waiting = set(start.unknown)
    idle = [names[n] for n in topological_order(root) if n is not root and n not in waiting]
    if idle:
        text += (f" No step reaches {', '.join(idle)}: every node using "
                 f"{'it' if len(idle) == 1 else 'them'} has upstream gradient 0, so "
                 "backward() skips that node (each contribution would be local × 0), and "
                 "the gradient stays 0.")
    return text
