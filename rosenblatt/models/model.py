"""Models: ``Sequential``, functional ``Model(inputs, outputs)`` and subclassed ``Model``.

The three Keras APIs of lecture 002. Whatever the API, a built model keeps its trainable
weights as views into one flat vector theta, and their gradients in a matching flat vector,
so the optimizer updates every parameter in a few in-place operations (lecture 004: "[W, B]
is the concatenation of the unknown parameters").

>>> from rosenblatt.layers import Dense
>>> model = Sequential([Dense(3, activation="relu", input_dim=4), Dense(1)])
>>> model.count_params()   # (4 + 1) * 3 + (3 + 1) * 1, lecture 002's 19
19
"""

from __future__ import annotations

import functools
import inspect

import numpy as np

from rosenblatt._fast.workspace import FlatParameters, Workspace
from rosenblatt.autodiff.tensor import Tensor, no_grad, resolve_dtype
from rosenblatt.base.checks import check_weights
from rosenblatt.base.random import make_rng
from rosenblatt.models import saving
from rosenblatt.models.display import summary_html
from rosenblatt.models.summary import summary_text
from rosenblatt.nn import activations, fused, losses, optimizers
from rosenblatt.nn import metrics as metrics_module
from rosenblatt.nn.features import FeatureMap, Preprocessing
from rosenblatt.nn.functional import Graph
from rosenblatt.nn.layers import Dense, InputLayer, Layer, context, unique_name
from rosenblatt.nn.symbolic import SymbolicTensor
from rosenblatt.training import loop as training


