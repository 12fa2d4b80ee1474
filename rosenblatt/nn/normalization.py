"""Normalization layers: BatchNormalization, LayerNormalization and Normalization (Keras').

Each normalizes its inputs to zero mean and unit variance along some axes, built from the
differentiable primitives (mean, subtraction, square root, division), so autodiff gives their
gradients. Statistics that fit does not learn by gradient (BatchNormalization's moving mean and
variance, Normalization's mean and variance) are non-trainable weights: ``get_weights`` and model
files hold them, the optimizer's flat vector does not.

>>> import numpy as np
>>> layer = LayerNormalization()
>>> out = layer(np.array([[1.0, 2.0, 3.0]])).data
>>> [round(float(v), 3) for v in out[0]]
[-1.224, 0.0, 1.224]
"""

from __future__ import annotations

import numbers

import numpy as np

from rosenblatt.autodiff.tensor import Tensor
from rosenblatt.base.checks import as_array, check_bool, check_in_range, check_positive, describe
from rosenblatt.nn import initializers
from rosenblatt.nn.layers import Layer, register


def _check_axis(axis) -> int:
    if not isinstance(axis, numbers.Integral) or isinstance(axis, bool):
        raise TypeError(f"axis: expected an int, got {describe(axis)}")
    return int(axis)


def _resolve_axis(layer: Layer, axis: int, input_shape: tuple) -> int:
    """``axis`` as a non-negative axis of the batched input (0 is the batch axis)."""
    rank = len(input_shape) + 1
    resolved = axis + rank if axis < 0 else axis
    if not 1 <= resolved < rank:
        raise ValueError(f"layer {layer.name!r}: axis {axis} is not a feature axis of inputs of "
                         f"shape (batch, {', '.join(map(str, input_shape))})")
    return resolved


def _broadcast(t: Tensor, axis: int, rank: int) -> Tensor:
    """A (features,) tensor shaped to broadcast along ``axis`` of a rank-``rank`` input."""
    if axis == rank - 1:
        return t
    shape = [1] * rank
    shape[axis] = t.shape[0]
    return t.reshape(*shape)


def _moments(x: Tensor, axes: tuple) -> tuple[Tensor, Tensor]:
    """mean and biased variance of ``x`` over ``axes`` (kept as size-1 axes)."""
    mu = x.mean(axis=axes, keepdims=True)
    d = x - mu
    return mu, (d * d).mean(axis=axes, keepdims=True)


class _Normalizer(Layer):
    """Shared arguments and weights of the layers that scale by gamma and shift by beta."""

    def __init__(self, axis=-1, epsilon=1e-3, center=True, scale=True,
                 beta_initializer="zeros", gamma_initializer="ones", **kwargs):
        super().__init__(**kwargs)
        self.axis = _check_axis(axis)
        self.epsilon = float(check_positive(epsilon, "epsilon"))
        self.center = check_bool(center, "center")
        self.scale = check_bool(scale, "scale")
        self.beta_initializer = initializers.get(beta_initializer)
        self.gamma_initializer = initializers.get(gamma_initializer)
        self.gamma = self.beta = None
        self._axis = None

    def build(self, input_shape, rng):
        self._axis = _resolve_axis(self, self.axis, input_shape)
        n = (input_shape[self._axis - 1],)
        if self.scale:
            self.gamma = self.add_weight("gamma", n, self.gamma_initializer, rng)
        if self.center:
            self.beta = self.add_weight("beta", n, self.beta_initializer, rng)

    def _scale_shift(self, xhat: Tensor) -> Tensor:
        if self.gamma is not None:
            xhat = xhat * _broadcast(self.gamma, self._axis, xhat.ndim)
        if self.beta is not None:
            xhat = xhat + _broadcast(self.beta, self._axis, xhat.ndim)
        return xhat

    def get_config(self):
        return {**super().get_config(), "axis": self.axis, "epsilon": self.epsilon,
                "center": self.center, "scale": self.scale,
                "beta_initializer": initializers.serialize(self.beta_initializer),
                "gamma_initializer": initializers.serialize(self.gamma_initializer)}


