"""Custom layers as Keras writes them: ``call(self, inputs)`` without ``training``, and
``self.add_loss(...)``, whose term fit minimizes with the compiled loss (its gradient checked
against float64 central differences of what evaluate reports)."""

import numpy as np
import pytest

import rosenblatt as keras
from rosenblatt import layers, ops

RNG = np.random.default_rng(3)
X = RNG.normal(size=(16, 2))
Y = RNG.normal(size=(16, 1))


class Doubling(layers.Layer):
    def call(self, inputs):
        return inputs * 2.0


class ActivityPenalty(layers.Layer):
    """A pass-through layer adding factor * sum of its inputs to the loss (Keras' guide)."""

    def __init__(self, factor=0.1, **kwargs):
        super().__init__(**kwargs)
        self.factor = factor

    def call(self, inputs):
        self.add_loss(self.factor * ops.sum(inputs))
        return inputs


def _penalized(factor=0.1, seed=0):
    inputs = keras.Input(shape=(2,))
    hidden = layers.Dense(3, activation="tanh", dtype="float64", name="hidden")(inputs)
    hidden = ActivityPenalty(factor, dtype="float64")(hidden)
    outputs = layers.Dense(1, dtype="float64")(hidden)
    model = keras.Model(inputs, outputs, seed=seed)
    model.compile(keras.optimizers.SGD(0.01), "mse")
    return model


def test_a_call_without_training_runs_in_every_api():
    sequential = keras.Sequential([layers.Dense(2, input_dim=2), Doubling()], seed=0)
    np.testing.assert_allclose(sequential.predict(X),
                               2 * sequential.layers[0](X).data, rtol=1e-6)
    inputs = keras.Input(shape=(2,))
    functional = keras.Model(inputs, Doubling()(layers.Dense(1)(inputs)))
    functional.compile("sgd", "mse")
    assert np.isfinite(functional.fit(X, Y, epochs=1, verbose=0).history["loss"][0])


def test_evaluate_reports_the_compiled_loss_plus_the_added_one():
    model = _penalized(0.1)
    kernel, bias = model.get_layer("hidden").get_weights()
    h = np.tanh(X @ kernel + bias)
    mse = float(np.mean((model.predict(X) - Y) ** 2))
    assert model.evaluate(X, Y) == pytest.approx(mse + 0.1 * h.sum(), rel=1e-12)
    assert len(model.losses) == 1  # the latest pass's, not every pass's
    assert float(model.losses[0].data) == pytest.approx(0.1 * h.sum(), rel=1e-12)


def test_the_added_loss_is_trained_on_its_gradient_by_central_differences():
    model = _penalized(0.5)
    before = model.get_weights()
    h = 1e-6
    numeric = []
    for k, w in enumerate(before):
        g = np.zeros_like(w)
        for i in np.ndindex(w.shape):
            for sign in (1, -1):
                shifted = [v.copy() for v in before]
                shifted[k][i] += sign * h
                model.set_weights(shifted)
                g[i] += sign * model.evaluate(X, Y) / (2 * h)
        numeric.append(g)
    model.set_weights(before)
    model.train_on_batch(X, Y)  # one SGD step on the whole set: w <- w - 0.01 grad
    for w0, w1, g in zip(before, model.get_weights(), numeric, strict=True):
        np.testing.assert_allclose((w0 - w1) / 0.01, g, rtol=1e-6, atol=1e-8)
    assert np.abs(numeric[0]).max() > 0.1


def test_fit_minimizes_the_sum_so_the_penalty_shrinks_the_activations():
    plain, penalized = _penalized(0.0, seed=4), _penalized(0.2, seed=4)
    for model in (plain, penalized):
        model.fit(X, Y, epochs=40, batch_size=8, verbose=0)
    hidden = [np.tanh(X @ m.get_layer("hidden").get_weights()[0]
                      + m.get_layer("hidden").get_weights()[1]).sum() for m in (plain, penalized)]
    assert hidden[1] < hidden[0]


def test_a_shared_layer_adds_once_per_use_and_a_nested_model_passes_its_losses_on():
    penalty = ActivityPenalty(1.0)
    a, b = keras.Input(shape=(2,)), keras.Input(shape=(2,))
    inner = keras.Model(a, penalty(a))
    outer = keras.Model([a, b], layers.add([inner(a), penalty(b)]))
    xa, xb = np.ones((1, 2)), np.full((1, 2), 3.0)
    outer.predict([xa, xb])
    assert sorted(float(loss.data) for loss in outer.losses) == [2.0, 6.0]
    outer.predict([xa, xb])
    assert len(outer.losses) == 2


def test_a_layer_called_on_its_own_keeps_the_losses_of_that_call():
    penalty = ActivityPenalty(1.0)
    penalty(np.ones((2, 2)))
    penalty(np.ones((1, 2)))
    assert [float(loss.data) for loss in penalty.losses] == [2.0]


@pytest.mark.parametrize("value, error, match", [
    ("large", TypeError, "add_loss: expected a Tensor or a number, got str"),
    (True, TypeError, "add_loss: expected a Tensor or a number, got bool"),
    (keras.Tensor([1.0, 2.0]), ValueError,
     r"add_loss: expected one number \(reduce it, e.g. with ops.sum\), got a tensor of shape "
     r"\(2,\)"),
])
def test_add_loss_refuses_what_is_not_one_number(value, error, match):
    layer = ActivityPenalty()
    with pytest.raises(error, match=match):
        layer.add_loss(value)
    assert layer.losses == []
    layer.add_loss(keras.Tensor([[0.5]]))
    assert layer.losses[0].shape == ()
