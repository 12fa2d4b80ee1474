"""The graph-free training step equals the general autodiff path and central differences.

``rosenblatt._fast`` trains plain stacks of layers without recording a graph; every layer kind,
activation, loss, reduction and regularizer it accepts is compared here with
``training.loss_and_gradient`` (the Tensor path), and its float64 gradient with central
differences of its own loss. Every test runs twice: with the step's elementwise work in NumPy,
and with the compiled loops of ``rosenblatt.kernels`` (skipped without numba), which the
size threshold would otherwise keep from these small models.
"""

import numpy as np
import pytest
from rosenblatt.layers import Activation, Dense, Dropout, Flatten, Input
from rosenblatt.losses import CategoricalCrossentropy, Huber, MeanSquaredError
from rosenblatt.optimizers import SGD, Adam

import rosenblatt as rb
from rosenblatt import kernels as _kernels
from rosenblatt._fast import step as _fast
from rosenblatt.training import loop as training


@pytest.fixture(autouse=True, params=["numpy", "compiled"])
def loops(request, monkeypatch):
    """Which elementwise loops the fast step uses in this run of a test."""
    if request.param == "compiled":
        if not _kernels.available():
            pytest.skip("the compiled loops need numba (the 'fast' extra)")
        monkeypatch.setattr(_kernels, "MIN_SIZE", 0)
    else:
        monkeypatch.setattr(_kernels, "ENABLED", False)
    return request.param


def _data(rows, features, seed=0, dtype=np.float64):
    rng = np.random.default_rng(seed)
    return rng.normal(size=(rows, *np.atleast_1d(features))).astype(dtype)


def _targets(kind, rows, units, seed=1):
    rng = np.random.default_rng(seed)
    if kind == "sparse":
        return rng.integers(0, units, rows)
    if kind == "onehot":
        return np.eye(units)[rng.integers(0, units, rows)]
    if kind == "soft":  # probability rows (fit refuses rows that do not sum to 1)
        y = rng.random((rows, units))
        return y / y.sum(axis=1, keepdims=True)
    if kind == "binary":
        return rng.integers(0, 2, (rows, units)).astype(float)
    return rng.normal(size=(rows, units))


def _both(model, x, y):
    """(loss, grad, outputs) from the general path and from the fast step, same rng state."""
    fused_kind = model.fused_output()
    x = training.prepare_x(model, x)
    y = training.prepare_y(model, y, len(x))
    _, grad = model.flat_parameters()
    rngs = [model._rng] + [layer._rng for layer in model.layers
                           if isinstance(layer, Dropout) and layer._rng is not None]
    states = [rng.bit_generator.state for rng in rngs]
    loss_a, out_a = training.loss_and_gradient(model, x, y, fused_kind)
    grad_a = grad.copy()
    out_a = np.array(out_a)
    grad.fill(np.nan)
    for rng, state in zip(rngs, states, strict=True):
        rng.bit_generator.state = state
    step = _fast.compile_step(model, fused_kind)
    assert step is not None, "this model should take the fast path"
    loss_b, out_b = step(x, y)
    return (loss_a, grad_a, out_a), (loss_b, grad.copy(), np.array(out_b))


def _assert_same(model, x, y, rtol=1e-10):
    (la, ga, oa), (lb, gb, ob) = _both(model, x, y)
    assert np.isfinite(gb).all(), "every gradient entry must be written"
    assert lb == pytest.approx(la, rel=rtol, abs=1e-12)
    np.testing.assert_allclose(gb, ga, rtol=rtol, atol=1e-12)
    np.testing.assert_allclose(ob, oa, rtol=rtol, atol=1e-12)


def _mlp(hidden, output, units=3, inputs=4, seed=0, **dense):
    model = rb.Sequential([Input(shape=(inputs,))], seed=seed)
    model.add(Dense(5, activation=hidden, dtype="float64", **dense))
    model.add(Dense(4, activation=hidden, dtype="float64", **dense))
    model.add(Dense(units, activation=output, dtype="float64", **dense))
    return model


# --------------------------------------------------------------------------- equal to autodiff
@pytest.mark.parametrize("hidden", ["relu", "tanh", "sigmoid", "linear", "elu", "softplus",
                                    "leaky_relu", "swish", "gelu", "hard_sigmoid"])
@pytest.mark.parametrize("reduction", ["mean", "sum"])
def test_hidden_activations_match_autodiff(hidden, reduction):
    model = _mlp(hidden, "softmax")
    model.compile(SGD(), CategoricalCrossentropy(reduction=reduction))
    _assert_same(model, _data(7, 4), _targets("onehot", 7, 3))


