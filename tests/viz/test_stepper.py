"""The stepper: frames per step, one self-contained HTML file, driven in headless Chromium."""

import html
import json
import math
import re
import shutil

import pytest
from chainrule.autograd import Value, topological_order
from chainrule.autograd.notation import number
from chainrule.autograd.parse import parse
from chainrule.autograd.steps import backprop_steps
from chainrule.viz.graph import dot_ids
from chainrule.viz.stepper import (
    backprop_frames,
    frames,
    stepper,
    stepper_fragment,
    stepper_html,
)
from stepper_browser import HIGHLIGHT, click_through, marked_edges, stroke_of
from viz_testgraphs import product

P = "stepper-"  # stepper_html's prefix on every element id
needs_dot = pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz's dot is missing")


def neuron() -> Value:
    x, w, b = Value(0.5, "x"), Value(-1.5, "w"), Value(0.8, "b")
    out = parse("tanh(x*w + b)", x=x, w=w, b=b)
    out.backward()
    return out


def test_there_is_a_start_frame_and_one_frame_per_step():
    root = neuron()
    assert len(frames(root)) == len(backprop_steps(root)) + 1 == 6


def test_a_gradient_is_shown_only_once_its_last_contribution_has_arrived():
    x = Value(3.0, "x")
    y = x * x
    y.backward()
    first, after_one, after_two = frames(y)
    assert first.unknown == (x,) and after_one.unknown == (x,) and after_two.unknown == ()
    assert after_one.highlight_edges == ((x, y),)


def final_grads_drawn(root, tmp_path):
    """The gradient each node shows in the last frame's SVG, by DOT id."""
    last = backprop_frames(root, tmp_path)[-1].read_text()
    return dict(re.findall(r'id="(v\d+)".*?grad (-?[\d.]+)', last, flags=re.S))


@needs_dot
@pytest.mark.parametrize("before", ["nothing", "backward twice", "create_graph"])
def test_the_stepper_shows_one_fresh_pass_whatever_grad_holds_and_changes_none(before,
                                                                               tmp_path):
    x, y = Value(1.0, "x"), Value(2.0, "y")
    root = (x * y).tanh()
    if before == "backward twice":
        root.backward(); root.backward()  # leaves hold twice the gradient now
    elif before == "create_graph":
        root.backward(create_graph=True)  # every .grad is a Value
    grads_before = [n.grad for n in topological_order(root)]
    expected = {n: 0.0 for n in topological_order(root)}
    expected.update({s.parent: s.after for s in backprop_steps(root)})
    expected[root] = 1.0
    drawn = final_grads_drawn(root, tmp_path / "frames")
    ids = dot_ids(root)
    assert {ids[n]: round(g, 4) for n, g in expected.items()} == {
        k: float(v) for k, v in drawn.items()}
    assert float(drawn[ids[x]]) == round(2.0 * (1 - math.tanh(2.0) ** 2), 4)
    stepper_html(root, tmp_path / "s.html")
    assert [n.grad for n in topological_order(root)] == grads_before


def test_a_graph_with_too_many_steps_is_refused_with_advice(tmp_path):
    x = Value(1.0, "x")
    node = x
    for _ in range(600):
        node = node * 1.01
    node.backward()
    with pytest.raises(ValueError, match="up to 1200 backprop steps .one per edge., more "
                                         "than max_steps=1000"):
        stepper_html(node, tmp_path / "s.html")
    assert not (tmp_path / "s.html").exists()


def test_a_huge_graph_is_refused_before_any_step_is_built(monkeypatch):
    import chainrule.viz.frames as frames_module
    x = Value(1.0, "x")
    total = x
    for k in range(50_000):  # 200,000 edges; once, every step was built before refusing
        total = total + x * k
    monkeypatch.setattr(frames_module, "backprop_steps", lambda root: pytest.fail("steps built"))
    with pytest.raises(ValueError, match="up to 200000 backprop steps"):
        frames(total)


