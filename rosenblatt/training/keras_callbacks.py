"""Keras' ReduceLROnPlateau, CSVLogger and BackupAndRestore.

- :class:`ReduceLROnPlateau`: multiply the learning rate by ``factor`` when a monitored value
  has not improved for ``patience`` epochs;
- :class:`CSVLogger`: one row of the epoch logs per epoch in a CSV file;
- :class:`BackupAndRestore`: keep the state of a run in a directory after every epoch, so that
  a run that was killed resumes where it was, bit for bit, when fit is called again.
"""

from __future__ import annotations

import csv
import json
import os

import numpy as np

from rosenblatt.base.checks import (
    check_bool,
    check_choice,
    check_positive,
    check_weights,
    describe,
)
from rosenblatt.training.callback_base import (
    Callback,
    _better,
    _check_logged,
    _check_monitor,
    _mode_for,
    _monitored,
)


class ReduceLROnPlateau(Callback):
    """Reduce the learning rate when ``monitor`` stops improving (Keras' rule).

    At each epoch's end: an improvement (by more than ``min_delta``) resets the wait; otherwise,
    outside a cooldown, the wait grows, and when it reaches ``patience``::

        eta <- max(eta * factor, min_lr)        (if eta > min_lr)

    then ``cooldown`` epochs pass before the wait counts again. The epoch logs get the
    ``learning_rate`` used in the epoch. A learning-rate schedule is replaced by the number.

    Args: monitor ('val_loss'), factor (in (0, 1), 0.1), patience (10), verbose (0 or 1),
    mode ('auto', 'min', 'max'), min_delta (1e-4), cooldown (0), min_lr (0).
    """

    adds_logs = ("learning_rate",)

    def __init__(self, monitor="val_loss", factor=0.1, patience=10, verbose=0, mode="auto",
                 min_delta=1e-4, cooldown=0, min_lr=0.0):
        super().__init__()
        self.monitor = _check_monitor(monitor)
        check_positive(factor, "factor")
        if factor >= 1:
            raise ValueError(f"factor: expected a number in (0, 1) (the learning rate is "
                             f"multiplied by it), got {factor!r}")
        self.factor = float(factor)
        self.patience = int(check_positive(patience, "patience", allow_zero=True, integer=True))
        self.verbose = check_choice(verbose, "verbose", (0, 1))
        self.mode = _mode_for(monitor, check_choice(mode, "mode", ("auto", "min", "max")))
        self.min_delta = float(check_positive(min_delta, "min_delta", allow_zero=True))
        self.cooldown = int(check_positive(cooldown, "cooldown", allow_zero=True, integer=True))
        self.min_lr = float(check_positive(min_lr, "min_lr", allow_zero=True))

    def on_train_begin(self, logs=None):
        _check_logged(self)
        self.wait, self.cooldown_counter, self.best = 0, 0, None

    def on_epoch_end(self, epoch, logs=None):
        optimizer = self.model.optimizer
        eta = float(optimizer.current_learning_rate)
        logs["learning_rate"] = eta
        value = _monitored(logs, self.monitor)
        if self.cooldown_counter > 0:
            self.cooldown_counter -= 1
            self.wait = 0
        if self.best is None or _better(self.mode, value, self.best, self.min_delta):
            self.best, self.wait = value, 0
        elif self.cooldown_counter == 0:
            self.wait += 1
            if self.wait >= self.patience and eta > self.min_lr:
                optimizer.learning_rate = max(eta * self.factor, self.min_lr)
                self.cooldown_counter, self.wait = self.cooldown, 0
                if self.verbose:
                    print(f"Epoch {epoch + 1}: ReduceLROnPlateau reducing learning rate to "
                          f"{optimizer.learning_rate:.6g}.")


