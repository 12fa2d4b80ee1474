"""compile / fit / evaluate / predict: batch, mini-batch and stochastic gradient descent
(lectures 000, 001, 002; L09, L21), input checks, reproducibility and progress output."""

import inspect
import io
import math
import re

import numpy as np
import pytest
from rosenblatt.callbacks import LambdaCallback
from rosenblatt.layers import Dense, Dropout, Input
from rosenblatt.optimizers import SGD, Adam

import rosenblatt as rb
from rosenblatt._fast import step as _fast
from rosenblatt.nn.fused import Head
from rosenblatt.training import loop as training


def _sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


def _linear_data(n=30, noise=0.05, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, 2))
    y = X @ np.array([1.5, -2.0]) + 0.7 + noise * rng.normal(size=n)
    return X, y


def _linear_model(lr=0.05, seed=0, dtype="float64", **dense):
    model = rb.Sequential([Dense(1, input_dim=2, dtype=dtype, **dense)], seed=seed)
    model.compile(SGD(learning_rate=lr), "mse")
    return model


# --------------------------------------------------------------------------- signatures
@pytest.mark.parametrize(
    "method, leading",
    [
        ("compile", ["optimizer", "loss", "metrics"]),
        (
            "fit",
            [
                "x",
                "y",
                "batch_size",
                "epochs",
                "verbose",
                "callbacks",
                "validation_split",
                "validation_data",
                "shuffle",
            ],
        ),
        ("evaluate", ["x", "y", "batch_size", "verbose"]),
        ("predict", ["x", "batch_size", "verbose"]),
    ],
)
def test_keras_signatures(method, leading):
    params = list(inspect.signature(getattr(rb.Model, method)).parameters)[1:]
    assert params[: len(leading)] == leading
    defaults = inspect.signature(rb.Model.fit).parameters
    assert defaults["epochs"].default == 1 and defaults["verbose"].default == "auto"
    assert defaults["shuffle"].default is True and defaults["initial_epoch"].default == 0


# --------------------------------------------------------------------------- steps per epoch
@pytest.mark.parametrize("batch_size, steps", [(None, 1), (1, 10), (4, 3), (5, 2), (32, 1)])
def test_batch_size_sets_the_number_of_steps(batch_size, steps):
    """None: batch GD (one step per epoch); 1: stochastic (n steps); b: ceil(n / b) steps."""
    X, y = _linear_data(n=10)
    model = _linear_model()
    history = model.fit(X, y, batch_size=batch_size, epochs=3, verbose=0)
    assert model.optimizer.iterations == 3 * steps
    assert history.history["loss"] and len(history.history["loss"]) == 3
    assert history.epoch == [0, 1, 2]


def _manual_sgd(X, y, W, b, lr, batches):
    """theta <- theta - eta * grad of the batch's mean squared error, in the given batches."""
    for idx in batches:
        xb, yb = X[idx], y[idx]
        e = xb @ W + b - yb
        W = W - lr * 2 * xb.T @ e / len(idx)
        b = b - lr * 2 * e.mean(axis=0)
    return W, b


@pytest.mark.parametrize("batch_size", [None, 1, 4])
def test_L09_unshuffled_epochs_equal_hand_written_gradient_descent(batch_size):
    X, y = _linear_data(n=10)
    model = _linear_model(lr=0.05)
    W0, b0 = model.get_weights()
    model.fit(X, y, batch_size=batch_size, epochs=2, shuffle=False, verbose=0)
    size = 10 if batch_size is None else batch_size
    batches = [np.arange(i, min(i + size, 10)) for i in range(0, 10, size)] * 2
    W, b = _manual_sgd(X, y[:, None], W0, b0, 0.05, batches)
    np.testing.assert_allclose(model.get_weights()[0], W, rtol=1e-12)
    np.testing.assert_allclose(model.get_weights()[1], b, rtol=1e-12)


