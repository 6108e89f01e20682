"""The house rules that keep the code readable: imports point down; viz only looks.

autograd/ imports nothing of ours; nn/ and viz/ import autograd only (never each other);
viz never changes a graph it draws.
"""

from __future__ import annotations

import ast
from pathlib import Path

from chainrule.autograd import Value, scope, topological_order

ROOT = Path(__file__).resolve().parents[1]
MAY_IMPORT = {"autograd": set(), "nn": {"autograd"}, "viz": {"autograd"}}
OURS = {"autograd", "nn", "viz", "chainrule", "demos", "scripts", "benchmarks", "tests"}


def house_of(module: str) -> str:
    """The folder a dotted import lands in: chainrule.nn.layers -> nn, chainrule.cli -> chainrule.

    A bare ``autograd``/``nn``/``viz`` is marked "bare": installed, those names belong to other
    packages (HIPS autograd, for one), and in the repository they would load a second copy.
    """
    parts = module.split(".")
    if parts[0] == "chainrule":
        return parts[1] if len(parts) > 1 and parts[1] in MAY_IMPORT else "chainrule"
    return f"bare {parts[0]}" if parts[0] in MAY_IMPORT else parts[0]


def project_imports(path: Path, root: Path = ROOT) -> set[str]:
    """The folders of ours that a file imports from (a relative import = its own folder)."""
    tree = ast.parse(path.read_text(), filename=str(path))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {house_of(alias.name) for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            if node.level:  # "from . import x" stays inside the package
                names.add(path.relative_to(root).parts[0])
            elif node.module == "chainrule":  # from chainrule import nn
                names |= {house_of(f"chainrule.{alias.name}") for alias in node.names}
            elif node.module:
                names.add(house_of(node.module))
    return names & (OURS | {f"bare {name}" for name in MAY_IMPORT})


def test_imports_point_down_only():
    for package, allowed in MAY_IMPORT.items():
        for path in (ROOT / package).rglob("*.py"):
            for name in project_imports(path):
                assert name == package or name in allowed, (
                    f"{path.relative_to(ROOT)} imports {name}; {package}/ may "
                    f"import only {sorted(allowed) or 'the standard library'}")


def test_project_imports_sees_plain_from_and_relative_imports(tmp_path):
    (tmp_path / "viz").mkdir()
    sample = tmp_path / "viz" / "sample.py"
    sample.write_text("import chainrule.nn.layers\nfrom chainrule.autograd import Value\n"
                      "from . import graph\nfrom chainrule import cli\nimport numpy\n"
                      "import autograd\n")
    assert project_imports(sample, root=tmp_path) == {
        "nn", "autograd", "viz", "chainrule", "bare autograd"}


def test_no_file_imports_the_bare_folder_names():
    for path in ROOT.rglob("*.py"):
        if ".venv" in path.parts or "build" in path.parts:
            continue
        bare = {name for name in project_imports(path) if name.startswith("bare ")}
        assert not bare, (f"{path.relative_to(ROOT)} imports {sorted(bare)}: write "
                          "chainrule.autograd / chainrule.nn / chainrule.viz")


def snapshot(root: Value) -> list[tuple]:
    return [(node.data, node.grad, node.parents, node.op, node.label, node.scope)
            for node in topological_order(root)]


def test_drawing_leaves_every_node_unchanged(tmp_path):
    from chainrule import viz  # here, so that the import-arrow test above runs even if viz breaks

    x = Value(0.5, "x")
    with scope("L0"), scope("N0"):
        w, b = Value(-1.5, "w"), Value(0.8, "b")
        h = (x * w + b).tanh()
    with scope("L1"), scope("N0"):
        y = h * Value(2.0, "v") + h.sqrt() * 0 + 1
    y.backward()
    before = snapshot(y)
    for kwargs in ({}, {"show_formulas": True, "grad_colors": True}, {"collapse": "neuron"},
                   {"collapse": "layer"}, {"highlight": [h], "highlight_edges": [(x, h)],
                                           "unknown_grads": [x]}):
        viz.render(y, tmp_path / "g.dot", **kwargs)
    viz.dot_ids(y)
    assert snapshot(y) == before