def count_graphviz_runs(monkeypatch) -> list[str]:
    import graphviz
    runs, pipe = [], graphviz.Digraph.pipe
    def counted(self, *args, **kwargs):
        runs.append(kwargs.get("format", args[0] if args else None))
        return pipe(self, *args, **kwargs)
    monkeypatch.setattr(graphviz.Digraph, "pipe", counted)
    return runs


@needs_dot
def test_the_stepper_lays_the_graph_out_once_however_many_steps(monkeypatch, tmp_path):
    runs = count_graphviz_runs(monkeypatch)
    root = neuron()
    page = stepper_html(root, tmp_path / "s.html").read_text()
    backprop_frames(root, tmp_path / "frames")
    assert runs == ["svg", "svg"]  # one layout for the page, one for all six frames
    assert page.count("<svg") == 1


@needs_dot
def test_a_160_factor_product_gives_one_picture_and_a_file_under_2_mb(tmp_path):
    root = product(160)  # 318 steps; once, one whole SVG per step
    path = stepper_html(root, tmp_path / "s.html")
    page = path.read_text()
    assert page.count("<svg") == 1 and page.count('"title":') == 319
    assert path.stat().st_size < 2_000_000
    assert 'font-size="9.00"' not in page  # edge formulas: in the step text only, here


@needs_dot
def test_a_small_graph_shows_each_edges_formula_in_the_picture(tmp_path):
    page = stepper_html(neuron(), tmp_path / "s.html").read_text()
    assert ">1 &#45; tanh(n2)^2 = 0.9975</text>" in page  # 1 - tanh(0.05)^2


@needs_dot
def test_the_file_grows_with_the_graph_not_with_graph_times_steps(tmp_path):
    small = stepper_html(product(20), tmp_path / "20.html").stat().st_size
    large = stepper_html(product(80), tmp_path / "80.html").stat().st_size
    assert large < 5 * small  # 4 times the graph, 4 times the steps: not 16 times


def test_a_bad_prefix_is_refused_before_any_work():
    with pytest.raises(ValueError, match="prefix must be a letter"):
        stepper_fragment(neuron(), prefix="1<script>")


@needs_dot
def test_two_steppers_on_one_page_use_their_own_ids():
    first = stepper_fragment(neuron(), prefix="a")
    second = stepper_fragment(neuron(), prefix="b")
    ids = re.findall(r' id="([^"]+)"', first + second)
    assert len(ids) == len(set(ids))
    assert {i.split("-")[0] for i in ids} == {"a", "b"}


@needs_dot
def test_the_inline_stepper_takes_fresh_ids_each_time_it_is_shown():
    shown = stepper(neuron())
    first, second = shown._repr_html_(), shown._repr_html_()  # two displays, one page
    ids = re.findall(r' id="([^"]+)"', first + second)
    assert len(ids) == len(set(ids))
    boxes = re.findall(r'<div id="([^"]+)" class="chainrule-stepper"', first + second)
    assert len(boxes) == 2 and all(f' id="{box}-next"' in first + second for box in boxes)
    assert first.count('"title":') == 6  # the start and 5 steps, as in the file


def test_the_inline_stepper_refuses_a_bad_graph_when_made_not_when_shown():
    with pytest.raises(TypeError, match="the stepper needs a Value"):
        stepper(2.0)
    with pytest.raises(ValueError, match="more than max_steps=3"):
        stepper(neuron(), max_steps=3)  # 5 edges


@needs_dot
def test_the_inline_stepper_prints_as_one_line_naming_its_root():
    root = neuron()
    assert repr(stepper(root)) == (
        "stepper for n3: 5 backprop steps; shown inline in Jupyter, or written to a file "
        "by stepper_html(n3, path)")


@needs_dot
def test_frames_mark_their_step_and_show_gradients_still_to_come_as_a_question_mark(tmp_path):
    x = Value(3.0, "x")
    root = x * x
    root.backward()
    ids = dot_ids(root)
    start, first, second = (p.read_text() for p in backprop_frames(root, tmp_path))
    assert f"g#{ids[root]}_in0 path" in first and f"g#{ids[root]}_in1 path" in second
    x_cell = re.compile(rf'<g id="{ids[x]}" class="node">.*?>(grad [^<]*)</text>', re.S)
    assert [x_cell.search(svg).group(1) for svg in (start, first, second)] == [
        "grad ?", "grad ?", "grad 6.0"]


