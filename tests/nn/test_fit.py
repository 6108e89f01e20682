"""fit(): reproducible per seed, History's shape, stopping rules, Ctrl-C, checked input."""

import os
import signal

import numpy as np
import pytest
from chainrule.nn import (
    MLP,
    SGD,
    Adam,
    evaluate,
    fit,
    hinge,
    l2_penalty,
    make_moons,
    make_spiral,
    mse,
    predict,
    softmax_cross_entropy,
)


def moons_run(seed, epochs=3, **options):
    X, y = make_moons(30, noise=0.1, seed=0)
    model = MLP(2, [6, 1], seed=0)
    history = fit(model, X, y, loss=hinge, optimizer=SGD(model.parameters(), lr=0.1),
                  epochs=epochs, batch_size=8, seed=seed, progress=False, **options)
    return model, history


def test_fit_is_reproducible_to_the_last_digit_per_seed():
    (_, first), (_, second) = moons_run(seed=1), moons_run(seed=1)
    assert first.to_dict() == second.to_dict()
    assert moons_run(seed=2)[1].train["loss"] != first.train["loss"]


def test_history_to_dict_has_epochs_train_and_an_empty_validation():
    _, history = moons_run(seed=0, metrics=("accuracy", "f1"))
    result = history.to_dict()
    assert result["epochs"] == 3 and result["validation"] == {}
    assert sorted(result["train"]) == ["accuracy", "f1", "loss"]
    assert all(len(v) == 3 for v in result["train"].values())


def test_validation_numbers_match_evaluate_on_the_final_model():
    X, y = make_moons(30, noise=0.1, seed=1)
    model, history = moons_run(seed=0, validation=(X, y))
    final = evaluate(model, X, y, loss=hinge)
    assert history.validation["loss"][-1] == final["loss"]
    assert history.validation["accuracy"][-1] == final["accuracy"]


def test_mini_batches_give_one_optimizer_step_each():
    X, y = make_moons(20, noise=0.1, seed=0)
    model = MLP(2, [4, 1], seed=0)
    optimizer = SGD(model.parameters(), lr=0.1)
    fit(model, X, y, loss=hinge, optimizer=optimizer, epochs=2, batch_size=6, progress=False)
    assert optimizer.steps == 2 * 4  # 20 rows in batches of 6: 6, 6, 6, 2


def test_multiclass_training_lowers_the_loss():
    X, y = make_spiral(10, classes=3, seed=0)
    model = MLP(2, [8, 3], seed=0)
    history = fit(model, X, y, loss=softmax_cross_entropy, epochs=15, progress=False,
                  optimizer=Adam(model.parameters(), lr=0.05), metrics=("accuracy", "f1"))
    assert history.train["loss"][-1] < history.train["loss"][0]
    assert np.argmax(predict(model, X[:1])[0]) in (0, 1, 2)


def test_early_stopping_ends_when_validation_loss_stops_improving():
    X, y = make_moons(20, noise=0.1, seed=0)
    # a huge learning rate makes the validation loss jump around instead of falling
    model = MLP(2, [4, 1], seed=0)
    history = fit(model, X, y, loss=hinge, optimizer=SGD(model.parameters(), lr=50.0),
                  epochs=200, validation=(X, y), patience=2, progress=False)
    assert history.stopped == "early stopping" and history.epochs < 200
    losses = history.validation["loss"]
    assert min(losses[-2:]) >= min(losses[:-2])  # the last 2 epochs beat no earlier one


def test_a_callback_returning_true_stops_training():
    _, history = moons_run(seed=0, epochs=10, callbacks=[lambda h: h.epochs == 4])
    assert history.epochs == 4 and history.stopped == "callback"


def test_ctrl_c_stops_after_the_current_step_and_returns_the_history():
    X, y = make_moons(20, noise=0.1, seed=0)
    model = MLP(2, [4, 1], seed=0)
    calls = []

    def loss(outputs, targets):
        calls.append(1)
        if len(calls) == 3:  # during the third epoch's step
            os.kill(os.getpid(), signal.SIGINT)
        return hinge(outputs, targets)
    history = fit(model, X, y, loss=loss, optimizer=SGD(model.parameters(), lr=0.1),
                  epochs=10, progress=False)
    assert history.stopped == "interrupted" and history.epochs == 3
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler


def test_progress_false_prints_nothing(capsys):
    moons_run(seed=0)
    captured = capsys.readouterr()
    assert captured.out == "" and captured.err == ""