class CSVLogger(Callback):
    """Write the epoch logs to a CSV file: a header ``epoch,<names...>`` (names sorted, as
    Keras), then one row per epoch. A value with one number per class or threshold
    (``F1Score(average=None)``) is one field ``[0.5, 0.75]``, as Keras writes it (without the
    quotation marks Keras adds inside the field): ``json.loads`` reads it back.

    Args: filename (a str or path), separator (one character, ','), append (add rows to an
    existing file, with no second header).
    """

    def __init__(self, filename, separator=",", append=False):
        super().__init__()
        if not isinstance(filename, (str, os.PathLike)):
            raise TypeError(f"filename: expected a str or a path, got {describe(filename)}")
        if not isinstance(separator, str) or len(separator) != 1:
            raise ValueError(f"separator: expected one character, got {separator!r}")
        self.filename, self.separator = os.fspath(filename), separator
        self.append = check_bool(append, "append")
        self.keys = None

    def on_train_begin(self, logs=None):
        existing = self.append and os.path.exists(self.filename)
        self._header = not (existing and os.path.getsize(self.filename) > 0)
        self._file = open(self.filename, "a" if self.append else "w", newline="")  # noqa: SIM115
        self._writer = csv.writer(self._file, delimiter=self.separator)
        self.keys = None

    def on_epoch_end(self, epoch, logs=None):
        logs = {k: v for k, v in (logs or {}).items() if k != "time"}
        if self.keys is None:
            self.keys = sorted(logs)
            if self._header:
                self._writer.writerow(["epoch", *self.keys])
        self._writer.writerow([epoch, *(_field(logs.get(k, "NA")) for k in self.keys)])
        self._file.flush()

    def on_train_end(self, logs=None):
        self._file.close()


def _field(value):
    """A CSV field: a vector as '[0.5, 0.75]' (shortest round-trip digits), else as it is."""
    if isinstance(value, np.ndarray) and value.ndim > 0:
        return "[" + ", ".join(repr(float(v)) for v in value.ravel()) + "]"
    return value


class BackupAndRestore(Callback):
    """Back up a run after every epoch; a later fit with the same ``backup_dir`` resumes it.

    The backup (``backup_dir/state.npz``, no pickle, replaced atomically) holds the weights
    (moving statistics too), the optimizer's state, the model's generator and the layers' own
    ones, and the number of epochs done. When fit starts and a backup exists, it is restored and
    fit goes on from the next epoch, so a run that was killed ends with the weights an
    uninterrupted run gives. At the end of a run that completed, the backup is deleted, and the
    directory if that leaves it empty (``delete_checkpoint=True``, Keras' default).

    Args: backup_dir (a str or path), delete_checkpoint (bool).
    """

    FILE = "state.npz"

    def __init__(self, backup_dir, delete_checkpoint=True):
        super().__init__()
        if not isinstance(backup_dir, (str, os.PathLike)):
            raise TypeError(f"backup_dir: expected a str or a path, got {describe(backup_dir)}")
        self.backup_dir = os.fspath(backup_dir)
        self.delete_checkpoint = check_bool(delete_checkpoint, "delete_checkpoint")

    @property
    def path(self) -> str:
        return os.path.join(self.backup_dir, self.FILE)

    def _generators(self) -> list[np.random.Generator]:
        layers = [getattr(layer, "_rng", None) for layer in self.model.layers]
        return [self.model._rng, *(g for g in layers if g is not None)]

    def on_train_begin(self, logs=None):
        self.resume_epoch = None
        if not os.path.exists(self.path):
            return
        with np.load(self.path, allow_pickle=False) as archive:
            meta = json.loads(str(archive["meta"]))
            weights = [archive[f"weight/{i}"] for i in range(meta["weights"])]
            state = {k[len("optimizer/"):]: archive[k] for k in archive.files
                     if k.startswith("optimizer/")}
        generators = self._generators()
        if len(meta["generators"]) != len(generators):
            raise ValueError(f"backup_dir: the backup in {self.backup_dir!r} is of another "
                             f"model ({len(meta['generators'])} generators, this one has "
                             f"{len(generators)}); delete it or choose another directory")
        owner = f"backup_dir: the backup in {self.backup_dir!r}"
        weights = check_weights(weights, self.model.weights, owner, "weight arrays")
        self.model.optimizer.set_state(state)  # checked first: a refusal changes nothing
        self.model.set_weights(weights)
        for generator, saved in zip(generators, meta["generators"], strict=True):
            generator.bit_generator.state = saved
        self.resume_epoch = meta["epoch"]

    def on_epoch_end(self, epoch, logs=None):
        os.makedirs(self.backup_dir, exist_ok=True)
        weights = self.model.get_weights()
        meta = {"epoch": epoch + 1, "weights": len(weights),
                "generators": [g.bit_generator.state for g in self._generators()]}
        arrays = {f"weight/{i}": w for i, w in enumerate(weights)}
        arrays.update({f"optimizer/{k}": v for k, v in self.model.optimizer.get_state().items()})
        partial = self.path + ".partial.npz"
        np.savez(partial, meta=np.array(json.dumps(meta)), **arrays)
        os.replace(partial, self.path)

    def on_train_end(self, logs=None):
        if self.delete_checkpoint and os.path.exists(self.path):
            os.remove(self.path)
            if not os.listdir(self.backup_dir):
                os.rmdir(self.backup_dir)