@pytest.mark.parametrize(
    "output, loss, targets, units",
    [
        ("softmax", "sparse_categorical_crossentropy", "sparse", 3),
        ("softmax", "categorical_crossentropy", "onehot", 3),
        ("softmax", "categorical_crossentropy", "soft", 3),
        ("sigmoid", "binary_crossentropy", "binary", 1),
        ("sigmoid", "binary_crossentropy", "binary", 3),
        ("sigmoid", "mse", "binary", 2),
        ("linear", "mse", "real", 2),
        ("linear", "mae", "real", 2),
        ("tanh", Huber(delta=0.5), "real", 1),
        ("linear", rb.losses.SparseCategoricalCrossentropy(from_logits=True), "sparse", 3),
        ("linear", rb.losses.BinaryCrossentropy(from_logits=True), "binary", 1),
        ("relu", MeanSquaredError(reduction="sum"), "real", 2),
    ],
)
def test_outputs_and_losses_match_autodiff(output, loss, targets, units):
    model = _mlp("tanh", output, units=units)
    model.compile(SGD(), loss)
    _assert_same(model, _data(9, 4), _targets(targets, 9, units))


def test_regularizers_add_their_penalty_and_gradient():
    model = _mlp("relu", "softmax", kernel_regularizer="l1_l2",
                 bias_regularizer=rb.regularizers.L2(0.3))
    model.compile(SGD(), "sparse_categorical_crossentropy")
    _assert_same(model, _data(6, 4), _targets("sparse", 6, 3))


def test_relu_derivative_at_zero_is_one_as_in_the_notes():
    # zero inputs and zero biases give z = 0 exactly in the first layer: relu'(0) = 1 there
    model = _mlp("relu", "linear", units=2)
    model.compile(SGD(), "mse")
    x = np.zeros((3, 4))
    x[0] = 1.0
    _assert_same(model, x, _targets("real", 3, 2))


def test_dropout_activation_flatten_and_no_bias_layers():
    model = rb.Sequential([
        Input(shape=(2, 3)),
        Flatten(dtype="float64"),
        Dense(6, use_bias=False, dtype="float64"),
        Activation("tanh", dtype="float64"),
        Dropout(0.4, dtype="float64"),
        Dense(5, activation="relu", dtype="float64"),
        Dropout(0.3, seed=7, dtype="float64"),
        Dense(2, activation="sigmoid", dtype="float64"),
    ], seed=3)
    model.compile(SGD(), "binary_crossentropy")
    _assert_same(model, _data(8, (2, 3)), _targets("binary", 8, 2))


@pytest.mark.parametrize("frozen", [0, 1])
def test_frozen_layers_get_no_gradient_but_pass_one_on(frozen):
    model = _mlp("tanh", "softmax")
    model.layers[frozen].trainable = False
    model.compile(SGD(), "sparse_categorical_crossentropy")
    _assert_same(model, _data(5, 4), _targets("sparse", 5, 3))


def test_functional_chain_matches_autodiff():
    inputs = Input(shape=(4,))
    h = Dense(6, activation="relu", dtype="float64")(inputs)
    outputs = Dense(3, activation="softmax", dtype="float64")(h)
    model = rb.Model(inputs, outputs, seed=0)
    model.compile(SGD(), "sparse_categorical_crossentropy")
    _assert_same(model, _data(6, 4), _targets("sparse", 6, 3))


def test_float32_matches_to_float32_rounding():
    model = rb.Sequential([Input(shape=(20,)), Dense(16, activation="relu"),
                           Dense(8, activation="tanh"), Dense(4, activation="softmax")], seed=1)
    model.compile(SGD(), "sparse_categorical_crossentropy")
    x = _data(32, 20, dtype=np.float32)
    (la, ga, oa), (lb, gb, ob) = _both(model, x, _targets("sparse", 32, 4))
    assert lb == pytest.approx(la, rel=1e-5)
    np.testing.assert_allclose(gb, ga, rtol=1e-4, atol=1e-6)
    np.testing.assert_allclose(ob, oa, rtol=1e-5, atol=1e-7)
    assert gb.dtype == np.float32


