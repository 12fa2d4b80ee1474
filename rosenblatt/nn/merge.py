"""Merge layers: one tensor from several, for the functional API's branches (Keras' names).

``Concatenate(axis)`` joins along an axis; ``Add``, ``Subtract``, ``Multiply``, ``Average``,
``Maximum`` and ``Minimum`` combine equal shapes elementwise; ``Dot(axes)`` takes row-wise dot
products. Each is called on a list of tensors (symbolic ones in a functional model, real ones
otherwise) and has a function form, ``concatenate([a, b])`` = ``Concatenate()([a, b])``.
Gradients come from the primitives they are built of (autodiff); none has weights.

>>> import numpy as np
>>> Add()([np.ones((2, 3)), np.ones((2, 3))]).data
array([[2., 2., 2.],
       [2., 2., 2.]], dtype=float32)
"""

from __future__ import annotations

import numbers

from rosenblatt.autodiff import ops, shape_ops
from rosenblatt.autodiff.tensor import as_tensor
from rosenblatt.base.checks import check_bool, describe
from rosenblatt.nn import layers
from rosenblatt.nn.layers import Layer
from rosenblatt.nn.symbolic import SymbolicTensor, symbolic_call


class Merge(Layer):
    """Base of the merge layers: checks the list of inputs and their shapes, then ``merge``."""

    min_inputs = 2

    def __call__(self, inputs, training=None):
        if not isinstance(inputs, (list, tuple)) or len(inputs) < self.min_inputs:
            got = describe(inputs) + (f" of length {len(inputs)}"
                                      if isinstance(inputs, (list, tuple)) else "")
            raise ValueError(f"layer {self.name!r}: inputs: expected a list of at least "
                             f"{self.min_inputs} tensors, got {got}")
        if all(isinstance(x, SymbolicTensor) for x in inputs):
            shapes = [tuple(x.shape[1:]) for x in inputs]
            out = self.compute_output_shape(shapes)
            self.input_shape, self.built = shapes, True
            return symbolic_call(self, inputs, [out], listed=True)[0]
        if any(isinstance(x, SymbolicTensor) for x in inputs):
            raise TypeError(f"layer {self.name!r}: inputs: expected all symbolic tensors or "
                            f"none, got a mix")
        tensors = [as_tensor(x, dtype=self.dtype) for x in inputs]
        self.compute_output_shape([t.shape[1:] for t in tensors])
        return self.merge(tensors)

    def ensure_built(self, input_shape, rng=None) -> None:
        self.built = True

    def compute_output_shape(self, input_shapes):
        shapes = [tuple(s) for s in input_shapes]
        if any(s != shapes[0] for s in shapes):
            raise ValueError(f"layer {self.name!r}: {type(self).__name__} needs inputs of one "
                             f"shape, got {', '.join(str((None, *s)) for s in shapes)}")
        return shapes[0]

    @property
    def output_shape(self):
        return None if self.input_shape is None else self.compute_output_shape(self.input_shape)

    def merge(self, tensors):
        raise NotImplementedError


def _fold(op, tensors):
    out = tensors[0]
    for t in tensors[1:]:
        out = op(out, t)
    return out


class Add(Merge):
    """The elementwise sum x1 + x2 + ... of tensors of one shape."""

    def merge(self, tensors):
        return _fold(ops.add, tensors)


class Subtract(Merge):
    """x1 - x2, for exactly two tensors of one shape."""

    def compute_output_shape(self, input_shapes):
        if len(input_shapes) != 2:
            raise ValueError(f"layer {self.name!r}: inputs: Subtract takes exactly 2 tensors, "
                             f"got {len(input_shapes)}")
        return super().compute_output_shape(input_shapes)

    def merge(self, tensors):
        return ops.sub(tensors[0], tensors[1])


class Multiply(Merge):
    """The elementwise product x1 * x2 * ... of tensors of one shape."""

    def merge(self, tensors):
        return _fold(ops.mul, tensors)


class Average(Merge):
    """The elementwise mean (x1 + ... + xk) / k of tensors of one shape."""

    def merge(self, tensors):
        return _fold(ops.add, tensors) * (1.0 / len(tensors))


class Maximum(Merge):
    """The elementwise max(x1, x2, ...) (the gradient goes to the largest)."""

    def merge(self, tensors):
        return _fold(ops.maximum, tensors)


class Minimum(Merge):
    """The elementwise min(x1, x2, ...) (the gradient goes to the smallest)."""

    def merge(self, tensors):
        return _fold(ops.minimum, tensors)


