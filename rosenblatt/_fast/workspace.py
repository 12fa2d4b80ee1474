"""A model's workspace: everything it keeps between calls only for speed, in one place.

A model keeps its trainable weights as views into one flat parameter vector (with a matching
flat gradient vector), the graph-free step's buffers for its next fit, and the plan of
compiled loops for one-row predictions. All of it is derived from the model's structure (its
layers, their activations and trainable flags, their weights), and there is one rule for
keeping it: :meth:`Workspace.current` compares the structure's signature with the one the
workspace was made for and starts a new, empty workspace whenever it differs. Nothing in it
holds state that cannot be made again: the weights themselves live in the layers.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class FlatParameters:
    """theta and its gradient, one vector each, and the gradient's view for every weight."""

    theta: np.ndarray
    grad: np.ndarray
    grad_views: list

    @classmethod
    def gather(cls, weights) -> FlatParameters:
        """Copy ``weights`` (tensors) into one new vector theta, make each weight's data a
        view into it, and make a zero gradient vector with a matching view per weight."""
        dtype = weights[0].data.dtype if weights else np.float32
        theta = np.concatenate([w.data.ravel() for w in weights]).astype(dtype)
        grad = np.zeros_like(theta)
        views, offset = [], 0
        for w in weights:
            n = w.data.size
            w.data = theta[offset:offset + n].reshape(w.data.shape)
            views.append(grad[offset:offset + n].reshape(w.data.shape))
            offset += n
        return cls(theta, grad, views)


def signature(layers) -> tuple:
    """What the workspace depends on: each layer, its activation, its trainable flag and the
    weights it holds. Two signatures are equal when they hold the same objects (none of them
    defines equality otherwise), and holding them keeps their identities from being reused."""
    parts = []
    for layer in layers:
        parts += (layer, getattr(layer, "activation", None), layer.trainable, *layer._weights)
    return tuple(parts)


@dataclass
class Workspace:
    """The caches of one model structure (see the module's text)."""

    signature: tuple
    flat: FlatParameters | None = None
    step_memory: object = None  # the graph-free step's buffers (rosenblatt._fast.step)
    row_plan: object = None  # compiled one-row predictions (rosenblatt._fast.rows)

    @classmethod
    def current(cls, held: Workspace | None, layers) -> Workspace:
        """``held`` when it was made for this structure of ``layers``, else a new one."""
        now = signature(layers)
        return held if held is not None and held.signature == now else cls(now)
