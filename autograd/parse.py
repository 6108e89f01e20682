"""Text to graph, safely: ``parse("tanh(x*w + b)", x=0.5, w=-1.5, b=0.8)``.

The text goes through Python's ``ast`` parser and then a whitelist: numbers, names,
``+ - * / **``, unary minus and plus, parentheses, and calls of op-table functions.
Nothing is ever passed to ``eval`` or ``exec``. The operators and function names come
from ``chainrule.autograd.ops.OPS``: a new row whose expression reads ``name(...)`` is callable
here at once. Anything else raises ``ParseError`` with the column and a caret line.

>>> y = parse("tanh(x*w + b)", x=0.5, w=-1.5, b=0.8)
>>> round(y.data, 4)                  # tanh(0.5 * -1.5 + 0.8) = tanh(0.05)
0.05
>>> y.backward()
>>> [(leaf.label, round(leaf.grad, 4)) for leaf in leaves(y)]
[('x', -1.4963), ('w', 0.4988), ('b', 0.9975)]
"""

from __future__ import annotations

import ast
import math
import warnings
from typing import NoReturn

from chainrule.autograd.ascii_text import first_non_ascii, non_ascii
from chainrule.autograd.graph import leaves  # noqa: F401  (used by the doctests)
from chainrule.autograd.numbers import as_real
from chainrule.autograd.ops import OPS, Op
from chainrule.autograd.value import Value, apply_op

MAX_LENGTH = 2000  # characters; a formula a person types is far shorter
MAX_DEPTH = 500  # nesting of the syntax tree (a sum of k terms is k deep)
MAX_EXPONENT = 1000.0  # |b| in a ** b, for a constant exponent: beyond it is a typo

