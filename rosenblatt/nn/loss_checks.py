"""The checks at the losses' boundary, shared by every loss formula.

Shapes must match exactly ((n,) against (n, 1) is an error, never a silent broadcast), targets
must be finite numbers, and the probability losses refuse targets and predictions outside
[0, 1]. Messages name the argument, what was expected and what was received.

>>> import numpy as np
>>> y, p = prepare(np.array([[1.0]]), np.array([[0.5]]))
>>> p.shape
(1, 1)
"""

from __future__ import annotations

import numpy as np

from rosenblatt.autodiff.tensor import Tensor
from rosenblatt.base.checks import as_array, check_finite

EPSILON = 1e-7  # probabilities are clipped to [EPSILON, 1 - EPSILON] before a log


def prepare(y_true, y_pred, sparse: bool = False) -> tuple[np.ndarray, Tensor]:
    if not isinstance(y_pred, Tensor):
        y_pred = Tensor(as_array(y_pred, "y_pred"))
    y_true = np.asarray(y_true.data if isinstance(y_true, Tensor) else y_true)
    if y_true.dtype.kind not in "biuf":
        raise TypeError(f"y_true: expected numbers, got an array of dtype {y_true.dtype}")
    check_finite(y_true, "y_true")
    if sparse:
        n = y_pred.data.shape[0] if y_pred.data.ndim else 0
        if y_pred.data.ndim != 2 or y_true.shape not in ((n,), (n, 1)):
            raise ValueError(
                f"sparse labels: expected y_true of shape (n,) or (n, 1) with y_pred of shape "
                f"(n, classes), got y_true {y_true.shape} and y_pred {y_pred.data.shape}"
            )
        return y_true, y_pred
    if y_true.shape != y_pred.data.shape:
        raise ValueError(
            f"y_true and y_pred must have the same shape, got y_true {y_true.shape} and y_pred "
            f"{y_pred.data.shape}; reshape one of them (e.g. y.reshape(-1, 1)) to match"
        )
    return y_true.astype(y_pred.data.dtype, copy=False), y_pred


def last_axis_mean(t: Tensor) -> Tensor:
    return t.mean(axis=-1) if t.ndim > 1 else t


def check_probability_targets(y_true: np.ndarray, loss: str = "a cross-entropy") -> None:
    if y_true.size and (y_true.min() < 0 or y_true.max() > 1):
        raise ValueError(
            f"y_true: expected targets in [0, 1] for {loss}, got values from "
            f"{y_true.min()} to {y_true.max()}"
        )


def check_probabilities(p: Tensor, loss: str) -> None:
    low, high = (float(p.data.min()), float(p.data.max())) if p.data.size else (0.0, 0.0)
    if low < 0 or high > 1:
        raise ValueError(
            f"y_pred: {loss} expects probabilities in [0, 1], got values from {low:g} to "
            f"{high:g}; give the output a sigmoid or softmax, or pass from_logits=True"
        )


def check_distribution_rows(y_true: np.ndarray, name: str = "y_true") -> None:
    """Refuse target rows of a categorical cross-entropy that are not probability
    distributions: each row must sum to 1 (within 1e-3, float32 rounding of label smoothing)."""
    if y_true.ndim != 2 or not y_true.size:
        return
    sums = y_true.sum(axis=1, dtype=np.float64)
    bad = np.flatnonzero(np.abs(sums - 1) > 1e-3)
    if bad.size:
        raise ValueError(
            f"{name}: categorical_crossentropy needs target rows that sum to 1 (one-hot or "
            f"probabilities), got row {bad[0]} summing to {sums[bad[0]]:g}"
            + (f" and {bad.size - 1} more" if bad.size > 1 else "")
        )
