"""The stepper: frames per step, one self-contained HTML file, driven in headless Chromium."""

import json
import math
import os
import re
import shutil
import tempfile
from pathlib import Path

import pytest
from chainrule.autograd import Value, topological_order
from chainrule.autograd.parse import parse
from chainrule.autograd.steps import backprop_steps
from chainrule.viz.graph import dot_ids
from chainrule.viz.stepper import backprop_frames, frames, stepper_html

CHROMIUM, CHROMEDRIVER = Path("/usr/bin/chromium"), Path("/usr/bin/chromedriver")
HIGHLIGHT = "#dc2626"  # viz's colour for the marked edge and node
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
    for _ in range(200):
        node = node * 1.01
    node.backward()
    with pytest.raises(ValueError, match="400 backprop steps, more than max_steps=300"):
        stepper_html(node, tmp_path / "s.html")


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


@pytest.fixture(scope="module")
def browser():
    if not (CHROMIUM.exists() and CHROMEDRIVER.exists()):
        pytest.skip("headless Chromium is not installed (apt-get install chromium "
                    "chromium-driver; `make test` does it when run as root)")
    webdriver = pytest.importorskip("selenium.webdriver", reason="selenium is not installed "
                                    "(pip install -e '.[dev]')")
    from selenium.webdriver.chrome.service import Service
    os.environ["SE_OFFLINE"] = "true"  # never let Selenium Manager download anything
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    profile = tempfile.mkdtemp(prefix="chainrule-chromium-")
    for flag in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                 "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", f"--user-data-dir={profile}",
                 "--window-size=1400,900"):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(options=options,
                              service=Service(executable_path=str(CHROMEDRIVER)))
    yield driver
    driver.quit()
    shutil.rmtree(profile, ignore_errors=True)


@needs_dot
@pytest.mark.parametrize("clicks", [1, 4])
def test_clicking_next_shows_the_step_text_and_highlights_its_edge(browser, tmp_path, clicks):
    from selenium.webdriver.common.by import By
    root = neuron()
    steps, names = backprop_steps(root), dot_ids(root)
    browser.get(stepper_html(root, tmp_path / "steps.html").as_uri())
    for _ in range(clicks):
        browser.find_element(By.ID, "next").click()
    step = steps[clicks - 1]
    assert browser.find_element(By.ID, "step-text").text == str(step)
    assert browser.find_element(By.ID, "counter").text == f"{clicks} / {len(steps)}"
    edge = f"{names[step.node]}_in{step.position}"
    stroke = browser.execute_script(
        "return document.querySelector(`[id='${arguments[0]}'] path`).getAttribute('stroke')",
        edge)
    assert stroke.lower() == HIGHLIGHT
    op_ring = browser.execute_script(  # the op node that passes the gradient back
        "return document.querySelector(`[id='${arguments[0]}_op'] ellipse`)"
        ".getAttribute('stroke')", names[step.node])
    assert op_ring.lower() == HIGHLIGHT
    others = browser.execute_script(
        "return [...document.querySelectorAll('#picture g.edge path')]"
        ".filter(p => p.getAttribute('stroke').toLowerCase() === arguments[0]).length",
        HIGHLIGHT)
    assert others == 1  # only the current edge is marked


@needs_dot
def test_arrow_keys_and_the_slider_move_between_steps(browser, tmp_path):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
    root = neuron()
    steps = backprop_steps(root)
    browser.get(stepper_html(root, tmp_path / "steps.html").as_uri())
    body = browser.find_element(By.TAG_NAME, "body")
    body.send_keys(Keys.ARROW_RIGHT, Keys.ARROW_RIGHT, Keys.ARROW_RIGHT, Keys.ARROW_LEFT)
    assert browser.find_element(By.ID, "step-text").text == str(steps[1])
    browser.execute_script("const s = document.getElementById('slider'); s.value = 5;"
                           "s.dispatchEvent(new Event('input'));")
    assert browser.find_element(By.ID, "step-text").text == str(steps[4])
    browser.find_element(By.ID, "prev").click()
    assert browser.find_element(By.ID, "counter").text == "4 / 5"


@needs_dot
def test_the_page_fetches_nothing_and_runs_no_label_as_code(browser, tmp_path):
    from selenium.webdriver.common.by import By
    evil = Value(2.0, "<img src=x onerror=window.hacked=1>")
    root = (evil * Value(3.0, "<script>window.hacked=2</script>")).tanh()
    root.backward()
    browser.get(stepper_html(root, tmp_path / "evil.html").as_uri())
    for _ in range(3):
        browser.find_element(By.ID, "next").click()
    assert browser.execute_script("return window.hacked") is None
    assert "<script>window.hacked=2</script>" in browser.find_element(By.ID, "step-text").text
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
    data = re.search(r'<script type="application/json" id="frames">(.*?)</script>', page)
    first_step = json.loads(data.group(1))[1]
    assert first_step["text"].startswith("step 1: n2.grad += d tanh(n2)/dn2 × n3.grad")
    for name in ("n1", "n2", "n3"):
        assert f">{name}</text>" in first_step["svg"]  # the text's names are drawn


@needs_dot
def test_a_node_no_step_reaches_shows_zero_from_the_start_and_is_explained(tmp_path):
    x, y = Value(-1.0, "x"), Value(0.0, "y")
    root = x.relu() * y.sqrt()  # both upstream 0: backward() skips relu and sqrt
    root.backward()
    start = frames(root)[0]
    assert x not in start.unknown and y not in start.unknown
    page = stepper_html(root, tmp_path / "s.html").read_text()
    assert "No step reaches x, y: every node using them has upstream gradient 0" in page
