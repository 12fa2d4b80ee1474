"""Callbacks: Keras' hooks and the notes' stopping rules (lectures 002, 003; L17, L26)."""

from itertools import pairwise

import numpy as np
import pytest
from rosenblatt.layers import Dense
from rosenblatt.optimizers import SGD

import rosenblatt as rb
from rosenblatt import callbacks as cb


def _linear_data(n=40, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, 2))
    return X, X @ np.array([1.5, -2.0]) + 0.5 + 0.1 * rng.normal(size=n)


def _linear_model(lr=0.05, seed=0):
    model = rb.Sequential([Dense(1, input_dim=2, dtype="float64")], seed=seed)
    model.compile(SGD(learning_rate=lr), "mse")
    return model


def _mse(model, X, y):
    W, b = model.get_weights()
    return float(np.mean((X @ W + b - y[:, None]) ** 2))


def _weights_log(model, when="on_epoch_end"):
    """A LambdaCallback that keeps a copy of the weights at each ``when`` hook."""
    log = []
    return log, cb.LambdaCallback(**{when: lambda i, logs: log.append(model.get_weights())})


# --------------------------------------------------------------------------- hooks
def test_custom_callback_sees_keras_hooks_in_order():
    calls = []

    class Recorder(cb.Callback):
        def on_train_begin(self, logs=None):
            calls.append("on_train_begin")
            assert self.params["epochs"] == 2 and self.params["steps"] == 2

        def on_epoch_begin(self, epoch, logs=None):
            calls.append(f"on_epoch_begin {epoch}")

        def on_train_batch_begin(self, batch, logs=None):
            calls.append(f"on_train_batch_begin {batch}")

        def on_train_batch_end(self, batch, logs=None):
            calls.append(f"on_train_batch_end {batch}")
            assert set(logs) >= {"loss", "batch_loss"}

        def on_epoch_end(self, epoch, logs=None):
            calls.append(f"on_epoch_end {epoch}")
            assert "loss" in logs and "val_loss" in logs

        def on_train_end(self, logs=None):
            calls.append("on_train_end")

    X, y = _linear_data(n=5)
    model = _linear_model()
    recorder = Recorder()
    model.fit(
        X[:4],
        y[:4],
        epochs=2,
        batch_size=2,
        validation_data=(X, y),
        verbose=0,
        callbacks=[recorder],
    )
    epoch = [
        "on_train_batch_begin 0",
        "on_train_batch_end 0",
        "on_train_batch_begin 1",
        "on_train_batch_end 1",
    ]
    assert calls == [
        "on_train_begin",
        "on_epoch_begin 0",
        *epoch,
        "on_epoch_end 0",
        "on_epoch_begin 1",
        *epoch,
        "on_epoch_end 1",
        "on_train_end",
    ]
    assert recorder.model is model


def test_lambda_callback_hooks_run_with_keras_arguments():
    seen = []
    hooks = cb.LambdaCallback(
        on_train_begin=lambda logs: seen.append(("train_begin", logs)),
        on_epoch_begin=lambda epoch, logs: seen.append(("epoch_begin", epoch)),
        on_train_batch_end=lambda batch, logs: seen.append(("batch_end", batch)),
        on_epoch_end=lambda epoch, logs: seen.append(("epoch_end", epoch, round(logs["loss"], 9))),
        on_train_end=lambda logs: seen.append(("train_end", logs)),
    )
    X, y = _linear_data(n=6)
    model = _linear_model()
    history = model.fit(X, y, epochs=2, batch_size=3, verbose=0, callbacks=[hooks])
    losses = [round(v, 9) for v in history.history["loss"]]
    assert seen == [
        ("train_begin", {}),
        ("epoch_begin", 0),
        ("batch_end", 0),
        ("batch_end", 1),
        ("epoch_end", 0, losses[0]),
        ("epoch_begin", 1),
        ("batch_end", 0),
        ("batch_end", 1),
        ("epoch_end", 1, losses[1]),
        ("train_end", {}),
    ]


