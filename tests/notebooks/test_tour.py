"""The tour notebook: stored without outputs, and every cell runs on a real IPython kernel.

The executed notebook is checked the way a learner would look at it: which cells show a
table (text/html), a picture (image/svg+xml, image/png) or printed text, and the numbers
the text around them promises.
"""

from __future__ import annotations

import json
import math
import os
import re
import sys
from pathlib import Path

import nbformat
import pytest
from chainrule.autograd import Value
from chainrule.autograd.steps import backprop_steps
from html_reading import all_text, read_html
from stepper_browser import click_through, marked_edges, tour_neuron

TOUR = Path(__file__).resolve().parents[2] / "notebooks" / "tour.ipynb"


def cells_by_tag(notebook: nbformat.NotebookNode) -> dict[str, nbformat.NotebookNode]:
    return {tag: cell for cell in notebook.cells if cell.cell_type == "code"
            for tag in cell.metadata.get("tags", [])}


def test_the_tour_is_stored_without_outputs():
    notebook = nbformat.read(TOUR, as_version=4)
    for cell in notebook.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None, (
                f"a cell of {TOUR.name} has outputs; clear them before committing "
                f"(Kernel > Restart & Clear Output), so diffs stay readable:\n{cell.source}")


@pytest.fixture(scope="module")
def executed(tmp_path_factory: pytest.TempPathFactory) -> dict[str, nbformat.NotebookNode]:
    nbclient = pytest.importorskip("nbclient")
    notebook = nbformat.read(TOUR, as_version=4)
    with pytest.MonkeyPatch.context() as patch:
        kernel = this_python_kernel(tmp_path_factory.mktemp("jupyter"), patch)
        client = nbclient.NotebookClient(notebook, timeout=600, kernel_name=kernel,
                                         resources={"metadata": {"path": str(TOUR.parent)}})
        client.execute()  # raises CellExecutionError, with the cell and traceback, on failure
    return cells_by_tag(notebook)


def this_python_kernel(folder: Path, patch: pytest.MonkeyPatch) -> str:
    """A kernel spec running the tests' own Python (its chainrule), found before any other.

    A "python3" spec in the user's Jupyter folder could point at another Python; a folder
    on JUPYTER_PATH is searched first.
    """
    spec = folder / "kernels" / "chainrule-tests"
    spec.mkdir(parents=True)
    (spec / "kernel.json").write_text(json.dumps({
        "argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": "chainrule tests", "language": "python"}))
    patch.setenv("JUPYTER_PATH", str(folder), prepend=os.pathsep)
    return "chainrule-tests"


def stream(cell: nbformat.NotebookNode, name: str = "stdout") -> str:
    return "".join(out.text for out in cell.outputs
                   if out.output_type == "stream" and out.name == name)


def shown(cell: nbformat.NotebookNode, mime: str) -> str:
    """What the cell's last expression displayed as ``mime`` (fails if it did not)."""
    results = [out.data for out in cell.outputs if out.output_type == "execute_result"]
    assert results and mime in results[-1], (
        f"expected {mime}, the cell showed {[sorted(r) for r in results]}:\n{cell.source}")
    return results[-1][mime]


def test_the_neuron_by_hand_has_the_lectures_gradients(executed):
    out = stream(executed["neuron"])
    # o = tanh(0.8814) = 0.7071, so tanh' = 1 - 0.7071^2 = 0.5 is the upstream of every
    # product: x1.grad = w1 × 0.5 = -1.5, w1.grad = x1 × 0.5 = 1, x2.grad = w2 × 0.5 = 0.5,
    # w2.grad = x2 × 0.5 = 0, b.grad = 1 × 0.5
    upstream = 1 - math.tanh(2.0 * -3.0 + 6.8813735870195432) ** 2
    for name, local in (("x1", -3.0), ("w1", 2.0), ("x2", 1.0), ("w2", 0.0), ("b", 1.0)):
        assert f"{name}.grad = {local * upstream:.4f}" in out
    assert "o = 0.7071" in out


def test_the_graph_shows_as_svg(executed):
    assert "<svg" in shown(executed["graph"], "image/svg+xml")


def test_the_step_trace_shows_both_passes_as_tables(executed):
    forward, backward = read_html(shown(executed["explain"], "text/html")).tables
    assert len(forward) == 1 + 10  # 5 leaves and 5 ops: x1*w1, x2*w2, +, +b, tanh
    assert len(backward) == 1 + 9  # an edge per op input: 1 + 2 + 2 + 2 + 2
    assert backward[1][2] == "d tanh(n)/dn = 1 - tanh(n)^2 = 0.5"
    assert "gradients: x1 = -1.5, w1 = 1.0" in shown(executed["explain"], "text/plain")


def test_why_sums_the_one_path_from_x1(executed):
    text = all_text(shown(executed["why"], "text/html"))
    assert "-3.0 × 1.0 × 1.0 × 0.5" in text and "sum = -1.5 = x1.grad" in text


