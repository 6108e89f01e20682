"""Issue 17, items 10, 11 and 12: the CLI checks what it was given before doing any work."""

import subprocess
import sys

import pytest
from chainrule.autograd import Value
from chainrule.autograd.parse import ParseError, parse

from chainrule.cli import main


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


def test_steps_gives_no_gradient_rows_to_numbers_typed_in_the_formula():
    result = _chainrule("steps", "x**2 + 3*x", "x=2")
    assert result.returncode == 0, result.stderr
    backward = result.stdout.split("backward pass")[1]
    assert "(3.0).grad" not in backward and "(2.0).grad" not in backward
    assert "ln(x)" not in backward      # d(x**2)/d(2) = x^2 * ln(x) is nobody's question
    assert "gradients: x = 7.0" in result.stdout   # 2x + 3 at x = 2


def _one_line_refusal(*words: str) -> str:
    result = _chainrule(*words)
    assert result.returncode == 2 and result.stderr.count("\n") == 1, result.stderr
    return result.stderr


def test_a_variable_the_formula_does_not_use_is_named():
    assert "does not use y" in _one_line_refusal("steps", "x", "x=2", "y=3")


def test_a_negative_seed_names_the_option():
    assert "--seed -1" in _one_line_refusal("train", "xor", "--seed", "-1", "--no-progress")


def test_draw_advises_the_collapse_option_not_the_keyword(tmp_path):
    stderr = _one_line_refusal("draw", "--mlp", "2,16,16,1", "-o", str(tmp_path / "n.svg"))
    assert "--collapse neuron" in stderr and "collapse='neuron'" not in stderr


def test_leaky_relu_in_a_formula_takes_the_methods_default_slope():
    # one default, in the op table: leaky_relu(y) in a formula is Value.leaky_relu()
    assert parse("leaky_relu(y)", y=-2.0).data == Value(-2.0).leaky_relu().data == -0.02
    assert parse("leaky_relu(y, 0.2)", y=-2.0).data == -0.4
    with pytest.raises(ParseError, match=r"leaky_relu\(\) takes 1 or 2 argument"):
        parse("leaky_relu()")
    assert main(["steps", "leaky_relu(y)", "y=-2"]) == 0


@pytest.mark.parametrize("batch", [False, True])
def test_softmax_cross_entropy_on_a_one_output_model_says_the_model_has_one_output(batch):
    from chainrule.nn import MLP, softmax_cross_entropy
    model = MLP(2, [1], seed=0)
    outputs = [model([1.0, 2.0]), model([0.5, -1.0])]
    logits, target = (outputs, [0, 1]) if batch else (outputs[0], 0)
    with pytest.raises(TypeError, match="the model has one output"):
        softmax_cross_entropy(logits, target)
