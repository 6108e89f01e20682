"""Neural networks built from chainrule.autograd Values: layers, losses, optimizers, data, training.

Everything is made of ``Value``s, so every network can be drawn, stepped through and
gradient-checked. Imports ``autograd`` only.

>>> from chainrule.nn import MLP, SGD, fit, hinge, make_moons
>>> X, y = make_moons(20, noise=0.1, seed=0)
>>> model = MLP(2, [8, 1], seed=0)
>>> history = fit(model, X, y, loss=hinge, optimizer=SGD(model.parameters(), lr=0.1),
...               epochs=5, progress=False)
>>> history.epochs
5
"""

from chainrule.nn.data import (
    DATASETS,
    Standardizer,
    batches,
    make_blobs,
    make_circles,
    make_dataset,
    make_moons,
    make_spiral,
    make_xor,
    train_val_test_split,
)
from chainrule.nn.display import ModelSummary, summary
from chainrule.nn.inference import decision_function, evaluate, predict, to_labels
from chainrule.nn.layers import ACTIVATIONS, INITS, MLP, Layer, Neuron
from chainrule.nn.losses import (
    binary_cross_entropy,
    binary_cross_entropy_with_logits,
    hinge,
    l1_penalty,
    l2_penalty,
    mse,
    softmax_cross_entropy,
)
from chainrule.nn.metrics import accuracy, confusion_matrix, f1_score, precision, recall
from chainrule.nn.module import Module
from chainrule.nn.optim import OPTIMIZERS, SGD, Adam, Optimizer, linear_decay, step_decay
from chainrule.nn.train import History, fit, train_step

__all__ = [
    "ACTIVATIONS", "INITS", "MLP", "Layer", "Module", "Neuron",
    "binary_cross_entropy", "binary_cross_entropy_with_logits", "hinge", "l1_penalty",
    "l2_penalty", "mse", "softmax_cross_entropy",
    "OPTIMIZERS", "SGD", "Adam", "Optimizer", "linear_decay", "step_decay",
    "DATASETS", "Standardizer", "batches", "make_blobs", "make_circles", "make_dataset",
    "make_moons", "make_spiral", "make_xor", "train_val_test_split",
    "accuracy", "confusion_matrix", "f1_score", "precision", "recall",
    "History", "decision_function", "evaluate", "fit", "predict", "to_labels", "train_step",
    "ModelSummary", "summary",
]
