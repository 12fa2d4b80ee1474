"""Top-k accuracies (Keras'): a sample counts as right when its true class is among the k
classes with the highest scores.

Ties follow Keras (``in_top_k``): classes scoring the same as the true class all count as
within the top k, so the true class is in the top k when fewer than k classes score strictly
more than it.

>>> m = TopKCategoricalAccuracy(k=2)
>>> m.update_state([[0, 0, 1], [1, 0, 0]], [[0.5, 0.2, 0.3], [0.1, 0.6, 0.3]])
>>> m.result()
0.5
"""

from __future__ import annotations

import numpy as np

from rosenblatt.base.checks import check_positive
from rosenblatt.nn.metrics.running import _MeanMetric, _register
from rosenblatt.nn.metrics.values import _class_labels, _inputs, _sparse_shapes_ok


def top_k_values(labels: np.ndarray, y_pred: np.ndarray, k: int) -> np.ndarray:
    """1.0 where fewer than k scores of a row exceed the score of its label, else 0.0."""
    true_scores = y_pred[np.arange(len(y_pred)), labels][:, None]
    return ((y_pred > true_scores).sum(axis=1) < k).astype(np.float64)


class _TopK(_MeanMetric):
    _config_keys = ("k",)

    def __init__(self, k=5, name=None):
        self.k = int(check_positive(k, "k", integer=True))
        super().__init__(name)


@_register("top_k_categorical_accuracy")
class TopKCategoricalAccuracy(_TopK):
    """The share of samples whose one-hot class (argmax of y_true) is among the k highest
    scores of y_pred (shapes (N, K) both). Args: k (default 5), name."""

    def _values(self, y_true, y_pred):
        y_true, y_pred = _inputs(y_true, y_pred)
        if y_pred.ndim != 2 or y_true.shape != y_pred.shape:
            raise ValueError(f"y_true and y_pred: expected one-hot y_true and scores y_pred of "
                             f"the same shape (N, K), got y_true {y_true.shape} and y_pred "
                             f"{y_pred.shape}")
        return top_k_values(y_true.argmax(axis=1), y_pred, self.k)


@_register("sparse_top_k_categorical_accuracy")
class SparseTopKCategoricalAccuracy(_TopK):
    """The share of samples whose integer label (y_true (N,) or (N, 1)) is among the k highest
    scores of y_pred (N, K). Args: k (default 5), name.

    >>> m = SparseTopKCategoricalAccuracy(k=1)
    >>> m.update_state([2, 1], [[0.5, 0.2, 0.3], [0.1, 0.6, 0.3]])
    >>> m.result()
    0.5
    """

    def _values(self, y_true, y_pred):
        y_true, y_pred = _inputs(y_true, y_pred)
        if not _sparse_shapes_ok(y_true, y_pred):
            raise ValueError(f"y_true and y_pred: expected integer labels y_true (N,) or (N, 1) "
                             f"and scores y_pred (N, K), got y_true {y_true.shape} and y_pred "
                             f"{y_pred.shape}")
        labels = _class_labels(y_true, y_pred.shape[1]).astype(np.int64)
        return top_k_values(labels, y_pred, self.k)
