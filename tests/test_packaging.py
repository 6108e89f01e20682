"""One import name: the facade, the version, the optional extras' messages, a missing `dot`."""

from __future__ import annotations

import importlib.metadata
import os
import subprocess
import sys
from pathlib import Path

import pytest

import chainrule as cr
from chainrule.cli import main

ROOT = Path(__file__).resolve().parents[1]


def test_the_facade_gives_the_everyday_names_from_the_subpackages():
    from chainrule.autograd import Value
    from chainrule.nn import MLP
    from chainrule.viz import draw_graph
    assert cr.Value is Value and cr.MLP is MLP and cr.draw_graph is draw_graph
    for name in ("explain", "why", "gradcheck", "grad", "fit", "stepper_html", "parse"):
        assert callable(getattr(cr, name)), name
    assert sorted(cr.__all__) == sorted(set(cr.__all__))


def test_version_has_one_source(capsys):
    from chainrule._version import __version__
    assert cr.__version__ == __version__
    assert importlib.metadata.version("chainrule") == __version__  # pyproject reads it
    assert main(["--version"]) == 0
    assert capsys.readouterr().out.strip() == f"chainrule {__version__}"


def test_python_dash_m_chainrule_runs_the_command_line():
    done = subprocess.run([sys.executable, "-m", "chainrule", "--version"],
                          capture_output=True, text=True, cwd="/")
    assert done.returncode == 0 and done.stdout.startswith("chainrule ")


def test_the_testing_module_without_hypothesis_names_the_extra():
    # a fresh interpreter in which `import hypothesis` fails, as on a plain install
    code = ("import sys; sys.modules['hypothesis'] = None\n"
            "try:\n    import chainrule.autograd.testing\n"
            "except ImportError as error:\n    print(error)\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert "pip install 'chainrule[testing]'" in done.stdout, done.stdout + done.stderr


@pytest.mark.parametrize("words", [
    ["steps", "tanh(x)", "x=1", "--html", "{tmp}/s.html"],
    ["steps", "tanh(x)", "x=1", "--frames", "{tmp}/frames"],
    ["draw", "tanh(x)", "x=1", "-o", "{tmp}/g.svg"],
])
def test_a_missing_dot_is_one_line_and_exit_2_on_the_command_line(words, tmp_path):
    words = [word.format(tmp=tmp_path) for word in words]
    env = {**os.environ, "PATH": str(Path(sys.executable).parent)}  # python, but no dot
    done = subprocess.run([sys.executable, "-m", "chainrule", *words], capture_output=True,
                          text=True, env=env)
    assert done.returncode == 2
    assert done.stderr.count("\n") == 1, done.stderr
    assert "needs Graphviz's 'dot' program" in done.stderr and "apt-get install" in done.stderr
    assert not any(tmp_path.rglob("*.svg")) and not any(tmp_path.rglob("*.html"))


def test_a_missing_dot_is_named_by_the_stepper_before_any_work(tmp_path, monkeypatch):
    from chainrule.viz.dot import DotNotFoundError
    monkeypatch.setenv("PATH", "")
    with pytest.raises(DotNotFoundError, match="stepper_html: needs Graphviz's 'dot'"):
        cr.stepper_html(cr.Value(1.0, "x").exp(), tmp_path / "s.html")
    assert list(tmp_path.iterdir()) == []
