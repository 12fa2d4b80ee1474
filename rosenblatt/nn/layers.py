"""Layers: Dense, Activation, Dropout, Flatten and Input, with Keras names and signatures.

A layer stores its configuration in ``__init__``, creates its weights in ``build(input_shape)``
on its first call (shapes exclude the batch axis), computes in ``call(x)`` on tensors (under
``no_grad()`` for inference), and round-trips through ``get_config()`` / ``from_config()``.
A custom layer's ``call(self, inputs)`` may leave out ``training``, and may ``add_loss`` a
term that fit adds to the loss it minimizes (Keras' activity regularization).

>>> layer = Dense(3, activation="relu")
>>> layer(np.ones((2, 4))).shape
(2, 3)
>>> [w.shape for w in layer.get_weights()]
[(4, 3), (3,)]
"""

from __future__ import annotations

import functools
import inspect
import numbers
import re
import sys
import threading

import numpy as np

from rosenblatt.autodiff.tensor import Tensor, as_tensor, resolve_dtype
from rosenblatt.base import limits
from rosenblatt.base.checks import check_bool, check_positive, check_weights, describe
from rosenblatt.base.random import global_rng, make_rng
from rosenblatt.nn import activations, fused, initializers, regularizers
from rosenblatt.nn.symbolic import SymbolicTensor

# The most entries one weight may have is rosenblatt.base.limits.MAX_WEIGHT_ENTRIES, which the
# initializers check too; this module's MAX_WEIGHT_ENTRIES reads and sets that one value.
sys.modules[__name__].__class__ = limits.LimitAlias

_context = threading.local()
_name_counts: dict[str, int] = {}


def unique_name(base: str) -> str:
    """``base``, then ``base_1``, ``base_2``... (Keras' automatic layer names)."""
    count = _name_counts.get(base, 0)
    _name_counts[base] = count + 1
    return base if count == 0 else f"{base}_{count}"