@pytest.mark.parametrize("fast", [True, False], ids=["fast step", "general path"])
def test_shuffle_visits_every_sample_once_per_epoch_in_a_new_order(monkeypatch, fast):
    X = np.arange(12, dtype=float).reshape(-1, 1)
    model = rb.Sequential([Dense(1, input_dim=1)], seed=0)
    model.compile(SGD(0.0), "mse")
    batches, steps = [], []

    def spying(original):
        def spy(*args):
            xb, yb = args[-3:-1] if len(args) == 4 else args[-2:]
            np.testing.assert_array_equal(yb[:, 0], xb[:, 0])  # each x keeps its own y
            batches.append(xb[:, 0].copy())
            return original(*args)
        return spy

    monkeypatch.setattr(_fast, "ENABLED", fast)
    monkeypatch.setattr(training, "loss_and_gradient", spying(training.loss_and_gradient))
    monkeypatch.setattr(_fast.FastStep, "__call__", spying(_fast.FastStep.__call__))
    step_log = LambdaCallback(on_train_batch_begin=lambda batch, logs: steps.append(batch))
    model.fit(X, X[:, 0], batch_size=5, epochs=2, verbose=0, callbacks=[step_log])
    assert [len(b) for b in batches] == [5, 5, 2] * 2 and steps == [0, 1, 2] * 2
    first, second = np.concatenate(batches[:3]), np.concatenate(batches[3:])
    np.testing.assert_array_equal(np.sort(first), X[:, 0])
    np.testing.assert_array_equal(np.sort(second), X[:, 0])
    assert not np.array_equal(first, X[:, 0]) and not np.array_equal(first, second)


# --------------------------------------------------------------------------- L09
@pytest.mark.parametrize(
    "batch_size, lr, epochs, tol",
    [(None, 0.2, 100, 1e-5), (5, 0.05, 60, 5e-3), (1, 0.01, 40, 3e-3)],
    ids=["batch", "mini-batch", "stochastic"],
)
def test_L09_gradient_descent_reaches_least_squares(batch_size, lr, epochs, tol):
    X, y = _linear_data()
    A = np.column_stack([X, np.ones(len(X))])
    solution = np.linalg.lstsq(A, y, rcond=None)[0]
    model = _linear_model(lr=lr)
    model.fit(X, y, batch_size=batch_size, epochs=epochs, verbose=0)
    W, b = model.get_weights()
    np.testing.assert_allclose(np.r_[W.ravel(), b], solution, atol=tol)


# --------------------------------------------------------------------------- gradients
def _numeric_gradient(model, x, y, h=1e-6):
    theta, _ = model.flat_parameters()
    grad = np.zeros_like(theta)
    for i in range(len(theta)):
        old = theta[i]
        theta[i] = old + h
        up = training.evaluate(model, x, y)
        theta[i] = old - h
        down = training.evaluate(model, x, y)
        theta[i] = old
        grad[i] = (up - down) / (2 * h)
    return grad


@pytest.mark.parametrize(
    "output, loss, targets",
    [
        ("linear", "mse", "real"),
        ("sigmoid", "binary_crossentropy", "binary"),
        ("softmax", "sparse_categorical_crossentropy", "labels"),
        ("softmax", "categorical_crossentropy", "onehot"),
        ("tanh", "mae", "real"),
    ],
)
def test_backprop_gradient_equals_central_differences(output, loss, targets):
    """Lecture 004: (f(x + h) - f(x - h)) / 2h; fused softmax / sigmoid paths included."""
    rng = np.random.default_rng(0)
    x = rng.normal(size=(7, 3))
    k = 1 if targets in ("real", "binary") else 3
    y = {
        "real": rng.normal(size=(7, 1)),
        "binary": rng.integers(0, 2, size=7),
        "labels": rng.integers(0, 3, size=7),
        "onehot": np.eye(3)[rng.integers(0, 3, size=7)],
    }[targets]
    model = rb.Sequential(
        [
            Dense(4, activation="tanh", input_dim=3, dtype="float64", kernel_regularizer="l2"),
            Dense(k, activation=output, dtype="float64", bias_regularizer="l1"),
        ],
        seed=1,
    )
    model.compile("sgd", loss)
    model.set_weights([w + 0.1 * rng.normal(size=w.shape) for w in model.get_weights()])
    xp, yp = training.prepare_x(model, x), training.prepare_y(model, y, 7)
    value, _ = training.loss_and_gradient(model, xp, yp, model.fused_output())
    _, grad = model.flat_parameters()
    assert value == pytest.approx(training.evaluate(model, x, y), rel=1e-10)
    np.testing.assert_allclose(grad, _numeric_gradient(model, x, y), rtol=1e-6, atol=1e-8)


def test_fused_output_is_chosen_only_for_matching_pairs():
    def kind(activation, loss, **kw):
        model = rb.Sequential([Dense(2, activation=activation, input_dim=2)])
        model.compile("sgd", rb.losses.get(loss) if not kw else loss)
        return model.fused_output()

    assert kind("softmax", "sparse_categorical_crossentropy") is Head.SOFTMAX
    assert kind("softmax", "categorical_crossentropy") is Head.SOFTMAX
    assert kind("sigmoid", "binary_crossentropy") is Head.SIGMOID
    assert kind("sigmoid", "mse") is None and kind("relu", "categorical_crossentropy") is None


