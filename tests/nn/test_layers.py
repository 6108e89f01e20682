"""Neuron, Layer, MLP: shapes, parameter order, labels, scopes, seeds and input errors."""

from contextlib import nullcontext

import numpy as np
import pytest
from chainrule.autograd import Value, scope, topological_order
from chainrule.autograd.state import current_scope
from chainrule.nn import ACTIVATIONS, INITS, MLP, Layer, Neuron


def test_mlp_2_16_16_1_has_micrograds_337_parameters_and_returns_one_value():
    model = MLP(2, [16, 16, 1], seed=0)
    assert len(model.parameters()) == 16 * 3 + 16 * 17 + 17
    assert isinstance(model([0.1, 0.2]), Value)


def test_a_multi_unit_output_returns_a_list_of_values():
    out = MLP(2, [4, 3], seed=0)([0.1, 0.2])
    assert isinstance(out, list) and len(out) == 3


def test_parameters_go_per_layer_per_neuron_weights_then_bias():
    model = MLP(2, [2, 1], seed=0)
    labels = [p.label for p in model.parameters()]
    assert labels == ["L0.N0.w0", "L0.N0.w1", "L0.N0.b", "L0.N1.w0", "L0.N1.w1", "L0.N1.b",
                      "L1.N0.w0", "L1.N0.w1", "L1.N0.b"]


def test_named_parameters_have_stable_dotted_names():
    names = [name for name, _ in MLP(2, [2, 1], seed=0).named_parameters()]
    assert names[:3] == ["layers.0.neurons.0.w.0", "layers.0.neurons.0.w.1",
                         "layers.0.neurons.0.b"]
    assert names[-1] == "layers.1.neurons.0.b"


def test_a_standalone_neuron_labels_its_parameters_w0_and_b_without_scope():
    neuron = Neuron(2, rng=np.random.default_rng(0))
    assert [p.label for p in neuron.parameters()] == ["w0", "w1", "b"]
    assert neuron([1.0, 2.0]).scope is None


def test_every_node_a_neuron_creates_in_an_mlp_carries_its_scope():
    model = MLP(2, [4, 1], seed=0)
    root = model([0.5, -1.0])
    neuron = model.layers[0].neurons[3]
    made = [n for n in topological_order(root) if n.op is not None and n.scope == "L0.N3"]
    assert len(made) == 2 * 2 + 1  # two products, two sums, one relu
    assert {p.scope for p in neuron.parameters()} == {"L0.N3"}
    assert root.scope == "L1.N0"


def test_a_standalone_layer_scopes_its_neurons_by_index():
    layer = Layer(2, 2, rng=np.random.default_rng(0))
    outs = layer([1.0, 1.0])
    assert [o.scope for o in outs] == ["N0", "N1"]


def test_the_same_seed_gives_the_same_network_and_output():
    a, b = MLP(2, [8, 1], seed=7), MLP(2, [8, 1], seed=7)
    assert a.state_dict() == b.state_dict()
    assert a([0.3, 0.4]).data == b([0.3, 0.4]).data
    assert MLP(2, [8, 1], seed=8).state_dict() != a.state_dict()


def test_the_forward_pass_is_micrograds_b_plus_sum_of_w_times_x():
    neuron = Neuron(3, "linear")
    neuron.load_state_dict({"w.0": 1.0, "w.1": -2.0, "w.2": 0.5, "b": 0.25})
    assert neuron([2.0, 1.0, 4.0]).data == 0.25 + 2.0 - 2.0 + 2.0


@pytest.mark.parametrize("activation", list(ACTIVATIONS))
def test_each_activation_is_applied_to_the_sum(activation):
    neuron = Neuron(1, activation)
    neuron.load_state_dict({"w.0": 1.0, "b": 0.0})
    expected = {"relu": 0.0, "tanh": np.tanh(-2.0), "sigmoid": 1 / (1 + np.exp(2.0)),
                "leaky_relu": -0.02, "linear": -2.0}[activation]
    assert neuron([-2.0]).data == pytest.approx(expected, abs=1e-15)


