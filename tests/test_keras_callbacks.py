"""ReduceLROnPlateau, CSVLogger and BackupAndRestore: Keras' rules step by step, the file they
write, and a killed run that resumes to the weights of an uninterrupted one; ModelCheckpoint's
save_freq and the verbose messages; Keras' older batch hooks on_batch_begin / on_batch_end."""

import csv

import numpy as np
import pytest
from rosenblatt.callbacks import (
    BackupAndRestore,
    Callback,
    CSVLogger,
    EarlyStopping,
    LambdaCallback,
    ModelCheckpoint,
    ReduceLROnPlateau,
)
from rosenblatt.layers import BatchNormalization, Dense, Dropout, GaussianNoise

from rosenblatt.models import Sequential, load_model

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


# --------------------------------------------------------------------------- ModelCheckpoint
def _plain_model():
    model = Sequential([Dense(4, activation="tanh", input_dim=3), Dense(1)], seed=1)
    model.compile("sgd", "mse")
    return model


def test_save_freq_saves_every_k_steps_counted_across_epochs(tmp_path):
    model = _plain_model()
    steps = []
    recorder = LambdaCallback(on_train_batch_end=lambda b, logs: steps.append(
        (model.get_weights(), logs["loss"])))
    checkpoint = ModelCheckpoint(tmp_path / "ckpt-{epoch}-{batch}-loss={loss:.4f}.npz",
                                 save_freq=2)
    model.fit(X, Y, batch_size=32, epochs=2, shuffle=False, verbose=0,
              callbacks=[recorder, checkpoint])  # 3 steps an epoch: saves after steps 2, 4, 6
    expected = {2: (1, 2), 4: (2, 1), 6: (2, 3)}
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names == sorted(f"ckpt-{e}-{b}-loss={steps[k - 1][1]:.4f}.npz"
                           for k, (e, b) in expected.items())
    for k, (epoch, batch) in expected.items():
        saved = load_model(tmp_path / f"ckpt-{epoch}-{batch}-loss={steps[k - 1][1]:.4f}.npz")
        for got, want in zip(saved.get_weights(), steps[k - 1][0], strict=True):
            np.testing.assert_array_equal(got, want)


def test_save_best_only_between_epochs_keeps_the_step_of_the_lowest_logged_loss(tmp_path,
                                                                                capsys):
    model = _plain_model()
    steps = []
    recorder = LambdaCallback(on_train_batch_end=lambda b, logs: steps.append(
        (model.get_weights(), logs["loss"])))
    checkpoint = ModelCheckpoint(tmp_path / "best.npz", monitor="loss", save_best_only=True,
                                 save_freq=1, verbose=1)
    model.fit(X, Y, batch_size=32, epochs=2, verbose=0, callbacks=[recorder, checkpoint])
    losses = [loss for _, loss in steps]
    best = int(np.argmin(losses))
    assert checkpoint.best == losses[best]
    for got, want in zip(load_model(tmp_path / "best.npz").get_weights(), steps[best][0],
                         strict=True):
        np.testing.assert_array_equal(got, want)
    printed = capsys.readouterr().out.splitlines()
    assert printed[0] == (f"Epoch 1: loss improved from inf to {losses[0]:.5f}, saving model "
                          f"to {tmp_path / 'best.npz'}")
    improved = [i for i in range(1, 6) if losses[i] < min(losses[:i])]
    assert [i for i, line in enumerate(printed) if " improved from " in line][1:] == improved
    assert len(printed) == 6


def test_verbose_messages_of_checkpoints_and_early_stopping(tmp_path, capsys):
    model = _plain_model()
    model.fit(X, Y, epochs=2, verbose=0,
              callbacks=[ModelCheckpoint(tmp_path / "m{epoch}.npz", verbose=1)])
    path = tmp_path / "m2.npz"
    assert capsys.readouterr().out.splitlines()[-1] == f"Epoch 2: saving model to {path}"

    class Worse(Callback):
        def on_epoch_end(self, epoch, logs=None):
            logs["loss"] = float(epoch)  # grows every epoch: no improvement after the first

    model.fit(X, Y, epochs=10, verbose=0,
              callbacks=[Worse(), EarlyStopping(monitor="loss", patience=2, verbose=1)])
    assert capsys.readouterr().out == ("Epoch 3: early stopping (loss did not improve on 0 for "
                                       "2 epochs)\n")
    model.fit(X, Y, epochs=10, verbose=0,
              callbacks=[Worse(), EarlyStopping(monitor="loss", patience=2)])
    assert capsys.readouterr().out == ""


@pytest.mark.parametrize("make, error, match", [
    (lambda: ModelCheckpoint("m.npz", save_freq=0), ValueError,
     "save_freq: expected 'epoch' or an integer number of batches >= 1, got 0"),
    (lambda: ModelCheckpoint("m.npz", save_freq="batch"), ValueError,
     "save_freq: expected 'epoch' or an integer number of batches >= 1, got 'batch'"),
    (lambda: ModelCheckpoint("m.npz", save_freq=True), ValueError, "save_freq: expected"),
    (lambda: ModelCheckpoint("m.npz", save_freq=2.5), ValueError, "save_freq: expected"),
    (lambda: ModelCheckpoint("m.npz", save_best_only=True, save_freq=10), ValueError,
     "monitor: 'val_loss' is only in the epoch logs, and save_freq=10 saves between epochs"),
    (lambda: ModelCheckpoint("m.npz", verbose=2), ValueError,
     "verbose: expected one of 0, 1, got 2"),
    (lambda: EarlyStopping(verbose="yes"), ValueError, "verbose: expected one of 0, 1, got 'yes'"),
    (lambda: LambdaCallback(on_batch_end=print, on_train_batch_end=print), ValueError,
     "LambdaCallback: on_batch_end and on_train_batch_end name the same hook"),
    (lambda: LambdaCallback(on_step_end=print), ValueError,
     "LambdaCallback: unknown hook 'on_step_end'; valid: .*on_batch_end"),
])
def test_bad_arguments_name_the_argument(make, error, match):
    with pytest.raises(error, match=match):
        make()


# --------------------------------------------------------------------------- older batch hooks
def test_on_batch_begin_and_end_are_called_at_every_training_step():
    class LossHistory(Callback):
        def on_train_begin(self, logs):
            self.begun, self.losses = [], []

        def on_batch_begin(self, batch, logs):
            self.begun.append(batch)

        def on_batch_end(self, batch, logs):
            self.losses.append(logs.get("loss"))

    class Newer(LossHistory):
        def on_train_batch_end(self, batch, logs=None):  # the newer name wins, as in Keras
            self.losses.append("newer")

    seen = []
    history, newer = LossHistory(), Newer()
    run = _plain_model().fit(X, Y, batch_size=32, epochs=2, verbose=0, callbacks=[
        history, newer, LambdaCallback(on_batch_end=lambda b, logs: seen.append(b))])
    assert history.begun == [0, 1, 2, 0, 1, 2] and seen == [0, 1, 2, 0, 1, 2]
    assert history.losses[2] == pytest.approx(run.history["loss"][0], rel=1e-6)
    assert history.losses[5] == pytest.approx(run.history["loss"][1], rel=1e-6)
    assert newer.losses == ["newer"] * 6