@register
class BatchNormalization(_Normalizer):
    """Batch normalization (Ioffe and Szegedy 2015), with Keras' semantics.

    Training (``fit``, or a call with ``training=True``), over the batch (every axis but
    ``axis``)::

        y = gamma * (x - mean_B) / sqrt(var_B + epsilon) + beta
        moving_mean = momentum * moving_mean + (1 - momentum) * mean_B
        moving_variance = momentum * moving_variance + (1 - momentum) * var_B

    with var_B the biased batch variance. Inference (``predict``, ``evaluate``), and training
    of a layer whose ``trainable`` is False::

        y = gamma * (x - moving_mean) / sqrt(moving_variance + epsilon) + beta

    Args:
        axis: the feature axis (default -1, the last). momentum: in [0, 1]. epsilon: > 0.
        center, scale: learn beta, gamma. *_initializer: initializer names or objects.
    Weights, in Keras' order: gamma, beta (trainable), moving_mean, moving_variance (not).

    >>> import numpy as np
    >>> bn = BatchNormalization()
    >>> x = np.array([[0.0], [2.0]])
    >>> bn(x, training=True).data.ravel().astype(float).round(4).tolist()
    [-0.9995, 0.9995]
    >>> bn.moving_mean.data.astype(float).round(3).tolist()
    [0.01]
    """

    def __init__(self, axis=-1, momentum=0.99, epsilon=1e-3, center=True, scale=True,
                 beta_initializer="zeros", gamma_initializer="ones",
                 moving_mean_initializer="zeros", moving_variance_initializer="ones", **kwargs):
        self.momentum = float(check_in_range(momentum, "momentum", 0, 1))
        self.moving_mean_initializer = initializers.get(moving_mean_initializer)
        self.moving_variance_initializer = initializers.get(moving_variance_initializer)
        super().__init__(axis, epsilon, center, scale, beta_initializer, gamma_initializer,
                         **kwargs)
        self.moving_mean = self.moving_variance = None

    def build(self, input_shape, rng):
        super().build(input_shape, rng)
        n = (input_shape[self._axis - 1],)
        self.moving_mean = self.add_weight("moving_mean", n, self.moving_mean_initializer, rng)
        self.moving_variance = self.add_weight("moving_variance", n,
                                               self.moving_variance_initializer, rng)
        self.moving_mean.requires_grad = self.moving_variance.requires_grad = False

    @property
    def trainable_weights(self):
        moving = (self.moving_mean, self.moving_variance)
        return [w for w in super().trainable_weights if all(w is not m for m in moving)]

    def call(self, x, training=False):
        axes = tuple(i for i in range(x.ndim) if i != self._axis)
        if training and self.trainable:
            mu, var = _moments(x, axes)
            m = self.momentum
            for moving, batch in ((self.moving_mean, mu), (self.moving_variance, var)):
                moving.data[...] = m * moving.data + (1 - m) * batch.data.reshape(-1)
        else:
            mu = _broadcast(Tensor(self.moving_mean.data), self._axis, x.ndim)
            var = _broadcast(Tensor(self.moving_variance.data), self._axis, x.ndim)
        return self._scale_shift((x - mu) / (var + self.epsilon).sqrt())

    def get_config(self):
        return {**super().get_config(), "momentum": self.momentum,
                "moving_mean_initializer": initializers.serialize(self.moving_mean_initializer),
                "moving_variance_initializer":
                    initializers.serialize(self.moving_variance_initializer)}


@register
class LayerNormalization(_Normalizer):
    """Layer normalization (Ba, Kiros and Hinton 2016): each sample normalized over ``axis``::

        y = gamma * (x - mean(x)) / sqrt(var(x) + epsilon) + beta

    the same in training and inference. Weights: gamma, beta (shape (features,)).

    >>> import numpy as np
    >>> LayerNormalization()(np.array([[1.0, 3.0]])).data.astype(float).round(4).tolist()
    [[-0.9995, 0.9995]]
    """

    def call(self, x, training=False):
        mu, var = _moments(x, (self._axis,))
        return self._scale_shift((x - mu) / (var + self.epsilon).sqrt())


