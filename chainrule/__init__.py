"""chainrule: a scalar autograd engine for seeing backpropagation.

``import chainrule as cr`` gives the everyday names, for a prompt or a notebook; the
subpackages hold the full API: ``chainrule.autograd`` (the engine), ``chainrule.nn``
(networks), ``chainrule.viz`` (pictures) and ``chainrule.cli`` (the command line).

>>> import chainrule as cr
>>> x = cr.Value(0.5, "x")
>>> y = (x * 2).tanh()
>>> y.backward()
>>> round(x.grad, 4)           # 2 * (1 - tanh(1)^2)
0.8399
>>> cr.gradcheck(lambda x: (x * 2).tanh(), [0.5]).ok
True
>>> print(cr.why(y, x))       # doctest: +ELLIPSIS
why is dn2/dx = 0.8399?
...
  sum = 0.8399 = x.grad
"""

from chainrule._version import __version__
from chainrule.autograd import (
    Value,
    grad,
    gradcheck,
    gradgradcheck,
    hessian,
    no_grad,
    scope,
    value_and_grad,
)
from chainrule.autograd.handcheck import check_backprop
from chainrule.autograd.parse import parse
from chainrule.autograd.paths import why
from chainrule.autograd.quiz import quiz
from chainrule.autograd.steps import explain
from chainrule.nn import MLP, SGD, Adam, fit, make_moons, mse
from chainrule.viz import draw_dot, draw_graph, plot_decision_boundary, plot_history, render
from chainrule.viz.stepper import stepper, stepper_html

__all__ = [
    "__version__",
    "Value", "grad", "gradcheck", "gradgradcheck", "hessian", "no_grad", "scope",
    "value_and_grad", "parse", "why", "explain", "quiz",
    "MLP", "SGD", "Adam", "fit", "make_moons", "mse",
    "draw_dot", "draw_graph", "plot_decision_boundary", "plot_history", "render",
    "stepper", "stepper_html",
    "check_backprop",
]