# --------------------------------------------------------------------------- L21
def test_L21_xor_is_learned_by_a_2_4_1_mlp():
    x = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=float)
    y = np.array([0, 1, 1, 0])
    model = rb.Sequential(
        [Dense(4, activation="tanh", input_dim=2), Dense(1, activation="sigmoid")], seed=1
    )
    model.compile(Adam(learning_rate=0.05), "binary_crossentropy", metrics=["accuracy"])
    history = model.fit(x, y, batch_size=None, epochs=300, verbose=0)
    loss, accuracy = model.evaluate(x, y)
    assert accuracy == 1.0 and history.history["accuracy"][-1] == 1.0
    np.testing.assert_array_equal((model.predict(x)[:, 0] > 0.5).astype(int), y)
    p = model.predict(x)[:, 0]
    assert loss == pytest.approx(-np.mean(y * np.log(p) + (1 - y) * np.log(1 - p)), rel=1e-4)


def test_L21_regression_output_is_linear_and_trains():
    rng = np.random.default_rng(1)
    x = rng.uniform(-1, 1, size=(120, 1))
    y = np.sin(3 * x[:, 0]) + 2.0  # outside (-1, 1): a linear output is needed
    model = rb.Sequential([Dense(16, activation="tanh", input_dim=1), Dense(1)], seed=0)
    model.compile(Adam(learning_rate=0.02), "mse")
    before = model.evaluate(x, y)
    model.fit(x, y, batch_size=16, epochs=60, verbose=0)
    after = model.evaluate(x, y)
    assert after < 0.05 * before
    assert after == pytest.approx(np.mean((model.predict(x)[:, 0] - y) ** 2), rel=1e-5)


def test_L21_binary_output_one_sigmoid_unit_trains():
    rng = np.random.default_rng(2)
    x = rng.normal(size=(150, 2))
    y = (x[:, 0] ** 2 + x[:, 1] ** 2 < 1.0).astype(int)  # a disc: not linearly separable
    model = rb.Sequential(
        [Dense(8, activation="relu", input_dim=2), Dense(1, activation="sigmoid")], seed=0
    )
    model.compile(Adam(learning_rate=0.03), "binary_crossentropy", metrics=["accuracy"])
    before = model.evaluate(x, y)[0]
    history = model.fit(x, y, batch_size=32, epochs=60, verbose=0)
    after, accuracy = model.evaluate(x, y)
    assert after < 0.4 * before and accuracy > 0.9
    p = model.predict(x)
    assert p.shape == (150, 1) and np.all((p > 0) & (p < 1))
    assert history.history["loss"][-1] < history.history["loss"][0]


def test_L21_ten_class_softmax_output_trains_on_digits():
    datasets = pytest.importorskip("sklearn.datasets")
    digits = datasets.load_digits()
    x, y = digits.data[:600] / 16.0, digits.target[:600]
    model = rb.Sequential(
        [Dense(32, activation="relu", input_dim=64), Dense(10, activation="softmax")], seed=0
    )
    model.compile(Adam(0.01), "sparse_categorical_crossentropy", metrics=["accuracy"])
    before = model.evaluate(x, y)[0]
    model.fit(x[:500], y[:500], batch_size=32, epochs=12, verbose=0)
    after, _ = model.evaluate(x[:500], y[:500])
    assert after < 0.25 * before
    p = model.predict(x[500:])
    assert p.shape == (100, 10)
    np.testing.assert_allclose(p.sum(axis=1), 1.0, rtol=1e-5)
    assert np.mean(p.argmax(axis=1) == y[500:]) > 0.7  # chance: 0.1


# --------------------------------------------------------------------------- history, evaluate
def test_history_has_per_epoch_lists_of_loss_metrics_and_validation():
    rng = np.random.default_rng(3)
    x = rng.normal(size=(40, 2))
    y = (x[:, 0] > 0).astype(int)
    model = rb.Sequential([Dense(1, activation="sigmoid", input_dim=2)], seed=0)
    model.compile(SGD(0.5), "binary_crossentropy", metrics=["accuracy", "mse"])
    history = model.fit(x, y, epochs=4, batch_size=8, validation_split=0.25, verbose=0)
    assert set(history.history) == {
        "loss",
        "accuracy",
        "mse",
        "val_loss",
        "val_accuracy",
        "val_mse",
    }
    assert all(len(v) == 4 for v in history.history.values())
    assert model.history is history and history.stop_reason is None
    # validation_split holds out the last 25 % (Keras: unshuffled, taken before training)
    val = model.evaluate(x[30:], y[30:], return_dict=True)
    assert history.history["val_loss"][-1] == pytest.approx(val["loss"], rel=1e-6)
    assert history.history["val_accuracy"][-1] == pytest.approx(val["accuracy"])
    p = model.predict(x[30:])[:, 0]
    assert val["mse"] == pytest.approx(np.mean((p - y[30:]) ** 2), rel=1e-5)


