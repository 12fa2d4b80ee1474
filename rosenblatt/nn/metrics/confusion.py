"""Metrics from counts of true and false positives: Precision, Recall, F1Score and AUC (Keras').

Each keeps weighted counts over the batches (true positives TP, false positives FP, false
negatives FN, true negatives TN), so the value after an epoch equals the one on the whole epoch.
A prediction is positive when it is strictly greater than the threshold (Keras' rule); targets
are positive when nonzero. Every entry of y_pred counts (multi-label), unless ``class_id``
picks one column.

Lecture 003 (classification: precision and recall); Fawcett (2006) for ROC curves, Davis and
Goadrich (2006) for interpolating precision-recall curves.

>>> m = Precision()
>>> m.update_state([0, 1, 1, 1], [1.0, 1.0, 0.0, 1.0])
>>> m.result()  # TP = 2, FP = 1
0.6666666666666666
"""

from __future__ import annotations

import numbers

import numpy as np

from rosenblatt.base.checks import as_array, check_bool, check_choice, check_positive, describe
from rosenblatt.nn.metrics.running import Metric, _register, _sample_weight
from rosenblatt.nn.metrics.values import _same_shape

EPSILON = 1e-7  # Keras' epsilon: keeps F1's ratios finite, widens AUC's outer thresholds


def _thresholds(value, name="thresholds") -> list[float]:
    values = [value] if isinstance(value, numbers.Real) else value
    ok = isinstance(values, (list, tuple)) and len(values) > 0 and all(
        isinstance(t, numbers.Real) and not isinstance(t, bool) and 0 <= t <= 1 for t in values)
    if not ok:
        raise ValueError(f"{name}: expected a number in [0, 1] or a list of them, got "
                         f"{describe(value)}")
    return [float(t) for t in values]


def _counts(y_true, y_pred, sample_weight, thresholds, class_id=None) -> np.ndarray:
    """Weighted (TP, FP, FN, TN) at each threshold: an array of shape (4, thresholds)."""
    y_true, y_pred = _same_shape(y_true, y_pred)
    w = _sample_weight(sample_weight, len(y_true))
    if class_id is not None:
        if y_pred.ndim != 2 or class_id >= y_pred.shape[1]:
            raise ValueError(f"class_id: expected a column of y_pred, got {class_id} for y_pred "
                             f"of shape {y_pred.shape}")
        y_true, y_pred = y_true[:, class_id], y_pred[:, class_id]
    positive = (y_true != 0).reshape(len(y_true), -1)
    scores = y_pred.reshape(len(y_pred), -1)
    w = np.broadcast_to(w[:, None], scores.shape).ravel()
    positive, scores = positive.ravel(), scores.ravel()
    predicted = scores[None, :] > np.asarray(thresholds)[:, None]
    tp = (predicted & positive) @ w
    fp = (predicted & ~positive) @ w
    fn = (~predicted & positive) @ w
    tn = (~predicted & ~positive) @ w
    return np.stack([tp, fp, fn, tn])


def _ratio(a, b):
    """a / b, 0 where b is 0 (Keras' divide_no_nan)."""
    return np.divide(a, b, out=np.zeros_like(a, dtype=np.float64), where=b != 0)


class _Confusion(Metric):
    """Counts at thresholds; the result is one number per threshold (a float for one)."""

    _config_keys = ("thresholds", "class_id")

    def __init__(self, thresholds=None, class_id=None, name=None):
        self.thresholds = None if thresholds is None else _thresholds(thresholds)
        if class_id is not None and (not isinstance(class_id, numbers.Integral)
                                     or isinstance(class_id, bool) or class_id < 0):
            raise ValueError(f"class_id: expected an int >= 0 or None, got {describe(class_id)}")
        self.class_id = class_id
        super().__init__(name)

    @property
    def scalar(self) -> bool:
        return self.thresholds is None or len(self.thresholds) == 1

    def _at(self) -> list[float]:
        return self.thresholds if self.thresholds is not None else [0.5]

    def reset_state(self):
        self._counts = np.zeros((4, len(self._at())))

    def update_state(self, y_true, y_pred, sample_weight=None):
        self._counts += _counts(y_true, y_pred, sample_weight, self._at(), self.class_id)

    def _value(self, tp, fp, fn) -> np.ndarray:
        raise NotImplementedError

    def result(self):
        tp, fp, fn, _ = self._counts
        value = self._value(tp, fp, fn)
        return float(value[0]) if len(value) == 1 else value


