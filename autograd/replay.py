"""Run a grouped tape (``autograd.grouping``) forward and backward over a batch.

Every slot is one row of a ``(slots, examples)`` array: an input's row holds its column,
a parameter's or a constant's row repeats its number. A group gathers its parents' rows,
applies the op's array rule to the block, and scatters the result to its slots.

Backward is ``backprop.chain_rule`` with the groups as its nodes (``GroupFlow``): a
group's upstream gradient is the block of its slots' gradients; its local gradients are
the op table's rule on the gathered blocks; each contribution, local × upstream, is
scattered (added, repeats included) to the parents' rows. A parameter's gradient is its
row summed over the batch.

Speed: MLP(2, [16, 16, 1]) on 100 moons points is 5 groups instead of 625 steps
(``python -m benchmarks.floor`` times them by phase). Consecutive rows are slices, so
most gathers and scatters are views, not copies.

>>> from chainrule.autograd import Value
>>> from chainrule.autograd.compiled import compile
>>> w = Value(2.0)
>>> tape = compile(lambda x: (w * x).relu(), 1)
>>> tape.forward([1.0, -1.0])[0].tolist()
[2.0, 0.0]
>>> tape.backward([1.0, 1.0]); w.grad        # relu'(2) * 1 + relu'(-2) * (-1)
1.0
"""

from __future__ import annotations

import numpy as np
from chainrule.autograd.backprop import Flow
from chainrule.autograd.grouping import Group, Parents


def run_forward(groups: list[Group], values: np.ndarray, shared: np.ndarray) -> None:
    """Fill every group's rows of ``values`` from its parents' rows, group by group.

    ``shared``: the parameters' and constants' numbers, which dense weights read.

    >>> from chainrule.autograd.ops import MUL
    >>> values = np.array([[1.0, 2.0], [3.0, 4.0], [0.0, 0.0]])
    >>> run_forward([Group("elementwise", MUL, np.array([2]), np.array([0]),
    ...                    np.array([1]))], values, np.array([]))
    >>> values[2].tolist()
    [3.0, 8.0]
    """
    for group in groups:
        if group.kind == "dense":
            weights, inputs = shared[group.weights], values[group.inputs]
            bias = (shared[group.a][:, None] if group.parents[0].kind == "bias"
                    else values[group.a])
            if inputs.ndim == 2:  # a layer: one matrix product
                values[group.out] = weights @ inputs + bias
            else:  # each member its own inputs: (members, terms) x (members, terms, batch)
                # (speed: a batch of (1, k) @ (k, b) products; einsum parses its text each call)
                values[group.out] = (weights[:, None, :] @ inputs)[:, 0, :] + bias
            continue
        if group.kind == "sum":
            values[group.out] = values[group.a].sum(axis=1)  # a: (members, terms)
            continue
        forward = group.op.array_forward or group.op.forward
        if group.b is None:
            values[group.out] = forward(values[group.a])
        else:
            values[group.out] = forward(values[group.a], values[group.b])


class GroupFlow(Flow):
    """Gradients as rows of ``grads`` (per example) and ``summed`` (weights, per batch).

    >>> from chainrule.autograd.backprop import chain_rule
    >>> from chainrule.autograd.grouping import Parents
    >>> from chainrule.autograd.ops import MUL
    >>> values = np.array([[1.0, 2.0], [3.0, 3.0], [3.0, 6.0]])
    >>> rows = [Parents(np.array([i]), "rows", True, True) for i in (0, 1)]
    >>> group = Group("elementwise", MUL, np.array([2]), np.array([0]), np.array([1]),
    ...               parents=tuple(rows))
    >>> flow = GroupFlow(values, np.zeros(0), np.ones((1, 2)), [2])
    >>> chain_rule([group], flow)
    >>> flow.grads[1].tolist()        # d(x w)/dw = x, per example
    [1.0, 2.0]
    """

    def __init__(self, values: np.ndarray, shared: np.ndarray, upstream: np.ndarray,
                 outputs: list[int]) -> None:
        self.values, self.shared = values, shared
        self.grads = np.zeros(values.shape)
        self.summed = np.zeros(len(shared))
        for row, gradient in zip(outputs, upstream, strict=True):
            self.grads[row] += gradient  # an output listed twice: its gradients add

    def upstream(self, group: Group):
        if not group.wanted:
            return None  # no parameter's gradient passes through these nodes
        upstream = self.grads[group.out]
        return upstream if np.count_nonzero(upstream) else None  # all 0: nothing to pass back

    def parents(self, group: Group) -> tuple[Parents, ...]:
        return group.parents

    def wants(self, parents: Parents) -> bool:
        return parents.wanted

    def local_grads(self, group: Group, upstream) -> tuple:
        values = self.values
        if group.kind == "dense":  # d(W X + b)/db = 1, /dW = X, /dX = W
            return 1.0, values[group.inputs], self.shared[group.weights]
        if group.kind == "sum":
            return (1.0,)  # d(t0 + t1 + ...)/dt_k = 1
        blocks = [values[group.a]] + ([] if group.b is None else [values[group.b]])
        blocks.append(values[group.out])
        try:
            return tuple(group.op.local_grads(*blocks))
        except (ArithmeticError, ValueError):
            if upstream.all():
                raise  # the rule fails on an example that gradient does flow through
        # An entry whose upstream gradient is 0 passes nothing back, as backward() skips
        # such a node: run the rule on the other entries only (sqrt'(0) is never
        # evaluated where a dead relu stopped the gradient), and give the rest 0.
        flowing = upstream != 0.0
        locals_ = group.op.local_grads(*(block[flowing] for block in blocks))
        return tuple(_scatter(local, flowing) for local in locals_)

    def times(self, local, upstream, parents: Parents):
        if parents.kind == "weights":
            return upstream @ local.T  # U X^T: summed over the batch in one product
        if parents.kind == "inputs":
            return local.T @ upstream  # W^T U
        if parents.kind == "weights each":
            return (local @ upstream[:, :, None])[:, :, 0]  # x × upstream, summed
        if parents.kind == "inputs each":
            return local[:, :, None] * upstream[:, None, :]  # w × upstream, per example
        if parents.kind == "bias":
            return upstream.sum(axis=1)  # 1 × upstream, summed over the batch
        if parents.kind == "terms":  # 1 × upstream, for every term of each sum (add broadcasts)
            return upstream[:, None, :]
        if type(local) is float and local == 1.0:
            return upstream  # add, sub: pass the upstream on (saves a multiply)
        return local * upstream

    def add(self, group, position, parents: Parents, local, contribution) -> None:
        """Add the contribution to the parents' rows, repeated rows included."""
        target = self.summed if parents.kind in _SUMMED else self.grads
        if parents.unique:
            target[parents.index] += contribution
        else:
            np.add.at(target, parents.index, contribution)

    def shared_grads(self, leaf_rows: np.ndarray, leaf_shared: np.ndarray) -> np.ndarray:
        """d root / d each shared number, summed over the batch (rows and weights alike)."""
        total = self.summed.copy()
        if len(leaf_shared):
            total[leaf_shared] += self.grads[leaf_rows].sum(axis=1)
        return total


_SUMMED = ("weights", "weights each", "bias")  # kinds whose gradient is summed over the batch


def _scatter(local, flowing: np.ndarray) -> np.ndarray:
    """A local gradient computed on the flowing entries, laid out over the block (0 elsewhere)."""
    full = np.zeros(flowing.shape)
    full[flowing] = local
    return full
