"""The picture commands through a real subprocess: draw, steps --html, steps --frames."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
NEURON = ["tanh(x*w + b)", "x=0.5", "w=-1.5", "b=0.8"]
pytestmark = pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz's dot is missing")


def chainrule(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "chainrule", *args], capture_output=True,
                          text=True, cwd=ROOT, timeout=300)


def test_draw_writes_an_svg_with_every_named_node(tmp_path):
    result = chainrule("draw", *NEURON, "--formulas", "-o", str(tmp_path / "g.svg"))
    assert result.returncode == 0, result.stderr
    svg = (tmp_path / "g.svg").read_text()
    for name in ("x", "w", "b", "n1", "n2", "out"):
        assert f">{name}</text>" in svg
    assert "tanh(n2)^2 = 0.9975" in svg  # Graphviz writes the "1 - " as "1 &#45; "


def test_draw_writes_dot_text_into_a_new_folder(tmp_path):
    target = tmp_path / "new" / "g.dot"
    result = chainrule("draw", "x*x", "x=3", "-o", str(target))
    assert result.returncode == 0, result.stderr
    assert target.read_text().startswith("digraph chainrule {")
    assert result.stdout.strip() == f"wrote {target}"


def test_draw_refuses_a_graph_above_max_nodes_with_advice(tmp_path):
    result = chainrule("draw", "x*x + x*x", "x=3", "--max-nodes", "2", "-o",
                       str(tmp_path / "g.svg"))
    assert result.returncode == 2 and "more than max_nodes=2" in result.stderr
    assert "Traceback" not in result.stderr


def test_steps_writes_the_html_stepper_and_says_how_to_open_it(tmp_path):
    page = tmp_path / "out" / "steps.html"
    result = chainrule("steps", *NEURON, "--html", str(page))
    assert result.returncode == 0, result.stderr
    assert page.exists() and "open it in a browser" in result.stdout
    assert page.resolve().as_uri() in result.stdout
    assert page.read_text().count('"title":') == 6  # the start and five steps


def test_steps_html_steps_through_a_dead_relu_whose_sqrt_gets_no_gradient(tmp_path):
    page = tmp_path / "steps.html"
    result = chainrule("steps", "relu(x)*sqrt(y)", "x=-1", "y=0", "--html", str(page))
    assert result.returncode == 0, result.stderr
    assert "No step reaches x, y" in page.read_text()


def test_steps_writes_one_svg_frame_per_step(tmp_path):
    result = chainrule("steps", "x*y", "x=2", "y=3", "--frames", str(tmp_path / "f"))
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in (tmp_path / "f").iterdir()) == [
        "frame_000.svg", "frame_001.svg", "frame_002.svg"]


def test_steps_refuses_a_graph_too_large_to_lay_out_before_running_dot(tmp_path):
    formula = " + ".join(f"x*{k}" for k in range(250))  # 748 steps, but a long layout
    result = chainrule("steps", formula, "x=1", "--html", str(tmp_path / "s.html"))
    assert result.returncode == 2 and "more than 1200, which takes Graphviz" in result.stderr
    assert not (tmp_path / "s.html").exists()
