"""The stages of the graph-free training step (:mod:`rosenblatt._fast.step`), one small named
type per layer kind, each with its forward pass and its backward pass on arrays.

``forward(h, store, work) -> (output, saved)`` computes a stage's output from its input ``h``
and keeps in ``saved`` what its backward pass needs; ``backward(h, saved, g, store, work,
need_input_grad)`` turns dL/d(output) ``g`` into dL/d(input) (None when not needed), writing
the stage's weight gradients into the flat gradient vector on the way. ``store`` holds the
stage's buffers for the batch size, ``work`` the arrays and loops the stages share
(:class:`StageContext`).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from rosenblatt.nn import activations
from rosenblatt.nn.layers import Dropout
from rosenblatt.nn.regularizers import Regularizer


class StageContext:
    """What the stages share: the float type, the compiled loops (or None), and vectors of
    ones for the bias gradients' sums, kept from step to step."""

    def __init__(self, dtype, loops, ones: dict):
        self.dtype = dtype
        self.loops = loops
        self._ones = ones  # rows -> a vector of that many ones

    def buffer(self, store: dict, key: str, shape) -> np.ndarray:
        """The buffer ``key`` of a stage's ``store``, made on first use."""
        buf = store.get(key)
        if buf is None:
            buf = store[key] = np.empty(shape, self.dtype)
        return buf

    def ones(self, rows: int) -> np.ndarray:
        ones = self._ones.get(rows)
        if ones is None:
            ones = self._ones[rows] = np.ones(rows, self.dtype)
        return ones


@dataclass(frozen=True)
class DenseStage:
    """g(h W + b): the kernel and bias (views into the flat parameter vector, or a frozen
    layer's arrays), their gradients (views into the flat gradient vector, None when frozen
    or absent) and the activation's in-place forms (linear for logits a fused loss takes)."""

    kernel: np.ndarray
    kernel_grad: np.ndarray | None
    bias: np.ndarray | None
    bias_grad: np.ndarray | None
    activation: activations.InPlace

    def forward(self, h, store, work):
        z = np.matmul(h, self.kernel, out=work.buffer(store, "z", (len(h), self.kernel.shape[1])))
        return self.activation.forward(z, self.bias, lambda: work.buffer(store, "mask", z.shape))

    def backward(self, h, saved, g, store, work, need_input_grad):
        act, bias_grad = self.activation, self.bias_grad
        g = act.backward(g, saved, work.buffer(store, "dz", g.shape), bias_grad)
        if act.sums_bias:
            bias_grad = None  # the activation's backward has summed it
        if self.kernel_grad is not None:
            np.matmul(h.T, g, out=self.kernel_grad)
        if bias_grad is not None:  # sum over the batch: one pass, or a matrix-vector product
            if work.loops is not None and g.flags.c_contiguous:
                work.loops.column_sums(g, bias_grad)
            else:
                np.matmul(work.ones(len(g)), g, out=bias_grad)
        if not need_input_grad:
            return None
        return np.matmul(g, self.kernel.T, out=work.buffer(store, "dx", h.shape))


@dataclass(frozen=True)
class ActivationStage:
    """An Activation layer: g(h) and g'(h) from the activation's value and derivative (its
    input is the previous stage's output, which that stage may still need: not in place)."""

    activation: activations.Activation

    def forward(self, h, store, work):
        y = self.activation.value(h)
        return y, y

    def backward(self, h, saved, g, store, work, need_input_grad):
        return g * self.activation.derivative(h, saved)


@dataclass(frozen=True)
class DropoutStage:
    """Inverted dropout with the layer's own factors (``Dropout.factors``) from ``rng``."""

    layer: Dropout
    rng: np.random.Generator

    def forward(self, h, store, work):
        if self.layer.rate == 0.0:
            return h, None
        scale = self.layer.factors(h.shape, h.dtype, self.rng)
        return h * scale, scale

    def backward(self, h, saved, g, store, work, need_input_grad):
        return g if saved is None else g * saved


@dataclass(frozen=True)
class FlattenStage:
    """(n, ...) -> (n, features) and back."""

    def forward(self, h, store, work):
        return h.reshape(len(h), -1), None

    def backward(self, h, saved, g, store, work, need_input_grad):
        return g.reshape(h.shape)


@dataclass(frozen=True)
class Penalty:
    """A regularization term R(weight): its gradient is added into ``gradient`` (a view into
    the flat gradient vector), None when the layer is frozen."""

    weight: np.ndarray
    regularizer: Regularizer
    gradient: np.ndarray | None