def _snake(name: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


def current_rng() -> np.random.Generator:
    """The generator of the model being built or trained, else the global one."""
    rng = getattr(_context, "rng", None)
    if rng is None:
        rng = global_rng()
    return rng


def in_training() -> bool:
    return getattr(_context, "training", False)


def in_forward() -> bool:
    """Whether a model's forward pass is running (its layers' added losses are collected)."""
    return getattr(_context, "forward", False)


class context:
    """Sets the generator and training flag that layers see during a model's build or fit,
    and with ``forward`` marks a model's forward pass."""

    def __init__(self, rng=None, training=None, forward=None):
        self.rng, self.training, self.forward = rng, training, forward

    def __enter__(self):
        self.saved = (getattr(_context, "rng", None), getattr(_context, "training", False),
                      in_forward())
        if self.rng is not None:
            _context.rng = self.rng
        if self.training is not None:
            _context.training = self.training
        if self.forward is not None:
            _context.forward = self.forward
        return self

    def __exit__(self, *exc):
        _context.rng, _context.training, _context.forward = self.saved


@functools.cache
def takes_training(call) -> bool:
    """Whether a ``call`` function takes ``training`` (a custom layer's may not)."""
    return "training" in inspect.signature(call).parameters


def _shape_arg(input_shape, input_dim, layer: str):
    if input_shape is not None and input_dim is not None:
        raise ValueError(f"{layer}: give input_shape or input_dim, not both")
    if input_dim is not None:
        return (int(check_positive(input_dim, "input_dim", integer=True)),)
    if input_shape is not None:
        shape = (input_shape,) if isinstance(input_shape, int) else tuple(input_shape)
        for n in shape:
            check_positive(n, "input_shape", integer=True)
        return shape
    return None


class Layer:
    """Base class of all layers.

    Args:
        name: unique name (default: the class name in snake case, numbered).
        trainable: whether fit updates this layer's weights.
        input_shape / input_dim: the input's shape without the batch axis, for a first layer.
        dtype: 'float32' (default) or 'float64'.
    """

    def __init__(self, name=None, trainable=True, input_shape=None, input_dim=None, dtype=None):
        if name is not None and not isinstance(name, str):
            raise TypeError(f"name: expected a str, got {describe(name)}")
        self.name = name or unique_name(_snake(type(self).__name__))
        self.trainable = check_bool(trainable, "trainable")
        self.dtype = resolve_dtype(dtype)
        self.input_shape_arg = _shape_arg(input_shape, input_dim, type(self).__name__)
        self.built = False
        self.input_shape = None
        self._weights: list[Tensor] = []
        self._regularizers: list = []
        self._losses: list[Tensor] = []

    # ------------------------------------------------------------------ building
    def add_weight(self, name, shape, initializer, rng, regularizer=None) -> Tensor:
        """Create a weight tensor from an initializer; registers it with its regularizer."""
        init = initializers.get(initializer)
        limits.check_weight_entries(shape, f"layer {self.name!r}: its {name}")
        value = np.asarray(init(tuple(shape), dtype=self.dtype, rng=rng), dtype=self.dtype)
        weight = Tensor(value, requires_grad=True)
        weight.name = f"{self.name}/{name}"
        self._weights.append(weight)
        self._regularizers.append(regularizers.get(regularizer))
        return weight

    def build(self, input_shape: tuple, rng: np.random.Generator) -> None:
        """Create the weights for inputs of ``input_shape`` (no batch axis)."""

    def ensure_built(self, input_shape: tuple, rng=None) -> None:
        if not self.built:
            input_shape = tuple(int(n) for n in input_shape)
            self.build(input_shape, rng if rng is not None else current_rng())
            self.input_shape = input_shape
            self.built = True

    def compute_output_shape(self, input_shape: tuple) -> tuple:
        return tuple(input_shape)

    @property
    def output_shape(self):
        return None if self.input_shape is None else self.compute_output_shape(self.input_shape)

    # ------------------------------------------------------------------ computing
    def __call__(self, x, training=None):
        if isinstance(x, SymbolicTensor):
            return x.apply(self)
        x = as_tensor(x, dtype=self.dtype)
        self.ensure_built(x.shape[1:])
        self._check_input(x.shape)
        if not in_forward():  # called on its own: its added losses are this call's
            self._losses = []
        if takes_training(type(self).call):
            return self.call(x, training=in_training() if training is None else training)
        return self.call(x)

    def _check_input(self, shape) -> None:
        if self.input_shape is not None and tuple(shape[1:]) != self.input_shape:
            raise ValueError(
                f"layer {self.name!r}: expected inputs of shape (batch, "
                f"{', '.join(map(str, self.input_shape))}), got {tuple(shape)}"
            )

    def call(self, x: Tensor, training: bool = False) -> Tensor:
        return x

    def add_loss(self, loss) -> None:
        """Add ``loss`` (one number, or a one-number Tensor computed in ``call``, such as a
        penalty on the activations) to what fit minimizes: the compiled loss plus every loss
        the layers add in the batch's forward pass, the gradient flowing through each
        (evaluate reports the same sum)."""
        if not isinstance(loss, Tensor):
            if not isinstance(loss, numbers.Real) or isinstance(loss, bool):
                raise TypeError(f"add_loss: expected a Tensor or a number, got {describe(loss)}")
            loss = Tensor(loss, dtype=self.dtype)
        if loss.data.size != 1:
            raise ValueError(f"add_loss: expected one number (reduce it, e.g. with ops.sum), got "
                             f"a tensor of shape {loss.shape}")
        self._losses.append(loss.reshape(()) if loss.ndim else loss)

    @property
    def losses(self) -> list[Tensor]:
        """The losses ``add_loss`` added in the latest forward pass."""
        return list(self._losses)

    # ------------------------------------------------------------------ weights
    @property
    def weights(self) -> list[Tensor]:
        return list(self._weights)

    @property
    def trainable_weights(self) -> list[Tensor]:
        return list(self._weights) if self.trainable else []

    def get_weights(self) -> list[np.ndarray]:
        """Copies of the weights (Dense: kernel (in, out), then bias (out,))."""
        return [w.data.copy() for w in self._weights]

    def set_weights(self, values) -> None:
        """Overwrite the weights in place, after checking every array (number, shapes, real
        numbers, finite): a refused call changes no weight."""
        arrays = check_weights(values, self._weights, f"layer {self.name!r}", "weight arrays",
                               got="an array of shape ")
        for w, v in zip(self._weights, arrays, strict=True):
            w.data[...] = v

    def count_params(self) -> int:
        return int(sum(w.data.size for w in self._weights))

    def regularization_terms(self):
        """(weight, regularizer) pairs whose penalty is added to the loss."""
        pairs = zip(self._weights, self._regularizers, strict=True)
        return [(w, r) for w, r in pairs if r is not None]

    # ------------------------------------------------------------------ config
    def get_config(self) -> dict:
        config = {"name": self.name, "trainable": self.trainable, "dtype": str(self.dtype)}
        if self.input_shape_arg is not None:
            config["input_shape"] = list(self.input_shape_arg)
        return config

    @classmethod
    def from_config(cls, config: dict):
        return cls(**config)

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.name!r}>"