# The ast operator classes, by the symbol the op table uses for them.
_BINARY = {ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/", ast.Pow: "**"}


class ParseError(ValueError):
    """Text that is not a formula chainrule can build, with where it went wrong.

    ``str()`` is the message, then the text, then a caret under the column.

    >>> try:
    ...     parse("x + y.real", x=1.0, y=2.0)
    ... except ParseError as error:
    ...     print(error)
    attribute access (.real) is not allowed; use functions such as tanh(x) (column 6)
      x + y.real
           ^
    """

    def __init__(self, message: str, text: str, column: int) -> None:
        self.message, self.text, self.column = message, text, max(0, column)
        caret = " " * min(self.column, len(text)) + "^"
        shown = text.replace("\t", " ")  # one character for one, so the caret still lines up
        super().__init__(f"{message} (column {self.column + 1})\n  {shown}\n  {caret}")


def functions() -> dict[str, Op]:
    """The ops that can be called by name: those whose expression reads ``name(...)``.

    >>> sorted(functions())[:4]
    ['abs', 'cos', 'exp', 'leaky_relu']
    """
    return {name: op for name, op in OPS.items() if op.expression.startswith(name + "(")}


def _op_for(symbol: str, arity: int) -> Op:
    return next(op for op in OPS.values() if op.symbol == symbol and op.arity == arity)


def parse(text: str, /, **variables: float | Value) -> Value:
    """Build the graph of ``text``; each name is a leaf Value labelled by that name.

    A variable bound to a Value is used as it is (so you can read its gradient);
    a number becomes a new leaf. A name used twice is one leaf with two uses.

    >>> x = Value(3.0, "x")
    >>> y = parse("x * x + 2", x=x)   # one leaf x, two edges into the product
    >>> y.backward()
    >>> y.data, x.grad                # d(x^2 + 2)/dx = 2x = 6
    (11.0, 6.0)
    >>> parse("log(x)", x=-1.0)       # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    chainrule.autograd.parse.ParseError: log(x) needs x > 0, got x=-1.0; ... (column 1)
      log(x)
      ^
    """
    tree = _syntax_tree(text)
    leaves_by_name = _leaves(variables)
    return _Builder(text, leaves_by_name).build(tree)


def _syntax_tree(text: str) -> ast.expr:
    if not isinstance(text, str):
        raise TypeError(f"parse needs the formula as a str, got {type(text).__name__} "
                        f"{text!r}.")
    if len(text) > MAX_LENGTH:
        raise ParseError(f"the formula is {len(text)} characters long; at most "
                         f"{MAX_LENGTH} are accepted", text[:60] + "...", 60)
    bad = next((i for i, ch in enumerate(text) if not (ch.isprintable() or ch == "\t")), None)
    if bad is not None:
        raise ParseError(f"unexpected character {text[bad]!r}; write the formula on one "
                         "line", text.replace("\n", " "), bad)
    if not text.strip():
        raise ParseError("empty formula; write e.g. tanh(x*w + b)", text, 0)
    bad = first_non_ascii(text)
    if bad is not None:  # Python would NFKC-normalise a name silently: ｘ becomes x
        raise ParseError(non_ascii(text, bad), text, bad)
    try:
        with warnings.catch_warnings():  # "0inf": Python's SyntaxWarning would leak to stderr
            warnings.simplefilter("ignore", SyntaxWarning)
            return ast.parse(text.lstrip(), mode="eval").body
    except SyntaxError as error:
        offset = len(text) - len(text.lstrip())
        column = offset + error.offset - 1 if error.offset else len(text.rstrip())
        raise ParseError(f"not a formula: {error.msg}", text, column) from None
    except (ValueError, RecursionError, MemoryError) as error:
        raise ParseError(f"not a formula: {error}", text, 0) from None


def _leaves(variables: dict[str, float | Value]) -> dict[str, Value]:
    result = {}
    for name, value in variables.items():
        bad = first_non_ascii(name)
        if bad is not None:
            raise ValueError(f"parse: variable {name!r}: {non_ascii(name, bad)}")
        if isinstance(value, Value):
            result[name] = value
            continue
        try:
            result[name] = Value(value, label=name)
        except (TypeError, ValueError) as error:  # a wrong value, not a wrong formula
            raise type(error)(f"parse: variable {name}: {error}") from None
    return result


class _Builder:
    """Walks the syntax tree with an explicit stack: children first, then the node."""

    def __init__(self, text: str, leaves_by_name: dict[str, Value]) -> None:
        self.text = text
        self.offset = len(text) - len(text.lstrip())  # ast columns count from the strip
        self.leaves = leaves_by_name
        self.functions = functions()

    def build(self, tree: ast.expr) -> Value:
        results: dict[int, Value | float] = {}
        stack = [(tree, 0, False)]
        while stack:
            node, depth, expanded = stack.pop()
            if depth > MAX_DEPTH:
                self.fail(f"the formula is nested more than {MAX_DEPTH} deep", node)
            if expanded:
                results[id(node)] = self.combine(node, [results.pop(id(c)) for c in
                                                        self.children(node)])
                continue
            stack.append((node, depth, True))
            # reversed, so the leftmost operand is checked and built first
            stack.extend((child, depth + 1, False) for child in reversed(self.children(node)))
        root = results[id(tree)]
        return root if isinstance(root, Value) else Value(root)

    def fail(self, message: str, node: ast.AST) -> NoReturn:
        # ast columns are UTF-8 byte offsets into the stripped text; carets need characters
        raise ParseError(message, self.text, self.column(node))

    def column(self, node: ast.AST) -> int:
        """Where to put the caret: on the operator of a binary op or a .attribute/[...]."""
        source = self.text.lstrip().encode("utf-8")
        start = getattr(node, "col_offset", 0)
        if isinstance(node, ast.BinOp):
            start = node.left.end_col_offset
            while start < len(source) and source[start:start + 1] in b" )":
                start += 1
        elif isinstance(node, (ast.Attribute, ast.Subscript)):
            start = node.value.end_col_offset
        return self.offset + len(source[:start].decode("utf-8", errors="ignore"))

    def children(self, node: ast.AST) -> list[ast.expr]:
        """The operands of an allowed node; anything not on the whitelist fails here."""
        if isinstance(node, ast.BinOp) and type(node.op) in _BINARY:
            return [node.left, node.right]
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
            return [node.operand]
        if isinstance(node, ast.Call):
            self.check_call(node)
            return list(node.args)
        if isinstance(node, ast.Constant):
            self.check_number(node)
            return []
        if isinstance(node, ast.Name):
            self.check_name(node)
            return []
        self.fail(_refusal(node), node)
        return []

    def check_call(self, node: ast.Call) -> None:
        if isinstance(node.func, ast.Attribute):
            self.fail(_refusal(node.func), node.func)
        if not isinstance(node.func, ast.Name):
            self.fail("only op functions can be called, e.g. tanh(x)", node)
        name = node.func.id
        if name not in self.functions:
            self.fail(f"unknown function {name!r}; known: "
                      f"{', '.join(sorted(self.functions))}", node)
        if node.keywords or any(isinstance(a, ast.Starred) for a in node.args):
            self.fail(f"{name}() takes plain positional arguments", node)
        op = self.functions[name]
        fewest = op.arity - len(op.defaults)
        if not fewest <= len(node.args) <= op.arity:
            counts = f"{fewest} or {op.arity}" if fewest < op.arity else f"{op.arity}"
            self.fail(f"{name}() takes {counts} argument(s), got {len(node.args)}", node)

    def check_number(self, node: ast.Constant) -> None:
        value = node.value
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            self.fail(f"only numbers are allowed as constants, got {value!r}", node)
        if abs(value) > 1e300 or (isinstance(value, float) and not math.isfinite(value)):
            self.fail(f"the number {str(value)[:20]} is too large", node)

    def check_name(self, node: ast.Name) -> None:
        if node.id in self.leaves:
            return
        if node.id in self.functions:
            self.fail(f"{node.id} is a function; call it, e.g. {node.id}(x)", node)
        self.fail(f"unknown name {node.id!r}; give it a value, e.g. {node.id}=1.0", node)

    def combine(self, node: ast.expr, operands: list[Value | float]) -> Value | float:
        if isinstance(node, ast.Constant):
            return as_real(node.value)
        if isinstance(node, ast.Name):
            return self.leaves[node.id]
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.UAdd):
            return operands[0]
        if isinstance(node, ast.UnaryOp):
            op = _op_for("-", 1)
        elif isinstance(node, ast.BinOp):
            op = _op_for(_BINARY[type(node.op)], 2)
            self.check_exponent(node, operands)
        else:
            op = self.functions[node.func.id]
            missing = op.arity - len(operands)  # trailing inputs left to the op's defaults
            if missing:
                operands = [*operands, *op.defaults[len(op.defaults) - missing:]]
        try:
            result = apply_op(op, *operands)
        except (ValueError, ZeroDivisionError, OverflowError, TypeError) as error:
            self.fail(str(error).rstrip("."), node)
        if not math.isfinite(result.data):  # e.g. 1e300 * 1e300: floats overflow silently
            self.fail(f"{op.name} overflows here: the result is {result.data!r}; "
                      "scale the numbers down", node)
        return result

    def check_exponent(self, node: ast.BinOp, operands: list[Value | float]) -> None:
        if isinstance(node.op, ast.Pow):
            exponent = operands[1]
            b = exponent.data if isinstance(exponent, Value) else exponent
            if abs(b) > MAX_EXPONENT:
                self.fail(f"the exponent {b!r} is absurd (|b| > {MAX_EXPONENT:g})", node)


def _refusal(node: ast.AST) -> str:
    """Why a syntax node is refused, in the words a user would look for."""
    kinds = {ast.Attribute: "attribute access (.{attr}) is not allowed; use functions "
             "such as tanh(x)", ast.Subscript: "subscripts ([...]) are not allowed",
             ast.Lambda: "lambda is not allowed", ast.Compare: "comparisons are not allowed",
             ast.BoolOp: "and/or are not allowed", ast.IfExp: "if/else is not allowed"}
    for kind, message in kinds.items():
        if isinstance(node, kind):
            return message.format(attr=getattr(node, "attr", ""))
    if isinstance(node, (ast.BinOp, ast.UnaryOp)):
        return "only + - * / ** and unary minus are allowed"
    return f"{type(node).__name__} is not allowed in a formula"
