"""One level of a neuron graph as a layer: a masked matrix product over the batch.

For the nodes i of a level, with the values z of the blocks below that feed it as the columns
of X (batch, rows)::

    A = X (W * M) + b,        Z[:, group] = f_group(A[:, group])

where W (rows, nodes) is a dense kernel and M its mask: M[j, i] = 1 when the edge j -> i
exists, else 0. So a_i = b_i + sum over edges j -> i of w_ji z_j (lecture 004), and since
dL/dW = M * (X^T dL/dA), an absent edge's weight keeps a zero gradient and stays 0.

>>> import numpy as np
>>> from rosenblatt.graph.structure import GraphShape
>>> shape = GraphShape.of([(1, 3), (2, 3)], [1, 2], [3], {})
>>> level = NodeLevel(shape.levels[0], bias_initializer="ones")
>>> level.ensure_built((2,), np.random.default_rng(0))
>>> level.mask.tolist()
[[1.0], [1.0]]
"""

from __future__ import annotations

import numpy as np

from rosenblatt.autodiff.shape_ops import concatenate, getitem
from rosenblatt.autodiff.tensor import Tensor
from rosenblatt.nn import activations, fused, initializers
from rosenblatt.nn.layers import Dense, Layer


class NodeLevel(Layer):
    """The nodes of one level of a :class:`~rosenblatt.graph.Graph` (see the module's text).

    Args:
        level: a :class:`~rosenblatt.graph.structure.Level` (nodes, activation groups, the
            blocks it reads, where each edge sits in the kernel).
        use_bias, kernel_initializer, bias_initializer: as for Dense. The kernel is drawn
            for (number of distinct source nodes, nodes), so a fully connected level starts
            as the Dense layer of the same shape would.
    Weights: kernel W (rows, nodes) with zeros where there is no edge, bias b (nodes,).
    """

    def __init__(self, level, use_bias=True, kernel_initializer="glorot_uniform",
                 bias_initializer="zeros", **kwargs):
        super().__init__(**kwargs)
        self.level = level
        self.use_bias = use_bias
        self.kernel_initializer = initializers.get(kernel_initializer)
        self.bias_initializer = initializers.get(bias_initializer)
        self.groups = [(activations.get(name), start, stop)
                       for name, start, stop in level.groups]
        self.activation = self.groups[0][0] if len(self.groups) == 1 else None
        self.mask = None
        self.kernel = self.bias = None

    @property
    def full(self) -> bool:
        """Every entry of the kernel is an edge (the level is a Dense layer)."""
        return bool(self.mask.all())

    def build(self, input_shape, rng):
        n = len(self.level.nodes)
        mask = np.zeros((self.level.rows, n), dtype=self.dtype)
        for row, column in self.level.places.values():
            mask[row, column] = 1
        self.mask = mask
        sources = sorted({row for row, _ in self.level.places.values()})
        self.kernel = self.add_weight("kernel", (self.level.rows, n), "zeros", rng)
        if sources:
            drawn = self.kernel_initializer((len(sources), n), dtype=self.dtype, rng=rng)
            self.kernel.data[sources] = drawn
            self.kernel.data *= mask
        if self.use_bias:
            self.bias = self.add_weight("bias", (n,), self.bias_initializer, rng)

    def compute_output_shape(self, input_shape):
        return (len(self.level.nodes),)

    def call(self, x, training=False):
        """The level's values Z (batch, nodes) from its inputs X (batch, rows)."""
        kernel = self.kernel if self.full else self.kernel * Tensor(self.mask)
        if self.activation is not None:
            return fused.dense(x, kernel, self.bias, self.activation)
        a = fused.dense(x, kernel, self.bias, None)
        return concatenate([f(getitem(a, (slice(None), slice(start, stop))))
                            for f, start, stop in self.groups], axis=1)

    def set_weights(self, values) -> None:
        """As Layer.set_weights; entries of the kernel without an edge are kept at 0."""
        super().set_weights(values)
        self.kernel.data *= self.mask

    def as_dense(self) -> Dense:
        """A Dense layer holding this level's kernel and bias (the same tensors), for a
        level fed by every node of one block with one activation."""
        dense = Dense(len(self.level.nodes), activation=self.activation,
                      use_bias=self.use_bias, name=f"{self.name}_dense", dtype=self.dtype)
        dense.kernel, dense.bias = self.kernel, self.bias
        dense._weights = list(self._weights)
        dense._regularizers = list(self._regularizers)
        dense.input_shape, dense.built = self.input_shape, True
        return dense

    def get_config(self):
        raise TypeError("a NodeLevel is part of a Graph: save the Graph")