def test_callback_list_calls_only_overridden_hooks_in_order():
    calls = []

    class Mine(cb.Callback):
        def on_train_batch_end(self, batch, logs=None):
            calls.append(("mine", batch, logs))

    lam = cb.LambdaCallback(on_train_batch_end=lambda batch, logs: calls.append(("lam", batch)))
    hooks = cb.CallbackList([Mine(), lam, cb.Callback()], model=None, params={})
    hooks.on_train_batch_end(3, {"loss": 1.0})
    hooks.on_train_batch_end(4)  # no logs: an empty dict, as in Keras
    assert calls == [("mine", 3, {"loss": 1.0}), ("lam", 3), ("mine", 4, {}), ("lam", 4)]
    with pytest.raises(AttributeError):
        hooks.on_batch_end  # noqa: B018 (not a hook of this API)


def test_lambda_callback_unknown_hook():
    with pytest.raises(ValueError, match="LambdaCallback: unknown hook 'on_epoch_ends'; valid:"):
        cb.LambdaCallback(on_epoch_ends=print)


def test_epoch_loss_is_the_sample_weighted_mean_of_the_batch_losses():
    batch_losses = []
    X, y = _linear_data(n=7)
    model = _linear_model()
    history = model.fit(
        X,
        y,
        epochs=1,
        batch_size=3,
        shuffle=False,
        verbose=0,
        callbacks=[
            cb.LambdaCallback(
                on_train_batch_end=lambda b, logs: batch_losses.append(logs["batch_loss"])
            )
        ],
    )
    assert len(batch_losses) == 3  # batches of 3, 3 and 1
    expected = (3 * batch_losses[0] + 3 * batch_losses[1] + batch_losses[2]) / 7
    assert history.history["loss"][0] == pytest.approx(expected, rel=1e-12)


# --------------------------------------------------------------------------- TargetReached
def test_L17_target_reached_stops_at_the_first_epoch_below_the_target():
    X, y = _linear_data()
    model = _linear_model()
    target = cb.TargetReached(monitor="val_loss", target=0.05)
    history = model.fit(
        X, y, epochs=300, batch_size=None, validation_data=(X, y), verbose=0, callbacks=[target]
    )
    val = history.history["val_loss"]
    assert len(val) < 300
    assert val[-1] < 0.05 <= val[-2]  # not before: the previous epoch was still above
    assert val[-1] == pytest.approx(_mse(model, X, y), rel=1e-10)
    assert target.reached_epoch == len(val) - 1
    assert history.stop_reason == (
        f"target reached: val_loss = {val[-1]:.6g} < 0.05 at epoch {len(val)}"
    )


def test_target_reached_in_max_mode():
    rng = np.random.default_rng(1)
    x = rng.normal(size=(60, 2))
    y = (x[:, 0] + x[:, 1] > 0).astype(int)
    model = rb.Sequential([Dense(1, activation="sigmoid", input_dim=2)], seed=0)
    model.compile(SGD(0.05), "binary_crossentropy", metrics=["accuracy"])
    history = model.fit(
        x,
        y,
        epochs=200,
        batch_size=None,
        verbose=0,
        callbacks=[cb.TargetReached("accuracy", target=0.95, mode="max")],
    )
    acc = history.history["accuracy"]
    assert acc[-1] > 0.95 >= max(acc[:-1])
    assert history.stop_reason.startswith("target reached: accuracy = ")


def test_monitoring_a_missing_value_names_the_available_ones():
    X, y = _linear_data(n=6)
    with pytest.raises(
        ValueError,
        match=r"monitor: 'val_loss' is not in the logs; available: "
        r"loss.* \(give validation_data or validation_split",
    ):
        _linear_model().fit(X, y, verbose=0, callbacks=[cb.TargetReached()])


# --------------------------------------------------------------------------- GradientTolerance
def test_gradient_tolerance_stops_when_the_gradient_norm_is_small():
    """Lecture 002's algorithm: stop if ||grad f(x_k)|| <= eps (batch GD: the exact gradient)."""
    X, y = _linear_data()
    model = _linear_model()
    before, recorder = _weights_log(model, "on_train_batch_begin")
    rule = cb.GradientTolerance(epsilon=1e-2)
    history = model.fit(X, y, epochs=2000, batch_size=None, verbose=0, callbacks=[recorder, rule])
    assert 1 < len(rule.norms) < 2000
    # ||grad|| of the mean squared error, by hand, at the weights each step started from
    A = np.column_stack([X, np.ones(len(X))])
    norms = []
    for W, b in before:
        e = X @ W[:, 0] + b[0] - y
        norms.append(np.linalg.norm(2 * A.T @ e / len(X)))
    np.testing.assert_allclose(rule.norms, norms, rtol=1e-10)
    assert norms[-1] <= 1e-2 < norms[-2]
    assert history.history["grad_norm"][-1] == rule.norms[-1]
    assert history.stop_reason == (
        f"gradient tolerance: ||grad|| = {norms[-1]:.3g} <= 0.01 (step {len(norms)})"
    )


