"""The command line through a real subprocess: output, exit codes, no tracebacks."""

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
NEURON = ["tanh(x*w + b)", "x=0.5", "w=-1.5", "b=0.8"]


def chainrule(*args: str, answers: str = "") -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "chainrule", *args], input=answers,
                          capture_output=True, text=True, cwd=ROOT, timeout=120)


def test_steps_prints_the_forward_and_backward_tables():
    result = chainrule("steps", *NEURON)
    assert result.returncode == 0, result.stderr
    assert "n1 = x * w = 0.5 * -1.5 = -0.75" in result.stdout
    assert "d tanh(n2)/dn2 = 1 - tanh(n2)^2 = 0.9975" in result.stdout
    assert "gradients: x = -1.4963, w = 0.4988, b = 0.9975" in result.stdout


def test_output_piped_into_a_reader_that_stopped_ends_quietly():
    # `chainrule steps ... | head -1`: the reader is gone, which is no mistake of the user's
    process = subprocess.Popen([sys.executable, "-m", "chainrule", "steps", *NEURON],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=ROOT)
    process.stdout.close()                  # no reader: the first write gets EPIPE
    stderr = process.communicate(timeout=120)[1].decode()
    assert stderr == "" and process.returncode == 141


def test_steps_why_lists_each_path_and_its_product():
    result = chainrule("steps", "x*x + x", "x=3", "--why", "x")
    assert result.returncode == 0, result.stderr
    assert "over the 3 path(s) from x to out" in result.stdout
    assert "sum = 7.0 = x.grad" in result.stdout


def test_steps_through_a_dead_relu_skips_sqrt_at_zero_as_backward_does():
    # relu(-1) = 0 and sqrt(0) = 0: both factors get upstream 0, so sqrt'(0) is never needed
    result = chainrule("steps", "relu(x)*sqrt(y)", "x=-1", "y=0", "--why", "y")
    assert result.returncode == 0, result.stderr
    assert "skipped, as backward() does" in result.stdout
    assert "gradients: x = 0.0, y = 0.0" in result.stdout
    assert "y -> n2 -> out: skipped × 0.0 = 0.0" in result.stdout


def test_the_quiz_explains_a_gradient_that_no_step_reaches():
    result = chainrule("quiz", "relu(x)*sqrt(y)", "x=-1", "y=0", answers="0\n1\n")
    assert result.returncode == 0, result.stderr
    assert "not quite: dout/dy = 0.0, not 1.0." in result.stdout
    assert "y gets no contribution: n2 has upstream gradient 0" in result.stdout


def test_check_passes_with_exit_code_zero():
    result = chainrule("check", *NEURON)
    assert result.returncode == 0
    assert result.stdout.startswith("gradcheck passed: 3 of 3 inputs agree")


def test_check_at_a_kink_fails_with_exit_code_one():
    result = chainrule("check", "relu(x) * y", "x=0", "y=2")
    assert result.returncode == 1
    assert "gradcheck FAILED" in result.stdout and "near a kink" in result.stdout


def test_the_quiz_takes_right_wrong_and_non_numeric_answers_from_a_pipe():
    # backward order for x*y + x: out, then n1 (= x*y), then y, then x
    answers = "1\nabc\n3\n0.5\n7\n"  # n1 right; 'abc' re-asked; y: 3 wrong (is 2); x: 0.5, 7
    result = chainrule("quiz", "x*y + x", "x=2", "y=3", answers=answers)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "dout/dn1 = ? right: 1.0" in out
    assert "'abc' is not a number" in out
    assert "not quite: dout/dy = 2.0, not 3.0." in out
    assert "from n1 = x * y: d(x * y)/dy = x = 2.0, × upstream n1.grad = 1.0" in out
    assert "not quite: dout/dx = 4.0, not 0.5." in out  # y + 1 = 4: used twice
    assert "x is used 2 time(s)" in out and "sum: 4.0" in out
    assert out.rstrip().endswith("score: 1/3")


def test_the_quiz_stops_cleanly_when_the_answers_run_out():
    result = chainrule("quiz", "x*y + x", "x=2", "y=3", answers="1\n")
    assert result.returncode == 0
    assert "(stopped)" in result.stdout and "score: 1/1" in result.stdout


