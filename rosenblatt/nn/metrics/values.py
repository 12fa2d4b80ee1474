"""The metrics' shared arithmetic: input checks and per-sample values, each formula once.

Every metric, stateless function or running class, reduces (y_true, y_pred) to one value per
sample here (1.0 for a correct prediction, |error| or error^2 for regression), then averages.
Shapes: y_true and y_pred have the same shape, except that (N,) and (N, 1) are accepted
together as the same column; any other mismatch raises ValueError (it would broadcast).

>>> _binary_values([1, 0, 1], [0.9, 0.7, 0.2])
array([1., 0., 0.])
"""

from __future__ import annotations

import numpy as np

from rosenblatt.base.checks import as_array, check_same_length

# -- input checks -----------------------------------------------------------------------------


def _inputs(y_true, y_pred) -> tuple[np.ndarray, np.ndarray]:
    y_true, y_pred = as_array(y_true, "y_true"), as_array(y_pred, "y_pred")
    if y_true.ndim == 0 or y_pred.ndim == 0:
        raise ValueError(
            f"y_true, y_pred: expected arrays with a sample axis, got shapes {y_true.shape} and "
            f"{y_pred.shape}"
        )
    check_same_length(y_true, y_pred, "y_true", "y_pred")
    if len(y_true) == 0:
        raise ValueError("y_true, y_pred: expected at least one sample, got 0")
    return y_true, y_pred


def _same_shape(y_true, y_pred) -> tuple[np.ndarray, np.ndarray]:
    """Both arrays with one shape: (N,) with (N, 1) become (N,); other mismatches raise."""
    y_true, y_pred = _inputs(y_true, y_pred)
    if y_true.shape != y_pred.shape:
        if {y_true.ndim, y_pred.ndim} == {1, 2} and 1 in (y_true.shape[1:] + y_pred.shape[1:]):
            return y_true.reshape(-1), y_pred.reshape(-1)
        raise ValueError(
            f"y_true and y_pred: expected the same shape, got y_true {y_true.shape} and "
            f"y_pred {y_pred.shape}"
        )
    return y_true, y_pred


def _per_sample(values: np.ndarray) -> np.ndarray:
    """Mean over all axes but the first: one value per sample."""
    return values.reshape(len(values), -1).mean(axis=1) if values.ndim > 1 else values


def _class_labels(y_true: np.ndarray, n_classes: int) -> np.ndarray:
    labels = y_true.reshape(-1)
    bad = (labels != np.round(labels)) | (labels < 0) | (labels >= n_classes)
    if bad.any():
        i = int(np.argmax(bad))
        raise ValueError(
            f"y_true: expected integer class labels in [0, {n_classes - 1}], "
            f"found {labels[i]} at index {i}"
        )
    return labels


def _sparse_shapes_ok(y_true, y_pred) -> bool:
    return y_pred.ndim == 2 and (y_true.ndim == 1 or y_true.shape[1:] == (1,))


# -- per-sample values ------------------------------------------------------------------------


def _binary_values(y_true, y_pred, threshold=0.5) -> np.ndarray:
    y_true, y_pred = _same_shape(y_true, y_pred)
    bad = (y_true != 0) & (y_true != 1)
    if bad.any():
        i = np.unravel_index(int(np.argmax(bad)), bad.shape)
        raise ValueError(f"y_true: expected binary labels 0 or 1, found {y_true[i]} at index {i}")
    return _per_sample((y_pred > threshold) == (y_true == 1)).astype(np.float64)


def _categorical_values(y_true, y_pred) -> np.ndarray:
    y_true, y_pred = _inputs(y_true, y_pred)
    if y_pred.ndim != 2 or y_true.shape != y_pred.shape:
        raise ValueError(
            "y_true and y_pred: expected one-hot y_true and scores y_pred of the same shape "
            f"(N, K), got y_true {y_true.shape} and y_pred {y_pred.shape}"
        )
    return (y_true.argmax(axis=1) == y_pred.argmax(axis=1)).astype(np.float64)


def _sparse_values(y_true, y_pred) -> np.ndarray:
    y_true, y_pred = _inputs(y_true, y_pred)
    if not _sparse_shapes_ok(y_true, y_pred):
        raise ValueError(
            "y_true and y_pred: expected integer labels y_true (N,) or (N, 1) and scores y_pred "
            f"(N, K), got y_true {y_true.shape} and y_pred {y_pred.shape}"
        )
    labels = _class_labels(y_true, y_pred.shape[1])
    return (y_pred.argmax(axis=1) == labels).astype(np.float64)


def _accuracy_values(y_true, y_pred) -> np.ndarray:
    y_true, y_pred = _inputs(y_true, y_pred)
    if y_pred.ndim == 1 or y_pred.shape[1:] == (1,):
        return _binary_values(y_true, y_pred)
    if _sparse_shapes_ok(y_true, y_pred):
        return _sparse_values(y_true, y_pred)
    if y_pred.ndim == 2 and y_true.shape == y_pred.shape:
        return _categorical_values(y_true, y_pred)
    raise ValueError(
        "y_true and y_pred: expected y_pred (N,) or (N, 1) with 0/1 labels y_true, or y_pred "
        f"(N, K) with y_true (N,) labels or (N, K) one-hot, got y_true {y_true.shape} and "
        f"y_pred {y_pred.shape}"
    )


def _absolute_values(y_true, y_pred) -> np.ndarray:
    y_true, y_pred = _same_shape(y_true, y_pred)
    return _per_sample(np.abs(y_true - y_pred, dtype=np.float64))


def _percentage_values(y_true, y_pred) -> np.ndarray:
    """100 |y - p| / max(|y|, 1e-7) per entry, averaged per sample (Keras' MAPE)."""
    y_true, y_pred = _same_shape(y_true, y_pred)
    y = y_true.astype(np.float64)
    return _per_sample(100.0 * np.abs(y - y_pred) / np.maximum(np.abs(y), 1e-7))


def _squared_values(y_true, y_pred) -> np.ndarray:
    y_true, y_pred = _same_shape(y_true, y_pred)
    return _per_sample(np.square(y_true - y_pred, dtype=np.float64))


def _r2_from_sums(ss_res: np.ndarray, ss_tot: np.ndarray) -> float:
    """1 - SS_res / SS_tot per output, averaged; an output with SS_tot = 0 scores 1 if it is
    predicted exactly and 0 otherwise (scikit-learn's finite convention)."""
    safe = np.where(ss_tot > 0, ss_tot, 1.0)
    score = np.where(ss_tot > 0, 1 - ss_res / safe, np.where(ss_res == 0, 1.0, 0.0))
    return float(np.mean(score))


def _columns(y_true, y_pred) -> tuple[np.ndarray, np.ndarray]:
    y_true, y_pred = _same_shape(y_true, y_pred)
    n = len(y_true)
    return y_true.reshape(n, -1).astype(np.float64), y_pred.reshape(n, -1).astype(np.float64)
