"""Noise layers: GaussianNoise and GaussianDropout (Keras'), active only while training.

Both are regularizers, like Dropout: during ``fit`` (or a call with ``training=True``) they
perturb their inputs with draws from the model's generator (or their own, given a ``seed``);
at inference they are the identity. The noise is a constant of the step, so the gradient
flows through the addition or the product.

>>> import numpy as np
>>> GaussianNoise(0.1)(np.ones((1, 2))).data.tolist()      # inference: the identity
[[1.0, 1.0]]
"""

from __future__ import annotations

import numbers

import numpy as np

from rosenblatt.autodiff.tensor import Tensor
from rosenblatt.base.checks import check_positive, describe
from rosenblatt.base.random import make_rng
from rosenblatt.nn.layers import Layer, current_rng, register


class _Noise(Layer):
    """The seed of a noise layer: its own generator, else the model's."""

    def __init__(self, seed=None, **kwargs):
        super().__init__(**kwargs)
        if seed is not None and (not isinstance(seed, numbers.Integral) or isinstance(seed, bool)):
            raise TypeError(f"seed: expected an int or None, got {describe(seed)}")
        self.seed = seed
        self._rng = None if seed is None else make_rng(seed)

    def rng(self) -> np.random.Generator:
        return self._rng if self._rng is not None else current_rng()

    def get_config(self):
        return {**super().get_config(), "seed": self.seed}


@register
class GaussianNoise(_Noise):
    """Additive zero-centred Gaussian noise while training::

        y = x + n,   n ~ N(0, stddev^2) drawn anew for every entry and step

    Args: stddev: > 0. seed: int or None.

    >>> layer = GaussianNoise(0.5, seed=0)
    >>> layer(np.zeros((1000, 1)), training=True).data.std().round(1)
    np.float32(0.5)
    """

    def __init__(self, stddev, seed=None, **kwargs):
        self.stddev = float(check_positive(stddev, "stddev"))
        super().__init__(seed, **kwargs)

    def call(self, x, training=False):
        if not training:
            return x
        return x + Tensor(self.rng().normal(0.0, self.stddev, x.shape).astype(x.dtype))

    def get_config(self):
        return {**super().get_config(), "stddev": self.stddev}


@register
class GaussianDropout(_Noise):
    """Multiplicative one-centred Gaussian noise while training (Srivastava et al. 2014)::

        y = x * n,   n ~ N(1, rate / (1 - rate))

    Args: rate: in [0, 1), the drop probability of the matching Dropout. seed: int or None.

    >>> layer = GaussianDropout(0.5, seed=0)
    >>> layer(np.ones((1000, 1)), training=True).data.std().round(1)
    np.float32(1.0)
    """

    def __init__(self, rate, seed=None, **kwargs):
        if not isinstance(rate, numbers.Real) or isinstance(rate, bool) or not 0 <= rate < 1:
            raise ValueError(f"rate: expected a number in [0, 1), got {rate!r}")
        self.rate = float(rate)
        super().__init__(seed, **kwargs)

    def call(self, x, training=False):
        if not training or self.rate == 0.0:
            return x
        stddev = np.sqrt(self.rate / (1.0 - self.rate))
        return x * Tensor(self.rng().normal(1.0, stddev, x.shape).astype(x.dtype))

    def get_config(self):
        return {**super().get_config(), "rate": self.rate}
