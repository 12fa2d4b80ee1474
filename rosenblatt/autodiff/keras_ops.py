"""``rosenblatt.ops``: the tensor functions a Keras program calls as ``keras.ops``.

Keras programs write their own losses and metrics with ``keras.ops``, e.g. a mean squared
error ``ops.mean(ops.square(y_true - y_pred), axis=-1)``. Each function here takes Tensors,
arrays or numbers, under Keras' name and arguments:

- given a Tensor, it returns a Tensor, and the gradient flows back through it (it is, or is
  built from, a primitive of :mod:`rosenblatt.autodiff.ops` and ``.shape_ops``, each checked
  against central differences): a loss's ``y_pred`` is a Tensor;
- given only arrays or numbers, it returns a NumPy array computed as NumPy computes it, as
  Keras' NumPy backend does: a metric's ``update_state`` receives arrays.

Results that are integers or booleans (``argmax``, ``equal``, ``cast`` to an integer type)
have no gradient and are NumPy arrays whatever the input, as Tensor's comparisons are.

>>> import numpy as np
>>> from rosenblatt import Tensor
>>> y_pred = Tensor([[0.25, 0.75]], requires_grad=True)
>>> loss = mean(square(np.array([[0.0, 1.0]]) - y_pred), axis=-1)  # (0.0625 + 0.0625) / 2
>>> loss.sum().backward(); y_pred.grad                                # (y_pred - y_true)
array([[ 0.25, -0.25]], dtype=float32)
>>> one_hot(np.array([2, 0]), num_classes=3)
array([[0., 0., 1.],
       [1., 0., 0.]], dtype=float32)
"""

from __future__ import annotations

import builtins
import numbers

import numpy as np

from rosenblatt.autodiff import ops, shape_ops
from rosenblatt.autodiff.tensor import Tensor, floatx

__all__ = [
    "abs", "absolute", "add", "argmax", "cast", "clip", "concatenate", "divide", "equal", "exp",
    "log", "matmul", "max", "maximum", "mean", "min", "minimum", "multiply", "negative",
    "one_hot", "power", "reshape", "sqrt", "square", "stack", "subtract", "sum", "transpose",
    "where",
]


_array = ops.numeric_array  # a number or an array of numbers; TypeError naming the op


def _raw(value, op: str) -> np.ndarray:
    return value.data if isinstance(value, Tensor) else _array(value, op)


def _unary(name: str, primitive, numpy_fn, doc: str):
    def fn(x):
        if isinstance(x, Tensor):
            return primitive(x)
        return numpy_fn(_array(x, name))

    fn.__name__ = fn.__qualname__ = name
    fn.__doc__ = doc
    return fn


def _binary(name: str, primitive, numpy_fn, doc: str):
    def fn(x1, x2):
        if isinstance(x1, Tensor) or isinstance(x2, Tensor):
            return primitive(x1, x2)
        return numpy_fn(_array(x1, name), _array(x2, name))

    fn.__name__ = fn.__qualname__ = name
    fn.__doc__ = doc
    return fn


def _reduction(name: str, primitive, numpy_fn, doc: str):
    def fn(x, axis=None, keepdims: bool = False):
        if isinstance(x, Tensor):
            return primitive(x, axis=axis, keepdims=keepdims)
        return numpy_fn(_array(x, name), axis=axis, keepdims=keepdims)

    fn.__name__ = fn.__qualname__ = name
    fn.__doc__ = doc
    return fn


# --------------------------------------------------------------------------- arithmetic
add = _binary("add", ops.add, np.add, "x1 + x2, elementwise (broadcasting).")
subtract = _binary("subtract", ops.sub, np.subtract, "x1 - x2, elementwise.")
multiply = _binary("multiply", ops.mul, np.multiply, "x1 * x2, elementwise.")
divide = _binary("divide", ops.div, np.divide, "x1 / x2, elementwise.")
power = _binary("power", ops.power, np.power, "x1 ** x2, elementwise.")
maximum = _binary("maximum", ops.maximum, np.maximum, "max(x1, x2), elementwise.")
minimum = _binary("minimum", ops.minimum, np.minimum, "min(x1, x2), elementwise.")
matmul = _binary("matmul", ops.matmul, np.matmul, "The matrix product x1 @ x2.")
negative = _unary("negative", ops.neg, np.negative, "-x.")
exp = _unary("exp", ops.exp, np.exp, "e^x.")
log = _unary("log", ops.log, np.log, "The natural logarithm (of positive entries, for a Tensor).")
sqrt = _unary("sqrt", ops.sqrt, np.sqrt, "The square root.")
abs = _unary("abs", ops.abs, np.abs, "|x|; its derivative is sign(x) (0 at 0).")  # noqa: A001
absolute = abs
square = _unary("square", lambda x: ops.mul(x, x), np.square, "x^2; its derivative is 2x.")
sum = _reduction("sum", ops.sum, np.sum, "The sum over ``axis`` (all axes by default).")  # noqa: A001
mean = _reduction("mean", ops.mean, np.mean, "The mean over ``axis`` (all axes by default).")
max = _reduction("max", ops.max, np.max, "The maximum over ``axis``.")  # noqa: A001
min = _reduction("min", ops.min, np.min, "The minimum over ``axis``.")  # noqa: A001