def tour_reuse() -> Value:
    """The graph of the cell tagged "stepper-reuse": x feeds three edges."""
    x = Value(3.0, "x")
    g = x * x + 2 * x
    g.label = "g"
    return g


STEPPERS = {"stepper": tour_neuron, "stepper-reuse": tour_reuse}


def stepper_shown(cell: nbformat.NotebookNode) -> tuple[str, str]:
    """The stepper's HTML that a cell displayed, and its id prefix."""
    html = shown(cell, "text/html")
    box = re.search(r'<div id="([^"]+)" class="chainrule-stepper"', html)
    assert box, f"no stepper in the output of:\n{cell.source}"
    return html, box.group(1)


def test_each_stepper_cell_shows_the_stepper_of_its_graph_under_its_own_ids(executed):
    prefixes = set()
    for tag, graph in STEPPERS.items():
        html, prefix = stepper_shown(executed[tag])
        for part in ("prev", "next", "slider", "counter", "step-text", "picture", "data"):
            assert f' id="{prefix}-{part}"' in html
        assert all(i == prefix or i.startswith(f"{prefix}-")
                   for i in re.findall(r' id="([^"]+)"', html))
        data = re.search(rf'<script type="application/json" id="{prefix}-data">(.*?)</script>',
                         html, flags=re.S)
        texts = [step["text"] for step in json.loads(data.group(1))["steps"][1:]]
        assert texts == [str(step) for step in backprop_steps(graph())]  # the step trace
        assert "shown inline in Jupyter" in shown(executed[tag], "text/plain")
        prefixes.add(prefix)
    assert len(prefixes) == len(STEPPERS)


def test_the_notebooks_two_steppers_on_one_page_step_through_their_traces_apart(
        executed, browser, tmp_path):
    (first, a), (second, b) = (stepper_shown(executed[tag]) for tag in STEPPERS)
    page = tmp_path / "two_steppers.html"
    page.write_text(f'<!DOCTYPE html><html><head><meta charset="utf-8"></head><body>'
                    f"{first}{second}</body></html>", encoding="utf-8")
    browser.get(page.as_uri())
    neuron, reuse = tour_neuron(), tour_reuse()
    click_through_to_the_end(browser, a, neuron)
    assert counter(browser, b) == f"0 / {len(backprop_steps(reuse))}"  # b has not moved
    assert marked_edges(browser, f"{b}-") == 0
    click_through_to_the_end(browser, b, reuse)
    n_steps = len(backprop_steps(neuron))
    assert counter(browser, a) == f"{n_steps} / {n_steps}"  # a stayed at its last step
    errors = [entry for entry in browser.get_log("browser") if entry["level"] == "SEVERE"]
    assert errors == []


def counter(browser, prefix: str) -> str:
    return browser.find_element("id", f"{prefix}-counter").text


def click_through_to_the_end(browser, prefix: str, root: Value) -> None:
    """Every step checked (stepper_browser.click_through); at the end every gradient shows."""
    assert "grad ?" not in click_through(browser, f"{prefix}-", root).values()


def test_the_quiz_runs_unattended_and_explains_its_one_mistake(executed):
    out = stream(executed["quiz"])
    assert "not quite: do/dx1 = -1.5, not 1.5." in out and "score: 8/9" in out


def test_gradcheck_passes_the_real_tanh_and_catches_the_wrong_rule(executed):
    assert "gradcheck passed" in all_text(shown(executed["gradcheck-ok"], "text/html"))
    html = shown(executed["gradcheck-wrong"], "text/html")
    reading = read_html(html)
    assert len(reading.marked_rows) == 2 and "gradcheck FAILED" in all_text(html)
    assert "culprit: node 3 (tanh)" in all_text(html)


def test_moons_trains_with_a_summary_a_bar_a_history_and_a_boundary(executed):
    assert "total parameters: 337" in all_text(shown(executed["model"], "text/html"))
    fit_cell = executed["fit"]
    accuracy = float(stream(fit_cell).split("training accuracy ")[1].split("%")[0])
    assert accuracy >= 97  # micrograd's recipe reaches 100% on these 100 points
    bar = stream(fit_cell, "stderr")  # a kernel's stderr is no terminal: the final line only
    assert "\r" not in bar and bar.startswith("fit: 100%") and "100/100" in bar
    assert read_html(shown(fit_cell, "text/html")).tables[0][0][:2] == ["epoch", "train loss"]
    assert shown(executed["boundary"], "image/png")


def test_higher_order_gradients_and_gradgradcheck(executed):
    cell = executed["higher-order"]
    assert f"f''(2) = {6 * 2 - math.sin(2):.4f}" in stream(cell)  # 6x - sin x = 11.0907
    assert "gradgradcheck passed" in all_text(shown(cell, "text/html"))


def test_nothing_but_the_bar_writes_to_stderr(executed):
    noisy = [tag for tag, cell in executed.items() if tag != "fit" and stream(cell, "stderr")]
    assert noisy == [], f"cells writing to stderr (warnings?): {noisy}"
