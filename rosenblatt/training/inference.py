"""Evaluation and prediction: the loss and metrics of a model on data, and its outputs, under
``no_grad()``; and the loss of one batch, which fit and evaluate share.

>>> import numpy as np
>>> from rosenblatt.layers import Dense
>>> from rosenblatt.models import Sequential
>>> model = Sequential([Dense(1, input_dim=2, kernel_initializer="zeros")])
>>> model.compile("sgd", "mse")
>>> float(model.evaluate(np.zeros((3, 2)), np.ones(3)))   # (1/n) sum (y - 0)^2
1.0
"""

from __future__ import annotations

import numpy as np

from rosenblatt._fast import rows as _rows
from rosenblatt.autodiff.tensor import Tensor, no_grad
from rosenblatt.base.checks import as_array, check_bool, check_finite
from rosenblatt.nn import fused
from rosenblatt.nn.metrics import log_value
from rosenblatt.training.inputs import check_batch_size, check_samples, prepare_x, prepare_y
from rosenblatt.training.outputs import (
    OutputLosses,
    Weighted,
    as_tensors,
    one_loss,
    output_data,
    split_targets,
)


def batch_loss(model, out: Tensor, yb: np.ndarray, head: fused.Head | None) -> Tensor:
    """The compiled loss of the outputs ``out`` against ``yb`` (from the logits that a
    sigmoid or softmax output keeps when ``head`` fuses it into the loss, else as is), plus
    the losses the layers added in the forward pass that made ``out``. fit and evaluate both
    take it, so both report the same loss for the same weights and batch."""
    y, sample_weight = split_targets(yb)
    if isinstance(model.loss, OutputLosses):
        loss = model.loss.total(out, y, sample_weight)
    else:
        loss = one_loss(model.loss, head, out, y, sample_weight)
    for added in model.losses:  # the layers' add_loss terms of this forward pass
        loss = loss + added
    return loss


def update_metrics(metrics, yb, outputs) -> None:
    """Add a batch to the running metrics (a model's per-output losses take its weights)."""
    y, sample_weight = split_targets(yb)
    for metric in metrics:
        if getattr(metric, "needs_weights", False):
            metric.update_state(y, outputs, sample_weight)
        else:
            metric.update_state(y, outputs)


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


def evaluate(model, x, y, batch_size=None, return_dict=False, prepared=False,
             sample_weight=None):
    """Mean loss over all samples (plus regularization penalties) and the metrics; with
    ``sample_weight``, the weighted mean (1/n) sum_i s_i l_i."""
    if model.loss is None:
        raise ValueError("evaluate: the model is not compiled; call compile(optimizer, loss)")
    check_batch_size(batch_size)
    return_dict = check_bool(return_dict, "return_dict")
    if not prepared:
        x = prepare_x(model, x)
        y = prepare_y(model, y, len(x))
        if sample_weight is not None:
            y = Weighted(y, weights_for(sample_weight, len(x)))
    total, metrics = 0.0, model.compiled_metrics
    for metric in metrics:
        metric.reset_state()
    size = len(x) if batch_size is None else batch_size
    reduction = model.loss.reduction
    head = model.fused_output()
    for start in range(0, len(x), size):
        xb, yb = x[start:start + size], y[start:start + size]
        with no_grad():
            out = model.forward(as_tensors(xb), training=False)
            loss = float(batch_loss(model, out, yb, head).data)
        total += loss * (len(xb) if reduction == "mean" else 1)
        update_metrics(metrics, yb, output_data(out))
    loss = (total / len(x) if reduction == "mean" else total) + add_penalties(model)
    result = {"loss": loss, **{m.name: log_value(m.result()) for m in metrics}}
    if return_dict:
        return result
    return loss if not metrics else list(result.values())


def predict(model, x, batch_size=None):
    """The model's outputs for x (n, *input_shape); one sample of the input shape gives one row."""
    if batch_size is None and type(x) is np.ndarray:  # one sample, a plan made: at once
        out = _rows.predict_sample(model, x)
        if out is not None:
            return out
    if not model.built:
        raise ValueError(
            f"predict: model {model.name!r} is not built: it has no weights yet. Give the first "
            f"layer input_shape / input_dim, call build(input_shape), or fit it first"
        )
    check_batch_size(batch_size)
    if model.multi_input or model.multi_output or isinstance(x, dict):
        return _predict_graph(model, x, batch_size)
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



def _predict_graph(model, x, batch_size):
    """predict for a model with several inputs or outputs: a list of arrays per output."""
    x = prepare_x(model, x)
    size = len(x) if batch_size is None else batch_size
    parts = []
    with no_grad():
        for i in range(0, len(x), size):
            out = model.forward(as_tensors(x[i:i + size]), training=False)
            parts.append(out if isinstance(out, list) else [out])
    outs = [np.concatenate([p[k].data for p in parts]) for k in range(len(parts[0]))]
    return outs if model.multi_output else outs[0]


def weights_for(sample_weight, n: int, name: str = "sample_weight") -> np.ndarray:
    """``sample_weight`` as n finite weights >= 0, one per sample."""
    w = as_array(sample_weight, name, dtype=np.float64)
    if w.ndim == 2 and w.shape[1] == 1:
        w = w.reshape(-1)
    if w.shape != (n,):
        raise ValueError(f"{name}: expected one weight per sample, shape ({n},), got shape "
                         f"{w.shape}")
    if w.size and w.min() < 0:
        raise ValueError(f"{name}: expected weights >= 0, got a minimum of {w.min():g}")
    return w
