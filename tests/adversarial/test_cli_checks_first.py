"""Issue 17, items 10 and 12: the CLI checks what it was given before doing any work."""

import subprocess
import sys


def _chainrule(*words: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "chainrule", *words],
                          capture_output=True, text=True, timeout=120)


def test_train_refuses_an_unwritable_save_path_before_training(tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    result = _chainrule("train", "xor", "--epochs", "1", "--no-progress",
                        "--save", str(blocker / "model.json"))
    assert result.returncode == 2
    assert "training" not in result.stdout          # refused before the first epoch
    assert result.stderr.count("\n") == 1 and "--save" in result.stderr
    assert "is a file" in result.stderr
