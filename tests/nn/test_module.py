"""Saving and loading: exact round trips, and every bad file leaving the model untouched."""

import json
import os

import pytest
from chainrule.nn import MLP, Layer, Module, Neuron
from chainrule.nn.module import FORMAT, VERSION


@pytest.fixture
def model():
    return MLP(2, [4, 3, 1], activation="tanh", output_activation="sigmoid", seed=3)


def test_a_saved_and_loaded_mlp_gives_identical_outputs(model, tmp_path):
    path = model.save(tmp_path / "model.json")
    loaded = Module.load(path)
    assert isinstance(loaded, MLP) and loaded.config() == model.config()
    assert loaded.state_dict() == model.state_dict()  # JSON floats round-trip exactly
    assert loaded([0.3, -0.7]).data == model([0.3, -0.7]).data


@pytest.mark.parametrize("make", [lambda: Neuron(3, "tanh"), lambda: Layer(2, 3, "sigmoid")])
def test_neurons_and_layers_round_trip_too(make, tmp_path):
    original = make()
    loaded = Module.load(original.save(tmp_path / "m.json"))
    assert type(loaded) is type(original) and loaded.state_dict() == original.state_dict()


def test_load_into_sets_the_numbers_of_an_existing_model(model, tmp_path):
    path = model.save(tmp_path / "model.json")
    other = MLP(2, [4, 3, 1], activation="tanh", output_activation="sigmoid", seed=99)
    other.load_into(path)
    assert other.state_dict() == model.state_dict()


def test_the_file_holds_format_version_architecture_and_named_parameters(model, tmp_path):
    document = json.loads(model.save(tmp_path / "m.json").read_text())
    assert document["format"] == FORMAT and document["version"] == VERSION
    assert document["architecture"]["nouts"] == [4, 3, 1]
    assert list(document["parameters"]) == [name for name, _ in model.named_parameters()]


def _document(model):
    return {"format": FORMAT, "version": VERSION, "architecture": model.config(),
            "parameters": model.state_dict()}


def _edit(change):
    def edited(model):
        document = _document(model)
        change(document)
        return json.dumps(document)
    return edited


BAD_FILES = {
    "not JSON": (lambda m: "{not json", "not a JSON file"),
    "not a model": (lambda m: json.dumps([1, 2]), "not a chainrule model file"),
    "wrong version": (_edit(lambda d: d.update(version=99)), "version 99"),
    "missing name": (_edit(lambda d: d["parameters"].pop("layers.2.neurons.0.b")),
                     "missing 'layers.2.neurons.0.b'"),
    "extra name": (_edit(lambda d: d["parameters"].update(extra=1.0)), "unexpected 'extra'"),
    "string number": (_edit(lambda d: d["parameters"].update({"layers.0.neurons.0.w.0": "1"})),
                      "must be a number"),
    "not finite": (_edit(lambda d: d["parameters"].update({"layers.1.neurons.2.b": float("nan")})),
                   "every parameter must be finite"),
    "other shape": (_edit(lambda d: d["architecture"].update(nouts=[5, 1])), "architecture"),
}


@pytest.mark.parametrize("case", sorted(BAD_FILES))
def test_a_bad_file_raises_a_clear_error_and_leaves_the_model_untouched(case, model, tmp_path):
    write, message = BAD_FILES[case]
    path = tmp_path / "bad.json"
    path.write_text(write(model))
    before = model.state_dict()
    with pytest.raises(ValueError, match=message):
        model.load_into(path)
    assert model.state_dict() == before


@pytest.mark.parametrize("case", ["not JSON", "wrong version", "missing name", "not finite"])
def test_module_load_refuses_the_same_bad_files(case, model, tmp_path):
    write, message = BAD_FILES[case]
    path = tmp_path / "bad.json"
    path.write_text(write(model))
    with pytest.raises(ValueError, match=message):
        Module.load(path)


def test_a_missing_file_names_the_path(tmp_path):
    with pytest.raises(FileNotFoundError, match="no saved model at"):
        Module.load(tmp_path / "nowhere.json")


def test_mlp_load_refuses_a_file_holding_a_neuron(tmp_path):
    path = Neuron(2).save(tmp_path / "neuron.json")
    with pytest.raises(ValueError, match="is not a MLP"):
        MLP.load(path)


def test_a_failed_write_keeps_the_previous_file_whole(model, tmp_path, monkeypatch):
    path = model.save(tmp_path / "model.json")
    before = path.read_bytes()
    other = MLP(2, [4, 3, 1], activation="tanh", output_activation="sigmoid", seed=4)

    def crash(*args):  # the process dies between writing the temp file and renaming it
        raise OSError("disk full")
    monkeypatch.setattr(os, "replace", crash)
    with pytest.raises(OSError, match="disk full"):
        other.save(path)
    assert path.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["model.json"]  # no temp file left


def test_load_state_dict_checks_every_name_before_changing_any(model):
    before = model.state_dict()
    state = {name: 0.0 for name in before}
    state["layers.2.neurons.0.b"] = float("inf")
    with pytest.raises(ValueError, match="finite"):
        model.load_state_dict(state)
    assert model.state_dict() == before


@pytest.mark.parametrize("bad", [float("nan"), float("inf"), -float("inf")])
def test_saving_a_non_finite_parameter_is_refused_before_anything_is_written(model, tmp_path,
                                                                             bad):
    path = model.save(tmp_path / "model.json")
    before = path.read_bytes()
    model.layers[1].neurons[2].b.data = bad  # the first bad one is named in the message
    model.layers[2].neurons[0].w[0].data = bad
    with pytest.raises(ValueError, match=r"parameter 'layers\.1\.neurons\.2\.b' is .*finite"):
        model.save(path)
    assert path.read_bytes() == before  # load() still reads the previous, finite file
    assert [p.name for p in tmp_path.iterdir()] == ["model.json"]
    with pytest.raises(ValueError, match="finite"):
        model.save(tmp_path / "new.json")
    assert not (tmp_path / "new.json").exists()


def test_a_saved_file_gets_the_usual_permissions_not_owner_only(model, tmp_path):
    previous = os.umask(0o022)
    try:
        path = model.save(tmp_path / "model.json")
    finally:
        os.umask(previous)
    assert path.stat().st_mode & 0o777 == 0o644  # 0o666 less the umask 0o022


def test_save_makes_missing_folders(model, tmp_path):
    path = model.save(tmp_path / "runs" / "moons" / "model.json")
    assert Module.load(path).state_dict() == model.state_dict()