@register
class Normalization(Layer):
    """Feature-wise standardization with statistics from data (Keras' preprocessing layer)::

        y = (x - mean) / max(sqrt(variance), 1e-7)        (invert=True: x * sqrt(var) + mean)

    ``mean`` and ``variance`` are given, or computed by ``adapt(data)`` over every axis but
    ``axis``; until then they are 0 and 1. They are non-trainable weights, saved with the model.

    >>> import numpy as np
    >>> norm = Normalization()
    >>> norm.adapt(np.array([[0.0], [2.0]]))
    >>> norm(np.array([[4.0]])).data.tolist()
    [[3.0]]
    """

    def __init__(self, axis=-1, mean=None, variance=None, invert=False, **kwargs):
        super().__init__(**kwargs)
        self.axis = _check_axis(axis)
        if (mean is None) != (variance is None):
            raise ValueError(f"mean, variance: give both or neither, got mean={mean!r} and "
                             f"variance={variance!r}")
        self.init_mean, self.init_variance = mean, variance
        if mean is not None:
            self._given = (as_array(mean, "mean").ravel(), as_array(variance, "variance").ravel())
            if self._given[0].shape != self._given[1].shape:
                raise ValueError(f"mean, variance: expected the same number of values, got "
                                 f"{self._given[0].size} and {self._given[1].size}")
            if (self._given[1] < 0).any():
                raise ValueError(f"variance: expected values >= 0, got {self._given[1].min()}")
        self.invert = check_bool(invert, "invert")
        self.mean = self.variance = self._axis = None

    def build(self, input_shape, rng):
        self._axis = _resolve_axis(self, self.axis, input_shape)
        n = (input_shape[self._axis - 1],)
        if self.init_mean is not None and self._given[0].size not in (1, n[0]):
            raise ValueError(f"mean: expected 1 or {n[0]} values for inputs of shape (batch, "
                             f"{', '.join(map(str, input_shape))}), got {self._given[0].size}")
        self.mean = self.add_weight("mean", n, "zeros", rng)
        self.variance = self.add_weight("variance", n, "ones", rng)
        for w in (self.mean, self.variance):
            w.requires_grad = False
        if self.init_mean is not None:
            self.mean.data[...], self.variance.data[...] = self._given

    @property
    def trainable_weights(self):
        return []

    def adapt(self, data) -> None:
        """Set mean and variance to those of ``data`` (shape (n, ...features)), over every axis
        but ``axis``: the biased variance, as Keras. A refused call changes nothing."""
        data = as_array(data, "data")
        if data.ndim < 2 or data.shape[0] == 0:
            raise ValueError(f"data: expected an array of shape (samples, features...) with at "
                             f"least one sample, got shape {data.shape}")
        if self.built and data.shape[1:] != self.input_shape:
            raise ValueError(f"data: expected samples of shape {self.input_shape} (the layer "
                             f"is built for them), got {data.shape[1:]}")
        axis = _resolve_axis(self, self.axis, data.shape[1:])
        axes = tuple(i for i in range(data.ndim) if i != axis)
        mean = data.mean(axis=axes, dtype=np.float64)
        variance = data.var(axis=axes, dtype=np.float64)
        self.ensure_built(data.shape[1:])
        self.mean.data[...], self.variance.data[...] = mean, variance

    def call(self, x, training=False):
        mean = _broadcast(Tensor(self.mean.data), self._axis, x.ndim)
        std = _broadcast(Tensor(np.maximum(np.sqrt(self.variance.data), 1e-7)), self._axis,
                         x.ndim)
        return x * std + mean if self.invert else (x - mean) / std

    def get_config(self):
        config = {**super().get_config(), "axis": self.axis, "invert": self.invert}
        if self.init_mean is not None:
            config["mean"], config["variance"] = (a.tolist() for a in self._given)
        return config