def test_the_quiz_reveal_prints_every_answer_without_asking():
    result = chainrule("quiz", "x*y", "x=2", "y=3", "--reveal")
    assert result.returncode == 0
    assert "dout/dy = 2.0" in result.stdout and "dout/dx = 3.0" in result.stdout
    assert "?" not in result.stdout and "score" not in result.stdout


@pytest.mark.parametrize("args, message", [
    (["steps", "tanh(x", "x=1"], "'(' was never closed"),
    (["steps", "x + y.real", "x=1", "y=2"], "attribute access (.real)"),
    (["steps", "x * q", "x=1"], "unknown name 'q'"),
    (["steps", "log(x)", "x=-1"], "log(x) needs x > 0"),
    (["steps", "x", "x=abc"], "'abc' is not a number"),
    (["steps", "x", "x"], "expected name=number"),
    (["steps", "--", "-x", "x=1", "--why", "x"], "'--why' after -- reads as a variable, not "
                                                 "an option; put options before the --"),
    (["steps", "x", "x=1", "x=2"], "x is given twice"),
    (["steps", "x", "x=nan"], "x: needs a finite number, got 'nan'; write e.g. x=0.5"),
    (["steps", "x*2", "x=2", "\uff59=3"], "error: non-ASCII character '\uff59' (U+FF59 "
                                          "FULLWIDTH LATIN SMALL LETTER Y); write it in ASCII"),
    (["steps", "x", "x=1", "--why", "z"], "--why z: no such variable"),
    (["check", "2 * 3"], "check needs at least one variable"),
    (["steps", "sqrt(x)", "x=0"], "the gradient 1/(2*sqrt(x)) is infinite at x=0"),
    (["quiz", "sqrt(x)", "x=0"], "the gradient 1/(2*sqrt(x)) is infinite at x=0"),
    (["draw", "x", "x=1", "-o", "graph.gif"], "give a file ending in .svg"),
    (["draw", "-o", "graph.svg"], "give a formula"),
    (["draw", "--mlp", "2,x", "-o", "net.svg"], "write sizes as whole numbers"),
    (["train", "moons", "--epochs", "0"], "--epochs"),
    (["steps"], "the following arguments are required: EXPRESSION"),
    (["frobnicate"], "invalid choice: 'frobnicate'"),
    (["quiz", "x", "x=1", "--tolerance", "much"], "invalid float value: 'much'"),
    (["quiz", "x", "x=1", "--tolerance", "-1"], "--tolerance -1.0: give a number >= 0"),
    (["check", "x", "x=1", "--eps", "0"], "--eps 0.0: give a number > 0, e.g. --eps 1e-6"),
    (["check", "x", "x=1", "--atol", "nan"], "--atol nan: give a number >= 0, e.g. --atol 1e-8"),
    (["steps", "x", "x=1", "--why", "x", "--limit", "0"], "--limit 0: list at least 1 path"),
])
def test_a_user_mistake_exits_two_with_a_message_and_no_traceback(args, message):
    result = chainrule(*args)
    assert result.returncode == 2, result.stdout + result.stderr
    assert message in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("command", ["steps", "draw", "check", "quiz", "train"])
def test_every_command_has_help_with_an_example(command):
    result = chainrule(command, "--help")
    assert result.returncode == 0
    assert "examples:" in result.stdout and f"chainrule {command}" in result.stdout


def test_the_top_level_help_lists_every_command_and_the_exit_codes():
    result = chainrule("--help")
    assert result.returncode == 0
    for command in ("steps", "draw", "check", "quiz", "train"):
        assert command in result.stdout
    assert "exit codes: 0 ok, 1 check failed, 2 usage or formula error" in result.stdout


def test_no_command_prints_help_and_exits_two():
    result = chainrule()
    assert result.returncode == 2 and "usage: chainrule" in result.stdout


def test_a_formula_starting_with_minus_goes_after_a_double_dash():
    result = chainrule("steps", "--", "-x*y", "x=1", "y=2")
    assert result.returncode == 0, result.stderr
    assert "gradients: x = -2.0, y = -1.0" in result.stdout


def test_the_console_script_runs_main():
    script = Path(sys.executable).parent / "chainrule"
    if not script.exists():
        pytest.skip(f"no console script at {script}: run `pip install -e .` first")
    result = subprocess.run([str(script), "check", "x*x", "x=3"], capture_output=True,
                            text=True, timeout=120)
    assert result.returncode == 0 and "passed" in result.stdout
