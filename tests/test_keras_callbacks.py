"""ReduceLROnPlateau, CSVLogger and BackupAndRestore: Keras' rules step by step, the file they
write, and a killed run that resumes to the weights of an uninterrupted one."""

import csv

import numpy as np
import pytest
from rosenblatt.callbacks import (
    BackupAndRestore,
    Callback,
    CSVLogger,
    LambdaCallback,
    ReduceLROnPlateau,
)
from rosenblatt.layers import BatchNormalization, Dense, Dropout, GaussianNoise

from rosenblatt.models import Sequential

RNG = np.random.default_rng(0)
X = RNG.normal(size=(96, 3))
Y = X @ np.array([[1.0], [-2.0], [0.5]]) + 0.1


def _model(optimizer="adam", seed=0):
    model = Sequential([Dense(8, activation="relu", input_dim=3), BatchNormalization(),
                        Dropout(0.2), GaussianNoise(0.05, seed=3), Dense(1)], seed=seed)
    model.compile(optimizer, "mse")
    return model


class _FeedLosses(Callback):
    """Replaces the monitored value of each epoch with a scripted one."""

    def __init__(self, values):
        super().__init__()
        self.values = values

    def on_epoch_end(self, epoch, logs=None):
        logs["loss"] = self.values[epoch]


def test_reduce_lr_on_plateau_follows_keras_rule_with_cooldown_and_floor():
    model = _model("sgd")
    losses = [1.0, 0.5, 0.6, 0.6, 0.7, 0.4, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5]
    plateau = ReduceLROnPlateau(monitor="loss", factor=0.5, patience=2, cooldown=1,
                                min_lr=0.002, min_delta=0.0)
    history = model.fit(X, Y, epochs=12, verbose=0,
                        callbacks=[_FeedLosses(losses), plateau])
    # epochs 2, 3 do not improve: halve after epoch 3; epoch 4 ends the cooldown and waits;
    # 5 improves; 6, 7 do not: halve; 8, 9 do not: halve, held at min_lr
    assert history.history["learning_rate"] == pytest.approx(
        [0.01, 0.01, 0.01, 0.01, 0.005, 0.005, 0.005, 0.005, 0.0025, 0.0025, 0.002, 0.002])
    assert model.optimizer.learning_rate == pytest.approx(0.002)


def test_reduce_lr_on_plateau_refuses_bad_arguments_and_unlogged_monitors():
    for kwargs, error, match in [({"factor": 1.0}, ValueError, "factor"),
                                 ({"factor": -0.5}, ValueError, "factor"),
                                 ({"patience": -1}, ValueError, "patience"),
                                 ({"cooldown": 1.5}, ValueError, "cooldown"),
                                 ({"min_lr": -1}, ValueError, "min_lr"),
                                 ({"mode": "up"}, ValueError, "mode"),
                                 ({"monitor": 3}, TypeError, "monitor")]:
        with pytest.raises(error, match=match):
            ReduceLROnPlateau(**kwargs)
    model = _model()
    before = model.get_weights()
    with pytest.raises(ValueError, match="monitor: 'val_auc'"):
        model.fit(X, Y, epochs=2, verbose=0, callbacks=[ReduceLROnPlateau("val_auc")])
    for a, b in zip(before, model.get_weights(), strict=True):
        np.testing.assert_array_equal(a, b)


def test_csv_logger_writes_sorted_columns_and_appends(tmp_path):
    path = tmp_path / "log.csv"
    model = _model()
    model.compile("adam", "mse", metrics=["mae"])
    history = model.fit(X, Y, epochs=3, verbose=0, validation_split=0.25,
                        callbacks=[CSVLogger(path)])
    rows = list(csv.reader(path.open()))
    assert rows[0] == ["epoch", "loss", "mae", "val_loss", "val_mae"]
    assert [int(r[0]) for r in rows[1:]] == [0, 1, 2]
    np.testing.assert_allclose([float(r[1]) for r in rows[1:]], history.history["loss"])
    model.fit(X, Y, epochs=2, verbose=0, validation_split=0.25,
              callbacks=[CSVLogger(path, separator=";", append=True)])
    lines = path.read_text().splitlines()
    assert len(lines) == 6 and lines[4].startswith("0;")


def test_csv_logger_refuses_bad_arguments():
    with pytest.raises(TypeError, match="filename"):
        CSVLogger(3)
    with pytest.raises(ValueError, match="separator"):
        CSVLogger("log.csv", separator=", ")
    with pytest.raises(TypeError, match="append"):
        CSVLogger("log.csv", append="yes")


class _Killed(Exception):
    pass


def _kill_at(epoch):
    def hook(e, logs):
        if e == epoch:
            raise _Killed

    return LambdaCallback(on_epoch_end=hook)


def test_a_killed_run_resumes_to_the_weights_of_an_uninterrupted_run(tmp_path):
    straight = _model()
    straight.fit(X, Y, epochs=6, batch_size=16, verbose=0)

    backup = tmp_path / "backup"
    first = _model()
    with pytest.raises(_Killed):  # killed in epoch 4 (index 3), after epoch 3's backup
        first.fit(X, Y, epochs=6, batch_size=16, verbose=0,
                  callbacks=[_kill_at(3), BackupAndRestore(backup)])
    assert (backup / "state.npz").exists()

    second = _model(seed=99)  # a new process: other initial weights and generator
    history = second.fit(X, Y, epochs=6, batch_size=16, verbose=0,
                         callbacks=[BackupAndRestore(backup)])
    assert history.epoch == [3, 4, 5]
    for a, b in zip(straight.get_weights(), second.get_weights(), strict=True):
        np.testing.assert_array_equal(a, b)
    assert not backup.exists()  # deleted once the run completed


def test_backup_of_another_model_is_refused(tmp_path):
    backup = tmp_path / "b"
    model = _model()
    with pytest.raises(_Killed):
        model.fit(X, Y, epochs=3, verbose=0, callbacks=[_kill_at(1), BackupAndRestore(backup)])
    other = Sequential([Dense(1, input_dim=3)], seed=0)
    other.compile("adam", "mse")
    with pytest.raises(ValueError, match="backup_dir: the backup .* is of another model"):
        other.fit(X, Y, epochs=3, verbose=0, callbacks=[BackupAndRestore(backup)])
    same_generators = Sequential([Dense(2, input_dim=3), GaussianNoise(0.1, seed=1), Dense(1)],
                                 seed=0)
    same_generators.compile("adam", "mse")
    before = same_generators.get_weights()
    with pytest.raises(ValueError, match="backup_dir: the backup"):
        same_generators.fit(X, Y, epochs=3, verbose=0, callbacks=[BackupAndRestore(backup)])
    for a, b in zip(before, same_generators.get_weights(), strict=True):
        np.testing.assert_array_equal(a, b)
    assert same_generators.optimizer.iterations == 0
    with pytest.raises(TypeError, match="backup_dir"):
        BackupAndRestore(None)
    with pytest.raises(TypeError, match="delete_checkpoint"):
        BackupAndRestore(backup, delete_checkpoint=1)
