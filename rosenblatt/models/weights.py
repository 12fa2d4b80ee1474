"""A model's weights: the layers' arrays seen together, copied out and in (``get_weights`` /
``set_weights``), counted, and kept as views into one flat vector theta with a matching flat
gradient vector, so the optimizer updates every parameter in a few in-place operations
(lecture 004: "[W, B] is the concatenation of the unknown parameters").

``Model`` takes these methods from :class:`ModelWeights`; they read only the model's
``layers``, ``trainable``, ``built`` and ``name``.

>>> from rosenblatt.layers import Dense
>>> from rosenblatt.models import Sequential
>>> model = Sequential([Dense(3, input_dim=4), Dense(1)])
>>> [w.shape for w in model.get_weights()]
[(4, 3), (3,), (3, 1), (1,)]
>>> theta, grad = model.flat_parameters()
>>> theta.size == grad.size == model.count_params() == 19
True
"""

from __future__ import annotations

import numpy as np

from rosenblatt._fast.workspace import FlatParameters, Workspace
from rosenblatt.autodiff.tensor import Tensor
from rosenblatt.base.checks import check_weights
from rosenblatt.models import graph_api


class ModelWeights:
    """The weight methods of :class:`~rosenblatt.models.Model` (a mixin: it keeps no state of
    its own beyond the model's ``_workspace``)."""

    @property
    def weights(self) -> list[Tensor]:
        """Every weight, layer by layer, each once (a layer shared with a nested model too)."""
        return graph_api.once([w for layer in self.layers for w in layer.weights])

    @property
    def trainable_weights(self) -> list[Tensor]:
        if not self.trainable:
            return []
        return graph_api.once([w for layer in self.layers for w in layer.trainable_weights])

    @property
    def _weights(self) -> list[Tensor]:  # what the workspace's signature reads of a layer
        return self.weights

    @property
    def dtype(self):
        return np.dtype(self._dtype())

    def regularization_terms(self):
        """(weight, regularizer) pairs of every layer, for a model used as a layer."""
        return [pair for layer in self.layers for pair in layer.regularization_terms()]

    def get_weights(self) -> list[np.ndarray]:
        """Copies of all weights, layer by layer (Dense: kernel (in, out), then bias (out,))."""
        return [w.data.copy() for w in self.weights]

    def set_weights(self, values) -> None:
        """Overwrite all weights in place (the layout of ``get_weights``), after checking every
        array (number, shapes, real numbers, finite): a refused call changes no weight."""
        weights = self.weights
        for w, v in zip(weights, check_weights(values, weights, "set_weights"), strict=True):
            w.data[...] = v

    def count_params(self) -> int:
        """The number of weights and biases: sum over layers of (inputs + 1) * units."""
        if not self.built:
            raise ValueError(
                f"model {self.name!r} is not built yet: give the first layer input_shape / "
                f"input_dim, call build(input_shape), or fit it first"
            )
        return int(sum(w.data.size for w in self.weights))

    def workspace(self) -> Workspace:
        """The caches kept for speed (:mod:`rosenblatt._fast.workspace`), made anew whenever
        the layers, their activations or trainable flags, or their weights change."""
        workspace = Workspace.current(self._workspace, self.layers)
        if workspace is not self._workspace:
            self._workspace = workspace
        return workspace

    def flat_parameters(self):
        """(theta, grad): the flat parameter and gradient vectors, made on first use.

        Every trainable weight becomes a view into theta and has a matching view into grad.
        """
        workspace = self.workspace()
        if workspace.flat is None:
            workspace.flat = FlatParameters.gather(self.trainable_weights)
        return workspace.flat.theta, workspace.flat.grad

    def grad_views(self) -> list[np.ndarray]:
        """The gradient vector's view for each trainable weight, in their order."""
        self.flat_parameters()
        return self._workspace.flat.grad_views
