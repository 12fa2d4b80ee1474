"""The checks of fit, evaluate and predict at their boundary, before any work: the inputs and
targets against the model and its loss, batch sizes, callbacks; and putting an unbuilt model
back when its data is refused."""

from __future__ import annotations

import contextlib

import numpy as np

from rosenblatt.base.checks import as_array
from rosenblatt.nn import losses
from rosenblatt.training import callbacks as callbacks_module


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


def check_callbacks(callbacks) -> list:
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
def unbuilt_if_refused(model):
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
