"""The checks of fit, evaluate and predict at their boundary, before any work: the inputs and
targets against the model and its loss, batch sizes, callbacks; and putting an unbuilt model
back when its data is refused."""

from __future__ import annotations

import contextlib

import numpy as np

from rosenblatt.base.checks import as_array, describe
from rosenblatt.nn import losses
from rosenblatt.training import callbacks as callbacks_module
from rosenblatt.training.outputs import Arrays


def check_batch_size(batch_size) -> None:
    """None (the whole set at once) or an integer >= 1."""
    if batch_size is not None and (not isinstance(batch_size, (int, np.integer))
                                   or isinstance(batch_size, bool) or batch_size < 1):
        raise ValueError(f"batch_size: expected an integer >= 1 or None, got {batch_size!r}")


def check_samples(x: np.ndarray, name: str) -> None:
    if len(x) == 0:
        raise ValueError(f"{name}: expected at least one sample, got an array of shape "
                         f"{x.shape}")


def prepare_x(model, x, name: str = "x"):
    """x as a float array of the model's dtype, (n, *input_shape), building the model if
    needed; for a model with several inputs, :class:`Arrays` of one such array per input,
    from a list (in the inputs' order) or a dict keyed by the inputs' names."""
    if x is None:
        raise ValueError(f"{name}: expected an array of inputs, got None")
    if model.multi_input:
        names, shapes = model.input_names, [tuple(t.shape[1:]) for t in model.inputs]
        arrays = [_prepare_one(model, a, f"{name}[{key!r}]", shape)
                  for a, key, shape in zip(by_name(x, names, name, "inputs"), names, shapes,
                                           strict=True)]
        _same_lengths(arrays, names, name)
        return Arrays(arrays)
    if isinstance(x, dict):
        x = by_name(x, model.input_names, name, "inputs")[0] if model.inputs else x
    return _prepare_one(model, x, name, None)


def _prepare_one(model, x, name, shape):
    dtype = model._dtype() if model.layers else np.float32
    x = as_array(x, name, dtype=dtype)
    if x.ndim == 0:
        raise ValueError(f"{name}: expected an array of samples, got a single number")
    if x.ndim == 1:
        x = x.reshape(-1, 1)
    check_samples(x, name)
    if shape is None:
        if not model.built:
            model.build(x.shape[1:])
        shape = tuple(model.input_shape)
    if tuple(x.shape[1:]) != shape:
        raise ValueError(
            f"{name}: the model expects samples of shape {shape} "
            f"({int(np.prod(shape))} features), got {name} of shape {x.shape}"
        )
    return np.ascontiguousarray(x)


def by_name(values, names: list[str], name: str, what: str) -> list:
    """``values`` given as a list (one per name, in order) or a dict keyed by ``names``."""
    if isinstance(values, dict):
        missing = [k for k in names if k not in values]
        unknown = [k for k in values if k not in names]
        if missing or unknown:
            raise ValueError(f"{name}: expected a dict keyed by the model's {what} {names}, "
                             + (f"missing {missing}" if missing else f"got unknown {unknown}"))
        return [values[k] for k in names]
    if not isinstance(values, (list, tuple)) or len(values) != len(names):
        got = describe(values) + (f" of length {len(values)}"
                                  if isinstance(values, (list, tuple)) else "")
        raise ValueError(f"{name}: the model has {len(names)} {what} {names}: expected a list "
                         f"of {len(names)} arrays or a dict keyed by those names, got {got}")
    return list(values)


def _same_lengths(arrays, names, name) -> None:
    lengths = [len(a) for a in arrays]
    if len(set(lengths)) > 1:
        raise ValueError(f"{name}: every array needs the same number of samples, got "
                         + ", ".join(f"{k!r}: {n}" for k, n in zip(names, lengths, strict=True)))


def prepare_y(model, y, n: int, name: str = "y", x_name: str = "x"):
    """y checked against the loss and the output layer: lengths, shapes and label ranges; for
    a model with several outputs, :class:`Arrays` from a list or a dict by output name."""
    if model.multi_output:
        names = model.output_names
        shapes = [tuple(t.shape) for t in model.outputs]
        return Arrays([
            None if loss is None else
            _check_target(model, v, n, shape, loss, f"{name}[{key!r}]", x_name)
            for v, key, shape, loss in zip(_targets(model, y, name), names, shapes,
                                           model.loss.losses, strict=True)
        ])
    if isinstance(y, dict):
        y = by_name(y, model.output_names, name, "outputs")[0]
    return _check_target(model, y, n, model.output_shape, model.loss, name, x_name)


def _targets(model, y, name: str) -> list:
    """One target per output (None for an output without a loss), from a list or a dict by
    output name: a list holds one per output, or one per output with a loss; a dict needs
    the outputs with a loss and may leave out the others."""
    names, losses_by_output = model.output_names, model.loss.losses
    targeted = [k for k, loss in zip(names, losses_by_output, strict=True) if loss is not None]
    if len(targeted) == len(names):
        return by_name(y, names, name, "outputs")
    if isinstance(y, dict):
        unknown = [k for k in y if k not in names]
        missing = [k for k in targeted if k not in y]
        if unknown or missing:
            raise ValueError(f"{name}: expected a dict keyed by the outputs with a loss "
                             f"{targeted}, " + (f"missing {missing}" if missing
                                                else f"got unknown {unknown}"))
        return [y.get(k) for k in names]
    if isinstance(y, (list, tuple)) and len(y) == len(targeted):
        given = dict(zip(targeted, y, strict=True))
        return [given.get(k) for k in names]
    if isinstance(y, (list, tuple)) and len(y) == len(names):
        return list(y)
    got = describe(y) + (f" of length {len(y)}" if isinstance(y, (list, tuple)) else "")
    raise ValueError(f"{name}: the model's outputs with a loss are {targeted} (of {names}): "
                     f"expected a list of {len(targeted)} arrays, one per output with a loss "
                     f"(or {len(names)}, one per output), or a dict keyed by those names, got "
                     f"{got}")


def _check_target(model, y, n, out, loss, name, x_name) -> np.ndarray:
    y = as_array(y, name)
    if y.ndim == 0 or len(y) != n:
        raise ValueError(f"{x_name} and {name} must have the same number of samples, got "
                         f"{x_name} with {n} and {name} of shape {y.shape}")
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
