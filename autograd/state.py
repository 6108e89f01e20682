"""Recording state per context: ``no_grad()`` and ``scope()``.

Both live in ``contextvars``, so one thread, or one asyncio task, evaluating under
``no_grad`` never stops another from recording its graph.

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
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from inspect import CO_ASYNC_GENERATOR, CO_GENERATOR
from types import FrameType

# The state of the running context (thread, asyncio task) is in two ContextVars. Speed:
# a node creation first tests two lists that are empty unless a block is open in some
# context (~10 ns each), and reads a ContextVar (~40 ns) only then; reading one every
# time would cost a sixth of the time of `a + b`.
NO_GRAD_DEPTH: list[None] = []  # one entry per no_grad() block open in any context
SCOPES: list[None] = []  # one entry per scope block open in any context
NO_GRAD: ContextVar[_Block | None] = ContextVar("chainrule_no_grad", default=None)
SCOPE: ContextVar[str | None] = ContextVar("chainrule_scope", default=None)
TRACING: dict[int, set] = {}  # thread id -> placeholders of an autograd.compile() trace

_GENERATOR = CO_GENERATOR | CO_ASYNC_GENERATOR


class _Block:
    """One open ``no_grad()`` block of this context, and the block it was opened in.

    True (recording off) by Python's default truth: a block opened by a plain function
    applies until it exits, and the node-creation test pays nothing more for it.
    """

    __slots__ = ("open", "previous")

    def __init__(self, previous: _Block | None) -> None:
        self.open, self.previous = True, previous


class _GeneratorBlock(_Block):
    """A block opened in a generator's frame: it applies only while that frame runs.

    A generator shares its caller's context, so a block left open at a ``yield`` would
    switch recording off for the caller too. A suspended generator's frame has no
    caller (``f_back is None``): while it is suspended, this block is skipped.
    """

    __slots__ = ("frame",)

    def __init__(self, previous: _Block | None, frame: FrameType) -> None:
        super().__init__(previous)
        self.frame = frame

    def __bool__(self) -> bool:
        return _applies(self)


class _ClosedBlock(_Block):
    """A plain block after its ``with`` exited, as seen by a task that inherited it.

    Closing switches the block's class to this one (same slots), so an open plain
    block keeps Python's built-in truth and only a closed one pays for a walk.
    """

    __slots__ = ()

    def __bool__(self) -> bool:
        return _applies(self)


def _applies(block: _Block | None) -> bool:
    """Whether some block in the chain is open here: recording is off."""
    while block is not None:
        if type(block) is _Block:  # a plain function's block applies until it exits
            return True
        if block.open and block.frame.f_back is not None:  # a running generator's block
            return True
        block = block.previous
    return False


@contextmanager
def no_grad() -> Iterator[None]:
    """Compute values without recording the graph (for optimizer steps, evaluation).

    Works as a ``with`` block and as a decorator. In a generator, the block applies
    while the generator runs, not while it waits at a ``yield``: its caller keeps
    recording (a block inside a ``@contextmanager`` generator is its user's block; in
    any other generator, such as a pytest yield fixture, it stays the generator's). A
    task started inside a block records again once that block has closed.

    >>> from chainrule.autograd import Value
    >>> w = Value(0.5)
    >>> with no_grad():
    ...     w2 = w - 0.1 * 2.0
    >>> round(w2.data, 4), w2.op is None
    (0.3, True)
    """
    owner = _generator_owning_the_block()
    previous = NO_GRAD.get()
    block = _Block(previous) if owner is None else _GeneratorBlock(previous, owner)
    NO_GRAD.set(block)
    NO_GRAD_DEPTH.append(None)
    try:
        yield
    finally:
        NO_GRAD_DEPTH.pop()
        block.open = False
        if type(block) is _Block:
            block.__class__ = _ClosedBlock
        _take_out(block)


def _take_out(block: _Block) -> None:
    """Remove a closed block from this context's chain of blocks.

    Not a token reset: a generator may leave its block after its caller opened one of
    its own, which must stay, so the block is cut out wherever it is. A task that
    inherited the block in its own copy of the context keeps it, as a ContextVar would.
    """
    head = NO_GRAD.get()
    if head is block:
        NO_GRAD.set(block.previous)
        return
    while head is not None and head.previous is not block:
        head = head.previous
    if head is not None:
        head.previous = block.previous


def _generator_owning_the_block() -> FrameType | None:
    """The generator frame whose ``with no_grad()`` this is, or None for a plain frame.

    contextlib's frames (``__enter__``, ``ExitStack``, the decorator) are skipped; a
    ``@contextmanager`` generator hands its block on to the frame that entered it.
    """
    frame = sys._getframe(2)  # 0: this function, 1: no_grad's body
    while True:
        while frame is not None and _in_contextlib(frame):
            frame = frame.f_back
        if frame is None or not frame.f_code.co_flags & _GENERATOR:
            return None
        caller = frame.f_back
        if caller is None or not _in_contextlib(caller):
            return frame
        frame = caller


def _in_contextlib(frame: FrameType) -> bool:
    # By module name, not file path: frozen builds (PyInstaller) move the files.
    return frame.f_globals.get("__name__") == "contextlib"


def is_recording() -> bool:
    """True unless inside ``no_grad()`` (in this thread or asyncio task).

    >>> is_recording()
    True
    >>> with no_grad():
    ...     is_recording()
    False
    """
    return not (NO_GRAD_DEPTH and NO_GRAD.get())


def current_scope() -> str | None:
    """The dotted scope name new nodes get in this context, or None.

    >>> current_scope() is None
    True
    """
    return SCOPE.get() if SCOPES else None


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
    _check_parts(name)
    previous = current_scope()
    with whole_scope(name if previous is None else f"{previous}.{name}") as full:
        yield full


def _check_parts(name: str) -> None:
    """Refuse a dotted name with an empty part: renderers group nodes by these parts.

    >>> _check_parts(".hidden")
    Traceback (most recent call last):
    ...
    ValueError: scope name '.hidden' has an empty part between dots; use names like 'L0' or 'L0.N3'.
    """
    if "" in name.split("."):
        raise ValueError(f"scope name {name!r} has an empty part between dots; "
                         "use names like 'L0' or 'L0.N3'.")


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
    _check_parts(full)
    token = SCOPE.set(full)
    SCOPES.append(None)
    try:
        yield full
    finally:
        SCOPES.pop()
        SCOPE.reset(token)


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
