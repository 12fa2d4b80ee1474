"""The training loop: batch, mini-batch and stochastic gradient descent (lectures 000, 001).

Each step: take a batch, run the model forward, compute the loss, backpropagate, and let the
optimizer update the flat parameter vector theta <- theta - eta * grad (or its Adam etc. form).
Inputs are validated before any work; a loss that turns NaN or inf stops training before the
bad update is applied, with a message naming the epoch and batch.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass
from typing import Protocol

import numpy as np

from rosenblatt._fast import step as _fast
from rosenblatt.base.checks import (
    check_bool,
    check_in_range,
)
from rosenblatt.nn import fused
from rosenblatt.nn.metrics import log_value
from rosenblatt.training import callbacks as callbacks_module
from rosenblatt.training import feeding
from rosenblatt.training.inference import (  # noqa: F401 (evaluate, predict: public here)
    add_penalties,
    batch_loss,
    evaluate,
    predict,
    update_metrics,
)
from rosenblatt.training.inputs import (
    check_batch_size,
    check_callbacks,
    prepare_x,
    prepare_y,
    unbuilt_if_refused,
)
from rosenblatt.training.outputs import Weighted, as_tensors, output_data
from rosenblatt.training.progress import ProgressLogger


# --------------------------------------------------------------------------- one step
class Step(Protocol):
    """One training step: ``step(xb, yb) -> (loss, outputs)`` runs the forward and backward
    pass of a batch and writes the gradient of its loss (penalties included) into the model's
    flat gradient vector; the optimizer then updates the model's flat parameter vector in
    place. ``outputs`` (the predictions, for metrics) may be a buffer the next step
    overwrites. Implemented by :class:`GraphStep` (autodiff, any model) and
    :class:`rosenblatt._fast.step.FastStep` (graph-free, plain stacks of layers);
    :func:`choose_step` picks one, once per fit."""

    def __call__(self, xb: np.ndarray, yb: np.ndarray) -> tuple[float, np.ndarray]: ...


class GraphStep:
    """The general step: a recorded Tensor graph and ``backward`` (:func:`loss_and_gradient`)."""

    def __init__(self, model, head: fused.Head | None):
        self.model = model
        self.head = head

    def __call__(self, xb: np.ndarray, yb: np.ndarray):
        return loss_and_gradient(self.model, xb, yb, self.head)


def choose_step(model, head: fused.Head | None) -> Step:
    """The fast step when the model and its loss allow one, else the general step."""
    return _fast.compile_step(model, head) or GraphStep(model, head)


def loss_and_gradient(model, xb: np.ndarray, yb: np.ndarray, head: fused.Head | None):
    """The batch loss (penalties included) and its gradient written into the flat grad vector;
    ``head``: the output activation fused into the loss (``model.fused_output()``) or None.

    Returns (loss, outputs) where outputs are the model's predictions for the batch.
    """
    views = model.grad_views()
    weights = model.trainable_weights
    out = model.forward(as_tensors(xb), training=True)
    loss = batch_loss(model, out, yb, head)
    if loss.ndim:
        raise ValueError("fit: the loss must reduce to a number: use reduction 'mean' or 'sum'")
    for w in weights:
        w.grad = None
    loss.backward()
    value = float(loss.data) + add_penalties(model, gradients=True)
    for w, view in zip(weights, views, strict=True):
        if w.grad is None:
            view.fill(0)
        else:
            view[...] = w.grad
    return value, output_data(out)


# --------------------------------------------------------------------------- fit
def _slices(x, y, order, batch_size):
    """The batches of one epoch over arrays: in order, or gathered in a shuffled order."""
    for start, stop in _batches(len(x), batch_size):
        if order is None:
            yield x[start:stop], y[start:stop]
        else:
            idx = order[start:stop]
            yield x.take(idx, axis=0), y.take(idx, axis=0)


def _batches(n: int, batch_size):
    size = n if batch_size is None else batch_size
    return [(start, min(start + size, n)) for start in range(0, n, size)]


def fit(model, x, y, batch_size=32, epochs=1, verbose="auto", callbacks=None,
        validation_split=0.0, validation_data=None, shuffle=True, initial_epoch=0,
        class_weight=None, sample_weight=None, steps_per_epoch=None, validation_freq=1,
        order=None):
    """``Model.fit``'s training; ``order`` (for estimators that follow another library's
    draws): a function of the number of samples giving each shuffled epoch's sample order,
    in place of the model's generator's permutation."""
    if model.optimizer is None:
        raise ValueError("fit: the model is not compiled; call compile(optimizer, loss) first")
    check_batch_size(batch_size)
    shuffle = check_bool(shuffle, "shuffle")
    for value, name in ((epochs, "epochs"), (initial_epoch, "initial_epoch")):
        if not isinstance(value, (int, np.integer)) or isinstance(value, bool) or value < 0:
            raise ValueError(f"{name}: expected an integer >= 0, got {value!r}")
    check_in_range(validation_split, "validation_split", 0.0, 0.99)
    if verbose == "auto":
        verbose = 1
    if verbose not in (0, 1, 2):
        raise ValueError(f"verbose: expected 0, 1, 2 or 'auto', got {verbose!r}")
    callbacks = check_callbacks(callbacks)
    validate_every = feeding.check_validation_freq(validation_freq)
    stream = feeding.batch_stream(x, y, steps_per_epoch, sample_weight, class_weight,
                                  validation_split)
    if stream is not None:
        x, y = stream.first(model)
    else:
        with unbuilt_if_refused(model):
            x = prepare_x(model, x)
            y = prepare_y(model, y, len(x))
            y = feeding.weighted(model, y, len(x), sample_weight, class_weight)
    if not model.trainable_weights:
        raise ValueError(f"fit: the model {model.name!r} has no trainable weights (every layer "
                         f"has trainable=False); there is nothing to train")
    if validation_data is not None:
        x_val, y_val = feeding.validation(model, validation_data)
    elif validation_split:
        cut = len(x) - int(len(x) * validation_split)  # Keras: the last samples, unshuffled
        if cut == 0 or cut == len(x):
            raise ValueError(f"validation_split={validation_split} leaves no samples on one side "
                             f"of {len(x)}")
        x, x_val, y, y_val = x[:cut], x[cut:], y[:cut], y[cut:]
    else:
        x_val = y_val = None

    theta, grad = model.flat_parameters()
    model.optimizer.check([theta], [grad])  # its state must fit the trainable weights
    steps = stream.steps if stream is not None else len(_batches(len(x), batch_size))
    history = callbacks_module.History()
    cbs = callbacks_module.CallbackList(
        [*callbacks, history, ProgressLogger(verbose)],
        model=model, params={"epochs": epochs, "steps": steps, "verbose": verbose,
                             "samples": None if stream is not None else len(x),
                             "batch_size": batch_size, "do_validation": x_val is not None},
    )
    cbs.set_training_data(x, y)
    model.stop_training, model.stop_reason = False, None
    weighted = isinstance(y, Weighted) or stream is not None
    run = _Run(x=x, y=y, x_val=x_val, y_val=y_val, batch_size=batch_size, epochs=epochs,
               initial_epoch=initial_epoch, shuffle=shuffle, callbacks=cbs,
               step=GraphStep(model, model.fused_output()) if weighted
               else choose_step(model, model.fused_output()),
               need_norm=cbs.needs_grad_norm(), stream=stream, validate_every=validate_every,
               order=order or model._rng.permutation)
    cbs.on_train_begin()
    # an overflow or NaN shows in the loss, which stops training with a stop reason that
    # says what happened: NumPy's warnings about it would only repeat that
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        _epochs(model, run)
    history.stop_reason = model.stop_reason
    cbs.on_train_end()
    model.history = history
    return history


def train_on_batch(model, x, y, sample_weight=None, class_weight=None, return_dict=False):
    """One step of the optimizer on the batch (x, y); the batch's loss and metrics."""
    if model.optimizer is None:
        raise ValueError("train_on_batch: the model is not compiled; call compile(optimizer, "
                         "loss) first")
    return_dict = check_bool(return_dict, "return_dict")
    with unbuilt_if_refused(model):
        x = prepare_x(model, x)
        y = feeding.weighted(model, prepare_y(model, y, len(x)), len(x), sample_weight,
                             class_weight)
    theta, grad = model.flat_parameters()
    model.optimizer.check([theta], [grad])
    loss, outputs = GraphStep(model, model.fused_output())(x, y)
    if not math.isfinite(loss):
        raise FloatingPointError(f"train_on_batch: the loss became {loss}; the weights were "
                                 f"not updated (try a smaller learning rate)")
    model.optimizer.apply([theta], [grad])
    for metric in model.compiled_metrics:
        metric.reset_state()
    update_metrics(model.compiled_metrics, y, outputs)
    result = {"loss": loss, **{m.name: log_value(m.result()) for m in model.compiled_metrics}}
    if return_dict:
        return result
    return loss if len(result) == 1 else list(result.values())


