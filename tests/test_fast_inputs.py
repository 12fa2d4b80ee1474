"""A functional model whose inputs are concatenated and then run through a chain of layers
(W5's shape: two halves of an image joined, then an MLP) trains on the graph-free step, and
that step equals the general autodiff path: same loss, gradient and outputs, and the same
weights after fit. Graphs of any other shape keep the general path."""

import numpy as np
import pytest
from rosenblatt.layers import Concatenate, Dense, Dropout, Flatten, Input, concatenate
from rosenblatt.optimizers import SGD, Adam

import rosenblatt as rb
from rosenblatt._fast import step as _fast
from rosenblatt.training import loop as training


def _joined(widths, order=None, axis=-1, hidden="tanh", dropout=False, seed=0):
    """Inputs of ``widths`` concatenated in ``order`` (default: as listed), then a chain."""
    inputs = [Input(shape=(w,), name=f"in{i}") for i, w in enumerate(widths)]
    order = range(len(widths)) if order is None else order
    h = Concatenate(axis=axis, dtype="float64")([inputs[i] for i in order])
    h = Dense(6, activation=hidden, dtype="float64")(h)
    if dropout:
        h = Dropout(0.3, dtype="float64")(h)
    out = Dense(3, activation="softmax", dtype="float64")(h)
    return rb.Model(inputs, out, seed=seed)


def _data(widths, rows=11, seed=0):
    rng = np.random.default_rng(seed)
    return [rng.normal(size=(rows, w)) for w in widths], rng.integers(0, 3, rows)


@pytest.mark.parametrize("widths, order", [
    ((3, 4), None), ((3, 4), (1, 0)), ((2, 5, 1), (2, 0, 1)),
])
@pytest.mark.parametrize("dropout", [False, True])
def test_the_fast_step_equals_autodiff_after_concatenated_inputs(widths, order, dropout):
    model = _joined(widths, order, dropout=dropout)
    model.compile(SGD(), "sparse_categorical_crossentropy")
    xs, y = _data(widths)
    x = training.prepare_x(model, xs)
    y = training.prepare_y(model, y, len(y))
    head = model.fused_output()
    state = model._rng.bit_generator.state
    loss_a, out_a = training.loss_and_gradient(model, x, y, head)
    _, grad = model.flat_parameters()
    grad_a, out_a = grad.copy(), np.array(out_a)
    grad.fill(np.nan)
    model._rng.bit_generator.state = state  # the same dropout masks
    step = _fast.compile_step(model, head)
    assert isinstance(step, _fast.FastStep)
    loss_b, out_b = step(x, y)
    assert loss_b == pytest.approx(loss_a, rel=1e-12)
    np.testing.assert_allclose(grad, grad_a, rtol=1e-10, atol=1e-13)
    np.testing.assert_allclose(out_b, out_a, rtol=1e-10, atol=1e-13)


def test_the_gradient_is_central_differences_of_the_joined_inputs_network():
    """Against the network written out by hand: softmax(tanh([a, b] W1 + b1) W2 + b2)."""
    model = _joined((3, 2), order=(1, 0))
    model.compile(SGD(), "sparse_categorical_crossentropy")
    (a, b), y = _data((3, 2), rows=5, seed=3)
    theta, grad = model.flat_parameters()
    step = _fast.compile_step(model, model.fused_output())
    step(training.prepare_x(model, [a, b]), y)
    W1, b1, W2, b2 = (w.copy() for w in model.get_weights())

    def loss(params):
        W1, b1, W2, b2 = params
        z = np.tanh(np.concatenate([b, a], axis=1) @ W1 + b1) @ W2 + b2
        z = z - z.max(axis=1, keepdims=True)
        return np.mean(np.log(np.exp(z).sum(axis=1)) - z[np.arange(len(y)), y])

    params = [W1, b1, W2, b2]
    numeric = []
    for p in params:
        g = np.zeros_like(p)
        for idx in np.ndindex(p.shape):
            old = p[idx]
            p[idx] = old + 1e-6
            up = loss(params)
            p[idx] = old - 1e-6
            down = loss(params)
            p[idx] = old
            g[idx] = (up - down) / 2e-6
        numeric.append(g.ravel())
    np.testing.assert_allclose(grad, np.concatenate(numeric), rtol=1e-6, atol=1e-9)


@pytest.mark.parametrize("seed", range(3))
def test_fit_gives_the_weights_of_the_general_path(seed, monkeypatch):
    histories, weights = [], []
    xs, y = _data((3, 4), rows=40, seed=seed)
    for fast in (True, False):
        monkeypatch.setattr(_fast, "ENABLED", fast)
        model = _joined((3, 4), order=(1, 0), seed=seed)
        model.compile(Adam(learning_rate=0.01), "sparse_categorical_crossentropy",
                      metrics=["accuracy"])
        histories.append(model.fit({"in0": xs[0], "in1": xs[1]}, y, batch_size=8, epochs=3,
                                   verbose=0, validation_split=0.25).history)
        weights.append(model.get_weights())
    for a, b in zip(*weights, strict=True):
        np.testing.assert_allclose(a, b, rtol=1e-10, atol=1e-13)
    for key in histories[0]:
        np.testing.assert_allclose(histories[0][key], histories[1][key], rtol=1e-10)


def test_other_graphs_keep_the_general_path():
    a, b = Input(shape=(3,)), Input(shape=(2,))
    model = rb.Model([a, b], Dense(1)(concatenate([Dense(2)(a), b])), seed=0)
    model.compile(SGD(), "mse")
    assert _fast.compile_step(model, None) is None  # a layer before the join

    model = rb.Model([a, b], Dense(1)(concatenate([a, b, a])), seed=0)
    model.compile(SGD(), "mse")
    assert _fast.compile_step(model, None) is None  # an input joined twice

    c, d = Input(shape=(2, 3)), Input(shape=(2, 3))
    model = rb.Model([c, d], Dense(1)(Flatten()(Concatenate(axis=1)([c, d]))), seed=0)
    model.compile(SGD(), "mse")
    assert _fast.compile_step(model, None) is None  # not the feature axis of 2-D inputs

    model = rb.Model([a, b], Dense(1, dtype="float64")(concatenate([a, b])), seed=0)
    model.compile(SGD(), "mse")
    assert _fast.compile_step(model, None) is None  # joined in float32, then float64

    h = Dense(2)(a)
    model = rb.Model([a, b], [Dense(1)(h), Dense(1)(b)], seed=0)
    model.compile(SGD(), "mse")
    assert _fast.compile_step(model, None) is None  # two outputs


def test_a_layered_neuron_graph_keeps_the_graph_free_step():
    """Models that define their own chain (a layered neuron graph's levels as Dense layers)
    take the graph-free step through it."""
    from rosenblatt.graph import Graph

    graph = Graph.from_model(rb.Sequential([Input(shape=(3,)), Dense(4, activation="tanh"),
                                            Dense(1, activation="sigmoid")], seed=0))
    graph.compile(SGD(), "binary_crossentropy")
    assert isinstance(_fast.compile_step(graph, graph.fused_output()), _fast.FastStep)
