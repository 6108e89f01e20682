"""chainrule's engine: scalar Values, one table of op rules, backward without recursion.

>>> from chainrule.autograd import Value
>>> x = Value(-4.0)
>>> z = 2 * x + 2 + x
>>> z.backward()
>>> x.grad
3.0

``chainrule.autograd.compile(f, n_inputs)`` (in ``chainrule.autograd.compiled``) is
reachable as an attribute but left out of ``__all__``: ``from chainrule.autograd import *``
must not shadow the built-in.
"""

from chainrule.autograd.compiled import Compiled
from chainrule.autograd.compiled import compile as compile  # an attribute, not in __all__
from chainrule.autograd.functional import grad, gradients, hessian, value_and_grad
from chainrule.autograd.gradcheck import GradcheckReport, assert_gradcheck, gradcheck, gradgradcheck
from chainrule.autograd.graph import count_nodes, leaves, topological_order
from chainrule.autograd.handcheck import BackpropReport, check_backprop
from chainrule.autograd.linear import weighted_sum
from chainrule.autograd.ops import OPS, Op
from chainrule.autograd.state import gc_paused, is_recording, no_grad, scope
from chainrule.autograd.value import Operand, Value, apply_op

__all__ = [
    "GradcheckReport", "assert_gradcheck", "grad", "gradcheck", "gradgradcheck",
    "gradients", "hessian", "value_and_grad",
    "Compiled", "OPS", "Op", "Operand", "Value", "apply_op", "count_nodes", "is_recording",
    "gc_paused", "leaves", "no_grad", "scope", "topological_order", "weighted_sum",
    "BackpropReport", "check_backprop",
]