@needs_dot
def test_frames_are_written_as_numbered_svg_files(tmp_path):
    paths = backprop_frames(neuron(), tmp_path / "frames")
    assert [p.name for p in paths] == [f"frame_{k:03d}.svg" for k in range(6)]
    assert all(p.read_text().lstrip().startswith("<?xml") for p in paths)


@needs_dot
def test_stepping_leaves_data_and_gradients_untouched(tmp_path):
    root = neuron()
    before = [(n.data, n.grad, n.label) for n in topological_order(root)]
    stepper_html(root, tmp_path / "s.html")
    assert [(n.data, n.grad, n.label) for n in topological_order(root)] == before


@needs_dot
def test_the_page_is_self_contained_and_pins_its_script_by_hash(tmp_path):
    page = stepper_html(neuron(), tmp_path / "s.html").read_text()
    assert "Content-Security-Policy" in page and "default-src 'none'" in page
    assert re.search(r"script-src 'sha256-[A-Za-z0-9+/=]+'", page)
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", page)
    assert "<!DOCTYPE svg" not in page  # no external DTD
    urls = set(re.findall(r"https?://[^\s\"'<>\\]+", page))
    assert urls <= {"http://www.w3.org/2000/svg", "http://www.w3.org/1999/xlink"}


@needs_dot
def test_labels_that_look_like_markup_or_placeholders_stay_text(tmp_path):
    evil = Value(2.0, "<script>alert(1)</script>")
    other = Value(1.0, "$SCRIPT")
    root = evil * other
    root.backward()
    page = stepper_html(root, tmp_path / "s.html").read_text()
    assert "<script>alert(1)" not in page
    assert page.count("<script") == 2  # the JSON data block and the one program


# --- in a real browser --------------------------------------------------------------


@needs_dot
@pytest.mark.parametrize("clicks", [1, 4])
def test_clicking_next_shows_the_step_text_and_highlights_its_edge(browser, tmp_path, clicks):
    from selenium.webdriver.common.by import By
    root = neuron()
    steps, names = backprop_steps(root), dot_ids(root)
    browser.get(stepper_html(root, tmp_path / "steps.html").as_uri())
    for _ in range(clicks):
        browser.find_element(By.ID, P + "next").click()
    step = steps[clicks - 1]
    assert browser.find_element(By.ID, P + "step-text").text == str(step)
    assert browser.find_element(By.ID, P + "counter").text == f"{clicks} / {len(steps)}"
    edge = f"{P}{names[step.node]}_in{step.position}"
    assert stroke_of(browser, f"[id='{edge}'] path") == HIGHLIGHT
    # the op node that passes the gradient back
    assert stroke_of(browser, f"[id='{P}{names[step.node]}_op'] ellipse") == HIGHLIGHT
    assert marked_edges(browser, P) == 1  # only the current edge is marked


@needs_dot
def test_clicking_through_every_step_marks_its_edge_and_fills_in_gradients(browser, tmp_path):
    from selenium.webdriver.common.by import By
    x = Value(3.0, "x")
    root = (x * x + x * 2.0).tanh()  # x gets three contributions: "?" until the third
    root.backward()
    steps, ids, frame = backprop_steps(root), dot_ids(root), frames(root)[-1]
    browser.get(stepper_html(root, tmp_path / "steps.html").as_uri())
    shown = click_through(browser, P, root)
    assert shown[ids[x]] == f"grad {number(frame.grads[x])}"  # the last frame: all arrived
    assert browser.find_element(By.ID, P + "counter").text == f"{len(steps)} / {len(steps)}"


