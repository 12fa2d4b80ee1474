"""The state variables of a custom metric: Keras' ``self.add_variable(...)`` in a
:class:`~rosenblatt.nn.metrics.Metric` subclass.

A variable holds a float64 array (a number for ``shape=()``) that ``update_state`` changes
with ``assign`` and ``assign_add`` and ``result`` reads as ``.value``; ``reset_state`` puts
each variable back to its initial value.

>>> total = MetricVariable("total", shape=(), initializer="zeros")
>>> total.assign_add(2.5); total.assign_add(1)
>>> float(total.value), float(total)
(3.5, 3.5)
"""

from __future__ import annotations

import numbers

import numpy as np

from rosenblatt.autodiff.tensor import Tensor
from rosenblatt.base.checks import describe

_INITIALIZERS = {"zeros": 0.0, "ones": 1.0}


def _shape(shape) -> tuple:
    if isinstance(shape, numbers.Integral) and not isinstance(shape, bool):
        shape = (shape,)
    if not isinstance(shape, (tuple, list)) or not all(
            isinstance(n, numbers.Integral) and not isinstance(n, bool) and n >= 0
            for n in shape):
        raise ValueError(f"shape: expected a tuple of integers >= 0 (() for a number), got "
                         f"{shape!r}")
    return tuple(int(n) for n in shape)


def _initial(initializer, shape: tuple) -> np.ndarray:
    if isinstance(initializer, str) and initializer in _INITIALIZERS:
        return np.full(shape, _INITIALIZERS[initializer])
    if isinstance(initializer, numbers.Real) and not isinstance(initializer, bool):
        return np.full(shape, float(initializer))
    raise ValueError(f"initializer: expected 'zeros', 'ones' or a number, got "
                     f"{initializer!r}")


class MetricVariable:
    """A named float64 array of a metric's state, with Keras' ``assign``, ``assign_add``,
    ``assign_sub`` and ``value``; NumPy and ``float()`` read it as its value."""

    def __init__(self, name: str, shape=(), initializer="zeros"):
        if not isinstance(name, str):
            raise TypeError(f"name: expected a str, got {describe(name)}")
        self.name = name
        self.shape = _shape(shape)
        self.initial = _initial(initializer, self.shape)
        self._value = self.initial.copy()

    def _checked(self, value, method: str) -> np.ndarray:
        raw = value.data if isinstance(value, Tensor) else value
        try:
            array = np.asarray(raw, dtype=np.float64)
        except (TypeError, ValueError):
            raise TypeError(f"{self.name}.{method}: expected a number or an array of numbers, "
                            f"got {describe(value)}") from None
        try:
            return np.broadcast_to(array, self.shape)
        except ValueError:
            raise ValueError(f"{self.name}.{method}: expected a value of shape {self.shape}, "
                             f"got shape {array.shape}") from None

    def assign(self, value) -> None:
        self._value = self._checked(value, "assign").copy()

    def assign_add(self, value) -> None:
        self._value = self._value + self._checked(value, "assign_add")

    def assign_sub(self, value) -> None:
        self._value = self._value - self._checked(value, "assign_sub")

    def reset(self) -> None:
        """Back to the initial value."""
        self._value = self.initial.copy()

    @property
    def value(self):
        """The value: a float for a number (``shape=()``), else a copy of the array."""
        return float(self._value) if self._value.ndim == 0 else self._value.copy()

    def numpy(self) -> np.ndarray:
        return self._value.copy()

    def __array__(self, dtype=None, copy=None):
        return self._value.copy() if dtype is None else self._value.astype(dtype)

    def __float__(self) -> float:
        return float(self._value)

    def __repr__(self) -> str:
        return f"<MetricVariable {self.name!r} {self.value}>"
