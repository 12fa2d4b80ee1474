"""Running (stateful) metrics: Keras' ``update_state`` / ``result`` / ``reset_state``.

The classes keep sums, not per-batch averages, so the value after an epoch of batches equals
the matching function of :mod:`rosenblatt.nn.metrics.functions` on the whole epoch. The
registry of metric names lives here, beside the classes it names.

Lecture 002 ("Loss / Metrics" of a Keras model).
"""

from __future__ import annotations

import math

import numpy as np

from rosenblatt.base.checks import as_array, check_in_range, describe
from rosenblatt.base.registry import Registry
from rosenblatt.nn.metrics.state import MetricVariable
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

registry = Registry("metric")


def _register(*names: str):
    """Register a metric class under ``names``; the first is its default ``name``."""

    def decorate(cls):
        cls._default_name = names[0]
        return registry.register(*names)(cls)

    return decorate


def _sample_weight(sample_weight, n: int) -> np.ndarray:
    if sample_weight is None:
        return np.ones(n)
    w = as_array(sample_weight, "sample_weight", dtype=np.float64, ndim=(1, 2))
    if w.shape not in ((n,), (n, 1)):
        raise ValueError(f"sample_weight: expected shape ({n},), got {w.shape}")
    if (w < 0).any():
        raise ValueError(f"sample_weight: expected weights >= 0, found {w.min()}")
    return w.reshape(-1)


def log_value(value):
    """A metric's ``result()`` as training logs (and so History, evaluate) hold it: a float, or
    for a metric with one value per class or per threshold (``F1Score(average=None)``,
    ``Precision(thresholds=[...])``) a float64 vector, as Keras' logs hold that vector.

    >>> log_value(0.5), log_value([0.25, 0.75])
    (0.5, array([0.25, 0.75]))
    """
    if type(value) is float:  # most results, at every step of training: at once
        return value
    array = np.array(value, dtype=np.float64)
    return float(array) if array.ndim == 0 else array


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

    A custom metric (Keras' way) makes its state in ``__init__`` with ``add_variable`` (or
    ``add_weight``), changes it in ``update_state`` (which receives NumPy arrays) and reads it
    in ``result``; ``reset_state`` puts the variables back to their initial values.

    Lecture 002 ("Loss / Metrics" of a Keras model).
    """

    _config_keys: tuple[str, ...] = ()
    _default_name = "metric"

    def __init__(self, name: str | None = None):
        if name is not None and not isinstance(name, str):
            raise TypeError(f"name: expected a str, got {describe(name)}")
        self.name = name or self._default_name
        self._variables: list[MetricVariable] = []
        if _resets_when_made(type(self)):
            self.reset_state()

    def add_variable(self, shape=(), initializer="zeros", name: str | None = None
                     ) -> MetricVariable:
        """A state variable of ``shape`` (() for a number) starting at ``initializer``
        ('zeros', 'ones' or a number), which ``reset_state`` puts back."""
        variable = MetricVariable(f"variable_{len(self._variables)}" if name is None
                                  else name, shape, initializer)
        self._variables.append(variable)
        return variable

    def add_weight(self, name: str | None = None, shape=(), initializer="zeros"
                   ) -> MetricVariable:
        """:meth:`add_variable` under Keras 2's name and argument order."""
        return self.add_variable(shape, initializer, name)

    @property
    def variables(self) -> list[MetricVariable]:
        return list(self._variables)

    def update_state(self, y_true, y_pred, sample_weight=None) -> None:
        raise NotImplementedError(f"{type(self).__name__} must define update_state(self, "
                                  f"y_true, y_pred, sample_weight=None)")

    def result(self) -> float:
        raise NotImplementedError(f"{type(self).__name__} must define result(self)")

    def reset_state(self) -> None:
        """Put every variable of ``add_variable`` back to its initial value."""
        for variable in self._variables:
            variable.reset()

    @property
    def scalar(self) -> bool:
        """Whether ``result()`` is one number (False: a vector, one value per class or
        threshold, which callbacks cannot monitor)."""
        return True

    def get_config(self) -> dict:
        """``name`` and the constructor arguments, JSON-serializable."""
        return {"name": self.name, **{key: getattr(self, key) for key in self._config_keys}}

    @classmethod
    def from_config(cls, config: dict) -> Metric:
        """Rebuild a metric (with empty state) from :meth:`get_config`'s output."""
        return cls(**config)

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.name!r}: {self.result()}>"


def _resets_when_made(cls) -> bool:
    """Whether making a metric runs its ``reset_state``: this package's metrics keep their
    sums in attributes that ``reset_state`` sets; a custom one keeps them in variables, set
    when made (and its ``reset_state`` may read them before they exist)."""
    method = cls.reset_state
    return method is not Metric.reset_state and method.__module__.startswith("rosenblatt.")


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


@_register("mean_absolute_percentage_error", "mape")
class MeanAbsolutePercentageError(_MeanMetric):
    """Running :func:`mean_absolute_percentage_error`.

    >>> m = MeanAbsolutePercentageError()
    >>> m.update_state([2.0], [1.0]); m.update_state([-4.0], [-3.0])
    >>> m.result()  # (50 + 25) / 2
    37.5
    """

    def _values(self, y_true, y_pred):
        return _percentage_values(y_true, y_pred)


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