def test_validation_data_and_evaluate_forms():
    X, y = _linear_data(n=20)
    model = _linear_model()
    model.compile(SGD(0.05), "mse", metrics=["mae"])
    history = model.fit(X, y, epochs=2, validation_data=(X[:5], y[:5]), verbose=0)
    assert "val_loss" in history.history and "val_mae" in history.history
    loss, mae = model.evaluate(X, y)
    e = model.predict(X)[:, 0] - y
    assert loss == pytest.approx(np.mean(e**2), rel=1e-10)
    assert mae == pytest.approx(np.mean(np.abs(e)), rel=1e-10)
    assert model.evaluate(X, y, return_dict=True) == {"loss": loss, "mae": mae}
    assert model.evaluate(X, y, batch_size=3)[0] == pytest.approx(loss, rel=1e-10)
    plain = _linear_model()
    assert isinstance(plain.evaluate(X, y), float)


def test_evaluate_adds_the_regularization_penalty():
    X, y = _linear_data(n=20)
    model = _linear_model(kernel_regularizer=rb.regularizers.L2(0.3))
    W, b = model.get_weights()
    mse = np.mean((X @ W + b - y[:, None]) ** 2)
    assert model.evaluate(X, y) == pytest.approx(mse + 0.3 * np.sum(W**2), rel=1e-10)


def test_initial_epoch_and_zero_epochs():
    X, y = _linear_data(n=10)
    model = _linear_model()
    history = model.fit(X, y, epochs=4, initial_epoch=2, batch_size=None, verbose=0)
    assert history.epoch == [2, 3] and model.optimizer.iterations == 2
    before = model.get_weights()
    history = model.fit(X, y, epochs=0, verbose=0)
    assert history.history == {} and model.optimizer.iterations == 2
    np.testing.assert_array_equal(model.get_weights()[0], before[0])


def test_frozen_layers_do_not_change():
    X, y = _linear_data(n=20)
    model = rb.Sequential([Dense(4, activation="tanh", input_dim=2), Dense(1)], seed=0)
    model.layers[0].trainable = False
    model.compile(SGD(0.1), "mse")
    before = model.get_weights()
    model.fit(X, y, epochs=3, verbose=0)
    after = model.get_weights()
    np.testing.assert_array_equal(after[0], before[0])
    np.testing.assert_array_equal(after[1], before[1])
    assert not np.array_equal(after[2], before[2])


@pytest.mark.parametrize("optimizer", [lambda: SGD(0.1, momentum=0.9), lambda: Adam(0.01)])
def test_freezing_a_layer_after_fit_asks_for_compile_again(optimizer):
    """The optimizer's state was made for the old trainable weights: fit says so before any
    step (Keras also needs compile() after trainable changes), and works after compile()."""
    X, y = _linear_data(n=20)
    model = rb.Sequential([Dense(4, activation="tanh", input_dim=2), Dense(1)], seed=0)
    model.compile(optimizer(), "mse")
    model.fit(X, y, epochs=2, verbose=0)
    model.layers[0].trainable = False
    before, iterations = model.get_weights(), model.optimizer.iterations
    with pytest.raises(ValueError, match=r"params\[0\]: expected shape \(17,\).*got \(5,\).*"
                                         r"compile\(\) again"):
        model.fit(X, y, epochs=1, verbose=0)
    assert model.optimizer.iterations == iterations
    for a, b in zip(model.get_weights(), before, strict=True):
        np.testing.assert_array_equal(a, b)
    model.compile(optimizer(), "mse")
    model.fit(X, y, epochs=2, verbose=0)
    after = model.get_weights()
    np.testing.assert_array_equal(after[0], before[0])
    assert not np.array_equal(after[2], before[2])


# --------------------------------------------------------------------------- predict
def test_predict_returns_numpy_arrays_and_handles_one_sample():
    model = rb.Sequential([Dense(3, activation="softmax", input_dim=4)], seed=0)
    x = np.random.default_rng(4).normal(size=(5, 4))
    out = model.predict(x)
    assert type(out) is np.ndarray and out.shape == (5, 3) and out.dtype == np.float32
    np.testing.assert_allclose(model.predict(x[2]), out[2], rtol=1e-6)  # one sample -> one row
    assert model.predict(x[2]).shape == (3,)
    np.testing.assert_allclose(model.predict(x.tolist()), out, rtol=1e-6)
    np.testing.assert_allclose(model.predict(x, batch_size=2), out, rtol=1e-6)


