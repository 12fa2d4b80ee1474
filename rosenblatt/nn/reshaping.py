"""Reshape (Keras'): gives each sample a new shape with the same number of entries.

>>> import numpy as np
>>> Reshape((2, 3))(np.zeros((4, 6))).shape
(4, 2, 3)
"""

from __future__ import annotations

import numbers

import numpy as np

from rosenblatt.base.checks import describe
from rosenblatt.nn.layers import Layer, register


@register
class Reshape(Layer):
    """(batch, *input_shape) -> (batch, *target_shape), the entries in the same (C) order.

    Args: target_shape: a tuple of positive ints, at most one -1 (inferred from the size).
    Its gradient is the output's gradient reshaped back.
    """

    def __init__(self, target_shape, **kwargs):
        super().__init__(**kwargs)
        if isinstance(target_shape, numbers.Integral) and not isinstance(target_shape, bool):
            target_shape = (target_shape,)
        ok = isinstance(target_shape, (tuple, list)) and all(
            isinstance(n, numbers.Integral) and not isinstance(n, bool) and (n > 0 or n == -1)
            for n in target_shape) and list(target_shape).count(-1) <= 1 and target_shape
        if not ok:
            raise ValueError(f"target_shape: expected a tuple of positive ints with at most one "
                             f"-1, got {describe(target_shape)}")
        self.target_shape = tuple(int(n) for n in target_shape)

    def compute_output_shape(self, input_shape):
        size = int(np.prod(input_shape))
        known = int(np.prod([n for n in self.target_shape if n != -1]))
        fits = size % known == 0 if -1 in self.target_shape else size == known
        if not fits:
            raise ValueError(f"layer {self.name!r}: cannot reshape inputs of shape (batch, "
                             f"{', '.join(map(str, input_shape))}) ({size} entries per sample) "
                             f"into target_shape {self.target_shape}")
        return tuple(size // known if n == -1 else n for n in self.target_shape)

    def build(self, input_shape, rng):
        self.compute_output_shape(input_shape)

    def call(self, x, training=False):
        return x.reshape(x.shape[0], *self.compute_output_shape(x.shape[1:]))

    def get_config(self):
        return {**super().get_config(), "target_shape": list(self.target_shape)}
