"""parse(): text to graph through an ast whitelist; anything else is a ParseError."""

import ast
import builtins
import math
import operator

import pytest
from chainrule.autograd import OPS, Op, Value, leaves
from chainrule.autograd.parse import MAX_DEPTH, MAX_LENGTH, ParseError, functions, parse
from hypothesis import given
from hypothesis import strategies as st

VARIABLES = {"x": 0.5, "y": -1.5, "z": 2.0}


def test_a_neuron_parses_to_labelled_leaves_with_hand_checked_gradients():
    out = parse("tanh(x*w + b)", x=0.5, w=-1.5, b=0.8)
    out.backward()
    # tanh(0.05) = 0.04996; local gradient 1 - 0.04996^2 = 0.9975
    assert round(out.data, 5) == 0.04996
    grads = {leaf.label: round(leaf.grad, 4) for leaf in leaves(out)}
    assert grads == {"x": -1.4963, "w": 0.4988, "b": 0.9975}


def test_a_name_used_twice_is_one_leaf_with_two_edges():
    out = parse("x * x", x=3.0)
    assert out.parents[0] is out.parents[1]
    out.backward()
    assert out.parents[0].grad == 6.0  # 2x


def test_a_value_given_as_a_variable_is_used_as_it_is():
    w = Value(2.0, "weight")
    out = parse("w ** 3", w=w)
    out.backward()
    assert w.grad == 12.0  # 3w^2


def test_operators_map_to_their_own_op_table_rows():
    out = parse("-(x - y) / z ** 2 + x * y", **VARIABLES)
    names = {node.op.name for node in _nodes(out) if node.op}
    assert names == {"neg", "sub", "truediv", "pow", "add", "mul"}
    assert out.data == pytest.approx(-(0.5 + 1.5) / 4.0 + 0.5 * -1.5)


def test_unary_plus_adds_no_node():
    assert parse("+x", x=1.0).op is None


def test_a_formula_of_constants_only_still_gives_a_value():
    assert parse("2 * 3 + 1").data == 7.0


@pytest.mark.parametrize("name", sorted(functions()))
def test_every_function_in_the_op_table_can_be_called_by_name(name):
    args = ", ".join(["z"] + ["0.1"] * (OPS[name].arity - 1))
    out = parse(f"{name}({args})", z=2.0)
    assert out.op is OPS[name]


def test_a_new_op_table_row_becomes_parseable_without_touching_the_parser(monkeypatch):
    softplus = Op("softplus", "softplus", 1, lambda x: math.log1p(math.exp(x)),
                  lambda x, out: (1.0 / (1.0 + math.exp(-x)),), ("sigmoid(x)",),
                  "softplus({0})")
    monkeypatch.setitem(OPS, "softplus", softplus)
    out = parse("softplus(x)", x=0.0)
    assert out.op is softplus and out.data == pytest.approx(math.log(2.0))


@pytest.mark.parametrize("text, message, column", [
    ("x + y.real", "attribute access (.real)", 6),
    ("x[0]", "subscripts", 2),
    ("'a' + x", "only numbers", 1),
    ("lambda: 1", "lambda is not allowed", 1),
    ("[t for t in x]", "ListComp is not allowed", 1),
    ("foo(x)", "unknown function 'foo'", 1),
    ("__import__('os').system('ls')", "attribute access", 17),
    ("tanh", "tanh is a function", 1),
    ("tanh(x, y)", "takes 1 argument(s), got 2", 1),
    ("tanh(x=1)", "positional arguments", 1),
    ("q + 1", "unknown name 'q'", 1),
    ("x // 2", "only + - * / **", 3),
    ("x +", "not a formula", 4),
    ("2 ** 5000", "exponent 5000.0 is absurd", 3),
    ("1e999 * x", "too large", 1),
    ("log(x - 1)", "log(x) needs x > 0", 1),
    ("x / (y + 1.5)", "divide", 3),
    ("True * x", "only numbers", 1),
    ("", "empty formula", 1),
    ("x\n+ y", "one line", 2),
])
def test_a_refused_formula_names_the_problem_and_the_column(text, message, column):
    with pytest.raises(ParseError) as caught:
        parse(text, **VARIABLES)
    assert message in caught.value.message
    assert caught.value.column + 1 == column
    caret_line = str(caught.value).splitlines()[-1]
    assert caret_line.index("^") - 2 == caught.value.column  # under the column


def test_too_long_and_too_deep_formulas_are_refused_before_any_work():
    with pytest.raises(ParseError, match="characters long"):
        parse("x+" * MAX_LENGTH + "x", x=1.0)
    with pytest.raises(ParseError, match="nested more than"):
        parse("-" * (MAX_DEPTH + 5) + "x", x=1.0)
    with pytest.raises(ParseError):
        parse("(" * 300 + "x" + ")" * 300, x=1.0)


def test_a_variable_that_is_not_a_number_is_a_type_error_naming_it():
    with pytest.raises(TypeError, match="parse: variable x: Value needs a real number"):
        parse("x + 1", x="two")


def test_tabs_are_spaces_and_the_caret_still_lines_up():
    assert parse("x\t*\t2", x=1.5).data == 3.0
    with pytest.raises(ParseError) as caught:
        parse("x\t+ q", x=1.0)
    text_line, caret_line = str(caught.value).splitlines()[1:]
    assert text_line[caret_line.index("^")] == "q"


