"""Metrics: how good predictions are, as stateless functions and as running (stateful) metrics.

Each metric exists twice: a function ``f(y_true, y_pred) -> float`` on one set of predictions,
and a Keras-style class with ``update_state(y_true, y_pred, sample_weight=None)``, ``result()``
and ``reset_state()`` that accumulates over batches. The classes keep sums, not per-batch
averages, so the value after an epoch of batches equals the function on the whole epoch.

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

import math

import numpy as np

from rosenblatt.base.checks import as_array, check_in_range, check_same_length, describe
from rosenblatt.base.registry import Registry

registry = Registry("metric")


def _register(*names: str):
    """Register a metric class under ``names``; the first is its default ``name``."""

    def decorate(cls):
        cls._default_name = names[0]
        return registry.register(*names)(cls)

    return decorate


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


# -- per-sample values: each formula once ---------------------------------------------------


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


def _squared_values(y_true, y_pred) -> np.ndarray:
    y_true, y_pred = _same_shape(y_true, y_pred)
    return _per_sample(np.square(y_true - y_pred, dtype=np.float64))


# -- stateless functions --------------------------------------------------------------------


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


def r2_score(y_true, y_pred) -> float:
    """Coefficient of determination R^2.

    Formula: R^2 = 1 - SS_res / SS_tot, SS_res = sum_i (y_i - yhat_i)^2,
    SS_tot = sum_i (y_i - mean(y))^2, per output column, then averaged over columns
    (scikit-learn's 'uniform_average'); a constant target scores 1 if predicted exactly, else 0.

    Args:
        y_true, y_pred: targets and predictions of the same shape (N,) or (N, K).

    >>> r2_score([1.0, 2.0, 3.0], [1.0, 2.0, 2.0])  # 1 - 1 / 2
    0.5

    Lectures 002, 003 (regression, least squares).
    """
    y, yhat = _columns(y_true, y_pred)
    return _r2_from_sums(((y - yhat) ** 2).sum(axis=0), ((y - y.mean(axis=0)) ** 2).sum(axis=0))


mae = mean_absolute_error
mse = mean_squared_error
rmse = root_mean_squared_error
r2 = r2_score


# -- stateful metrics -------------------------------------------------------------------------


def _sample_weight(sample_weight, n: int) -> np.ndarray:
    if sample_weight is None:
        return np.ones(n)
    w = as_array(sample_weight, "sample_weight", dtype=np.float64, ndim=(1, 2))
    if w.shape not in ((n,), (n, 1)):
        raise ValueError(f"sample_weight: expected shape ({n},), got {w.shape}")
    if (w < 0).any():
        raise ValueError(f"sample_weight: expected weights >= 0, found {w.min()}")
    return w.reshape(-1)


class Metric:
    """Base class of running metrics (Keras' API).

    ``update_state(y_true, y_pred, sample_weight=None)`` adds a batch, ``result()`` is the value
    over everything added since ``reset_state()``. ``name`` is what training logs show.

    >>> m = MeanAbsoluteError(name="mae")
    >>> m.update_state([0.0, 0.0], [1.0, 3.0]); m.update_state([0.0], [5.0])
    >>> m.result(), m.name
    (3.0, 'mae')
    >>> m.reset_state(); m.result()
    0.0

    Lecture 002 ("Loss / Metrics" of a Keras model).
    """

    _config_keys: tuple[str, ...] = ()
    _default_name = "metric"

    def __init__(self, name: str | None = None):
        if name is not None and not isinstance(name, str):
            raise TypeError(f"name: expected a str, got {describe(name)}")
        self.name = name or self._default_name
        self.reset_state()

    def update_state(self, y_true, y_pred, sample_weight=None) -> None:
        raise NotImplementedError

    def result(self) -> float:
        raise NotImplementedError

    def reset_state(self) -> None:
        raise NotImplementedError

    def get_config(self) -> dict:
        """``name`` and the constructor arguments, JSON-serializable."""
        return {"name": self.name, **{key: getattr(self, key) for key in self._config_keys}}

    @classmethod
    def from_config(cls, config: dict) -> Metric:
        """Rebuild a metric (with empty state) from :meth:`get_config`'s output."""
        return cls(**config)

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.name!r}: {self.result()}>"


class _MeanMetric(Metric):
    """A weighted mean of per-sample values: sum_i w_i value_i / sum_i w_i over all batches."""

    def _values(self, y_true, y_pred) -> np.ndarray:
        raise NotImplementedError

    def update_state(self, y_true, y_pred, sample_weight=None) -> None:
        """Add a batch: y_true and y_pred as for the matching function, sample_weight (N,)."""
        values = self._values(y_true, y_pred)
        w = _sample_weight(sample_weight, len(values))
        self._total += float(values @ w)
        self._count += float(w.sum())

    def result(self) -> float:
        """The weighted mean so far (0.0 before any sample)."""
        return self._total / self._count if self._count else 0.0

    def reset_state(self) -> None:
        self._total = 0.0
        self._count = 0.0


@_register("accuracy", "acc")
class Accuracy(_MeanMetric):
    """Running :func:`accuracy` (binary, sparse or categorical from the shapes).

    Unlike Keras' ``Accuracy`` class (exact equality of y_true and y_pred), this is what Keras'
    ``metrics=['accuracy']`` string does: it picks the kind of accuracy from the shapes.

    >>> m = Accuracy()
    >>> m.update_state([1, 0], [0.9, 0.8])
    >>> m.result()
    0.5
    """

    def _values(self, y_true, y_pred):
        return _accuracy_values(y_true, y_pred)


@_register("binary_accuracy")
class BinaryAccuracy(_MeanMetric):
    """Running :func:`binary_accuracy`.

    Args:
        threshold: in [0, 1] (default 0.5).  name: the logged name.

    >>> m = BinaryAccuracy(threshold=0.3)
    >>> m.update_state([1, 0], [0.4, 0.2])
    >>> m.result()
    1.0
    """

    _config_keys = ("threshold",)

    def __init__(self, threshold: float = 0.5, name: str | None = None):
        self.threshold = float(check_in_range(threshold, "threshold", 0.0, 1.0))
        super().__init__(name)

    def _values(self, y_true, y_pred):
        return _binary_values(y_true, y_pred, self.threshold)


@_register("categorical_accuracy")
class CategoricalAccuracy(_MeanMetric):
    """Running :func:`categorical_accuracy`.

    >>> m = CategoricalAccuracy()
    >>> m.update_state([[0, 1]], [[0.2, 0.8]])
    >>> m.result()
    1.0
    """

    def _values(self, y_true, y_pred):
        return _categorical_values(y_true, y_pred)


@_register("sparse_categorical_accuracy")
class SparseCategoricalAccuracy(_MeanMetric):
    """Running :func:`sparse_categorical_accuracy`.

    >>> m = SparseCategoricalAccuracy()
    >>> m.update_state([0], [[0.2, 0.8]])
    >>> m.result()
    0.0
    """

    def _values(self, y_true, y_pred):
        return _sparse_values(y_true, y_pred)


@_register("mean_absolute_error", "mae")
class MeanAbsoluteError(_MeanMetric):
    """Running :func:`mean_absolute_error`.

    >>> m = MeanAbsoluteError()
    >>> m.update_state([1.0], [3.0]); m.update_state([0.0, 0.0], [1.0, 1.0])
    >>> m.result()  # (2 + 1 + 1) / 3
    1.3333333333333333
    """

    def _values(self, y_true, y_pred):
        return _absolute_values(y_true, y_pred)


@_register("mean_squared_error", "mse")
class MeanSquaredError(_MeanMetric):
    """Running :func:`mean_squared_error`.

    >>> m = MeanSquaredError()
    >>> m.update_state([1.0, 2.0], [1.5, 0.0])
    >>> m.result()
    2.125
    """

    def _values(self, y_true, y_pred):
        return _squared_values(y_true, y_pred)


@_register("root_mean_squared_error", "rmse")
class RootMeanSquaredError(MeanSquaredError):
    """Running :func:`root_mean_squared_error`: the square root of the running MSE.

    >>> m = RootMeanSquaredError()
    >>> m.update_state([0.0], [2.0]); m.update_state([1.0], [-1.0])
    >>> m.result()
    2.0
    """

    def result(self) -> float:
        return math.sqrt(super().result())


@_register("r2_score", "r2")
class R2Score(Metric):
    """Running :func:`r2_score`, exact over batches.

    Keeps, per output column, the weight total W, the weighted mean of y, the weighted sum of
    squared deviations M2 (merged batch by batch with Chan et al.'s parallel formula:
    M2 <- M2 + M2_b + delta^2 W W_b / (W + W_b)) and SS_res; result = 1 - SS_res / M2.
    With sample weights, SS_res and SS_tot are weighted sums (as in scikit-learn).

    >>> m = R2Score()
    >>> m.update_state([1.0, 2.0], [1.0, 2.0]); m.update_state([3.0], [2.0])
    >>> m.result()
    0.5
    """

    def update_state(self, y_true, y_pred, sample_weight=None) -> None:
        """Add a batch: y_true and y_pred (N,) or (N, K), sample_weight (N,)."""
        y, yhat = _columns(y_true, y_pred)
        w = _sample_weight(sample_weight, len(y))
        if self._mean is not None and self._mean.shape[0] != y.shape[1]:
            raise ValueError(
                f"y_true: expected {self._mean.shape[0]} output column(s) as in earlier batches, "
                f"got {y.shape[1]}"
            )
        w_b = float(w.sum())
        if w_b == 0:
            return
        mean_b = w @ y / w_b
        m2_b = w @ (y - mean_b) ** 2
        res_b = w @ (y - yhat) ** 2
        if self._mean is None:
            self._weight, self._mean, self._m2, self._ss_res = w_b, mean_b, m2_b, res_b
            return
        total = self._weight + w_b
        delta = mean_b - self._mean
        self._mean = self._mean + delta * (w_b / total)
        self._m2 = self._m2 + m2_b + delta**2 * (self._weight * w_b / total)
        self._ss_res = self._ss_res + res_b
        self._weight = total

    def result(self) -> float:
        """R^2 over all batches so far (0.0 before any sample)."""
        return 0.0 if self._mean is None else _r2_from_sums(self._ss_res, self._m2)

    def reset_state(self) -> None:
        self._weight, self._mean, self._m2, self._ss_res = 0.0, None, None, None


class MeanMetricWrapper(_MeanMetric):
    """A running mean of a user function ``fn(y_true, y_pred)`` returning per-sample values (N,)
    or one number for the batch (counted once per sample).

    >>> m = MeanMetricWrapper(lambda y, p: np.abs(np.asarray(y) - p), name="abs")
    >>> m.update_state([1.0, 2.0], np.array([0.0, 0.0]))
    >>> m.name, m.result()
    ('abs', 1.5)
    """

    def __init__(self, fn, name: str | None = None):
        if not callable(fn):
            raise TypeError(
                f"fn: expected a callable (y_true, y_pred) -> values, got {describe(fn)}"
            )
        self.fn = fn
        super().__init__(name or getattr(fn, "__name__", "metric"))

    def _values(self, y_true, y_pred):
        n = len(y_true)
        values = np.asarray(self.fn(y_true, y_pred), dtype=np.float64)
        if values.ndim == 0:
            return np.full(n, float(values))
        if values.shape != (n,):
            raise ValueError(
                f"{self.name}: expected the metric function to return one number or shape "
                f"({n},), got shape {values.shape}"
            )
        return values

    def get_config(self) -> dict:
        raise TypeError(f"{self.name}: a metric wrapping a plain function cannot be serialized")


def serialize(metric: Metric) -> dict:
    """``{'class_name': ..., 'config': ...}`` for a metric (JSON-serializable).

    >>> serialize(BinaryAccuracy(0.3, name="acc"))
    {'class_name': 'BinaryAccuracy', 'config': {'name': 'acc', 'threshold': 0.3}}
    """
    if not isinstance(metric, Metric):
        raise TypeError(f"metric: expected a Metric, got {describe(metric)}")
    return {"class_name": type(metric).__name__, "config": metric.get_config()}


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
    if isinstance(identifier, Metric):
        return identifier
    if isinstance(identifier, str):
        return registry.lookup(identifier)(name=identifier)
    if isinstance(identifier, dict):
        if set(identifier) != {"class_name", "config"}:
            raise ValueError(
                f"metric config: expected keys 'class_name' and 'config', got {sorted(identifier)}"
            )
        return registry.lookup(identifier["class_name"]).from_config(identifier["config"])
    if callable(identifier):
        own = getattr(identifier, "__module__", None) == __name__
        if own and identifier.__name__ in registry:
            return registry.lookup(identifier.__name__)(name=identifier.__name__)
        return MeanMetricWrapper(identifier)
    raise TypeError(
        "metric: expected a name, a config dict, a Metric or a callable, "
        f"got {describe(identifier)}"
    )
