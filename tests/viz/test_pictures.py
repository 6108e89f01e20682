"""The neuron demo and the README pictures script run, and write real pictures."""

from __future__ import annotations

import importlib.util
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
needs_dot = pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz's dot is missing")


def load(relative: str):
    """Import a script by path (demos/ and scripts/ are not packages)."""
    spec = importlib.util.spec_from_file_location(Path(relative).stem, ROOT / relative)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@needs_dot
def test_draw_neuron_demo_writes_micrograds_neuron_with_data_and_grads(tmp_path, capsys):
    path = load("demos/draw_neuron.py").main(quick=True, out=tmp_path)
    texts = ["".join(t.itertext()) for t in ET.parse(path).getroot().iter(
        "{http://www.w3.org/2000/svg}text")]
    for label in ("x1", "x2", "w1", "w2", "b", "n", "o", "tanh"):
        assert label in texts
    assert "data 0.7071" in texts and "data 0.8814" in texts  # o = tanh(n)
    # do/dn = 1 - 0.7071^2 = 0.5 reaches n, b, both sums and products; and x2 (w2 * 0.5)
    assert texts.count("grad 0.5") == 6
    assert "1 - tanh(n)^2 = 0.5" in texts
    assert str(path) in capsys.readouterr().out


@needs_dot
def test_pictures_script_writes_all_four_readme_pictures(tmp_path):
    paths = load("scripts/pictures.py").main(tmp_path, quick=True)
    assert [p.name for p in paths] == ["neuron.svg", "mlp.svg", "moons_boundary.png",
                                       "moons_loss.png"]
    for path in paths:
        assert path.stat().st_size > 1000
    assert ET.parse(tmp_path / "mlp.svg").getroot().tag.endswith("svg")