def test_predict_on_a_one_feature_model():
    model = rb.Sequential([Dense(2, input_dim=1, dtype="float64")], seed=0)
    W, b = model.get_weights()
    column = np.array([1.0, 2.0, 3.0])
    np.testing.assert_allclose(model.predict(column), column[:, None] @ W + b, rtol=1e-12)
    np.testing.assert_allclose(model.predict(2.0), 2.0 * W[0] + b, rtol=1e-12)
    assert model.predict(2.0).shape == (2,)


def test_fit_accepts_lists_and_column_targets():
    X, y = _linear_data(n=10)
    a, b = _linear_model(), _linear_model()
    a.fit(X.tolist(), y.tolist(), epochs=2, shuffle=False, verbose=0)
    b.fit(X, y[:, None], epochs=2, shuffle=False, verbose=0)
    np.testing.assert_array_equal(a.get_weights()[0], b.get_weights()[0])


# --------------------------------------------------------------------------- bad input
def _compiled_classifier():
    model = rb.Sequential([Dense(3, activation="softmax", input_dim=2)], seed=0)
    model.compile("sgd", "sparse_categorical_crossentropy")
    return model


X_OK = np.random.default_rng(5).normal(size=(10, 2))
Y_OK = np.arange(10) % 3


def _with(array, index, value):
    array = np.array(array, dtype=float)
    array[index] = value
    return array


@pytest.mark.parametrize(
    "x, y, kwargs, error, match",
    [
        (
            X_OK,
            Y_OK[:9],
            {},
            ValueError,
            r"x and y must have the same number of samples, got x "
            r"with 10 and y of shape \(9,\)",
        ),
        (
            X_OK[:, :1],
            Y_OK,
            {},
            ValueError,
            r"expects samples of shape \(2,\) \(2 features\), "
            r"got x of shape \(10, 1\)",
        ),
        (np.ones((10, 5)), Y_OK, {}, ValueError, r"\(2 features\), got x of shape \(10, 5\)"),
        (
            X_OK,
            Y_OK + 1,
            {},
            ValueError,
            r"class labels must be in \[0, 2\] for an output layer "
            r"of 3 units, got labels from 1 to 3",
        ),
        (X_OK, Y_OK - 1, {}, ValueError, r"class labels must be in \[0, 2\].*from -1 to 1"),
        (X_OK, Y_OK + 0.5, {}, ValueError, "sparse categorical labels must be integers"),
        (
            _with(X_OK, (3, 1), np.nan),
            Y_OK,
            {},
            ValueError,
            r"x: expected finite numbers, found nan at index \(3, 1\)",
        ),
        (
            _with(X_OK, (0, 0), np.inf),
            Y_OK,
            {},
            ValueError,
            "x: expected finite numbers, found inf",
        ),
        (X_OK, _with(Y_OK, 4, np.nan), {}, ValueError, "y: expected finite numbers, found nan"),
        ("abc", Y_OK, {}, TypeError, "x: expected an array of numbers, got str 'abc'"),
        (X_OK, "abc", {}, TypeError, "y: expected an array of numbers, got str 'abc'"),
        ([[1, 2], [3]], Y_OK, {}, TypeError, "x: expected an array of numbers, got a ragged"),
        (None, Y_OK, {}, ValueError, "x: expected an array of inputs, got None"),
        (X_OK, Y_OK, {"batch_size": 0}, ValueError, "batch_size: expected an integer >= 1"),
        (X_OK, Y_OK, {"batch_size": 2.5}, ValueError, "batch_size: expected an integer >= 1"),
        (X_OK, Y_OK, {"epochs": -1}, ValueError, "epochs: expected an integer >= 0, got -1"),
        (X_OK, Y_OK, {"verbose": 3}, ValueError, "verbose: expected 0, 1, 2 or 'auto', got 3"),
        (X_OK, Y_OK, {"validation_split": 1.5}, ValueError, "validation_split: expected"),
        (
            X_OK,
            Y_OK,
            {"validation_data": (X_OK,)},
            ValueError,
            r"validation_data: expected a tuple \(x_val, y_val\), got tuple of length 1",
        ),
        (
            X_OK,
            Y_OK,
            {"validation_data": (X_OK, Y_OK[:3])},
            ValueError,
            "x_val and y_val must have the same number of samples, got x_val with 10",
        ),
        (
            X_OK,
            Y_OK,
            {"validation_data": (X_OK, Y_OK + 5)},
            ValueError,
            r"y_val: class labels must be in \[0, 2\]",
        ),
        (X_OK, Y_OK, {"callbacks": [3]}, TypeError, "callbacks: expected Callback objects"),
    ],
)
def test_bad_input_is_refused_before_any_training(x, y, kwargs, error, match):
    model = _compiled_classifier()
    before = model.get_weights()
    with pytest.raises(error, match=match):
        model.fit(x, y, **{"verbose": 0, **kwargs})
    assert model.optimizer.iterations == 0
    for got, want in zip(model.get_weights(), before, strict=True):
        np.testing.assert_array_equal(got, want)


