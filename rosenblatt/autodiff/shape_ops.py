"""Differentiable shape primitives: reshape, transpose, indexing, concatenate, stack.

They move numbers around without changing them, so each backward moves the gradient back:
reshape reshapes it, transpose applies the inverse permutation, indexing scatters it into a zero
array (adding where an integer-array index picks the same element twice), concatenate and
stack slice it apart.

>>> from rosenblatt import Tensor
>>> x = Tensor([1.0, 2.0, 3.0], requires_grad=True)
>>> x[[0, 0, 2]].sum().backward(); x.grad
array([2., 0., 1.], dtype=float32)
"""

from __future__ import annotations

import numpy as np

from rosenblatt.autodiff.tensor import Tensor, as_tensor


def reshape(a: Tensor, shape) -> Tensor:
    """``a`` with a new shape of the same size (one entry may be -1)."""
    try:
        out = a.data.reshape(shape)
    except ValueError as exc:
        raise ValueError(f"reshape: cannot reshape shape {a.data.shape} into {shape}") from exc
    old = a.data.shape
    return Tensor._make(out, (a,), lambda g: (g.reshape(old),), "reshape")


def transpose(a: Tensor, axes=None) -> Tensor:
    """Permute the axes (reverse them when ``axes`` is None)."""
    if axes is not None and sorted(int(i) % max(a.data.ndim, 1) for i in axes) != list(
        range(a.data.ndim)
    ):
        raise ValueError(
            f"transpose: axes {tuple(axes)} is not a permutation of {a.data.ndim} axes"
        )
    inverse = None if axes is None else tuple(np.argsort([int(i) % a.data.ndim for i in axes]))
    return Tensor._make(
        np.transpose(a.data, axes), (a,), lambda g: (np.transpose(g, inverse),), "transpose"
    )


def _has_array_index(index) -> bool:
    items = index if isinstance(index, tuple) else (index,)
    return any(
        isinstance(i, (list, np.ndarray, Tensor)) and not isinstance(i, (bool, np.bool_))
        for i in items
    )


def _plain_index(index):
    if isinstance(index, Tensor):
        return index.data.astype(np.intp)
    if isinstance(index, tuple):
        return tuple(_plain_index(i) for i in index)
    return index


def getitem(a: Tensor, index) -> Tensor:
    """``a[index]`` with basic slicing or integer / boolean array indexing.

    The gradient is scattered back into a zero array; ``np.add.at`` adds the contributions of
    elements picked more than once.
    """
    index = _plain_index(index)
    try:
        out = a.data[index]
    except IndexError as exc:
        raise IndexError(f"index {index!r} is invalid for a tensor of shape {a.data.shape}: "
                         f"{exc}") from exc
    advanced = _has_array_index(index)

    def vjp(g):
        full = np.zeros_like(a.data)
        if advanced:
            np.add.at(full, index, g)
        else:
            full[index] = g
        return (full,)

    if not advanced and isinstance(out, np.ndarray) and np.shares_memory(out, a.data):
        out = out.copy()  # a view would let later in-place edits of `a` change this result
    return Tensor._make(np.asarray(out), (a,), vjp, "getitem")


def concatenate(tensors, axis: int = 0) -> Tensor:
    """Join tensors along an existing axis; the gradient is split back by their sizes."""
    tensors = [as_tensor(t) for t in tensors]
    if not tensors:
        raise ValueError("concatenate: expected at least one tensor")
    try:
        out = np.concatenate([t.data for t in tensors], axis=axis)
    except ValueError as exc:
        shapes = [t.data.shape for t in tensors]
        raise ValueError(f"concatenate: shapes {shapes} do not fit along axis {axis}") from exc
    bounds = np.cumsum([t.data.shape[axis] for t in tensors])[:-1]

    def vjp(g):
        return tuple(np.split(g, bounds, axis=axis))

    return Tensor._make(out, tuple(tensors), vjp, "concatenate")


def stack(tensors, axis: int = 0) -> Tensor:
    """Join tensors of one shape along a new axis; the gradient is unstacked."""
    tensors = [as_tensor(t) for t in tensors]
    if not tensors:
        raise ValueError("stack: expected at least one tensor")
    shapes = {t.data.shape for t in tensors}
    if len(shapes) != 1:
        raise ValueError(f"stack: all tensors need one shape, got {sorted(shapes)}")
    out = np.stack([t.data for t in tensors], axis=axis)

    def vjp(g):
        return tuple(np.moveaxis(g, axis, 0))

    return Tensor._make(out, tuple(tensors), vjp, "stack")


def _shape_args(args) -> tuple:
    """``f(2, 3)`` and ``f((2, 3))`` alike, as NumPy's methods take them."""
    return tuple(args[0]) if len(args) == 1 and isinstance(args[0], (tuple, list)) else args


Tensor.reshape = lambda self, *shape: reshape(self, _shape_args(shape))
Tensor.transpose = lambda self, *axes: transpose(self, _shape_args(axes) or None)
Tensor.T = property(lambda self: transpose(self, None))
Tensor.__getitem__ = getitem
