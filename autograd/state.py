"""Per-thread recording state: ``no_grad()`` and ``scope()``.

Both are thread-local, so one thread evaluating under ``no_grad`` never stops another
thread from recording its graph.

>>> from chainrule.autograd import Value
>>> with no_grad():
...     y = Value(2.0) * 3
>>> y.parents          # nothing recorded
()
>>> with scope("L0"), scope("N1"):
...     z = Value(2.0) * 3
>>> z.scope
'L0.N1'
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager
from threading import get_ident

# Per-thread state kept in plain dicts keyed by thread id, empty in the common case.
# Speed: a node creation then costs one truth test of each dict (~10 ns); reading a
# threading.local instead cost ~90 ns per read, a third of the time of `a + b`.
NO_GRAD_DEPTH: dict[int, int] = {}  # thread id -> how many no_grad() blocks are open
SCOPES: dict[int, str] = {}  # thread id -> dotted scope name of the running module
TRACING: dict[int, set] = {}  # thread id -> placeholders of an autograd.compile() trace


@contextmanager
def no_grad() -> Iterator[None]:
    """Compute values without recording the graph (for optimizer steps, evaluation).

    Works as a ``with`` block and as a decorator.

    >>> from chainrule.autograd import Value
    >>> w = Value(0.5)
    >>> with no_grad():
    ...     w2 = w - 0.1 * 2.0
    >>> round(w2.data, 4), w2.op is None
    (0.3, True)
    """
    thread = get_ident()
    NO_GRAD_DEPTH[thread] = NO_GRAD_DEPTH.get(thread, 0) + 1
    try:
        yield
    finally:
        depth = NO_GRAD_DEPTH.pop(thread) - 1
        if depth:
            NO_GRAD_DEPTH[thread] = depth


def is_recording() -> bool:
    """True unless inside ``no_grad()`` (in this thread).

    >>> is_recording()
    True
    >>> with no_grad():
    ...     is_recording()
    False
    """
    return not (NO_GRAD_DEPTH and get_ident() in NO_GRAD_DEPTH)


def current_scope() -> str | None:
    """The dotted scope name new nodes get in this thread, or None.

    >>> current_scope() is None
    True
    """
    return SCOPES.get(get_ident()) if SCOPES else None


@contextmanager
def scope(name: str) -> Iterator[str]:
    """Tag every node created inside the block with a dotted module name.

    Networks use it so that a renderer can group a neuron's or a layer's nodes. Scopes
    nest: ``scope("L0")`` then ``scope("N3")`` gives ``"L0.N3"``.

    >>> from chainrule.autograd import Value
    >>> with scope("L1") as name:
    ...     v = Value(1.0) + 2
    >>> name, v.scope
    ('L1', 'L1')
    """
    if not isinstance(name, str) or not name:
        raise TypeError(f"scope name must be a non-empty str, got {name!r}.")
    previous = current_scope()
    with whole_scope(name if previous is None else f"{previous}.{name}") as full:
        yield full


@contextmanager
def whole_scope(full: str) -> Iterator[str]:
    """Like ``scope``, but ``full`` replaces the current scope instead of nesting in it.

    For code that knows a node's whole dotted name already (a network's "L0.N3").

    >>> from chainrule.autograd import Value
    >>> with scope("encoder"), whole_scope("L0.N3"):
    ...     v = Value(1.0) + 2
    >>> v.scope
    'L0.N3'
    """
    thread = get_ident()
    previous = SCOPES.get(thread)
    SCOPES[thread] = full
    try:
        yield full
    finally:
        if previous is None:
            del SCOPES[thread]
        else:
            SCOPES[thread] = previous


@contextmanager
def gc_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector inside the block; restore it after.

    An explicit option, never a default: chainrule's graphs hold no reference cycles
    (no closures; the one exception is a gradient graph that ``backward(create_graph=
    True)`` leaves on a leaf's ``.grad``), so reference counting alone frees them, and
    the collector's repeated passes over a large graph under construction are pure
    overhead: from a tenth to over a third of the time of the 200,000-node benchmark,
    depending on how busy the machine's memory is (2.2 -> 1.9 and 3.1 -> 1.8 µs/node
    in two runs; see the ``gc_paused()`` row of ``make bench``). Cycles you create
    yourself inside the block are collected after it.

    >>> import gc
    >>> with gc_paused():
    ...     gc.isenabled()
    False
    >>> gc.isenabled()
    True
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
