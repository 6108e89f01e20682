"""``chainrule check-engine`` through a real subprocess: exit codes 0, 1, 2 and their output."""

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
ENGINES = ROOT / "tests" / "engines"


def check_engine_in(folder: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "chainrule", "check-engine", *args],
                          capture_output=True, text=True, cwd=folder, timeout=300)


def test_check_engine_passes_a_correct_engine_with_exit_0():
    result = check_engine_in(ENGINES, "lecture:Value", "--graphs", "50")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "agrees with chainrule on 50 random graphs" in result.stdout


def test_check_engine_reports_a_wrong_rule_with_exit_1():
    result = check_engine_in(ENGINES, "wrong_tanh:Value")
    assert result.returncode == 1, result.stderr
    assert "the local gradient of tanh(a) is wrong" in result.stdout
    assert 'chainrule steps "tanh(x0)" x0=' in result.stdout


@pytest.mark.parametrize("target, message", [
    ("wrong_tanh", "expected MODULE:CLASS"),
    ("no_such_module:Value", "cannot import 'no_such_module'"),
    ("wrong_tanh:Nope", "has no class 'Nope'"),
    ("fractions:Fraction", "Value(0.5) with .data 0.5"),
])
def test_check_engine_usage_errors_are_one_line_with_exit_2(target, message):
    result = check_engine_in(ENGINES, target)
    assert result.returncode == 2
    assert message in result.stderr and len(result.stderr.strip().splitlines()) == 1
