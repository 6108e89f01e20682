"""Issue 17, item 12 (the rest): a formula starting with '-' gets the `--` hint, names in a
formula and its bindings are ASCII (one clear line, naming the character and the ASCII
name), and the quiz's reveal mode does not ask for answers it is about to give."""

import subprocess
import sys

import pytest
from chainrule.autograd import Value
from chainrule.autograd.quiz import quiz


def _chainrule(*words: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "chainrule", *words],
                          capture_output=True, text=True, timeout=120)


def test_quiz_reveal_prints_the_answers_without_asking_for_them():
    result = _chainrule("quiz", "x*y", "x=2", "y=3", "--reveal")
    assert result.returncode == 0, result.stderr
    assert "Give" not in result.stdout and "? " not in result.stdout
    assert "dout/dy = 2.0" in result.stdout and "dout/dx = 3.0" in result.stdout


def test_the_library_quiz_reveals_without_the_prompt_too(capsys):
    x, y = Value(2.0, "x"), Value(3.0, "y")
    assert quiz(x * y, reveal=True) == (0, 2)
    assert "Give" not in capsys.readouterr().out


@pytest.mark.parametrize("command", [["steps"], ["check"], ["quiz", "--reveal"], ["draw"]])
def test_a_formula_starting_with_a_minus_gets_one_line_saying_to_put_double_dash_first(
        command, tmp_path):
    options = ["-o", str(tmp_path / "g.dot")] if command == ["draw"] else []
    result = _chainrule(*command, "-x*y", "x=2", "y=3", *options)
    assert result.returncode == 2 and result.stderr.count("\n") == 1, result.stderr
    assert "put -- before" in result.stderr and "Traceback" not in result.stderr
    suggested = result.stderr.split(": chainrule ", 1)[1].strip()
    fixed = subprocess.run(f"{sys.executable} -m chainrule {suggested}", shell=True,
                           capture_output=True, text=True, timeout=120)
    assert fixed.returncode == 0, (suggested, fixed.stderr)     # the advice works as given


def test_a_mistyped_option_gets_argparses_own_message_not_the_formula_hint():
    result = _chainrule("steps", "x*y", "x=2", "y=3", "--nonsense")
    assert result.returncode == 2 and "--nonsense" in result.stderr
    assert "put --" not in result.stderr


FULL_WIDTH_X = "\uff58"   # ｘ, FULLWIDTH LATIN SMALL LETTER X: NFKC turns it into x


@pytest.mark.parametrize("formula, binding", [
    (f"{FULL_WIDTH_X}*2", f"{FULL_WIDTH_X}=2"),   # both sides full width
    (f"{FULL_WIDTH_X}*2", "x=2"),                 # the formula only
    ("x*2", f"{FULL_WIDTH_X}=2"),                 # the binding only
], ids=["both", "formula", "binding"])
def test_a_non_ascii_name_is_refused_in_one_line_naming_the_character_and_the_ascii_name(
        formula, binding):
    result = _chainrule("steps", formula, binding)
    assert result.returncode == 2 and result.stderr.count("\n") == 1, result.stderr
    assert FULL_WIDTH_X in result.stderr and "U+FF58" in result.stderr
    assert "'x'" in result.stderr and "unknown name" not in result.stderr


def test_the_parse_api_refuses_non_ascii_names_in_the_formula_and_the_bindings():
    from chainrule.autograd.parse import ParseError, parse
    with pytest.raises(ParseError, match="U\\+FF58 FULLWIDTH LATIN SMALL LETTER X.*'x'"):
        parse(f"{FULL_WIDTH_X} * 2", x=2.0)
    with pytest.raises(ValueError, match="U\\+FF58.*'x'"):
        parse("x * 2", **{FULL_WIDTH_X: 2.0})


def test_a_greek_name_is_refused_with_the_advice_to_use_ascii_letters():
    from chainrule.autograd.parse import ParseError, parse
    with pytest.raises(ParseError, match="GREEK SMALL LETTER ALPHA.*write it in ASCII: .alpha"):
        parse("\u03b1 * 2", **{"a": 1.0})


@pytest.mark.parametrize("formula, spelling", [
    ("caf\u00e9 * 2", "cafe"),         # é, LATIN SMALL LETTER E WITH ACUTE: not 'cafacute'
    ("x_\u00fc + 1", "x_u"),           # ü, LATIN SMALL LETTER U WITH DIAERESIS
    ("\u03ac * 2", "alpha"),           # ά, GREEK SMALL LETTER ALPHA WITH TONOS
])
def test_an_accented_letter_is_spelled_as_its_base_letter_not_as_its_accent(formula, spelling):
    from chainrule.autograd.parse import ParseError, parse
    with pytest.raises(ParseError, match=f"write it in ASCII: '{spelling}'"):
        parse(formula, x=1.0)


@pytest.mark.parametrize("words", [
    ["steps", "x", "x=1", "-q"],                # a stray option after the formula x
    ["quiz", "x", "x=2", "-reveal"],            # a mistyped --reveal
    ["steps", "x", "x=1", "--why", "-x"],       # --why given an option-like name
], ids=["stray", "mistyped", "why"])
def test_a_formula_that_is_x_gets_argparses_message_not_a_hint_to_move_another_word(
        words, capsys):
    from chainrule.cli import main
    assert main(words) == 2
    stderr = capsys.readouterr().err
    assert stderr.count("\n") == 1 and "put -- before" not in stderr, stderr


def test_a_double_dash_put_after_the_formula_is_moved_before_it_in_the_hint(capsys):
    from chainrule.cli import main
    assert main(["steps", "-x", "--", "x=1"]) == 2
    suggested = capsys.readouterr().err.split(": chainrule ", 1)[1].split()
    assert suggested == ["steps", "--", "-x", "x=1"]
    assert main(suggested) == 0                               # the advice works as given