class Model:
    """A network of layers with compile / fit / evaluate / predict.

    ``Model(inputs, outputs)`` builds a functional model from symbolic tensors; a subclass
    assigns layers as attributes in ``__init__`` (they are tracked) and defines ``call``.

    Args:
        inputs, outputs: for the functional API, from ``Input(...)`` and layer calls.
        name: the model's name. seed: int or Generator for weights, shuffling and dropout
            (default: drawn from the global generator, see ``rosenblatt.set_seed``).
    """

    def __init__(self, inputs=None, outputs=None, name=None, seed=None):
        object.__setattr__(self, "_tracked", [])
        self.name = name or unique_name(type(self).__name__.lower() if type(self) is not Model
                                        else "functional")
        self.seed = seed if not isinstance(seed, np.random.Generator) else None
        self._rng = make_rng(seed)
        self.optimizer = self.loss = None
        self.compiled_metrics: list = []
        self.stop_training = False
        self.stop_reason = None
        self.history = None
        # how raw rows become inputs and outputs become the user's values again (feature
        # crosses, standardization, class labels: rosenblatt.nn.features.Preprocessing), a
        # declared part of the model that its file stores; ``feature_map`` reads its crosses
        self.preprocessing = None
        self._workspace = None  # caches kept for speed (rosenblatt._fast.workspace)
        self._graph = None
        self.input_shape = None
        if inputs is not None or outputs is not None:
            self._graph = Graph(inputs, outputs)
            self.input_shape = tuple(self._graph.inputs[0].shape[1:])
            self._graph.build(self._rng)

    def __setattr__(self, name, value):
        if isinstance(value, (Layer, Model)) and value not in getattr(self, "_tracked", []):
            self.__dict__.setdefault("_tracked", []).append(value)
        object.__setattr__(self, name, value)

    @property
    def feature_map(self):
        """The feature crosses (a FeatureMap) raw 2-D points go through, or None: the
        ``feature_map`` of ``preprocessing``."""
        return None if self.preprocessing is None else self.preprocessing.feature_map

    @feature_map.setter
    def feature_map(self, value):
        if value is not None and not isinstance(value, (FeatureMap, list, tuple)):
            raise TypeError(f"feature_map: expected None, a FeatureMap or a list of feature "
                            f"names, got {type(value).__name__}")
        config = {} if self.preprocessing is None else self.preprocessing.get_config()
        config["feature_map"] = value
        keep = any(v is not None for v in config.values())
        self.preprocessing = Preprocessing(**config) if keep else None

    # ------------------------------------------------------------------ structure
    @property
    def layers(self) -> list:
        if self._graph is not None:
            return list(self._graph.layers)
        return [t for t in self._tracked if isinstance(t, Layer)]

    @property
    def built(self) -> bool:
        return self.input_shape is not None and all(layer.built for layer in self.layers)

    def build(self, input_shape) -> None:
        """Create every weight for inputs of ``input_shape`` (no batch axis)."""
        input_shape = tuple(int(n) for n in input_shape)
        with context(rng=self._rng, training=False), no_grad():
            self._call_user(Tensor(np.zeros((1, *input_shape), dtype=self._dtype())), False)
        self.input_shape = input_shape

    def _dtype(self):
        """The float type of the first computing layer (an Input's default does not count)."""
        for layer in self.layers:
            if not isinstance(layer, InputLayer):
                return layer.dtype
        return resolve_dtype(None)

    def call(self, inputs, training=False):
        """The forward computation on tensors: the functional graph's, or a subclass's own."""
        if self._graph is None:
            if hasattr(self, "_layers"):  # a Sequential
                raise ValueError(f"model {self.name!r} has no layers yet: add() some first")
            raise NotImplementedError(f"{type(self).__name__} must define call(self, inputs)")
        return self._graph.run([inputs], training)[0]

    def __call__(self, inputs, training=None):
        if isinstance(inputs, SymbolicTensor):
            raise TypeError("calling a model on symbolic tensors is not supported")
        x = inputs if isinstance(inputs, Tensor) else Tensor(inputs, dtype=self._dtype())
        return self.forward(x, bool(training))

    def forward(self, x: Tensor, training: bool) -> Tensor:
        """The one way to run the model, whatever API built it: ``call`` on a tensor, with
        the model's generator and training flag, building the weights on first use. Training
        records the graph for ``backward``; inference runs it under ``no_grad()``. Outputs of
        sigmoid and softmax keep their ``.logits`` for the losses that start from them."""
        if self.input_shape is None:
            self.build(x.shape[1:])
        with context(rng=self._rng, training=training):
            return self._call_user(x, training)

    def _call_user(self, x, training):
        """``call``, given ``training`` only if its signature takes it (a subclass's may not)."""
        if _takes_training(type(self).call):
            return self.call(x, training=training)
        return self.call(x)

    def chain(self):
        """The layers in order when the model is a plain chain, each used once, else None."""
        if type(self).call is not Model.call or self._graph is None:
            return None  # a subclass's own call is Python code
        nodes = self._graph.nodes
        if any(node.inputs != (prev,) for prev, node in zip(nodes, nodes[1:], strict=False)):
            return None
        return _used_once([node.layer for node in nodes if not isinstance(node.layer, InputLayer)])

    def output_layer(self):
        """The layer computing the output, when there is exactly one (else None)."""
        if self._graph is not None:
            return self._graph.outputs[0].layer
        return None

    @property
    def output_shape(self):
        if not self.built:
            return None
        with no_grad():
            out = self.forward(Tensor(np.zeros((1, *self.input_shape), self._dtype())), False)
        return (None, *out.shape[1:])

    # ------------------------------------------------------------------ weights
    @property
    def weights(self) -> list[Tensor]:
        return [w for layer in self.layers for w in layer.weights]

    @property
    def trainable_weights(self) -> list[Tensor]:
        return [w for layer in self.layers for w in layer.trainable_weights]

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

    # ------------------------------------------------------------------ training API
    def compile(self, optimizer="rmsprop", loss=None, metrics=None):
        """Choose the optimizer, loss and metrics (names or objects), as in Keras."""
        if loss is None:
            raise ValueError("compile: loss is required, e.g. loss='mean_squared_error'")
        if metrics is not None and not isinstance(metrics, (list, tuple)):
            metrics = [metrics]
        chosen = (optimizers.get(optimizer), losses.get(loss),
                  [metrics_module.get(m) for m in (metrics or [])])
        self.optimizer, self.loss, self.compiled_metrics = chosen  # all valid: none half-set

    def fused_output(self) -> fused.Head | None:
        """The output activation fused into the loss (:class:`~rosenblatt.nn.fused.Head`), or
        None.

        softmax + categorical cross-entropy and sigmoid + binary cross-entropy are computed
        from the logits in one stable primitive.
        """
        layer = self.output_layer()
        if not isinstance(layer, Dense) or getattr(self.loss, "from_logits", True):
            return None
        if layer.activation is activations.softmax_activation and isinstance(
            self.loss, (losses.CategoricalCrossentropy, losses.SparseCategoricalCrossentropy)
        ):
            return fused.Head.SOFTMAX
        if layer.activation is activations.sigmoid and isinstance(
            self.loss, losses.BinaryCrossentropy
        ):
            return fused.Head.SIGMOID
        return None

    def fit(self, x=None, y=None, batch_size=32, epochs=1, verbose="auto", callbacks=None,
            validation_split=0.0, validation_data=None, shuffle=True, initial_epoch=0):
        """Train for ``epochs``; returns a :class:`~rosenblatt.callbacks.History`.

        ``batch_size=None`` is batch gradient descent (all samples per step), ``1`` stochastic
        gradient descent, anything else mini-batch (lectures 000, 001).
        """
        return training.fit(self, x, y, batch_size=batch_size, epochs=epochs, verbose=verbose,
                            callbacks=callbacks, validation_split=validation_split,
                            validation_data=validation_data, shuffle=shuffle,
                            initial_epoch=initial_epoch)

    def evaluate(self, x=None, y=None, batch_size=None, verbose=0, return_dict=False):
        """The loss (and metrics) on ``x, y``: a float, or [loss, *metrics] with metrics."""
        return training.evaluate(self, x, y, batch_size=batch_size, return_dict=return_dict)

    def predict(self, x, batch_size=None, verbose=0):
        """Outputs as a NumPy array; a single sample (shape = input shape) gives one row."""
        return training.predict(self, x, batch_size=batch_size)

    def summary(self, print_fn=print) -> str:
        """Print each layer's name, type, output shape and parameter count, and the totals."""
        text = summary_text(self)
        if print_fn is not None:
            print_fn(text)
        return text

    def _repr_html_(self) -> str:
        """The summary as an HTML table, in Jupyter."""
        return summary_html(self)

    # ------------------------------------------------------------------ saving
    def save(self, path, include_optimizer: bool = True) -> None:
        """Write architecture (JSON), weights and optimizer state to one ``.npz`` file."""
        saving.save_model(self, path, include_optimizer=include_optimizer)

    def save_weights(self, path) -> None:
        saving.save_weights(self, path)

    def load_weights(self, path) -> None:
        saving.load_weights(self, path)

    def __getstate__(self) -> dict:
        """Pickling (pickle, joblib, cloudpickle) goes through the model file's safe format:
        the pickled bytes hold this class and the file's bytes (JSON and arrays), no other
        code. A round trip predicts identically and continues training bit-identically."""
        return {"model_file": saving.to_bytes(self)}

    def __setstate__(self, state: dict) -> None:
        if not isinstance(state, dict) or not isinstance(state.get("model_file"), bytes):
            raise TypeError(f"__setstate__: expected {{'model_file': bytes}}, got "
                            f"{type(state).__name__}")
        archive = saving.Archive(f"<pickled {type(self).__name__}>", state["model_file"])
        self.__dict__.update(saving.restore(archive, type(self)).__dict__)

    def get_config(self) -> dict:
        if self._graph is None:
            raise TypeError(
                f"{type(self).__name__} is a subclassed model: its architecture is Python code. "
                "Save its weights with save_weights() and rebuild it in code"
            )
        return {"name": self.name, "seed": self.seed, **self._graph.get_config()}

    @classmethod
    def from_config(cls, config: dict):
        graph = Graph.from_config(config)
        return Model(graph.inputs, graph.outputs, name=config.get("name"), seed=config.get("seed"))

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.name!r}>"


def _used_once(layers: list):
    """``layers``, or None when one appears twice (its gradient then accumulates over the uses,
    which only the general path does)."""
    return layers if len({id(layer) for layer in layers}) == len(layers) else None


@functools.cache
def _takes_training(call) -> bool:
    return "training" in inspect.signature(call).parameters
