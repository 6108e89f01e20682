"""Seeing backprop one step at a time: a picture per step, and a standalone HTML stepper.

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
>>> html.count('"svg":'), "http-equiv=\\"Content-Security-Policy\\"" in html
(4, True)
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import graphviz
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
from chainrule.viz.dot import require_dot
from chainrule.viz.graph import draw_graph
from chainrule.viz.render import render

MAX_STEPS = 300  # each frame is a Graphviz run; beyond this, step through a smaller graph


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

    >>> from chainrule.autograd import Value
    >>> x = Value(3.0, "x"); y = x * x
    >>> [tuple(f.unknown) == (x,) for f in frames(y)]   # complete only after the 2nd step
    [True, True, False]
    >>> frames(y)[-1].grads[x], x.grad                  # 2x = 6; .grad is left alone
    (6.0, 0.0)
    """
    steps = backprop_steps(root)
    if len(steps) > max_steps:
        raise ValueError(f"this graph has {len(steps)} backprop steps, more than "
                         f"max_steps={max_steps}; step through a smaller graph (one neuron) "
                         "or raise max_steps.")
    grads = traced_gradients(root, steps)
    last = {step.parent: step.index for step in steps}
    order = [node for node in topological_order(root) if node is not root]
    result = [Frame(None, (root,), (), tuple(n for n in order if n in last), grads)]
    for step in steps:
        unknown = tuple(n for n in order if last.get(n, 0) > step.index)
        result.append(Frame(step, (step.node, step.parent), ((step.parent, step.node),),
                            unknown, grads))
    return result


def backprop_frames(root: Value, folder: str | os.PathLike, *,
                    max_steps: int = MAX_STEPS) -> list[Path]:
    """Write ``frame_000.svg`` (the start) and one SVG per step into ``folder``.

    >>> import tempfile
    >>> from chainrule.autograd import Value
    >>> y = Value(2.0, "a").exp(); y.backward()
    >>> [p.name for p in backprop_frames(y, tempfile.mkdtemp())]
    ['frame_000.svg', 'frame_001.svg']
    """
    folder = Path(folder)
    names = node_names(root)
    paths = []
    for k, frame in enumerate(frames(root, max_steps)):
        paths.append(render(_draw(root, frame, names), folder / f"frame_{k:03d}.svg"))
    return paths


def stepper_html(root: Value, path: str | os.PathLike, *, max_steps: int = MAX_STEPS) -> Path:
    """Write one self-contained HTML file: Prev/Next, arrow keys, a slider, the step text.

    No network: the pictures are inline SVG, the script is inline and pinned by a
    Content-Security-Policy hash, and every label is escaped (``<script>`` shows as text).

    >>> import tempfile, pathlib
    >>> from chainrule.autograd import Value
    >>> y = Value(2.0, "<script>").exp(); y.backward()
    >>> text = stepper_html(y, pathlib.Path(tempfile.mkdtemp()) / "s.html").read_text()
    >>> "<script>.grad" in text, "&lt;script&gt;" in text
    (False, True)
    """
    require_dot("stepper_html")
    names = node_names(root)
    all_frames = frames(root, max_steps)
    n_steps = len(all_frames) - 1
    data = [_frame_data(root, frame, n_steps, names) for frame in all_frames]
    forward = "\n".join(str(step) for step in forward_steps(root))
    page = _page(data, forward, names[root])
    path = Path(path)
    write_whole(path, page.encode("utf-8"))
    return path


def _frame_data(root: Value, frame: Frame, n_steps: int,
                names: dict[Value, str]) -> dict[str, str]:
    svg = _draw(root, frame, names).pipe(format="svg").decode("utf-8")
    svg = svg[svg.index("<svg"):]  # drop the XML prolog and the DOCTYPE's external DTD
    step, root_name = frame.step, names[root]
    text = str(step) if step else f"{root_name}.grad = 1.0: the root's gradient of itself."
    why = step.why() if step else _start_why(root, frame, names)
    sums = (f"{grad_name(step.parent_name)}: {number(step.before)} -> {number(step.after)}"
            if step else "")
    return {"title": frame.title(n_steps, root_name), "text": text, "why": why,
            "sum": sums, "svg": svg}


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