class Dense(Layer):
    """A fully connected layer: a = g(x W + b) (lecture 001, row-vector convention).

    Args:
        units: number of neurons (output width).
        activation: g, a name or callable (None: linear).
        use_bias: add the bias b.
        kernel_initializer, bias_initializer: initializer names or objects.
        kernel_regularizer, bias_regularizer: None, 'l1', 'l2', 'l1_l2' or objects.
    Weights: kernel W (in, units), bias b (units,), so it has (in + 1) * units parameters.
    """

    def __init__(self, units, activation=None, use_bias=True, kernel_initializer="glorot_uniform",
                 bias_initializer="zeros", kernel_regularizer=None, bias_regularizer=None,
                 **kwargs):
        super().__init__(**kwargs)
        self.units = int(check_positive(units, "units", integer=True))
        self.activation = activations.get(activation)
        if self.units == 1 and self.activation is activations.softmax_activation:
            raise ValueError("activation: softmax over a single unit is always 1; use "
                             "'sigmoid' for one output unit, or units >= 2 with softmax")
        self.use_bias = check_bool(use_bias, "use_bias")
        self.kernel_initializer = initializers.get(kernel_initializer)
        self.bias_initializer = initializers.get(bias_initializer)
        self.kernel_regularizer = regularizers.get(kernel_regularizer)
        self.bias_regularizer = regularizers.get(bias_regularizer)
        self.kernel = self.bias = None

    def build(self, input_shape, rng):
        if len(input_shape) != 1:
            raise ValueError(
                f"layer {self.name!r}: Dense expects inputs of shape (batch, features), got "
                f"(batch, {', '.join(map(str, input_shape))}); add a Flatten layer first"
            )
        self.kernel = self.add_weight("kernel", (input_shape[0], self.units),
                                      self.kernel_initializer, rng, self.kernel_regularizer)
        if self.use_bias:
            self.bias = self.add_weight("bias", (self.units,), self.bias_initializer, rng,
                                        self.bias_regularizer)

    def compute_output_shape(self, input_shape):
        return (self.units,)

    def call(self, x, training=False):
        """g(x W + b) (for sigmoid and softmax, its ``.logits`` are x W + b)."""
        return fused.dense(x, self.kernel, self.bias, self.activation)

    def get_config(self):
        return {
            **super().get_config(), "units": self.units,
            "activation": activations.serialize(self.activation), "use_bias": self.use_bias,
            "kernel_initializer": initializers.serialize(self.kernel_initializer),
            "bias_initializer": initializers.serialize(self.bias_initializer),
            "kernel_regularizer": _serialize_optional(self.kernel_regularizer),
            "bias_regularizer": _serialize_optional(self.bias_regularizer),
        }


def _serialize_optional(regularizer):
    return None if regularizer is None else regularizers.serialize(regularizer)


class Activation(Layer):
    """Applies an activation function g elementwise (or softmax over the last axis)."""

    def __init__(self, activation, **kwargs):
        super().__init__(**kwargs)
        self.activation = activations.get(activation)

    def call(self, x, training=False):
        return self.activation(x)

    def get_config(self):
        return {**super().get_config(), "activation": activations.serialize(self.activation)}


