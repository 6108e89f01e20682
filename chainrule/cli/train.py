"""``chainrule train``: fit an MLP to a toy data set with a progress bar, then report."""

from __future__ import annotations

import argparse
import os
import re
from pathlib import Path

from chainrule import nn
from chainrule.autograd.numbers import whole_number
from chainrule.cli.common import UsageError, read_sizes, subcommand

EXAMPLES = """\
  chainrule train moons --hidden 16,16 --epochs 50
  chainrule train xor --hidden 8 --optimizer sgd --lr 0.5 --epochs 300 --seed 1
  chainrule train spiral --epochs 100 --plot out/spiral.png --save out/spiral.json
"""
DEFAULT_LR = {"adam": 0.02, "sgd": 0.1}
# The library's names for what these options set: its errors then name the option.
OPTIONS = {"epochs": "--epochs", "batch_size": "--batch-size", "lr": "--lr"}


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    """Register ``train`` and its options.

    >>> parser = argparse.ArgumentParser(prog="chainrule")
    >>> add_parser(parser.add_subparsers())
    >>> parser.parse_args(["train", "xor", "--epochs", "5"]).epochs
    5
    """
    parser = subcommand(subparsers, "train", "train an MLP on a toy data set", EXAMPLES)
    parser.add_argument("dataset", choices=nn.DATASETS, help="which toy data set")
    parser.add_argument("--hidden", default="16,16", help="hidden layer sizes (default 16,16)")
    parser.add_argument("--epochs", type=int, default=50, help="passes over the data (50)")
    parser.add_argument("--lr", type=float, help="learning rate (" + ", ".join(
        f"{name} {lr:g}" for name, lr in DEFAULT_LR.items()) + ")")
    parser.add_argument("--optimizer", choices=nn.OPTIMIZERS, default="adam")
    parser.add_argument("--batch-size", type=int, help="rows per step (default: all)")
    parser.add_argument("--samples", type=int, default=100,
                        help="points to generate (default 100; xor always has 4)")
    parser.add_argument("--seed", type=int, default=0, help="for the data and the weights")
    parser.add_argument("--plot", type=Path, metavar="PATH",
                        help="save the decision boundary (and PATH-history: the curves)")
    parser.add_argument("--save", type=Path, metavar="PATH", help="save the model as JSON")
    parser.add_argument("--no-progress", action="store_true", help="hide the progress bar")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Train, print the final loss and accuracy, save what was asked for.

    >>> from chainrule.cli import main
    >>> main(["train", "xor", "--hidden", "4", "--epochs", "2", "--no-progress"])
    ... # doctest: +ELLIPSIS
    training MLP(2, [4, 1]) on xor (4 points, 2 classes) with adam lr=0.02 for 2 epochs
    after 2 epochs (completed): loss 0..., accuracy 0...
    0
    """
    _check(args)
    try:
        model, history, X, y = _train(args)
    except ValueError as error:  # the library checks epochs, lr, ...: say which option
        raise _named_as_option(error) from None
    final = {name: values[-1] for name, values in history.train.items()}
    print(f"after {history.epochs} epochs ({history.stopped}): "
          + ", ".join(f"{name} {value:.4f}" for name, value in final.items()))
    _outputs(args, model, X, y, history)
    return 0


def _train(args: argparse.Namespace) -> tuple:
    """The model, its History and the data: the library checks the numbers it is given."""
    X, y = nn.make_dataset(args.dataset, args.samples, args.seed)
    n_classes = int(y.max()) + 1
    sizes = [*read_sizes(args.hidden, "--hidden"), 1 if n_classes == 2 else n_classes]
    model = nn.MLP(2, sizes, seed=args.seed)
    lr = args.lr if args.lr is not None else DEFAULT_LR[args.optimizer]
    whole_number("epochs", args.epochs)  # fit's own helper, asked before the header prints
    if args.batch_size is not None:
        whole_number("batch_size", args.batch_size)
    optimizer = nn.OPTIMIZERS[args.optimizer](model.parameters(), lr=lr)
    loss = nn.binary_cross_entropy_with_logits if n_classes == 2 else nn.softmax_cross_entropy
    print(f"training MLP(2, {sizes}) on {args.dataset} ({len(y)} points, {n_classes} classes)"
          f" with {args.optimizer} lr={lr:g} for {args.epochs} epochs")
    history = nn.fit(model, X, y, loss=loss, optimizer=optimizer, epochs=args.epochs,
                     batch_size=args.batch_size, metrics=("accuracy",),
                     progress=not args.no_progress, seed=args.seed)
    return model, history, X, y


def _named_as_option(error: ValueError) -> Exception:
    """The library's error about a number an option set, naming the option as typed.

    >>> _named_as_option(ValueError("batch_size must be a whole number >= 1, got 0."))
    UsageError('--batch-size must be a whole number >= 1, got 0.')
    >>> _named_as_option(ValueError("Adam lr needs a finite number, got nan."))
    UsageError('Adam --lr needs a finite number, got nan.')
    """
    text = str(error)
    named = re.match(rf"(\w+:? )?({'|'.join(OPTIONS)})\b", text)
    if named is None:
        return error
    return UsageError(text[:named.start(2)] + OPTIONS[named[2]] + text[named.end(2):])


def _check(args: argparse.Namespace) -> None:
    if args.seed < 0:
        raise UsageError(f"--seed {args.seed}: use a whole number >= 0, e.g. --seed 0")
    if args.samples < 6:
        raise UsageError(f"--samples {args.samples}: generate at least 6 points")
    for option, path in (("--plot", args.plot), ("--save", args.save)):
        if path is not None and path.is_dir():
            raise UsageError(f"{option} {path}: that is a folder; give a file name")
    if args.plot is not None:
        _check_plot_suffix(args.plot)
    if args.save is not None:
        _check_writable("--save", args.save)


def _check_writable(option: str, path: Path) -> None:
    """Refuse a path we could not write to, before training rather than after.

    >>> _check_writable("--save", Path("/dev/null/model.json"))   # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    chainrule.cli.common.UsageError: --save /dev/null/model.json: '/dev/null' is a file, ...
    """
    folder = path.parent
    while not folder.exists() and folder != folder.parent:  # the folders save() would make
        folder = folder.parent
    if not folder.is_dir():
        raise UsageError(f"{option} {path}: '{folder}' is a file, not a folder; "
                         "give a path inside a folder")
    if not os.access(folder, os.W_OK | os.X_OK):
        raise UsageError(f"{option} {path}: cannot write in '{folder}'; "
                         "give a path in a folder you can write to")


def _check_plot_suffix(path: Path) -> None:
    """Refuse a --plot name matplotlib can't write, before training rather than after.

    >>> _check_plot_suffix(Path("boundary.xyz"))   # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    chainrule.cli.common.UsageError: --plot: cannot save a plot as 'boundary.xyz': end ...
    """
    try:
        from chainrule.viz.plots import picture_format  # the check the plot itself makes
    except ImportError as error:
        raise UsageError(f"--plot needs the viz package ({error})") from None
    try:
        picture_format(path)
    except ValueError as error:
        raise UsageError(f"--plot: {error}") from None


def _outputs(args: argparse.Namespace, model, X, y, history) -> None:
    if args.save is not None:
        args.save.parent.mkdir(parents=True, exist_ok=True)
        print(f"saved the model to {model.save(args.save)}")
    if args.plot is None:
        return
    from chainrule.nn import decision_function
    from chainrule.viz.plots import plot_decision_boundary, plot_history

    # the class index the model picks: y holds class labels 0, 1, 2, ...
    plot_decision_boundary(decision_function(model, classes=True), X, y, args.plot,
                           resolution=60)
    curves = args.plot.with_name(f"{args.plot.stem}-history{args.plot.suffix}")
    plot_history(history, curves)
    print(f"saved the decision boundary to {args.plot} and the curves to {curves}")
