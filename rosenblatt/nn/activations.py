"""Activation functions g(z), each with its derivative written once (Keras names).

An elementwise activation is an :class:`~rosenblatt.nn.elementwise.Activation`: its value
and derivative on ndarrays give its Tensor form (autodiff) and, by default, its in-place forms
for the graph-free paths; linear, ReLU (a 0/1 mask) and tanh (g' from y) override those, and
an activation's ``compiled`` names the numba loops that implement the same forms. A new
activation is a change to this module alone; every path picks it up. ``softmax`` and
``log_softmax`` are not elementwise and are composed from primitives.

Lectures: 000 (sigmoid, tanh, ReLU, softplus and their derivatives), 001, 002 (tanh = 2 sigmoid(2z)
- 1), 003 (sign), 004 (linear, sigmoid, tanh).

>>> import numpy as np
>>> sigmoid.value(np.array([0.0]))
array([0.5])
>>> get("relu") is relu
True
"""

from __future__ import annotations

import math

import numpy as np

from rosenblatt.autodiff.tensor import Tensor, as_tensor
from rosenblatt.base.registry import Registry
from rosenblatt.nn.elementwise import (
    Activation,
    Compiled,
    _row_form,
    pickle_by_name,
    reduce_by_name,
)

registry = Registry("activation")


class _Linear(Activation):
    """g(z) = z: nothing to compute, nothing to keep; g g' = g."""

    def value_in_place(self, z):
        return z

    def forward_in_place(self, z, scratch):
        return z, None

    def backward_in_place(self, g, saved, out):
        return g


class _ReLU(Activation):
    """relu'(z) = 1 for z >= 0 (lecture 000), kept as a 0/1 mask: a float mask multiplies
    fastest. PyTorch, TensorFlow and micrograd take relu'(0) = 0 instead; the gradients differ
    only where z is exactly 0."""

    def value_in_place(self, z):
        return np.maximum(z, 0, out=z)

    def forward_in_place(self, z, scratch):
        mask = np.greater_equal(z, 0, out=scratch())
        return np.multiply(z, mask, out=z), mask

    def backward_in_place(self, g, saved, out):
        return np.multiply(g, saved, out=out)


class _Tanh(Activation):
    """tanh' = 1 - y^2 from the output y alone."""

    def value_in_place(self, z):
        return np.tanh(z, out=z)

    def forward_in_place(self, z, scratch):
        y = np.tanh(z, out=z)
        return y, y

    def backward_in_place(self, g, saved, out):
        np.multiply(saved, saved, out=out)
        np.subtract(1, out, out=out)
        return np.multiply(g, out, out=out)


_NO_LOOPS = Compiled()


def _define(names, value, derivative, formula, *, kind=Activation,
            compiled=_NO_LOOPS) -> Activation:
    act = kind(names[0], value, derivative, formula, compiled)
    for name in names:
        registry.add(name, act)
    return act


def _sigmoid(z):
    e = np.exp(-np.abs(z))  # never overflows: stable for any |z|
    return np.where(z >= 0, 1 / (1 + e), e / (1 + e))


def _softplus(z):
    return np.maximum(z, 0) + np.log1p(np.exp(-np.abs(z)))


_erf = np.frompyfunc(math.erf, 1, 1)
_SQRT2 = math.sqrt(2.0)


def _gelu(z):
    return 0.5 * z * (1 + np.asarray(_erf(z / _SQRT2), np.float64))


def _gelu_derivative(z, y):
    cdf = 0.5 * (1 + np.asarray(_erf(z / _SQRT2), np.float64))
    return cdf + z * np.exp(-0.5 * z * z) / math.sqrt(2 * math.pi)


linear = _define(
    ("linear", "identity"), lambda z: z, lambda z, y: np.ones_like(z), "g(z) = z",
    kind=_Linear, compiled=Compiled(row="bias_linear_row"),
)
step = _define(
    ("step", "heaviside"), lambda z: (z >= 0) * 1.0, lambda z, y: np.zeros_like(z),
    "g(z) = 1 if z >= 0 else 0 (the perceptron's threshold; g' = 0)",
)
sign = _define(
    ("sign",), lambda z: np.where(z >= 0, 1.0, -1.0), lambda z, y: np.zeros_like(z),
    "g(z) = 1 if z >= 0 else -1 (g' = 0)",
)
sigmoid = _define(
    ("sigmoid", "logistic"), _sigmoid, lambda z, y: y * (1 - y),
    "g(z) = 1 / (1 + exp(-z)); g' = g (1 - g)", compiled=Compiled(row="bias_sigmoid_row"),
)
sigmoid.keeps_logits = True  # binary cross-entropy starts from them
tanh = _define(
    ("tanh",), np.tanh, lambda z, y: 1 - y * y, "g(z) = tanh(z); g' = 1 - g^2",
    kind=_Tanh, compiled=Compiled(row="bias_tanh_row"),
)
relu = _define(
    ("relu",), lambda z: np.maximum(z, 0), lambda z, y: (z >= 0) * 1.0,
    "g(z) = max(0, z); g' = step(z), 1 for z >= 0 as in lecture 000",
    kind=_ReLU, compiled=Compiled(forward="bias_relu", backward="relu_backward",
                                  row="bias_relu_row"),
)
softplus = _define(
    ("softplus",), _softplus, lambda z, y: _sigmoid(z), "g(z) = log(1 + exp(z)); g' = sigmoid(z)"
)
swish = _define(
    ("swish", "silu"), lambda z: z * _sigmoid(z),
    lambda z, y: _sigmoid(z) * (1 + z * (1 - _sigmoid(z))),
    "g(z) = z sigmoid(z); g' = s + z s (1 - s)",
)
gelu = _define(
    ("gelu",), _gelu, _gelu_derivative,
    "g(z) = z Phi(z) = z/2 (1 + erf(z / sqrt 2)); g' = Phi(z) + z phi(z)",
)
hard_sigmoid = _define(
    ("hard_sigmoid",), lambda z: np.clip(z / 6 + 0.5, 0, 1),
    lambda z, y: ((z > -3) & (z < 3)) / 6,
    "g(z) = relu6(z + 3) / 6 = clip(z / 6 + 1/2, 0, 1) (Keras); g' = 1/6 on (-3, 3), else 0",
)


