"""Metrics: how good predictions are, as stateless functions and as running (stateful) metrics.

Each metric exists twice: a function ``f(y_true, y_pred) -> float`` on one set of predictions
(module ``functions``), and a Keras-style class with ``update_state(y_true, y_pred,
sample_weight=None)``, ``result()`` and ``reset_state()`` that accumulates over batches (module
``running``); both take their per-sample values from module ``values``. The classes keep sums,
not per-batch averages, so the value after an epoch of batches equals the function on the whole
epoch.

Shapes: y_true and y_pred have the same shape, except that (N,) and (N, 1) are accepted
together as the same column; any other mismatch raises ValueError (it would broadcast).

Lectures 002 ("Loss / Metrics"), 003 (classification and regression), 004 (accuracy).

>>> import numpy as np
>>> accuracy([0, 1, 1], [0.2, 0.9, 0.4])
0.6666666666666666
>>> m = get("acc")
>>> m.update_state([0, 1], [0.1, 0.8]); m.update_state([1], [0.3])
>>> m.name, m.result()
('acc', 0.6666666666666666)
"""

from __future__ import annotations

from rosenblatt.nn.metrics import functions
from rosenblatt.nn.metrics.confusion import AUC, F1Score, Precision, Recall
from rosenblatt.nn.metrics.functions import (
    accuracy,
    binary_accuracy,
    categorical_accuracy,
    mae,
    mape,
    mean_absolute_error,
    mean_absolute_percentage_error,
    mean_squared_error,
    mse,
    r2,
    r2_score,
    rmse,
    root_mean_squared_error,
    sparse_categorical_accuracy,
)
from rosenblatt.nn.metrics.running import (
    Accuracy,
    BinaryAccuracy,
    CategoricalAccuracy,
    MeanAbsoluteError,
    MeanAbsolutePercentageError,
    MeanMetricWrapper,
    MeanSquaredError,
    Metric,
    R2Score,
    RootMeanSquaredError,
    SparseCategoricalAccuracy,
    log_value,
    registry,
)
from rosenblatt.nn.metrics.top_k import SparseTopKCategoricalAccuracy, TopKCategoricalAccuracy

__all__ = [
    "AUC", "F1Score", "Precision", "Recall", "SparseTopKCategoricalAccuracy",
    "TopKCategoricalAccuracy", "Accuracy", "BinaryAccuracy", "CategoricalAccuracy",
    "MeanAbsoluteError", "MeanAbsolutePercentageError", "MeanMetricWrapper",
    "MeanSquaredError", "Metric", "R2Score", "RootMeanSquaredError", "SparseCategoricalAccuracy",
    "accuracy", "binary_accuracy", "categorical_accuracy", "get", "log_value", "mae", "mape",
    "mean_absolute_error", "mean_absolute_percentage_error",
    "mean_squared_error", "mse", "r2", "r2_score", "registry", "rmse", "root_mean_squared_error",
    "serialize", "sparse_categorical_accuracy",
]


def serialize(metric: Metric) -> dict:
    """``{'class_name': ..., 'config': ...}`` for a metric (JSON-serializable).

    >>> serialize(BinaryAccuracy(0.3, name="acc"))
    {'class_name': 'BinaryAccuracy', 'config': {'name': 'acc', 'threshold': 0.3}}
    """
    return registry.serialize(metric, Metric)


def get(identifier) -> Metric:
    """A running metric from a name (named as given), a config dict, an instance or a function.

    Args:
        identifier: a name such as ``'acc'``, ``'accuracy'``, ``'mse'``, ``'r2'`` (the metric's
            ``name`` is this string, as Keras logs ``metrics=['acc']`` as 'acc'); a config dict
            ``{'class_name': 'BinaryAccuracy', 'config': {...}}``; a :class:`Metric`; one of this
            module's functions (its running class); or any callable (a :class:`MeanMetricWrapper`).

    >>> get("mse").name, type(get("mse")).__name__
    ('mse', 'MeanSquaredError')
    """
    return registry.get(identifier, Metric, optional=False, make=_named, convert=_from_function)


def _named(cls: type, name: str) -> Metric:
    """A metric made from a name is named as given (Keras logs ``metrics=['acc']`` as 'acc')."""
    return cls(name=name)


def _from_function(fn) -> Metric | None:
    """The running class of one of this package's functions, or a wrapper of any other
    callable; None for anything else."""
    if not callable(fn):
        return None
    if getattr(fn, "__module__", None) == functions.__name__ and fn.__name__ in registry:
        return registry.lookup(fn.__name__)(name=fn.__name__)
    return MeanMetricWrapper(fn)
