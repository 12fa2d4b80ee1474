"""Models: ``Sequential``, functional ``Model(inputs, outputs)`` and subclassed ``Model``.

The three Keras APIs of lecture 002. Whatever the API, a built model keeps its trainable
weights as views into one flat vector theta, and their gradients in a matching flat vector,
so the optimizer updates every parameter in a few in-place operations (lecture 004: "[W, B]
is the concatenation of the unknown parameters"). The weight methods are
:class:`rosenblatt.models.weights.ModelWeights`, the file methods
:class:`rosenblatt.models.files.ModelFiles`.

>>> from rosenblatt.layers import Dense
>>> from rosenblatt.models import Sequential
>>> model = Sequential([Dense(3, activation="relu", input_dim=4), Dense(1)])
>>> model.count_params()   # (4 + 1) * 3 + (3 + 1) * 1, lecture 002's 19
19
"""

from __future__ import annotations

import json

import numpy as np

from rosenblatt.autodiff.tensor import Tensor, no_grad, resolve_dtype
from rosenblatt.base.random import make_rng
from rosenblatt.models import graph_api
from rosenblatt.models.display import summary_html
from rosenblatt.models.files import ModelFiles
from rosenblatt.models.summary import summary_text
from rosenblatt.models.weights import ModelWeights
from rosenblatt.nn import fused, losses, optimizers
from rosenblatt.nn import metrics as metrics_module
from rosenblatt.nn.features import FeatureMap, Preprocessing
from rosenblatt.nn.functional import Graph
from rosenblatt.nn.layers import (
    InputLayer,
    Layer,
    context,
    in_forward,
    in_training,
    takes_training,
    unique_name,
)
from rosenblatt.nn.symbolic import SymbolicTensor
from rosenblatt.training import loop as training
from rosenblatt.training import outputs as outputs_module


