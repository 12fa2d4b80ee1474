"""Pictures for classifiers of images: the confusion matrix and a grid of digits with their
predicted labels (lecture 003's MNIST classifier)."""

from __future__ import annotations

import math
import numbers

import numpy as np

from rosenblatt.base.checks import as_array, check_same_length
from rosenblatt.plot._figure import check_save, finish, panels

KNOWN_SHAPES = {64: (8, 8), 784: (28, 28)}


def confusion_counts(y_true, y_pred, labels=None) -> np.ndarray:
    """Count how often each true class is predicted as each class.

    Formula: ``M[i, j] = #{n : y_true_n = labels_i and y_pred_n = labels_j}`` (rows: true
    class, columns: predicted class, as in scikit-learn).

    Args:
        y_true: true class labels, shape ``(n,)``, ``(n, 1)`` or one-hot ``(n, k)``.
        y_pred: predicted labels, or scores / probabilities ``(n, k)`` (their argmax is used).
        labels: the classes, in the order of the rows, or None for the sorted labels that
            occur in ``y_true`` or ``y_pred``. A label outside ``labels`` is an error.

    Returns:
        ``M``, integer array of shape ``(len(labels), len(labels))``.

    >>> confusion_counts([0, 1, 1, 2], [0, 1, 2, 2]).tolist()
    [[1, 0, 0], [0, 1, 1], [0, 0, 1]]

    Lecture 003 (classifying digits).
    """
    t = _class_labels(y_true, "y_true")
    p = _class_labels(y_pred, "y_pred")
    check_same_length(t, p, "y_true", "y_pred")
    if labels is None:
        labels = np.union1d(t, p)
    else:
        labels = as_array(labels, "labels", ndim=1)
        if len(labels) == 0 or len(np.unique(labels)) != len(labels):
            raise ValueError(f"labels: expected distinct class labels, got {labels.tolist()}")
    counts = np.zeros((len(labels), len(labels)), dtype=np.int64)
    np.add.at(counts, (_index(t, labels, "y_true"), _index(p, labels, "y_pred")), 1)
    return counts


def confusion_matrix(y_true, y_pred, labels=None, normalize: bool = False, save=None):
    """Draw the confusion matrix, each cell annotated with its count (or its row fraction).

    Formula: ``M[i, j]`` from :func:`confusion_counts`; with ``normalize``,
    ``M[i, j] / sum_j M[i, j]`` (the fraction of class i predicted as j; 0 for an empty row).
    The title gives the accuracy ``trace(M) / sum(M)``.

    Args:
        y_true, y_pred, labels: as for :func:`confusion_counts`.
        normalize: whether to show row fractions instead of counts.
        save: None, or a path ending in .png or .svg.

    Returns:
        The ``matplotlib.figure.Figure`` (the matrix and its colour bar).

    >>> fig = confusion_matrix([0, 1, 1, 2], [0, 1, 2, 2])
    >>> len(fig.axes)
    2

    Lecture 003 (classifying digits).
    """
    path = check_save(save)
    if not isinstance(normalize, bool):
        raise TypeError(f"normalize: expected True or False, got {normalize!r}")
    counts = confusion_counts(y_true, y_pred, labels)
    names = (
        labels
        if labels is not None
        else np.union1d(_class_labels(y_true, "y_true"), _class_labels(y_pred, "y_pred"))
    )
    shown = counts.astype(np.float64)
    if normalize:
        totals = shown.sum(axis=1, keepdims=True)
        shown = np.divide(shown, totals, out=np.zeros_like(shown), where=totals > 0)
    k = len(counts)
    fig, axes = panels(1, 1, size=(max(4.0, 0.45 * k + 2.5), max(3.4, 0.45 * k + 1.6)))
    ax = axes[0]
    image = ax.imshow(shown, cmap="Blues", vmin=0)
    fig.colorbar(image, ax=ax, shrink=0.85, label="fraction" if normalize else "count")
    if k <= 20:
        for (i, j), value in np.ndenumerate(shown):
            text = f"{value:.2f}" if normalize else str(counts[i, j])
            colour = "white" if value > 0.5 * shown.max() else "black"
            ax.text(j, i, text, ha="center", va="center", color=colour, fontsize="small")
    ticks = [f"{v:g}" for v in np.asarray(names, dtype=np.float64)]
    ax.set_xticks(range(k), ticks)
    ax.set_yticks(range(k), ticks)
    ax.set_xlabel("predicted")
    ax.set_ylabel("true")
    accuracy = np.trace(counts) / max(counts.sum(), 1)
    ax.set_title(f"confusion matrix (accuracy {accuracy:.1%})")
    return finish(fig, path)