def _draw(root: Value, frame: Frame, names: dict[Value, str]) -> graphviz.Digraph:
    return draw_graph(root, highlight=frame.highlight, highlight_edges=frame.highlight_edges,
                      unknown_grads=frame.unknown, show_formulas=True, max_nodes=10_000,
                      names=names, grads=frame.grads)


def _page(data: list[dict[str, str]], forward: str, root_name: str) -> str:
    # "<" as \u003c inside the JSON: no "</script>" can end the data block early.
    payload = json.dumps(data, ensure_ascii=False).replace("<", "\\u003c")
    script_hash = base64.b64encode(hashlib.sha256(SCRIPT.encode("utf-8")).digest()).decode()
    policy = (f"default-src 'none'; script-src 'sha256-{script_hash}'; "
              "style-src 'unsafe-inline'; img-src data:")
    fill = {"POLICY": policy, "ROOT": html.escape(root_name), "FORWARD": html.escape(forward),
            "LAST": str(len(data) - 1), "DATA": payload, "SCRIPT": SCRIPT}
    # one pass, so a label that reads "$SCRIPT" stays text
    return re.sub(r"\$([A-Z]+)", lambda match: fill[match.group(1)], TEMPLATE)


SCRIPT = """
const frames = JSON.parse(document.getElementById("frames").textContent);
const slider = document.getElementById("slider");
let current = 0;
function show(k) {
  current = Math.max(0, Math.min(frames.length - 1, k));
  const frame = frames[current];
  document.getElementById("picture").innerHTML = frame.svg;  // SVG drawn from escaped labels
  for (const key of ["title", "text", "why", "sum"]) {
    document.getElementById("step-" + key).textContent = frame[key];  // text, never markup
  }
  document.getElementById("counter").textContent = current + " / " + (frames.length - 1);
  slider.value = current;
}
document.getElementById("prev").addEventListener("click", () => show(current - 1));
document.getElementById("next").addEventListener("click", () => show(current + 1));
slider.addEventListener("input", () => show(Number(slider.value)));
document.addEventListener("keydown", (event) => {
  if (event.key === "ArrowLeft") show(current - 1);
  if (event.key === "ArrowRight") show(current + 1);
});
show(0);
"""

TEMPLATE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="$POLICY">
<title>chainrule: backprop step by step</title>
<style>
body { font-family: system-ui, sans-serif; margin: 1.5em; color: #111827; }
#controls { display: flex; gap: 0.6em; align-items: center; margin-bottom: 0.8em; }
#slider { flex: 1; max-width: 40em; }
#panel { background: #f9fafb; border: 1px solid #d1d5db; border-radius: 6px;
         padding: 0.6em 1em; margin-bottom: 1em; max-width: 60em; }
#step-text { font-family: ui-monospace, monospace; font-size: 1.05em; white-space: pre-wrap; }
#step-title { font-weight: 600; }
#picture svg { max-width: 100%; height: auto; }
pre { background: #f3f4f6; padding: 0.6em; }
</style></head>
<body>
<h1>Backprop, step by step: d$ROOT / d(every node)</h1>
<div id="controls">
  <button id="prev" type="button">&#9664; Prev</button>
  <input id="slider" type="range" min="0" max="$LAST" value="0" aria-label="step">
  <button id="next" type="button">Next &#9654;</button>
  <span id="counter"></span>
  <span>(or the &larr; &rarr; keys)</span>
</div>
<div id="panel">
  <div id="step-title"></div>
  <p id="step-text"></p>
  <p id="step-sum"></p>
  <p id="step-why"></p>
</div>
<div id="picture"></div>
<details><summary>forward pass</summary><pre>$FORWARD</pre></details>
<script type="application/json" id="frames">$DATA</script>
<script>$SCRIPT</script>
</body></html>
"""
