"""Callbacks: code run at the hooks of training, and the notes' stopping rules.

A custom callback subclasses :class:`Callback` and overrides Keras' hooks (``on_epoch_end``
etc.); ``self.model`` is the model being trained. Stopping rules set ``model.stop_training``
and say why in ``model.stop_reason``, which ``History.stop_reason`` keeps:

- :class:`EarlyStopping`: no improvement of a monitored value for ``patience`` epochs;
- :class:`TargetReached`: a monitored value fell below a target (the playground exercise of
  lecture 002: stop when test loss < 0.05);
- :class:`GradientTolerance`: ||grad|| <= epsilon (lecture 002's gradient descent algorithm);
- :class:`ForgettingRate`: Q = lambda eps + (1 - lambda) Q has converged (lecture 003);
- :class:`TerminateOnNaN`: the loss is NaN or inf.
"""

from __future__ import annotations

import math
import numbers
import os

from rosenblatt.base.checks import (
    check_bool,
    check_choice,
    check_in_range,
    check_positive,
    describe,
)
from rosenblatt.training.callback_base import (
    _ALIASES,
    Callback,
    _better,
    _check_logged,
    _check_monitor,
    _mode_for,
    _monitored,
)
from rosenblatt.training.display import history_html
from rosenblatt.training.keras_callbacks import BackupAndRestore, CSVLogger, ReduceLROnPlateau

__all__ = [
    "Callback", "CallbackList", "History", "EarlyStopping", "TargetReached", "GradientTolerance",
    "ForgettingRate", "TerminateOnNaN", "LearningRateScheduler", "ModelCheckpoint",
    "LambdaCallback", "ReduceLROnPlateau", "CSVLogger", "BackupAndRestore",
]


def _overrides(cb, hook: str) -> bool:
    """Whether ``cb`` has its own ``hook``, in its class or on the instance (LambdaCallback)."""
    method = getattr(cb, hook)
    return getattr(method, "__func__", method) is not getattr(Callback, hook)


def _may_add_logs(cb) -> bool:
    """Whether ``cb`` runs a user's code at the end of an epoch or batch (which may add names
    to the logs): a class defined outside this package, or a LambdaCallback with such hooks."""
    hooks = ("on_epoch_end", "on_train_batch_end")
    if isinstance(cb, LambdaCallback):
        return any(hook in vars(cb) for hook in hooks)
    return not type(cb).__module__.startswith("rosenblatt.") and any(
        _overrides(cb, hook) for hook in hooks)


class CallbackList:
    """Calls each callback's hook in order (only the callbacks that override it: the others'
    hooks do nothing, and the batch hooks run at every step)."""

    HOOKS = ("on_train_begin", "on_train_end", "on_epoch_begin", "on_epoch_end",
             "on_train_batch_begin", "on_train_batch_end")

    def __init__(self, callbacks, model, params):
        for cb in callbacks:
            if not isinstance(cb, Callback):
                raise TypeError(f"callbacks: expected Callback objects, got {type(cb).__name__}")
        self.callbacks = list(callbacks)
        names = self._log_names(model)
        for cb in self.callbacks:
            cb.set_model(model)
            cb.set_params(params)
            cb.log_names = names
        for hook in self.HOOKS:
            setattr(self, hook, self._caller(hook))

    def _caller(self, hook):
        methods = [getattr(cb, hook) for cb in self.callbacks if _overrides(cb, hook)]
        arity = 1 if hook in ("on_train_begin", "on_train_end") else 2

        def call(*args):
            if len(args) < arity:  # as in Keras, every hook receives a logs dict
                args = (*args, {})
            for method in methods:
                method(*args)

        return call

    def _log_names(self, model) -> frozenset | None:
        """The names of the epoch logs of a fit of ``model`` with these callbacks: the loss,
        the compiled metrics, the time and what this library's callbacks add; None when that
        is unknown (no compiled model, or a user's callback that may add names)."""
        metrics = getattr(model, "compiled_metrics", None)
        if metrics is None:
            return None
        names = {"loss", "time", *(m.name for m in metrics)}
        for cb in self.callbacks:
            if _may_add_logs(cb):
                return None
            names.update(cb.adds_logs)
        return frozenset(names)

    def set_training_data(self, x, y):
        for cb in self.callbacks:
            cb.training_data = (x, y)

    def start_epoch(self, initial_epoch: int) -> int:
        """The first epoch fit runs: ``initial_epoch``, or the later one a callback resumed
        an earlier run at (:class:`BackupAndRestore`)."""
        resumed = [cb.resume_epoch for cb in self.callbacks if cb.resume_epoch is not None]
        return max([initial_epoch, *resumed])

    def needs_grad_norm(self) -> bool:
        return any(cb.needs_grad_norm for cb in self.callbacks)