def digits(x, y_true, y_pred=None, n: int = 25, shape=None, save=None):
    """Draw the first ``n`` images in a grid, titled by label, mistakes in red.

    Formula: image ``i`` is row ``x_i`` reshaped to ``shape`` (inferred from the row width:
    64 -> 8x8, 784 -> 28x28, any square d -> sqrt(d) x sqrt(d)); its title is ``y_pred_i``
    (or ``y_true_i`` when there are no predictions), red with the true label when
    ``y_pred_i != y_true_i``.

    Args:
        x: images, shape ``(m, d)`` (flattened) or ``(m, h, w)``.
        y_true: true labels, shape ``(m,)`` or one-hot ``(m, k)``.
        y_pred: predicted labels or scores ``(m, k)`` (argmax), or None.
        n: how many images to draw (at most ``m``).
        shape: ``(h, w)`` of one image, or None to infer it.
        save: None, or a path ending in .png or .svg.

    Returns:
        The ``matplotlib.figure.Figure``, with one axes per image drawn.

    >>> fig = digits(np.zeros((4, 64)), [0, 1, 2, 3], [0, 1, 2, 2])
    >>> len(fig.axes)
    4

    Lecture 003 (linear classifier on MNIST, L24).
    """
    path = check_save(save)
    x = as_array(x, "x", dtype=np.float64, ndim=(2, 3))
    images = x.reshape(len(x), *_image_shape(x, shape))
    true = _class_labels(y_true, "y_true")
    check_same_length(x, true, "x", "y_true")
    pred = None if y_pred is None else _class_labels(y_pred, "y_pred")
    if pred is not None:
        check_same_length(x, pred, "x", "y_pred")
    if not isinstance(n, numbers.Integral) or isinstance(n, bool) or n < 1:
        raise ValueError(f"n: expected an integer >= 1, got {n!r}")
    count = min(int(n), len(x))
    fig, axes = panels(count, ncols=math.ceil(math.sqrt(count)), size=(1.3, 1.5))
    for i, ax in enumerate(axes):
        ax.imshow(images[i], cmap="gray_r", interpolation="nearest")
        ax.set_xticks([])
        ax.set_yticks([])
        wrong = pred is not None and pred[i] != true[i]
        label = true[i] if pred is None else pred[i]
        ax.set_title(
            f"{label}" + (f" (true {true[i]})" if wrong else ""),
            color="red" if wrong else "black",
            fontsize="small",
        )
        if wrong:
            for spine in ax.spines.values():
                spine.set_edgecolor("red")
                spine.set_linewidth(2.0)
    if pred is not None:
        mistakes = int(np.sum(pred[:count] != true[:count]))
        fig.suptitle(f"{mistakes} of {count} wrong", color="red" if mistakes else "black")
    return finish(fig, path)


def _class_labels(y, name: str) -> np.ndarray:
    """Integer class labels from labels ``(n,)`` / ``(n, 1)`` or scores ``(n, k)`` (argmax)."""
    y = as_array(y, name, ndim=(1, 2))
    if y.ndim == 2:
        y = y[:, 0] if y.shape[1] == 1 else y.argmax(axis=1)
    if not np.all(y == np.round(y)):
        raise ValueError(
            f"{name}: expected integer class labels (or scores of shape (n, k)), got "
            f"non-integer values such as {float(y[y != np.round(y)][0]):g}"
        )
    return y.astype(np.int64)


def _index(y: np.ndarray, labels: np.ndarray, name: str) -> np.ndarray:
    order = np.argsort(labels, kind="stable")
    where = np.searchsorted(labels[order], y).clip(0, len(labels) - 1)
    missing = labels[order][where] != y
    if missing.any():
        raise ValueError(f"{name}: label {y[missing][0]} is not one of labels {labels.tolist()}")
    return order[where]


def _image_shape(x: np.ndarray, shape) -> tuple[int, int]:
    d = int(np.prod(x.shape[1:]))
    if shape is None:
        if x.ndim == 3:
            return x.shape[1], x.shape[2]
        side = math.isqrt(d)
        if d in KNOWN_SHAPES or side * side == d:
            return KNOWN_SHAPES.get(d, (side, side))
        raise ValueError(
            f"shape: cannot infer the image shape from rows of width {d}; pass shape=(h, w)"
        )
    ok = (
        isinstance(shape, (tuple, list))
        and len(shape) == 2
        and all(isinstance(s, numbers.Integral) and s > 0 for s in shape)
    )
    if not ok or shape[0] * shape[1] != d:
        raise ValueError(
            f"shape: expected (h, w) of positive integers with h * w = {d}, got {shape!r}"
        )
    return int(shape[0]), int(shape[1])
