"""Keras' ``keras.utils`` helpers that course material calls: ``to_categorical``,
``normalize``, ``set_random_seed`` and ``plot_model``.

>>> to_categorical([0, 2, 1], num_classes=3).tolist()
[[1.0, 0.0, 0.0], [0.0, 0.0, 1.0], [0.0, 1.0, 0.0]]
"""

from __future__ import annotations

import numbers
import random

import numpy as np

from rosenblatt.autodiff.tensor import floatx
from rosenblatt.base.checks import as_array, check_bool, describe
from rosenblatt.base.random import set_seed
from rosenblatt.datasets.preprocessing import one_hot


def to_categorical(x, num_classes=None) -> np.ndarray:
    """One-hot encode integer class labels, any shape: Y[..., k] = 1 where x = k, else 0.

    A last axis of size 1 is dropped first, as Keras does ((n, 1) gives (n, K)).

    Args: x: labels 0..K-1. num_classes: K (default max(x) + 1).
    Returns: an array of shape x.shape + (K,) in rosenblatt's float type (float32 by default;
    Keras gives float64).
    """
    labels = as_array(x, "x")
    if labels.ndim > 1 and labels.shape[-1] == 1:
        labels = labels.reshape(labels.shape[:-1])
    encoded = one_hot(labels.reshape(-1), num_classes)
    return encoded.reshape(*labels.shape, encoded.shape[1]).astype(floatx(), copy=False)


def normalize(x, axis=-1, order=2) -> np.ndarray:
    """Scale ``x`` to unit norm along ``axis``: x / ||x||_order (rows of zeros stay zeros).

    >>> normalize(np.array([[3.0, 4.0]])).tolist()
    [[0.6, 0.8]]
    """
    x = as_array(x, "x")
    if not isinstance(axis, numbers.Integral) or isinstance(axis, bool) or not (
            -x.ndim <= axis < max(x.ndim, 1)):
        raise ValueError(f"axis: expected an axis of x (of {x.ndim} dimensions), got {axis!r}")
    if order not in (1, 2, np.inf):
        raise ValueError(f"order: expected 1, 2 or np.inf, got {order!r}")
    norm = np.linalg.norm(x, ord=order, axis=axis, keepdims=True)
    return x / np.where(norm == 0, 1, norm)


def set_random_seed(seed) -> None:
    """Seed every generator a run draws from: rosenblatt's global one (see
    :func:`rosenblatt.set_seed`), Python's ``random`` and NumPy's legacy global one."""
    if not isinstance(seed, numbers.Integral) or isinstance(seed, bool) or seed < 0:
        raise ValueError(f"seed: expected an integer >= 0, got {seed!r}")
    set_seed(int(seed))
    random.seed(int(seed))
    np.random.seed(int(seed) % 2**32)


def plot_model(model, to_file="model.png", show_shapes=False):
    """Draw the layer graph of ``model`` and write it to ``to_file`` (.png or .svg): one box per
    layer (name and class, and with ``show_shapes`` its input and output shapes), an arrow per
    connection. Needs matplotlib. Returns the ``matplotlib.figure.Figure``."""
    check_bool(show_shapes, "show_shapes")
    if not getattr(model, "built", False):
        raise ValueError(f"model: expected a built model (give the first layer input_shape, or "
                         f"call build or fit first), got {describe(model)}")
    from rosenblatt.plot.graph import layer_graph

    return layer_graph(model, save=to_file, show_shapes=show_shapes)