# --------------------------------------------------------------------------- independent check
@pytest.mark.parametrize("hidden, output, loss, targets", [
    ("relu", "softmax", "sparse_categorical_crossentropy", "sparse"),
    ("tanh", "sigmoid", "binary_crossentropy", "binary"),
    ("sigmoid", "linear", "mse", "real"),
])
def test_gradient_equals_central_differences(hidden, output, loss, targets):
    units = 1 if targets == "binary" else 3
    model = _mlp(hidden, output, units=units, seed=2, kernel_regularizer="l2")
    model.compile(SGD(), loss)
    x, y = _data(6, 4, seed=5), _targets(targets, 6, units, seed=6)
    x = x + 0.1  # keep relu inputs away from the kink at 0
    theta, grad = model.flat_parameters()
    step = _fast.compile_step(model, model.fused_output())
    y = training.prepare_y(model, y, len(x))
    step(x, y)
    analytic = grad.copy()
    h, numeric = 1e-6, np.empty_like(theta)
    for i in range(theta.size):
        keep = theta[i]
        theta[i] = keep + h
        up = step(x, y)[0]
        theta[i] = keep - h
        down = step(x, y)[0]
        theta[i] = keep
        numeric[i] = (up - down) / (2 * h)
    np.testing.assert_allclose(analytic, numeric, rtol=1e-6, atol=1e-8)


# --------------------------------------------------------------------------- whole training runs
def _train(enabled, monkeypatch, epochs=4, **fit):
    monkeypatch.setattr(_fast, "ENABLED", enabled)
    model = rb.Sequential([Input(shape=(10,)), Dense(12, activation="relu"), Dropout(0.2),
                           Dense(8, activation="tanh"), Dense(3, activation="softmax")], seed=4)
    model.compile(Adam(learning_rate=0.01), "sparse_categorical_crossentropy",
                  metrics=["accuracy"])
    x = _data(100, 10, seed=8, dtype=np.float32)
    y = (x[:, 0] > 0).astype(int) + (x[:, 1] > 0.5)
    history = model.fit(x, y, batch_size=16, epochs=epochs, verbose=0, **fit)
    return model, history


def test_fit_is_the_same_with_and_without_the_fast_step(monkeypatch):
    fast, h_fast = _train(True, monkeypatch, validation_split=0.2)
    slow, h_slow = _train(False, monkeypatch, validation_split=0.2)
    for a, b in zip(fast.get_weights(), slow.get_weights(), strict=True):
        np.testing.assert_allclose(a, b, rtol=1e-4, atol=1e-5)
    for key in ("loss", "accuracy", "val_loss", "val_accuracy"):
        np.testing.assert_allclose(h_fast.history[key], h_slow.history[key], rtol=1e-4)


def test_a_new_activation_trains_on_the_fast_step_as_on_the_general_path(monkeypatch):
    """hard_sigmoid is defined in the activations module alone; the fast step takes it."""
    runs = []
    for enabled in (True, False):
        monkeypatch.setattr(_fast, "ENABLED", enabled)
        model = rb.Sequential([Input(shape=(5,)), Dense(8, activation="hard_sigmoid"),
                               Dense(2, activation="hard_sigmoid")], seed=3)
        model.compile(Adam(learning_rate=0.05), "mse")
        if enabled:
            assert _fast.compile_step(model, model.fused_output()) is not None
        x = _data(48, 5, seed=2)
        history = model.fit(x, (x[:, :2] > 0).astype(float), batch_size=8, epochs=3,
                            verbose=0)
        runs.append((model.get_weights(), history.history["loss"]))
    (fast, fast_loss), (general, general_loss) = runs
    for a, b in zip(fast, general, strict=True):
        np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(fast_loss, general_loss, rtol=1e-5)
    assert fast_loss[-1] < fast_loss[0]


# --------------------------------------------------------------------------- who takes it
class _Subclassed(rb.Model):
    def __init__(self):
        super().__init__(seed=0)
        self.dense = Dense(2)

    def call(self, x):
        return self.dense(x)


def test_models_outside_the_plain_chain_use_the_general_path():
    sub = _Subclassed()
    sub.build((3,))
    sub.compile(SGD(), "mse")
    assert _fast.compile_step(sub, None) is None

    inputs = Input(shape=(3,))
    shared = Dense(3)
    branched = rb.Model(inputs, shared(shared(inputs)), seed=0)
    branched.compile(SGD(), "mse")
    assert _fast.compile_step(branched, None) is None  # one layer used twice

    seq = rb.Sequential([Input(shape=(3,)), Dense(3), Activation("softmax")], seed=0)
    seq.compile(SGD(), "mse")
    assert _fast.compile_step(seq, None) is None  # softmax is not elementwise

    seq = rb.Sequential([Input(shape=(3,)), Dense(3, kernel_regularizer=lambda w: 0.0)], seed=0)
    seq.compile(SGD(), "mse")
    assert _fast.compile_step(seq, None) is None

    seq = rb.Sequential([Input(shape=(3,)), Dense(3, dtype="float64"), Dense(1)], seed=0)
    seq.compile(SGD(), "mse")
    assert _fast.compile_step(seq, None) is None  # mixed float types


