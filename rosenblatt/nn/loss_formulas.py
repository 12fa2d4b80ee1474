"""Keras' margin, count, percentage, similarity and focal losses, per sample (their class
forms and names are in :mod:`rosenblatt.nn.losses`).

Each returns a tensor of shape (n,): the loss of every sample, reduced over the last axis as
Keras does, built from the differentiable primitives (log-cosh has its own derivative, tanh).

>>> import numpy as np
>>> hinge(np.array([[1.0, -1.0]]), np.array([[0.5, 0.5]])).data.tolist()
[1.0]
"""

from __future__ import annotations

import numpy as np

from rosenblatt.autodiff import ops
from rosenblatt.autodiff.tensor import Tensor
from rosenblatt.base.checks import check_bool, check_in_range, check_positive
from rosenblatt.nn import activations
from rosenblatt.nn.loss_checks import (
    EPSILON,
    check_distribution_rows,
    check_probabilities,
    check_probability_targets,
    last_axis_mean,
    prepare,
)


def _signs(y: np.ndarray) -> np.ndarray:
    """Targets in {-1, 1}; targets in {0, 1} are mapped to them (2y - 1), as Keras does."""
    return 2 * y - 1 if np.isin(y, (0, 1)).all() else y


def hinge(y_true, y_pred) -> Tensor:
    """Hinge per sample: mean_j max(1 - y_j p_j, 0), y in {-1, 1} (or {0, 1}, mapped)."""
    y, p = prepare(y_true, y_pred)
    return last_axis_mean(ops.maximum(1 - Tensor(_signs(y)) * p, 0.0))


def squared_hinge(y_true, y_pred) -> Tensor:
    """Squared hinge per sample: mean_j max(1 - y_j p_j, 0)^2, y in {-1, 1} (or {0, 1})."""
    y, p = prepare(y_true, y_pred)
    margin = ops.maximum(1 - Tensor(_signs(y)) * p, 0.0)
    return last_axis_mean(margin * margin)


def categorical_hinge(y_true, y_pred) -> Tensor:
    """Categorical hinge per sample: max(neg - pos + 1, 0) with pos = sum_k y_k p_k and
    neg = max_k (1 - y_k) p_k; y one-hot (n, k)."""
    y, p = prepare(y_true, y_pred)
    y = Tensor(y)
    pos = (y * p).sum(axis=-1)
    neg = ((1 - y) * p).max(axis=-1)
    return ops.maximum(neg - pos + 1, 0.0)


def _log_cosh(d: Tensor) -> Tensor:
    """log(cosh(d)) = |d| + log(1 + exp(-2|d|)) - log 2 (no overflow); its derivative is
    tanh(d)."""
    a = np.abs(d.data)
    value = a + np.log1p(np.exp(-2 * a)) - np.log(2).astype(a.dtype)
    return ops.elementwise(d, value, lambda x, _: np.tanh(x), "log_cosh")


def log_cosh(y_true, y_pred) -> Tensor:
    """Log-cosh per sample: mean_j log(cosh(p_j - y_j)); about e^2 / 2 for small errors and
    |e| - log 2 for large ones."""
    y, p = prepare(y_true, y_pred)
    return last_axis_mean(_log_cosh(p - y))


def poisson(y_true, y_pred) -> Tensor:
    """Poisson per sample: mean_j (p_j - y_j log(p_j + eps)), p a predicted rate >= 0."""
    y, p = prepare(y_true, y_pred)
    if p.data.size and float(p.data.min()) < 0:
        raise ValueError(f"y_pred: poisson expects rates >= 0, got values down to "
                         f"{float(p.data.min()):g}; give the output an 'exponential' or "
                         f"'softplus' activation")
    return last_axis_mean(p - Tensor(y) * (p + EPSILON).log())


def mean_absolute_percentage_error(y_true, y_pred) -> Tensor:
    """MAPE per sample: 100 mean_j |y_j - p_j| / max(|y_j|, eps), eps = 1e-7 as in Keras (a
    target of 0 divides by eps, not by 0)."""
    y, p = prepare(y_true, y_pred)
    scale = (100.0 / np.maximum(np.abs(y), EPSILON)).astype(p.data.dtype)
    return last_axis_mean((p - y).abs() * scale)