class History(Callback):
    """Records the logs of every epoch: ``history`` is a dict of per-epoch lists."""

    def __init__(self):
        super().__init__()
        self.history: dict[str, list] = {}
        self.epoch: list[int] = []
        self.stop_reason = None

    def on_epoch_end(self, epoch, logs=None):
        self.epoch.append(epoch)
        for key, value in (logs or {}).items():
            if key != "time":
                self.history.setdefault(key, []).append(value)

    def _repr_html_(self) -> str:
        """The learning curves, in Jupyter (:mod:`rosenblatt.training.display`)."""
        return history_html(self.history)


class EarlyStopping(Callback):
    """Stop when ``monitor`` has not improved by more than ``min_delta`` for ``patience``
    epochs (at least one); optionally restore the best weights seen (Keras' rule). With
    ``verbose=1`` it prints the epoch at which it stopped."""

    def __init__(self, monitor="val_loss", min_delta=0.0, patience=0, verbose=0, mode="auto",
                 restore_best_weights=False, start_from_epoch=0):
        super().__init__()
        self.monitor = _check_monitor(monitor)
        self.min_delta = float(check_positive(min_delta, "min_delta", allow_zero=True))
        self.patience = int(check_positive(patience, "patience", allow_zero=True, integer=True))
        self.verbose = check_choice(verbose, "verbose", (0, 1))
        self.mode = _mode_for(monitor, check_choice(mode, "mode", ("auto", "min", "max")))
        self.restore_best_weights = check_bool(restore_best_weights, "restore_best_weights")
        self.start_from_epoch = int(check_positive(start_from_epoch, "start_from_epoch",
                                                   allow_zero=True, integer=True))

    def on_train_begin(self, logs=None):
        _check_logged(self)
        self.wait, self.best, self.best_weights, self.stopped_epoch = 0, None, None, None

    def on_epoch_end(self, epoch, logs=None):
        value = _monitored(logs, self.monitor)
        if epoch < self.start_from_epoch:
            return
        if self.best is None or _better(self.mode, value, self.best, self.min_delta):
            self.best, self.wait = value, 0
            if self.restore_best_weights:
                self.best_weights = self.model.get_weights()
            return
        self.wait += 1
        if self.wait >= self.patience:
            self.stopped_epoch = epoch
            if self.restore_best_weights and self.best_weights is not None:
                self.model.set_weights(self.best_weights)
            self.stop(f"early stopping: {self.monitor} did not improve on {self.best:.6g} for "
                      f"{self.wait} epochs (epoch {epoch + 1})")
            if self.verbose:
                print(f"Epoch {epoch + 1}: early stopping ({self.monitor} did not improve on "
                      f"{self.best:.6g} for {self.wait} epochs)")


class TargetReached(Callback):
    """Stop as soon as ``monitor`` falls below ``target`` (or rises above it for 'max').

    The playground exercise of lecture 002: "stop training when test loss < 0.05".
    """

    def __init__(self, monitor="val_loss", target=0.05, mode="min"):
        super().__init__()
        if not isinstance(target, numbers.Real) or isinstance(target, bool) or not math.isfinite(
                target):
            raise ValueError(f"target: expected a finite number, got {target!r}")
        self.monitor, self.target = _check_monitor(monitor), float(target)
        self.mode = check_choice(mode, "mode", ("min", "max"))
        self.reached_epoch = None

    def on_train_begin(self, logs=None):
        _check_logged(self)

    def on_epoch_end(self, epoch, logs=None):
        value = _monitored(logs, self.monitor)
        if (value < self.target) if self.mode == "min" else (value > self.target):
            self.reached_epoch = epoch
            sign = "<" if self.mode == "min" else ">"
            self.stop(f"target reached: {self.monitor} = {value:.6g} {sign} {self.target:g} "
                      f"at epoch {epoch + 1}")


