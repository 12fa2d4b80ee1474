"""The base of callbacks and what the callbacks that watch a logged value share.

:class:`Callback` is the base class of every callback (Keras' hooks); the functions check and
read a ``monitor`` (a name in fit's epoch logs, such as ``'val_loss'``) and compare its values.
"""

from __future__ import annotations

import numpy as np

from rosenblatt.base.checks import describe


class Callback:
    """Base class: override any of the hooks; ``self.model`` and ``self.params`` are set.

    ``log_names`` is set by :class:`CallbackList`: the names fit's epoch logs will hold
    (without the ``val_`` copies), or None when a callback of the user's may add others.
    A callback that adds names to the epoch logs lists them in its class's ``adds_logs``.
    A callback that restores an earlier run's state in ``on_train_begin`` sets
    ``resume_epoch`` to the epoch that run had reached, and fit starts there.

    ``on_batch_begin`` and ``on_batch_end`` are Keras' older names of ``on_train_batch_begin``
    and ``on_train_batch_end``: a subclass that defines one of them (and not the newer name)
    has it called at every training step.
    """

    needs_grad_norm = False
    adds_logs: tuple[str, ...] = ()
    resume_epoch: int | None = None

    def __init__(self):
        self.model = None
        self.params = {}
        self.training_data = None
        self.log_names = None

    def set_model(self, model):
        self.model = model

    def set_params(self, params):
        self.params = params

    def on_train_begin(self, logs=None): ...
    def on_train_end(self, logs=None): ...
    def on_epoch_begin(self, epoch, logs=None): ...
    def on_epoch_end(self, epoch, logs=None): ...
    def on_train_batch_begin(self, batch, logs=None): ...
    def on_train_batch_end(self, batch, logs=None): ...
    def on_batch_begin(self, batch, logs=None): ...
    def on_batch_end(self, batch, logs=None): ...

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        for alias, hook in _ALIASES.items():
            if getattr(cls, alias) is not getattr(Callback, alias) and \
                    getattr(cls, hook) is getattr(Callback, hook):
                setattr(cls, hook, _calling(alias))

    def stop(self, reason: str) -> None:
        """Stop training after this step, recording why."""
        self.model.stop_training = True
        self.model.stop_reason = reason


_ALIASES = {"on_batch_begin": "on_train_batch_begin", "on_batch_end": "on_train_batch_end"}


def _calling(alias: str):
    """A training-batch hook that calls the older hook ``alias`` (Keras' aliases)."""

    def hook(self, batch, logs=None):
        getattr(self, alias)(batch, logs)

    hook.__name__ = hook.__qualname__ = _ALIASES[alias]
    return hook


def _better(mode: str, value: float, best: float, min_delta: float) -> bool:
    return value < best - min_delta if mode == "min" else value > best + min_delta


def _mode_for(monitor: str, mode: str) -> str:
    if mode != "auto":
        return mode
    larger_is_better = ("acc", "r2", "auc", "precision", "recall", "f1")
    return "max" if any(k in monitor for k in larger_is_better) else "min"


def _check_monitor(monitor) -> str:
    if not isinstance(monitor, str):
        raise TypeError(f"monitor: expected the name of a logged value (a str such as "
                        f"'val_loss'), got {describe(monitor)}")
    return monitor


def _check_logged(cb) -> None:
    """Refuse, before the first step, a ``cb.monitor`` that fit's epoch logs will not hold
    (when their names are known; else the first epoch's logs are checked)."""
    names = cb.log_names
    if names is None:
        return
    validation = cb.monitor.startswith("val_")
    name = cb.monitor[4:] if validation else cb.monitor
    if name in names:
        if validation and cb.params.get("do_validation") is False:  # as Keras 2's params
            raise ValueError(f"monitor: {cb.monitor!r} is not in the logs; available: "
                             f"{', '.join(sorted(names))} (give validation_data or "
                             f"validation_split for val_ values)")
        for metric in getattr(cb.model, "compiled_metrics", None) or []:
            if metric.name == name and not getattr(getattr(metric, "metric", metric),
                                                   "scalar", True):
                raise _vector_monitored(cb.monitor)
        return
    raise ValueError(
        f"monitor: {cb.monitor!r} is not a value fit logs; expected one of "
        f"{', '.join(sorted(names))} or their val_ forms (with validation data)"
    )


def _monitored(logs, monitor):
    if not logs or monitor not in logs:
        raise ValueError(
            f"monitor: {monitor!r} is not in the logs; available: {', '.join(logs or {})}"
            + (" (give validation_data or validation_split for val_ values)"
               if monitor.startswith("val_") else "")
        )
    value = logs[monitor]
    if np.ndim(value) > 0:
        raise _vector_monitored(monitor)
    return value


def _vector_monitored(monitor) -> ValueError:
    return ValueError(f"monitor: {monitor!r} is logged as a vector (one value per class or "
                      f"threshold); expected a single number: monitor another value, or "
                      f"compile a metric with one, e.g. F1Score(average='macro')")
