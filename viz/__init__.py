"""Pictures of graphs and training: Graphviz computation graphs, plots, the stepper."""