@pytest.mark.parametrize("init", INITS)
def test_each_init_draws_weights_of_the_documented_size(init):
    weights = [p.data for p in Layer(100, 50, init=init, rng=np.random.default_rng(0))
               .parameters() if p.label.split(".")[-1].startswith("w")]
    bound = {"uniform": 1.0, "xavier": np.sqrt(6 / 150), "he": np.inf}[init]
    assert max(abs(w) for w in weights) <= bound
    if init == "he":
        assert np.std(weights) == pytest.approx(np.sqrt(2 / 100), rel=0.05)


def test_a_numpy_row_works_like_a_list():
    model = MLP(2, [3, 1], seed=0)
    assert model(np.array([0.5, 0.25])).data == model([0.5, 0.25]).data


@pytest.mark.parametrize("row", [[1.0], [1.0, 2.0, 3.0], np.zeros(3)])
def test_a_row_of_the_wrong_length_is_refused_with_expected_and_got(row):
    with pytest.raises(ValueError, match="expects 2 inputs, got"):
        MLP(2, [3, 1], seed=0)(row)


def test_a_2d_array_is_refused_with_a_hint_to_call_per_row():
    with pytest.raises(ValueError, match="one row"):
        MLP(2, [1], seed=0)(np.zeros((4, 2)))


@pytest.mark.parametrize("make, match", [
    (lambda: Neuron(2, "swish"), "relu, tanh, sigmoid, leaky_relu, linear"),
    (lambda: Neuron(0), "whole number >= 1"),
    (lambda: MLP(2, [], seed=0), "non-empty list"),
    (lambda: MLP(2, [3, 0]), "whole number >= 1"),
    (lambda: MLP(2, [3], init="lecun"), "uniform, xavier, he"),
])
def test_bad_constructor_arguments_name_the_valid_choices(make, match):
    with pytest.raises(ValueError, match=match):
        make()


def test_a_non_generator_rng_is_a_type_error():
    with pytest.raises(TypeError, match="numpy.random.Generator"):
        Neuron(2, rng=42)


def test_parameters_are_leaves_and_zero_grad_clears_them():
    model = MLP(2, [3, 1], seed=0)
    model([1.0, 2.0]).backward()
    assert all(p.op is None for p in model.parameters())
    assert any(p.grad != 0.0 for p in model.parameters())
    model.zero_grad()
    assert all(p.grad == 0.0 for p in model.parameters())


def test_a_callers_scope_prefixes_the_networks_own_and_leaves_no_scope_behind():
    model = MLP(2, [3, 1], seed=0)
    with scope("encoder"):
        root = model([0.5, -1.0])
    assert root.scope == "encoder.L1.N0"
    assert {n.scope for n in topological_order(root) if n.op is not None} == {
        "encoder.L0.N0", "encoder.L0.N1", "encoder.L0.N2", "encoder.L1.N0"}
    assert current_scope() is None and model([0.5, -1.0]).scope == "L1.N0"


@pytest.mark.parametrize("outer", [None, "encoder"])
def test_a_leaky_relu_neurons_slope_is_a_constant_not_one_of_its_parameters(outer):
    model = MLP(1, [1, 1], activation="leaky_relu", output_activation="leaky_relu", seed=0)
    with scope(outer) if outer else nullcontext():
        root = model([1.0])
    activations = [n for n in topological_order(root) if n.op and n.op.name == "leaky_relu"]
    assert [n.scope for n in activations] == [f"{outer}.{name}" if outer else name
                                              for name in ("L0.N0", "L1.N0")]
    for node in activations:
        slope = node.parents[1]
        # a constant (no scope, no label) as in `x.leaky_relu(0.01)`, under any caller scope
        assert slope.op is None and slope.scope is None and slope.label == ""
        assert slope not in model.parameters()


@pytest.mark.parametrize("model", [Neuron(3, rng=np.random.default_rng(0)),
                                   Layer(2, 3, rng=np.random.default_rng(0)),
                                   MLP(2, [3, 2, 1], seed=0)])
def test_parameters_are_the_named_parameters_in_their_order(model):
    # parameters() skips the names for speed; it must list the very same Values
    assert len(model.parameters()) == len(model.named_parameters())
    assert all(a is b for a, b in zip(model.parameters(),
                                      [p for _, p in model.named_parameters()], strict=True))
