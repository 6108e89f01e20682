"""The stepper's page: one laid-out SVG, per-step data, and the script that steps through it.

Every element id starts with a per-display prefix, so two steppers on one page (a file,
or a notebook's output cells) work independently. The script marks a step by adding the
class ``cr-mark`` to its edge and nodes and writes "grad ?" into each record whose
gradient has not arrived yet; the same marks as CSS rules make the single-step SVG files.

>>> fragment("s1", "<svg></svg>", {"steps": [], "arrives": {}}, "n1 = 2.0", "y")[0][:36]
'<div id="s1" class="chainrule-steppe'
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
import re

HIGHLIGHT, MARK_FILL = "#dc2626", "#fef08a"
PREFIX = re.compile(r"[A-Za-z][A-Za-z0-9_-]{0,63}")


def check_prefix(prefix: str) -> str:
    """A prefix must start a valid HTML id and sit safely inside the page's script.

    >>> check_prefix("cr-7f3a")
    'cr-7f3a'
    """
    if not isinstance(prefix, str) or not PREFIX.fullmatch(prefix):
        raise ValueError(f"prefix must be a letter followed by up to 63 letters, digits, "
                         f"'_' or '-', got {prefix!r}; e.g. prefix='stepper1'.")
    return prefix


def mark_rules(group: str) -> str:
    """CSS that draws the groups ``group`` selects as marked: red edges and rings, yellow fill.

    >>> mark_rules("#v1").splitlines()[0]
    '#v1 path, #v1 ellipse, #v1 polygon[fill="none"] { stroke: #dc2626; stroke-width: 2.5px; }'
    """
    return (f'{group} path, {group} ellipse, {group} polygon[fill="none"] '
            f"{{ stroke: {HIGHLIGHT}; stroke-width: 2.5px; }}\n"
            f'{group}.node polygon[stroke="transparent"] {{ fill: {MARK_FILL}; }}\n'
            f"{group}.edge polygon {{ fill: {HIGHLIGHT}; stroke: {HIGHLIGHT}; }}\n")


def prefix_ids(svg: str, prefix: str) -> str:
    """Give every id in Graphviz's SVG the display's prefix: ``v3`` becomes ``s1-v3``.

    Labels are escaped (a quote is ``&quot;``), so ``id="`` only ever starts a real id.

    >>> prefix_ids('<g id="v3" class="node">', "s1")
    '<g id="s1-v3" class="node">'
    """
    return svg.replace(' id="', f' id="{prefix}-')


def fragment(prefix: str, svg: str, data: dict, forward: str, root_name: str
             ) -> tuple[str, str]:
    """The stepper as an HTML fragment, and its script's text (for a page's CSP hash).

    ``svg`` must already carry the prefix on its ids; ``data`` holds ``steps`` (title,
    text, why, sum and the ids to mark, per frame) and ``arrives`` (record id -> the
    frame from which its gradient is shown).
    """
    # "<" as \u003c inside the JSON: no "</script>" can end the data block early.
    payload = json.dumps(data, ensure_ascii=False).replace("<", "\\u003c")
    script = SCRIPT.replace("$PREFIX", prefix)  # checked: letters, digits, _ and - only
    fill = {"P": prefix, "ROOT": html.escape(root_name), "FORWARD": html.escape(forward),
            "LAST": str(len(data["steps"]) - 1), "DATA": payload, "SCRIPT": script,
            "SVG": svg, "MARKS": mark_rules(f"#{prefix} g.cr-mark")}
    # one pass, so a label that reads "$SCRIPT" stays text
    return re.sub(r"\$([A-Z]+)", lambda match: fill[match.group(1)], FRAGMENT), script


def page(body: str, script: str) -> str:
    """A whole HTML file around one fragment; only that script may run (CSP hash).

    >>> "sha256-" in page("<p>hi</p>", "")
    True
    """
    script_hash = base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode()
    policy = (f"default-src 'none'; script-src 'sha256-{script_hash}'; "
              "style-src 'unsafe-inline'; img-src data:")
    return PAGE.replace("$POLICY", policy).replace("$BODY", body)


SCRIPT = """
(function (prefix) {
  const box = document.getElementById(prefix);
  const part = (name) => document.getElementById(prefix + "-" + name);
  const data = JSON.parse(part("data").textContent);
  const steps = data.steps, slider = part("slider");
  const grads = [];  // [the grad text element, its final text, the frame it arrives in]
  for (const [id, frame] of Object.entries(data.arrives)) {
    const record = part(id);
    const cell = record && [...record.querySelectorAll("text")]
      .find((t) => t.textContent.startsWith("grad "));
    if (cell) grads.push([cell, cell.textContent, frame]);
  }
  let current = 0, marked = [];
  function show(k) {
    current = Math.max(0, Math.min(steps.length - 1, k));
    const step = steps[current];
    for (const element of marked) element.classList.remove("cr-mark");
    marked = step.marks.map(part).filter((element) => element);
    for (const element of marked) element.classList.add("cr-mark");
    for (const [cell, text, frame] of grads) {
      cell.textContent = current >= frame ? text : "grad ?";  // text, never markup
    }
    for (const key of ["title", "text", "why", "sum"]) {
      part("step-" + key).textContent = step[key];
    }
    part("counter").textContent = current + " / " + (steps.length - 1);
    slider.value = current;
  }
  part("prev").addEventListener("click", () => show(current - 1));
  part("next").addEventListener("click", () => show(current + 1));
  slider.addEventListener("input", () => show(Number(slider.value)));
  document.addEventListener("keydown", (event) => {
    // keys inside this stepper move it; keys on the page only when it is the only one
    const alone = document.querySelectorAll(".chainrule-stepper").length === 1;
    if (!box.contains(event.target) && !(alone && event.target === document.body)) return;
    if (event.target === slider) return;  // the slider handles its own arrow keys
    if (event.key === "ArrowLeft") show(current - 1);
    if (event.key === "ArrowRight") show(current + 1);
  });
  show(0);
})("$PREFIX");
"""

FRAGMENT = """<div id="$P" class="chainrule-stepper" tabindex="0">
<style>
#$P { font-family: system-ui, sans-serif; color: #111827; }
#$P .cr-controls { display: flex; gap: 0.6em; align-items: center; margin-bottom: 0.8em; }
#$P .cr-controls input { flex: 1; max-width: 40em; }
#$P .cr-panel { background: #f9fafb; border: 1px solid #d1d5db; border-radius: 6px;
                padding: 0.6em 1em; margin-bottom: 1em; max-width: 60em; }