def leaky_relu_activation(negative_slope: float = 0.2) -> Activation:
    """Leaky ReLU: g(z) = z for z >= 0, ``negative_slope`` * z otherwise (Keras' default 0.2)."""
    a = float(negative_slope)
    return Activation(
        "leaky_relu", lambda z: np.where(z >= 0, z, a * z),
        lambda z, y: np.where(z >= 0, 1.0, a), f"g(z) = z if z >= 0 else {a} z",
    )


def elu_activation(alpha: float = 1.0) -> Activation:
    """ELU: g(z) = z for z > 0, alpha (e^z - 1) otherwise; g' = 1 or g + alpha."""
    a = float(alpha)
    return Activation(
        "elu", lambda z: np.where(z > 0, z, a * np.expm1(np.minimum(z, 0))),
        lambda z, y: np.where(z > 0, 1.0, y + a), f"g(z) = z if z > 0 else {a} (exp(z) - 1)",
    )


leaky_relu = leaky_relu_activation()
registry.add("leaky_relu", leaky_relu)
elu = elu_activation()
registry.add("elu", elu)


class Softmax:
    """softmax(z)_k = exp(z_k) / sum_j exp(z_j) along ``axis``, computed as exp(z - max z).

    Built from primitives (exp, sum, division), so its gradient needs no code of its own; its
    output tensor keeps z as ``.logits`` for a cross-entropy that starts from them.
    Its outputs sum to 1 (lecture 002: "N classes = N softmax units").
    """

    name = __name__ = "softmax"
    formula = "softmax(z)_k = exp(z_k) / sum_j exp(z_j)"
    compiled = Compiled(row="bias_softmax_row")

    def __init__(self, axis: int = -1):
        self.axis = axis

    def value(self, z: np.ndarray) -> np.ndarray:
        z = np.asarray(z)
        return self.value_in_place(np.array(z, dtype=z.dtype if z.dtype.kind == "f"
                                            else np.float64))

    def value_in_place(self, z: np.ndarray) -> np.ndarray:
        """softmax of the float array ``z``, computed in ``z`` itself."""
        z -= z.max(axis=self.axis, keepdims=True)
        np.exp(z, out=z)
        z /= z.sum(axis=self.axis, keepdims=True)
        return z

    def row_in_place(self, loops):
        """``row(z, b, has_bias)``: z (k,) <- softmax(z + b) in the one sample z by a compiled
        loop, or None without ``loops`` (see :meth:`Activation.row_in_place`)."""
        return _row_form(self.compiled, loops)

    def __call__(self, x) -> Tensor:
        x = as_tensor(x)
        shifted = x - Tensor(np.max(x.data, axis=self.axis, keepdims=True))
        e = shifted.exp()
        out = e / e.sum(axis=self.axis, keepdims=True)
        out.logits = x
        return out

    def __reduce__(self):
        return reduce_by_name(self)

    def __repr__(self) -> str:
        return f"<activation softmax: {self.formula}>"


# Tensor's methods x.tanh(), x.sigmoid(), x.relu(): the activations above
Tensor.tanh = lambda self: tanh(self)
Tensor.sigmoid = lambda self: sigmoid(self)
Tensor.relu = lambda self: relu(self)

softmax_activation = Softmax()
registry.add("softmax", softmax_activation)
for _name in registry.names():  # registered activations pickle by name
    if getattr(registry.lookup(_name), "name", None) == _name:
        pickle_by_name(registry.lookup(_name))


def softmax(x, axis: int = -1) -> Tensor:
    """softmax along ``axis`` of a tensor (see :class:`Softmax`)."""
    return Softmax(axis)(x)


def logsumexp(x, axis: int = -1, keepdims: bool = False) -> Tensor:
    """log sum_j exp(x_j) = m + log sum_j exp(x_j - m), m = max x: never overflows."""
    x = as_tensor(x)
    m = Tensor(np.max(x.data, axis=axis, keepdims=True))
    out = (x - m).exp().sum(axis=axis, keepdims=True).log() + m
    return out if keepdims else out.reshape(np.squeeze(out.data, axis=axis).shape)


def log_softmax(x, axis: int = -1) -> Tensor:
    """log softmax(x) = x - logsumexp(x), stable for large |x|."""
    x = as_tensor(x)
    return x - logsumexp(x, axis=axis, keepdims=True)


def get(identifier):
    """An activation from a name (Keras names), None (linear), or a callable (returned as is).

    >>> get(None).name
    'linear'
    """
    if identifier is None:
        return linear
    if isinstance(identifier, str):
        return registry.lookup(identifier)
    if isinstance(identifier, dict):
        return get(identifier.get("class_name") or identifier.get("name"))
    if callable(identifier):
        return identifier
    raise TypeError(
        f"activation: expected a name, None or a callable, got {type(identifier).__name__}"
    )


def serialize(activation) -> str:
    """The registered name of an activation (for model configs)."""
    name = getattr(activation, "name", None)
    if name in registry and registry.lookup(name) is activation:
        return name
    raise TypeError(
        f"activation {activation!r} is not a registered activation and cannot be saved; "
        f"use one of: {', '.join(registry.names())}"
    )


def names() -> list[str]:
    """The registered activation names."""
    return registry.names()