@_register("precision")
class Precision(_Confusion):
    """Precision: TP / (TP + FP), the share of predicted positives that are positive (0 before
    any predicted positive).

    Args: thresholds: a number or list in [0, 1] (default 0.5; a list gives a NumPy vector).
    class_id: one column of y_pred to score (default: every entry). name: the logged name.
    """

    def _value(self, tp, fp, fn):
        return _ratio(tp, tp + fp)


@_register("recall")
class Recall(_Confusion):
    """Recall: TP / (TP + FN), the share of positives predicted positive.

    Args: as :class:`Precision`.

    >>> m = Recall()
    >>> m.update_state([0, 1, 1, 1], [1.0, 0.0, 1.0, 1.0])
    >>> m.result()
    0.6666666666666666
    """

    def _value(self, tp, fp, fn):
        return _ratio(tp, tp + fn)


@_register("f1_score")
class F1Score(Metric):
    """F1 score per class (Keras' F1Score): with p = TP / (TP + FP + eps) and
    r = TP / (TP + FN + eps) for each class (column), F1 = 2 p r / (p + r + eps).

    Args:
        average: None (one score per class, a NumPy vector, as Keras' tensor; fit's logs,
            History and evaluate hold it as it is), 'micro' (from the summed counts),
            'macro' (the mean of the classes' scores) or 'weighted' (weighted by each class's
            number of positives).
        threshold: a prediction is positive when > threshold; None (default): the largest
            entry of each row is the positive one.
        name: the logged name.

    >>> m = F1Score(average="macro")
    >>> m.update_state([[1, 0], [0, 1], [0, 1]], [[0.8, 0.2], [0.3, 0.7], [0.6, 0.4]])
    >>> round(m.result(), 4)   # class 0: p 1/2, r 1; class 1: p 1, r 1/2
    0.6667
    """

    _config_keys = ("average", "threshold")

    def __init__(self, average=None, threshold=None, name=None):
        self.average = check_choice(average, "average", (None, "micro", "macro", "weighted"))
        self.threshold = None if threshold is None else _thresholds(threshold, "threshold")[0]
        super().__init__(name)

    @property
    def scalar(self) -> bool:
        return self.average is not None

    def reset_state(self):
        self._counts = None

    def update_state(self, y_true, y_pred, sample_weight=None):
        y_true, y_pred = as_array(y_true, "y_true"), as_array(y_pred, "y_pred")
        if y_pred.ndim != 2 or y_true.shape != y_pred.shape:
            raise ValueError(f"y_true, y_pred: expected the same shape (samples, classes), got "
                             f"{y_true.shape} and {y_pred.shape}")
        if self._counts is not None and self._counts.shape[1] != y_pred.shape[1]:
            raise ValueError(f"y_pred: expected {self._counts.shape[1]} classes, as before, got "
                             f"{y_pred.shape[1]}")
        w = _sample_weight(sample_weight, len(y_true))[:, None]
        if self.threshold is None:
            predicted = y_pred == y_pred.max(axis=1, keepdims=True)
        else:
            predicted = y_pred > self.threshold
        positive = y_true != 0
        counts = np.stack([(w * (predicted & positive)).sum(0),
                           (w * (predicted & ~positive)).sum(0),
                           (w * (~predicted & positive)).sum(0)])
        self._counts = counts if self._counts is None else self._counts + counts

    def result(self):
        if self._counts is None:
            return 0.0
        tp, fp, fn = self._counts
        if self.average == "micro":
            tp, fp, fn = tp.sum(), fp.sum(), fn.sum()
        p, r = tp / (tp + fp + EPSILON), tp / (tp + fn + EPSILON)
        f1 = 2 * p * r / (p + r + EPSILON)
        if self.average == "macro":
            return float(f1.mean())
        if self.average == "weighted":
            support = tp + fn
            return float((f1 * support).sum() / support.sum()) if support.sum() else 0.0
        return float(f1) if self.average == "micro" else f1