def _l2_normalize(t: Tensor) -> Tensor:
    return t / ops.maximum((t * t).sum(axis=-1, keepdims=True), 1e-12).sqrt()


def cosine_similarity(y_true, y_pred) -> Tensor:
    """Cosine similarity loss per sample: -sum_j y_j p_j / (||y|| ||p||), in [-1, 1]; -1 when
    they point the same way (norms below 1e-6 count as 1e-6, as Keras' l2_normalize)."""
    y, p = prepare(y_true, y_pred)
    return -(_l2_normalize(Tensor(y)) * _l2_normalize(p)).sum(axis=-1)


def focal_arguments(alpha, gamma, from_logits, label_smoothing) -> dict:
    """The focal losses' options, checked: alpha in [0, 1], gamma >= 0, label_smoothing in
    [0, 1], from_logits a bool."""
    return {"alpha": float(check_in_range(alpha, "alpha", 0, 1)),
            "gamma": float(check_positive(gamma, "gamma", allow_zero=True)),
            "from_logits": check_bool(from_logits, "from_logits"),
            "label_smoothing": float(check_in_range(label_smoothing, "label_smoothing", 0, 1))}


def binary_focal_crossentropy(y_true, y_pred, apply_class_balancing=False, alpha=0.25,
                              gamma=2.0, from_logits=False, label_smoothing=0.0) -> Tensor:
    """Binary focal cross-entropy per sample (Lin et al. 2017), Keras' formula::

        y <- y (1 - s) + s / 2                     (label_smoothing s)
        p_t = y p + (1 - y)(1 - p),   bce = -[y log p + (1 - y) log(1 - p)]
        loss = mean_j w (1 - p_t)^gamma bce,  w = y alpha + (1 - y)(1 - alpha) if balanced, else 1

    p clipped to [eps, 1 - eps]; with ``from_logits=True`` p = sigmoid(y_pred) and bce comes
    from the logits. gamma = 0 and no balancing give the binary cross-entropy.
    """
    from_logits = focal_arguments(alpha, gamma, from_logits, label_smoothing)["from_logits"]
    apply_class_balancing = check_bool(apply_class_balancing, "apply_class_balancing")
    y, p = prepare(y_true, y_pred)
    check_probability_targets(y, "binary_focal_crossentropy")
    y = y * (1 - label_smoothing) + 0.5 * label_smoothing
    if from_logits:
        z, p = p, activations.sigmoid(p)
        bce = ops.maximum(z, 0.0) - z * y + (1 + (-z.abs()).exp()).log()
    else:
        check_probabilities(p, "binary_focal_crossentropy")
        p = p.clip(EPSILON, 1 - EPSILON)
        bce = -(y * p.log() + (1 - y) * (1 - p).log())
    p_t = y * p + (1 - y) * (1 - p)
    loss = (1 - p_t) ** gamma * bce
    if apply_class_balancing:
        loss = Tensor(y * alpha + (1 - y) * (1 - alpha)) * loss
    return last_axis_mean(loss)


def categorical_focal_crossentropy(y_true, y_pred, alpha=0.25, gamma=2.0, from_logits=False,
                                   label_smoothing=0.0) -> Tensor:
    """Categorical focal cross-entropy per sample (Lin et al. 2017), Keras' formula::

        y <- y (1 - s) + s / k                     (label_smoothing s, k classes)
        p <- clip(p / sum_k p_k, eps, 1 - eps)
        loss = -sum_k alpha (1 - p_k)^gamma y_k log p_k

    with ``from_logits=True`` p = softmax(y_pred). y one-hot or probabilities (n, k).
    """
    from_logits = focal_arguments(alpha, gamma, from_logits, label_smoothing)["from_logits"]
    y, p = prepare(y_true, y_pred)
    check_probability_targets(y, "categorical_focal_crossentropy")
    if p.ndim != 2:
        raise ValueError(f"y_pred: expected shape (n, classes), got {p.shape}")
    check_distribution_rows(y)
    y = y * (1 - label_smoothing) + label_smoothing / p.shape[-1]
    if from_logits:
        p = activations.softmax(p)
    else:
        check_probabilities(p, "categorical_focal_crossentropy")
    p = (p / p.sum(axis=-1, keepdims=True)).clip(EPSILON, 1 - EPSILON)
    return -(alpha * (1 - p) ** gamma * Tensor(y) * p.log()).sum(axis=-1)
