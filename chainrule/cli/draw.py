"""``chainrule draw``: render a formula's graph, or a whole MLP's, after one backward pass."""

from __future__ import annotations

import argparse
from pathlib import Path

from chainrule.autograd import Value
from chainrule.cli.common import UsageError, build_graph, read_sizes, subcommand
from chainrule.viz.graph import COLLAPSE, RANKDIRS
from chainrule.viz.render import FORMATS as RENDER_FORMATS

EXAMPLES = """\
  chainrule draw "tanh(x*w + b)" x=0.5 w=-1.5 b=0.8 -o out/graph.svg
  chainrule draw "x*x + x" x=3 --formulas --rankdir TB -o out/graph.png
  chainrule draw --mlp 2,16,16,1 --collapse neuron -o out/net.svg
"""
FORMATS = tuple(RENDER_FORMATS.values())  # what render() writes


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    """Register ``draw`` and its options.

    >>> parser = argparse.ArgumentParser(prog="chainrule")
    >>> add_parser(parser.add_subparsers())
    >>> parser.parse_args(["draw", "--mlp", "2,1", "-o", "net.svg"]).mlp
    '2,1'
    """
    parser = subcommand(subparsers, "draw", "draw the graph with data and gradients",
                        EXAMPLES)
    parser.add_argument("expression", metavar="EXPRESSION", nargs="?",
                        help='a formula, e.g. "tanh(x*w + b)" (or use --mlp)')
    parser.add_argument("variables", metavar="NAME=VALUE", nargs="*",
                        help="a value for each name in the formula")
    parser.add_argument("-o", "--output", type=Path, required=True,
                        help="where to write: .svg, .png, .pdf or .dot (the DOT text)")
    parser.add_argument("--mlp", metavar="SIZES",
                        help="draw an MLP instead: input size, then layer sizes, e.g. 2,16,1")
    parser.add_argument("--collapse", choices=[mode for mode in COLLAPSE if mode],
                        help="draw each neuron (or layer) as one box")
    parser.add_argument("--rankdir", choices=RANKDIRS, default="LR",
                        help="left to right (default), top to bottom, or reversed")
    parser.add_argument("--formulas", action="store_true",
                        help="write each op's local-gradient formula on its node")
    parser.add_argument("--max-nodes", type=int, default=500,
                        help="refuse graphs larger than this (default 500)")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Backprop once, draw, write the file; print where it went.

    >>> import tempfile, pathlib
    >>> from chainrule.cli import main
    >>> out = pathlib.Path(tempfile.mkdtemp()) / "graph.dot"
    >>> main(["draw", "x * 3", "x=2", "-o", str(out)])      # doctest: +ELLIPSIS
    wrote .../graph.dot
    0
    >>> out.read_text().count("grad 3.0")                # dout/dx = 3
    1
    """
    suffix = args.output.suffix.lstrip(".").lower()
    if suffix not in FORMATS:
        raise UsageError(f"-o {args.output}: give a file ending in "
                         f"{', '.join('.' + f for f in FORMATS)}")
    if (args.mlp is None) == (args.expression is None):
        raise UsageError("give a formula (with its NAME=VALUE words) or --mlp SIZES, "
                         "not both and not neither")
    root = _mlp_root(args.mlp, args.variables) if args.mlp else build_graph(args)[0]
    try:
        from chainrule.viz import draw_graph, render
    except ImportError as error:
        raise UsageError(f"drawing is not available here ({error})") from None
    root.backward()
    try:
        graph = draw_graph(root, rankdir=args.rankdir, collapse=args.collapse,
                           show_formulas=args.formulas, max_nodes=args.max_nodes)
        path = render(graph, args.output)
    except (ValueError, RuntimeError) as error:  # too many nodes; no Graphviz `dot`
        raise UsageError(_in_option_words(str(error))) from None
    print(f"wrote {path}")
    return 0


def _in_option_words(message: str) -> str:
    """The library's advice, written as the options a command-line user types.

    >>> _in_option_words("Pass collapse='neuron' or collapse='layer', or raise max_nodes.")
    'Pass --collapse neuron or --collapse layer, or raise --max-nodes.'
    """
    for keyword, option in (("collapse='neuron'", "--collapse neuron"),
                            ("collapse='layer'", "--collapse layer"),
                            ("raise max_nodes", "raise --max-nodes")):
        message = message.replace(keyword, option)
    return message


def _mlp_root(sizes_text: str, variables: list[str]) -> Value:
    """An MLP's output on the input row (1, 1, ...), its nodes labelled by the network."""
    if variables:
        raise UsageError("--mlp takes no NAME=VALUE words")
    sizes = read_sizes(sizes_text, "--mlp", at_least=2)
    try:
        from chainrule.nn import MLP
    except ImportError as error:
        raise UsageError(f"--mlp needs the nn package ({error})") from None
    model = MLP(sizes[0], sizes[1:], seed=0)
    outputs = model([Value(1.0, f"x{i}") for i in range(sizes[0])])
    if isinstance(outputs, Value):
        return outputs
    total = sum(outputs[1:], outputs[0])
    total.label = "sum of outputs"
    return total