@pytest.mark.parametrize(
    "loss, y, match",
    [
        (
            "mse",
            np.ones((10, 2)),
            r"y of shape \(10, 2\) does not match the model's output of "
            r"shape \(n, 1\)",
        ),
        (
            "binary_crossentropy",
            np.where(np.arange(10) % 2, 1, -1),
            r"binary_crossentropy needs targets in \[0, 1\], got values from -1 to 1 \(map labels",
        ),
        ("categorical_crossentropy", np.zeros(10), "use loss='sparse_categorical_crossentropy'"),
    ],
)
def test_targets_that_do_not_fit_the_output_layer(loss, y, match):
    units = 3 if loss == "categorical_crossentropy" else 1
    model = rb.Sequential([Dense(units, activation="sigmoid", input_dim=2)], seed=0)
    model.compile("sgd", loss)
    before = model.get_weights()
    with pytest.raises(ValueError, match=match):
        model.fit(X_OK, y, verbose=0)
    np.testing.assert_array_equal(model.get_weights()[0], before[0])


def test_fit_and_evaluate_before_compile():
    model = rb.Sequential([Dense(1, input_dim=2)])
    with pytest.raises(ValueError, match=r"not compiled; call compile\(optimizer, loss\)"):
        model.fit(X_OK, np.ones(10), verbose=0)
    with pytest.raises(ValueError, match="evaluate: the model is not compiled"):
        model.evaluate(X_OK, np.ones(10))


def test_predict_on_an_unbuilt_model_and_on_the_wrong_shape():
    with pytest.raises(ValueError, match="predict: model .* is not built: it has no weights"):
        rb.Sequential([Dense(1)]).predict(X_OK)
    model = rb.Sequential([Dense(1, input_dim=2)])
    with pytest.raises(ValueError, match=r"expects samples of shape \(2,\), got x of shape"):
        model.predict(np.ones((4, 3)))
    with pytest.raises(TypeError, match="x: expected an array of numbers"):
        model.predict("12")


@pytest.mark.parametrize(
    "args, error, match",
    [
        (("sgd",), ValueError, "compile: loss is required"),
        (("sggd", "mse"), ValueError, "Unknown optimizer 'sggd'. Did you mean 'sgd'"),
        (("sgd", "msee"), ValueError, "Unknown loss 'msee'"),
        (("sgd", "mse", ["acuracy"]), ValueError, "Unknown metric 'acuracy'. Did you mean"),
    ],
)
def test_compile_errors_leave_the_model_uncompiled(args, error, match):
    model = rb.Sequential([Dense(1, input_dim=2)])
    with pytest.raises(error, match=match):
        model.compile(*args)
    assert model.optimizer is None and model.loss is None
    with pytest.raises(ValueError, match="not compiled"):
        model.evaluate(X_OK, np.ones(10))


@pytest.mark.filterwarnings("ignore:overflow:RuntimeWarning")
def test_a_loss_that_turns_nan_stops_training_with_epoch_and_batch():
    rng = np.random.default_rng(6)
    x = 100 * rng.normal(size=(12, 3))
    y = 100 * rng.normal(size=12)
    model = rb.Sequential([Dense(8, activation="relu", input_dim=3), Dense(1)], seed=0)
    model.compile(SGD(learning_rate=1e6), "mse")
    done, last = [], {}

    def record(batch, logs):
        done.append((len(record.epochs), batch))
        last["weights"] = model.get_weights()

    record.epochs = []
    history = model.fit(
        x,
        y,
        epochs=5,
        batch_size=2,
        verbose=0,
        callbacks=[
            LambdaCallback(
                on_epoch_begin=lambda epoch, logs: record.epochs.append(epoch),
                on_train_batch_end=record,
            )
        ],
    )
    epoch = len(record.epochs)
    batch = sum(1 for e, _ in done if e == epoch) + 1  # the first batch never completed
    assert re.fullmatch(
        rf"the loss became (inf|nan) at epoch {epoch}, batch {batch}; training stopped before "
        r"that update \(try a smaller learning rate\)",
        history.stop_reason,
    )
    assert all(np.isfinite(w).all() for w in model.get_weights())
    for got, want in zip(model.get_weights(), last["weights"], strict=True):
        np.testing.assert_array_equal(got, want)  # the bad update was not applied
    assert all(math.isfinite(v) for v in history.history.get("loss", []))


