"""Symbolic tensors: the functional API's placeholders, a shape and the layer that makes them.

``Input(shape=...)`` makes one; calling a layer on one returns another (no computation, only
shapes), recording the graph that :class:`rosenblatt.nn.functional.Graph` then runs.
"""

from __future__ import annotations


class SymbolicTensor:
    """A placeholder for a layer's output in a functional model: a shape (batch axis None) and
    the node that computes it."""

    def __init__(self, shape: tuple, layer, inputs: tuple):
        self.shape = (None, *shape)
        self.layer = layer
        self.inputs = tuple(inputs)

    def apply(self, layer) -> SymbolicTensor:
        shape = self.shape[1:]
        expected = layer.input_shape if layer.input_shape is not None else layer.input_shape_arg
        if expected is not None and tuple(expected) != shape:
            raise ValueError(
                f"layer {layer.name!r} expects inputs of shape (None, "
                f"{', '.join(map(str, expected))}), got {self.shape}"
            )
        return SymbolicTensor(layer.compute_output_shape(shape), layer, (self,))

    def __repr__(self) -> str:
        return f"<SymbolicTensor shape={self.shape} from {self.layer.name!r}>"
