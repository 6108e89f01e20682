"""Save a graph picture to a file; the suffix picks the format.

>>> import tempfile, pathlib
>>> from chainrule.autograd import Value
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> render(Value(2.0, "x") * 3, folder / "graph.dot").name
'graph.dot'
"""

from __future__ import annotations

import os
from pathlib import Path

import graphviz
from chainrule.autograd import Value
from chainrule.autograd.files import write_whole
from chainrule.viz.dot import require_dot
from chainrule.viz.graph import draw_graph

FORMATS = {".svg": "svg", ".png": "png", ".pdf": "pdf", ".dot": "dot"}


def render(root_or_graph: Value | graphviz.Digraph, path: str | os.PathLike,
           **kw: object) -> Path:
    """Draw a Value (with ``draw_graph``'s keyword arguments) or save a Digraph to ``path``.

    ``.svg``, ``.png`` and ``.pdf`` need Graphviz's ``dot`` program; ``.dot`` (the text
    Graphviz reads) does not. The file appears whole or not at all: it is written to a
    temporary name first, then renamed. Missing folders are created. Returns the path.

    >>> import tempfile, pathlib
    >>> from chainrule.autograd import Value
    >>> y = (Value(0.5, "x") * 2).tanh(); y.backward()
    >>> path = render(y, pathlib.Path(tempfile.mkdtemp()) / "out" / "y.svg")
    >>> path.suffix, path.read_text().count("grad ")
    ('.svg', 3)
    """
    path = Path(path)
    fmt = FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise ValueError(f"render: cannot tell the format of {str(path)!r} from its suffix "
                         f"{path.suffix!r}; end the name with one of {', '.join(FORMATS)}.")
    graph = _as_graph(root_or_graph, kw)
    if fmt == "dot":
        content = graph.source.encode("utf-8")
    else:
        require_dot(f"render {str(path)!r}")
        content = graph.pipe(format=fmt)
    write_whole(path, content)
    return path


def _as_graph(root_or_graph: Value | graphviz.Digraph, kw: dict) -> graphviz.Digraph:
    if isinstance(root_or_graph, Value):
        return draw_graph(root_or_graph, **kw)
    if isinstance(root_or_graph, graphviz.Digraph):
        if kw:
            raise TypeError(f"render: drawing options {sorted(kw)} apply only when you pass "
                            "a Value; a Digraph is already drawn. Pass the Value instead.")
        return root_or_graph
    raise TypeError(f"render needs a Value or a graphviz.Digraph, got "
                    f"{type(root_or_graph).__name__} {root_or_graph!r}.")
