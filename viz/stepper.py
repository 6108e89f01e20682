"""Seeing backprop one step at a time: a standalone HTML stepper, and the same stepper
inline in a notebook (``stepper(root)``); the frames it steps through, and a picture per
step, are ``chainrule.viz.frames``'s.

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
import secrets
from dataclasses import dataclass
from pathlib import Path

from chainrule.autograd import Value, topological_order
from chainrule.autograd.files import write_whole
from chainrule.autograd.steps import backprop_steps, forward_steps, grad_name, node_names, number
from chainrule.viz._stepper_page import check_prefix, fragment, page, prefix_ids
from chainrule.viz.dot import require_dot
from chainrule.viz.frames import (  # noqa: F401  (importable from here, as before the split)
    FORMULAS_UP_TO,
    MAX_NODES,
    MAX_STEPS,
    Frame,
    backprop_frames,
    check_steps,
    frame_marks,
    frames,
    layout_svg,
)
from chainrule.viz.graph import dot_ids


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
        check_steps(self.root, self.max_steps)  # a mistake shows here, not at display
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
    svg = layout_svg(root, all_frames[0].grads)
    svg = prefix_ids(svg[svg.index("<svg"):], prefix)  # no XML prolog, no external DTD
    n_steps = len(all_frames) - 1
    steps = [_frame_data(root, frame, n_steps, names, ids) for frame in all_frames]
    last = {step.parent: step.index for step in (f.step for f in all_frames[1:])}
    data = {"steps": steps, "arrives": {ids[node]: k for node, k in last.items()}}
    forward = "\n".join(str(step) for step in forward_steps(root))
    return fragment(prefix, svg, data, forward, names[root])


def _frame_data(root: Value, frame: Frame, n_steps: int, names: dict[Value, str],
                ids: dict[Value, str]) -> dict[str, str | list[str]]:
    step, root_name = frame.step, names[root]
    text = str(step) if step else f"{root_name}.grad = 1.0: the root's gradient of itself."
    why = step.why() if step else _start_why(root, frame, names)
    sums = (f"{grad_name(step.parent_name)}: {number(step.before)} -> {number(step.after)}"
            if step else "")
    return {"title": frame.title(n_steps, root_name), "text": text, "why": why,
            "sum": sums, "marks": frame_marks(frame, ids)}


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