def test_fit_takes_the_fast_step_for_plain_stacks(monkeypatch):
    def general_path(*args):
        raise AssertionError("the general path was used")

    monkeypatch.setattr(training, "loss_and_gradient", general_path)
    model, history = _train(True, monkeypatch, epochs=40)
    assert history.history["accuracy"][-1] > 0.9


# --------------------------------------------------------------------------- fit with callbacks
class _Stopper(rb.callbacks.Callback):
    """Stops (or raises) after a few steps."""

    def __init__(self, at, error=False):
        super().__init__()
        self.at, self.error, self.steps = at, error, 0

    def on_train_batch_end(self, batch, logs=None):
        self.steps += 1
        if self.steps == self.at:
            if self.error:
                raise KeyboardInterrupt
            self.model.stop_training = True


def _fit_adam(callbacks, epochs=3, batch_size=16):
    """Three epochs of five steps (70 rows, batches of 16); ``callbacks`` is a list or a
    function of the model."""
    model = rb.Sequential([Input(shape=(6,)), Dense(9, activation="relu"),
                           Dense(3, activation="softmax")], seed=5)
    model.compile(Adam(learning_rate=0.05), "sparse_categorical_crossentropy")
    x = _data(70, 6, seed=9, dtype=np.float32)
    y = (x[:, 0] > 0).astype(int) + (x[:, 1] > 0)
    callbacks = callbacks(model) if callable(callbacks) else callbacks
    model.fit(x, y, batch_size=batch_size, epochs=epochs, verbose=0, callbacks=callbacks)
    return model


def _weights_each_step(runs):
    """A callback factory: a LambdaCallback recording the weights after every step."""
    return lambda model: [rb.callbacks.LambdaCallback(
        on_train_batch_end=lambda batch, logs: runs.append(model.get_weights()))]


def test_reading_the_weights_between_steps_changes_nothing():
    seen = []
    watched = _fit_adam(_weights_each_step(seen))
    unwatched = _fit_adam([])
    assert len(seen) == 15
    # batches of 16 rows and a last one of 6: one set of buffers for each size
    assert sorted(unwatched._workspace.step_memory.buffers) == [6, 16]
    for a, b in zip(watched.get_weights(), unwatched.get_weights(), strict=True):
        np.testing.assert_array_equal(a, b)
    np.testing.assert_array_equal(watched.flat_parameters()[1],
                                  unwatched.flat_parameters()[1])


def test_the_gradient_norm_and_the_last_gradient_are_those_of_the_general_path(monkeypatch):
    """GradientTolerance reads the norm of each step's gradient, wherever the step wrote it;
    after fit the model's gradient vector holds the last one."""
    runs = {}
    for fast in (True, False):
        monkeypatch.setattr(_fast, "ENABLED", fast)
        rule = rb.callbacks.GradientTolerance(epsilon=1e-12)
        model = _fit_adam([rule], epochs=2, batch_size=32)
        runs[fast] = rule.norms, model.flat_parameters()[1].copy()
    assert len(runs[True][0]) == 6 and len(set(runs[True][0])) == 6
    np.testing.assert_allclose(runs[True][0], runs[False][0], rtol=1e-5)
    np.testing.assert_allclose(runs[True][1], runs[False][1], rtol=1e-5, atol=1e-7)
    assert np.abs(runs[True][1]).max() > 0


def _working_memory(model):
    """The arrays fit keeps on the model: the step's buffers."""
    buffers = model._workspace.step_memory.buffers
    return [b for bufs in buffers.values() for store in bufs for b in store.values()]