class Concatenate(Merge):
    """Joins tensors along ``axis`` (default -1, the features); other axes must agree.

    >>> import numpy as np
    >>> Concatenate()([np.ones((2, 3)), np.zeros((2, 1))]).shape
    (2, 4)
    """

    def __init__(self, axis=-1, **kwargs):
        super().__init__(**kwargs)
        if not isinstance(axis, numbers.Integral) or isinstance(axis, bool) or axis == 0:
            raise ValueError(f"axis: expected a non-zero integer (axis 0 is the batch), got "
                             f"{axis!r}")
        self.axis = int(axis)

    def compute_output_shape(self, input_shapes):
        shapes = [tuple(s) for s in input_shapes]
        rank = len(shapes[0]) + 1
        if not -rank <= self.axis < rank or any(len(s) + 1 != rank for s in shapes):
            raise ValueError(f"layer {self.name!r}: axis {self.axis} does not fit inputs of "
                             f"shapes {', '.join(str((None, *s)) for s in shapes)}")
        k = self.axis % rank - 1
        rest = [s[:k] + s[k + 1:] for s in shapes]
        if any(r != rest[0] for r in rest):
            raise ValueError(f"layer {self.name!r}: Concatenate(axis={self.axis}) needs inputs "
                             f"equal off that axis, got "
                             f"{', '.join(str((None, *s)) for s in shapes)}")
        return (*shapes[0][:k], sum(s[k] for s in shapes), *shapes[0][k + 1:])

    def merge(self, tensors):
        return shape_ops.concatenate(tensors, axis=self.axis)

    def get_config(self):
        return {**super().get_config(), "axis": self.axis}


class Dot(Merge):
    """Row-wise dot products of two tensors of shape (batch, d): sum_j x1_j x2_j, shape
    (batch, 1). ``axes``: 1 or -1 (or a pair of them), the features axis; ``normalize``:
    divide each row by its L2 norm first (cosine similarity).

    >>> import numpy as np
    >>> Dot(axes=1)([np.array([[1.0, 2.0]]), np.array([[3.0, 4.0]])]).data
    array([[11.]], dtype=float32)
    """

    def __init__(self, axes, normalize=False, **kwargs):
        super().__init__(**kwargs)
        pair = list(axes) if isinstance(axes, (list, tuple)) else [axes, axes]
        if len(pair) != 2 or any(a not in (1, -1) or isinstance(a, bool) for a in pair):
            raise ValueError(f"axes: expected 1, -1 or a pair of them (the features axis of "
                             f"(batch, d) inputs), got {axes!r}")
        self.axes = axes if isinstance(axes, int) else list(axes)
        self.normalize = check_bool(normalize, "normalize")

    def compute_output_shape(self, input_shapes):
        shapes = [tuple(s) for s in input_shapes]
        if len(shapes) != 2 or any(len(s) != 1 for s in shapes) or shapes[0] != shapes[1]:
            raise ValueError(f"layer {self.name!r}: Dot needs two inputs of one shape "
                             f"(batch, d), got {', '.join(str((None, *s)) for s in shapes)}")
        return (1,)

    def merge(self, tensors):
        a, b = tensors
        if self.normalize:
            a = a / ops.sqrt(ops.sum(a * a, axis=1, keepdims=True) + 1e-12)
            b = b / ops.sqrt(ops.sum(b * b, axis=1, keepdims=True) + 1e-12)
        return ops.sum(a * b, axis=1, keepdims=True)

    def get_config(self):
        return {**super().get_config(), "axes": self.axes, "normalize": self.normalize}


def _function_form(cls):
    def merge(inputs, **kwargs):
        return cls(**kwargs)(inputs)

    merge.__name__ = cls.__name__.lower()
    merge.__doc__ = f"``{cls.__name__}(**kwargs)(inputs)``: the function form of {cls.__name__}."
    return merge


add = _function_form(Add)
subtract = _function_form(Subtract)
multiply = _function_form(Multiply)
average = _function_form(Average)
maximum = _function_form(Maximum)
minimum = _function_form(Minimum)
dot = _function_form(Dot)


def concatenate(inputs, axis=-1, **kwargs):
    """``Concatenate(axis, **kwargs)(inputs)``: the function form of Concatenate."""
    return Concatenate(axis=axis, **kwargs)(inputs)


MERGE_LAYERS = (Add, Subtract, Multiply, Average, Maximum, Minimum, Concatenate, Dot)
layers.register_layers(*MERGE_LAYERS, functions=(add, subtract, multiply, average, maximum,
                                                 minimum, dot, concatenate))
