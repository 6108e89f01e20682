"""Pictures of graphs and training: Graphviz computation graphs, plots, the stepper.

Imports ``autograd`` only: plots take a ``predict(x) -> float`` callable and a history
dict, never a network class.

>>> from chainrule.autograd import Value
>>> y = (Value(2.0, "x") * 3).tanh()
>>> y.backward()
>>> draw_graph(y).source.count("grad ")
3
"""

from chainrule.viz.graph import dot_ids, draw_dot, draw_graph
from chainrule.viz.plots import plot_decision_boundary, plot_history
from chainrule.viz.render import render

__all__ = ["dot_ids", "draw_dot", "draw_graph", "plot_decision_boundary",
           "plot_history", "render"]
