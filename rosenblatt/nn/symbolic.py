"""Symbolic tensors: the functional API's placeholders, a shape and the call that makes them.

``Input(shape=...)`` makes one; calling a layer on one (or a merge layer or a model on a list
of them) returns another (no computation, only shapes), recording the graph that
:class:`rosenblatt.nn.functional.Graph` then runs. A call with several outputs (a nested
model's) makes one symbolic tensor per output, all sharing that call.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(eq=False)
class Call:
    """One use of a layer in a graph: the layer, the symbolic tensors it reads, and whether it
    takes them as a list (merge layers, models with several inputs) and returns a list."""

    layer: object
    inputs: tuple
    listed: bool = False
    several_outputs: bool = False


class SymbolicTensor:
    """A placeholder for a layer's output in a functional model: a shape (batch axis None),
    a dtype, a name, and the call (``.call``) that computes it, as its ``index``-th output.

    >>> from rosenblatt.layers import Input, Dense
    >>> x = Input(shape=(4,), name="features")
    >>> y = Dense(2, name="scores")(x)
    >>> y.shape, y.name, y.inputs == (x,)
    ((None, 2), 'scores', True)
    """

    def __init__(self, shape: tuple, layer, inputs: tuple, call: Call | None = None,
                 index: int = 0):
        self.shape = (None, *shape)
        self.call = call if call is not None else Call(layer, tuple(inputs))
        self.index = index

    @property
    def layer(self):
        return self.call.layer

    @property
    def inputs(self) -> tuple:
        return self.call.inputs

    @property
    def dtype(self) -> str:
        dtype = getattr(self.layer, "dtype", None)
        return str(dtype() if callable(dtype) else dtype)

    @property
    def name(self) -> str:
        return self.layer.name if not self.call.several_outputs else \
            f"{self.layer.name}:{self.index}"

    def apply(self, layer) -> SymbolicTensor:
        shape = self.shape[1:]
        expected = layer.input_shape if layer.input_shape is not None else layer.input_shape_arg
        if expected is not None and tuple(expected) != shape:
            raise ValueError(
                f"layer {layer.name!r} expects inputs of shape (None, "
                f"{', '.join(map(str, expected))}), got {self.shape}"
            )
        return record(layer, SymbolicTensor(layer.compute_output_shape(shape), layer, (self,)))

    def __repr__(self) -> str:
        return f"<SymbolicTensor shape={self.shape} from {self.layer.name!r}>"


def symbolic_call(layer, inputs, shapes, listed: bool) -> list[SymbolicTensor]:
    """The symbolic outputs of calling ``layer`` (a merge layer or a model) on ``inputs``:
    one tensor per shape in ``shapes`` (no batch axis), all made by one call."""
    call = Call(layer, tuple(inputs), listed=listed, several_outputs=len(shapes) > 1)
    made = [SymbolicTensor(shape, layer, (), call=call, index=i)
            for i, shape in enumerate(shapes)]
    record(layer, made[0] if len(made) == 1 else made)
    return made


def record(layer, output):
    """Keep the latest symbolic call of ``layer`` as its ``input`` and ``output`` (Keras'
    ``layer.output``, as feature extractors read it), unless its class defines them."""
    if not isinstance(getattr(type(layer), "output", None), property):
        first = output[0] if isinstance(output, list) else output
        inputs = first.inputs
        layer.input = inputs[0] if len(inputs) == 1 and not first.call.listed else list(inputs)
        layer.output = output
    return output