# --------------------------------------------------------------------------- reproducibility
def _dropout_run(seed=None, epochs=3):
    rng = np.random.default_rng(7)
    x = rng.normal(size=(40, 4))
    y = (x[:, 0] * x[:, 1] > 0).astype(int)
    model = rb.Sequential(
        [Dense(16, activation="relu", input_dim=4), Dropout(0.3), Dense(1, activation="sigmoid")],
        seed=seed,
    )
    model.compile(Adam(0.01), "binary_crossentropy")
    history = model.fit(x, y, batch_size=8, epochs=epochs, shuffle=True, verbose=0)
    return model.get_weights(), history.history["loss"]


def test_same_seed_bit_identical_training_with_shuffling_and_dropout():
    (wa, la), (wb, lb), (wc, lc) = _dropout_run(3), _dropout_run(3), _dropout_run(4)
    assert la == lb
    for a, b in zip(wa, wb, strict=True):
        np.testing.assert_array_equal(a, b)
    assert la != lc and not np.array_equal(wa[0], wc[0])


def test_global_set_seed_makes_runs_bit_identical():
    rb.set_seed(21)
    wa, la = _dropout_run()
    rb.set_seed(21)
    wb, lb = _dropout_run()
    rb.set_seed(22)
    wc, lc = _dropout_run()
    assert la == lb and la != lc
    for a, b in zip(wa, wb, strict=True):
        np.testing.assert_array_equal(a, b)


def test_dropout_changes_training_and_is_inactive_in_predict():
    wa, _ = _dropout_run(3)
    rng = np.random.default_rng(7)
    x = rng.normal(size=(40, 4))
    model = rb.Sequential(
        [Dense(16, activation="relu", input_dim=4), Dropout(0.3), Dense(1, activation="sigmoid")],
        seed=3,
    )
    model.set_weights(wa)
    np.testing.assert_array_equal(model.predict(x), model.predict(x))
    W1, b1, W2, b2 = (w.astype(np.float64) for w in wa)
    expected = _sigmoid(np.maximum(x @ W1 + b1, 0) @ W2 + b2)
    np.testing.assert_allclose(model.predict(x), expected, rtol=1e-5, atol=1e-6)


# --------------------------------------------------------------------------- progress
def test_verbose_2_prints_one_line_per_epoch(capsys):
    X, y = _linear_data(n=10)
    _linear_model().fit(X, y, epochs=3, verbose=2, validation_split=0.2)
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 3
    for i, line in enumerate(lines, start=1):
        assert line.startswith(f"Epoch {i}/3") and "loss: " in line and "val_loss: " in line


@pytest.mark.filterwarnings("ignore:overflow:RuntimeWarning")
def test_verbose_0_prints_nothing(capsys):
    X, y = _linear_data(n=10)
    model = _linear_model(lr=1e8, dtype="float32")
    model.fit(100 * X, 100 * y, epochs=3, batch_size=1, verbose=0)
    assert model.stop_reason is not None  # even the stop message stays silent
    assert capsys.readouterr().out == ""


def test_verbose_1_without_a_terminal_prints_clean_lines(capsys):
    X, y = _linear_data(n=10)
    _linear_model().fit(X, y, epochs=2, batch_size=2, verbose=1)
    out = capsys.readouterr().out
    assert "\r" not in out and "\x1b" not in out
    assert [line.split(" - ")[0] for line in out.splitlines()] == ["Epoch 1/2", "Epoch 2/2"]


def test_verbose_1_on_a_terminal_draws_a_live_bar(monkeypatch):
    pytest.importorskip("tqdm")

    class Terminal(io.StringIO):
        def isatty(self):
            return True

    screen = Terminal()
    monkeypatch.setattr("sys.stdout", screen)
    X, y = _linear_data(n=10)
    _linear_model().fit(X, y, epochs=2, batch_size=2, verbose="auto")
    out = screen.getvalue()
    assert "\r" in out and "Epoch 1/2" in out and "Epoch 2/2" in out and "5/5" in out


@pytest.mark.filterwarnings("ignore:overflow:RuntimeWarning")
def test_stop_reason_is_printed_when_verbose(capsys):
    X, y = _linear_data(n=10)
    _linear_model(lr=1e8, dtype="float32").fit(100 * X, 100 * y, epochs=3, batch_size=1, verbose=2)
    assert "Stopped: the loss became" in capsys.readouterr().out