@dataclass(frozen=True)
class _Run:
    """What the epochs of one fit run on: the prepared data, the schedule, the callbacks and
    the step chosen for the model."""

    x: np.ndarray
    y: np.ndarray
    x_val: np.ndarray | None
    y_val: np.ndarray | None
    batch_size: int | None
    epochs: int
    initial_epoch: int
    shuffle: bool
    callbacks: callbacks_module.CallbackList
    step: Step
    need_norm: bool  # whether the batch logs get the gradient's norm
    stream: feeding.BatchStream | None  # batches from a generator, instead of x and y
    validate_every: object  # validate_every(epoch) -> bool (fit's validation_freq)
    order: object  # order(n) -> a shuffled epoch's sample order


def _epochs(model, run: _Run):
    """The epochs of fit: batches, steps, metrics, validation and the callbacks' hooks.

    A loss that turns NaN or inf stops training before that update, and so do weights that
    turn NaN or inf in an epoch's last step; weights that hold NaN or inf then go back, with
    the optimizer's state, to those at the start of the epoch, whose loss was finite: a
    model never keeps non-finite weights, for one copy per epoch and nothing per step.
    """
    theta, grad = model.flat_parameters()
    x, y, cbs = run.x, run.y, run.callbacks
    for epoch in range(cbs.start_epoch(run.initial_epoch), run.epochs):
        cbs.on_epoch_begin(epoch)
        safe = _Safe(theta.copy(), model.optimizer.get_state())
        order = run.order(len(x)) if run.shuffle and run.stream is None else None
        for metric in model.compiled_metrics:
            metric.reset_state()
        seen, loss_sum, started = 0, 0.0, time.perf_counter()
        batches = (run.stream.epoch(model) if run.stream is not None
                   else _slices(x, y, order, run.batch_size))
        for batch, (xb, yb) in enumerate(batches):
            cbs.on_train_batch_begin(batch)
            loss, outputs = run.step(xb, yb)
            if not math.isfinite(loss):
                model.stop_training = True
                model.stop_reason = (
                    f"the loss became {loss} at epoch {epoch + 1}, batch {batch + 1}; training "
                    f"stopped before that update (try a smaller learning rate)"
                    + safe.restore_unless_finite(model, theta, epoch)
                )
                break
            model.optimizer.apply([theta], [grad])
            n = len(xb)
            seen += n
            loss_sum += loss * n
            logs = {"loss": loss_sum / seen, "batch_loss": loss}
            if model.compiled_metrics:
                update_metrics(model.compiled_metrics, yb, outputs)
                for metric in model.compiled_metrics:
                    logs[metric.name] = log_value(metric.result())
            if run.need_norm:
                logs["grad_norm"] = float(np.linalg.norm(grad))
            cbs.on_train_batch_end(batch, logs)
            if model.stop_training:
                break
        if seen == 0:
            break
        if not model.stop_training:
            back = safe.restore_unless_finite(model, theta, epoch)
            if back:
                model.stop_training = True
                model.stop_reason = (f"the weights became NaN or inf in epoch {epoch + 1}; "
                                     f"training stopped (try a smaller learning rate){back}")
        logs = {"loss": loss_sum / seen}
        for metric in model.compiled_metrics:
            logs[metric.name] = log_value(metric.result())
        if run.x_val is not None and run.validate_every(epoch):
            val = evaluate(model, run.x_val, run.y_val, return_dict=True, prepared=True)
            logs.update({f"val_{k}": v for k, v in val.items()})
        logs["time"] = time.perf_counter() - started
        cbs.on_epoch_end(epoch, logs)
        if model.stop_training:
            break


@dataclass(frozen=True)
class _Safe:
    """The weights and the optimizer's state at the start of an epoch."""

    theta: np.ndarray
    optimizer_state: dict

    def restore_unless_finite(self, model, theta: np.ndarray, epoch: int) -> str:
        """Put the saved weights and state back when ``theta`` holds NaN or inf; what was
        done, for the stop reason ('' when the weights are finite and stay)."""
        if _finite(theta):
            return ""
        np.copyto(theta, self.theta)
        model.optimizer.set_state(self.optimizer_state)
        return (f"; the weights had turned NaN or inf and are back to those at the start of "
                f"epoch {epoch + 1}")


def _finite(theta: np.ndarray) -> bool:
    """Whether every parameter is finite, in one BLAS pass (a finite sum of squares proves it;
    an overflowing one is checked entry by entry)."""
    with np.errstate(over="ignore", invalid="ignore"):
        if math.isfinite(float(np.dot(theta, theta))):
            return True
    return bool(np.isfinite(theta).all())
