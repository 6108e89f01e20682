"""Find the sums in a tape: chains of ``+`` that one numpy call can compute whole.

``b + w0*x0 + w1*x1 + ...`` records one ``add`` per term, each on the one before: a
chain as long as the sum. Replayed node by node it takes one call per term; recognised,
it takes one call for the lot. Two shapes are recognised (``autograd.grouping`` uses them):

- a **dense** sum, a neuron's: every term a ``mul`` of a parameter or constant (the
  weight) and anything else (the input), plus a first term, the bias;
- a plain **sum** of any terms, ``t0 + t1 + t2 + ...`` (a loss's mean, a penalty).

A chain is followed back only through nodes nothing else reads (used once, not an output
of the tape): those inner nodes are never needed on their own, so they are not computed.

>>> from chainrule.autograd.tape import Step
>>> from chainrule.autograd.ops import ADD, MUL
>>> steps = [Step(MUL, 4, 2, 0), Step(ADD, 5, 3, 4), Step(MUL, 6, 2, 1), Step(ADD, 7, 5, 6)]
>>> find_sums(steps, [7], range(2, 4))[7]        # slot 3 + slot 2 * slot 0 + slot 2 * slot 1
Chain(kind='dense', inner=(6, 5, 4), bias=3, weights=(2, 2), inputs=(0, 1), terms=())
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from chainrule.autograd.ops import ADD, MUL


@dataclass(frozen=True, slots=True)
class Chain:
    """One recognised sum: ``bias + sum weights[k] * inputs[k]`` (dense) or ``sum terms``.

    >>> Chain("sum", inner=(3,), terms=(0, 1, 2)).kind
    'sum'
    """

    kind: str  # "dense" or "sum"
    inner: tuple[int, ...]  # the slots it absorbs: computed only as part of the sum
    bias: int = -1
    weights: tuple[int, ...] = ()
    inputs: tuple[int, ...] = ()
    terms: tuple[int, ...] = ()


def find_sums(steps: list, outputs: list[int], shared: range) -> dict[int, Chain]:
    """Each recognised sum's last slot -> its Chain; ``shared``: parameter and constant slots.

    >>> from chainrule.autograd.tape import Step
    >>> steps = [Step(ADD, 3, 0, 1), Step(ADD, 4, 3, 2)]        # x0 + x1 + x2
    >>> find_sums(steps, [4], range(3, 3))[4].terms
    (0, 1, 2)
    """
    by_slot = {step.out: step for step in steps}
    uses: dict[int, int] = defaultdict(int)
    for step in steps:
        uses[step.a] += 1
        uses[step.b] += 1
    for slot in outputs:
        uses[slot] += 2  # an output is read from outside: never absorbed
    sums, absorbed = {}, set()
    for step in reversed(steps):  # last node first: take each chain whole
        if step.out in absorbed or step.op is not ADD:
            continue
        chain = _dense(step, by_slot, uses, shared) or _plain(step, by_slot, uses, shared)
        if chain is not None:
            sums[step.out] = chain
            absorbed.update(chain.inner)
    return sums


def _once(slot: int, op, by_slot: dict, uses: dict):
    """The step that made ``slot`` if it is an ``op`` node read by one node only."""
    step = by_slot.get(slot)
    return step if step is not None and step.op is op and uses[slot] == 1 else None


def _dense(step, by_slot: dict, uses: dict, shared: range) -> Chain | None:
    pairs, inner, node = [], [], step
    while True:
        term = _once(node.b, MUL, by_slot, uses)
        if term is None or (term.a in shared) == (term.b in shared):
            if node is step:
                return None  # not a product of one weight and one input
            bias = inner.pop()  # the running sum so far, computed on its own
            break
        pairs.append((term.a, term.b) if term.a in shared else (term.b, term.a))
        inner.append(node.b)
        previous = _once(node.a, ADD, by_slot, uses)
        if previous is None:
            bias = node.a
            break
        inner.append(node.a)
        node = previous
    pairs.reverse()
    return Chain("dense", tuple(inner), bias, tuple(w for w, _ in pairs),
                 tuple(x for _, x in pairs))


def _plain(step, by_slot: dict, uses: dict, shared: range) -> Chain | None:
    terms, inner, node = [step.b], [], step
    while True:
        previous = _once(node.a, ADD, by_slot, uses)
        if previous is None or _dense(previous, by_slot, uses, shared) is not None:
            # a neuron's sum stays a term whole: its own dense group computes it
            terms.append(node.a)
            break
        inner.append(node.a)
        terms.append(previous.b)
        node = previous
    if len(terms) < 3:
        return None  # a lone a + b: an ordinary node
    return Chain("sum", tuple(inner), terms=tuple(reversed(terms)))
