"""``Sequential``: a plain stack of layers, each feeding the next (lecture 002's first API).

It is a chain of the same graph the functional API builds (as in Keras): once its input shape
is known it holds that graph, and everything else (running, training, the fast paths, the
summary) is the functional model's.
"""

from __future__ import annotations

from rosenblatt.models.model import Model
from rosenblatt.nn import layers
from rosenblatt.nn.functional import Graph, check_unique_names
from rosenblatt.nn.layers import InputLayer, Layer
from rosenblatt.nn.symbolic import SymbolicTensor


class Sequential(Model):
    """A plain stack of layers, each feeding the next (lecture 002's Sequential API).

    >>> from rosenblatt.layers import Dense
    >>> model = Sequential()
    >>> model.add(Dense(4, input_dim=2, activation="tanh"))
    >>> model.add(Dense(1, activation="sigmoid"))
    >>> import numpy as np
    >>> model.predict(np.zeros((3, 2))).shape
    (3, 1)
    """

    def __init__(self, layers=None, name=None, seed=None):
        super().__init__(name=name, seed=seed)
        self._layers: list[Layer] = []
        if layers is not None and not isinstance(layers, (list, tuple)):
            raise TypeError(f"layers: expected a list of layers, got {type(layers).__name__}"
                            + (f"; write Sequential([{type(layers).__name__}(...)])"
                               if isinstance(layers, Layer) else ""))
        for layer in layers or []:
            self.add(layer)

    def add(self, layer) -> None:
        """Append a layer (or an ``Input(...)``, which sets the input shape)."""
        if isinstance(layer, SymbolicTensor) and isinstance(layer.layer, InputLayer):
            if self._layers:
                raise ValueError("add: an Input can only be the first element of a Sequential")
            self.input_shape = tuple(layer.shape[1:])
            return
        if not isinstance(layer, Layer):
            raise TypeError(f"add: expected a Layer, got {type(layer).__name__}")
        if isinstance(layer, InputLayer):
            self.input_shape = tuple(layer.input_shape_arg)
            return
        check_unique_names([*self._layers, layer])
        shape = self.input_shape
        if not self._layers and shape is None and layer.input_shape_arg is not None:
            shape = tuple(layer.input_shape_arg)
        if shape is not None:  # build the new layer first: a refused add changes nothing
            for previous in self._layers:
                shape = previous.compute_output_shape(shape)
            declared = layer.input_shape_arg
            if self._layers and declared is not None and tuple(declared) != tuple(shape):
                raise ValueError(
                    f"add: layer {layer.name!r} declares inputs of shape {tuple(declared)}, but "
                    f"the layer before it gives {tuple(shape)}"
                )
            layer.ensure_built(shape, self._rng)
            if not self._layers:
                self.input_shape = shape
        self._layers.append(layer)
        self._connect()

    def pop(self):
        """Remove the last layer and return it (Keras' ``Sequential.pop``).

        >>> from rosenblatt.layers import Dense
        >>> model = Sequential([Dense(4, input_dim=2), Dense(1, name="last")])
        >>> model.pop().name, len(model.layers), model.output_shape
        ('last', 1, (None, 4))
        """
        if not self._layers:
            raise TypeError(f"pop: model {self.name!r} has no layers to remove")
        layer = self._layers.pop()
        self._connect()
        return layer

    @property
    def layers(self):
        return list(self._layers)

    def build(self, input_shape) -> None:
        shape = tuple(int(n) for n in input_shape)
        self.input_shape = shape
        for layer in self._layers:
            layer.ensure_built(shape, self._rng)
            shape = layer.compute_output_shape(shape)
        self._connect()

    def _without_graph(self) -> Exception:
        return ValueError(f"model {self.name!r} has no layers yet: add() some first")

    def _connect(self) -> None:
        """The chain as the functional API's graph, once the input shape is known: a
        Sequential runs, trains and is inspected exactly as a functional model is."""
        self._graph = None
        if self.input_shape is None or not self._layers:
            return
        first = InputLayer(self.input_shape, name=f"{self.name}_input",
                           dtype=self._layers[0].dtype)
        inputs = x = SymbolicTensor(self.input_shape, first, ())
        for layer in self._layers:
            x = x.apply(layer)
        self._graph = Graph(inputs, x)

    def get_config(self):
        config = {"name": self.name, "seed": self.seed,
                  "layers": [layers.serialize(layer) for layer in self._layers]}
        if self.input_shape is not None:
            config["input_shape"] = list(self.input_shape)
        return config

    @classmethod
    def from_config(cls, config):
        model = cls(name=config.get("name"), seed=config.get("seed"))
        if config.get("input_shape") is not None:
            model.input_shape = tuple(config["input_shape"])
        for spec in config["layers"]:
            model.add(layers.deserialize(spec))
        return model
