"""Reading a stepper in Chromium: which edge is marked, which gradients are shown.

Every element id of a stepper starts with its prefix (``stepper-`` in a file, a random
``cr…`` in a notebook); the helpers look only inside the stepper with that prefix, so
two steppers on one page are read apart. The ``browser`` fixture is in conftest.py.
"""

from __future__ import annotations

from chainrule.autograd import Value
from chainrule.autograd.steps import backprop_steps
from chainrule.viz.graph import dot_ids
from chainrule.viz.stepper import frames

HIGHLIGHT = "rgb(220, 38, 38)"  # viz's colour for the marked edge and node, #dc2626


def stroke_of(browser, selector: str) -> str:
    return browser.execute_script(
        "return getComputedStyle(document.querySelector(arguments[0])).stroke", selector)


def marked_edges(browser, prefix: str) -> int:
    """How many edges of the stepper ``prefix`` (``"stepper-"``) are drawn marked."""
    return browser.execute_script(
        f"return [...document.querySelectorAll('#{prefix}picture g.edge path')]"
        ".filter(p => getComputedStyle(p).stroke === arguments[0]).length", HIGHLIGHT)


def grads_shown(browser, prefix: str) -> dict[str, str]:
    """The grad cell of every record in the stepper ``prefix``, by DOT id (prefix removed)."""
    return browser.execute_script(
        f"return Object.fromEntries([...document.querySelectorAll('#{prefix}picture g.node')]"
        ".map(g => [g.id.slice(arguments[0].length), [...g.querySelectorAll('text')]"
        ".map(t => t.textContent).find(t => t.startsWith('grad '))])"
        ".filter(([id, text]) => text))", prefix)


def click_through(browser, prefix: str, root: Value) -> dict[str, str]:
    """Next, step by step: each marks its edge, each gradient shows once it has arrived.

    ``prefix`` is the stepper's id prefix with its dash (``"stepper-"``); returns the
    gradients the last step shows, by node id.
    """
    steps, ids, all_frames = backprop_steps(root), dot_ids(root), frames(root)
    for k, frame in enumerate(all_frames):
        if k:
            browser.find_element("id", f"{prefix}next").click()
            step = steps[k - 1]
            assert browser.find_element("id", f"{prefix}step-text").text == str(step)
            edge = f"{prefix}{ids[step.node]}_in{step.position}"
            assert stroke_of(browser, f"[id='{edge}'] path") == HIGHLIGHT
            assert marked_edges(browser, prefix) == 1
        shown = grads_shown(browser, prefix)
        unknown = {ids[node] for node in frame.unknown}
        assert {i for i, text in shown.items() if text == "grad ?"} == unknown & set(shown)
    return shown


def tour_neuron() -> Value:
    """The graph of the tour notebook's cell tagged "neuron", built the same way (so the
    same DOT ids); scripts/stepper_screenshot.py draws it too."""
    x1, x2 = Value(2.0, "x1"), Value(0.0, "x2")
    w1, w2 = Value(-3.0, "w1"), Value(1.0, "w2")
    n = x1 * w1 + x2 * w2 + Value(6.8813735870195432, "b")
    n.label = "n"
    o = n.tanh()
    o.label = "o"
    return o
