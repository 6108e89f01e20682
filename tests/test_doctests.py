"""Every docstring example in the library runs, imported by its one installed name.

pytest's own ``--doctest-modules`` imports a file by its path, so ``autograd/value.py``
would load as a second module ``autograd.value`` beside ``chainrule.autograd.value`` (two
``Value`` classes, two op tables). Here each module is imported as ``chainrule.…`` and its
examples are run with the standard library's doctest.
"""

from __future__ import annotations

import doctest
import importlib
import pkgutil
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
LIBRARY_FOLDERS = [ROOT / name for name in ("autograd", "nn", "viz", "chainrule")]


def library_modules() -> list[str]:
    """Every module of the installed package, by dotted name (chainrule.autograd.value, ...).

    The subpackages live in other folders than chainrule/ (the build maps them), so each
    one's own ``__path__`` is walked.
    """
    names = set()
    for package in ("chainrule", "chainrule.autograd", "chainrule.nn", "chainrule.viz"):
        names.add(package)
        path = importlib.import_module(package).__path__
        names |= {info.name for info in pkgutil.walk_packages(path, f"{package}.")}
    return sorted(names)


MODULES = library_modules()


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples_run(name, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # examples that write files write them here
    module = importlib.import_module(name)
    finder = doctest.DocTestFinder(exclude_empty=True)
    runner = doctest.DocTestRunner(optionflags=doctest.NORMALIZE_WHITESPACE)
    for test in finder.find(module, name):
        runner.run(test)
    failed, attempted = runner.summarize(verbose=False)
    assert failed == 0, f"{failed} of {attempted} examples failed in {name} (see above)"


def test_the_walk_finds_every_subpackage():
    for expected in ("chainrule.autograd.value", "chainrule.nn.layers", "chainrule.viz.graph",
                     "chainrule.cli.steps"):
        assert expected in MODULES


def test_each_library_module_is_loaded_once():
    for name in MODULES:
        importlib.import_module(name)
    for name, module in list(sys.modules.items()):
        path = Path(getattr(module, "__file__", None) or "/").resolve()
        inside = any(folder in path.parents for folder in LIBRARY_FOLDERS)
        assert not inside or name.startswith("chainrule"), (
            f"{path.relative_to(ROOT)} is loaded a second time as '{name}': import it "
            f"as chainrule.{path.parent.name}.{path.stem}, and run doctests through "
            "tests/test_doctests.py, not pytest --doctest-modules")