def test_fit_again_reuses_its_working_memory_and_continues_exactly():
    once = _fit_adam([], epochs=3)
    twice = _fit_adam([], epochs=1)
    x = _data(70, 6, seed=9, dtype=np.float32)
    y = (x[:, 0] > 0).astype(int) + (x[:, 1] > 0)
    kept = _working_memory(twice)  # references: the arrays stay alive, identity is meaningful
    assert len(kept) > 10
    for _ in range(2):
        twice.fit(x, y, batch_size=16, epochs=1, verbose=0)
    again = _working_memory(twice)
    assert len(again) == len(kept) and all(a is b for a, b in zip(again, kept, strict=True))
    for a, b in zip(once.get_weights(), twice.get_weights(), strict=True):
        np.testing.assert_array_equal(a, b)
    twice.layers[0].trainable = False  # a new flat vector: new working memory
    twice.compile(Adam(learning_rate=0.05), "sparse_categorical_crossentropy")
    twice.fit(x, y, batch_size=16, epochs=1, verbose=0)
    theta = twice.flat_parameters()[0]
    assert theta.size == 3 * 10 and twice._workspace.flat.theta is theta
    buffers = _working_memory(twice)
    assert buffers and all(b is not k for b in buffers for k in kept)


def test_a_batch_callback_sees_the_weights_of_every_step(monkeypatch):
    fast_runs, general_runs = [], []
    _fit_adam(_weights_each_step(fast_runs), epochs=2)
    monkeypatch.setattr(_fast, "ENABLED", False)
    _fit_adam(_weights_each_step(general_runs), epochs=2)
    assert len(fast_runs) == len(general_runs) == 10
    for fast, general in zip(fast_runs, general_runs, strict=True):
        for a, b in zip(fast, general, strict=True):
            np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-6)
    assert not np.array_equal(fast_runs[0][0], fast_runs[1][0])  # they change every step


@pytest.mark.parametrize("at", [1, 2, 3, 4, 7])
def test_stopping_mid_epoch_leaves_the_latest_weights_in_the_layers(at):
    stopped = _fit_adam([_Stopper(at)])
    reference = _fit_adam([_Stopper(at), rb.callbacks.LambdaCallback(
        on_train_batch_begin=lambda batch, logs: None)])
    for a, b in zip(stopped.get_weights(), reference.get_weights(), strict=True):
        np.testing.assert_array_equal(a, b)
    assert stopped.optimizer.iterations == at


@pytest.mark.parametrize("at", [1, 2])
def test_an_exception_mid_epoch_still_leaves_the_latest_weights(at):
    model = rb.Sequential([Input(shape=(6,)), Dense(4), Dense(1)], seed=0)
    model.compile(SGD(0.1), "mse")
    x = _data(64, 6, seed=1, dtype=np.float32)
    reference = rb.Sequential([Input(shape=(6,)), Dense(4), Dense(1)], seed=0)
    reference.compile(SGD(0.1), "mse")
    reference.fit(x[:16 * at], x[:16 * at, 0], batch_size=16, epochs=1, verbose=0,
                  shuffle=False)
    with pytest.raises(KeyboardInterrupt):
        model.fit(x, x[:, 0], batch_size=16, epochs=1, verbose=0, shuffle=False,
                  callbacks=[_Stopper(at, error=True)])
    for a, b in zip(model.get_weights(), reference.get_weights(), strict=True):
        np.testing.assert_array_equal(a, b)


class _InterruptedLoss(MeanSquaredError):
    """Raises KeyboardInterrupt in the forward pass of step ``at`` (1-based)."""

    def __init__(self, at):
        super().__init__()
        self.at, self.calls = at, 0

    def __call__(self, y_true, y_pred):
        self.calls += 1
        if self.calls == self.at:
            raise KeyboardInterrupt
        return super().__call__(y_true, y_pred)


@pytest.mark.parametrize("at", [2, 4, 8])
def test_a_step_interrupted_midway_leaves_the_last_whole_gradient(at):
    """The model's gradient after an interrupted fit is that of the last step that finished,
    with or without a callback reading the weights between steps."""
    x = _data(70, 6, seed=1, dtype=np.float32)
    runs = []
    for callbacks in ([], _weights_each_step([])):
        model = rb.Sequential([Input(shape=(6,)), Dense(9, activation="relu"), Dense(2)],
                              seed=5)
        model.compile(Adam(0.01), _InterruptedLoss(at))
        with pytest.raises(KeyboardInterrupt):
            model.fit(x, x[:, :2], batch_size=16, epochs=2, verbose=0, shuffle=False,
                      callbacks=callbacks(model) if callable(callbacks) else callbacks)
        runs.append(model.flat_parameters()[1].copy())
    assert np.abs(runs[1]).max() > 0
    np.testing.assert_array_equal(runs[0], runs[1])
