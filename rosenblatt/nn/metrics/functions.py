"""Metrics as stateless functions ``f(y_true, y_pred) -> float`` on one set of predictions.

Lectures 002 ("Loss / Metrics"), 003 (classification and regression), 004 (accuracy).
"""

from __future__ import annotations

import math

import numpy as np

from rosenblatt.base.checks import check_in_range
from rosenblatt.nn.metrics.values import (
    _absolute_values,
    _accuracy_values,
    _binary_values,
    _categorical_values,
    _columns,
    _percentage_values,
    _r2_from_sums,
    _sparse_values,
    _squared_values,
)


def accuracy(y_true, y_pred) -> float:
    """Fraction of correct predictions, the kind chosen from the shapes (Keras' 'accuracy').

    Formula: mean_i [prediction_i == label_i], where y_pred (N,) or (N, 1) is binary
    (prediction = y_pred > 0.5, labels 0/1); y_pred (N, K > 1) with y_true (N,) or (N, 1) is
    sparse categorical (argmax y_pred vs the integer label); y_pred and y_true (N, K) is
    categorical (argmax of both).

    Args:
        y_true: labels, shape (N,), (N, 1) or (N, K) one-hot.
        y_pred: probabilities or scores, shape (N,), (N, 1) or (N, K).

    Returns:
        float in [0, 1].

    >>> accuracy([2, 0], [[0.1, 0.2, 0.7], [0.3, 0.6, 0.1]])
    0.5

    Lectures 002, 004 (classification).
    """
    return float(np.mean(_accuracy_values(y_true, y_pred)))


def binary_accuracy(y_true, y_pred, threshold: float = 0.5) -> float:
    """Fraction of 0/1 labels matched by thresholded predictions.

    Formula: mean_i [(y_pred_i > threshold) == y_true_i] (averaged over outputs for (N, K)).

    Args:
        y_true: 0/1 labels, shape (N,), (N, 1) or (N, K).
        y_pred: probabilities of the same shape.
        threshold: in [0, 1].

    >>> binary_accuracy([1, 0, 1], [0.7, 0.6, 0.2], threshold=0.65)
    0.6666666666666666

    Lecture 004 (AND / OR outputs thresholded at 0.5).
    """
    check_in_range(threshold, "threshold", 0.0, 1.0)
    return float(np.mean(_binary_values(y_true, y_pred, threshold)))


def categorical_accuracy(y_true, y_pred) -> float:
    """Fraction of samples whose highest score is the one-hot label's class.

    Formula: mean_i [argmax_k y_pred_ik == argmax_k y_true_ik].

    Args:
        y_true: one-hot labels (N, K).  y_pred: scores (N, K).

    >>> categorical_accuracy([[0, 1], [1, 0]], [[0.4, 0.6], [0.3, 0.7]])
    0.5

    Lecture 003 (softmax classification).
    """
    return float(np.mean(_categorical_values(y_true, y_pred)))


def sparse_categorical_accuracy(y_true, y_pred) -> float:
    """Fraction of samples whose highest score is the integer label.

    Formula: mean_i [argmax_k y_pred_ik == y_true_i].

    Args:
        y_true: integer labels in [0, K), shape (N,) or (N, 1).  y_pred: scores (N, K).

    >>> sparse_categorical_accuracy([1, 1], [[0.4, 0.6], [0.3, 0.2]])
    0.5

    Lecture 003 (softmax classification of digits).
    """
    return float(np.mean(_sparse_values(y_true, y_pred)))


def mean_absolute_error(y_true, y_pred) -> float:
    """Mean absolute error: mean_i |y_true_i - y_pred_i| (over all entries).

    Args:
        y_true, y_pred: targets and predictions of the same shape (N,) or (N, K).

    >>> mean_absolute_error([1.0, 2.0], [1.5, 0.0])
    1.25

    Lecture 002 (regression).
    """
    return float(np.mean(_absolute_values(y_true, y_pred)))


def mean_absolute_percentage_error(y_true, y_pred) -> float:
    """Mean absolute percentage error: mean_i 100 |y_true_i - y_pred_i| / max(|y_true_i|, eps)
    (over all entries; eps = 1e-7, as in Keras).

    >>> mean_absolute_percentage_error([2.0, -4.0], [1.0, -3.0])   # (50 + 25) / 2
    37.5
    """
    return float(np.mean(_percentage_values(y_true, y_pred)))


def mean_squared_error(y_true, y_pred) -> float:
    """Mean squared error: mean_i (y_true_i - y_pred_i)^2 (over all entries).

    Args:
        y_true, y_pred: targets and predictions of the same shape (N,) or (N, K).

    >>> mean_squared_error([1.0, 2.0], [1.5, 0.0])
    2.125

    Lectures 001, 002 (the squared loss).
    """
    return float(np.mean(_squared_values(y_true, y_pred)))


def root_mean_squared_error(y_true, y_pred) -> float:
    """Root mean squared error: sqrt(mean_i (y_true_i - y_pred_i)^2).

    Args:
        y_true, y_pred: targets and predictions of the same shape (N,) or (N, K).

    >>> root_mean_squared_error([0.0, 1.0], [2.0, -1.0])
    2.0

    Lecture 002 (regression).
    """
    return math.sqrt(mean_squared_error(y_true, y_pred))


def r2_score(y_true, y_pred) -> float:
    """Coefficient of determination R^2.

    Formula: R^2 = 1 - SS_res / SS_tot, SS_res = sum_i (y_i - yhat_i)^2,
    SS_tot = sum_i (y_i - mean(y))^2, per output column, then averaged over columns
    (scikit-learn's 'uniform_average'); a constant target scores 1 if predicted exactly, else 0.

    Args:
        y_true, y_pred: targets and predictions of the same shape (N,) or (N, K), N >= 2
            (with one sample R^2 is undefined, as scikit-learn warns).

    >>> r2_score([1.0, 2.0, 3.0], [1.0, 2.0, 2.0])  # 1 - 1 / 2
    0.5

    Lectures 002, 003 (regression, least squares).
    """
    y, yhat = _columns(y_true, y_pred)
    if len(y) < 2:
        raise ValueError(f"y_true, y_pred: r2_score needs at least 2 samples (R^2 is undefined "
                         f"for one), got {len(y)}")
    return _r2_from_sums(((y - yhat) ** 2).sum(axis=0), ((y - y.mean(axis=0)) ** 2).sum(axis=0))


mae = mean_absolute_error
mape = mean_absolute_percentage_error
mse = mean_squared_error
rmse = root_mean_squared_error
r2 = r2_score