@_register("auc")
class AUC(Metric):
    """Area under the ROC or the precision-recall curve, from counts at fixed thresholds
    (Keras' AUC).

    The thresholds are ``num_thresholds`` points: -eps, i / (num_thresholds - 1) for
    0 < i < num_thresholds - 1, and 1 + eps (or the given ``thresholds``, with -eps and 1 + eps
    added). ROC: x = FP / (FP + TN), y = TP / (TP + FN). PR: x = recall, y = precision.
    Summation: 'interpolation' (the trapezoid rule for ROC; Davis and Goadrich's interpolation
    for PR), 'minoring' or 'majoring' (lower or upper Riemann sums).

    Args: num_thresholds (>= 2, default 200), curve ('ROC' or 'PR'), summation_method,
    thresholds (a list in [0, 1], optional), from_logits (apply a sigmoid first), name.

    >>> m = AUC()
    >>> m.update_state([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8])
    >>> round(m.result(), 4)   # 3 of the 4 (positive, negative) pairs are in order
    0.75
    """

    _config_keys = ("num_thresholds", "curve", "summation_method", "thresholds", "from_logits")

    def __init__(self, num_thresholds=200, curve="ROC", summation_method="interpolation",
                 thresholds=None, from_logits=False, name=None):
        self.curve = check_choice(curve, "curve", ("ROC", "PR"))
        self.summation_method = check_choice(summation_method, "summation_method",
                                             ("interpolation", "minoring", "majoring"))
        self.from_logits = check_bool(from_logits, "from_logits")
        if thresholds is not None:
            self.thresholds = sorted(_thresholds(thresholds))
            self.num_thresholds = len(self.thresholds) + 2
        else:
            self.thresholds = None
            self.num_thresholds = int(check_positive(num_thresholds, "num_thresholds",
                                                     integer=True))
            if self.num_thresholds < 2:
                raise ValueError(f"num_thresholds: expected an integer >= 2, got "
                                 f"{num_thresholds!r}")
        super().__init__(name)

    def _grid(self) -> list[float]:
        if self.thresholds is not None:
            inner = self.thresholds
        else:
            n = self.num_thresholds
            inner = [i / (n - 1) for i in range(1, n - 1)]
        return [-EPSILON, *inner, 1 + EPSILON]

    def reset_state(self):
        self._counts = np.zeros((4, self.num_thresholds))

    def update_state(self, y_true, y_pred, sample_weight=None):
        y_pred = as_array(y_pred, "y_pred")
        if self.from_logits:
            y_pred = 1 / (1 + np.exp(-y_pred))
        elif y_pred.size and (y_pred.min() < 0 or y_pred.max() > 1):
            raise ValueError(f"y_pred: AUC expects probabilities in [0, 1], got values from "
                             f"{y_pred.min():g} to {y_pred.max():g}; pass from_logits=True "
                             f"for logits")
        self._counts += _counts(y_true, y_pred, sample_weight, self._grid())

    def result(self) -> float:
        tp, fp, fn, tn = self._counts
        if self.curve == "PR" and self.summation_method == "interpolation":
            return _pr_interpolated(tp, fp, fn)
        if self.curve == "ROC":
            x, y = _ratio(fp, fp + tn), _ratio(tp, tp + fn)
        else:
            x, y = _ratio(tp, tp + fn), _ratio(tp, tp + fp)
        if self.summation_method == "interpolation":
            heights = (y[:-1] + y[1:]) / 2
        elif self.summation_method == "minoring":
            heights = np.minimum(y[:-1], y[1:])
        else:
            heights = np.maximum(y[:-1], y[1:])
        return float(np.sum((x[:-1] - x[1:]) * heights))


def _pr_interpolated(tp, fp, fn) -> float:
    """The area under the precision-recall curve, interpolating between thresholds along
    straight lines in (TP, TP + FP) (Davis and Goadrich 2006), as Keras computes it."""
    dtp = tp[:-1] - tp[1:]
    p = tp + fp
    dp = p[:-1] - p[1:]
    slope = _ratio(dtp, np.maximum(dp, 0))
    intercept = tp[1:] - slope * p[1:]
    both = (p[:-1] > 0) & (p[1:] > 0)
    p_ratio = np.ones_like(p[1:])
    np.divide(p[:-1], np.maximum(p[1:], 0), out=p_ratio, where=both)
    increments = _ratio(slope * (dtp + intercept * np.log(p_ratio)), np.maximum(tp[1:] + fn[1:], 0))
    return float(np.sum(increments))
