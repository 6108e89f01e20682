"""An MLP and a History show in a notebook as tables; fit's bar suits where output goes."""

from __future__ import annotations

import io

import numpy as np
import pytest
from chainrule.nn import MLP, SGD, Neuron, fit, make_xor, mse
from chainrule.nn.display import SHOWN_EPOCHS, summary
from chainrule.nn.progress import FinalLine, progress_bar
from chainrule.nn.train import History
from html_reading import all_text, read_html

SCRIPT = "<script>alert(1)</script>"


def test_mlp_html_lists_layers_activations_and_parameter_counts():
    model = MLP(2, [16, 16, 1], activation="tanh", output_activation="sigmoid", seed=0)
    reading = read_html(model._repr_html_())
    header, *rows = reading.tables[0]
    assert header == ["layer", "inputs", "neurons", "activation", "parameters"]
    # 16 × (2 + 1), 16 × (16 + 1), 1 × (16 + 1)
    assert rows == [["L0", "2", "16", "tanh", "48"], ["L1", "16", "16", "tanh", "272"],
                    ["L2", "16", "1", "sigmoid", "17"]]
    assert f"total parameters: {len(model.parameters())}" in all_text(model._repr_html_())


def test_summary_text_is_the_same_table_for_a_terminal():
    text = str(summary(MLP(3, [4, 2], seed=0)))
    assert text.splitlines()[1].split() == ["L0", "3", "4", "relu", "16"]  # 4 × (3 + 1)
    assert text.endswith("total parameters: 26")  # 16 + 2 × (4 + 1)


def test_summary_refuses_what_is_not_a_network():
    with pytest.raises(TypeError, match="MLP, Layer or Neuron"):
        summary([1, 2])
    assert summary(Neuron(2)).total == 3


def history_of(losses: list[float], accuracies: list[float]) -> History:
    history = History()
    for loss, accuracy in zip(losses, accuracies, strict=True):
        history.record("train", {"loss": loss, "accuracy": accuracy})
        history.epochs += 1
    return history


def test_history_html_shows_a_loss_curve_and_each_epoch_of_a_short_run():
    history = history_of([0.9, 0.5, 0.25], [0.5, 0.75, 1.0])
    reading = read_html(history._repr_html_())
    assert "polyline" in reading.tags
    assert reading.tables[0] == [["epoch", "train loss", "train accuracy"],
                                 ["1", "0.9", "0.5"], ["2", "0.5", "0.75"], ["3", "0.25", "1"]]
    assert "stopped: completed" in all_text(history._repr_html_())


def test_history_html_of_a_long_run_spreads_its_rows_and_keeps_the_last_epoch():
    losses = [1.0 / (epoch + 1) for epoch in range(100)]
    reading = read_html(history_of(losses, [0.5] * 100)._repr_html_())
    epochs = [int(row[0]) for row in reading.tables[0][1:]]
    assert len(epochs) == SHOWN_EPOCHS and epochs[0] == 1 and epochs[-1] == 100
    assert reading.tables[0][-1][1] == f"{losses[-1]:.4g}"  # 1/100 = 0.01


def test_history_html_skips_the_curve_when_the_loss_is_not_finite():
    reading = read_html(history_of([0.5, float("nan")], [0.5, 0.5])._repr_html_())
    assert "polyline" not in reading.tags and reading.tables[0][-1][1] == "nan"


def test_history_html_escapes_metric_names():
    history = History()
    history.record("train", {SCRIPT: 0.5})
    reading = read_html(history._repr_html_())
    assert "script" not in reading.tags and reading.tables[0][0][1] == f"train {SCRIPT}"


def test_fit_writes_only_the_final_bar_line_when_the_output_is_not_a_terminal(capsys):
    X, y = make_xor()
    model = MLP(2, [4, 1], output_activation="sigmoid", seed=0)
    fit(model, X, y, loss=mse, optimizer=SGD(model.parameters(), lr=0.5), epochs=5)
    err = capsys.readouterr().err  # pytest's capture is not a terminal
    assert "\r" not in err and err.count("\n") == 1
    assert err.startswith("fit: 100%") and "5/5" in err and "loss=" in err


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_bar_redraws_in_place_on_a_terminal():
    screen = Terminal()
    with progress_bar(3, desc="fit", unit="epoch", stream=screen) as bar:
        for _ in range(3):
            bar.update(1)
    assert screen.getvalue().count("\r") >= 2  # drawn at 0/3, redrawn at least at 3/3


def test_final_line_passes_on_each_finished_line_as_last_drawn():
    log = io.StringIO()
    out = FinalLine(log)
    for text in ("\rfit:  0%", "\rfit: 50%", "\rfit: 100%   \n", "\rnext: 1/1\n"):
        out.write(text)
    assert log.getvalue() == "fit: 100%\nnext: 1/1\n"


def test_fit_html_history_numbers_match_the_history():
    X, y = make_xor()
    model = MLP(2, [4, 1], output_activation="sigmoid", seed=0)
    history = fit(model, X, y, loss=mse, optimizer=SGD(model.parameters(), lr=0.5),
                  epochs=3, progress=False)
    rows = read_html(history._repr_html_()).tables[0][1:]
    assert [float(row[1]) for row in rows] == pytest.approx(
        np.round(history.train["loss"], 4), abs=1e-4)
