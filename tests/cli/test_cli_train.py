"""`chainrule train` and `chainrule draw --mlp` through a real subprocess."""

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from chainrule.nn import MLP

ROOT = Path(__file__).resolve().parents[2]


def chainrule(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "chainrule", *args], capture_output=True,
                          text=True, cwd=ROOT, timeout=300)


def test_train_learns_xor_and_reports_the_final_numbers():
    result = chainrule("train", "xor", "--hidden", "8", "--optimizer", "sgd", "--lr", "0.5",
                       "--epochs", "200", "--seed", "0")
    assert result.returncode == 0, result.stderr
    assert "training MLP(2, [8, 1]) on xor (4 points, 2 classes) with sgd lr=0.5" in result.stdout
    assert "after 200 epochs (completed):" in result.stdout
    assert "accuracy 1.0000" in result.stdout
    assert "fit: 100%" in result.stderr  # the progress bar


def test_train_on_the_spiral_uses_one_output_per_class_and_is_reproducible():
    args = ("train", "spiral", "--hidden", "8", "--samples", "30", "--epochs", "3",
            "--no-progress", "--seed", "3")
    first, second = chainrule(*args), chainrule(*args)
    assert first.returncode == 0, first.stderr
    assert "MLP(2, [8, 3]) on spiral (30 points, 3 classes)" in first.stdout
    assert first.stdout == second.stdout and first.stderr == ""


def test_train_saves_a_model_that_loads_and_plots_its_boundary(tmp_path):
    model_path, plot = tmp_path / "xor.json", tmp_path / "xor.png"
    result = chainrule("train", "xor", "--hidden", "4", "--epochs", "5", "--no-progress",
                       "--save", str(model_path), "--plot", str(plot))
    assert result.returncode == 0, result.stderr
    assert json.loads(model_path.read_text())
    assert len(MLP.load(model_path).parameters()) == 4 * 3 + 1 * 5
    assert plot.read_bytes()[:4] == b"\x89PNG"
    assert (tmp_path / "xor-history.png").exists()


@pytest.mark.parametrize("args, message", [
    (["--epochs", "0"], "--epochs must be a whole number >= 1, got 0"),
    (["--lr", "-1"], "--lr must be a number > 0 (or a schedule k -> lr), got -1.0"),
    (["--lr", "nan"], "--lr needs a finite number, got nan"),
    (["--batch-size", "0"], "--batch-size must be a whole number >= 1, got 0"),
    (["--hidden", "16,x"], "--hidden '16,x': write sizes as whole numbers"),
    (["--hidden", "0"], "need at least 1 size(s), each >= 1"),
    (["--samples", "2"], "--samples 2: generate at least 6 points"),
    (["--optimizer", "rmsprop"], "invalid choice: 'rmsprop'"),
])
def test_train_refuses_bad_options_with_exit_code_two(args, message):
    result = chainrule("train", "moons", "--no-progress", *args)
    assert result.returncode == 2 and message in result.stderr
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    assert "training" not in result.stdout  # refused before the header, before any training


def test_train_refuses_a_plot_suffix_it_cannot_write_before_training(tmp_path):
    plot = tmp_path / "boundary.xyz"
    result = chainrule("train", "xor", "--epochs", "1", "--no-progress", "--plot", str(plot))
    assert result.returncode == 2, result.stdout + result.stderr
    assert "training" not in result.stdout  # refused before any training
    (message,) = result.stderr.strip().splitlines()  # one line, no traceback
    assert f"--plot: cannot save a plot as {str(plot)!r}" in message and ".png" in message
    assert not plot.exists()


def test_train_refuses_an_unknown_data_set():
    result = chainrule("train", "mnist")
    assert result.returncode == 2 and "invalid choice: 'mnist'" in result.stderr


@pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz's dot is missing")
def test_draw_mlp_collapses_each_neuron_into_one_box(tmp_path):
    target = tmp_path / "net.dot"
    result = chainrule("draw", "--mlp", "2,16,16,1", "--collapse", "neuron", "-o", str(target))
    assert result.returncode == 0, result.stderr
    dot = target.read_text()
    assert "L0.N15" in dot and "L2.N0" in dot and "parameters" in dot


def test_draw_mlp_without_collapse_hits_the_size_guard_with_advice(tmp_path):
    result = chainrule("draw", "--mlp", "2,16,16,1", "-o", str(tmp_path / "net.svg"))
    assert result.returncode == 2
    assert "collapse" in result.stderr and "Traceback" not in result.stderr


def test_train_offers_the_data_sets_and_optimizers_the_library_names():
    from chainrule import nn
    from chainrule.cli import build_parser
    from chainrule.cli.train import DEFAULT_LR

    train = build_parser()._subparsers._group_actions[0].choices["train"]
    choices = {action.dest: action.choices for action in train._actions}
    assert list(choices["dataset"]) == list(nn.DATASETS)
    assert list(choices["optimizer"]) == list(nn.OPTIMIZERS)
    assert set(DEFAULT_LR) == set(nn.OPTIMIZERS)  # each has the learning rate it starts at
    for name in nn.DATASETS:  # each one a name the library can make
        X, y = nn.make_dataset(name, 12, seed=0)
        assert X.shape == (len(y), 2)


def test_the_public_parser_reports_a_mistake_as_a_system_exit_with_code_two():
    from chainrule.cli import build_parser
    with pytest.raises(SystemExit) as exit_:
        build_parser().parse_args(["train", "moons", "--optimizer", "rmsprop"])
    assert exit_.value.code == 2 and "invalid choice: 'rmsprop'" in str(exit_.value)