def test_a_parse_error_is_a_value_error_so_callers_can_catch_either():
    assert issubclass(ParseError, ValueError)


def test_the_parser_never_calls_eval_or_exec(monkeypatch):
    def forbidden(*args, **kwargs):
        raise AssertionError("eval/exec called")
    monkeypatch.setattr(builtins, "eval", forbidden)
    monkeypatch.setattr(builtins, "exec", forbidden)
    assert parse("sigmoid(x) * exp(y)", **VARIABLES).data > 0
    with pytest.raises(ParseError):
        parse("__import__('os').system('echo hacked')")


# --- fuzzing: random text and random syntax trees -----------------------------------

FORMULA_CHARS = st.sampled_from(list("xyz+-*/() .,0123456789e[]'\"_:=<>!@%&|^~")
                                + ["tanh", "log", "**", "lambda", "sqrt", "__import__"])


@given(st.one_of(st.text(max_size=60), st.lists(FORMULA_CHARS, max_size=40).map("".join)))
def test_random_text_gives_a_graph_or_a_parse_error_and_nothing_else(text):
    try:
        out = parse(text, **VARIABLES)
    except ParseError as error:
        assert 0 <= error.column <= max(len(text), 61)
    else:
        assert isinstance(out, Value) and math.isfinite(out.data)


NAMES = st.sampled_from(["x", "y", "z", "q", "tanh", "__import__", "open"])
CONSTANTS = st.one_of(st.integers(0, 5), st.floats(0, 10), st.sampled_from(
    ["s", True, None, 1j, 10 ** 400, 2.5e308]))
OPERATORS = st.sampled_from([ast.Add, ast.Sub, ast.Mult, ast.Div, ast.Pow, ast.FloorDiv,
                             ast.Mod, ast.MatMult, ast.BitOr])


def _trees(children):
    callables = st.sampled_from(sorted(functions()) + ["print", "eval", "q"])
    return st.one_of(
        st.builds(ast.BinOp, children, OPERATORS.map(lambda k: k()), children),
        st.builds(ast.UnaryOp, st.sampled_from([ast.USub(), ast.UAdd(), ast.Not()]), children),
        st.builds(lambda f, args: ast.Call(ast.Name(f, ast.Load()), args, []),
                  callables, st.lists(children, min_size=0, max_size=3)),
        st.builds(lambda v: ast.Attribute(v, "real", ast.Load()), children),
        st.builds(lambda v, i: ast.Subscript(v, i, ast.Load()), children, children),
        st.builds(lambda t: ast.Lambda(_no_args(), t), children),
    )


def _no_args():
    return ast.arguments(posonlyargs=[], args=[], kwonlyargs=[], kw_defaults=[], defaults=[])


SYNTAX_TREES = st.recursive(
    st.one_of(NAMES.map(lambda n: ast.Name(n, ast.Load())), CONSTANTS.map(ast.Constant)),
    _trees, max_leaves=12)


def _valid_trees(children):
    calls = [st.builds(lambda args, n=name: ast.Call(ast.Name(n, ast.Load()), args, []),
                       st.lists(children, min_size=OPS[name].arity, max_size=OPS[name].arity))
             for name in sorted(functions())]
    return st.one_of(
        st.builds(ast.BinOp, children, st.sampled_from(
            [ast.Add, ast.Sub, ast.Mult, ast.Div, ast.Pow]).map(lambda k: k()), children),
        st.builds(ast.UnaryOp, st.sampled_from([ast.USub(), ast.UAdd()]), children), *calls)


# Only whitelisted syntax: these mostly build (domain errors aside), so values get checked.
VALID_TREES = st.recursive(
    st.one_of(st.sampled_from(["x", "y", "z"]).map(lambda n: ast.Name(n, ast.Load())),
              st.one_of(st.integers(0, 5), st.floats(0, 10)).map(ast.Constant)),
    _valid_trees, max_leaves=10)


@given(st.one_of(SYNTAX_TREES, VALID_TREES))
def test_random_syntax_trees_give_a_graph_or_a_parse_error_and_nothing_else(tree):
    text = ast.unparse(ast.fix_missing_locations(ast.Expression(tree)))
    try:
        out = parse(text, **VARIABLES)
    except ParseError:
        return
    assert math.isfinite(out.data)
    assert out.data == pytest.approx(_reference(tree), rel=1e-9, abs=1e-12)


def _reference(tree: ast.AST) -> float:
    """The same formula computed by hand-written recursion on Values (test trees are small)."""
    if isinstance(tree, ast.Constant):
        return float(tree.value)
    if isinstance(tree, ast.Name):
        return VARIABLES[tree.id]
    if isinstance(tree, ast.UnaryOp):
        inner = _reference(tree.operand)
        return -inner if isinstance(tree.op, ast.USub) else inner
    if isinstance(tree, ast.BinOp):
        a, b = Value(_reference(tree.left)), Value(_reference(tree.right))
        return BY_OPERATOR[type(tree.op)](a, b).data
    args = [Value(_reference(arg)) for arg in tree.args]
    if tree.func.id == "abs":
        return abs(args[0]).data
    return getattr(args[0], tree.func.id)(*args[1:]).data


BY_OPERATOR = {ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul,
               ast.Div: operator.truediv, ast.Pow: operator.pow}


def _nodes(root):
    from chainrule.autograd import topological_order
    return topological_order(root)