class Dropout(Layer):
    """Inverted dropout: while training, zero each input with probability ``rate`` and scale
    the rest by 1 / (1 - rate); at inference, the identity.

    Args: rate in [0, 1); seed: its own generator's seed (default: the model's generator).
    """

    def __init__(self, rate, seed=None, **kwargs):
        super().__init__(**kwargs)
        if not isinstance(rate, numbers.Real) or isinstance(rate, bool) or not 0 <= rate < 1:
            raise ValueError(f"rate: expected a number in [0, 1), got {rate!r}")
        self.rate = float(rate)
        if seed is not None and (not isinstance(seed, numbers.Integral) or isinstance(seed, bool)):
            raise TypeError(f"seed: expected an int or None, got {describe(seed)}")
        self.seed = seed
        self._rng = None if seed is None else make_rng(seed)

    def call(self, x, training=False):
        if not training or self.rate == 0.0:
            return x
        rng = self._rng if self._rng is not None else current_rng()
        return x * Tensor(self.factors(x.shape, x.dtype, rng))

    def factors(self, shape, dtype, rng: np.random.Generator) -> np.ndarray:
        """The factors of one training call: 0 where an input is dropped, 1 / (1 - rate)
        elsewhere, from one draw of ``rng`` (every training path takes these)."""
        keep = rng.random(shape) >= self.rate
        return keep.astype(dtype) / np.asarray(1 - self.rate, dtype)

    def get_config(self):
        return {**super().get_config(), "rate": self.rate, "seed": self.seed}


class Flatten(Layer):
    """Reshapes (batch, d1, d2, ...) inputs to (batch, d1 * d2 * ...)."""

    def compute_output_shape(self, input_shape):
        return (int(np.prod(input_shape)),)

    def call(self, x, training=False):
        return x.reshape(x.shape[0], -1)



class InputLayer(Layer):
    """The input of a model: holds its shape (no batch axis); computes nothing."""

    def __init__(self, shape, **kwargs):
        if shape is None or isinstance(shape, (str, bytes, float, bool)):
            raise TypeError(f"shape: expected a tuple of positive integers such as (784,), got "
                            f"{describe(shape)}")
        super().__init__(input_shape=shape, **kwargs)

    def get_config(self):
        config = super().get_config()
        config["shape"] = config.pop("input_shape")
        return config


def Input(shape, name=None, dtype=None):  # noqa: N802 (Keras' name)
    """A symbolic model input of ``shape`` (no batch axis), for the functional API.

    >>> x = Input(shape=(4,))
    >>> x.shape
    (None, 4)
    """
    layer = InputLayer(shape, name=name, dtype=dtype)
    return SymbolicTensor(layer.input_shape_arg, layer, ())


LAYERS = {cls.__name__: cls for cls in (Dense, Activation, Dropout, Flatten, InputLayer)}


def register_layers(*classes, functions=()) -> None:
    """Make layer ``classes`` (and their function forms) known to ``deserialize`` and
    importable from this module's public path, ``rosenblatt.layers`` (modules above this
    one, such as :mod:`rosenblatt.nn.merge`, register theirs)."""
    module = sys.modules[__name__]
    for obj in (*classes, *functions):
        setattr(module, obj.__name__, obj)
    LAYERS.update({cls.__name__: cls for cls in classes})


def register(cls: type) -> type:
    """Decorator form of :func:`register_layers` for one layer class."""
    register_layers(cls)
    return cls


def deserialize(config: dict) -> Layer:
    """A layer from ``{'class_name': ..., 'config': ...}``; only built-in layers, no code runs."""
    if not isinstance(config, dict) or not isinstance(config.get("config"), dict):
        raise TypeError(f"layer: expected {{'class_name': ..., 'config': {{...}}}}, got "
                        f"{describe(config)}")
    name = config.get("class_name")
    if not isinstance(name, str) or name not in LAYERS:
        raise ValueError(f"unknown layer class {name!r}; known: {', '.join(LAYERS)}")
    return LAYERS[name].from_config(config["config"])


def serialize(layer: Layer) -> dict:
    return {"class_name": type(layer).__name__, "config": layer.get_config()}
