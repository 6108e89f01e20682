"""The frames of backprop, one per step, and the SVG picture of each.

Frame 0 is the start (the root's gradient is 1, every other one "?"); frame k shows step
k of ``chainrule.autograd.steps.backprop_steps``: its edge and nodes highlighted, each gradient
filled in once its last contribution has arrived, the rest "?". A node that gets no step
(everything using it has upstream gradient 0, so backward() skips it) shows its 0 from the
start. The pictures name nodes as the step text does (``chainrule.autograd.steps.node_names``) and
show the gradients of the step trace itself (one fresh pass, as ``backward()`` would
give from zero), never ``.grad``: any graph can be stepped through, before or after a
``backward()``, with ``create_graph`` or not, and nothing on it changes.
``chainrule.viz.stepper`` puts the frames on one HTML page.

>>> from chainrule.autograd import Value
>>> x, w = Value(0.5, "x"), Value(-1.5, "w")
>>> [len(frame.unknown) for frame in frames((x * w).tanh())]   # the start, then 3 steps
[3, 2, 1, 0]
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from chainrule.autograd import Value, topological_order
from chainrule.autograd.files import write_whole
from chainrule.autograd.steps import Step, backprop_steps, grad_name, node_names, traced_gradients
from chainrule.viz._layout import layout_size, referenced
from chainrule.viz._stepper_page import mark_rules
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
    check_steps(root, max_steps)  # before any step is built
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


def check_steps(root: Value, max_steps: int) -> None:
    """Refuse a graph with more edges (so possibly more steps) than ``max_steps``.

    >>> from chainrule.autograd import Value
    >>> x = Value(3.0, "x")
    >>> check_steps(x * x, max_steps=1)          # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    ValueError: this graph has 2 edges, so up to 2 backprop steps (one per edge), more ...
    """
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
                      layout_svg(root, all_frames[0].grads))
    folder, paths = Path(folder), []
    for k, frame in enumerate(all_frames):
        path = folder / f"frame_{k:03d}.svg"
        write_whole(path, _frame_svg(pieces, frame, ids).encode("utf-8"))
        paths.append(path)
    return paths


def layout_svg(root: Value, grads: Mapping[Value, float]) -> str:
    """The one Graphviz run: every gradient drawn at its final value, nothing marked.

    >>> from chainrule.autograd import Value
    >>> y = Value(2.0, "a").exp()
    >>> svg = layout_svg(y, frames(y)[0].grads)
    >>> svg.count("<svg"), "grad 7.389" in svg              # d(e^a)/da = e^2
    (1, True)
    """
    order = topological_order(root)
    formulas = layout_size(order, referenced(order)) <= FORMULAS_UP_TO
    graph = draw_graph(root, show_formulas=formulas, max_nodes=MAX_NODES,
                       names=node_names(root), grads=grads)
    return graph.pipe(format="svg").decode("utf-8")


def frame_marks(frame: Frame, ids: dict[Value, str]) -> list[str]:
    """The ids a frame marks: the start marks the root; a step its edge, nodes and op.

    >>> from chainrule.autograd import Value
    >>> from chainrule.viz.graph import dot_ids
    >>> y = Value(2.0, "a").exp()
    >>> ids = dot_ids(y)
    >>> [len(frame_marks(frame, ids)) for frame in frames(y)]   # the root; then 5 ids
    [1, 5]
    """
    if frame.step is None:
        return [ids[node] for node in frame.highlight]
    step, node = frame.step, ids[frame.step.node]
    return [node, f"{node}_op", ids[step.parent], f"{node}_in{step.position}",
            f"{node}_ref{step.position}"]


def _frame_svg(pieces: list[str], frame: Frame, ids: dict[Value, str]) -> str:
    """One step's SVG file: the shared layout, its marks as CSS, unknown gradients "?"."""
    unknown = {f'<g id="{ids[node]}" class="node">' for node in frame.unknown}
    style = "<style>" + "".join(mark_rules(f"g#{name}") for name in frame_marks(frame, ids))
    head = pieces[0]  # the prolog and the <svg> element's opening tag
    opening = head.index(">", head.index("<svg")) + 1
    parts = [f"{head[:opening]}\n{style}</style>{head[opening:]}"]
    for piece in pieces[1:]:
        if piece[:piece.find(">") + 1] in unknown:
            piece = re.sub(r">grad [^<]*</text>", ">grad ?</text>", piece, count=1)
        parts.append(piece)
    return "".join(parts)