class GradientTolerance(Callback):
    """Stop when ||grad|| <= epsilon (lecture 002: "Stop if ||grad f(x_k)|| <= eps").

    The norm is that of the whole flat gradient of the last step; with batch gradient descent
    it is the exact gradient of the training loss.
    """

    needs_grad_norm = True
    adds_logs = ("grad_norm",)

    def __init__(self, epsilon=1e-3):
        super().__init__()
        self.epsilon = float(check_positive(epsilon, "epsilon"))
        self.norms: list[float] = []

    def on_train_batch_end(self, batch, logs=None):
        norm = logs["grad_norm"]
        self.norms.append(norm)
        if norm <= self.epsilon:
            self.stop(f"gradient tolerance: ||grad|| = {norm:.3g} <= {self.epsilon:g} "
                      f"(step {len(self.norms)})")

    def on_epoch_end(self, epoch, logs=None):
        logs["grad_norm"] = self.norms[-1]


class ForgettingRate(Callback):
    """The functional estimate of lecture 003's mini-batch algorithm, as a stopping rule.

    Q starts as the mean loss over the training set; after each step with batch loss eps,
    Q <- lambda eps + (1 - lambda) Q, with lambda in (0, 1]. Training stops once
    |Q_new - Q_old| < tol (1 + |Q|) for ``patience`` consecutive steps. ``values`` keeps Q
    per step (the batch logs get 'Q' too); the epoch logs, hence the History, get 'Q'.
    """

    adds_logs = ("Q",)

    def __init__(self, forgetting_rate=0.1, tol=1e-4, patience=10, stop=True):
        super().__init__()
        check_positive(forgetting_rate, "forgetting_rate")
        self.rate = float(check_in_range(forgetting_rate, "forgetting_rate", 0.0, 1.0))
        self.tol = float(check_positive(tol, "tol"))
        self.patience = int(check_positive(patience, "patience", integer=True))
        self.stop_when_converged = check_bool(stop, "stop")
        self.values: list[float] = []

    def on_train_begin(self, logs=None):
        x, y = self.training_data
        self.Q = float(self.model.evaluate(x, y))
        self.values, self.calm = [self.Q], 0

    def on_train_batch_end(self, batch, logs=None):
        old = self.Q
        self.Q = self.rate * logs["batch_loss"] + (1 - self.rate) * old
        self.values.append(self.Q)
        logs["Q"] = self.Q
        self.calm = self.calm + 1 if abs(self.Q - old) < self.tol * (1 + abs(self.Q)) else 0
        if self.stop_when_converged and self.calm >= self.patience:
            self.stop(f"forgetting-rate estimate converged: Q = {self.Q:.6g} changed by less "
                      f"than {self.tol:g} for {self.patience} steps")

    def on_epoch_end(self, epoch, logs=None):
        logs["Q"] = self.Q


class TerminateOnNaN(Callback):
    """Stop when a batch loss is NaN or inf (fit also refuses to apply such a step)."""


    def on_train_batch_end(self, batch, logs=None):
        loss = logs.get("batch_loss", logs.get("loss"))
        if loss is not None and not math.isfinite(loss):
            self.stop(f"invalid loss {loss} at batch {batch + 1}")


class LearningRateScheduler(Callback):
    """Set the learning rate at each epoch start from ``schedule(epoch, lr) -> new lr``."""

    adds_logs = ("learning_rate",)

    def __init__(self, schedule, verbose=0):
        super().__init__()
        if not callable(schedule):
            raise TypeError("schedule: expected a callable (epoch, lr) -> lr")
        self.schedule, self.verbose = schedule, check_choice(verbose, "verbose", (0, 1))

    def on_epoch_begin(self, epoch, logs=None):
        opt = self.model.optimizer
        lr = float(self.schedule(epoch, float(opt.current_learning_rate)))
        if not math.isfinite(lr) or lr < 0:
            raise ValueError(f"schedule returned an invalid learning rate {lr!r} at epoch {epoch}")
        opt.learning_rate = lr
        if self.verbose:
            print(f"Epoch {epoch + 1}: learning rate {lr:.6g}")

    def on_epoch_end(self, epoch, logs=None):
        logs["learning_rate"] = float(self.model.optimizer.current_learning_rate)


