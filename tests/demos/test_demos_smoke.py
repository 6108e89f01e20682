"""Every demo's main(quick=True) runs in seconds, and the demos that promise a result keep it.

To add a demo: put its module name in DEMOS; if it promises something, add a check to
TARGETS that takes what its main() returns.
"""

import importlib
import inspect

import pytest

DEMOS = ["neuron", "xor", "moons", "spiral", "newton", "curvature", "draw_neuron",
         "step_through", "tour", "numpy_forward", "numpy_xor", "numpy_partials"]


def neuron_target(result):
    # the tutorials' neuron: sigmoid(0*2 + 1*3 + 4) and its gradients s(1 - s) * x
    assert result["out"] == 0.9990889488055994
    slope = result["out"] * (1 - result["out"])
    assert result["grad_w0"] == pytest.approx(2 * slope)
    assert result["grad_w1"] == pytest.approx(3 * slope)
    assert result["grad_b"] == pytest.approx(slope)


def xor_target(result):
    # both networks put all four XOR points on the right side of 0.5
    for predictions in result.values():
        assert [p > 0.5 for p in predictions] == [False, True, True, False]


def moons_target(result):
    assert result["train_accuracy"] >= 0.97
    assert result["test_accuracy"] >= 0.9


def spiral_target(result):
    assert result["train_accuracy"] >= 0.9
    assert result["validation_accuracy"] >= 0.75


def numpy_forward_target(result):
    # the tutorial's forward pass gives the same number on Values as on floats
    assert result["output"] == pytest.approx(result["expected"], rel=1e-12)
    assert result["grad_W1"].shape == (2, 3) and result["picture"].stat().st_size > 0


def numpy_xor_target(result):
    # the tutorial's arrays are -(N/2) x dL/dW with N = 4, and both trainings agree
    assert result["factor"] == pytest.approx(-2.0)
    assert result["difference"] < 1e-9
    by_hand, on_values = result["losses"]
    assert by_hand == pytest.approx(on_values, rel=1e-9) and by_hand[-1] < by_hand[0]


def numpy_partials_target(result):
    # the right partials agree on every example; the planted slip is caught and named
    assert result["all_agree"]
    assert result["slip_rows"] == ["w2"] and result["slip_verdicts"] == ["equals dh1/dw1"]


TARGETS = {"neuron": neuron_target, "xor": xor_target, "moons": moons_target,
           "spiral": spiral_target, "numpy_forward": numpy_forward_target,
           "numpy_xor": numpy_xor_target, "numpy_partials": numpy_partials_target}


PICTURES = {"moons": ["moons_boundary.png", "moons_history.png"],
            "spiral": ["spiral_boundary.png", "spiral_history.png"]}


@pytest.mark.parametrize("name", DEMOS)
def test_demo_runs_quickly_and_meets_its_target(name, capsys, tmp_path):
    demo = importlib.import_module(f"demos.{name}")
    writes = "out" in inspect.signature(demo.main).parameters
    result = demo.main(quick=True, out=tmp_path) if writes else demo.main(quick=True)
    assert capsys.readouterr().out.strip(), f"demos/{name}.py printed nothing"
    if name in TARGETS:
        TARGETS[name](result)
    for picture in PICTURES.get(name, []):
        assert (tmp_path / picture).read_bytes().startswith(b"\x89PNG"), picture


@pytest.mark.parametrize("name", ["moons", "spiral"])
def test_full_size_demo_meets_its_target(name, capsys, tmp_path):
    # the full recipe: micrograd's MLP(2, [16, 16, 1]) on 100 moons points, 100 steps
    # (about 10 s for both demos)
    TARGETS[name](importlib.import_module(f"demos.{name}").main(quick=False, out=tmp_path))