#$P .cr-text { font-family: ui-monospace, monospace; font-size: 1.05em; white-space: pre-wrap; }
#$P .cr-title { font-weight: 600; }
#$P .cr-picture svg { max-width: 100%; height: auto; }
#$P pre { background: #f3f4f6; padding: 0.6em; }
$MARKS</style>
<div class="cr-title">Backprop, step by step: d$ROOT / d(every node)</div>
<div class="cr-controls">
  <button id="$P-prev" type="button">&#9664; Prev</button>
  <input id="$P-slider" type="range" min="0" max="$LAST" value="0" aria-label="step">
  <button id="$P-next" type="button">Next &#9654;</button>
  <span id="$P-counter"></span>
  <span>(or the &larr; &rarr; keys)</span>
</div>
<div class="cr-panel">
  <div id="$P-step-title" class="cr-title"></div>
  <p id="$P-step-text" class="cr-text"></p>
  <p id="$P-step-sum"></p>
  <p id="$P-step-why"></p>
</div>
<div id="$P-picture" class="cr-picture">$SVG</div>
<details><summary>forward pass</summary><pre>$FORWARD</pre></details>
<script type="application/json" id="$P-data">$DATA</script>
<script>$SCRIPT</script>
</div>
"""

PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="$POLICY">
<title>chainrule: backprop step by step</title>
<style>body { margin: 1.5em; }</style>
</head>
<body>
$BODY</body></html>
"""
