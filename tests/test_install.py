"""Installing chainrule never breaks another package: one top-level name in the wheel, and
HIPS autograd (import name ``autograd``) keeps working beside it, in either install order.

Slow (fresh venvs, packages from the registry): marked ``install``; ``make test-install``
runs it and ``.ci/run`` calls that.
"""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

pytestmark = pytest.mark.install
ROOT = Path(__file__).resolve().parents[1]
HIPS_WORKS = ("from autograd import grad, elementwise_grad; import autograd.numpy as anp; "
              "print(round(grad(anp.tanh)(1.0), 6))")


def run(*command: str | Path) -> str:
    # cwd="/": from the project root, `python -c "import autograd"` would find our folder
    done = subprocess.run([str(part) for part in command], capture_output=True, text=True,
                          timeout=600, cwd="/")
    assert done.returncode == 0, f"{' '.join(map(str, command))} failed:\n{done.stderr}"
    return done.stdout


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("wheel")
    run(sys.executable, "-m", "pip", "wheel", "-q", "--no-deps",
        "-w", folder, ROOT)
    return next(folder.glob("chainrule-*.whl"))


def fresh_venv(folder: Path) -> Path:
    run(sys.executable, "-m", "venv", folder)
    return folder / "bin"


def pip_install(bin_: Path, *what: str | Path) -> None:
    run(bin_ / "python", "-m", "pip", "install", "-q", "--disable-pip-version-check", *what)


def check_both_work(bin_: Path) -> None:
    assert run(bin_ / "python", "-c", HIPS_WORKS).strip() == "0.419974"  # 1 - tanh(1)^2
    steps = run(bin_ / "chainrule", "steps", "tanh(x)", "x=1")
    assert "0.42" in steps, steps


def test_the_wheel_holds_one_top_level_package(wheel):
    with zipfile.ZipFile(wheel) as archive:
        tops = {name.split("/")[0] for name in archive.namelist()}
    assert {top for top in tops if not top.endswith(".dist-info")} == {"chainrule"}
    assert "chainrule/autograd/value.py" in archive.namelist()


def test_hips_autograd_first_then_chainrule_then_uninstall(wheel, tmp_path):
    bin_ = fresh_venv(tmp_path / "venv")
    pip_install(bin_, "autograd")
    pip_install(bin_, wheel)
    check_both_work(bin_)
    run(bin_ / "python", "-m", "pip", "uninstall", "-y", "-q", "chainrule")
    assert run(bin_ / "python", "-c", HIPS_WORKS).strip() == "0.419974"


def test_chainrule_first_then_hips_autograd(wheel, tmp_path):
    bin_ = fresh_venv(tmp_path / "venv")
    pip_install(bin_, wheel)
    pip_install(bin_, "autograd")
    check_both_work(bin_)
    run(bin_ / "python", "-m", "pip", "check")
