"""Issue 17, items 7, 9 and 10: a model file cannot hurt (no huge build, no raw
OverflowError/RecursionError, version must be the integer 1) and a save leaves no
temporary files behind and names the target in its errors."""

import json
import os
import time

import pytest
from chainrule.autograd import Value, apply_op
from chainrule.autograd.ops import Op
from chainrule.nn import MLP, Module


def _file(tmp_path, **changes):
    document = {"format": "chainrule.nn", "version": 1,
                "architecture": {"class": "MLP", "nin": 2, "nouts": [1]},
                "parameters": {"layers.0.neurons.0.w.0": 1.0, "layers.0.neurons.0.w.1": 1.0,
                               "layers.0.neurons.0.b": 0.0}}
    document.update(changes)
    path = tmp_path / "m.json"
    path.write_text(json.dumps(document) if not isinstance(changes.get("raw"), str)
                    else changes["raw"])
    return path


def test_a_file_that_asks_for_a_huge_network_is_refused_before_building_it(tmp_path):
    path = _file(tmp_path, architecture={"class": "MLP", "nin": 2,
                                         "nouts": [100000, 100000]}, parameters={})
    # 3 * 100000 + 100001 * 100000: counted from the architecture, never built
    with pytest.raises(ValueError, match="has 10000400000 parameters but the file holds 0"):
        Module.load(path)


@pytest.mark.parametrize("number", ["1" + "0" * 400, "1" + "0" * 5000])
def test_an_int_beyond_a_float_is_one_clear_error_naming_the_file_and_parameter(tmp_path,
                                                                                  number):
    path = tmp_path / "m.json"
    path.write_text(_file(tmp_path).read_text().replace('"layers.0.neurons.0.b": 0.0',
                                                        f'"layers.0.neurons.0.b": {number}'))
    with pytest.raises(ValueError, match="m.json"):
        Module.load(path)


def test_deep_nesting_is_one_clear_error(tmp_path):
    path = tmp_path / "m.json"
    path.write_text("[" * 100_000 + "]" * 100_000)
    with pytest.raises(ValueError, match="m.json: not a JSON file we can read"):
        Module.load(path)


def test_version_true_is_not_version_1(tmp_path):
    with pytest.raises(ValueError, match="version True"):
        Module.load(_file(tmp_path, version=True))


@pytest.mark.parametrize("result", [float("nan"), "4", None])
def test_a_custom_op_whose_forward_returns_nan_or_a_string_is_refused(result):
    op = Op("odd", "odd", 1, lambda x: result, lambda x, out: (1.0,), ("1",), "odd({0})")
    with pytest.raises((TypeError, ValueError), match="forward of op 'odd' returned"):
        apply_op(op, Value(1.0))


def test_a_save_removes_temporaries_a_killed_save_left_behind(tmp_path):
    stale = tmp_path / ".m.json.deadbeef.tmp"
    stale.write_bytes(b"x" * 100)
    old = time.time() - 3600
    os.utime(stale, (old, old))
    MLP(2, [1], seed=0).save(tmp_path / "m.json")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["m.json"]


def test_a_failed_save_names_the_target_not_the_temporary(tmp_path):
    target = tmp_path / "m.json"
    target.mkdir()                                 # a folder where the file should go
    with pytest.raises(OSError, match="m.json") as error:
        MLP(2, [1], seed=0).save(target)
    assert ".tmp" not in str(error.value)


def test_fit_checks_the_validation_columns_before_the_first_epoch_changes_the_model():
    from chainrule.nn import SGD, fit, make_moons, mse
    X, y = make_moons(seed=0)
    model = MLP(2, [3, 1], seed=0)
    before = model.state_dict()
    with pytest.raises(ValueError, match="validation X has 3 columns"):
        fit(model, X, y, loss=mse, optimizer=SGD(model.parameters(), lr=0.1), epochs=2,
            validation=(X[:, [0, 1, 1]], y), progress=False)
    assert model.state_dict() == before