# --------------------------------------------------------------------------- ForgettingRate
def test_L26_forgetting_rate_reports_Q_and_stops_when_it_converges():
    """Lecture 003: Q = lambda eps + (1 - lambda) Q after each mini-batch with loss eps."""
    X, y = _linear_data()
    model = _linear_model()
    q0 = _mse(model, X, y)  # Q starts as the mean loss over the training set
    steps = []
    rule = cb.ForgettingRate(forgetting_rate=0.2, tol=1e-3, patience=4)
    after = cb.LambdaCallback(
        on_train_batch_end=lambda b, logs: steps.append((logs["batch_loss"], logs["Q"]))
    )
    history = model.fit(X, y, epochs=100, batch_size=8, verbose=0, callbacks=[rule, after])
    Q, expected = q0, [q0]
    for eps, _ in steps:
        Q = 0.2 * eps + 0.8 * Q
        expected.append(Q)
    np.testing.assert_allclose(rule.values, expected, rtol=1e-12)
    np.testing.assert_allclose([q for _, q in steps], expected[1:], rtol=1e-12)
    # per epoch: history['Q'] is Q after the epoch's last step (5 steps per epoch)
    epochs = len(history.history["loss"])
    assert len(history.history["Q"]) == epochs < 100
    np.testing.assert_allclose(history.history["Q"], expected[5::5][: epochs - 1] + [Q])
    # it stopped at the first step ending `patience` calm steps in a row
    calm = [abs(b - a) < 1e-3 * (1 + abs(b)) for a, b in pairwise(expected)]
    assert calm[-4:] == [True] * 4
    assert not any(all(calm[i - 3 : i + 1]) for i in range(3, len(calm) - 1))
    assert history.stop_reason == (
        f"forgetting-rate estimate converged: Q = {Q:.6g} changed by less than 0.001 for 4 steps"
    )


def test_forgetting_rate_without_stopping_only_reports():
    X, y = _linear_data(n=16)
    rule = cb.ForgettingRate(forgetting_rate=0.5, tol=1.0, patience=1, stop=False)
    history = _linear_model().fit(X, y, epochs=3, batch_size=8, verbose=0, callbacks=[rule])
    assert history.stop_reason is None and len(history.history["Q"]) == 3
    assert len(rule.values) == 1 + 3 * 2


@pytest.mark.parametrize(
    "kwargs, match",
    [
        ({"forgetting_rate": 0.0}, "forgetting_rate: expected a number > 0, got 0.0"),
        ({"forgetting_rate": 1.5}, r"forgetting_rate: expected a number in \[0.0, 1.0\], got 1.5"),
        ({"tol": 0}, "tol: expected a number > 0, got 0"),
        ({"patience": 0}, "patience: expected an? integer > 0, got 0"),
    ],
)
def test_forgetting_rate_bad_arguments(kwargs, match):
    with pytest.raises(ValueError, match=match):
        cb.ForgettingRate(**kwargs)


# --------------------------------------------------------------------------- EarlyStopping
def _overshooting_run(callbacks, epochs=60):
    """Training pulls w from 0 towards 2 while the validation data want w = 1: val_loss
    falls, then rises, with its minimum at the epoch where w is closest to 1."""
    rng = np.random.default_rng(2)
    x = rng.normal(size=(30, 1))
    model = rb.Sequential(
        [Dense(1, use_bias=False, kernel_initializer="zeros", input_dim=1, dtype="float64")], seed=0
    )
    model.compile(SGD(0.05), "mse")
    weights, recorder = _weights_log(model)
    history = model.fit(
        x,
        2 * x[:, 0],
        epochs=epochs,
        batch_size=None,
        verbose=0,
        validation_data=(x, x[:, 0]),
        callbacks=[recorder, *callbacks],
    )
    return model, history, [w[0][0, 0] for w in weights]


