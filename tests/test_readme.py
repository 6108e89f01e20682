"""The README's examples run as written, and print what the README says they print.

A ```python block runs in a fresh namespace (with the working directory at the project
root); when a plain ``` block follows it directly, that block is its expected output.
"""

import contextlib
import io
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
BLOCK = re.compile(r"```python\n(.*?)```\n(?:```\n(.*?)```)?", re.S)


def readme_examples() -> list[tuple[str, str | None]]:
    return BLOCK.findall((ROOT / "README.md").read_text())


@pytest.mark.parametrize("code, expected", readme_examples(),
                         ids=lambda item: (item or "")[:30] if isinstance(item, str) else "")
def test_readme_example_runs_and_prints_what_the_readme_shows(code, expected,
                                                              monkeypatch, tmp_path):
    monkeypatch.chdir(ROOT)
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        exec(compile(code, "README.md", "exec"), {"__name__": "readme"})  # our own text
    if expected:
        assert printed.getvalue().strip() == expected.strip()


def test_readme_names_the_two_commands():
    text = (ROOT / "README.md").read_text()
    assert "make demo" in text and "make test" in text