def where(condition, x1, x2):
    """``x1`` where ``condition`` holds, else ``x2`` (broadcasting)."""
    if isinstance(x1, Tensor) or isinstance(x2, Tensor):
        return ops.where(condition, x1, x2)
    return np.where(_raw(condition, "where"), _array(x1, "where"), _array(x2, "where"))


def clip(x, x_min, x_max):
    """``x`` clamped to [x_min, x_max]."""
    if isinstance(x, Tensor):
        return ops.clip(x, x_min, x_max)
    return np.clip(_array(x, "clip"), x_min, x_max)


# --------------------------------------------------------------------------- shapes
def reshape(x, newshape):
    """``x`` with the shape ``newshape`` (one entry may be -1)."""
    if isinstance(x, Tensor):
        return shape_ops.reshape(x, newshape)
    return np.reshape(_array(x, "reshape"), newshape)


def transpose(x, axes=None):
    """``x`` with its axes permuted (reversed by default)."""
    if isinstance(x, Tensor):
        return shape_ops.transpose(x, axes)
    return np.transpose(_array(x, "transpose"), axes)


def concatenate(xs, axis: int = 0):
    """The arrays ``xs`` joined along ``axis``."""
    if builtins.any(isinstance(x, Tensor) for x in xs):
        return shape_ops.concatenate(xs, axis)
    return np.concatenate([_array(x, "concatenate") for x in xs], axis=axis)


def stack(x, axis: int = 0):
    """The arrays of the sequence ``x`` stacked along a new ``axis``."""
    if builtins.any(isinstance(v, Tensor) for v in x):
        return shape_ops.stack(x, axis)
    return np.stack([_array(v, "stack") for v in x], axis=axis)


# --------------------------------------------------------------------------- types and labels
def _dtype(dtype, name: str = "dtype") -> np.dtype:
    try:
        resolved = np.dtype(dtype)
    except TypeError:
        resolved = None
    if dtype is None or resolved is None or resolved.kind not in "biuf":
        raise TypeError(f"{name}: expected a numeric type name such as 'float32' or 'int32', "
                        f"got {dtype!r}")
    return resolved


def cast(x, dtype):
    """``x`` as the type ``dtype``. A Tensor cast to a float type stays a Tensor (the
    gradient is cast back); any other result is a NumPy array."""
    dtype = _dtype(dtype)
    if isinstance(x, Tensor):
        if dtype.kind != "f":
            return x.data.astype(dtype)
        source = x.data.dtype
        return Tensor._make(x.data.astype(dtype), (x,), lambda g: (g.astype(source),), "cast")
    return _array(x, "cast").astype(dtype)


def argmax(x, axis=None, keepdims: bool = False) -> np.ndarray:
    """The index of the largest entry along ``axis`` (of the flattened array by default)."""
    return np.argmax(_raw(x, "argmax"), axis=axis, keepdims=keepdims)


def equal(x1, x2) -> np.ndarray:
    """x1 == x2, elementwise, as booleans."""
    return np.equal(_raw(x1, "equal"), _raw(x2, "equal"))


def one_hot(x, num_classes, axis: int = -1, dtype=None):
    """Integer labels ``x`` as one-hot rows: a new axis ``axis`` of length ``num_classes``,
    1 at the label and 0 elsewhere (``dtype``: floatx by default). A Tensor of labels gives a
    Tensor (without gradient: labels are not differentiable)."""
    if not isinstance(num_classes, numbers.Integral) or isinstance(num_classes, bool) \
            or num_classes < 1:
        raise ValueError(f"num_classes: expected an integer >= 1, got {num_classes!r}")
    dtype = _dtype(floatx() if dtype is None else dtype)
    labels = _raw(x, "one_hot")
    if labels.dtype.kind == "f" and not np.all(labels == np.round(labels)):
        bad = labels.reshape(-1)[np.argmax((labels != np.round(labels)).reshape(-1))]
        raise ValueError(f"x: expected integer labels, found {bad}")
    if labels.size and (labels.min() < 0 or labels.max() >= num_classes):
        raise ValueError(f"x: expected labels in [0, {num_classes - 1}] for num_classes="
                         f"{num_classes}, got labels from {labels.min():g} to {labels.max():g}")
    if not isinstance(axis, numbers.Integral) or not -labels.ndim - 1 <= axis <= labels.ndim:
        raise ValueError(f"axis: expected an integer in [{-labels.ndim - 1}, {labels.ndim}], "
                         f"got {axis!r}")
    out = np.eye(num_classes, dtype=dtype)[labels.astype(np.intp)]
    out = np.moveaxis(out, -1, axis)
    return Tensor(out) if isinstance(x, Tensor) and dtype.kind == "f" else out