@needs_dot
def test_arrow_keys_and_the_slider_move_between_steps(browser, tmp_path):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
    root = neuron()
    steps = backprop_steps(root)
    browser.get(stepper_html(root, tmp_path / "steps.html").as_uri())
    body = browser.find_element(By.TAG_NAME, "body")
    body.send_keys(Keys.ARROW_RIGHT, Keys.ARROW_RIGHT, Keys.ARROW_RIGHT, Keys.ARROW_LEFT)
    assert browser.find_element(By.ID, P + "step-text").text == str(steps[1])
    browser.execute_script(f"const s = document.getElementById('{P}slider'); s.value = 5;"
                           "s.dispatchEvent(new Event('input'));")
    assert browser.find_element(By.ID, P + "step-text").text == str(steps[4])
    browser.find_element(By.ID, P + "prev").click()
    assert browser.find_element(By.ID, P + "counter").text == "4 / 5"


@needs_dot
def test_the_page_fetches_nothing_and_runs_no_label_as_code(browser, tmp_path):
    from selenium.webdriver.common.by import By
    evil = Value(2.0, "<img src=x onerror=window.hacked=1>")
    root = (evil * Value(3.0, "<script>window.hacked=2</script>")).tanh()
    root.backward()
    browser.get(stepper_html(root, tmp_path / "evil.html").as_uri())
    for _ in range(3):
        browser.find_element(By.ID, P + "next").click()
    assert browser.execute_script("return window.hacked") is None
    assert "<script>window.hacked=2</script>" in browser.find_element(
        By.ID, P + "step-text").text
    fetched = browser.execute_script(
        "return performance.getEntriesByType('resource').map(e => e.name)")
    assert fetched == []
    errors = [entry for entry in browser.get_log("browser") if entry["level"] == "SEVERE"]
    assert errors == []


@needs_dot
def test_the_pictures_name_nodes_as_the_step_text_does(tmp_path):
    root = parse("tanh(x*w + b)", x=0.5, w=-1.5, b=0.8)  # results unlabelled: n1, n2, n3
    root.backward()
    page = stepper_html(root, tmp_path / "s.html").read_text()
    data = re.search(r'<script type="application/json" id="stepper-data">(.*?)</script>', page)
    first_step = json.loads(data.group(1))["steps"][1]
    assert first_step["text"].startswith("step 1: n2.grad += d tanh(n2)/dn2 × n3.grad")
    for name in ("n1", "n2", "n3"):
        assert f">{name}</text>" in page  # the text's names are drawn


def svg_texts(html_text: str) -> list[str]:
    """Every text element drawn in a page's SVG, unescaped."""
    svg = html_text[html_text.index("<svg"):html_text.index("</svg>")]
    return [html.unescape(t) for t in re.findall(r"<text[^>]*>([^<]*)</text>", svg)]


@needs_dot
def test_one_stepper_frame_writes_each_number_one_way_in_its_text_and_its_picture():
    x, w = Value(0.5, "x"), Value(-1.5, "w")
    root = (x * w * -3.0).tanh()  # a labelled parent, and a constant with no name
    page = stepper_fragment(root, prefix="s")
    drawn = svg_texts(page)
    for step in backprop_steps(root):
        local = number(step.local)
        assert local in str(step)  # the step text: "... × n1.grad = (w = -1.5) × ..."
        if step.formula != local:  # "1" is its own number, on the edge and in the text
            assert f"{step.formula} = {local}" in drawn and f"({step.formula} = {local})" \
                in str(step)
    assert "data -1.5" in drawn and "w = -1.5" in drawn  # not -1.5000
    assert "(-3.0) = -3.0" in drawn and "-3.0" in drawn  # the constant, named as written
    assert not any(text.startswith(("a = ", "b = ")) for text in drawn)  # no op input names


@needs_dot
def test_a_node_no_step_reaches_shows_zero_from_the_start_and_is_explained(tmp_path):
    x, y = Value(-1.0, "x"), Value(0.0, "y")
    root = x.relu() * y.sqrt()  # both upstream 0: backward() skips relu and sqrt
    root.backward()
    start = frames(root)[0]
    assert x not in start.unknown and y not in start.unknown
    page = stepper_html(root, tmp_path / "s.html").read_text()
    assert "No step reaches x, y: every node using them has upstream gradient 0" in page