@pytest.mark.parametrize("batch_size", [None, 16])
def test_compiled_fit_gives_the_per_example_losses_and_parameters(batch_size):
    X, y = make_moons(40, noise=0.1, seed=3)
    histories, models = [], []
    for compiled in (False, True):
        model = MLP(2, [8, 8, 1], seed=3)
        loss = lambda out, t, m=model: hinge(out, t) + l2_penalty(m.parameters(), 1e-4)
        histories.append(fit(model, X, y, loss=loss, epochs=5, batch_size=batch_size, seed=1,
                             optimizer=SGD(model.parameters(), lr=0.5, momentum=0.9),
                             progress=False, compiled=compiled))
        models.append(model)
    assert histories[1].train["loss"] == pytest.approx(histories[0].train["loss"], rel=1e-9)
    for a, b in zip(models[0].parameters(), models[1].parameters(), strict=True):
        assert b.data == pytest.approx(a.data, rel=1e-9, abs=1e-12)


@pytest.mark.parametrize("options, match", [
    ({"epochs": 0}, "epochs must be"),
    ({"epochs": 1, "batch_size": 0}, "batch_size must be"),
    ({"epochs": 1, "patience": 2}, "validation"),
    ({"epochs": 1, "metrics": ("auc",)}, "unknown metric"),
    ({"epochs": 1, "X": np.zeros((4, 3))}, "takes 2 inputs"),
    ({"epochs": 1, "y": np.zeros(3)}, "one label per row"),
])
def test_bad_fit_arguments_raise_before_the_model_changes(options, match):
    model = MLP(2, [3, 1], seed=0)
    before = model.state_dict()
    X, y = options.pop("X", np.zeros((4, 2))), options.pop("y", np.array([0, 1, 0, 1]))
    with pytest.raises(ValueError, match=match):
        fit(model, X, y, loss=hinge, optimizer=SGD(model.parameters(), lr=0.1),
            progress=False, **options)
    assert model.state_dict() == before


def test_regression_targets_with_the_default_metrics_raise_before_the_model_changes():
    X = np.array([[0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
    y = np.array([0.25, 1.5, -0.75])  # regression targets, not class labels
    model = MLP(2, [3, 1], seed=0)
    before = model.state_dict()
    with pytest.raises(ValueError, match=r"y holds 0\.25 .*For regression targets pass "
                                         r"metrics=\(\)"):
        fit(model, X, y, loss=mse, optimizer=SGD(model.parameters(), lr=0.1), epochs=1,
            progress=False)
    assert model.state_dict() == before


def test_regression_trains_with_no_metrics():
    X, y = np.array([[0.0, 1.0], [1.0, 0.0]]), np.array([0.25, 1.5])
    model = MLP(2, [3, 1], seed=0)
    history = fit(model, X, y, loss=mse, optimizer=SGD(model.parameters(), lr=0.1), epochs=2,
                  metrics=(), validation=(X, y), progress=False)
    assert sorted(history.train) == sorted(history.validation) == ["loss"]


def test_bad_validation_labels_raise_before_the_model_changes():
    X, y = make_moons(20, noise=0.1, seed=0)
    model = MLP(2, [4, 1], seed=0)
    before = model.state_dict()
    with pytest.raises(ValueError, match=r"the validation y holds 2\.5"):
        fit(model, X, y, loss=hinge, optimizer=SGD(model.parameters(), lr=0.1), epochs=1,
            validation=(X[:2], np.array([1.0, 2.5])), progress=False)
    assert model.state_dict() == before


def test_plus_minus_one_hinge_labels_train_and_score_like_classes_zero_and_one():
    X, y = make_moons(30, noise=0.1, seed=0)
    signs = 2 * y - 1  # -1/+1: the labels hinge documents; it reads 0/1 the same way
    histories = []
    for labels in (y, signs):
        model = MLP(2, [6, 1], seed=0)
        histories.append(fit(model, X, labels, loss=hinge, epochs=3, batch_size=8, seed=0,
                             optimizer=SGD(model.parameters(), lr=0.1), progress=False,
                             metrics=("accuracy", "f1"), validation=(X, labels)))
    assert histories[1].to_dict() == histories[0].to_dict()
    assert evaluate(model, X, signs, loss=hinge) == evaluate(model, X, y, loss=hinge)


def test_custom_metrics_see_plus_minus_one_labels_as_classes_zero_and_one():
    X, y = make_moons(20, noise=0.1, seed=0)
    seen = []

    def classes(y_true, y_pred):
        seen.append(sorted(set(y_true.tolist())))
        return 0.0
    model = MLP(2, [4, 1], seed=0)
    fit(model, X, 2 * y - 1, loss=hinge, optimizer=SGD(model.parameters(), lr=0.1), epochs=1,
        metrics=(classes,), progress=False)
    assert seen == [[0, 1]]  # compared with the predicted labels 0/1, not -1/+1
