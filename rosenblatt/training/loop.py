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

from rosenblatt._fast import rows as _rows
from rosenblatt._fast import step as _fast
from rosenblatt.autodiff.tensor import Tensor, no_grad
from rosenblatt.base.checks import (
    as_array,
    check_bool,
    check_finite,
    check_in_range,
    describe,
)
from rosenblatt.nn import fused
from rosenblatt.training import callbacks as callbacks_module
from rosenblatt.training.inputs import (
    check_batch_size,
    check_callbacks,
    check_samples,
    prepare_x,
    prepare_y,
    unbuilt_if_refused,
)
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
    out = model.forward(Tensor(xb), training=True)
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
    return value, out.data


def batch_loss(model, out: Tensor, yb: np.ndarray, head: fused.Head | None) -> Tensor:
    """The compiled loss of the outputs ``out`` against ``yb``: from the logits that a
    sigmoid or softmax output keeps when ``head`` fuses it into the loss, else as is. fit and
    evaluate both take it, so both report the same loss for the same weights and batch."""
    if head is not None and out.logits is not None:
        return head.loss(out.logits, yb, model.loss.reduction)
    return model.loss(yb, out)


def add_penalties(model, gradients: bool = False) -> float:
    """Sum of the layers' regularization penalties R(W); with ``gradients``, dR/dW is added
    to each regularized trainable weight's ``.grad``."""
    total = 0.0
    for layer in model.layers:
        for w, reg in layer.regularization_terms():
            total += float(reg.penalty(w.data))
            if gradients and layer.trainable:
                g = reg.gradient(w.data)
                w.grad = g if w.grad is None else w.grad + g
    return total


# --------------------------------------------------------------------------- fit
def _batches(n: int, batch_size):
    size = n if batch_size is None else batch_size
    return [(start, min(start + size, n)) for start in range(0, n, size)]


def fit(model, x, y, batch_size=32, epochs=1, verbose="auto", callbacks=None,
        validation_split=0.0, validation_data=None, shuffle=True, initial_epoch=0):
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
    with unbuilt_if_refused(model):
        x = prepare_x(model, x)
        y = prepare_y(model, y, len(x))
    if not model.trainable_weights:
        raise ValueError(f"fit: the model {model.name!r} has no trainable weights (every layer "
                         f"has trainable=False); there is nothing to train")
    if validation_data is not None:
        if not isinstance(validation_data, (tuple, list)) or len(validation_data) != 2:
            got = describe(validation_data)
            if isinstance(validation_data, (tuple, list)):
                got += f" of length {len(validation_data)}"
            raise ValueError(f"validation_data: expected a tuple (x_val, y_val), got {got}")
        x_val = prepare_x(model, validation_data[0], "x_val")
        y_val = prepare_y(model, validation_data[1], len(x_val), "y_val", "x_val")
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
    steps = len(_batches(len(x), batch_size))
    history = callbacks_module.History()
    cbs = callbacks_module.CallbackList(
        [*callbacks, history, ProgressLogger(verbose)],
        model=model, params={"epochs": epochs, "steps": steps, "verbose": verbose,
                             "samples": len(x), "batch_size": batch_size,
                             "do_validation": x_val is not None},
    )
    cbs.set_training_data(x, y)
    model.stop_training, model.stop_reason = False, None
    run = _Run(x=x, y=y, x_val=x_val, y_val=y_val, batch_size=batch_size, epochs=epochs,
               initial_epoch=initial_epoch, shuffle=shuffle, callbacks=cbs,
               step=choose_step(model, model.fused_output()),
               need_norm=cbs.needs_grad_norm())
    cbs.on_train_begin()
    _epochs(model, run)
    history.stop_reason = model.stop_reason
    cbs.on_train_end()
    model.history = history
    return history


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
        order = model._rng.permutation(len(x)) if run.shuffle else None
        for metric in model.compiled_metrics:
            metric.reset_state()
        seen, loss_sum, started = 0, 0.0, time.perf_counter()
        for batch, (start, stop) in enumerate(_batches(len(x), run.batch_size)):
            cbs.on_train_batch_begin(batch)
            if order is None:
                xb, yb = x[start:stop], y[start:stop]
            else:
                idx = order[start:stop]
                xb, yb = x.take(idx, axis=0), y.take(idx, axis=0)
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
            seen += stop - start
            loss_sum += loss * (stop - start)
            logs = {"loss": loss_sum / seen, "batch_loss": loss}
            for metric in model.compiled_metrics:
                metric.update_state(yb, outputs)
                logs[metric.name] = float(metric.result())
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
            logs[metric.name] = float(metric.result())
        if run.x_val is not None:
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


# --------------------------------------------------------------------------- evaluate, predict
def evaluate(model, x, y, batch_size=None, return_dict=False, prepared=False):
    """Mean loss over all samples (plus regularization penalties) and the metrics."""
    if model.loss is None:
        raise ValueError("evaluate: the model is not compiled; call compile(optimizer, loss)")
    check_batch_size(batch_size)
    return_dict = check_bool(return_dict, "return_dict")
    if not prepared:
        x = prepare_x(model, x)
        y = prepare_y(model, y, len(x))
    total, metrics = 0.0, model.compiled_metrics
    for metric in metrics:
        metric.reset_state()
    size = len(x) if batch_size is None else batch_size
    reduction = model.loss.reduction
    head = model.fused_output()
    for start in range(0, len(x), size):
        xb, yb = x[start:start + size], y[start:start + size]
        with no_grad():
            out = model.forward(Tensor(xb), training=False)
            loss = float(batch_loss(model, out, yb, head).data)
        total += loss * (len(xb) if reduction == "mean" else 1)
        for metric in metrics:
            metric.update_state(yb, out.data)
    loss = (total / len(x) if reduction == "mean" else total) + add_penalties(model)
    result = {"loss": loss, **{m.name: float(m.result()) for m in metrics}}
    if return_dict:
        return result
    return loss if not metrics else list(result.values())


def predict(model, x, batch_size=None):
    """The model's outputs for x (n, *input_shape); one sample of the input shape gives one row."""
    if not model.built:
        raise ValueError(
            f"predict: model {model.name!r} is not built: it has no weights yet. Give the first "
            f"layer input_shape / input_dim, call build(input_shape), or fit it first"
        )
    check_batch_size(batch_size)
    arr = as_array(x, "x", dtype=model._dtype(), finite=False)
    shape = tuple(model.input_shape)
    # one sample: an array of the input shape, or a number for a one-feature model; a 1-D
    # array for a one-feature model is a column of samples
    single = arr.shape == shape if shape != (1,) else arr.ndim == 0
    if single:
        arr = arr.reshape(1, *shape)
    elif arr.ndim == 1 and shape == (1,):
        arr = arr.reshape(-1, 1)
    if tuple(arr.shape[1:]) != tuple(model.input_shape):
        raise ValueError(
            f"x: the model expects samples of shape {tuple(model.input_shape)}, got x of shape "
            f"{np.shape(x)}"
        )
    check_samples(arr, "x")
    if len(arr) == 1:  # one sample: compiled loops when they apply (rosenblatt._fast.rows)
        out = _rows.predict_row(model, arr[0])
        if out is not None:
            return out if single else out[None]
    check_finite(arr[0] if single else arr, "x")  # indices as the caller gave x
    size = len(arr) if batch_size is None else batch_size
    with no_grad():
        parts = [model.forward(Tensor(arr[i:i + size]), training=False).data
                 for i in range(0, len(arr), size)]
    out = parts[0] if len(parts) == 1 else np.concatenate(parts)
    return out[0] if single else out

