"""The training loop: batch, mini-batch and stochastic gradient descent (lectures 000, 001).

Each step: take a batch, run the model forward, compute the loss, backpropagate, and let the
optimizer update the flat parameter vector theta <- theta - eta * grad (or its Adam etc. form).
Inputs are validated before any work; a loss that turns NaN or inf stops training before the
bad update is applied, with a message naming the epoch and batch.
"""

from __future__ import annotations

import contextlib
import math
import time
from dataclasses import dataclass
from typing import Protocol

import numpy as np

from rosenblatt._fast import rows as _rows
from rosenblatt._fast import step as _fast
from rosenblatt.autodiff.tensor import Tensor, no_grad
from rosenblatt.base.checks import as_array, check_finite, check_in_range, describe
from rosenblatt.nn import fused, losses
from rosenblatt.training import callbacks as callbacks_module
from rosenblatt.training.progress import ProgressLogger


# --------------------------------------------------------------------------- input checks
def check_batch_size(batch_size) -> None:
    """None (the whole set at once) or an integer >= 1."""
    if batch_size is not None and (not isinstance(batch_size, (int, np.integer))
                                   or isinstance(batch_size, bool) or batch_size < 1):
        raise ValueError(f"batch_size: expected an integer >= 1 or None, got {batch_size!r}")


def check_samples(x: np.ndarray, name: str) -> None:
    if len(x) == 0:
        raise ValueError(f"{name}: expected at least one sample, got an array of shape "
                         f"{x.shape}")


def prepare_x(model, x, name: str = "x") -> np.ndarray:
    """x as a float array of the model's dtype, (n, *input_shape), building the model if needed."""
    if x is None:
        raise ValueError(f"{name}: expected an array of inputs, got None")
    dtype = model._dtype() if model.layers else np.float32
    x = as_array(x, name, dtype=dtype)
    if x.ndim == 0:
        raise ValueError(f"{name}: expected an array of samples, got a single number")
    if x.ndim == 1:
        x = x.reshape(-1, 1)
    check_samples(x, name)
    if not model.built:
        model.build(x.shape[1:])
    if tuple(x.shape[1:]) != tuple(model.input_shape):
        raise ValueError(
            f"{name}: the model expects samples of shape {tuple(model.input_shape)} "
            f"({int(np.prod(model.input_shape))} features), got {name} of shape {x.shape}"
        )
    return np.ascontiguousarray(x)


def prepare_y(model, y, n: int, name: str = "y", x_name: str = "x") -> np.ndarray:
    """y checked against the loss and the output layer: lengths, shapes and label ranges."""
    y = as_array(y, name)
    if y.ndim == 0 or len(y) != n:
        raise ValueError(f"{x_name} and {name} must have the same number of samples, got "
                         f"{x_name} with {n} and {name} of shape {y.shape}")
    out = model.output_shape
    loss = model.loss
    if isinstance(loss, losses.SparseCategoricalCrossentropy):
        k = out[-1]
        labels = y.reshape(-1) if y.ndim == 2 and y.shape[1] == 1 else y
        if labels.ndim != 1:
            raise ValueError(f"{name}: sparse labels must have shape ({n},), got {y.shape}")
        if not np.all(labels == np.round(labels)):
            raise ValueError(f"{name}: sparse categorical labels must be integers")
        if labels.min() < 0 or labels.max() >= k:
            raise ValueError(
                f"{name}: class labels must be in [0, {k - 1}] for an output layer of {k} units, "
                f"got labels from {labels.min():g} to {labels.max():g}"
            )
        return labels.astype(np.int64)
    if y.ndim == 1 and out[-1] == 1 and len(out) == 2:
        y = y.reshape(-1, 1)  # one target per sample for a one-unit output: a column
    if tuple(y.shape[1:]) != tuple(out[1:]):
        hint = ""
        if isinstance(loss, losses.CategoricalCrossentropy) and y.ndim == 1:
            hint = ("; categorical_crossentropy needs one-hot rows: use "
                    "loss='sparse_categorical_crossentropy' for integer labels")
        raise ValueError(
            f"{name} of shape {y.shape} does not match the model's output of shape "
            f"(n, {', '.join(map(str, out[1:]))}){hint}"
        )
    if isinstance(loss, (losses.BinaryCrossentropy, losses.CategoricalCrossentropy)):
        if y.min() < 0 or y.max() > 1:
            raise ValueError(
                f"{name}: {loss.name} needs targets in [0, 1], got values from {y.min():g} to "
                f"{y.max():g}" + (" (map labels {-1, 1} to {0, 1})" if y.min() == -1 else "")
            )
    if isinstance(loss, losses.CategoricalCrossentropy):
        losses.check_distribution_rows(y, name)
    return y.astype(model._dtype(), copy=False)


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
    for value, name in ((epochs, "epochs"), (initial_epoch, "initial_epoch")):
        if not isinstance(value, (int, np.integer)) or isinstance(value, bool) or value < 0:
            raise ValueError(f"{name}: expected an integer >= 0, got {value!r}")
    check_in_range(validation_split, "validation_split", 0.0, 0.99)
    if verbose == "auto":
        verbose = 1
    if verbose not in (0, 1, 2):
        raise ValueError(f"verbose: expected 0, 1, 2 or 'auto', got {verbose!r}")
    callbacks = _check_callbacks(callbacks)
    with _unbuilt_if_refused(model):
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
                             "samples": len(x), "batch_size": batch_size},
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


def _check_callbacks(callbacks) -> list:
    if callbacks is None:
        return []
    if not isinstance(callbacks, (list, tuple)):
        raise TypeError(f"callbacks: expected a list of callbacks, got "
                        f"{type(callbacks).__name__}" + ("; write callbacks=[...]" if isinstance(
                            callbacks, callbacks_module.Callback) else ""))
    for cb in callbacks:
        if not isinstance(cb, callbacks_module.Callback):
            raise TypeError(f"callbacks: expected Callback objects, got {type(cb).__name__}")
    return list(callbacks)


@contextlib.contextmanager
def _unbuilt_if_refused(model):
    """Checking the data may build the model (its input shape comes from x); if the data
    is then refused, the model and its layers are put back as they were, unbuilt."""
    if model.built:
        yield
        return
    saved = [(obj, {k: list(v) if isinstance(v, list) else v for k, v in vars(obj).items()})
             for obj in (model, *model.layers)]  # building appends to lists: copy them
    state = model._rng.bit_generator.state
    try:
        yield
    except BaseException:
        for obj, attributes in saved:
            obj.__dict__.clear()
            obj.__dict__.update(attributes)
        model._rng.bit_generator.state = state
        raise


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
    """The epochs of fit: batches, steps, metrics, validation and the callbacks' hooks."""
    theta, grad = model.flat_parameters()
    x, y, cbs = run.x, run.y, run.callbacks
    for epoch in range(run.initial_epoch, run.epochs):
        cbs.on_epoch_begin(epoch)
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


# --------------------------------------------------------------------------- evaluate, predict
def evaluate(model, x, y, batch_size=None, return_dict=False, prepared=False):
    """Mean loss over all samples (plus regularization penalties) and the metrics."""
    if model.loss is None:
        raise ValueError("evaluate: the model is not compiled; call compile(optimizer, loss)")
    check_batch_size(batch_size)
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

