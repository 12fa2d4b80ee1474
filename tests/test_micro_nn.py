"""The teaching engine as learners know it: accumulating gradients, Value ** Value, and the
tiny MLP of rosenblatt.micro.nn, checked against Tensor and trained on two moons."""

import doctest
import math

import numpy as np
import pytest
from rosenblatt.micro import Value, zero_grad
from rosenblatt.micro.nn import MLP, Layer, Neuron

import rosenblatt.teaching.micro.engine
import rosenblatt.teaching.micro.nn
from rosenblatt import Tensor
from rosenblatt.datasets import moons


def test_a_times_a_differentiated_twice_gives_twelve():
    a = Value(3.0)
    b = a * a
    b.backward()
    b.backward()
    assert a.grad == 12.0 and b.grad == 2.0
    b.zero_grad()
    assert (a.grad, b.grad) == (0.0, 0.0)


def test_intermediate_nodes_are_not_counted_twice():
    a = Value(2.0)
    c = (a * a) * 3.0  # 3 a^2, dc/da = 6 a
    for calls in (1, 2, 3):
        c.backward()
        assert a.grad == calls * 12.0


@pytest.mark.parametrize(("a", "p"), [(1.7, 0.3), (0.4, -1.2), (2.5, 2.0)])
def test_value_to_a_value_power_matches_central_differences(a, p):
    base, exponent = Value(a), Value(p)
    out = base**exponent
    out.backward()
    h = 1e-6
    assert out.data == pytest.approx(a**p, rel=1e-15)
    assert base.grad == pytest.approx(((a + h) ** p - (a - h) ** p) / (2 * h), rel=1e-7)
    assert exponent.grad == pytest.approx((a ** (p + h) - a ** (p - h)) / (2 * h), rel=1e-7)
    v = Value(p)
    two = 2**v
    two.backward()
    assert two.data == pytest.approx(2**p) and v.grad == pytest.approx(2**p * math.log(2))


def test_power_errors_name_the_operation():
    with pytest.raises(ValueError, match=r"\*\*\(-2, 2\): a Value exponent needs a positive"):
        Value(-2.0) ** Value(2.0)
    with pytest.raises(ValueError, match=r"\*\*\(0, 2\): a Value exponent needs a positive"):
        0 ** Value(2.0)
    with pytest.raises(ValueError, match=r"\*\*\(10, 400\): the result is not a finite"):
        10 ** Value(400.0)
    with pytest.raises(TypeError):
        "2" ** Value(2.0)
    with pytest.raises(TypeError, match="values: expected Values, got float"):
        zero_grad([Value(1.0), 1.0])


def test_zero_grad_refused_changes_nothing():
    w = Value(1.0)
    (w * 3.0).backward()
    with pytest.raises(TypeError):
        zero_grad([w, "w"])
    assert w.grad == 3.0


def test_parameters_and_zero_grad():
    net = MLP(3, [4, 2], seed=0)
    assert len(net.parameters()) == (3 + 1) * 4 + (4 + 1) * 2
    assert [n.activation for n in net.layers[0].neurons] == ["relu"] * 4
    assert [n.activation for n in net.layers[1].neurons] == ["linear"] * 2
    out = net([1.0, 2.0, 3.0])
    assert isinstance(out, list) and len(out) == 2
    (out[0] + out[1]).backward()
    assert any(p.grad != 0 for p in net.parameters())
    net.zero_grad()
    assert all(p.grad == 0 for p in net.parameters())
    layer = Layer(2, 1, seed=1)
    assert isinstance(layer([1.0, 1.0]), Value)


def _tensor_mlp(net, x, activation):
    """The same network on Tensor (float64), its weights copied from ``net``."""
    params, h = [], Tensor(np.asarray(x, dtype=np.float64))
    for k, layer in enumerate(net.layers):
        w = Tensor(np.array([[w.data for w in n.w] for n in layer.neurons]).T,
                   dtype="float64", requires_grad=True)
        b = Tensor(np.array([n.b.data for n in layer.neurons]), dtype="float64",
                   requires_grad=True)
        params += [w, b]
        h = h @ w + b
        if k < len(net.layers) - 1:
            h = getattr(h, activation)()
    return h, params


@pytest.mark.parametrize("activation", ["tanh", "sigmoid", "relu"])
def test_mlp_gradients_agree_with_tensor(activation):
    rng = np.random.default_rng(5)
    net = MLP(3, [5, 4, 2], activation=activation, seed=3)
    for p in net.parameters():
        p.data = float(rng.normal())  # biases away from 0 too
    x = rng.normal(size=(6, 3))
    loss = sum((o * o for row in x for o in net(row.tolist())), Value(0.0))
    loss.backward()
    out, params = _tensor_mlp(net, x, activation)
    t_loss = (out * out).sum()
    t_loss.backward()
    assert loss.data == pytest.approx(float(t_loss.data), rel=1e-12)
    for k, layer in enumerate(net.layers):
        w, b = params[2 * k], params[2 * k + 1]
        for j, n in enumerate(layer.neurons):
            np.testing.assert_allclose([v.grad for v in n.w], w.grad[:, j], rtol=1e-10)
            assert n.b.grad == pytest.approx(b.grad[j], rel=1e-10)


def _train_on_moons(seed, steps=150):
    """micrograd's classroom recipe: 2-16-16-1 ReLU, max-margin loss + 1e-4 L2, SGD with a
    learning rate falling from 1.0 to 0.1; returns the training accuracy reached."""
    x, y = moons(40, noise=0.1, seed=seed, labels="bipolar")
    rows, targets = x.astype(float).tolist(), y.tolist()
    net = MLP(2, [16, 16, 1], seed=seed)
    accuracy = 0.0
    for k in range(steps):
        scores = [net(row) for row in rows]
        accuracy = np.mean([(s.data > 0) == (t > 0) for s, t in zip(scores, targets,
                                                                     strict=True)])
        if accuracy == 1.0:
            break
        margins = [(1 + -t * s).relu() for s, t in zip(scores, targets, strict=True)]
        loss = sum(margins) * (1.0 / len(margins)) + 1e-4 * sum(p * p for p in net.parameters())
        net.zero_grad()
        loss.backward()
        for p in net.parameters():
            p.data -= (1.0 - 0.9 * k / steps) * p.grad
    return accuracy


def test_mlp_learns_two_moons_to_full_training_accuracy():
    """Checked over seeds 0-4 (data and weights), all reach 100% within 65 steps; the test
    runs seeds 0-2."""
    assert [_train_on_moons(seed) for seed in range(3)] == [1.0, 1.0, 1.0]


def test_nn_errors():
    with pytest.raises(ValueError, match="activation: expected one of 'relu'"):
        Neuron(2, activation="softmax")
    with pytest.raises(ValueError, match="nin"):
        Neuron(0)
    with pytest.raises(ValueError, match="nout"):
        Layer(2, 0)
    with pytest.raises(TypeError, match="nouts: expected a non-empty list"):
        MLP(2, 3)
    with pytest.raises(ValueError, match="x: expected 2 inputs"):
        Neuron(2, seed=0)([1.0])


@pytest.mark.parametrize("module", [rosenblatt.teaching.micro.engine,
                                    rosenblatt.teaching.micro.nn])
def test_docstring_examples(module):
    result = doctest.testmod(module, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.attempted > 0 and result.failed == 0
