"""Fused primitives: whole layer or loss computations as one node, for speed.

Each equals its composite form (tested in ``tests/test_fused.py``) but does the work in a few
NumPy calls and one backward function:

- :func:`dense`: ``g(x @ W + b)``; the input gradient is skipped when ``x`` needs none (the
  first layer);
- :func:`softmax_cross_entropy`: cross-entropy of softmax(logits), labels as integers or one-hot;
  gradient (softmax(z) - y) / n;
- :func:`sigmoid_binary_cross_entropy`: binary cross-entropy of sigmoid(logits); gradient
  (sigmoid(z) - y) / n.

:class:`Head` names which of the two losses a model's output is fused into, for both training
steps.
"""

from __future__ import annotations

from enum import Enum

import numpy as np

from rosenblatt.autodiff.tensor import Tensor, as_tensor, is_grad_enabled
from rosenblatt.base.checks import check_choice
from rosenblatt.nn import activations


def dense(x, W: Tensor, b: Tensor | None = None, activation=None) -> Tensor:
    """One fully connected layer: a = g(x W + b) (lecture 001: h = x W + b, row vectors).

    Args:
        x: (n, in) inputs. W: (in, out) kernel. b: (out,) bias or None.
        activation: a name, an elementwise :class:`~rosenblatt.activations.Activation`, or any
            callable of a tensor (then composed as ``activation(x @ W + b)``).
    Returns:
        (n, out) tensor. Backward: dz = g * g'(z); dW = x^T dz; db = sum_n dz; dx = dz W^T,
        the last only when ``x`` requires a gradient.

    >>> import numpy as np
    >>> y = dense(np.ones((1, 2)), Tensor(np.ones((2, 3))), Tensor(np.zeros(3)), "relu")
    >>> y.data
    array([[2., 2., 2.]])
    """
    W = as_tensor(W)
    x = as_tensor(x, dtype=W.data.dtype)
    if x.data.ndim != 2 or W.data.ndim != 2 or x.data.shape[1] != W.data.shape[0]:
        raise ValueError(
            f"dense: expected x of shape (n, {W.data.shape[0] if W.data.ndim == 2 else 'in'}) "
            f"and W of shape (in, out), got x {x.data.shape} and W {W.data.shape}"
        )
    if b is not None:
        b = as_tensor(b)
        if b.data.shape != (W.data.shape[1],):
            raise ValueError(
                f"dense: expected b of shape ({W.data.shape[1]},), got {b.data.shape}"
            )
    act = activations.get(activation)
    z = x.data @ W.data
    if b is not None:
        z += b.data
    if not isinstance(act, activations.Activation) or act.keeps_logits:
        return act(_linear_node(x, W, b, z))  # softmax, sigmoid: the output keeps z as logits
    is_linear = act is activations.linear
    parents = (x, W) if b is None else (x, W, b)
    if not (is_grad_enabled() and any(p.requires_grad for p in parents)):
        return Tensor._make(act.value_in_place(z), (), None, f"dense[{act.name}]")  # inference
    y = z if is_linear else act.value(z)

    def vjp(g):
        gz = g if is_linear else g * act.derivative(z, y)
        gx = gz @ W.data.T if x.requires_grad else None
        gW = x.data.T @ gz if W.requires_grad else None
        gb = gz.sum(axis=0) if b is not None and b.requires_grad else None
        return (gx, gW) if b is None else (gx, gW, gb)

    return Tensor._make(y, parents, vjp, f"dense[{act.name}]")


def _linear_node(x: Tensor, W: Tensor, b: Tensor | None, z: np.ndarray) -> Tensor:
    def vjp(g):
        gx = g @ W.data.T if x.requires_grad else None
        gW = x.data.T @ g if W.requires_grad else None
        return (gx, gW) if b is None else (gx, gW, g.sum(axis=0))

    parents = (x, W) if b is None else (x, W, b)
    return Tensor._make(z, parents, vjp, "dense[linear]")


def _reduce(per_sample: np.ndarray, reduction: str):
    check_choice(reduction, "reduction", ("mean", "sum", "none"))
    if reduction == "mean":
        return per_sample.mean(), 1.0 / per_sample.size
    if reduction == "sum":
        return per_sample.sum(), 1.0
    return per_sample, None


def _labels_to_index(labels: np.ndarray, n: int, k: int) -> np.ndarray:
    if labels.shape not in ((n,), (n, 1)):
        raise ValueError(
            f"labels: expected shape ({n},) integer classes or ({n}, {k}) one-hot, got "
            f"{labels.shape}"
        )
    labels = labels.reshape(n)
    if labels.dtype.kind == "f":
        if not np.all(labels == np.round(labels)):
            raise ValueError("labels: integer class labels expected, got non-integer values")
    index = labels.astype(np.intp)
    if n and (index.min() < 0 or index.max() >= k):
        raise ValueError(
            f"labels: class labels must be in [0, {k - 1}] for {k} outputs, got values from "
            f"{index.min()} to {index.max()}"
        )
    return index