@pytest.mark.parametrize("patience", [0, 1, 3])
def test_early_stopping_waits_patience_epochs_and_restores_the_best(patience):
    stop = cb.EarlyStopping(monitor="val_loss", patience=patience, restore_best_weights=True)
    model, history, w = _overshooting_run([stop])
    val = history.history["val_loss"]
    best = int(np.argmin(val))
    assert abs(w[best] - 1) == min(abs(v - 1) for v in w)  # the best is where w is nearest 1
    # Keras' rule: stop after `patience` epochs without improvement (at least one)
    assert len(val) == best + 1 + max(patience, 1)
    assert all(v >= val[best] for v in val[best + 1 :])
    assert model.get_weights()[0][0, 0] == w[best] != w[-1]
    assert stop.stopped_epoch == len(val) - 1
    assert history.stop_reason.startswith(
        f"early stopping: val_loss did not improve on {val[best]:.6g}"
    )


def test_early_stopping_without_restore_keeps_the_last_weights():
    model, history, w = _overshooting_run([cb.EarlyStopping(patience=2)])
    assert model.get_weights()[0][0, 0] == w[-1] != w[int(np.argmin(history.history["val_loss"]))]


def _stop_epoch(values, patience, min_delta=0.0, start=0):
    """The documented rule, by hand: the 0-based epoch at which training should stop."""
    best, wait = None, 0
    for epoch, value in enumerate(values):
        if epoch < start:
            continue
        if best is None or value < best - min_delta:
            best, wait = value, 0
            continue
        wait += 1
        if wait >= max(patience, 1):
            return epoch
    return None


@pytest.mark.parametrize(
    "kwargs", [{"min_delta": 0.05}, {"min_delta": 0.002}, {"start_from_epoch": 25}], ids=str
)
def test_early_stopping_min_delta_and_start_from_epoch(kwargs):
    _, full, _ = _overshooting_run([], epochs=40)
    _, stopped, _ = _overshooting_run([cb.EarlyStopping(patience=2, **kwargs)], epochs=40)
    val = full.history["val_loss"]
    expected = _stop_epoch(val, 2, kwargs.get("min_delta", 0.0), kwargs.get("start_from_epoch", 0))
    assert expected is not None and expected != _stop_epoch(val, 2)
    assert stopped.history["val_loss"] == val[: expected + 1]


@pytest.mark.parametrize(
    "kwargs, match",
    [
        ({"patience": -1}, "patience: expected an? integer >= 0, got -1"),
        ({"mode": "up"}, "mode: expected one of 'auto', 'min', 'max', got 'up'"),
    ],
)
def test_early_stopping_bad_arguments(kwargs, match):
    with pytest.raises(ValueError, match=match):
        cb.EarlyStopping(**kwargs)


def test_auto_mode_maximizes_accuracies():
    assert cb.EarlyStopping(monitor="val_accuracy").mode == "max"
    assert cb.EarlyStopping(monitor="val_loss").mode == "min"


# --------------------------------------------------------------------------- TerminateOnNaN
def test_terminate_on_nan_hook_stops_on_an_invalid_loss():
    model = _linear_model()
    rule = cb.TerminateOnNaN()
    rule.set_model(model)
    rule.on_train_batch_end(0, {"batch_loss": 1.0})
    assert not model.stop_training
    rule.on_train_batch_end(4, {"batch_loss": float("nan")})
    assert model.stop_training and model.stop_reason == "invalid loss nan at batch 5"


@pytest.mark.filterwarnings("ignore:overflow:RuntimeWarning")
def test_terminate_on_nan_in_training_keeps_weights_finite():
    X, y = _linear_data(n=10)
    model = rb.Sequential([Dense(1, input_dim=2)], seed=0)
    model.compile(SGD(learning_rate=1e8), "mse")
    history = model.fit(
        100 * X, 100 * y, epochs=5, batch_size=1, verbose=0, callbacks=[cb.TerminateOnNaN()]
    )
    assert model.stop_training and "epoch 1, batch" in history.stop_reason
    assert all(np.isfinite(w).all() for w in model.get_weights())