class ModelCheckpoint(Callback):
    """Save the model (or its weights) after each epoch, or only when ``monitor`` improves.

    ``filepath`` may contain ``{epoch}`` (counted from 1), ``{batch}`` and log keys, e.g.
    ``'ckpt-{epoch:02d}.npz'`` or ``'ckpt-loss={loss:.2f}.npz'``. ``save_freq`` is 'epoch'
    (at each epoch's end, with the epoch logs) or an integer k: every k training steps,
    counted across epochs, with the logs of that step (whose ``loss`` is the epoch's mean so
    far, and which hold no ``val_`` values). ``verbose=1`` prints each save (or why not).
    """

    def __init__(self, filepath, monitor="val_loss", verbose=0, save_best_only=False,
                 save_weights_only=False, mode="auto", save_freq="epoch"):
        super().__init__()
        if not isinstance(filepath, (str, os.PathLike)):
            raise TypeError(f"filepath: expected a str or a path, got {describe(filepath)}")
        self.filepath, self.monitor = os.fspath(filepath), _check_monitor(monitor)
        self.verbose = check_choice(verbose, "verbose", (0, 1))
        self.save_best_only = check_bool(save_best_only, "save_best_only")
        self.save_weights_only = check_bool(save_weights_only, "save_weights_only")
        self.mode = _mode_for(monitor, check_choice(mode, "mode", ("auto", "min", "max")))
        if save_freq != "epoch" and (not isinstance(save_freq, numbers.Integral)
                                     or isinstance(save_freq, bool) or save_freq < 1):
            raise ValueError(f"save_freq: expected 'epoch' or an integer number of batches "
                             f">= 1, got {save_freq!r}")
        if save_freq != "epoch" and self.save_best_only and monitor.startswith("val_"):
            raise ValueError(f"monitor: {monitor!r} is only in the epoch logs, and save_freq="
                             f"{save_freq} saves between epochs; monitor a training value "
                             f"such as 'loss', or use save_freq='epoch'")
        self.save_freq = save_freq if save_freq == "epoch" else int(save_freq)
        self.best = None

    def on_train_begin(self, logs=None):
        if self.save_best_only:
            _check_logged(self)
        self.steps, self.epoch = 0, 0

    def on_epoch_begin(self, epoch, logs=None):
        self.epoch = epoch

    def on_train_batch_end(self, batch, logs=None):
        if self.save_freq == "epoch":
            return
        self.steps += 1
        if self.steps % self.save_freq == 0:
            self._save(self.epoch, batch, logs)

    def on_epoch_end(self, epoch, logs=None):
        if self.save_freq == "epoch":
            self._save(epoch, None, logs)

    def _save(self, epoch, batch, logs):
        logs = logs or {}
        path = self.filepath.format(epoch=epoch + 1, **({} if batch is None
                                                         else {"batch": batch + 1}), **logs)
        if self.save_best_only:
            value = _monitored(logs, self.monitor)
            if self.best is not None and not _better(self.mode, value, self.best, 0.0):
                if self.verbose:
                    print(f"Epoch {epoch + 1}: {self.monitor} did not improve from "
                          f"{self.best:.5f}")
                return
            if self.verbose:
                before = "inf" if self.best is None else f"{self.best:.5f}"
                print(f"Epoch {epoch + 1}: {self.monitor} improved from {before} to "
                      f"{value:.5f}, saving model to {path}")
            self.best = value
        elif self.verbose:
            print(f"Epoch {epoch + 1}: saving model to {path}")
        (self.model.save_weights if self.save_weights_only else self.model.save)(path)


class LambdaCallback(Callback):
    """A callback from plain functions: ``LambdaCallback(on_epoch_end=lambda e, logs: ...)``.

    Every hook gets Keras' arguments: ``(logs)`` for train begin / end, ``(index, logs)`` else.
    """

    def __init__(self, **hooks):
        super().__init__()
        for name, fn in hooks.items():
            if name not in CallbackList.HOOKS and name not in _ALIASES:
                raise ValueError(f"LambdaCallback: unknown hook {name!r}; valid: "
                                 f"{', '.join((*CallbackList.HOOKS, *_ALIASES))}")
            if not callable(fn):
                raise TypeError(f"{name}: expected a function, got {type(fn).__name__}")
            if _ALIASES.get(name) in hooks:
                raise ValueError(f"LambdaCallback: {name} and {_ALIASES[name]} name the same "
                                 f"hook; give one of them")
            setattr(self, _ALIASES.get(name, name), fn)

