"""The logits form (a linear output and a cross-entropy ``from_logits=True``, as PyTorch users
write a network) takes the same fused head as the activation form (a sigmoid or softmax output
and the plain cross-entropy), on both training steps.

The two forms are one function of the weights: sigmoid / softmax followed by the cross-entropy.
So from the same weights and data they must train to the same weights and report the same
losses, and the logits form's outputs are the activation form's logits. The references are the
closed forms of the cross-entropies and the general autodiff step.
"""

import numpy as np
import pytest
from rosenblatt.layers import Dense, Input
from rosenblatt.losses import (
    BinaryCrossentropy,
    CategoricalCrossentropy,
    SparseCategoricalCrossentropy,
)
from rosenblatt.metrics import BinaryAccuracy

import rosenblatt as rb
from rosenblatt._fast import step as _fast
from rosenblatt.nn.fused import Head
from rosenblatt.training import loop as training

FORMS = {  # name: (units, activation-form output and loss, logits-form loss, targets)
    "binary": (1, "sigmoid", "binary_crossentropy", BinaryCrossentropy, "binary"),
    "binary 3 columns": (3, "sigmoid", "binary_crossentropy", BinaryCrossentropy, "binary"),
    "sparse": (4, "softmax", "sparse_categorical_crossentropy",
               SparseCategoricalCrossentropy, "sparse"),
    "one-hot": (4, "softmax", "categorical_crossentropy", CategoricalCrossentropy, "onehot"),
}


def _targets(kind, rows, units, rng):
    if kind == "sparse":
        return rng.integers(0, units, rows)
    if kind == "onehot":
        return np.eye(units)[rng.integers(0, units, rows)]
    return rng.integers(0, 2, (rows, units)).astype(float)


def _pair(form, seed):
    """The activation form and the logits form of one network, with equal weights."""
    units, activation, loss, logits_loss, kind = FORMS[form]
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(60, 5))
    y = _targets(kind, 60, units, rng)
    models = []
    for output, compiled in ((activation, loss), ("linear", logits_loss(from_logits=True))):
        model = rb.Sequential([Input(shape=(5,)), Dense(7, activation="tanh", dtype="float64"),
                               Dense(units, activation=output, dtype="float64")], seed=seed)
        model.compile(rb.optimizers.Adam(learning_rate=0.02), compiled)
        models.append(model)
    models[1].set_weights(models[0].get_weights())
    return models, x, y


@pytest.mark.parametrize("form", FORMS)
def test_both_forms_take_the_same_fused_head(form):
    (plain, logits), _, _ = _pair(form, 0)
    head = Head.SIGMOID if FORMS[form][1] == "sigmoid" else Head.SOFTMAX
    assert plain.fused_output() is head and logits.fused_output() is head
    assert isinstance(_fast.compile_step(logits, head), _fast.FastStep)


@pytest.mark.parametrize("output, loss", [
    ("sigmoid", BinaryCrossentropy(from_logits=True)),  # a sigmoid read as logits: no head
    ("relu", BinaryCrossentropy(from_logits=True)),
    ("softmax", SparseCategoricalCrossentropy(from_logits=True)),
    ("linear", "binary_crossentropy"),  # probabilities expected from a linear output
    ("linear", "mse"),
])
def test_no_head_where_the_output_is_not_the_losss_logits(output, loss):
    model = rb.Sequential([Input(shape=(3,)), Dense(2, activation=output)], seed=0)
    model.compile("sgd", loss)
    assert model.fused_output() is None


@pytest.mark.parametrize("fast", [True, False])
@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize("seed", range(3))
def test_both_forms_train_to_the_same_weights(form, seed, fast, monkeypatch):
    monkeypatch.setattr(_fast, "ENABLED", fast)
    (plain, logits), x, y = _pair(form, seed)
    histories = [m.fit(x, y, batch_size=10, epochs=3, verbose=0).history["loss"]
                 for m in (plain, logits)]
    np.testing.assert_allclose(histories[1], histories[0], rtol=1e-12)
    for a, b in zip(plain.get_weights(), logits.get_weights(), strict=True):
        np.testing.assert_allclose(b, a, rtol=1e-10, atol=1e-13)
    z = logits.predict(x)  # the logits form predicts the logits
    p = plain.predict(x)
    if FORMS[form][1] == "sigmoid":
        np.testing.assert_allclose(1 / (1 + np.exp(-z)), p, rtol=1e-10)
    else:
        e = np.exp(z - z.max(axis=1, keepdims=True))
        np.testing.assert_allclose(e / e.sum(axis=1, keepdims=True), p, rtol=1e-10)


@pytest.mark.parametrize("form", FORMS)
def test_the_logits_forms_loss_is_the_closed_form(form):
    (_, logits), x, y = _pair(form, 4)
    z = logits.predict(x)
    if FORMS[form][1] == "sigmoid":
        y = y.reshape(z.shape)
        expected = np.mean(np.maximum(z, 0) - z * y + np.log1p(np.exp(-np.abs(z))))
    else:
        onehot = y if y.ndim == 2 else np.eye(z.shape[1])[y]
        m = z.max(axis=1, keepdims=True)
        lse = (m + np.log(np.exp(z - m).sum(axis=1, keepdims=True)))[:, 0]
        expected = np.mean(lse - (onehot * z).sum(axis=1))
    assert logits.evaluate(x, y, verbose=0) == pytest.approx(expected, rel=1e-12)
    step = _fast.compile_step(logits, logits.fused_output())
    loss, _ = step(training.prepare_x(logits, x), training.prepare_y(logits, y, len(x)))
    assert loss == pytest.approx(expected, rel=1e-12)


def test_metrics_see_the_logits_as_keras_gives_them():
    """Keras gives metrics the model's outputs: for the logits form, the logits (so a binary
    accuracy on logits thresholds them at 0). One whole-batch step: fit's metric is that of
    the outputs before the update."""
    (_, logits), x, y = _pair("binary", 1)
    logits.compile("sgd", BinaryCrossentropy(from_logits=True),
                   metrics=[BinaryAccuracy(threshold=0.0)])
    z = logits.predict(x)
    y = y.reshape(z.shape)
    on_logits = np.mean((z > 0) == (y == 1))
    assert on_logits != np.mean(y == 1)  # probabilities thresholded at 0 would give this
    history = logits.fit(x, y, batch_size=None, epochs=1, verbose=0, shuffle=False)
    assert history.history["binary_accuracy"][0] == pytest.approx(on_logits, abs=1e-12)
