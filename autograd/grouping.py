"""Group a compiled tape across nodes: one numpy call per group instead of one per node.

``autograd.compiled`` records a tape, one ``Step`` per node. Replayed step by step, a
network of a thousand scalar nodes makes a thousand small numpy calls per pass, and
Python's per-call cost, not arithmetic, is the time. This pass regroups the same steps:

- **weighted sums.** A chain ``b + w0*x0 + w1*x1 + ...`` (what ``weighted_sum`` and a
  neuron record) whose inner ``mul`` and ``add`` nodes are used nowhere else, with every
  ``w`` a parameter or constant, becomes one ``dense`` node: ``out = W @ X + b``.
- **levels.** A node's level is the longest path from the leaves to it (a collapsed sum
  counts as one node). Nodes on one level never depend on each other, so those that
  apply the same op run as one call: gather their parents' rows, apply the op's array
  rule to the block, scatter the results to their slots. Dense nodes on one level that
  read the same inputs (the neurons of a layer) become one matrix product.

Backward walks the groups in reverse through ``backprop.chain_rule``, the one walk: each
group is a "node" whose upstream gradient is the block of its outputs' gradients and
whose local gradients come from the op table's rules (``dense``: X for W, W for X, 1 for b).

Two neurons reading x0, x1 (slots 0, 1; parameters w.. in slots 2-7, b in 4 and 7)::

    n0 = relu(b0 + w00*x0 + w01*x1)   steps: mul 8, add 9, mul 10, add 11, relu 12
    n1 = relu(b1 + w10*x0 + w11*x1)   steps: mul 13, add 14, mul 15, add 16, relu 17

become two groups: ``dense`` level 1, out [11, 16] (W = [[2, 3], [5, 6]], X = [0, 1],
b = [4, 7]); ``relu`` level 2, out [12, 17], a [11, 16]. Slots 8-10 and 13-15 are never
filled: nothing outside the sums reads them.

>>> from chainrule.autograd import Value
>>> from chainrule.autograd.compiled import compile
>>> w = [[Value(0.5), Value(-1.0), Value(0.0)], [Value(2.0), Value(1.0), Value(0.0)]]
>>> tape = compile(lambda x0, x1: [(n[2] + n[0] * x0 + n[1] * x1).relu() for n in w], 2)
>>> [(g.kind, g.op.name, g.nodes) for g in tape._groups]
[('dense', 'add', (11, 16)), ('elementwise', 'relu', (12, 17))]
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

import numpy as np
from chainrule.autograd.chains import find_sums
from chainrule.autograd.ops import ADD, Op


@dataclass(frozen=True, slots=True, eq=False)
class Parents:
    """One input position of a group: where it reads, and how a contribution gets there.

    >>> Parents(np.array([0, 0]), "rows", unique=False, wanted=True).kind
    'rows'
    """

    index: np.ndarray | slice  # rows of the values ("weights", "bias": of the shared vector)
    # "rows": per example; "weights", "bias": entries of the shared vector, summed over
    # the batch; "inputs": W.T @ U;
    # "... each": the same when each member reads its own inputs, shape (members, terms);
    # "terms": a sum's terms, shape (members, terms), each receiving the upstream
    kind: str
    unique: bool  # nothing repeats, so a plain ``grads[index] += c`` adds every part
    wanted: bool  # some entry carries a parameter's gradient


@dataclass(frozen=True, slots=True, eq=False)
class Group:
    """Nodes that run as one numpy call: ``out[i] = op(a[i], b[i])`` for each member.

    ``dense``: ``out = W @ X + b`` with ``a`` the bias rows, ``weights`` a matrix of
    entries of the shared vector (one row per member) and ``inputs`` the rows of X, shared
    by every member (or, a matrix like ``weights``, each member's own). ``nodes``: the
    members' slots on the tape; ``wanted``: whether a parameter's gradient passes through.

    >>> g = Group("elementwise", ADD, np.array([2]), np.array([0]), np.array([1]))
    >>> g.op.name, g.out.tolist()
    ('add', [2])
    """

    kind: str  # "elementwise", "dense" or "sum" (a: the terms, shape (members, terms))
    op: Op  # the op of every member (dense: ADD, the sum's last node)
    # rows as an index array, or a slice when consecutive (see _compact)
    out: np.ndarray | slice  # the members' rows
    a: np.ndarray | slice  # the first parents' rows (dense: the biases, rows or shared entries)
    b: np.ndarray | slice | None = None  # the second parents' rows, None for one input
    weights: np.ndarray | None = None  # dense only: shape (members, terms)
    inputs: np.ndarray | slice | None = None  # dense only: rows, shape (terms,)
    wanted: bool = True
    nodes: tuple[int, ...] = ()
    parents: tuple[Parents, ...] = ()


@dataclass(frozen=True, slots=True, eq=False)
class Plan:
    """The groups in running order, over ``n_rows`` rows: the inputs' first, then the
    shared leaves read per example (``leaf_rows``, holding ``shared[leaf_shared]``),
    then the groups' results. Dense weights read the shared vector itself."""

    groups: list[Group]
    n_rows: int
    outputs: list[int]
    leaf_rows: np.ndarray
    leaf_shared: np.ndarray


def group_steps(steps: list, n_slots: int, outputs: list[int], shared_leaves: range,
                wanted: list[bool]) -> Plan:
    """The tape's steps as groups, in an order that respects every dependency.

    ``shared_leaves``: the slots of parameters and constants, right after the inputs
    (a dense node's weights must be among them); ``wanted``: per slot, whether a
    parameter's gradient flows through it.

    >>> from chainrule.autograd.tape import Step
    >>> from chainrule.autograd.ops import MUL
    >>> steps = [Step(MUL, 2, 0, 1), Step(MUL, 3, 0, 0), Step(ADD, 4, 2, 3)]
    >>> plan = group_steps(steps, 5, [4], range(1, 2), [True] * 5)
    >>> [(g.op.name, g.nodes) for g in plan.groups]
    [('mul', (2, 3)), ('add', (4,))]
    """
    sums = find_sums(steps, outputs, shared_leaves)
    absorbed = {slot for chain in sums.values() for slot in chain.inner}
    level = [0] * n_slots
    members: dict[tuple, list] = defaultdict(list)
    for step in steps:
        if step.out in absorbed:
            continue  # an inner node of a sum: the sum's own group computes it
        chain = sums.get(step.out)
        if chain is not None and chain.kind == "dense":
            reads = [chain.bias, *chain.weights, *chain.inputs]
            level[step.out] = 1 + max(level[s] for s in reads)
            key = (level[step.out], "dense", len(chain.inputs), wanted[step.out])
            members[key].append((step.out, chain.bias, chain.weights, chain.inputs))
        elif chain is not None:
            level[step.out] = 1 + max(level[s] for s in chain.terms)
            key = (level[step.out], "sum", len(chain.terms), wanted[step.out])
            members[key].append((step.out, chain.terms))
        else:
            level[step.out] = 1 + max(level[step.a], level[step.b] if step.b >= 0 else 0)
            key = (level[step.out], "elementwise", step.op.name, wanted[step.out])
            members[key].append(step)
    groups = [_group(key, nodes) for key, nodes in sorted(members.items(), key=_level_first)]
    return _laid_out(groups, outputs, shared_leaves, wanted)


def _level_first(item):
    (level, kind, detail, wanted), _ = item
    return level, kind, str(detail), wanted


def _group(key: tuple, nodes: list) -> Group:
    _, kind, detail, wanted = key
    if kind == "dense":
        out, biases, weights, inputs = (np.array(c) for c in zip(*nodes, strict=True))
        if (inputs == inputs[0]).all():
            inputs = inputs[0]  # a layer: every member reads the same inputs, W @ X
        return Group(kind, ADD, out, biases, weights=weights, inputs=inputs,
                     wanted=wanted, nodes=tuple(out.tolist()))
    if kind == "sum":
        out, terms = (np.array(column) for column in zip(*nodes, strict=True))
        return Group(kind, ADD, out, terms, wanted=wanted, nodes=tuple(out.tolist()))
    op = nodes[0].op
    out = np.array([step.out for step in nodes])
    a = np.array([step.a for step in nodes])
    b = np.array([step.b for step in nodes]) if nodes[0].b >= 0 else None
    return Group(kind, op, out, a, b, wanted=wanted, nodes=tuple(out.tolist()))


def _laid_out(groups: list[Group], outputs: list[int], shared: range,
              wanted: list[bool]) -> Plan:
    """Give a row only to the slots read or written per example; renumber the groups."""
    n_inputs = shared.start
    # a dense group whose biases are all parameters or constants adds them from the
    # shared vector (speed: no rows to fill per example, no row sums for their gradients)
    shared_bias = {id(g) for g in groups
                   if g.kind == "dense" and all(s in shared for s in g.a.tolist())}
    read = {slot for g in groups for index in (g.a, g.b, g.inputs)
            if index is not None and not (index is g.a and id(g) in shared_bias)
            for slot in index.ravel().tolist()}
    leaves = sorted(slot for slot in read | set(outputs) if slot in shared)
    row = {slot: slot for slot in range(n_inputs)}
    for slot in leaves + [slot for g in groups for slot in g.nodes]:
        row[slot] = len(row)
    rows = np.vectorize(row.__getitem__, otypes=[int])
    laid_out = []
    for g in groups:
        out, a = rows(g.out), g.a - n_inputs if id(g) in shared_bias else rows(g.a)
        b = None if g.b is None else rows(g.b)
        weights = None if g.weights is None else g.weights - n_inputs
        inputs = None if g.inputs is None else rows(g.inputs)
        first = "bias" if id(g) in shared_bias else "terms" if g.kind == "sum" else "rows"
        positions = [(a, g.a, first)]
        if g.kind == "dense":
            each = "" if inputs.ndim == 1 else " each"  # each member its own inputs
            positions += [(weights, g.weights, "weights" + each),
                          (inputs, g.inputs, "inputs" + each)]
        elif b is not None:
            positions.append((b, g.b, "rows"))
        parents = tuple(Parents(index, kind, len(np.unique(index)) == index.size,
                                any(wanted[s] for s in slots.ravel().tolist()))
                        for index, slots, kind in positions)
        parents = tuple(Parents(_compact(p.index), p.kind, p.unique, p.wanted) for p in parents)
        laid_out.append(Group(g.kind, g.op, _compact(out), _compact(a), _compact(b), weights,
                              _compact(inputs), g.wanted, g.nodes, parents))
    return Plan(laid_out, len(row), [row[slot] for slot in outputs],
                _compact(np.array([row[slot] for slot in leaves], dtype=int)),
                np.array([slot - n_inputs for slot in leaves], dtype=int))


def _compact(index: np.ndarray | None) -> np.ndarray | slice | None:
    """Consecutive rows as a slice: numpy reads and writes a slice in place (a view),
    where an index array copies (speed: most groups' rows are consecutive).

    >>> _compact(np.array([3, 4, 5])), _compact(np.array([3, 5])).tolist()
    (slice(3, 6, None), [3, 5])
    """
    if index is None or index.ndim != 1 or not len(index):
        return index
    start = int(index[0])
    if (index == np.arange(start, start + len(index))).all():
        return slice(start, start + len(index))
    return index