def softmax_cross_entropy_arrays(z, y=None, index=None, p=None, g=None):
    """(per-sample loss, softmax(z), dL_i/dz) for logits ``z`` (n, k), without a graph.

    Labels are ``index`` (n,) integer classes, or ``y`` (n, k) one-hot / probability rows.
    L_i = logsumexp(z_i) sum_k y_ik - y_i . z_i; dL_i/dz_i = softmax(z_i) sum_k y_ik - y_i,
    which is softmax(z_i) - onehot(index_i) for integer labels. ``p`` and ``g``: optional
    C-contiguous (n, k) buffers for the softmax and the gradient.
    """
    n, k = z.shape
    m = z.max(axis=1, keepdims=True)
    p = np.subtract(z, m, out=p)
    np.exp(p, out=p)
    s = p.sum(axis=1, keepdims=True)
    lse = np.log(s)
    lse += m
    p /= s
    if index is not None:
        at_label = np.arange(0, n * k, k) + index  # flat positions of (i, index_i)
        per_sample = lse[:, 0] - z.reshape(-1)[at_label]
        if g is None:
            g = p.copy()
        else:
            np.copyto(g, p)
        g.reshape(-1)[at_label] -= 1
    else:
        total = y.sum(axis=1, keepdims=True)
        per_sample = lse[:, 0] * total[:, 0] - np.einsum("ij,ij->i", y, z)
        g = np.multiply(p, total, out=g)
        g -= y
    return per_sample, p, g


def sigmoid_binary_cross_entropy_arrays(z, y):
    """(elementwise loss, sigmoid(z), dL/dz) for logits ``z`` and targets ``y`` of one shape,
    without a graph: max(z, 0) - z y + log(1 + exp(-|z|)), stable for any |z|; the gradient
    of each element is sigmoid(z) - y."""
    e = np.exp(-np.abs(z))  # never overflows
    one_plus_e = e + 1
    elementwise = np.maximum(z, 0)
    elementwise -= z * y
    elementwise += np.log(one_plus_e)
    p = np.where(z >= 0, 1, e)
    p /= one_plus_e  # 1 / (1 + e) for z >= 0, e / (1 + e) below
    return elementwise, p, p - y


def softmax_cross_entropy(logits, labels, reduction: str = "mean") -> Tensor:
    """Cross-entropy of softmax(logits): L_i = -sum_k y_ik log softmax(z_i)_k.

    Args:
        logits: (n, k) tensor z. labels: (n,) integer classes in [0, k) or (n, k) one-hot /
            probability rows. reduction: 'mean' (over samples), 'sum' or 'none' (per sample).
    With one-hot rows this is logsumexp(z_i) - z_i,y_i. Backward: dL/dz = (softmax(z) - y) / n
    for 'mean' (softmax(z) sum_k y_k - y for rows that do not sum to 1). Lecture 003 (softmax,
    cross-entropy), lecture 004 (CCE).

    >>> import numpy as np
    >>> round(float(softmax_cross_entropy(Tensor(np.zeros((1, 4))), np.array([2])).data), 6)
    1.386294
    """
    z = as_tensor(logits)
    if z.data.ndim != 2:
        raise ValueError(f"logits: expected shape (n, k), got {z.data.shape}")
    n, k = z.data.shape
    y = labels.data if isinstance(labels, Tensor) else np.asarray(labels)
    if y.shape == (n, k) and k > 1:
        y = y.astype(z.data.dtype, copy=False)
        per_sample, _, grad = softmax_cross_entropy_arrays(z.data, y=y)
    else:
        index = _labels_to_index(y, n, k)
        per_sample, _, grad = softmax_cross_entropy_arrays(z.data, index=index)
    value, scale = _reduce(per_sample, reduction)

    def vjp(g):
        return (grad * (g * scale if scale is not None else g[:, None]),)

    return Tensor._make(np.asarray(value, z.data.dtype), (z,), vjp, "softmax_cross_entropy")


def sigmoid_binary_cross_entropy(logits, targets, reduction: str = "mean") -> Tensor:
    """Binary cross-entropy of sigmoid(logits), stable for any |z|.

    Per element: max(z, 0) - z y + log(1 + exp(-|z|)), which equals
    -[y log sigmoid(z) + (1 - y) log(1 - sigmoid(z))]; per sample the mean over the last axis.
    Args: logits z and targets y in [0, 1] of the same shape (n,) or (n, m).
    Backward: dL/dz = (sigmoid(z) - y) / (n m) for 'mean'. Lecture 001 (binary cross-entropy).

    >>> import numpy as np
    >>> round(float(sigmoid_binary_cross_entropy(Tensor([[0.0]]), np.array([[1.0]])).data), 6)
    0.693147
    """
    z = as_tensor(logits)
    y = targets.data if isinstance(targets, Tensor) else np.asarray(targets)
    if y.shape != z.data.shape:
        raise ValueError(
            f"targets and logits must have the same shape, got targets {y.shape} and logits "
            f"{z.data.shape}"
        )
    y = y.astype(z.data.dtype, copy=False)
    elementwise, _, grad = sigmoid_binary_cross_entropy_arrays(z.data, y)
    cols = elementwise.shape[-1] if elementwise.ndim > 1 else 1
    per_sample = elementwise.mean(axis=-1) if elementwise.ndim > 1 else elementwise
    value, scale = _reduce(per_sample, reduction)

    def vjp(g):
        if scale is not None:
            return (grad * (g * scale / cols),)
        return (grad * (g[..., None] if elementwise.ndim > 1 else g) / cols,)

    return Tensor._make(
        np.asarray(value, z.data.dtype), (z,), vjp, "sigmoid_binary_cross_entropy"
    )


class Head(Enum):
    """An output activation fused into its loss, computed from the logits in one stable
    primitive (``Model.fused_output``; a model without one has None). The autodiff step
    takes :meth:`loss`, the graph-free step the array forms above."""

    SOFTMAX = "softmax"  # softmax + categorical or sparse categorical cross-entropy
    SIGMOID = "sigmoid"  # sigmoid + binary cross-entropy

    def loss(self, logits, targets, reduction: str = "mean") -> Tensor:
        """The loss of this head's activation of ``logits`` against ``targets``."""
        if self is Head.SOFTMAX:
            return softmax_cross_entropy(logits, targets, reduction)
        return sigmoid_binary_cross_entropy(logits, targets, reduction)
