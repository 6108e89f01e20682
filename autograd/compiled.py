"""Compile a scalar graph once, then replay it for a whole batch at numpy speed.

A network's graph has the same shape for every example: only the numbers differ.
``compile(f, n_inputs)`` calls ``f`` on placeholder leaves, records the graph it builds as
a flat tape (one op-table row and the slots of its inputs per node) and returns a
``Compiled`` whose ``forward`` runs the tape with a numpy vector per slot (one entry per
example) and whose ``backward`` passes gradients back the same way, summing them over
the batch into the parameters' ``.grad``. The rules are the op table's own: the same
``local_grads`` run on arrays (and ``Op.array_forward`` where a float forward can't).
The tape also runs across nodes: ``autograd.grouping`` turns a neuron's weighted sum into
a row of ``W @ X + b`` and gathers the nodes that apply one op on one level into one call;
``autograd.replay`` runs those groups, backward through ``chain_rule`` like every tool.

Leaves of the traced graph are of three kinds: the placeholders (the inputs, a vector
each), parameters (Values that existed before the trace, e.g. weights ``f`` closes over;
one shared number each, read from ``.data`` at every ``forward``) and constants (numbers
``f`` wrote, such as the 2 in ``x * 2``).

The rule: **the graph's shape must not depend on the data.** ``f`` may not choose an op,
or compute a constant, from the value of an input or a parameter (``if x.data > 0``,
``max(v.data ...)``, ``Value(w.data)``). Such a choice holds for the traced example only.
What can be detected is: comparing (``<``, ``>``, ``float()``) a Value computed from an
input during the trace raises at once; and ``f`` is traced twice, on two different input
rows with the parameters nudged, and any difference between the two tapes (another op,
another parent, another constant) raises. Branches that are not taken differently by
the two traces go unseen: write choices as ops (relu, abs, leaky_relu), which are
evaluated per example.

>>> import numpy as np
>>> from chainrule.autograd import Value
>>> w, b = Value(2.0, "w"), Value(0.5, "b")
>>> step = compile(lambda x: (w * x + b).relu(), n_inputs=1)
>>> step.forward(np.array([1.0, -1.0, 3.0]))[0].tolist()      # relu(2x + 0.5)
[2.5, 0.0, 6.5]
>>> step.backward(np.ones(3))                  # summed over the batch
>>> w.grad, b.grad                             # dw: 1 + 0 + 3, db: 1 + 0 + 1
(4.0, 2.0)
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
from chainrule.autograd.backprop import chain_rule
from chainrule.autograd.grouping import group_steps
from chainrule.autograd.numbers import whole_number
from chainrule.autograd.replay import GroupFlow, run_forward
from chainrule.autograd.state import is_recording
from chainrule.autograd.tape import Tape, graph_order, trace, two_rows
from chainrule.autograd.tape_checks import FloatRange, finite_columns, gradient_overflow
from chainrule.autograd.value import Value


def compile(f: Callable[..., Value | Sequence[Value]], n_inputs: int,
            examples: Sequence[Sequence[float]] | None = None, *,
            input_gradients: bool = False) -> Compiled:
    """Trace ``f(x0, ..., x{n-1})`` into a tape that runs over batches; see the module doc.

    ``examples``: two input rows to trace on, a list of rows or an array of shape
    ``(2, n_inputs)`` (default None: two fixed rows); pass real rows when ``f`` needs
    inputs in some domain (log, sqrt). ``input_gradients``: ``backward`` also leaves
    d root / d input per example in ``Compiled.input_grads`` (shape (inputs, examples)).

    >>> from chainrule.autograd import Value
    >>> tape = compile(lambda x: x * x, 1, input_gradients=True)
    >>> _ = tape.forward([3.0, -1.0]); tape.backward([1.0, 1.0])
    >>> tape.input_grads.tolist()               # 2x per example
    [[6.0, -2.0]]

    >>> from chainrule.autograd import Value
    >>> w = Value(3.0)
    >>> square = compile(lambda x: w * x * x, 1)
    >>> square.forward([1.0, 2.0])[0].tolist(), len(square), square.parameters == [w]
    ([3.0, 12.0], 2, True)
    """
    whole_number("compile: n_inputs", n_inputs)
    if not is_recording():
        raise RuntimeError("compile: tracing records a graph, which no_grad() prevents; "
                           "call compile() outside the no_grad() block.")
    if examples is None:
        rows = [[0.5 + 0.1 * i for i in range(n_inputs)],
                [-0.3 - 0.07 * i for i in range(n_inputs)]]
    else:
        rows = two_rows(examples, n_inputs)
    inputs, outputs = trace(f, rows[0])
    kept = [leaf for leaf in graph_order(outputs) if leaf.op is None and leaf not in inputs]
    saved = [leaf.data for leaf in kept]
    try:  # the second trace, with every non-input leaf nudged
        for leaf, data in zip(kept, saved, strict=True):
            leaf.data = data + 1e-3 * (abs(data) + 1.0)
        second = trace(f, rows[1])
    finally:
        for leaf, data in zip(kept, saved, strict=True):
            leaf.data = data
    shared = set(kept) & {n for n in graph_order(second[1]) if n.op is None}
    return Compiled(Tape(inputs, outputs, shared), Tape(*second, shared), input_gradients)


class Compiled:
    """A traced tape: ``forward`` over a batch of input columns, then ``backward``.

    ``parameters`` lists the shared leaves, in the order the trace met them.

    >>> from chainrule.autograd import Value
    >>> w = Value(0.5)
    >>> tape = compile(lambda x, y: (w * x - y) ** 2, 2)
    >>> tape.forward([1.0, 2.0], [0.0, 0.0])[0].tolist()     # (0.5x - y)²
    [0.25, 1.0]
    >>> tape.backward([1.0, 1.0]); w.grad          # sum of 2(wx - y) x = 1 + 4
    5.0
    """

    def __init__(self, tape: Tape, second: Tape, input_gradients: bool = False) -> None:
        problem = tape.difference(second)
        if problem is not None:
            raise ValueError(
                f"compile: f built a different graph for different data ({problem}), so "
                "its shape depends on the data and one tape cannot replay it. Don't choose "
                "ops or constants from .data (if, max, Value(x.data)); "
                "see chainrule.autograd.compiled.")
        self._tape = tape
        self.parameters: list[Value] = tape.parameters
        wanted = [False] * tape.n_slots  # does a parameter's gradient pass through it?
        for slot in self._parameter_slots():
            wanted[slot] = True
        wanted[:tape.n_inputs] = [input_gradients] * tape.n_inputs
        for step in tape.steps:
            wanted[step.out] = wanted[step.a] or (step.b >= 0 and wanted[step.b])
        shared = range(tape.n_inputs, tape.n_inputs + len(tape.parameters) + len(tape.constants))
        # Speed: one numpy call per group of nodes, not per node (see autograd.replay)
        self._plan = group_steps(tape.steps, tape.n_slots, tape.outputs, shared, wanted)
        self._groups = self._plan.groups
        self._values: np.ndarray | None = None
        self._input_gradients = input_gradients
        self.input_grads: np.ndarray | None = None  # with input_gradients, after backward
        self._shared = np.zeros(0)
        self._constants = np.array(tape.constants, dtype=float)

    def _parameter_slots(self) -> range:
        start = self._tape.n_inputs
        return range(start, start + len(self.parameters))

    def __len__(self) -> int:
        return len(self._tape.steps)

    def __repr__(self) -> str:
        return (f"Compiled({self._tape.n_inputs} inputs, {len(self.parameters)} parameters, "
                f"{len(self)} nodes, {len(self._tape.outputs)} outputs)")

    def forward(self, *columns: Sequence[float] | np.ndarray) -> list[np.ndarray]:
        """Run the tape on one column per input (one entry per example); one array per output.

        >>> from chainrule.autograd import Value
        >>> b = Value(1.0)
        >>> compile(lambda x, y: x * y + b, 2).forward([1.0, 2.0], [3.0, 4.0])[0].tolist()
        [4.0, 9.0]
        """
        tape = self._tape
        if len(columns) != tape.n_inputs:
            raise ValueError(f"forward expects {tape.n_inputs} input columns (one per input "
                             f"of f), got {len(columns)}.")
        arrays = finite_columns(columns)
        if any(a.ndim != 1 or a.shape != arrays[0].shape for a in arrays) or not len(arrays[0]):
            raise ValueError("forward expects 1-d columns of one equal, non-zero length "
                             f"(one entry per example), got shapes {[a.shape for a in arrays]}.")
        data = np.array([p.data for p in tape.parameters], dtype=float)
        return list(self.run(np.array(arrays).reshape(len(arrays), -1), data))

    def run(self, block: np.ndarray, data: np.ndarray) -> np.ndarray:
        """``forward`` on arrays: ``block`` holds one row per input (finite floats, not
        checked here), ``data`` the parameters' numbers in ``parameters``' order (read
        from it, not from the Values). Returns one row per output.

        >>> from chainrule.autograd import Value
        >>> w = Value(2.0)
        >>> compile(lambda x: w * x, 1).run(np.array([[1.0, 3.0]]), np.array([10.0])).tolist()
        [[10.0, 30.0]]
        """
        plan = self._plan
        values = np.empty((plan.n_rows, block.shape[1]))
        values[:self._tape.n_inputs] = block
        shared = np.concatenate((data, self._constants))
        values[plan.leaf_rows] = shared[plan.leaf_shared, None]
        # numpy raises where a result leaves the float range (as Values do)
        with FloatRange("forward"):
            run_forward(self._groups, values, shared)
        outputs = values[plan.outputs]
        if not np.isfinite(outputs).all():  # parameters alone overflowed
            raise OverflowError("compiled forward: an output left the float range "
                                "(about 1.8e308); scale the inputs or parameters down.")
        self._values, self._shared = values, shared
        return outputs

    def backward(self, upstream: Sequence[float] | np.ndarray | Sequence[np.ndarray]) -> None:
        """Add each parameter's gradient, summed over the batch, to its ``.grad``.

        ``upstream``: d root / d output per example, one array per output (a lone array
        for one output). Parameters accumulate, like leaves in ``Value.backward()``.

        >>> from chainrule.autograd import Value
        >>> w = Value(2.0)
        >>> tape = compile(lambda x: w * x, 1)
        >>> _ = tape.forward([1.0, -1.0])
        >>> tape.backward([1.0, 0.5]); w.grad   # 1 * 1 + 0.5 * (-1)
        0.5
        """
        if self._values is None:
            raise RuntimeError("backward() needs the values of a forward() call; run it first.")
        totals = self.gradients(self._upstream(upstream, self._values.shape[1])).tolist()
        for parameter, total in zip(self.parameters, totals, strict=True):
            if not np.isfinite(parameter.grad + total):  # check all before changing any
                raise gradient_overflow(parameter)
        for parameter, total in zip(self.parameters, totals, strict=True):
            parameter.grad += total

    def gradients(self, upstream: np.ndarray) -> np.ndarray:
        """``backward`` on arrays: each parameter's gradient summed over the batch, returned
        (the Values' ``.grad`` untouched). ``upstream``: one row per output, as ``run``'s.

        >>> from chainrule.autograd import Value
        >>> w = Value(2.0)
        >>> tape = compile(lambda x: w * x, 1)
        >>> _ = tape.run(np.array([[1.0, -1.0]]), np.array([2.0]))
        >>> tape.gradients(np.array([[1.0, 0.5]])).tolist(), w.grad
        ([0.5], 0.0)
        """
        values, plan = self._values, self._plan
        flow = GroupFlow(values, self._shared, upstream, plan.outputs)
        with FloatRange("backward"):
            chain_rule(reversed(self._groups), flow)  # the one walk, over groups of the tape
        if self._input_gradients:
            self.input_grads = flow.grads[:self._tape.n_inputs].copy()
        grads = flow.shared_grads(plan.leaf_rows, plan.leaf_shared)[:len(self.parameters)]
        if not np.isfinite(grads).all():
            raise gradient_overflow(self.parameters[int(np.flatnonzero(~np.isfinite(grads))[0])])
        return grads

    def _upstream(self, upstream, size: int) -> np.ndarray:
        outputs = self._tape.outputs
        arrays = np.asarray(upstream, dtype=float)
        if arrays.ndim == 1 and len(outputs) == 1:
            arrays = arrays[None, :]
        if arrays.shape != (len(outputs), size):
            raise ValueError(f"backward expects one upstream gradient per example for each "
                             f"of the {len(outputs)} outputs, shape ({len(outputs)}, {size}), "
                             f"got shape {arrays.shape}.")
        return arrays