# --------------------------------------------------------------------------- PyTorch
def test_one_epoch_of_sgd_equals_pytorch():
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(8)
    x, y = rng.normal(size=(12, 3)), rng.normal(size=(12, 2))
    inputs = Input(shape=(3,))
    hidden = Dense(4, activation="tanh", dtype="float64")(inputs)
    model = rb.Model(inputs, Dense(2, dtype="float64")(hidden), seed=0)
    model.set_weights([rng.normal(size=w.shape) for w in model.get_weights()])
    W1, b1, W2, b2 = model.get_weights()
    model.compile(SGD(learning_rate=0.1), "mse")
    model.fit(x, y, batch_size=4, epochs=1, shuffle=False, verbose=0)

    net = torch.nn.Sequential(torch.nn.Linear(3, 4), torch.nn.Tanh(), torch.nn.Linear(4, 2))
    net = net.double()
    with torch.no_grad():  # torch keeps weights as (out, in): transpose Keras' (in, out)
        for layer, W, b in ((net[0], W1, b1), (net[2], W2, b2)):
            layer.weight.copy_(torch.from_numpy(W.T))
            layer.bias.copy_(torch.from_numpy(b))
    opt = torch.optim.SGD(net.parameters(), lr=0.1)
    tx, ty = torch.from_numpy(x), torch.from_numpy(y)
    for start in range(0, 12, 4):
        opt.zero_grad()
        torch.nn.functional.mse_loss(net(tx[start : start + 4]), ty[start : start + 4]).backward()
        opt.step()
    expected = [net[0].weight.T, net[0].bias, net[2].weight.T, net[2].bias]
    for got, want in zip(model.get_weights(), expected, strict=True):
        np.testing.assert_allclose(got, want.detach().numpy(), rtol=1e-12, atol=1e-14)


@pytest.mark.parametrize("fast", [True, False])
def test_weights_that_turn_non_finite_go_back_to_the_epoch_start(fast, monkeypatch):
    """A learning rate of 1e300 (inf in float32) sends the weights to NaN or inf in the first
    step; fit stops and the model keeps the weights (and optimizer state) it had at that
    epoch's start."""
    monkeypatch.setattr(_fast, "ENABLED", fast)
    x = np.random.default_rng(0).normal(size=(64, 3))
    y = x @ np.array([1.0, -2.0, 0.5])
    model = rb.Sequential([Dense(1, input_dim=3)], seed=0)
    model.compile(SGD(learning_rate=0.01), "mse")
    model.fit(x, y, epochs=1, batch_size=8, verbose=0)  # a first, finite epoch
    start = model.get_weights()
    state = model.optimizer.get_state()
    model.optimizer.learning_rate = 1e300
    with np.errstate(all="ignore"):  # the overflow is the point
        history = model.fit(x, y, epochs=3, batch_size=8, verbose=0)
    assert "back to those at the start of epoch 1" in history.stop_reason
    for got, want in zip(model.get_weights(), start, strict=True):
        np.testing.assert_array_equal(got, want)
    assert int(model.optimizer.get_state()["iterations"]) == int(state["iterations"])
    assert np.isfinite(model.predict(x)).all()


@pytest.mark.parametrize("fast", [True, False])
@pytest.mark.parametrize("output, loss, y", [
    ("softmax", "sparse_categorical_crossentropy", np.array([0, 1, 2, 0])),
    ("sigmoid", "binary_crossentropy", np.array([1, 0, 1, 0])),
])
def test_evaluate_reports_the_training_steps_loss_even_for_huge_logits(fast, output, loss, y,
                                                                       monkeypatch):
    """With logits of +-1e4 a clipped probability gives 16.1; the step's loss (from the
    logits) is about 2e4. evaluate takes the same loss as the step, on both paths."""
    monkeypatch.setattr(_fast, "ENABLED", fast)
    units = 3 if output == "softmax" else 1
    model = rb.Sequential([Dense(units, activation=output, input_dim=2)], seed=0)
    model.compile(SGD(learning_rate=0.0), loss)
    x = np.array([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0], [-1.0, 0.5]])
    kernel = np.full((2, units), 1e4, np.float32) * np.array([1, -1, 0.5][:units], np.float32)
    model.set_weights([kernel, np.zeros(units)])
    history = model.fit(x, y, batch_size=None, epochs=1, verbose=0, shuffle=False)
    reported = model.evaluate(x, y)
    assert reported > 1e3  # not a clipped 16.1
    assert reported == pytest.approx(history.history["loss"][0], rel=1e-5)
