"""quiz(root): the CLI's quiz, for a notebook: answers from a list or through input()."""

from __future__ import annotations

import io
import subprocess
import sys

import pytest
from chainrule.autograd import Value
from chainrule.autograd.quiz import quiz
from chainrule.autograd.steps import backprop_steps


def neuron() -> Value:
    x, w, b = Value(0.5, "x"), Value(-1.5, "w"), Value(0.8, "b")
    return (x * w + b).tanh()


def test_quiz_from_a_list_checks_each_answer_and_explains_a_wrong_one(capsys):
    x, y = Value(2.0, "x"), Value(3.0, "y")
    assert quiz(x * y, answers=["2", "7"]) == (1, 2)  # dz/dy = x = 2 right; dz/dx = 3, not 7
    out = capsys.readouterr().out
    assert "right: 2.0" in out and "not quite: dn1/dx = 3.0, not 7.0." in out
    assert "d(x * y)/dx = y = 3.0" in out and out.rstrip().endswith("score: 1/2")


def test_quiz_writes_each_local_gradient_as_the_step_table_does(capsys):
    root = neuron()
    quiz(root, reveal=True)
    out = capsys.readouterr().out
    for step in backprop_steps(root):   # "d(n1 + b)/db = 1", not "= 1 = 1.0"
        assert f": {step.local_text()}, × upstream" in out


def test_quiz_asks_through_input_until_it_ends(monkeypatch, capsys):
    typed = iter(["2"])

    def fake_input(prompt: str = "") -> str:
        try:
            return next(typed)
        except StopIteration:
            raise EOFError from None  # Ctrl-D, or a notebook with no more input

    monkeypatch.setattr("builtins.input", fake_input)
    x, y = Value(2.0, "x"), Value(3.0, "y")
    assert quiz(x * y) == (1, 1)
    assert "(stopped)" in capsys.readouterr().out


def test_quiz_gives_the_cli_the_same_text_as_a_notebook(capsys):
    answers = "0.3\nskip\nabc\n-0.9\nq\n"
    quiz(neuron(), answers=answers.splitlines())
    in_notebook = capsys.readouterr().out
    cli = subprocess.run([sys.executable, "-m", "chainrule", "quiz", "tanh(x*w + b)",
                          "x=0.5", "w=-1.5", "b=0.8"], input=answers, capture_output=True,
                         text=True, check=True)
    # the CLI names the root "out"; the notebook's root is unlabelled, so n3
    assert cli.stdout.replace("dout/", "dn3/").replace("out.grad", "n3.grad").replace(
        "out = ", "n3 = ") == in_notebook


def test_quiz_refuses_a_negative_tolerance_before_asking(capsys):
    with pytest.raises(ValueError, match="tolerance must be a number >= 0"):
        quiz(neuron(), answers=io.StringIO("1\n"), tolerance=-1)
    assert capsys.readouterr().out == ""


def test_quiz_says_to_pass_answers_where_a_notebook_takes_no_input(monkeypatch):
    def no_input(prompt: str = "") -> str:
        raise NotImplementedError("raw_input was called, but this frontend does not support "
                                  "input requests.")  # what IPython raises then

    monkeypatch.setattr("builtins.input", no_input)
    with pytest.raises(RuntimeError, match=r"Pass the answers as a list: quiz\(root, answers="):
        quiz(neuron())
