"""Issue 17: fuzzing the two text boundaries. The parser either builds a graph or raises
ParseError (a ValueError) / a domain error, never anything raw; the CLI exits 0, 1 or 2
with at most one line on stderr and no traceback. Small, so it runs in seconds."""

import subprocess
import sys
import warnings

from chainrule.autograd.parse import ParseError, parse
from hypothesis import given, settings
from hypothesis import strategies as st

PIECES = ["x", "y", "1", "0", "2.5", "1e308", "0inf", "+", "-", "*", "/", "**", "(", ")",
          ",", " ", "tanh(", "log(", "sqrt(", "exp(", "leaky_relu(", "abs(", "relu(", "ｘ",
          "__import__", "lambda", "[", "]", "'", ".", "=", "1e-7", "nan"]
formulas = st.lists(st.sampled_from(PIECES), max_size=12).map("".join) | st.text(max_size=20)


@settings(max_examples=300)
@given(text=formulas)
def test_the_parser_builds_a_graph_or_says_what_is_wrong(text):
    with warnings.catch_warnings():
        warnings.simplefilter("error")        # a SyntaxWarning leaking out is a failure too
        try:
            root = parse(text, x=0.5, y=-2.0)
        except (ParseError, ValueError, ArithmeticError, TypeError) as error:
            assert str(error).strip(), f"an empty message for {text!r}"
        else:
            assert root.data - root.data == 0.0   # finite: never nan or inf


CLI_CASES = [
    ["steps", "x*x", "x=2"], ["check", "1/x", "x=1e-7"], ["check", "log(x)", "x=-1"],
    ["steps", ""], ["steps", "x", "x=2", "y=3"], ["check", "x", "x=nan"],
    ["check", "x*x", "x=1", "--atol", "nan"], ["steps", "0inf"], ["steps", "x**x", "x=0"],
    ["draw", "x+", "x=1"], ["steps", "__import__('os')"], ["train", "--seed", "-1"],
    ["steps", "1e308*10"], ["quiz", "sqrt(x)", "x=0"], ["nonsense"],
]


def test_the_cli_exits_0_1_or_2_with_at_most_one_line_on_stderr_and_no_traceback():
    for args in CLI_CASES:
        done = subprocess.run([sys.executable, "-m", "chainrule", *args], capture_output=True,
                              text=True, timeout=120, stdin=subprocess.DEVNULL)
        assert done.returncode in (0, 1, 2), (args, done.returncode, done.stderr)
        assert "Traceback" not in done.stderr, (args, done.stderr)
        if done.returncode == 2 and args[0] != "nonsense":
            assert len(done.stderr.strip().splitlines()) == 1, (args, done.stderr)
