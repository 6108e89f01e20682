"""micrograd's client code on chainrule.nn: signatures, random.seed weights, the demo's losses.

The reference runs need micrograd 0.1.0 (in the dev extra, so `make test` installs it); without
it they skip and say so.
"""

import random

import numpy as np
import pytest
from chainrule.autograd import Value
from chainrule.nn import MLP, Layer, Module, Neuron

# micrograd's demo.ipynb prints this loss before training (its moons setup, seed 1337).
DEMO_INITIAL_LOSS = 0.8958441028683222


@pytest.fixture
def micrograd():
    nn = pytest.importorskip("micrograd.nn", reason="micrograd 0.1.0 is not installed: "
                             "pip install -e '.[dev]' to compare against it")
    return nn


@pytest.fixture(autouse=True)
def python_random_restored():
    state = random.getstate()  # these tests seed Python's random, as micrograd's demo does
    yield
    random.setstate(state)


def demo_moons() -> tuple[np.ndarray, np.ndarray]:
    """The demo's data: sklearn's make_moons(n_samples=100, noise=0.1) after
    np.random.seed(1337), written out with numpy so the tests need no sklearn."""
    rng = np.random.RandomState(1337)
    angles = np.linspace(0, np.pi, 50)
    x = np.append(np.cos(angles), 1 - np.cos(angles))
    y = np.append(np.sin(angles), 1 - np.sin(angles) - 0.5)
    points, labels = np.vstack([x, y]).T, np.repeat([0, 1], 50)
    order = np.arange(100)
    rng.shuffle(order)
    points, labels = points[order], labels[order]
    return points + rng.normal(scale=0.1, size=points.shape), labels * 2 - 1


def demo_loss(model, value_class, points, labels):
    """micrograd's demo loss, as written in its notebook: SVM max-margin + L2."""
    inputs = [list(map(value_class, row)) for row in points]
    scores = list(map(model, inputs))
    losses = [(1 + -yi * score).relu() for yi, score in zip(labels, scores, strict=True)]
    data_loss = sum(losses) * (1.0 / len(losses))
    reg_loss = 1e-4 * sum(p * p for p in model.parameters())
    accuracy = [(yi > 0) == (score.data > 0) for yi, score in zip(labels, scores, strict=True)]
    return data_loss + reg_loss, sum(accuracy) / len(accuracy)


def demo_training(model, value_class, n_steps):
    """The demo's SGD loop; returns (loss, accuracy) at each step."""
    points, labels = demo_moons()
    history = []
    for k in range(n_steps):
        total_loss, accuracy = demo_loss(model, value_class, points, labels)
        model.zero_grad()
        total_loss.backward()
        for p in model.parameters():
            p.data -= (1.0 - 0.9 * k / 100) * p.grad
        history.append((float(total_loss.data), accuracy))
    return history


def test_random_seed_gives_micrograds_initial_weights(micrograd):
    random.seed(1337)
    theirs = [p.data for p in micrograd.MLP(2, [16, 16, 1]).parameters()]
    random.seed(1337)
    ours = [p.data for p in MLP(2, [16, 16, 1]).parameters()]
    assert ours == theirs


def test_micrograds_demo_prints_the_same_losses_on_chainrule(micrograd):
    from micrograd.engine import Value as MicrogradValue

    random.seed(1337)
    theirs = demo_training(micrograd.MLP(2, [16, 16, 1]), MicrogradValue, n_steps=2)
    random.seed(1337)
    ours = demo_training(MLP(2, [16, 16, 1]), Value, n_steps=2)
    assert theirs[0][0] == DEMO_INITIAL_LOSS  # the data is the demo's data
    assert ours[0][0] == DEMO_INITIAL_LOSS
    for (our_loss, our_accuracy), (their_loss, their_accuracy) in zip(ours, theirs, strict=True):
        assert abs(our_loss - their_loss) <= 1e-12
        assert our_accuracy == their_accuracy


def test_without_a_seed_weights_follow_pythons_random_state():
    random.seed(7)
    first = [p.data for p in Layer(3, 2).parameters()]
    random.seed(7)
    assert [p.data for p in Layer(3, 2).parameters()] == first


def test_an_explicit_seed_ignores_and_leaves_pythons_random_alone():
    random.seed(1)
    before = random.getstate()
    a = MLP(2, [3, 1], seed=5)
    assert random.getstate() == before
    random.seed(2)
    b = MLP(2, [3, 1], seed=5)
    assert [p.data for p in a.parameters()] == [p.data for p in b.parameters()]


def test_micrograds_nonlin_flag_picks_relu_or_linear():
    assert Neuron(2).activation == Neuron(2, nonlin=True).activation == "relu"
    assert Neuron(2, False).activation == Neuron(2, nonlin=False).activation == "linear"
    assert Layer(2, 3, nonlin=False).activation == "linear"
    linear = Neuron(1, nonlin=False)
    linear.load_state_dict({"w.0": -1.0, "b": 0.0})
    assert linear([2.0]).data == -2.0  # no relu: a negative output stays negative


@pytest.mark.parametrize("make, message", [
    (lambda: Neuron(2, "tanh", nonlin=True), "not both"),
    (lambda: Neuron(2, True, nonlin=True), "give nonlin once"),
    (lambda: Layer(2, 2, nonlin="yes"), "nonlin must be True"),
])
def test_conflicting_or_non_bool_nonlin_is_a_type_error(make, message):
    with pytest.raises(TypeError, match=message):
        make()


def test_the_base_module_has_no_parameters_as_in_micrograd():
    assert Module().parameters() == []


def test_a_micrograd_style_module_defining_only_parameters_zeroes_and_names_them():
    class Scale(Module):
        def __init__(self):
            self.k = Value(2.0)

        def parameters(self):
            return [self.k]

    model = Scale()
    model.k.grad = 5.0
    model.zero_grad()
    assert (model.k.grad, model.named_parameters()) == (0.0, [("0", model.k)])


def test_micrograds_int_zero_grad_leaves_a_network_trainable(micrograd):
    from chainrule.nn import SGD

    ints, floats = MLP(2, [3, 1], seed=0), MLP(2, [3, 1], seed=0)
    micrograd.Module.zero_grad(ints)  # micrograd's own zero_grad: p.grad = 0, an int
    floats.zero_grad()
    assert "grad=0," in repr(ints.parameters()[0])
    for model in (ints, floats):
        model([1.0, -1.0]).backward()
        SGD(model.parameters(), lr=0.1).step()
    assert [p.data for p in ints.parameters()] == [p.data for p in floats.parameters()]