# --------------------------------------------------------------------------- schedules
def test_learning_rate_scheduler_sets_each_epochs_rate():
    X, y = _linear_data(n=10)
    model = _linear_model(lr=0.3)
    W, b = model.get_weights()
    seen = []

    def schedule(epoch, lr):
        seen.append(lr)
        return 0.1 / (epoch + 1)

    history = model.fit(
        X, y, epochs=3, batch_size=None, verbose=0, callbacks=[cb.LearningRateScheduler(schedule)]
    )
    assert seen == [0.3, 0.1, 0.05]  # each call gets the current rate
    assert history.history["learning_rate"] == [0.1, 0.05, 0.1 / 3]
    assert model.optimizer.learning_rate == pytest.approx(0.1 / 3)
    for lr in (0.1, 0.05, 0.1 / 3):  # batch gradient descent with that epoch's rate
        e = X @ W + b - y[:, None]
        W, b = W - lr * 2 * X.T @ e / len(X), b - lr * 2 * e.mean(axis=0)
    np.testing.assert_allclose(model.get_weights()[0], W, rtol=1e-12)
    np.testing.assert_allclose(model.get_weights()[1], b, rtol=1e-12)


def test_learning_rate_scheduler_bad_schedules(capsys):
    with pytest.raises(TypeError, match=r"schedule: expected a callable \(epoch, lr\) -> lr"):
        cb.LearningRateScheduler(0.1)
    X, y = _linear_data(n=4)
    model = _linear_model()
    with pytest.raises(
        ValueError, match="schedule returned an invalid learning rate -1.0 at epoch 0"
    ):
        model.fit(X, y, verbose=0, callbacks=[cb.LearningRateScheduler(lambda e, lr: -1.0)])
    model.fit(
        X,
        y,
        epochs=1,
        verbose=0,
        callbacks=[cb.LearningRateScheduler(lambda e, lr: 0.2, verbose=1)],
    )
    assert capsys.readouterr().out == "Epoch 1: learning rate 0.2\n"


# --------------------------------------------------------------------------- ModelCheckpoint
def test_model_checkpoint_writes_one_file_per_epoch(tmp_path):
    X, y = _linear_data(n=10)
    model = _linear_model()
    weights, recorder = _weights_log(model)
    path = tmp_path / "ckpt-{epoch:02d}.npz"
    model.fit(X, y, epochs=3, verbose=0, callbacks=[recorder, cb.ModelCheckpoint(path)])
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "ckpt-01.npz",
        "ckpt-02.npz",
        "ckpt-03.npz",
    ]
    for epoch, expected in enumerate(weights, start=1):
        saved = rb.load_model(tmp_path / f"ckpt-{epoch:02d}.npz")
        for got, want in zip(saved.get_weights(), expected, strict=True):
            np.testing.assert_array_equal(got, want)


def test_model_checkpoint_best_only_and_weights_only(tmp_path):
    best_path = tmp_path / "best.npz"
    model, history, w = _overshooting_run(
        [
            cb.ModelCheckpoint(
                best_path, monitor="val_loss", save_best_only=True, save_weights_only=True
            )
        ],
        epochs=30,
    )
    val = history.history["val_loss"]
    fresh = rb.Sequential([Dense(1, use_bias=False, input_dim=1, dtype="float64")])
    fresh.load_weights(best_path)
    assert fresh.get_weights()[0][0, 0] == w[int(np.argmin(val))] != w[-1]


def test_model_checkpoint_names_with_log_values(tmp_path):
    X, y = _linear_data(n=10)
    model = _linear_model()
    history = model.fit(
        X,
        y,
        epochs=2,
        verbose=0,
        callbacks=[
            cb.ModelCheckpoint(tmp_path / "m-{epoch}-{loss:.3f}.npz", save_weights_only=True)
        ],
    )
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names == [f"m-{i + 1}-{v:.3f}.npz" for i, v in enumerate(history.history["loss"])]


def test_callbacks_must_be_callback_objects():
    X, y = _linear_data(n=4)
    with pytest.raises(TypeError, match="callbacks: expected Callback objects, got function"):
        _linear_model().fit(X, y, verbose=0, callbacks=[lambda: None])