class Model(ModelWeights, ModelFiles):
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
        self.trainable = True
        self._compile_config = None
        if inputs is not None or outputs is not None:
            self._graph = Graph(inputs, outputs)
            shapes = [tuple(t.shape[1:]) for t in self._graph.inputs]
            self.input_shape = shapes[0] if len(shapes) == 1 else shapes
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
    def inputs(self) -> list:
        """The symbolic input tensors (a functional model's, or a built Sequential's)."""
        return [] if self._graph is None else list(self._graph.inputs)

    @property
    def outputs(self) -> list:
        return [] if self._graph is None else list(self._graph.outputs)

    @property
    def input(self):
        """The symbolic input (a list of them for several inputs)."""
        inputs = self.inputs
        return inputs[0] if len(inputs) == 1 else inputs

    @property
    def output(self):
        """The symbolic output (a list of them for several outputs)."""
        outputs = self.outputs
        return outputs[0] if len(outputs) == 1 else outputs

    @property
    def input_names(self) -> list[str]:
        return [] if self._graph is None else list(self._graph.input_names)

    @property
    def output_names(self) -> list[str]:
        """Each output's name (its layer's), the keys of dict targets and of History."""
        return [] if self._graph is None else list(self._graph.output_names)

    @property
    def multi_input(self) -> bool:
        return self._graph is not None and len(self._graph.inputs) > 1

    @property
    def multi_output(self) -> bool:
        return self._graph is not None and len(self._graph.outputs) > 1

    def get_layer(self, name=None, index=None):
        """The layer called ``name``, or at position ``index`` of ``layers`` (Keras' API)."""
        return graph_api.get_layer(self, name, index)

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
            raise self._without_graph()
        values = inputs if isinstance(inputs, (list, tuple)) else [inputs]
        if len(values) != len(self._graph.inputs):
            raise ValueError(f"inputs: model {self.name!r} has {len(self._graph.inputs)} "
                             f"inputs, got {len(values)} tensors")
        out = self._graph.run(list(values), training)
        return out[0] if len(out) == 1 else out

    def __call__(self, inputs, training=None):
        """Run the model on tensors or arrays (a list for several inputs); on symbolic tensors,
        use it as a layer of a bigger functional model (its weights shared)."""
        values = inputs if isinstance(inputs, (list, tuple)) else [inputs]
        if any(isinstance(v, SymbolicTensor) for v in values):
            return graph_api.nested_call(self, values, listed=isinstance(inputs, (list, tuple)))
        x = [v if isinstance(v, Tensor) else Tensor(v, dtype=self._dtype()) for v in values]
        if training is None:
            training = in_training()
        return self.forward(x if isinstance(inputs, (list, tuple)) else x[0], bool(training))

    def forward(self, x: Tensor, training: bool) -> Tensor:
        """The one way to run the model, whatever API built it: ``call`` on a tensor, with
        the model's generator and training flag, building the weights on first use. Training
        records the graph for ``backward``; inference runs it under ``no_grad()``. Outputs of
        sigmoid and softmax keep their ``.logits`` for the losses that start from them."""
        if self.input_shape is None:
            self.build(x.shape[1:])
        if not in_forward():  # the outermost model: the pass's added losses start afresh
            self._clear_losses()
        with context(rng=self._rng, training=training, forward=True):
            return self._call_user(x, training)

    def _call_user(self, x, training):
        """``call``, given ``training`` only if its signature takes it (a subclass's may not)."""
        if takes_training(type(self).call):
            return self.call(x, training=training)
        return self.call(x)

    @property
    def losses(self) -> list:
        """The losses the layers added with ``add_loss`` in the latest forward pass (fit
        minimizes the compiled loss plus their sum)."""
        return [loss for layer in self._inner_layers() for loss in layer.losses]

    def _clear_losses(self) -> None:
        for layer in self._inner_layers():
            layer._losses = []

    def _inner_layers(self) -> list:
        """Every layer once, those of nested models included."""
        found, seen, stack = [], set(), list(reversed(self.layers))
        while stack:
            layer = stack.pop()
            if id(layer) not in seen:
                seen.add(id(layer))
                if isinstance(layer, Model):
                    stack.extend(reversed(layer.layers))
                else:
                    found.append(layer)
        return found

    def _without_graph(self) -> Exception:
        """What calling the model says when it has no graph to run."""
        return NotImplementedError(f"{type(self).__name__} must define call(self, inputs)")

    def chain(self):
        """The layers in order when the model is a plain chain, each used once, else None."""
        found = self._graph_chain()
        return found[1] if found is not None and len(found[0]) == 1 else None

    def chain_after_inputs(self):
        """(positions, layers): the model's :meth:`chain` (a subclass may define its own),
        or a chain after a Concatenate of its inputs in the order ``positions``; else None."""
        layers = self.chain()
        return ([0], layers) if layers is not None else self._graph_chain()

    def _graph_chain(self):
        if type(self).call is not Model.call or self._graph is None:
            return None  # a subclass's own call is Python code
        found = graph_api.chain(self._graph)  # (positions, layers)
        return found if found is not None and _used_once(found[1]) else None

    def output_layer(self):
        """The layer computing the output, when there is exactly one (else None)."""
        if self._graph is not None and len(self._graph.outputs) == 1:
            return self._graph.outputs[0].layer
        return None

    @property
    def output_shape(self):
        if not self.built:
            return None
        if self._graph is not None and (self.multi_input or self.multi_output):
            shapes = [tuple(t.shape) for t in self._graph.outputs]
            return shapes[0] if len(shapes) == 1 else shapes
        with no_grad():
            out = self.forward(Tensor(np.zeros((1, *self.input_shape), self._dtype())), False)
        return (None, *out.shape[1:])

    def ensure_built(self, input_shape, rng=None) -> None:
        if not self.built:
            self.build(input_shape)

    def compute_output_shape(self, input_shape):
        shape = self.output_shape
        return tuple(shape[1:])

    # ------------------------------------------------------------------ training API
    def compile(self, optimizer="rmsprop", loss=None, metrics=None, loss_weights=None):
        """Choose the optimizer, loss and metrics (names or objects), as in Keras. A model
        with several outputs takes one loss for all, or a list or a dict by output name of
        losses, ``loss_weights`` and metrics (:mod:`rosenblatt.training.outputs`)."""
        if loss is None:
            raise ValueError("compile: loss is required, e.g. loss='mean_squared_error'")
        if self.multi_output:
            total, compiled = outputs_module.compile_outputs(self, loss, loss_weights, metrics)
            chosen = (optimizers.get(optimizer), total, compiled)
        else:
            if outputs_module.is_by_output(loss) or (isinstance(loss, (list, tuple))
                                                      and len(loss) == 1):
                loss = outputs_module.per_output(loss, self.output_names or ["output"],
                                                 "loss")[0]
            if outputs_module.is_by_output(metrics):
                metrics = outputs_module.per_output(metrics, self.output_names, "metrics",
                                                    single=[])[0]
            if metrics is not None and not isinstance(metrics, (list, tuple)):
                metrics = [metrics]
            chosen = (optimizers.get(optimizer), losses.get(loss),
                      [metrics_module.get(m) for m in (metrics or [])])
        self.optimizer, self.loss, self.compiled_metrics = chosen  # all valid: none half-set
        self.compiled_metrics = outputs_module.loss_trackers(self) + self.compiled_metrics
        self._compile_config = {"loss": loss, "metrics": metrics, "loss_weights": loss_weights}

    def fused_output(self) -> fused.Head | None:
        """The output activation fused into the loss (:class:`~rosenblatt.nn.fused.Head`), or
        None.

        softmax + categorical cross-entropy, sigmoid + binary cross-entropy (and a linear
        output with either ``from_logits=True``) are one stable primitive of the logits.
        """
        return outputs_module.head_of(self.output_layer(), self.loss)

    def fit(self, x=None, y=None, batch_size=32, epochs=1, verbose="auto", callbacks=None,
            validation_split=0.0, validation_data=None, shuffle=True, class_weight=None,
            sample_weight=None, initial_epoch=0, steps_per_epoch=None, validation_freq=1):
        """Train for ``epochs``; returns a :class:`~rosenblatt.callbacks.History`.

        ``batch_size=None`` is batch gradient descent (all samples per step), ``1`` stochastic
        gradient descent, anything else mini-batch (lectures 000, 001). ``x`` may also be a
        generator or iterable of ``(x, y)`` or ``(x, y, sample_weight)`` batches, read
        ``steps_per_epoch`` batches per epoch.
        """
        return training.fit(self, x, y, batch_size=batch_size, epochs=epochs, verbose=verbose,
                            callbacks=callbacks, validation_split=validation_split,
                            validation_data=validation_data, shuffle=shuffle,
                            initial_epoch=initial_epoch, class_weight=class_weight,
                            sample_weight=sample_weight, steps_per_epoch=steps_per_epoch,
                            validation_freq=validation_freq)

    def evaluate(self, x=None, y=None, batch_size=None, verbose=0, sample_weight=None,
                 return_dict=False):
        """The loss (and metrics) on ``x, y``: a float, or [loss, *metrics] with metrics."""
        return training.evaluate(self, x, y, batch_size=batch_size, return_dict=return_dict,
                                 sample_weight=sample_weight)

    def train_on_batch(self, x, y=None, sample_weight=None, class_weight=None,
                       return_dict=False):
        """One optimizer step on this batch; the loss (and metrics) of the batch."""
        return training.train_on_batch(self, x, y, sample_weight=sample_weight,
                                       class_weight=class_weight, return_dict=return_dict)

    def test_on_batch(self, x, y=None, sample_weight=None, return_dict=False):
        """The loss (and metrics) of this batch, no update (``evaluate`` on one batch)."""
        return self.evaluate(x, y, sample_weight=sample_weight, return_dict=return_dict)

    def predict_on_batch(self, x):
        """The outputs for this batch (``predict`` in one batch)."""
        return self.predict(x)

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

    # ------------------------------------------------------------------ architecture
    def to_json(self, **kwargs) -> str:
        """The architecture as JSON (``models.model_from_json`` rebuilds it, fresh weights)."""
        return json.dumps({"class_name": type(self).__name__, "config": self.get_config()},
                          **kwargs)

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

